import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { terminalSafe } from '../../../electron/core/util/terminalText';
import { buildArchive } from '../../helpers/archiveFixture';
import { attr, hasClass, parseTranscript, textOf, type Element } from '../../helpers/html';
import { runInProcess } from '../../helpers/inProcessCli';
import { useTempDir } from '../../helpers/tempDir';

const at = (h: number, m = 0) => Date.UTC(2026, 2, 2, h, m);

function archive(dir: string): string {
  const fixture = buildArchive(dir, {
    chats: [
      { id: 'CT_100', kind: 'channel', title: '#incidents' },
      { id: 'CT_200', kind: 'group', title: 'Finance' },
      { id: 'CT_201', kind: 'group', title: 'finance' },
      { id: 'CT_300', kind: 'group', title: 'Quarterly planning' },
      { id: 'CT_400', kind: 'direct', title: 'Evil \u001b]0;pwned\u0007 chat' },
    ],
    users: [
      { id: '2224919568806253528', email: 'dana@example.org', name: 'Dana Ruiz' },
      { id: '7100013', email: 'kofi@example.org', name: 'Kofi Mensah' },
    ],
    messages: [
      { chat: 'CT_100', id: 'a1', time: at(9), text: 'paging {@2224919568806253528}: *db* is down', sender: { id: '7100013', name: 'kofi' } },
      { chat: 'CT_100', id: 'a2', time: at(9, 5), text: 'line one\nline two\nline three', sender: { id: '2224919568806253528', name: 'dana' } },
      { chat: 'CT_100', id: 'a3', time: at(9, 10), text: 'fixed, see [runbook](https://wiki.example.org/rb)', sender: { id: '7100013', name: 'kofi' } },
      { chat: 'CT_400', id: 'e1', time: at(10), text: 'hi \u001b[2J\u001b[31mred\u009b0m \u202Egnp.exe\u202C done\tok\r' },
    ],
  });
  const path = fixture.path;
  fixture.close();
  return path;
}

describe('transcript --format and --chat by title, from the command line', () => {
  const tempDir = useTempDir();

  it('text: mentions as names, continuation lines indented under the message, the --around hit marked', async () => {
    const path = archive(tempDir());
    const page = await runInProcess(['transcript', '--archive', path, '--chat', 'incidents']);
    expect(page.code, page.stderr).toBe(0);
    const lines = page.stdout.split('\n');
    expect(lines[0]).toBe('#incidents (channel) · times in UTC');
    expect(page.stdout).toContain('  2026-03-02 09:00:00  Kofi Mensah: paging @Dana Ruiz: db is down');
    expect(page.stdout).not.toContain('{@');
    const at2 = lines.findIndex((l) => l.includes('Dana Ruiz: line one'));
    expect(lines.slice(at2 + 1, at2 + 3)).toEqual([`${' '.repeat(23)}line two`, `${' '.repeat(23)}line three`]);
    expect(lines.every((l) => l === '' || l.startsWith(' ') || l.startsWith('#') || l.startsWith('>'))).toBe(true);
    expect(page.stdout).toContain('fixed, see runbook <https://wiki.example.org/rb>');

    const json = await runInProcess(['transcript', '--archive', path, '--chat', 'CT_100', '--json']);
    const key = (JSON.parse(json.stdout) as { messages: { key: number; messageId: string }[] }).messages.find((m) => m.messageId === 'a2')?.key;
    const around = await runInProcess(['transcript', '--archive', path, '--around', String(key), '--tz', 'Europe/Berlin']);
    expect(around.code, around.stderr).toBe(0);
    const marked = around.stdout.split('\n').filter((l) => l.startsWith('>'));
    expect(marked).toEqual(['> 2026-03-02 10:05:00  Dana Ruiz: line one']);
    expect(around.stdout.split('\n')[0]).toContain('times in Europe/Berlin');
  });

  it('--chat takes an exact title in any case; an unknown or ambiguous one is a usage error listing close titles with ids', async () => {
    const path = archive(tempDir());
    expect((await runInProcess(['transcript', '--archive', path, '--chat', 'QUARTERLY PLANNING'])).code).toBe(0);
    expect((await runInProcess(['transcript', '--archive', path, '--chat', '#incidents'])).stdout).toContain('Kofi Mensah');

    const ambiguous = await runInProcess(['transcript', '--archive', path, '--chat', 'finance']);
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stderr).toContain('2 conversations are titled "finance"');
    expect(ambiguous.stderr).toContain('CT_200  Finance');
    expect(ambiguous.stderr).toContain('CT_201  finance');

    const unknown = await runInProcess(['transcript', '--archive', path, '--chat', 'quartrly planing']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no conversation with the id or title "quartrly planing"');
    expect(unknown.stderr).toContain('CT_300  Quarterly planning');
    const partial = await runInProcess(['transcript', '--archive', path, '--chat', 'fin']);
    expect(partial.stderr).toMatch(/CT_200 {2}Finance[\s\S]*CT_201 {2}finance/);
  });

  it('strips terminal control characters and shows bidi overrides escaped, in text and titles', async () => {
    expect(terminalSafe('a\u001b[31mb\u0007c\u009bd\te\nf\u202Eg\u2066h')).toBe('a[31mbcd\te\nf<U+202E>g<U+2066>h');
    const path = archive(tempDir());
    const out = await runInProcess(['transcript', '--archive', path, '--chat', 'CT_400']);
    expect(out.code, out.stderr).toBe(0);
    // eslint-disable-next-line no-control-regex
    expect(out.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    expect(out.stdout).toContain('Evil ]0;pwned chat (direct)');
    expect(out.stdout).toContain('hi [2J[31mred0m <U+202E>gnp.exe<U+202C> done\tok');
  });

  it('--format html writes the same document as a bundle transcript, to stdout or to a new --out file (never over one)', async () => {
    const dir = tempDir();
    const path = archive(dir);
    const out = join(dir, 'incidents.html');
    const written = await runInProcess(['transcript', '--archive', path, '--chat', 'incidents', '--format', 'html', '--out', out, '--tz', 'Asia/Kolkata']);
    expect(written.code, written.stderr).toBe(0);
    expect(written.stderr).toContain('3 message(s) of #incidents');
    const html = readFileSync(out, 'utf8');
    const doc = parseTranscript(html);
    const articles = doc.find((e) => e.tagName === 'article');
    expect(articles.map((a) => attr(a, 'data-message-id'))).toEqual(['a1', 'a2', 'a3']);
    expect(articles.every((a) => /^[0-9a-f]{64}$/.test(attr(a, 'data-row-hash') ?? ''))).toBe(true);
    const first = doc.find((e) => hasClass(e, 'body'))[0] as Element;
    expect(textOf(first)).toBe('paging @Dana Ruiz: db is down');
    expect(html).toContain('14:30:00 UTC+05:30');

    const printed = await runInProcess(['transcript', '--archive', path, '--chat', 'CT_100', '--format', 'html', '--tz', 'Asia/Kolkata']);
    expect(printed.stdout).toBe(html);

    writeFileSync(join(dir, 'taken.html'), 'mine');
    const refused = await runInProcess(['transcript', '--archive', path, '--chat', 'CT_100', '--format', 'html', '--out', join(dir, 'taken.html')]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('already exists');
    expect(readFileSync(join(dir, 'taken.html'), 'utf8')).toBe('mine');

    const text = join(dir, 'page.txt');
    expect((await runInProcess(['transcript', '--archive', path, '--chat', 'CT_100', '--out', text])).code).toBe(0);
    expect(readFileSync(text, 'utf8')).toContain('Kofi Mensah: paging @Dana Ruiz');
    const bad = await runInProcess(['transcript', '--archive', path, '--chat', 'CT_100', '--format', 'pdf']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('must be text or html');
    expect(existsSync(join(dir, 'page.pdf'))).toBe(false);
  });

  it('audit names the transcripts it wrote, and --no-transcripts leaves them out', async () => {
    const dir = tempDir();
    const path = archive(dir);
    const withThem = await runInProcess(['audit', '--archive', path, '--out', join(dir, 'with')]);
    expect(withThem.code, withThem.stderr).toBe(0);
    expect(withThem.stdout).toMatch(/5 readable transcripts \([\d.]+ [KM]?B\): open transcripts\/index\.html in a browser/);
    expect(existsSync(join(dir, 'with', 'transcripts', 'CT_100.html'))).toBe(true);
    const without = await runInProcess(['audit', '--archive', path, '--out', join(dir, 'without'), '--no-transcripts', '--json']);
    expect(without.code, without.stderr).toBe(0);
    expect(JSON.parse(without.stdout.trim().split('\n').at(-1) ?? '{}')).not.toHaveProperty('transcripts');
    expect(existsSync(join(dir, 'without', 'transcripts'))).toBe(false);
  });
});
