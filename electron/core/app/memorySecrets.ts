import type { ProfileSecrets, SecretStore } from './ports';

/**
 * Secrets kept in this process only (`serve`, tests): typed into the Connect screen or taken from
 * the environment, gone when the process ends. Nothing is ever written to disk.
 */
export function memorySecretStore(seed: Record<string, ProfileSecrets> = {}): SecretStore {
  const secrets = new Map(Object.entries(seed));
  return {
    kind: 'memory',
    get: (id) => secrets.get(id),
    set: (id, value) => void secrets.set(id, { ...value }),
    delete: (id) => void secrets.delete(id),
  };
}
