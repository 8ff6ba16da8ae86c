import type { ProfileSecrets, SecretStore } from './ports';

/**
 * Secrets kept in this process only (`serve`, tests): typed into the Connect screen or taken from
 * the environment, gone when the process ends. Nothing is ever written to disk.
 */
export function memorySecretStore(seed: Record<string, ProfileSecrets> = {}): SecretStore {
  const secrets = new Map(Object.entries(seed));
  return {
    kind: 'memory',
    has: (id) => Promise.resolve(secrets.has(id)),
    get: (id) => {
      const value = secrets.get(id);
      return Promise.resolve(value === undefined ? undefined : { ...value });
    },
    set: (id, value) => {
      secrets.set(id, { ...value });
      return Promise.resolve();
    },
    delete: (id) => {
      secrets.delete(id);
      return Promise.resolve();
    },
  };
}
