import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { openArchiveDb } from '../../../electron/core/archive/connection';
import { verifyArchive } from '../../../electron/core/archive/sealing/verify';
import { markHeld } from '../../../electron/core/holds/holdScope';
import { placeHold, releaseHold } from '../../../electron/core/holds/holdWrites';
import { applyRetention } from '../../../electron/core/retention';
import { buildArchive } from '../../helpers/archiveFixture';
import { useTempDir } from '../../helpers/tempDir';

const dayMs = 86_400_000;
const start = Date.UTC(2026, 0, 1, 9);
const now = start + 70 * dayMs;
const clock = { now: () => now };
const ann = { id: 'u1', email: 'ann@example.org', name: 'Ann Lee' };
const bo = { id: 'u2', email: 'bo@example.org', name: 'Bo Chan' };
const cy = { id: 'u3', email: 'cy@example.org', name: 'Cy Park' };
const users = [ann, bo, cy];
const chats = [
  { id: 'c1', kind: 'group' as const, title: 'Alpha' },
  { id: 'c2', kind: 'channel' as const, title: 'Beta' },
  { id: 'c3', kind: 'direct' as const, title: 'Gamma' },
];
const words = ['budget', 'merger', 'lunch', 'report', 'launch'];
const dateOf = (d: number) => new Date(start + d * dayMs).toISOString().slice(0, 10);

const message = fc.record({ chat: fc.constantFrom('c1', 'c2', 'c3'), sender: fc.integer({ min: 0, max: 2 }), day: fc.integer({ min: 0, max: 69 }), word: fc.constantFrom(...words) });
const hold = fc.record(
  {
    custodians: fc.subarray(['u1', 'bo@example.org', 'u3']),
    conversations: fc.subarray(['c1', 'Beta', 'c3']),
    from: fc.integer({ min: 0, max: 69 }),
    span: fc.integer({ min: 0, max: 69 }),
    dated: fc.boolean(),
    query: fc.option(fc.constantFrom(...words), { nil: undefined }),
    released: fc.boolean(),
  },
  { requiredKeys: ['custodians', 'conversations', 'from', 'span', 'dated', 'released'] },
);
const policy = fc.record({ keepDays: fc.integer({ min: 1, max: 70 }), kinds: fc.subarray(['group', 'channel', 'direct'] as const), conversations: fc.subarray(['c1', 'c2', 'c3']) });

const tempDir = useTempDir();

describe('holds override retention', () => {
  it('nothing in any active hold’s scope is ever purged, everything purged has its record, and the archive verifies', async () => {
    // The cases must purge and keep something because of a hold, or the property says nothing.
    const seen = { purged: 0, keptHeld: 0 };
    await fc.assert(
      fc.asyncProperty(fc.array(message, { minLength: 1, maxLength: 40 }), fc.array(hold, { maxLength: 3 }), policy, fc.integer({ min: 1, max: 7 }), async (messages, holds, rule, batchSize) => {
        const archive = buildArchive(tempDir(), {
          chats,
          users,
          members: [
            { chat: 'c1', userId: ann.id, email: ann.email, name: ann.name },
            { chat: 'c1', userId: bo.id, email: bo.email, name: bo.name },
            { chat: 'c2', userId: cy.id, email: cy.email, name: cy.name },
            { chat: 'c3', userId: bo.id, email: bo.email, name: bo.name },
          ],
          messages: messages.map((m, i) => ({ chat: m.chat, id: `m${i}`, time: start + m.day * dayMs + i, text: `${m.word} note ${i}`, sender: users[m.sender] ?? ann })),
        });
        const path = archive.path;
        archive.close();
        holds.forEach((h, i) => {
          const spec = {
            name: `hold ${i}`,
            custodians: h.custodians,
            conversations: h.conversations,
            ...(h.dated ? { from: dateOf(h.from), to: dateOf(Math.min(69, h.from + h.span)) } : {}),
            ...(h.query !== undefined ? { query: h.query } : {}),
          };
          const empty = spec.custodians.length === 0 && spec.conversations.length === 0 && !h.dated && h.query === undefined;
          if (empty) return;
          placeHold(path, spec, { clock });
          if (h.released) releaseHold(path, { name: spec.name, reason: 'closed' }, { clock });
        });
        const before = openArchiveDb(path, { readonly: true });
        let held: string[];
        let all: string[];
        try {
          markHeld(before);
          held = before.prepare('SELECT m.message_id FROM temp.held_messages h JOIN messages m ON m.id = h.key').pluck().all() as string[];
          all = before.prepare('SELECT message_id FROM messages').pluck().all() as string[];
        } finally {
          before.close();
        }
        const result = await applyRetention(path, { keepDays: rule.keepDays, kinds: [...rule.kinds], conversations: rule.conversations }, { clock, batchSize });
        const after = openArchiveDb(path, { readonly: true });
        try {
          const kept = new Set(after.prepare('SELECT message_id FROM messages').pluck().all() as string[]);
          const purged = new Set(after.prepare('SELECT message_id FROM purged_messages').pluck().all() as string[]);
          for (const id of held) expect(kept.has(id), `held ${id} was purged`).toBe(true);
          for (const id of all) expect(kept.has(id) !== purged.has(id), `${id} is either kept or purged with a record`).toBe(true);
          expect(purged.size).toBe(result.purge);
          seen.purged += result.purge;
          seen.keptHeld += result.keptHeld;
          expect(verifyArchive(after).problems).toEqual([]);
        } finally {
          after.close();
        }
      }),
      { numRuns: 25, seed: 1414 },
    );
    expect(seen.purged).toBeGreaterThan(0);
    expect(seen.keptHeld).toBeGreaterThan(0);
  });
});
