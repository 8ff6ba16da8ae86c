import { describe, expect, it } from 'vitest';
import { scopeToken, searchScope } from '../../../electron/core/search/scope';

describe('search scope tokens', () => {
  it('are the kind letter and the first 12 hex digits of the id’s SHA-256 — what archived rows already hold', () => {
    expect(scopeToken('chat', 'CT_1')).toBe('cf91e834060e9');
    expect(scopeToken('sender', '7100002')).toBe('sc1e3ec28d485');
    // Asked again (now from the memo): the same tokens, and the kinds never mix.
    expect(scopeToken('chat', 'CT_1')).toBe('cf91e834060e9');
    expect(scopeToken('sender', 'CT_1')).toBe('sf91e834060e9');
  });

  it('stay right after the memo has been filled and emptied many times over', () => {
    for (let i = 0; i < 45_000; i += 1) scopeToken('sender', `u${i}`);
    expect(scopeToken('sender', '7100002')).toBe('sc1e3ec28d485');
    expect(searchScope({ chatId: 'CT_1', senderId: '7100002', type: 'file', fileId: 'f', fileName: null })).toBe('cf91e834060e9 tfile sc1e3ec28d485 f1');
  });
});
