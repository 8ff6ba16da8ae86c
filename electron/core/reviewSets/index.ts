/**
 * The public surface of electron/core/reviewSets/ for the shells: review sets (issue 15, part 1).
 * PLACEHOLDER on the wt-rs-base branch only: the signatures the handlers call; the review-set
 * helper replaces every body. Never merged to main as is.
 */
import type Database from 'better-sqlite3-multiple-ciphers';
import type { ReviewCode, ReviewCodingRecord, ReviewItemFilter, ReviewItemsPage, ReviewSetCreate, ReviewSetSummary } from '../../../shared/reviewSets';

export interface ReviewWriteOptions {
  profile?: string | null;
  clock?: { now(): number };
}

const unbuilt = (): never => {
  throw new Error('review sets: not built yet (wt-rs-base placeholder)');
};

export function listReviewSets(_db: Database.Database): ReviewSetSummary[] {
  return unbuilt();
}
export function createReviewSet(_archivePath: string, _input: ReviewSetCreate, _options: ReviewWriteOptions = {}): ReviewSetSummary {
  return unbuilt();
}
export function reviewItems(_db: Database.Database, _query: { setId: number; filter?: ReviewItemFilter; offset?: number; limit?: number }): ReviewItemsPage {
  return unbuilt();
}
export function codeReviewItem(_archivePath: string, _input: ReviewCode, _options: ReviewWriteOptions = {}): { record: ReviewCodingRecord; set: ReviewSetSummary } {
  return unbuilt();
}
export function codingHistory(_db: Database.Database, _query: { setId: number; chatId?: string | undefined; messageId?: string | undefined; limit?: number | undefined }): ReviewCodingRecord[] {
  return unbuilt();
}
