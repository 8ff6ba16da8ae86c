import { z } from 'zod';

/**
 * A review tag: a built-in one or a custom one (lower-case words, digits and dashes, one line).
 * Its own module so both shared/reviewSets.ts and shared/audit.ts (a production limited by tags)
 * use it without importing each other.
 */
export const tagSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'must be 1 to 40 lower-case letters, digits or dashes, starting with a letter or digit');
