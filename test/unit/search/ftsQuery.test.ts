import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { openArchiveDb } from '../../../electron/core/archive/connection';
import { userQuery } from '../../../electron/core/search/ftsQuery';
import { indexedWordsOf } from '../../../electron/core/search/queryWords';
import { sqliteTokenCount } from '../../helpers/ftsTokens';
import { useTempDir } from '../../helpers/tempDir';
import { join } from 'node:path';

describe('which words the index holds', () => {
  const tempDir = useTempDir();

  function readOnlyArchive() {
    const path = join(tempDir(), 'a.sqlite');
    openArchiveDb(path, { create: true }).close();
    return openArchiveDb(path, { readonly: true });
  }

  it('is what SQLite’s tokenizer says, on a read-only archive, for punctuation, symbols, emoji, marks and scripts', () => {
    const db = readOnlyArchive();
    const indexed = indexedWordsOf(db);
    const tokens = sqliteTokenCount();
    const samples = ['"', '***', '(', ':-)', '🎉', '👍🏽', '—', '€', '½', '٣', 'x', 'é', '\u0301', 'e\u0301', '中', 'שלום', '\uE000', '_', '@', '#1', '\u00a0', '\u200b', '٪', '\u00a7'];
    expect(indexed(samples)).toEqual(samples.map((s) => tokens(s) > 0));
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string({ unit: 'grapheme', maxLength: 6 }), fc.string({ unit: 'binary', maxLength: 6 })), { maxLength: 5 }), (words) => {
        expect(indexed(words)).toEqual(words.map((w) => tokens(w) > 0));
      }),
      { numRuns: 300 },
    );
    db.close();
  });

  it('leaves the words without an indexed character out of a simple query', () => {
    const db = readOnlyArchive();
    const indexed = indexedWordsOf(db);
    expect(userQuery('budget *** "', 'simple', indexed)).toBe('"budget"');
    expect(userQuery('"approved" 🎉', 'simple', indexed)).toBe('"""approved"""');
    expect(userQuery('*** (', 'simple', indexed)).toBeUndefined();
    expect(userQuery('(budget OR', 'advanced', indexed)).toBe('((budget OR)');
    db.close();
  });
});
