import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { familyNames } from '../../../electron/core/cliq/families';
import { requiredScope } from '../../../electron/simulator/families';
import { archiverScopeList, archiverScopes, archiverScopeUses, optionalScopeMark } from '../../../shared/cliqScopes';

const root = join(import.meta.dirname, '../../..');
const read = (path: string) => readFileSync(join(root, path), 'utf8');

/**
 * The families the client calls: every `family: '…'` of a request in electron/core/cliq (each API
 * call names its rate family there, and nowhere else).
 */
function calledFamilies(): string[] {
  const folder = join(root, 'electron/core/cliq');
  const found = new Set<string>();
  for (const name of readdirSync(folder).filter((n) => n.endsWith('.ts'))) {
    for (const match of readFileSync(join(folder, name), 'utf8').matchAll(/family: '([a-z]+\.[a-z]+)'/g)) found.add(match[1] ?? '');
  }
  return [...found].sort();
}

const sameScope = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

describe('the scopes the archiver asks for', () => {
  it('are the list the README tells an admin to grant, word for word', () => {
    const lists = read('README.md').match(/`(ZohoCliq\.[A-Za-z.,]+)`/g) ?? [];
    expect(lists.map((l) => l.slice(1, -1))).toContain(archiverScopeList);
  });

  it("are the README's table, each with what it adds, in the same words as the Connect screen and `auth scopes`", () => {
    const rows = [...read('README.md').matchAll(/^ *\| `(ZohoCliq\.[A-Za-z.]+)`( \(optional\))? \| (.+) \|$/gm)].map((m) => ({ scope: m[1], mark: m[2] ?? '', adds: m[3] }));
    // An optional scope is marked as the Connect screen and `auth scopes` mark it.
    expect(rows).toEqual(archiverScopeUses.map((use) => ({ scope: use.scope, mark: use.optional ? ` ${optionalScopeMark}` : '', adds: use.adds })));
    for (const use of archiverScopeUses) expect(use.adds.length).toBeGreaterThan(10);
  });

  it('each have a row in docs/cliq-api.md §3.7 saying what needs them, and no other scope has one', () => {
    const section = read('docs/cliq-api.md').split('### 3.7')[1]?.split('### 3.8')[0] ?? '';
    const listed = [...section.matchAll(/^\| `(ZohoCliq\.[A-Za-z.]+)` \|/gm)].map((m) => m[1]);
    expect(listed).toEqual([...archiverScopes]);
  });

  it('are read-only: never an .ALL scope, which would grant writes', () => {
    for (const scope of archiverScopes) expect(scope).toMatch(/\.READ$/);
  });

  it('are exactly the scopes of the families the client calls: each called family has its scope, and each scope serves a called family', () => {
    const called = calledFamilies();
    // The scan finds the calls (M1–M4, U1, C1, C3, TH1, H1, H2, H3, MS3, F1, the directory's D1, D3, G1, G3,
    // R1, R2, permissions, T1, T3, and X1, X2, S1, S2), and only declared families.
    expect(called).toEqual([
      'channels.list',
      'channels.members',
      'chats.list',
      'chats.members',
      'chats.sticky',
      'departments.list',
      'departments.members',
      'designations.list',
      'designations.members',
      'files.get',
      'maint.channels',
      'maint.chats',
      'maint.members',
      'maint.messages',
      'mediasessions.list',
      'mediasessions.participants',
      'messages.reactions',
      'profiles.list',
      'profiles.permissions',
      'profiles.users',
      'scheduled.legacy',
      'scheduled.list',
      'teams.list',
      'teams.members',
      'threads.list',
      'users.list',
    ]);
    for (const family of called) expect(familyNames).toContain(family);
    const needed = called.map((family) => requiredScope[family as keyof typeof requiredScope]);
    for (const [i, scope] of needed.entries()) {
      expect([called[i], archiverScopes.some((s) => sameScope(s, scope))], `${called[i] ?? ''} needs ${scope}`).toEqual([called[i], true]);
    }
    for (const scope of archiverScopes) expect([scope, needed.some((n) => sameScope(n, scope))], `${scope} is required by no called family`).toEqual([scope, true]);
  });
});
