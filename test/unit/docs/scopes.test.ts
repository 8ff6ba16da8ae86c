import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { archiverScopeList, archiverScopes } from '../../../shared/cliqScopes';

const root = join(import.meta.dirname, '../../..');
const read = (path: string) => readFileSync(join(root, path), 'utf8');

describe('the scopes the archiver asks for', () => {
  it('are the list the README tells an admin to grant, word for word', () => {
    const lists = read('README.md').match(/`(ZohoCliq\.[A-Za-z.,]+)`/g) ?? [];
    expect(lists.map((l) => l.slice(1, -1))).toContain(archiverScopeList);
  });

  it('each have a row in docs/cliq-api.md §3.7 saying what needs them', () => {
    const section = read('docs/cliq-api.md').split('### 3.7')[1]?.split('### 3.8')[0] ?? '';
    for (const scope of archiverScopes) expect(section).toContain(`| \`${scope}\` |`);
  });

  it('are read-only: never an .ALL scope, which would grant writes', () => {
    for (const scope of archiverScopes) expect(scope).toMatch(/\.READ$/);
  });
});
