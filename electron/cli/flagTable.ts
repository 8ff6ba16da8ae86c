import { Command, Option } from 'commander';
import { z } from 'zod';
import { parseFlags } from './flags';

/**
 * One flag of a command: what commander registers (and --help shows) and what zod checks, side by
 * side, so a flag cannot exist in one and not the other. Tables are keyed by the name commander
 * gives the value (`--max-rate-wait` → `maxRateWait`, `--no-rate-limits` → `rateLimits`); a key
 * that does not match its flag throws when the table is defined.
 */
export interface FlagSpec<S extends z.ZodType = z.ZodType> {
  /** Commander's syntax: `--archive <path>`, `--keep <n>`, `--json`, `--no-rate-limits`. */
  flag: string;
  description: string;
  /** Validates (and converts) what commander hands over for this flag. */
  schema: S;
  /**
   * Commander's default: shown by --help and handed to `schema` when the flag is absent. A default
   * --help does not show (a switch's false, a number the description explains) is the schema's.
   */
  default?: string | boolean;
  /** Commander refuses the command without it. */
  required?: boolean;
  /** Each use adds a value: commander collects them into an array, [] when absent. */
  repeatable?: boolean;
  /** Also registers `--no-<name>` with this description: the value is true, false or absent. */
  negatable?: string;
}

export type FlagTable = Record<string, FlagSpec>;

type ShapeOf<T extends FlagTable> = { [K in keyof T]: T[K]['schema'] };

export type FlagValues<T extends FlagTable> = z.output<z.ZodObject<ShapeOf<T>>>;

export interface CliFlags<T extends FlagTable> {
  readonly table: T;
  /** The zod object of the table (with the cross-flag check, if any). */
  readonly schema: z.ZodObject<ShapeOf<T>>;
  /** Adds every flag to `command`, in table order (the order --help lists them). */
  register<C extends Command>(command: C): C;
  /** Validates commander's values; a failure is a USAGE error that names the flag. */
  parse(raw: unknown, commandName: string): FlagValues<T>;
}

const schemas = new WeakMap<Command, z.ZodObject<Record<string, z.ZodType>>>();

/** The schema a command's flags were registered with (for the test that walks the program). */
export function registeredFlagSchema(command: Command): z.ZodObject<Record<string, z.ZodType>> | undefined {
  return schemas.get(command);
}

/** Commander collector for repeatable options. */
export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/**
 * Builds a command's flags from one table. `check` adds rules across flags (`--keep` only without
 * `--list`); give each issue the path of the flag it is about, so the message names that flag.
 */
export function defineFlags<const T extends FlagTable>(table: T, options: { check?: (flags: FlagValues<T>, ctx: z.RefinementCtx<FlagValues<T>>) => void } = {}): CliFlags<T> {
  const shape: Record<string, z.ZodType> = {};
  for (const [key, spec] of Object.entries(table)) {
    const name = new Option(spec.flag).attributeName();
    if (name !== key) throw new Error(`Flag table key "${key}" does not match ${spec.flag}, whose value commander names "${name}".`);
    if (spec.repeatable === true && spec.default !== undefined) throw new Error(`${spec.flag} is repeatable: its default is always [].`);
    shape[key] = spec.schema;
  }
  const base = z.object(shape as ShapeOf<T>);
  const schema = options.check === undefined ? base : base.superRefine(options.check);
  return {
    table,
    schema,
    register(command) {
      for (const spec of Object.values(table)) {
        const option = new Option(spec.flag, spec.description);
        if (spec.required === true) option.makeOptionMandatory();
        if (spec.repeatable === true) option.argParser(collect).default([]);
        else if (spec.default !== undefined) option.default(spec.default);
        command.addOption(option);
        if (spec.negatable !== undefined) command.addOption(new Option(`--no-${spec.flag.replace(/^--/, '').split(' ')[0] ?? ''}`, spec.negatable));
      }
      schemas.set(command, schema);
      return command;
    },
    parse: (raw, commandName) => parseFlags(schema, raw, commandName),
  };
}
