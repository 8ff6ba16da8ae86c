import { datasets } from '../../../electron/core/audit/datasets';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { createAuditBundle } from '../../../electron/core/audit/bundle';
import { verifyBundle } from '../../../electron/core/audit/verifyBundle';
import { syncArchive } from '../../../electron/core/createCore';
import { readRows } from '../../helpers/readRows';
import { connectionTo, useSimulators } from '../../helpers/sim';
import { useTempDir } from '../../helpers/tempDir';

interface PermissionLine {
  chat_id: string | null;
  channel_id: string;
  role: string;
  permission: string;
  allowed: boolean | null;
  value: string;
  first_seen_at: number;
  gone_at: number | null;
  row_hash: string;
}

const jsonl = <T>(path: string): T[] =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as T);

/** A bundle CSV parsed strictly (BOM, CRLF, header row). */
function csv(path: string): { fields: string[]; rows: Record<string, string>[] } {
  const text = readFileSync(path, 'utf8');
  expect(text.startsWith('\uFEFF')).toBe(true);
  const parsed = Papa.parse<Record<string, string>>(text.slice(1), { header: true, newline: '\r\n', skipEmptyLines: true });
  expect(parsed.errors).toEqual([]);
  return { fields: parsed.meta.fields ?? [], rows: parsed.data };
}

describe('audit bundles: channel permissions', () => {
  const tempDir = useTempDir();
  const simulator = useSimulators();

  it('carry the permissions of the channels in scope only, as archived; the data dictionary names every column of every file', async () => {
    const sim = await simulator({ seed: 4, scale: 'tiny', clock: 'manual' });
    const dir = tempDir();
    const path = join(dir, 'a.sqlite');
    expect((await syncArchive(path, connectionTo(sim), { files: 'none' })).status).toBe('complete');
    const archived = readRows<Omit<PermissionLine, 'allowed'> & { allowed: number | null }>(
      path,
      `SELECT c.chat_id, p.channel_id, p.role, p.permission, p.allowed, p.value, p.first_seen_at, p.gone_at, p.row_hash
         FROM channel_permissions p LEFT JOIN channels c ON c.channel_id = p.channel_id ORDER BY p.channel_id, p.role, p.permission, p.first_seen_at, p.id`,
    ).map((r) => ({ ...r, allowed: r.allowed === null ? null : r.allowed === 1 }));
    const channels = [...new Set(archived.map((r) => r.chat_id))].filter((c): c is string => c !== null);
    expect(channels.length).toBeGreaterThan(1);
    const [mine, other] = channels;
    if (mine === undefined || other === undefined) throw new Error('no two channels with permissions and a conversation');

    // The whole archive: every row, exactly as archived.
    const whole = join(dir, 'whole');
    await createAuditBundle({ archivePath: path, outDir: whole, scope: { formats: ['jsonl', 'csv'] } });
    expect((await verifyBundle(whole)).problems).toEqual([]);
    expect(jsonl<PermissionLine>(join(whole, 'data', 'channel-permissions.jsonl'))).toEqual(archived);

    // One channel's conversation: its rows only, none of another channel's.
    const scoped = join(dir, 'scoped');
    await createAuditBundle({ archivePath: path, outDir: scoped, scope: { conversations: [mine], formats: ['jsonl', 'csv'] } });
    expect((await verifyBundle(scoped)).problems).toEqual([]);
    const lines = jsonl<PermissionLine>(join(scoped, 'data', 'channel-permissions.jsonl'));
    expect(lines).toEqual(archived.filter((r) => r.chat_id === mine));
    expect(lines.some((r) => r.chat_id === other)).toBe(false);
    // Readable in a spreadsheet too: allowed as true/false, the value as Cliq gave it, both times.
    const table = csv(join(scoped, 'data', 'channel-permissions.csv'));
    expect(table.rows).toHaveLength(lines.length);
    expect(table.rows.map((r) => [r.role, r.permission, r.allowed, r.value, Number(r.first_seen_at_utc_ms)])).toEqual(
      lines.map((r) => [r.role, r.permission, r.allowed === null ? '' : String(r.allowed), r.value, r.first_seen_at]),
    );
    // The manifest counts them.
    const manifest = JSON.parse(readFileSync(join(scoped, 'manifest.json'), 'utf8')) as { files: { path: string; rows: number }[] };
    expect(manifest.files.find((f) => f.path === 'data/channel-permissions.csv')?.rows).toBe(lines.length);

    // The data dictionary: a line with a meaning for every column of every CSV file of the bundle,
    // and for every JSONL-only column; nothing it names that no file has.
    const dictionary = csv(join(whole, 'data-dictionary.csv')).rows;
    expect(dictionary.every((d) => (d.meaning ?? '').trim().length > 0)).toBe(true);
    const documented = new Set(dictionary.map((d) => `${d.file ?? ''} ${d.column ?? ''}`));
    const files = readdirSync(join(whole, 'data'));
    const inFiles = new Set<string>();
    for (const file of files.filter((f) => f.endsWith('.csv'))) {
      for (const column of csv(join(whole, 'data', file)).fields) {
        inFiles.add(`${file} ${column}`);
        expect(documented.has(`${file} ${column}`), `${file} ${column}`).toBe(true);
      }
    }
    for (const file of files.filter((f) => f.endsWith('.jsonl'))) {
      const [first] = jsonl<Record<string, unknown>>(join(whole, 'data', file));
      if (first === undefined) continue;
      const csvFile = file.replace(/\.jsonl$/, '.csv');
      for (const column of Object.keys(first)) {
        const named = documented.has(`${csvFile} ${column}`) || documented.has(`${file} ${column}`) || documented.has(`${csvFile} ${column}_utc_ms`);
        expect(named, `${file} ${column}`).toBe(true);
      }
    }
    // Every documented column is in the files, but those of datasets only a production from a review set writes.
    const setOnly = datasets.filter((d) => d.onlyFromReviewSet === true).map((d) => `${d.name}.csv `);
    for (const entry of documented) if (entry.includes('.csv ') && !setOnly.some((p) => entry.startsWith(p))) expect(inFiles.has(entry), entry).toBe(true);
    for (const column of ['chat_id', 'channel_id', 'role', 'permission', 'allowed', 'value', 'first_seen_at', 'first_seen_at_utc_ms', 'gone_at', 'gone_at_utc_ms', 'row_hash']) {
      expect(documented.has(`channel-permissions.csv ${column}`), column).toBe(true);
    }
  });
});
