import { execFile } from 'node:child_process';
import { accessSync, constants, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import Papa from 'papaparse';
import { beforeAll, describe, expect, it } from 'vitest';
import { createAuditBundle } from '../../electron/core/audit/bundle';
import { buildArchive, type FixtureMessage } from '../helpers/archiveFixture';
import { useTempDir } from '../helpers/tempDir';

/**
 * The audit CSV opened by a real spreadsheet: LibreOffice Calc (headless) imports messages.csv as a
 * user's double-click would — numbers recognised, formulas evaluated — and saves what it shows.
 *
 * - `--ids excel` (the default): 19-digit Cliq ids come back with every digit (the `="…"` wrapper
 *   evaluates to text); `--ids plain`, the control, shows what Calc does to an unprotected one.
 * - Text cells that start like a formula are shown as text, never evaluated; the control: an
 *   unprotected `=1+1` becomes 2, so evaluation really was on.
 *
 * Needs soffice (Debian: libreoffice-calc-nogui). Without it the test fails and says so: a
 * spreadsheet check that quietly skips would prove nothing.
 */

const run = promisify(execFile);
const installHint = 'apt-get install -y --no-install-recommends libreoffice-calc-nogui';

function findSoffice(): string | null {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, 'soffice');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this folder
    }
  }
  return null;
}

const ids = { chat: '1901318000001615007', sender: '1234567890123456789', leadingZeros: '0012345678901234567' };
const hostile = ["=cmd|' /C calc'!A0", '+1+2', '-3', '@SUM(A1:A2)', '=HYPERLINK("http://evil.example","x")', 'say "hi", then', '😀 مرحبا', 'plain text'];

describe('the audit CSV in a real spreadsheet (LibreOffice Calc)', () => {
  const tempDir = useTempDir('cliq-vault-calc-');
  let soffice: string;

  beforeAll(() => {
    const found = findSoffice();
    if (found === null) throw new Error(`soffice (LibreOffice) is not installed; this test needs it. Install it with: ${installHint}`);
    soffice = found;
  });

  /** Opens `csv` in Calc (UTF-8, comma, formulas evaluated) and saves it as shown; returns the rows. */
  async function throughCalc(csv: string): Promise<Record<string, string>[]> {
    const dir = tempDir();
    const out = join(dir, 'out');
    mkdirSync(out);
    // 44 = comma, 34 = quote, 76 = UTF-8, from line 1; token 13 (true): evaluate formulas on import.
    const importOptions = 'CSV:44,34,76,1,,0,false,true,false,false,false,false,true';
    // Export: token 9 (true) saves cell content as shown.
    const exportOptions = 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false';
    await run(soffice, [`-env:UserInstallation=file://${join(dir, 'profile')}`, '--headless', `--infilter=${importOptions}`, '--convert-to', exportOptions, '--outdir', out, csv], {
      timeout: 120_000,
    });
    const text = readFileSync(join(out, csv.split('/').at(-1) ?? ''), 'utf8');
    const parsed = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true });
    expect(parsed.errors).toEqual([]);
    return parsed.data;
  }

  async function bundleCsv(mode: 'excel' | 'plain'): Promise<string> {
    const dir = tempDir();
    const messages: FixtureMessage[] = hostile.map((text, i) => ({
      chat: ids.chat,
      id: `m${i}`,
      time: Date.UTC(2026, 0, 1, 0, 0, i),
      text,
      sender: { id: i % 2 === 0 ? ids.sender : ids.leadingZeros, name: 'Dana' },
    }));
    const fixture = buildArchive(dir, { chats: [{ id: ids.chat, kind: 'group', title: '=1+1' }], messages });
    const path = fixture.path;
    fixture.close();
    const out = join(dir, 'bundle');
    await createAuditBundle({ archivePath: path, outDir: out, scope: { ids: mode, formats: ['csv'] } });
    return join(out, 'data', 'messages.csv');
  }

  it('keeps every digit of 19-digit ids (leading zeros too) and evaluates no text cell', async () => {
    const rows = await throughCalc(await bundleCsv('excel'));
    expect(rows).toHaveLength(hostile.length);
    expect(rows.map((r) => r.chat_id)).toEqual(hostile.map(() => ids.chat));
    expect(rows.map((r) => r.sender_id)).toEqual(hostile.map((_, i) => (i % 2 === 0 ? ids.sender : ids.leadingZeros)));
    // Neutralised cells show as the text they are (with the apostrophe), never as a computed value.
    expect(rows.map((r) => r.text)).toEqual(hostile.map((t) => (/^[=+\-@\t\r\n]/.test(t) ? `'${t}` : t)));
    expect(rows[0]?.conversation_title).toBe("'=1+1");
  });

  it('controls: an unprotected id loses digits, an unprotected formula is evaluated', async () => {
    const plain = await throughCalc(await bundleCsv('plain'));
    expect(plain[0]?.chat_id).not.toBe(ids.chat);
    expect(plain[0]?.chat_id).toMatch(/E\+0?18$|^1901318000001615000$/);
    const raw = join(tempDir(), 'raw.csv');
    writeFileSync(raw, 'a,b\r\n=1+1,1901318000001615007\r\n');
    const [row] = await throughCalc(raw);
    expect(row?.a).toBe('2');
    expect(row?.b).not.toBe('1901318000001615007');
  });
});
