import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openArchive } from '../../../electron/core/archive/archive';
import { useTempDir } from '../../helpers/tempDir';

describe('sync runs', () => {
  const tempDir = useTempDir();

  it('marks a run left running as partial, noting INTERRUPTED', () => {
    const archive = openArchive(join(tempDir(), 'a.sqlite'), { clock: { now: () => 1_000 } });
    const id = archive.transaction(() => archive.runs.start(1_000, 'test', {}, 1, 'host'));
    expect(archive.transaction(() => archive.runs.closeOrphans(2_000))).toBe(1);
    expect(archive.runs.get(id)).toMatchObject({
      status: 'partial',
      endedAt: 2_000,
      errors: [{ code: 'INTERRUPTED', message: 'The process stopped before the run finished; the next run resumed from its checkpoints.' }],
    });
    archive.close();
  });

  it('reads runs recorded with codes this version does not know', () => {
    const archive = openArchive(join(tempDir(), 'a.sqlite'), { clock: { now: () => 1_000 } });
    const id = archive.transaction(() => archive.runs.start(1_000, 'test', {}, 1, 'host'));
    archive.transaction(() => archive.runs.finish(id, { now: 2_000, status: 'complete', counts: {}, calls: {}, rateLimited: {}, errors: [{ code: 'COVERAGE_GAP', message: 'gap', chatId: 'CT_1' }] }));
    archive.db.prepare(`UPDATE sync_runs SET errors_json = json_insert(errors_json, '$[#]', json_object('code', 'RETIRED_CODE', 'message', 'old')) WHERE id = ?`).run(id);
    expect(archive.runs.recent(5)[0]?.errors).toEqual([
      { code: 'COVERAGE_GAP', message: 'gap', chatId: 'CT_1' },
      { code: 'RETIRED_CODE', message: 'old' },
    ]);
    archive.close();
  });
});
