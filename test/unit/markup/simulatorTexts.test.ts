import { describe, expect, it } from 'vitest';
import { messageText } from '../../../electron/simulator/org/content';
import { generateOrg } from '../../../electron/simulator/org/generate';
import { defaultNow } from '../../../electron/simulator/options';
import { parseMarkup, toPlainText, type MentionResolver, type Segment } from '../../../shared/markup';

function* walk(segments: readonly Segment[]): Generator<Segment> {
  for (const segment of segments) {
    yield segment;
    if (segment.kind === 'bold' || segment.kind === 'italic' || segment.kind === 'strike' || segment.kind === 'quote') yield* walk(segment.children);
  }
}

describe("the simulator's generated texts", () => {
  const org = generateOrg({ seed: 7, scale: 'small', now: defaultNow });
  const users = new Map(org.users.map((u) => [u.id, u]));
  const channels = new Map(org.conversations.filter((c) => c.channel !== null).map((c) => [c.channel?.restId ?? '', c.title]));
  const resolver: MentionResolver = {
    user: (id) => {
      const user = users.get(id);
      return user ? { name: user.fullName, email: user.email } : null;
    },
    userByEmail: () => null,
    channel: (id) => channels.get(id) ?? null,
    team: () => null,
  };
  const texts = Array.from({ length: 3_000 }, (_, seed) => messageText(org, seed, seed % 3 === 0 ? 1 : 0));

  it('render every shape they use, each mention to a name', () => {
    const kinds = new Set<string>();
    for (const text of texts) {
      const segments = parseMarkup(text, { resolver });
      for (const segment of walk(segments)) {
        kinds.add(segment.kind === 'mention' ? `mention:${segment.target}:${segment.silent ? 'silent' : 'loud'}` : segment.kind);
        if (segment.kind === 'mention') expect(segment.resolved).toBe(true);
        if (segment.kind === 'link') expect(segment.url).toMatch(/^https:\/\/docs\.example\.org\/d\/[0-9a-f]{8}$/);
      }
      const shown = toPlainText(segments);
      expect(shown).not.toMatch(/\{@\d+\}|\{#[^}]+\}|\(zohoid:/);
      for (const match of text.matchAll(/\{@(\d+)\}/g)) expect(shown).toContain(`@${users.get(match[1] ?? '')?.fullName ?? '?'}`);
      for (const match of text.matchAll(/\{#([^}]+)\}/g)) expect(shown).toContain(`#${channels.get(match[1] ?? '') ?? '?'}`);
    }
    for (const kind of [
      'bold',
      'link',
      'emoji',
      'code',
      'codeBlock',
      'break',
      'mention:user:loud',
      'mention:user:silent',
      'mention:channel:loud',
      'mention:participants:loud',
      'mention:available:loud',
    ]) {
      expect(kinds).toContain(kind);
    }
  });

  it('keep hostile and foreign texts as the characters they are', () => {
    for (const text of ['<b>not html</b>', "=cmd|' /C calc'!A0", 'مرحبا بالجميع، الاجتماع في الساعة الثالثة', '@here is not a Cliq mention']) {
      expect(texts).toContain(text);
      expect(parseMarkup(text, { resolver })).toEqual([{ kind: 'text', text }]);
    }
  });
});
