import { describe, expect, it } from 'vitest';
import { parseMarkup, toPlainText, type Segment } from '../../../shared/markup';
import { fixtureResolver } from './fixtures';

const resolver = fixtureResolver();
const parse = (text: string) => parseMarkup(text, { resolver });
const plain = (text: string) => toPlainText(parse(text));

describe('mention tokens of docs/cliq-api.md §8.3', () => {
  it('resolves {@<user id>} to the display name, keeping the id and e-mail', () => {
    expect(parse('{@2224919568806253528} please check')).toEqual([
      { kind: 'mention', target: 'user', id: '2224919568806253528', name: 'Dana Ruiz', resolved: true, silent: false, email: 'dana@example.org' },
      { kind: 'text', text: ' please check' },
    ]);
    expect(plain('{@2224919568806253528} please check')).toBe('@Dana Ruiz please check');
  });

  it('resolves {@<e-mail>} case-insensitively, and shows an unknown e-mail as itself', () => {
    expect(plain('hi {@Dana@Example.org}')).toBe('hi @Dana Ruiz');
    expect(parse('{@ghost@example.org}')).toEqual([
      { kind: 'mention', target: 'user', id: 'ghost@example.org', name: 'ghost@example.org', resolved: false, silent: false, email: 'ghost@example.org' },
    ]);
  });

  it('resolves a silent [Name](zohoid:<id>) mention by id, falling back to its label', () => {
    expect(parse('[T. J.](zohoid:1895000000000000001) ok')[0]).toEqual({
      kind: 'mention',
      target: 'user',
      id: '1895000000000000001',
      name: 'Tomasz Johansson',
      resolved: true,
      silent: true,
      email: 'tomasz@example.org',
    });
    expect(plain('[Old Name](zohoid:42) ok')).toBe('@Old Name ok');
    expect(parse('[Old Name](zohoid:42)')[0]).toMatchObject({ resolved: false, id: '42', silent: true });
  });

  it('resolves channels, teams, participants and available', () => {
    expect(plain('See {#O1647000000000000001}: now')).toBe('See #incidents: now');
    expect(plain('{@G99001} and {@participants} and {@available}')).toBe('@Legal and @participants and @available');
    expect(parse('{@G99001}')[0]).toMatchObject({ target: 'team', id: '99001', resolved: true });
  });

  it('shows an unresolved mention readably, still typed as a mention with its id', () => {
    expect(parse('{@2224919568806253999}')).toEqual([
      { kind: 'mention', target: 'user', id: '2224919568806253999', name: 'unknown user 2224919568806253999', resolved: false, silent: false, email: null },
    ]);
    expect(plain('{#O9}')).toBe('#unknown channel O9');
    expect(plain('{@G7}')).toBe('@unknown team 7');
  });

  it('shows instant and system-action buttons as labels that never act', () => {
    expect(parse('[Approve]($1)')).toEqual([{ kind: 'button', label: 'Approve' }]);
    expect(parse('[Invite](system.api|invite/2224919568806253528)')).toEqual([{ kind: 'button', label: 'Invite' }]);
    expect(plain('Press [Approve]($1)')).toBe('Press [Approve]');
  });

  it('leaves brace text that is no token as text', () => {
    expect(parse('{@} {@ x} {#} {@not an id!}')).toEqual([{ kind: 'text', text: '{@} {@ x} {#} {@not an id!}' }]);
  });
});

describe('formatting', () => {
  it('reads bold, italics, strikethrough and inline code', () => {
    expect(parse('*budget* _soon_ ~old~ `run()`')).toEqual([
      { kind: 'bold', children: [{ kind: 'text', text: 'budget' }] },
      { kind: 'text', text: ' ' },
      { kind: 'italic', children: [{ kind: 'text', text: 'soon' }] },
      { kind: 'text', text: ' ' },
      { kind: 'strike', children: [{ kind: 'text', text: 'old' }] },
      { kind: 'text', text: ' ' },
      { kind: 'code', text: 'run()' },
    ]);
    expect(plain('*budget* _soon_ ~old~ `run()`')).toBe('budget soon old run()');
  });

  it('nests formatting and keeps mentions inside it', () => {
    expect(parse('*see _{@7100002}_*')).toEqual([
      {
        kind: 'bold',
        children: [
          { kind: 'text', text: 'see ' },
          { kind: 'italic', children: [{ kind: 'mention', target: 'user', id: '7100002', name: 'Kofi Mensah', resolved: true, silent: false, email: 'kofi@example.org' }] },
        ],
      },
    ]);
  });

  it('leaves snake_case, arithmetic, lone and spaced markers as text', () => {
    for (const text of ['snake_case_name', '2*3*4', 'a * b * c', '* not bold*', '*open', '_x', '~', '``', '`unclosed']) {
      expect(parse(text)).toEqual([{ kind: 'text', text }]);
    }
  });

  it('reads code blocks verbatim, markup inside them included', () => {
    const text = '`budget()` returns\n```\nbudget = *42* {@7100002}\n```';
    expect(parse(text)).toEqual([{ kind: 'code', text: 'budget()' }, { kind: 'text', text: ' returns' }, { kind: 'break' }, { kind: 'codeBlock', text: 'budget = *42* {@7100002}' }]);
    expect(parse('```a``` and ```b')).toEqual([
      { kind: 'codeBlock', text: 'a' },
      { kind: 'text', text: ' and ```b' },
    ]);
  });

  it('groups adjacent "> " lines into one quote', () => {
    expect(parse('> first\n> *second*\nafter')).toEqual([
      { kind: 'quote', children: [{ kind: 'text', text: 'first' }, { kind: 'break' }, { kind: 'bold', children: [{ kind: 'text', text: 'second' }] }] },
      { kind: 'break' },
      { kind: 'text', text: 'after' },
    ]);
    expect(plain('> first\n> second\nafter')).toBe('> first\n> second\nafter');
    expect(parse('>not a quote')).toEqual([{ kind: 'text', text: '>not a quote' }]);
  });

  it('treats \\n, \\r\\n and \\r each as one line break', () => {
    expect(parse('a\r\nb\rc\nd').filter((s) => s.kind === 'break')).toHaveLength(3);
    expect(plain('first line\r\nsecond line')).toBe('first line\nsecond line');
  });
});

describe('links', () => {
  it('makes http, https and mailto links', () => {
    expect(parse('[the doc](https://docs.example.org/d/1a2b)')).toEqual([{ kind: 'link', label: 'the doc', url: 'https://docs.example.org/d/1a2b', bare: false }]);
    expect(parse('[mail](mailto:dana@example.org)')[0]).toMatchObject({ kind: 'link', url: 'mailto:dana@example.org' });
    expect(plain('Read [the doc](https://docs.example.org/d/1a2b).')).toBe('Read the doc <https://docs.example.org/d/1a2b>.');
  });

  it('shows javascript:, data:, relative and other targets as the text they are', () => {
    for (const text of ['[x](javascript:alert(1))', '[x](javascript:void)', '[x](data:text/html;base64,PHNjcmlwdD4=)', '[x](/relative/path)', '[x](ftp://host/file)', '[x](JaVaScRiPt:alert)']) {
      const segments = parse(text);
      expect(segments.some((s) => s.kind === 'link')).toBe(false);
      expect(toPlainText(segments)).toBe(text);
    }
  });

  it('links bare http(s) URLs, leaving sentence punctuation out', () => {
    expect(parse('see https://example.org/a_b?x=1, then (https://example.org/wiki/X_(y)).')).toEqual([
      { kind: 'text', text: 'see ' },
      { kind: 'link', label: 'https://example.org/a_b?x=1', url: 'https://example.org/a_b?x=1', bare: true },
      { kind: 'text', text: ', then (' },
      { kind: 'link', label: 'https://example.org/wiki/X_(y)', url: 'https://example.org/wiki/X_(y)', bare: true },
      { kind: 'text', text: ').' },
    ]);
    expect(parse('xhttps://example.org')).toEqual([{ kind: 'text', text: 'xhttps://example.org' }]);
  });
});

describe('emoji shortcodes', () => {
  it('gives known codes their glyph and keeps unknown ones as the code', () => {
    const segments = parse('Done :party: :wink: :smile: :thumbsup: :relaxed: :fire: :zomoji_smile:');
    const emoji = segments.filter((s): s is Extract<Segment, { kind: 'emoji' }> => s.kind === 'emoji');
    expect(emoji.map((e) => [e.code, e.glyph !== null])).toEqual([
      ['party', true],
      ['wink', true],
      ['smile', true],
      ['thumbsup', true],
      ['relaxed', true],
      ['fire', true],
      ['zomoji_smile', false],
    ]);
    expect(toPlainText(segments)).toBe('Done 🥳 😉 😄 👍 ☺️ 🔥 :zomoji_smile:');
  });

  it('leaves times alone and finds no glyph in the prototype', () => {
    expect(parse('Lunch at 12:30:45?')).toEqual([{ kind: 'text', text: 'Lunch at 12:30:45?' }]);
    expect(parse(':tostring: :constructor:').filter((s) => s.kind === 'emoji')).toEqual([
      { kind: 'emoji', code: 'tostring', glyph: null },
      { kind: 'emoji', code: 'constructor', glyph: null },
    ]);
  });
});

describe('hostile and foreign text', () => {
  it('keeps HTML, formulas, paths and RTL text as text', () => {
    for (const text of [
      '<b>not html</b>',
      "=cmd|' /C calc'!A0",
      '../../etc/passwd',
      '@here is not a Cliq mention',
      'tab\there',
      'back\\slash',
      'مرحبا بالجميع، الاجتماع في الساعة الثالثة',
      'שלום לכולם',
      '会議は3時からです',
    ]) {
      expect(parse(text)).toEqual([{ kind: 'text', text }]);
    }
  });

  it('lays search hits over text and tokens', () => {
    const text = 'ask {@2224919568806253528} about budget';
    const at = text.indexOf('budget');
    expect(parseMarkup(text, { resolver, hits: [[at, at + 6]] })).toEqual([
      { kind: 'text', text: 'ask ' },
      { kind: 'mention', target: 'user', id: '2224919568806253528', name: 'Dana Ruiz', resolved: true, silent: false, email: 'dana@example.org' },
      { kind: 'text', text: ' about ' },
      { kind: 'text', text: 'budget', hit: true },
    ]);
    const id = text.indexOf('2224');
    expect(parseMarkup(text, { resolver, hits: [[id, id + 19]] })[1]).toMatchObject({ kind: 'mention', hit: true });
  });
});
