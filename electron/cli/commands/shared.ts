import { z } from 'zod';

/** Commander collector for repeatable options. */
export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export const logLevel = z.enum(['debug', 'info', 'warn', 'error'], { error: 'must be debug, info, warn or error' }).default('warn');
