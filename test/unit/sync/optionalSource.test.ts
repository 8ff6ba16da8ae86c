import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { classifyRun } from '../../../shared/runOutcome';
import { parseArchivedRunErrors } from '../../../shared/warnings';
import { openArchive, type Archive } from '../../../electron/core/archive/archive';
import { optionalSourceStatus, runOptionalSource, type OptionalSource } from '../../../electron/core/sync/optionalSource';
import type { SyncContext } from '../../../electron/core/sync/types';
import { testSyncContext } from '../../helpers/syncContext';
import { useTempDir } from '../../helpers/tempDir';

const departments: OptionalSource = { dataset: 'departments', label: 'Departments and their members', scope: 'ZohoCliq.Departments.READ' };

/** A context whose HTTP answers every request with `status` and `body`. */
function contextAnswering(archive: Archive, status: number, body: string): SyncContext {
  return testSyncContext(archive, () => Promise.resolve(new Response(body, { status, headers: { 'content-type': 'application/json' } })));
}

/** The step of a source: one REST read, as every optional source starts. */
function readOnce(ctx: SyncContext): () => Promise<void> {
  return async () => {
    await ctx.http.get({ family: 'users.list', path: '/api/v2/departments', rest: true, accept: 'json', parse: (b) => b, signal: ctx.signal });
  };
}

describe('optional sources', () => {
  const tempDir = useTempDir();

  it('a refused source is noted with its dataset and scope, and leaves the run complete', async () => {
    const archive = openArchive(join(tempDir(), 'a.sqlite'));
    const ctx = contextAnswering(archive, 403, '{"code":"oauthtoken_invalid_scope","message":"Invalid OAuth scope"}');
    expect(await runOptionalSource(ctx, departments, readOnce(ctx))).toBe('not_granted');
    expect(ctx.errors).toHaveLength(1);
    expect(ctx.errors[0]).toMatchObject({ code: 'SOURCE_NOT_GRANTED', dataset: 'departments', scope: 'ZohoCliq.Departments.READ' });
    expect(ctx.errors[0]?.message).toContain('ZohoCliq.Departments.READ');
    expect(classifyRun({ cancelled: false, fatal: undefined, errors: ctx.errors }).status).toBe('complete');
    expect(optionalSourceStatus(archive.meta, 'departments')).toMatchObject({ status: 'not_granted', runId: ctx.runId, scope: 'ZohoCliq.Departments.READ' });
    // The note survives the archive: dataset and scope are read back from the recorded run.
    expect(parseArchivedRunErrors(JSON.stringify(ctx.errors))[0]).toMatchObject({ dataset: 'departments', scope: 'ZohoCliq.Departments.READ' });
    archive.close();
  });

  it('any other failure is noted against the dataset and makes the run partial', async () => {
    const archive = openArchive(join(tempDir(), 'a.sqlite'));
    const ctx = contextAnswering(archive, 503, '{"message":"down"}');
    expect(await runOptionalSource(ctx, departments, readOnce(ctx))).toBe('failed');
    expect(ctx.errors[0]).toMatchObject({ code: 'SERVER_ERROR', dataset: 'departments' });
    expect(classifyRun({ cancelled: false, fatal: undefined, errors: ctx.errors }).status).toBe('partial');
    expect(optionalSourceStatus(archive.meta, 'departments')).toMatchObject({ status: 'failed', code: 'SERVER_ERROR' });
    archive.close();
  });

  it('an authorisation failure stops the run instead of being noted', async () => {
    const archive = openArchive(join(tempDir(), 'a.sqlite'));
    const ctx = contextAnswering(archive, 401, '{"code":"INVALID_OAUTHTOKEN"}');
    await expect(runOptionalSource(ctx, departments, readOnce(ctx))).rejects.toMatchObject({ code: 'AUTH_REJECTED' });
    expect(ctx.errors).toEqual([]);
    expect(optionalSourceStatus(archive.meta, 'departments')).toBeUndefined();
    archive.close();
  });

  it('a source that completes is recorded as complete, with no note', async () => {
    const archive = openArchive(join(tempDir(), 'a.sqlite'));
    const ctx = contextAnswering(archive, 200, '{"data":[]}');
    expect(await runOptionalSource(ctx, departments, readOnce(ctx))).toBe('complete');
    expect(ctx.errors).toEqual([]);
    expect(optionalSourceStatus(archive.meta, 'departments')).toMatchObject({ status: 'complete', runId: ctx.runId });
    archive.close();
  });
});
