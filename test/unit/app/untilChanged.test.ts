import Database from 'better-sqlite3-multiple-ciphers';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { untilChanged } from '../../../electron/core/app/untilChanged';
import { useTempDir } from '../../helpers/tempDir';

describe('an answer kept until the archive changes', () => {
  const tempDir = useTempDir();

  function archivePair() {
    const path = join(tempDir(), 'a.sqlite');
    const writer = new Database(path);
    writer.pragma('journal_mode = WAL');
    writer.exec('CREATE TABLE messages (id INTEGER PRIMARY KEY, chat_id TEXT)');
    writer.exec("INSERT INTO messages (chat_id) VALUES ('a'), ('a'), ('b')");
    const reader = new Database(path, { readonly: true });
    return { writer, reader };
  }

  it('is computed once while nothing commits, and afresh after another connection commits', () => {
    const { writer, reader } = archivePair();
    let computed = 0;
    const count = () =>
      untilChanged(reader, 'count a', () => {
        computed += 1;
        return reader.prepare("SELECT count(*) FROM messages WHERE chat_id = 'a'").pluck().get();
      });
    expect(count()).toBe(2);
    expect(count()).toBe(2);
    expect(computed).toBe(1);

    writer.exec("INSERT INTO messages (chat_id) VALUES ('a')");
    expect(count()).toBe(3);
    expect(computed).toBe(2);
    expect(count()).toBe(3);
    expect(computed).toBe(2);

    // A commit that changes nothing this answer reads still counts as a change: never stale.
    writer.exec("INSERT INTO messages (chat_id) VALUES ('b')");
    expect(count()).toBe(3);
    expect(computed).toBe(3);
  });

  it('keeps answers apart by key and by connection, and stays bounded', () => {
    const { reader } = archivePair();
    const other = new Database(reader.name, { readonly: true });
    expect(untilChanged(reader, 'x', () => 'reader x')).toBe('reader x');
    expect(untilChanged(reader, 'y', () => 'reader y')).toBe('reader y');
    expect(untilChanged(other, 'x', () => 'other x')).toBe('other x');
    expect(untilChanged(reader, 'x', () => 'again')).toBe('reader x');
    // Past sixteen kept answers the connection starts over.
    for (let i = 0; i < 16; i += 1) untilChanged(reader, `k${i}`, () => i);
    expect(untilChanged(reader, 'x', () => 'recomputed')).toBe('recomputed');
  });
});
