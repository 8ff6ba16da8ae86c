import type { AttachmentStatus, FileCoverage } from './archive';

/** What an attachment's status means, in words (the UI and the CLI say it the same way). */
export const attachmentStatusWords: Record<AttachmentStatus, string> = {
  stored: 'stored in the archive',
  pending: 'not fetched yet',
  forbidden: 'unavailable: Cliq refused access (403)',
  not_found: 'unavailable: gone from Cliq (404)',
  too_large: 'unavailable: larger than the size limit',
  skipped: 'not fetched: files are turned off',
  failed: 'unavailable: the download failed (tried again later)',
};

/**
 * A conversation's file coverage as one line of words, e.g. "12 of 14 files stored; 2
 * unavailable (1 refused access, 1 gone from Cliq)".
 */
export function fileCoverageWords(files: FileCoverage): string {
  return [`${files.stored} of ${files.referenced} files stored`, ...fileGaps(files)].join('; ');
}

/** What keeps a conversation's files from being all stored, in words (empty when they all are). */
export function fileGaps(files: FileCoverage): string[] {
  const parts: string[] = [];
  if (files.unavailable > 0) {
    const by = Object.entries(files.unavailableBy)
      .map(([status, n]) => `${n} ${shortWords[status as AttachmentStatus]}`)
      .join(', ');
    parts.push(`${files.unavailable} unavailable (${by})`);
  }
  if (files.skipped > 0) parts.push(`${files.skipped} skipped by policy`);
  if (files.pending > 0) parts.push(`${files.pending} not fetched yet`);
  return parts;
}

const shortWords: Record<AttachmentStatus, string> = {
  stored: 'stored',
  pending: 'not fetched yet',
  forbidden: 'refused access',
  not_found: 'gone from Cliq',
  too_large: 'too large',
  skipped: 'skipped',
  failed: 'failed',
};
