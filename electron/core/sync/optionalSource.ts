import type { ErrorCode } from '../../../shared/errors';
import type { MetaRepo } from '../archive/metaRepo';
import { failure, fatalCodes } from './failure';
import type { SyncContext } from './types';

/**
 * A source of evidence beyond messages and members (departments, roles, reactions, calls…) that
 * needs a scope the admin may not have granted. Its absence must never fail the sync: the run
 * completes and says which dataset is missing and which scope would add it.
 */
export interface OptionalSource {
  /** The dataset it fills, as export kinds and audit bundles name it (`departments`). */
  dataset: string;
  /** What it archives, in the user's words, as the subject of a sentence ("Departments and their members"). */
  label: string;
  /** The OAuth scope whose absence makes Cliq refuse it. */
  scope: string;
}

export type OptionalOutcome = 'complete' | 'not_granted' | 'failed';

/** How an optional source fared at the last run that tried it (archive meta `source.<dataset>`). */
export interface OptionalSourceStatus {
  status: OptionalOutcome;
  at: number;
  runId: number;
  scope: string;
  /** The error code of a failure. */
  code?: ErrorCode;
}

/**
 * Runs one optional source's step. Cliq's 403 (the token lacks the scope; docs/cliq-api.md §7.1)
 * becomes a SOURCE_NOT_GRANTED note naming the dataset and the scope, and the run stays complete.
 * Errors that stop every source (authorisation, a full disk) are rethrown; any other failure is
 * noted against the dataset (the run is partial: another run may do better). Nothing already
 * archived is touched by a refusal: the step's own writes are its business.
 */
export async function runOptionalSource(ctx: SyncContext, source: OptionalSource, step: () => Promise<void>): Promise<OptionalOutcome> {
  let outcome: OptionalOutcome;
  let code: ErrorCode | undefined;
  try {
    await step();
    outcome = 'complete';
  } catch (error) {
    const e = failure(error);
    if (fatalCodes.has(e.code)) throw e;
    if (e.code === 'CANCELLED' || ctx.signal.aborted) return 'failed';
    code = e.code;
    if (e.code === 'FORBIDDEN') {
      outcome = 'not_granted';
      ctx.warn({
        code: 'SOURCE_NOT_GRANTED',
        dataset: source.dataset,
        scope: source.scope,
        message: `${source.label} were not archived: Cliq refused them, so the authorisation lacks ${source.scope}. Re-authorise with that scope to add the ${source.dataset} dataset.`,
      });
    } else {
      outcome = 'failed';
      ctx.warn({ code: e.code, dataset: source.dataset, message: `${source.label}: ${e.message}` });
    }
  }
  const status: OptionalSourceStatus = { status: outcome, at: ctx.clock.now(), runId: ctx.runId, scope: source.scope };
  if (code !== undefined && outcome === 'failed') status.code = code;
  ctx.archive.transaction(() => ctx.archive.meta.set(`source.${source.dataset}`, JSON.stringify(status)));
  return outcome;
}

/** The last recorded outcome of an optional source, or undefined when no run has tried it. */
export function optionalSourceStatus(meta: Pick<MetaRepo, 'get'>, dataset: string): OptionalSourceStatus | undefined {
  return parseSourceStatus(meta.get(`source.${dataset}`));
}

/** A `source.<dataset>` meta value read back; undefined when absent or unreadable. */
export function parseSourceStatus(raw: string | undefined): OptionalSourceStatus | undefined {
  if (raw === undefined) return undefined;
  try {
    return JSON.parse(raw) as OptionalSourceStatus;
  } catch {
    return undefined;
  }
}
