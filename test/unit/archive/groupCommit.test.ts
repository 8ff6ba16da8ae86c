import Database from 'better-sqlite3-multiple-ciphers';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openArchive } from '../../../electron/core/archive/archive';
import { verifyArchive } from '../../../electron/core/archive/sealing/verify';
import { messageRow, textMessage } from '../../helpers/messages';
import { useTempDir } from '../../helpers/tempDir';

describe('group commit', () => {
  const tempDir = useTempDir();
  afterEach(() => {
    vi.useRealTimers();
  });

  const setup = () => {
    const path = join(tempDir(), 'a.sqlite');
    const archive = openArchive(path);
    const runId = archive.runs.start(1, 'test', {}, 1, 'h');
    archive.transaction(() => archive.sealer.open('sync', runId, 1));
    const store = (id: string, time: number) => archive.transaction(() => archive.messages.upsert([messageRow('c1', textMessage(id, time, `text of ${id}`))], { runId, now: time }));
    /** What another process sees: only committed rows. */
    const committed = () => {
      const reader = new Database(path, { readonly: true });
      try {
        return reader
          .prepare<[], { message_id: string }>('SELECT message_id FROM messages ORDER BY id')
          .all()
          .map((r) => r.message_id);
      } finally {
        reader.close();
      }
    };
    return { path, archive, store, committed };
  };

  it('keeps units of a group invisible to other connections until the group commits at end()', () => {
    const { archive, store, committed } = setup();
    const group = archive.groupCommits(60_000);
    store('m1', 1000);
    store('m2', 2000);
    expect(committed()).toEqual([]);
    group.end();
    expect(committed()).toEqual(['m1', 'm2']);
    archive.close();
  });

  it('commits the group when its time is up, between units', () => {
    vi.useFakeTimers();
    const { archive, store, committed } = setup();
    const group = archive.groupCommits(1_000);
    store('m1', 1000);
    vi.advanceTimersByTime(999);
    expect(committed()).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(committed()).toEqual(['m1']);
    // The next unit opens a new group.
    store('m2', 2000);
    expect(committed()).toEqual(['m1']);
    group.end();
    expect(committed()).toEqual(['m1', 'm2']);
    archive.close();
  });

  it('rolls back only the unit that failed; the rest of the group commits', () => {
    const { archive, store, committed } = setup();
    const group = archive.groupCommits(60_000);
    store('m1', 1000);
    expect(() =>
      archive.transaction(() => {
        store('m2', 2000);
        throw new Error('the page was bad');
      }),
    ).toThrow('the page was bad');
    store('m3', 3000);
    group.end();
    expect(committed()).toEqual(['m1', 'm3']);
    archive.transaction(() => archive.sealer.close(archive.sealer.openSeal ?? 0, 4000));
    expect(verifyArchive(archive.db).problems).toEqual([]);
    archive.close();
  });

  it('loses only the uncommitted group when the process dies, and leaves a consistent archive', () => {
    const { path, archive, store, committed } = setup();
    const group = archive.groupCommits(60_000);
    store('m1', 1000);
    group.end();
    archive.groupCommits(60_000);
    store('m2', 2000);
    // Dying: the connection goes away with the group open (what SIGKILL leaves behind).
    archive.db.close();
    expect(committed()).toEqual(['m1']);
    const reopened = openArchive(path);
    reopened.transaction(() => reopened.sealer.closeInterrupted(5000));
    expect(verifyArchive(reopened.db).problems).toEqual([]);
    reopened.close();
  });

  it('reports a failed group commit as IO_ERROR with what to do, refuses later units, and keeps what was committed before', () => {
    const { archive, store, committed } = setup();
    const group = archive.groupCommits(60_000);
    store('m1', 1000);
    group.end();
    // A commit-time failure: a deferred foreign key that is still violated when the group commits.
    archive.db.pragma('defer_foreign_keys = ON');
    const failing = archive.groupCommits(60_000);
    store('m2', 2000);
    archive.transaction(() => archive.db.prepare("UPDATE messages SET first_seen_run = 999 WHERE message_id = 'm2'").run());
    let error: unknown;
    try {
      failing.end();
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'IO_ERROR' });
    expect((error as { hint?: string }).hint).toContain('sync again');
    expect(archive.db.inTransaction).toBe(false);
    expect(committed()).toEqual(['m1']);
    archive.close();
  });

  it('refuses the next unit after the timer could not commit', () => {
    vi.useFakeTimers();
    const { archive, store, committed } = setup();
    archive.db.pragma('defer_foreign_keys = ON');
    archive.groupCommits(1_000);
    store('m1', 1000);
    archive.transaction(() => archive.db.prepare("UPDATE messages SET first_seen_run = 999 WHERE message_id = 'm1'").run());
    vi.advanceTimersByTime(1_000);
    expect(() => store('m2', 2000)).toThrow(expect.objectContaining({ code: 'IO_ERROR' }));
    expect(committed()).toEqual([]);
  });

  describe('full-text index', () => {
    const matches = (archive: ReturnType<typeof openArchive>, query: string) =>
      archive.db
        .prepare<[string], { message_id: string }>('SELECT m.message_id FROM messages_fts f JOIN messages m ON m.id = f.rowid WHERE messages_fts MATCH ? ORDER BY f.rowid')
        .all(query)
        .map((r) => r.message_id);
    /** FTS5's own check that the index holds exactly the content table's text. */
    const indexIsExact = (archive: ReturnType<typeof openArchive>) => {
      archive.db.exec("INSERT INTO messages_fts (messages_fts, rank) VALUES ('integrity-check', 1)");
      return true;
    };

    it('indexes the messages of a group when it commits, in one go', () => {
      const { archive, store } = setup();
      const group = archive.groupCommits(60_000);
      store('m1', 1000);
      store('m2', 2000);
      expect(matches(archive, 'text')).toEqual([]);
      group.end();
      expect(matches(archive, 'text')).toEqual(['m1', 'm2']);
      expect(indexIsExact(archive)).toBe(true);
      archive.close();
    });

    it('indexes a message stored and then edited in the same group with its latest text only', () => {
      const { archive, store } = setup();
      const group = archive.groupCommits(60_000);
      store('m1', 1000);
      archive.transaction(() => archive.messages.upsert([messageRow('c1', textMessage('m1', 1000, 'rewritten entirely'))], { runId: 1, now: 3000 }));
      group.end();
      expect(matches(archive, 'rewritten')).toEqual(['m1']);
      expect(matches(archive, 'text')).toEqual([]);
      expect(indexIsExact(archive)).toBe(true);
      archive.close();
    });

    it('re-indexes an edit of a message committed in an earlier group at once', () => {
      const { archive, store } = setup();
      store('m1', 1000);
      const group = archive.groupCommits(60_000);
      archive.transaction(() => archive.messages.upsert([messageRow('c1', textMessage('m1', 1000, 'rewritten entirely'))], { runId: 1, now: 3000 }));
      expect(matches(archive, 'rewritten')).toEqual(['m1']);
      group.end();
      expect(matches(archive, 'text')).toEqual([]);
      expect(indexIsExact(archive)).toBe(true);
      archive.close();
    });

    it('never indexes the messages of a unit that rolled back', () => {
      const { archive, store } = setup();
      const group = archive.groupCommits(60_000);
      expect(() =>
        archive.transaction(() => {
          store('m1', 1000);
          throw new Error('the page was bad');
        }),
      ).toThrow('the page was bad');
      store('m2', 2000);
      group.end();
      expect(matches(archive, 'text')).toEqual(['m2']);
      expect(indexIsExact(archive)).toBe(true);
      archive.close();
    });
  });

  it('commits a pending group when the archive is closed', () => {
    const { archive, store, committed } = setup();
    archive.groupCommits(60_000);
    store('m1', 1000);
    archive.close();
    expect(committed()).toEqual(['m1']);
  });
});
