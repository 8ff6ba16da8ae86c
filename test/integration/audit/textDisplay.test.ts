import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { createAuditBundle } from '../../../electron/core/audit/bundle';
import { buildArchive, type FixtureMessage } from '../../helpers/archiveFixture';
import { useTempDir } from '../../helpers/tempDir';

function readCsv(path: string): Record<string, string>[] {
  const parsed = Papa.parse<Record<string, string>>(readFileSync(path, 'utf8').slice(1), { header: true, newline: '\r\n', skipEmptyLines: true });
  expect(parsed.errors).toEqual([]);
  return parsed.data;
}

const chat = '1901318000001615007';
const at = (s: number) => Date.UTC(2026, 0, 1, 0, 0, s);
const messages: FixtureMessage[] = [
  { chat, id: 'm1', time: at(1), text: 'ask {@2224919568806253528} about *budget* :party:' },
  { chat, id: 'm2', time: at(2), text: '{@2224919568806253528} see [the doc](https://docs.example.org/d/1) and [x](javascript:alert(1))' },
  { chat, id: 'm3', time: at(3), text: "=cmd|' /C calc'!A0" },
  {
    chat,
    id: 'm4',
    time: at(4),
    type: 'file',
    content: { file: { id: 'f1', name: 'scan-0042.pdf', type: 'application/pdf', dimensions: { size: 204_800 } }, comment: 'signed by [P](zohoid:7100012)' },
  },
  {
    chat,
    id: 'm5',
    time: at(5),
    type: 'info',
    content: { type: 'call_notification', data: { status: 'completed', callee: { name: 'Kofi', id: '7100013' }, duration: '00:04:12', call_type: 'audio' } },
  },
  { chat, id: 'm6', time: at(6), type: 'card', content: { text: 'all green', card: { title: 'Deployment report', theme: 'modern-inline' } } },
  { chat, id: 'm7', time: at(7), text: '{@404} was here' },
];

describe("the messages CSV's text_display", () => {
  const tempDir = useTempDir();

  it('renders each message readably beside the verbatim text; the JSONL stays verbatim; the dictionary explains it', async () => {
    const fixture = buildArchive(tempDir(), {
      chats: [{ id: chat, kind: 'group', title: 'Finance' }],
      users: [
        { id: '2224919568806253528', email: 'dana@example.org', name: 'Dana Ruiz' },
        { id: '7100011', email: 'priya.s@example.org', name: 'Priya' },
        { id: '7100012', email: 'priya.k@example.org', name: 'Priya' },
        { id: '7100013', email: 'kofi@example.org', name: 'Kofi Mensah' },
      ],
      messages,
    });
    const path = fixture.path;
    fixture.close();
    const out = join(tempDir(), 'bundle');
    await createAuditBundle({ archivePath: path, outDir: out, scope: {} });

    const rows = readCsv(join(out, 'data', 'messages.csv'));
    const header = Object.keys(rows[0] ?? {});
    expect(header.indexOf('text_display')).toBe(header.indexOf('text') + 1);
    expect(rows.map((r) => r.text_display)).toEqual([
      'ask @Dana Ruiz about budget 🥳',
      // A cell starting with @ is neutralised like any other formula start.
      "'@Dana Ruiz see the doc <https://docs.example.org/d/1> and [x](javascript:alert(1))",
      "'=cmd|' /C calc'!A0",
      'shared file scan-0042.pdf (200 KB)\nsigned by @Priya (priya.k@example.org)',
      'audio call, completed, 00:04:12, with Kofi Mensah',
      'Deployment report\nall green',
      "'@unknown user 404 was here",
    ]);
    expect(rows[0]?.text).toBe('ask {@2224919568806253528} about *budget* :party:');

    const jsonl = readFileSync(join(out, 'data', 'messages.jsonl'), 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(jsonl.every((r) => !('text_display' in r))).toBe(true);
    expect(jsonl[0]?.text).toBe('ask {@2224919568806253528} about *budget* :party:');

    const dictionary = readFileSync(join(out, 'data-dictionary.csv'), 'utf8');
    expect(dictionary).toMatch(/messages\.csv,text_display,"text \(derived, CSV only\)","The message as a person reads it/);
    expect(dictionary).not.toMatch(/messages\.jsonl,text_display/);
  });
});
