import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openArchive } from '../../../electron/core/archive/archive';
import { verifyArchive } from '../../../electron/core/archive/sealing/verify';
import { teamMember } from '../../../electron/core/sync/directoryRows';
import { useTempDir } from '../../helpers/tempDir';

describe('the directory repository: groups and intervals', () => {
  const tempDir = useTempDir();
  const setup = () => {
    const archive = openArchive(join(tempDir(), 'a.sqlite'));
    const runId = archive.runs.start(1, 'test', {}, 1, 'h');
    archive.transaction(() => archive.sealer.open('sync', runId, 1));
    const at = (now: number) => ({ runId, now });
    const team = (name: string, now: number) =>
      archive.transaction(() =>
        archive.directory.groups.team.upsert(
          { key: 't1', values: { name, description: null, is_active: 1, participant_count: 2, created_at: null }, sourceJson: JSON.stringify({ team_id: 't1', name }), sourceHash: name },
          at(now),
        ),
      );
    const list = (members: { user_id: string; is_moderator: boolean }[], now: number) =>
      archive.transaction(() =>
        archive.directory.recordListing(
          'team',
          't1',
          members.map((m) => teamMember(m)),
          at(now),
        ),
      );
    const intervals = () => archive.db.prepare('SELECT user_id, detail_json, start_source, started_at, ended_at FROM directory_intervals ORDER BY user_id, start_noticed_at').all();
    return { archive, at, team, list, intervals };
  };

  it('opens intervals at the first listing as "first archived", keeps them, ends the unlisted, and a changed detail starts a new interval', () => {
    const { archive, team, list, intervals } = setup();
    team('Compliance', 10);
    expect(
      list(
        [
          { user_id: 'u1', is_moderator: true },
          { user_id: 'u2', is_moderator: false },
          { user_id: 'u2', is_moderator: false },
        ],
        10,
      ),
    ).toEqual({ started: 2, ended: 0 });
    expect(archive.db.prepare("SELECT members_listed_at FROM teams WHERE team_id = 't1'").pluck().get()).toBe(10);
    // u1 is no longer a moderator, u2 left, u3 joined.
    expect(
      list(
        [
          { user_id: 'u1', is_moderator: false },
          { user_id: 'u3', is_moderator: false },
        ],
        20,
      ),
    ).toEqual({ started: 2, ended: 2 });
    expect(
      list(
        [
          { user_id: 'u1', is_moderator: false },
          { user_id: 'u3', is_moderator: false },
        ],
        30,
      ),
    ).toEqual({ started: 0, ended: 0 });
    expect(intervals()).toEqual([
      { user_id: 'u1', detail_json: '{"is_moderator":true}', start_source: 'first_archived', started_at: null, ended_at: 20 },
      { user_id: 'u1', detail_json: '{"is_moderator":false}', start_source: 'noticed', started_at: 20, ended_at: null },
      { user_id: 'u2', detail_json: '{"is_moderator":false}', start_source: 'first_archived', started_at: null, ended_at: 20 },
      { user_id: 'u3', detail_json: '{"is_moderator":false}', start_source: 'noticed', started_at: 20, ended_at: null },
    ]);
    // The first listing is remembered once: it does not move.
    expect(archive.db.prepare("SELECT members_listed_at FROM teams WHERE team_id = 't1'").pluck().get()).toBe(10);
    expect(archive.db.prepare("SELECT last_seen_at FROM directory_assignments WHERE user_id = 'u3'").pluck().get()).toBe(30);
  });

  it('a gone group is marked gone and ends its open intervals; a rename keeps the earlier name in entity_history; all of it verifies', () => {
    const { archive, at, team, list, intervals } = setup();
    team('Compliance', 10);
    list([{ user_id: 'u1', is_moderator: false }], 10);
    team('Compliance & Risk', 20);
    expect(archive.db.prepare("SELECT kind, entity_key, json_extract(source_json, '$.name') AS name FROM entity_history").all()).toEqual([{ kind: 'team', entity_key: 't1', name: 'Compliance' }]);
    expect(archive.transaction(() => archive.directory.endGroup('team', 't1', at(30)))).toBe(1);
    expect(archive.db.prepare("SELECT gone_at FROM teams WHERE team_id = 't1'").pluck().get()).toBe(30);
    expect(intervals()).toEqual([{ user_id: 'u1', detail_json: '{"is_moderator":false}', start_source: 'first_archived', started_at: null, ended_at: 30 }]);
    expect(archive.directory.openMembers('team', 't1')).toEqual([]);
    const seal = archive.sealer.openSeal ?? 0;
    archive.transaction(() => archive.sealer.close(seal, 40));
    expect(verifyArchive(archive.db).problems).toEqual([]);
  });
});
