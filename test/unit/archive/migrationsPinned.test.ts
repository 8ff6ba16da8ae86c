import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrations } from '../../../electron/core/archive/migrations';

/**
 * Released means frozen: an archive that ran a migration never runs it again, so editing a released
 * step gives two archives with the same user_version and different schemas. Each released
 * migration module is pinned here by the SHA-256 of its bytes (.gitattributes keeps them LF on
 * every checkout).
 *
 * A new migration fails this test until it is released: then add its hash to the table, once.
 * A change to a pinned file is never fixed by updating its hash: write a new migration instead.
 */
const released: Readonly<Record<string, string>> = {
  '0010-initial-schema.ts': 'fd8323127315dcad8173578643a9b88af02d30bfd9854c0d13935432d055a1d4',
  '0020-search-scope.ts': '3bb85b38632319cf1b7c0c7e03183dcb09d4f1dcb5556dc25810bb6f13f36d19',
  '0030-seals.ts': '446354b1732e3ce168dac27190c334d967d1f5b88ad97f2bc6ea2c927c79828b',
  '0040-audit-log.ts': '676060cddcab63dbf7474c1087fff40c2904f68202dd9c52980a00155100c147',
  '0050-coverage-counts.ts': '6b4b65b972e91ae82456a95c1267963dab60f5ea3c7af4dab950ff8dd7dfd2d0',
  '0060-attachments.ts': '3306d35bd40d82155e5b90c5c53e962c4e12031bf26a270be7eab6f46e3c1fd7',
  '0061-membership-boundaries.ts': 'b8e98a846e4fca6cc8dfa0f331369d6612cc161722245d897acbc7de8ed737ae',
  '0062-chat-kind-source.ts': 'ec1239d6e32bc8aa45d5f6e1e2fbfbc1ce3b1f81b3439286ec2ed2ec1900d93a',
  '0063-org-directory.ts': '68c56357bbe042d316c74120111557de24755640aa2c02ee62c270f637f3af38',
  '0064-reactions-sticky-roles.ts': '26f1befb5910e0238ff12850470d4514e0d5047c58c10c13bd99be596d1289f4',
  '0065-calls-scheduled-messages.ts': '66cd0ba80ef2dd3e4bbc74e6940450cf695370b7292345ee97a38b7448ca785f',
  '0066-legal-holds.ts': 'be0aaed6b4812204ba36b915c76260df6d15d8bd6aad80145a8c0b515dc71439',
  '0067-review-log.ts': '87103be6b19c396150b69e5b4726a3adaa53096e28323ad4553ae790687fad18',
  '0068-retention.ts': '47d3b2cb5a8b6f602151bf10a23d2d8549e26a072aaf86e60f9023964d4f2762',
  '0069-review-sets.ts': 'a63ba654f2ea6edaeca1e1e69d7452ddece946b366abd3b22227972dc8bddecb',
  '0070-messages-insertion-order.ts': '035a3f89685dbd7bcea4308fe21ef0a2e547c2f97f76842586b12c0a28231a7e',
  '0071-coverage-per-conversation.ts': 'd011bafa13ce5968bb4bd119ae793fd2cc643fbde38adbdfdd158e7382f04eff',
  '0072-search-prefix-index.ts': 'fd877ca9b5c1e8dca6a19f66c5a3e858598d561b6ae723d11e3dcbf6aab3b490',
  '0073-file-messages-covering-index.ts': 'd638da72578785979a7afb459ddb3cbac086789aceebe7ac01c364ffd1e56c4f',
  '0074-channels-rest-id-index.ts': '89eee2aeaf49f54e7b90210daadfcad5c8599af86c87c71982e900e58d0bb64d',
};

const folder = join(import.meta.dirname, '..', '..', '..', 'electron', 'core', 'archive', 'migrations');
/** The folder's files that are not migrations: the ordered list and the step's type. */
const notMigrations = new Set(['index.ts', 'types.ts']);

function migrationFiles(): string[] {
  return readdirSync(folder)
    .filter((name) => !notMigrations.has(name) && !name.endsWith('.test.ts'))
    .sort();
}

function sha256(name: string): string {
  return createHash('sha256')
    .update(readFileSync(join(folder, name)))
    .digest('hex');
}

describe('released migrations', () => {
  it('are every file of the migrations folder, each named NNNN-what-it-does.ts', () => {
    const files = migrationFiles();
    expect(files.length).toBeGreaterThan(0);
    for (const name of files) expect(name, `${name} in ${folder} is not named like a migration`).toMatch(/^\d{4}-[a-z0-9]+(-[a-z0-9]+)*\.ts$/);
    // Every file is a registered step, and every registered step has its file.
    expect(
      files.map((name) => Number(name.slice(0, 4))),
      'each migration file is one step of the list in migrations/index.ts, and each step has its file',
    ).toEqual(migrations.map((step) => step.version));
  });

  it('are unchanged, byte for byte, since they were released', () => {
    for (const name of migrationFiles()) {
      const expected = released[name];
      if (expected === undefined) {
        expect.fail(`${name} is not pinned. Once it is released, add its SHA-256 to the table in this test: '${name}': '${sha256(name)}'. From then on it must never change.`);
      }
      expect(sha256(name), `${name} was released and must never change: an archive that already ran it will not run it again. Restore the file and put the change in a new migration.`).toBe(expected);
    }
  });

  it('are all still there', () => {
    const files = new Set(migrationFiles());
    for (const name of Object.keys(released)) {
      expect(files.has(name), `${name} was released and must stay in the migrations folder under its name: archives already ran it.`).toBe(true);
    }
  });
});
