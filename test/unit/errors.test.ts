import { describe, expect, it } from 'vitest';
import { VaultError, toVaultError } from '../../shared/errors';

describe('VaultError', () => {
  it('keeps its code, hint and cause through toShape and toVaultError', () => {
    const cause = new Error('socket hang up');
    const error = new VaultError('NETWORK', 'Could not reach Cliq.', { cause, hint: 'Check the connection.' });
    expect(error.toShape()).toEqual({ code: 'NETWORK', message: 'Could not reach Cliq.', hint: 'Check the connection.' });
    expect(error.cause).toBe(cause);
    expect(toVaultError(error)).toBe(error);
    const wrapped = toVaultError(new TypeError('boom'));
    expect(wrapped.code).toBe('INTERNAL');
    expect(wrapped.message).toBe('boom');
  });
});
