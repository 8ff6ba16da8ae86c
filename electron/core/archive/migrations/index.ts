import { migration as initialSchema } from './0010-initial-schema';
import type { Migration } from './types';

/** Every migration, in order. Append only: a released migration is never edited. */
export const migrations: readonly Migration[] = [initialSchema];

export const latestSchemaVersion = migrations.at(-1)?.version ?? 0;
