import Database from 'better-sqlite3-multiple-ciphers';
import fc from 'fast-check';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contract, operationNames, type OperationName, type RequestOf, type Result } from '../../shared/contract';
import { createTestApp, type TestApp } from '../helpers/appService';

/**
 * Contract fuzzing: every operation of the contract, given arbitrary JSON and targeted mutations of
 * a valid request, through `service.dispatch` on an app with a synced demo archive. It must never
 * throw and never answer INTERNAL: either ok, or a refusal with a code and a message. Operations
 * that only read leave the archive and the settings file byte-identical whatever they are given;
 * operations whose purpose is to write are only given requests their schema refuses, and those
 * must change nothing either.
 */

/** Operations whose purpose is to write (the archive, settings, secrets, backups, bundles). */
const writers = new Set<OperationName>([
  'settings:update',
  'connect:save',
  'connect:demo',
  'profiles:switch',
  'profiles:remove',
  'sync:start',
  'audit:export',
  'backup:create',
  'backup:restore',
  'holds:add',
  'holds:release',
  'reviewSets:create',
  'reviewSets:code',
  'retention:apply',
  'cipher:encrypt',
  'cipher:rekey',
  'cipher:protect',
]);

/** A valid request per operation (the compiler insists on every operation), to mutate. */
function validRequests(chatId: string, key: number): { [N in OperationName]: RequestOf<N> } {
  return {
    'app:info': {},
    'settings:get': {},
    'settings:update': { theme: 'dark', timeZone: 'Europe/Berlin' },
    'connect:save': { profile: { name: 'Acme', dataCentre: 'eu', clientId: '1000.ABC' }, clientSecret: 'secret', grantCode: '1000.code' },
    'connect:demo': {},
    'connect:check': {},
    'profiles:switch': { id: 'demo' },
    'profiles:remove': { id: 'demo' },
    'archive:stats': {},
    'archive:conversations': { kinds: ['group'], text: 'a', onlyProblems: false, limit: 5 },
    'archive:transcript': { chatId, limit: 5 },
    'archive:context': { key, around: 2 },
    'archive:versions': { key },
    'archive:members': { chatId },
    'archive:reactionCoverage': { chatId },
    'archive:sticky': { chatId },
    'archive:channelPermissions': { chatId },
    'archive:names': { texts: ['{@1000000000000000001} hello'] },
    'archive:history': { subject: 'conversation', key: chatId },
    'archive:calls': { list: 'meetings', chatId, from: '2020-01-01', to: '2030-01-01', offset: 0, limit: 5 },
    'archive:scheduled': { offset: 0, limit: 5 },
    'archive:sources': {},
    'archive:people': { text: 'a', limit: 5 },
    'archive:directory': { text: 'a', offset: 0, limit: 5 },
    'archive:groups': {},
    'archive:adminRoles': {},
    'archive:search': { text: 'the', chats: [chatId], kinds: ['group'], from: '2020-01-01', to: '2030-01-01', limit: 5 },
    'archive:verify': {},
    'archive:attachments': { chatId, messageId: 'm1', fileId: 'f1', limit: 5 },
    'archive:thumbnail': { chatId, messageId: 'm1', fileId: 'f1' },
    'files:save': { chatId, messageId: 'm1', fileId: 'f1' },
    'files:open': { chatId, messageId: 'm1', fileId: 'f1' },
    'insights:activity': { chatId, from: '2020-01-01', to: '2030-01-01', topSenders: 3 },
    'sync:plan': {},
    'sync:start': { full: false },
    'sync:cancel': { jobId: 'sync-0' },
    'sync:status': {},
    'sync:runs': { limit: 3 },
    'audit:preview': { conversations: [chatId], query: 'the' },
    'audit:export': { scope: { conversations: [chatId] }, destination: '/nonexistent/audits' },
    'audit:cancel': { jobId: 'audit-0' },
    'audit:status': {},
    'audit:history': { limit: 3 },
    'audit:verifyBundle': { bundlePath: '/nonexistent/bundle' },
    'audit:zip': { id: 1 },
    'audit:inclusion': { id: 1 },
    'audit:seals': { limit: 5 },
    'holds:list': {},
    'holds:show': { name: 'Matter' },
    'holds:add': { name: 'Matter', conversations: [chatId], reason: 'counsel' },
    'holds:release': { name: 'Matter', reason: 'settled' },
    'retention:preview': { keepDays: 30 },
    'retention:apply': { keepDays: 30, kinds: ['direct'] },
    'retention:runs': {},
    'review:log': { actions: ['search'], limit: 10 },
    'reviewSets:list': {},
    'reviewSets:create': { name: 'First pass', source: { scope: { query: 'invoice' } } },
    'reviewSets:items': { setId: 1, filter: { withTags: ['responsive'] } },
    'reviewSets:code': { setId: 1, chatId, messageId: '1700000000000000001', action: 'tag', tag: 'responsive' },
    'reviewSets:history': { setId: 1 },
    'backup:list': {},
    'backup:create': {},
    'backup:restore': { snapshotPath: '/nonexistent/snapshot.sqlite' },
    'archive:changes': { sinceRun: 0, limit: 20 },
    'archive:asOf': { chatId, asOf: '2026-03-01', timeZone: 'UTC' },
    'cipher:unlock': { passphrase: 'correct horse battery staple' },
    'cipher:encrypt': { passphrase: 'correct horse battery staple' },
    'cipher:rekey': {},
    'cipher:protect': { passphrase: null },
    'schedule:status': {},
    'shell:reveal': { path: '/tmp' },
    'shell:pickFolder': { purpose: 'backups', defaultPath: '/tmp' },
  };
}

/** JSON as it arrives over either transport: parsed from text (so `__proto__` is an own key). */
const asReceived = (value: unknown): unknown => JSON.parse(stringify(value) ?? 'null');

/** JSON.stringify as it really is: undefined for undefined. */
const stringify = (value: unknown): string | undefined => JSON.stringify(value);
const show = (value: unknown): string => (stringify(value) ?? 'undefined').slice(0, 300);

/** Values of every JSON type, and the shapes that break naive code. */
const hostileValue = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom(null, true, false, 0, -1, 1.5, 1e308, -0, '', ' ', 'a'.repeat(100_000), [], {}, [[[[[]]]]], '\u0000', '../../etc/passwd', 'CON', '%s%n', '${x}', "'; DROP TABLE messages; --"),
  // A 19-digit Cliq id as a JSON number: already rounded by JSON.parse, never a safe integer.
  fc.constantFrom(JSON.parse('1901318000001615007') as number, Number.MAX_SAFE_INTEGER + 2, -Number.MAX_SAFE_INTEGER - 2),
  fc.constantFrom('{"__proto__":{"polluted":true}}', '{"constructor":{"prototype":{"polluted":true}}}').map((text) => JSON.parse(text) as unknown),
);

/** A value of the same JSON type as `value`, but arbitrary: what passes the schema's type check and reaches the handler. */
function sameType(value: unknown): fc.Arbitrary<unknown> {
  const text = fc.oneof(
    fc.string({ unit: 'binary' }),
    fc.string({ unit: 'grapheme', maxLength: 300 }),
    fc.constantFrom('', ' ', '\u0000', '"', '*', 'NOT', 'a:b', '../..', '1901318000001615007', 'Mars/Olympus', '2026-02-30', '9999-99-99', '2026-01-01T25:61:00Z'),
  );
  if (typeof value === 'string') return text;
  if (typeof value === 'number') return fc.oneof(fc.integer(), fc.maxSafeInteger(), fc.maxSafeNat(), fc.constantFrom(0, -1, 2 ** 53 - 1, -(2 ** 53) + 1));
  if (typeof value === 'boolean') return fc.boolean();
  if (Array.isArray(value)) return fc.array(typeof value[0] === 'string' ? text : fc.jsonValue({ maxDepth: 1 }), { maxLength: 5 });
  return fc.jsonValue({ maxDepth: 2 });
}

/** Targeted mutations of a valid request: a key set to a value of its type or a hostile one, removed, or added. */
function mutations(valid: Record<string, unknown>): fc.Arbitrary<unknown> {
  const keys = Object.keys(valid);
  const sameTypeMutation = keys.length === 0 ? fc.constant(valid) : fc.constantFrom(...keys).chain((key) => sameType(valid[key]).map((value) => ({ ...valid, [key]: value })));
  const pollutingText = fc.constantFrom('{"__proto__":{"polluted":true}}', '{"constructor":{"prototype":{"polluted":true}}}', '{"prototype":{"polluted":true}}');
  return fc.oneof(
    { weight: 3, arbitrary: sameTypeMutation },
    keys.length === 0 ? fc.constant(valid) : fc.tuple(fc.constantFrom(...keys), hostileValue).map(([key, value]) => ({ ...valid, [key]: value })),
    keys.length === 0 ? fc.constant(valid) : fc.constantFrom(...keys).map((key) => Object.fromEntries(Object.entries(valid).filter(([k]) => k !== key))),
    fc.tuple(fc.oneof(fc.string(), fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty')), hostileValue).map(([key, value]) => ({ ...valid, [key]: value })),
    pollutingText.map((text) => ({ ...valid, ...(JSON.parse(text) as Record<string, unknown>) })),
    pollutingText.map((text) => JSON.parse(`{${JSON.stringify(valid).slice(1, -1)}${keys.length > 0 ? ',' : ''}${text.slice(1)}`) as unknown),
  );
}

describe('contract fuzzing: every operation through service.dispatch', () => {
  let dir: string;
  let app: TestApp;
  let archivePath: string;
  let settingsPath: string;
  let valid: Record<OperationName, unknown>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cliq-vault-fuzz-'));
    app = createTestApp(dir);
    await app.call('connect:demo', {});
    const done = app.next('sync:done');
    await app.call('sync:start', {});
    expect((await done).report?.status).toBe('complete');
    const info = await app.call('app:info', {});
    archivePath = info.archivePath ?? '';
    settingsPath = info.settingsPath;
    const [conversation] = await app.call('archive:conversations', { limit: 1 });
    const [hit] = (await app.call('archive:search', { limit: 1 })).hits;
    if (!conversation || !hit) throw new Error('the demo archive is empty');
    valid = validRequests(conversation.chatId, hit.key);
  });
  afterAll(async () => {
    await app.service.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /**
   * The settings file byte for byte, and every row of every table of the archive but what the review
   * log adds: a read is a look, and every look is recorded (review_log, its batches' seals and their
   * live digests; docs/custody.md). The archive's bytes change by that record alone.
   */
  const snapshot = () => {
    const db = new Database(archivePath, { readonly: true });
    try {
      const reviewSeals = 'SELECT DISTINCT seal_id FROM review_log WHERE seal_id IS NOT NULL';
      // Every stored table (FTS shadow tables included; the virtual tables read them), in a fixed order.
      const tables = db
        .prepare<[], { name: string; sql: string }>(
          "SELECT name, sql FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND sql NOT LIKE 'CREATE VIRTUAL%' AND name <> 'review_log' ORDER BY name",
        )
        .all();
      const rows = Object.fromEntries(
        tables.map(({ name, sql }) => {
          const where = name === 'seals' ? `WHERE id NOT IN (${reviewSeals})` : name === 'seal_live' ? `WHERE seal_id NOT IN (${reviewSeals})` : '';
          return [name, db.prepare(`SELECT * FROM "${name}" ${where} ORDER BY ${/WITHOUT ROWID/i.test(sql) ? '1, 2' : 'rowid'}`).all()];
        }),
      );
      return { settings: existsSync(settingsPath) ? readFileSync(settingsPath).toString('base64') : null, rows, schema: db.prepare('SELECT type, name, sql FROM sqlite_schema ORDER BY name').all() };
    } finally {
      db.close();
    }
  };

  /** Dispatches and checks the reply's shape; returns it. */
  async function dispatch(name: string, request: unknown): Promise<Result<unknown>> {
    let result: Result<unknown>;
    try {
      result = await app.service.dispatch(name, request);
    } catch (error) {
      throw new Error(`${name} threw on ${show(request)}: ${String(error)}`);
    }
    const what = `${name} ${show(request)}`;
    expect(typeof result.ok, what).toBe('boolean');
    if (!result.ok) {
      expect(result.error.code, `${what}: ${result.error.message}`).not.toBe('INTERNAL');
      expect(result.error.message, what).toMatch(/\S/);
    }
    return result;
  }

  const requests = (name: OperationName) =>
    fc.oneof(
      { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 3 }).map(asReceived) },
      { weight: 3, arbitrary: mutations(valid[name] as Record<string, unknown>) },
      { weight: 1, arbitrary: hostileValue },
    );

  const readers = operationNames.filter((name) => !writers.has(name));

  it.each(readers)('%s: any request answers ok or a clear refusal, and changes no file', async (name) => {
    const before = snapshot();
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(requests(name), async (request) => {
        if (!(await dispatch(name, request)).ok) refused += 1;
      }),
      { numRuns: 400, seed: 6_2026 },
    );
    expect(refused).toBeGreaterThan(0);
    expect(snapshot()).toEqual(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it.each([...writers])('%s: a request its schema refuses is USAGE and changes nothing', async (name) => {
    const before = snapshot();
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(requests(name), async (request) => {
        // Only what the contract refuses: an accepted request would do its job (write).
        if (contract[name].request.safeParse(request ?? {}).success) return;
        refused += 1;
        const result = await dispatch(name, request);
        expect(result, `${name} ${show(request)}`).toMatchObject({ ok: false, error: { code: 'USAGE' } });
      }),
      { numRuns: 400, seed: 6_2026 },
    );
    expect(refused).toBeGreaterThan(50);
    expect(snapshot()).toEqual(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('writing operations that the handler refuses (valid shape, impossible request) change nothing either', async () => {
    const before = snapshot();
    const sim = app.sim();
    if (!sim) throw new Error('the demo simulator is not running');
    const refusals: [OperationName, unknown][] = [
      ['settings:update', { timeZone: 'Mars/Olympus_Mons' }],
      ['settings:update', { quotas: ['maint.nothing=5'] }],
      ['settings:update', { quotas: ['maint.messages=5/forever'] }],
      ['profiles:switch', { id: 'no-such-profile' }],
      ['profiles:remove', { id: 'no-such-profile' }],
      ['backup:create', {}],
      ['backup:restore', { snapshotPath: join(dir, 'no-such-snapshot.sqlite') }],
      ['backup:restore', { snapshotPath: settingsPath }],
      // The archive is plain: there is no key to change.
      ['cipher:rekey', {}],
      ['cipher:rekey', { passphrase: 'correct horse battery staple' }],
      [
        'connect:save',
        {
          profile: { name: 'Acme', dataCentre: 'custom', apiBase: sim.apiBase, accountsBase: sim.accountsBase, clientId: sim.admin.clientId },
          clientSecret: sim.admin.clientSecret,
          grantCode: '1000.not-a-code',
        },
      ],
    ];
    for (const [name, request] of refusals) {
      const result = await dispatch(name, request);
      expect(result.ok, `${name} ${show(request)}`).toBe(false);
      expect(snapshot(), `${name} ${show(request)}`).toEqual(before);
    }
  });

  it('dates that match the pattern but are not on the calendar are refused, not rolled over', async () => {
    const before = snapshot();
    for (const bad of ['2026-02-30', '2026-13-01', '2026-00-10', '2026-04-31', '2026-01-01T24:00:00Z', '2026-01-01T10:60Z', '2025-02-29T10:00:00+01:00']) {
      for (const [name, request] of [
        ['archive:search', { from: bad }],
        ['archive:search', { to: bad }],
        ['insights:activity', { from: bad }],
        ['insights:activity', { to: bad }],
        ['audit:preview', { from: bad }],
        ['audit:export', { scope: { to: bad } }],
      ] as const) {
        expect(await dispatch(name, request), `${name} ${bad}`).toMatchObject({ ok: false, error: { code: 'USAGE' } });
      }
    }
    expect(await dispatch('archive:search', { from: '2024-02-29', to: '2026-12-31T23:59:59.999+14:00' })).toMatchObject({ ok: true });
    expect(snapshot()).toEqual(before);
  });

  it('unknown operation names, prototype keys among them, are USAGE', async () => {
    const before = snapshot();
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.string(), fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'archive:', ':search', 'ARCHIVE:SEARCH', 'archive:search ')),
        fc.jsonValue({ maxDepth: 2 }),
        async (name, request) => {
          if ((operationNames as readonly string[]).includes(name)) return;
          expect(await dispatch(name, request)).toMatchObject({ ok: false, error: { code: 'USAGE' } });
        },
      ),
      { numRuns: 300, seed: 6_2026 },
    );
    expect(snapshot()).toEqual(before);
  });
});
