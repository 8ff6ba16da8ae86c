import { describe, expect, it } from 'vitest';
import type { Io } from '../../../electron/cli/output';
import { buildProgram } from '../../../electron/cli/program';
import { archiverScopeList, archiverScopeUses, optionalScopeMark } from '../../../shared/cliqScopes';

async function run(args: string[]): Promise<string> {
  let out = '';
  const io: Io = { out: (text) => void (out += text), err: () => undefined, env: {}, interactive: false };
  await buildProgram(io).parseAsync(['node', 'cliq-vault', ...args]);
  return out;
}

describe('cliq-vault auth scopes', () => {
  it('prints the scope list to paste, then each scope with what it adds', async () => {
    const text = await run(['auth', 'scopes']);
    expect(text).toContain(`\n${archiverScopeList}\n`);
    const escape = (words: string) => words.replace(/[.()]/g, (c) => `\\${c}`);
    for (const use of archiverScopeUses) {
      // Optional scopes carry the same mark as on the Connect screen and in the README.
      const name = use.optional ? `${use.scope} ${optionalScopeMark}` : use.scope;
      expect(text).toMatch(new RegExp(`^ +${escape(name)} +${escape(use.adds)}$`, 'm'));
    }
    expect(text.split(optionalScopeMark).length - 1).toBe(archiverScopeUses.filter((use) => use.optional).length);
    // No scope beyond the list (each one serves a family the client calls: test/unit/docs/scopes.test.ts).
    for (const scope of text.match(/ZohoCliq\.[A-Za-z]+\.[A-Z]+/g) ?? []) expect(archiverScopeList.split(',')).toContain(scope);
  });

  it('--json gives the same list as objects', async () => {
    expect(JSON.parse(await run(['auth', 'scopes', '--json']))).toEqual({ scopes: archiverScopeUses });
  });

  it('auth exchange --help shows what each scope adds too', () => {
    const exchange = buildProgram({ out: () => undefined, err: () => undefined, env: {}, interactive: false })
      .commands.find((c) => c.name() === 'auth')
      ?.commands.find((c) => c.name() === 'exchange');
    // Commander wraps the description to the terminal's width.
    const help = (exchange?.helpInformation() ?? '').replace(/\s+/g, ' ');
    for (const use of archiverScopeUses) expect(help).toContain(`- ${use.scope}: ${use.adds}`);
  });
});
