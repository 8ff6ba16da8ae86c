import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { auditScopeSchema } from '../../../shared/audit';
import { auditScopeOf, emptyReviewFilters, filtersFromParams, filtersNarrow, filtersToParams, searchQueryOf, type ReviewFilters } from '../../../shared/reviewFilters';
import { conversationKinds, searchQuerySchema } from '../../../shared/search';

const text = fc.string({ maxLength: 30 });
const ids = fc.uniqueArray(fc.string({ minLength: 1, maxLength: 20 }), { maxLength: 4 });
const day = fc.oneof(
  fc.constant(''),
  fc.date({ min: new Date('2000-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
);
const filters: fc.Arbitrary<ReviewFilters> = fc.record({
  text,
  mode: fc.constantFrom('simple' as const, 'advanced' as const),
  conversations: ids,
  kinds: fc.uniqueArray(fc.constantFrom(...conversationKinds)),
  participants: ids,
  senders: ids,
  departments: ids,
  designations: ids,
  teams: ids,
  roles: ids,
  from: day,
  to: day,
  types: ids,
  hasFile: fc.constantFrom('any' as const, 'yes' as const, 'no' as const),
  deleted: fc.constantFrom('include' as const, 'exclude' as const, 'only' as const),
  edited: fc.constantFrom('any' as const, 'yes' as const, 'no' as const),
  includeVersions: fc.boolean(),
});

describe('review filters', () => {
  it('round-trip through a URL query string exactly, any text and ids included (property)', () => {
    fc.assert(
      fc.property(filters, (f) => {
        const query = new URLSearchParams(filtersToParams(f)).toString();
        expect(filtersFromParams(new URLSearchParams(query))).toEqual(f);
      }),
      { numRuns: 500 },
    );
  });

  it('write nothing for an empty review, keep `q` for the text, and ignore what a hand-edited link gets wrong', () => {
    expect(filtersToParams(emptyReviewFilters)).toEqual([]);
    expect(filtersToParams({ ...emptyReviewFilters, text: 'budget' })).toEqual([['q', 'budget']]);
    expect(filtersFromParams(new URLSearchParams('q=x&kind=chanel&kind=thread&deleted=maybe&files=yes&edited=1&versions=true&chat=&chat=a&chat=a'))).toEqual({
      ...emptyReviewFilters,
      text: 'x',
      kinds: ['thread'],
      hasFile: 'yes',
      conversations: ['a'],
    });
  });

  it('map to a search and an audit scope with the same filters, both valid for their schemas', () => {
    const f: ReviewFilters = {
      ...emptyReviewFilters,
      text: 'budget',
      conversations: ['CT_1'],
      kinds: ['channel', 'thread'],
      participants: ['dana@acme.test'],
      senders: ['7100001'],
      teams: ['T1'],
      from: '2026-01-01',
      to: '2026-03-31',
      types: ['text'],
      hasFile: 'no',
      edited: 'yes',
      deleted: 'exclude',
      includeVersions: true,
    };
    const search = searchQuerySchema.parse(searchQueryOf(f, 'Europe/Berlin'));
    const scope = auditScopeSchema.parse(auditScopeOf(f, 'Europe/Berlin'));
    expect(search).toMatchObject({ text: 'budget', chats: ['CT_1'], kinds: ['channel', 'thread'], participants: ['dana@acme.test'], senders: ['7100001'], teams: ['T1'] });
    expect(search).toMatchObject({ from: '2026-01-01', to: '2026-03-31', timeZone: 'Europe/Berlin', types: ['text'], hasFile: false, edited: true, deleted: 'exclude', includeVersions: true });
    expect(scope).toMatchObject({ query: 'budget', conversations: ['CT_1'], kinds: ['channel', 'thread'], participants: ['dana@acme.test'], senders: ['7100001'], teams: ['T1'] });
    expect(scope).toMatchObject({ from: '2026-01-01', to: '2026-03-31', timeZone: 'Europe/Berlin', types: ['text'], hasFile: false, edited: true, deleted: 'exclude', includeVersions: true });
    expect(auditScopeOf(emptyReviewFilters, 'UTC')).toEqual({ timeZone: 'UTC', deleted: 'include', includeVersions: false, queryMode: 'simple' });
  });

  it('narrow on their own with any filter but the text', () => {
    expect(filtersNarrow(emptyReviewFilters)).toBe(false);
    expect(filtersNarrow({ ...emptyReviewFilters, text: 'x' })).toBe(false);
    expect(filtersNarrow({ ...emptyReviewFilters, participants: ['a'] })).toBe(true);
    expect(filtersNarrow({ ...emptyReviewFilters, edited: 'no' })).toBe(true);
  });
});
