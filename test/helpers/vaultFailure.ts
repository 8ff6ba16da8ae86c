import { VaultError } from '../../shared/errors';

/** The VaultError `promise` rejects with; fails the test when it resolves or rejects otherwise. */
export async function vaultFailure(promise: Promise<unknown>): Promise<VaultError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof VaultError) return error;
    throw error;
  }
  throw new Error('expected a VaultError, but it succeeded');
}
