import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { registeredFlagSchema } from '../../../electron/cli/flagTable';
import type { Io } from '../../../electron/cli/output';
import { buildProgram } from '../../../electron/cli/program';

const io: Io = { out: () => undefined, err: () => undefined, env: {}, interactive: false };

function allCommands(command: Command, path = command.name()): { path: string; command: Command }[] {
  return [{ path, command }, ...command.commands.flatMap((sub) => allCommands(sub, `${path} ${sub.name()}`))];
}

describe('every command of the program', () => {
  const commands = allCommands(buildProgram(io)).filter(({ path }) => path !== 'cliq-vault');

  it('declares its flags in one table: each commander option has a schema key, and each key an option', () => {
    expect(commands.map(({ path }) => path)).toEqual(expect.arrayContaining(['cliq-vault sync', 'cliq-vault auth exchange', 'cliq-vault auth revoke', 'cliq-vault serve']));
    for (const { path, command } of commands) {
      const optionKeys = [...new Set(command.options.map((o) => o.attributeName()))].sort();
      const schema = registeredFlagSchema(command);
      if (schema === undefined) {
        // Only a group of subcommands (`auth`) may go without: it has no flags and no action.
        expect([path, optionKeys, command.commands.length > 0]).toEqual([path, [], true]);
        continue;
      }
      expect([path, Object.keys(schema.shape).sort()]).toEqual([path, optionKeys]);
    }
  });

  it('gives every flag a default its schema accepts', () => {
    for (const { path, command } of commands) {
      const schema = registeredFlagSchema(command);
      if (schema === undefined) continue;
      for (const option of command.options) {
        if (option.defaultValue === undefined) continue;
        const key = option.attributeName();
        const result = schema.shape[key]?.safeParse(option.defaultValue);
        expect([path, option.flags, result?.success]).toEqual([path, option.flags, true]);
      }
    }
  });
});
