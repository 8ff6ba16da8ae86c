import { describe, expect, it } from 'vitest';
import { reviewActionLabel, reviewActions, reviewActionWords, reviewScopeWords } from '../../../shared/review';

describe('the review log in words', () => {
  it('says a scope in words: what was asked, not the defaults nobody chose', () => {
    expect(reviewScopeWords({ text: 'invoice', mode: 'simple', deleted: 'include', order: 'newest', limit: 50, timeZone: 'UTC', includeVersions: false })).toBe('“invoice”');
    expect(reviewScopeWords({ text: 'fraud', chats: ['CT_1'], senders: ['a', 'b'], from: '2026-01-01', mode: 'advanced', earlierTexts: ['f', 'fr'] })).toBe(
      '“fraud” · conversation CT_1 · 2 senders · from 2026-01-01 · mode advanced',
    );
    expect(reviewScopeWords({ what: 'all', out: '/tmp/x', format: 'jsonl' })).toBe('all · as jsonl · to /tmp/x');
    expect(reviewScopeWords({ chat: 'Finance', limit: 50, format: 'text' })).toBe('conversation Finance');
    expect(reviewScopeWords({ files: true, snapshot: '/b/a.sqlite', versionsOf: 42, nested: { a: 1 } })).toBe('files · snapshot /b/a.sqlite · versionsOf 42 · nested {"a":1}');
    expect(reviewScopeWords({})).toBe('everything');
    // Custody actions: a retention policy, a hold, a key change (never the key itself).
    expect(reviewScopeWords({ keepDays: 30, kinds: ['direct'], conversations: [], departments: [] })).toBe('direct · keep 30 days');
    expect(reviewScopeWords({ name: 'Acme v. Us', conversations: ['CT_1', 'CT_2'], custodians: [] })).toBe('2 conversations · “Acme v. Us”');
    expect(reviewScopeWords({ change: 'rekey' })).toBe('rekey');
  });

  it('names every action, and shows an action a later version added as recorded', () => {
    for (const action of reviewActions) expect(reviewActionWords[action]).toMatch(/\S/);
    expect(reviewActionLabel('hold_add')).toBe('Hold placed');
    expect(reviewActionLabel('something_new')).toBe('something_new');
  });
});
