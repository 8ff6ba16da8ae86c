import { Command, CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineFlags, registeredFlagSchema } from '../../../electron/cli/flagTable';
import { jsonSpec, switchFlag } from '../../../electron/cli/flags';

const table = {
  archive: { flag: '--archive <path>', description: 'the archive file', schema: z.string().min(1, 'is required'), required: true },
  maxRateWait: { flag: '--max-rate-wait <n>', description: 'longest pause', schema: z.coerce.number({ error: 'must be a number' }), default: '15' },
  chat: { flag: '--chat <id>', description: 'a conversation (repeatable)', schema: z.array(z.string()), repeatable: true },
  file: { flag: '--file', description: 'with an attachment', schema: z.boolean().optional(), negatable: 'without an attachment' },
  rateLimits: { flag: '--no-rate-limits', description: 'quotas off', schema: z.boolean().default(true) },
  json: jsonSpec('print JSON'),
};

/** Parses argv as commander would for a command built from `flags`, and validates the result. */
function run(argv: string[], check?: Parameters<typeof defineFlags<typeof table>>[1]) {
  const flags = defineFlags(table, check);
  let parsed: unknown;
  const command = flags.register(new Command('probe').exitOverride().configureOutput({ writeErr: () => undefined, writeOut: () => undefined })).action((raw: Record<string, unknown>) => {
    parsed = flags.parse(raw, 'probe');
  });
  command.parse(argv, { from: 'user' });
  return { command, flags: parsed as z.output<typeof flags.schema> };
}

describe('defineFlags', () => {
  it('registers every flag with commander, in table order, and validates what commander gives', () => {
    const { command, flags } = run(['--archive', 'a.sqlite', '--chat', 'c1', '--chat', 'c2', '--no-file']);
    expect(command.options.map((o) => o.flags)).toEqual(['--archive <path>', '--max-rate-wait <n>', '--chat <id>', '--file', '--no-file', '--no-rate-limits', '--json']);
    expect(flags).toEqual({ archive: 'a.sqlite', maxRateWait: 15, chat: ['c1', 'c2'], file: false, rateLimits: true, json: false });
  });

  it('gives commander the defaults --help shows, and the schema its own', () => {
    const { command, flags } = run(['--archive', 'a', '--max-rate-wait', '30', '--file', '--no-rate-limits', '--json']);
    expect(flags).toEqual({ archive: 'a', maxRateWait: 30, chat: [], file: true, rateLimits: false, json: true });
    const help = command.helpInformation();
    expect(help).toContain('longest pause (default: "15")');
    expect(help).toContain('a conversation (repeatable) (default: [])');
    expect(help).toContain('--no-file');
    expect(help).not.toContain('print JSON (default');
  });

  it('leaves a required flag to commander, and names the flag of a bad value', () => {
    expect(() => run([])).toThrow(CommanderError);
    expect(() => run(['--archive', 'a', '--max-rate-wait', 'soon'])).toThrow(expect.objectContaining({ code: 'USAGE', message: '--max-rate-wait: must be a number.' }) as Error);
  });

  it('checks across flags, naming the flag each issue is about', () => {
    const check = {
      check: (flags: { file?: boolean | undefined; chat: string[] }, ctx: z.RefinementCtx) => {
        if (flags.file === false && flags.chat.length > 0) ctx.addIssue({ code: 'custom', path: ['chat'], message: 'cannot be used with --no-file' });
      },
    };
    expect(() => run(['--archive', 'a', '--chat', 'c', '--no-file'], check)).toThrow(expect.objectContaining({ code: 'USAGE', message: '--chat: cannot be used with --no-file.' }) as Error);
    expect(run(['--archive', 'a', '--chat', 'c'], check).flags.chat).toEqual(['c']);
  });

  it('refuses a key that is not the name commander gives the flag', () => {
    expect(() => defineFlags({ max_rate_wait: { flag: '--max-rate-wait <n>', description: 'x', schema: z.string() } })).toThrow(
      /"max_rate_wait" does not match --max-rate-wait <n>, whose value commander names "maxRateWait"/,
    );
    expect(() => defineFlags({ noRateLimits: { flag: '--no-rate-limits', description: 'x', schema: switchFlag } })).toThrow(/names "rateLimits"/);
    expect(() => defineFlags({ chat: { flag: '--chat <id>', description: 'x', schema: z.array(z.string()), repeatable: true, default: 'c' } })).toThrow(/repeatable/);
  });

  it('remembers the schema of the command it registered on', () => {
    const flags = defineFlags(table);
    const command = flags.register(new Command('probe'));
    expect(registeredFlagSchema(command)).toBe(flags.schema);
    expect(registeredFlagSchema(new Command('other'))).toBeUndefined();
  });
});
