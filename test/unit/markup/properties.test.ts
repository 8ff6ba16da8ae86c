import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { messagePlainText, messageSegments, parseMarkup, toPlainText, type Segment } from '../../../shared/markup';
import { fixtureResolver } from './fixtures';

const resolver = fixtureResolver();

function* walk(segments: readonly Segment[]): Generator<Segment> {
  for (const segment of segments) {
    yield segment;
    if (segment.kind === 'bold' || segment.kind === 'italic' || segment.kind === 'strike' || segment.kind === 'quote') yield* walk(segment.children);
  }
}

// Pieces that build markup-heavy strings: every token shape, broken halves of them and hostile schemes.
const piece = fc.oneof(
  fc.string(),
  fc.constantFrom(
    '*',
    '_',
    '~',
    '`',
    '```',
    '> ',
    '\n',
    '\r\n',
    '[',
    ']',
    '(',
    ')',
    '{',
    '}',
    '{@',
    '{#',
    ':',
    'http://',
    'https://x.org/a',
    'javascript:alert(1)',
    '{@2224919568806253528}',
    '{@1895000000000000001}',
    '{@7100002}',
    '{@dana@example.org}',
    '[Dana](zohoid:2224919568806253528)',
    '{#O1647000000000000001}',
    '{@G99001}',
    '{@participants}',
    '[Go]($1)',
    '[Go](system.api|x/1)',
    '[x](javascript:alert)',
    '[x](data:text/html,hi)',
    '[x](mailto:a@b.c)',
    ':party:',
    ':zomoji_smile:',
    '<script>alert(1)</script>',
    'مرحبا',
    '\u202e',
  ),
);
const markupish = fc.array(piece, { maxLength: 30 }).map((parts) => parts.join(''));

describe('the markup parser, on any input', () => {
  it('never throws, on arbitrary and markup-heavy strings', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'grapheme', maxLength: 300 }), fc.string({ unit: 'binary', maxLength: 300 }), markupish), (text) => {
        const segments = parseMarkup(text, { resolver });
        expect(typeof toPlainText(segments)).toBe('string');
      }),
      { numRuns: 600 },
    );
  });

  it('answers plain texts on its fast path exactly as the full parse does', () => {
    // An empty hit range sends a text down the full parse without marking anything.
    const full = (text: string) => parseMarkup(text, { resolver, hits: [[-1, -1]] });
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 200 }), markupish), (text) => {
        expect(parseMarkup(text, { resolver })).toEqual(full(text));
      }),
      { numRuns: 1_000 },
    );
  });

  it("renders a whole text message's plain text on its fast path exactly as from its segments", () => {
    fc.assert(
      fc.property(fc.option(fc.oneof(fc.string({ maxLength: 200 }), markupish), { nil: null }), (text) => {
        const message = { type: 'text', subtype: null, text, fileName: null, fileSize: null, extraText: null };
        expect(messagePlainText(message, resolver)).toBe(toPlainText(messageSegments(message, resolver)));
      }),
      { numRuns: 1_000 },
    );
  });

  it('makes only http, https and mailto links', () => {
    fc.assert(
      fc.property(markupish, (text) => {
        for (const segment of walk(parseMarkup(text, { resolver }))) {
          if (segment.kind === 'link') expect(segment.url).toMatch(/^(https?:\/\/|mailto:)/i);
        }
      }),
      { numRuns: 2_000 },
    );
  });

  it('leaves no raw {@<id>} token of a known user in any text it shows', () => {
    fc.assert(
      fc.property(markupish, (text) => {
        for (const segment of walk(parseMarkup(text, { resolver }))) {
          const shown = segment.kind === 'text' ? segment.text : segment.kind === 'link' ? segment.label : '';
          expect(shown).not.toMatch(/\{@(2224919568806253528|1895000000000000001|7100002)\}/);
        }
      }),
      { numRuns: 2_000 },
    );
  });

  it('gives back text without markup characters unchanged', () => {
    const plainChar = fc.string({ unit: 'grapheme', maxLength: 200 }).map((s) => s.replace(/[*_~`>[\](){}:@#\r\n]|https?/g, ''));
    fc.assert(
      fc.property(plainChar, (text) => {
        expect(toPlainText(parseMarkup(text, { resolver }))).toBe(text);
      }),
      { numRuns: 2_000 },
    );
  });

  it('loses no character of text that holds no complete token', () => {
    // Markup characters alone, never closed: every one of them must still be shown.
    const broken = fc.array(fc.constantFrom('*', '_', '~', '[', '(', '{@', 'a', ' ', '](', '{#'), { maxLength: 40 }).map((p) => p.join(''));
    fc.assert(
      fc.property(broken, (text) => {
        const shown = toPlainText(parseMarkup(text, { resolver }));
        if (!/[*_~]/.test(text)) expect(shown).toBe(text);
        else expect(shown.replace(/[*_~]/g, '')).toBe(text.replace(/[*_~]/g, ''));
      }),
      { numRuns: 2_000 },
    );
  });

  it('finishes 10,000-character inputs built to backtrack within the test timeout', () => {
    const inputs = [
      '*a '.repeat(3_400),
      '['.repeat(10_000),
      '[a]('.repeat(2_500),
      '{@'.repeat(5_000),
      '_x'.repeat(5_000),
      ':a'.repeat(5_000),
      'https://'.repeat(1_250),
      '`'.repeat(10_000),
      '> *'.repeat(3_400),
      '*_~'.repeat(3_400),
    ];
    for (const text of inputs) {
      // Correctness on each, and an operation budget rather than a clock: the output is no bigger than the input.
      const shown = toPlainText(parseMarkup(text, { resolver }));
      expect(shown.length).toBeLessThanOrEqual(text.length);
    }
  });
});
