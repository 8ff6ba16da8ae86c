import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type Database from 'better-sqlite3';
import { contract, operationNames, type EventName, type EventPayloads, type OperationName, type ParsedRequestOf, type Result, type ResponseOf } from '../../../shared/contract';
import { toVaultError, VaultError } from '../../../shared/errors';
import { settingsSchema, type OrgProfile, type Settings } from '../../../shared/settings';
import type { AuditProgress } from '../../../shared/audit';
import type { SyncProgress } from '../../../shared/sync';
import type { JobState, ScheduleStatus } from '../../../shared/views';
import { openArchiveDb } from '../archive/connection';
import { RunsRepo } from '../archive/runsRepo';
import { verifyArchive } from '../archive/sealing/verify';
import { readArchiveStats } from '../archive/statsRepo';
import { createAuditBundle } from '../audit/bundle';
import { resolveScope } from '../audit/scope';
import { verifyBundle } from '../audit/verifyBundle';
import { listSnapshots } from '../backup/catalog';
import { compactUtc } from '../backup/names';
import { restoreSnapshot } from '../backup/restore';
import { createSnapshot } from '../backup/snapshot';
import { resolveEndpoints } from '../cliq/dataCentres';
import { exportChats } from '../cliq/maintenance';
import { exchangeGrantCode } from '../cliq/oauth';
import { parseQuotaOverrides } from '../cliq/quotaOverrides';
import { createCliqClient, syncArchive, type Connection } from '../createCore';
import { searchMessages } from '../search/search';
import { conversationPage, messageContext, messageVersions } from '../search/transcript';
import { systemClock } from '../util/clock';
import { silentLogger } from '../util/log';
import { boundToInstant, checkTimeZone } from '../util/timeZone';
import { toolVersion } from '../version';
import type { AppService, AppServiceDeps } from './appService';
import { activityInsights, auditHistory, findPeople, listConversations, membershipHistory } from './archiveReads';
import type { DemoOrg } from './ports';
import { nextScheduledRun } from './schedule';
import { cachedSettings } from './settingsCache';
import { planSync } from './syncPlan';

type Handlers = { [N in OperationName]: (request: ParsedRequestOf<N>) => Promise<ResponseOf<N>> | ResponseOf<N> };
type Listener = <E extends EventName>(event: E, payload: EventPayloads[E]) => void;

interface Job<P> {
  state: JobState<P>;
  controller: AbortController;
  finished: Promise<void>;
}

/** Progress events at most this often per job (the last one always goes out with the done event). */
const progressEveryMs = 100;

/**
 * The app behind the contract (see AppService). Holds one read-only connection to the active
 * profile's archive for the screens, and runs sync, audit export and backup as the CLI does, on
 * connections of their own, so reads never wait for a sync.
 */
export function createAppService(deps: AppServiceDeps): AppService {
  const clock = deps.clock ?? systemClock;
  const log = deps.log ?? silentLogger;
  const listeners = new Set<Listener>();
  let reader: { path: string; db: Database.Database } | null = null;
  let demo: Promise<DemoOrg> | null = null;
  let syncJob: Job<SyncProgress> | null = null;
  let auditJob: Job<AuditProgress> | null = null;
  let lastScheduled: ScheduleStatus['lastRun'] = null;

  const emit = <E extends EventName>(event: E, payload: EventPayloads[E]) => {
    for (const listener of listeners) {
      try {
        listener(event, payload);
      } catch (error) {
        log.warn('An event listener failed', { event, error: String(error) });
      }
    }
  };

  const store = cachedSettings(deps.settings);
  const settings = () => store.read();
  const writeSettings = (next: Settings) => {
    const parsed = settingsSchema.parse(next);
    store.write(parsed);
    emit('settings:changed', parsed);
    return parsed;
  };
  const activeProfile = (current = settings()): OrgProfile | null => current.profiles.find((p) => p.id === current.activeProfile) ?? null;

  function archivePath(): string {
    if (deps.archiveOverride !== undefined) return resolve(deps.archiveOverride);
    const profile = activeProfile();
    if (!profile) throw new VaultError('USAGE', 'No org is connected yet.', { hint: 'Connect an org (or try the demo org) on the Connect screen.' });
    return profile.archivePath;
  }

  /** The read-only connection for the screens; null while the archive does not exist yet. */
  function readerOrNull(): Database.Database | null {
    if (deps.archiveOverride === undefined && activeProfile() === null) return null;
    const path = archivePath();
    if (reader?.path === path) return reader.db;
    closeReader();
    if (!existsSync(path)) return null;
    reader = { path, db: openArchiveDb(path, { readonly: true }) };
    return reader.db;
  }
  function readDb(): Database.Database {
    const db = readerOrNull();
    if (!db) throw new VaultError('ARCHIVE_NOT_FOUND', 'Nothing is archived yet.', { hint: 'Run a sync from the Sync screen to create the archive.' });
    return db;
  }
  function closeReader(): void {
    reader?.db.close();
    reader = null;
  }

  function startDemo(): Promise<DemoOrg> {
    if (!deps.host.startDemo) return Promise.reject(new VaultError('USAGE', 'The demo org is not available here.'));
    demo ??= deps.host.startDemo().catch((error: unknown) => {
      demo = null;
      throw error;
    });
    return demo;
  }

  async function connectionFor(profile: OrgProfile, current: Settings): Promise<Connection> {
    const quotas = parseQuotaOverrides(current.quotas);
    if (profile.demo) {
      const sim = await startDemo();
      return {
        endpoints: { apiBase: sim.apiBase, accountsBase: sim.accountsBase, dataCentre: 'custom', network: undefined },
        credentials: { clientId: sim.clientId, clientSecret: sim.clientSecret, refreshToken: sim.refreshToken },
        quotaScale: sim.quotaScale,
        quotas,
      };
    }
    const secrets = deps.secrets.get(profile.id);
    if (!secrets) {
      throw new VaultError('AUTH_MISSING_CREDENTIALS', `No credentials are stored for ${profile.name}.`, {
        hint:
          deps.secrets.kind === 'memory'
            ? 'Connect the org again (serve keeps secrets in memory only), or start serve with CLIQ_CLIENT_SECRET and CLIQ_REFRESH_TOKEN set.'
            : 'Connect the org again on the Connect screen.',
      });
    }
    return { endpoints: endpointsOf(profile), credentials: { clientId: profile.clientId, ...secrets }, quotas };
  }

  function activeConnection(): Promise<Connection> {
    const current = settings();
    const profile = activeProfile(current);
    if (!profile) throw new VaultError('USAGE', 'No org is connected yet.', { hint: 'Connect an org (or try the demo org) on the Connect screen.' });
    return connectionFor(profile, current);
  }

  async function adminCheck(connection: Connection): Promise<{ ok: boolean; sampleConversations?: number; error?: ReturnType<VaultError['toShape']> }> {
    try {
      const { http } = createCliqClient({ ...connection, maxLockWaitMs: 60_000 }, { clock, log, ...(deps.fetch ? { fetch: deps.fetch } : {}) });
      const chats = await exportChats(http);
      return { ok: true, sampleConversations: chats.length };
    } catch (error) {
      return { ok: false, error: toVaultError(error).toShape() };
    }
  }

  function startJob<P>(kind: 'sync' | 'audit', run: (signal: AbortSignal, progress: (p: P) => void) => Promise<void>): Job<P> {
    const controller = new AbortController();
    const state: JobState<P> = { jobId: `${kind}-${randomUUID()}`, kind, startedAt: clock.now(), progress: null };
    let lastSent = 0;
    const progressEvent = kind === 'sync' ? 'sync:progress' : 'audit:progress';
    const onProgress = (progress: P) => {
      state.progress = progress;
      const now = Date.now();
      if (now - lastSent < progressEveryMs) return;
      lastSent = now;
      emit(progressEvent, { jobId: state.jobId, progress } as never);
    };
    const finished = run(controller.signal, onProgress);
    return { state, controller, finished };
  }

  function runSyncJob(full: boolean): Job<SyncProgress> {
    if (syncJob) throw new VaultError('ARCHIVE_LOCKED', 'A sync is already running.', { hint: 'Wait for it to finish, or cancel it.' });
    const path = archivePath();
    const job = startJob<SyncProgress>('sync', async (signal, onProgress) => {
      try {
        const connection = await activeConnection();
        mkdirSync(dirname(path), { recursive: true });
        const report = await syncArchive(path, connection, { full, signal, onProgress }, { clock, log, ...(deps.fetch ? { fetch: deps.fetch } : {}) });
        // The core's hints name CLI commands; in the app the way back is the Connect screen.
        const appHint = report.fatal ? appAuthHints[report.fatal.code] : undefined;
        if (report.fatal && appHint !== undefined) report.fatal = { ...report.fatal, hint: appHint };
        if (job.state.progress) emit('sync:progress', { jobId: job.state.jobId, progress: job.state.progress });
        emit('sync:done', { jobId: job.state.jobId, report });
      } catch (error) {
        emit('sync:done', { jobId: job.state.jobId, error: toVaultError(error).toShape() });
      } finally {
        syncJob = null;
      }
    });
    syncJob = job;
    return job;
  }

  const handlers: Handlers = {
    'app:info': () => {
      const current = settings();
      const profile = activeProfile(current);
      const path = deps.archiveOverride !== undefined ? resolve(deps.archiveOverride) : (profile?.archivePath ?? null);
      return {
        version: toolVersion,
        shell: deps.host.shell,
        platform: process.platform,
        settingsPath: deps.settings.path,
        defaultArchiveDir: deps.host.defaultArchiveDir,
        secretStorage: deps.secrets.kind,
        activeProfile: profile,
        hasCredentials: profile !== null && (profile.demo || deps.secrets.get(profile.id) !== undefined),
        archivePath: path,
        archiveExists: path !== null && existsSync(path),
      };
    },

    'settings:get': () => settings(),
    'settings:update': (patch) => {
      if (patch.timeZone !== undefined) checkTimeZone(patch.timeZone);
      if (patch.quotas !== undefined) parseQuotaOverrides(patch.quotas);
      // A setting the patch leaves out, or sends as undefined, keeps its value.
      const changes = Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined));
      return writeSettings(settingsSchema.parse({ ...settings(), ...changes }));
    },

    'connect:save': async (request) => {
      const current = settings();
      const id = request.profile.id ?? freeProfileId(request.profile.name, current.profiles);
      const profile: OrgProfile = {
        ...request.profile,
        id,
        archivePath: resolve(request.profile.archivePath ?? join(deps.host.defaultArchiveDir, `${id}.sqlite`)),
        demo: false,
      };
      const endpoints = endpointsOf(profile);
      const refreshToken =
        request.refreshToken ??
        (
          await exchangeGrantCode({
            accountsBase: endpoints.accountsBase,
            credentials: { clientId: profile.clientId, clientSecret: request.clientSecret },
            code: request.grantCode ?? '',
            ...(deps.fetch ? { fetch: deps.fetch } : {}),
          })
        ).refreshToken;
      deps.secrets.set(id, { clientSecret: request.clientSecret, refreshToken });
      writeSettings({ ...current, profiles: [...current.profiles.filter((p) => p.id !== id), profile], activeProfile: id });
      closeReader();
      const admin = await adminCheck({ endpoints, credentials: { clientId: profile.clientId, clientSecret: request.clientSecret, refreshToken }, quotas: parseQuotaOverrides(current.quotas) });
      return { profile, admin };
    },
    'connect:demo': async () => {
      const sim = await startDemo();
      const current = settings();
      const existing = current.profiles.find((p) => p.demo);
      const profile: OrgProfile = existing ?? {
        id: freeProfileId('demo', current.profiles),
        name: 'Demo org (simulator)',
        dataCentre: 'custom',
        clientId: sim.clientId,
        archivePath: join(deps.host.defaultArchiveDir, 'demo.sqlite'),
        demo: true,
      };
      writeSettings({ ...current, profiles: existing ? current.profiles : [...current.profiles, profile], activeProfile: profile.id });
      closeReader();
      return { profile, admin: await adminCheck(await connectionFor(profile, current)) };
    },
    'connect:check': async () => adminCheck(await activeConnection()),
    'profiles:switch': ({ id }) => {
      const current = settings();
      if (!current.profiles.some((p) => p.id === id)) throw new VaultError('NOT_FOUND', `There is no profile "${id}".`);
      if (syncJob) throw new VaultError('ARCHIVE_LOCKED', 'A sync is running for the current org.', { hint: 'Wait for it to finish (or cancel it) before switching.' });
      closeReader();
      return writeSettings({ ...current, activeProfile: id });
    },
    'profiles:remove': ({ id }) => {
      const current = settings();
      if (!current.profiles.some((p) => p.id === id)) throw new VaultError('NOT_FOUND', `There is no profile "${id}".`);
      if (syncJob && current.activeProfile === id) throw new VaultError('ARCHIVE_LOCKED', 'A sync is running for this org.', { hint: 'Wait for it to finish, or cancel it.' });
      deps.secrets.delete(id);
      const profiles = current.profiles.filter((p) => p.id !== id);
      if (current.activeProfile === id) closeReader();
      return writeSettings({ ...current, profiles, activeProfile: current.activeProfile === id ? (profiles[0]?.id ?? null) : current.activeProfile });
    },

    'archive:stats': () => {
      const db = readerOrNull();
      return db ? readArchiveStats(db) : null;
    },
    'archive:conversations': (request) => listConversations(readDb(), request),
    'archive:transcript': ({ chatId, before, after, limit }) => conversationPage(readDb(), chatId, { ...(before !== undefined ? { before } : {}), ...(after !== undefined ? { after } : {}), limit }),
    'archive:context': ({ key, around }) => messageContext(readDb(), key, around),
    'archive:versions': ({ key }) => messageVersions(readDb(), key).map(({ version, text, seenAt, supersededAt }) => ({ version, text, seenAt, supersededAt })),
    'archive:members': ({ chatId }) => membershipHistory(readDb(), chatId),
    'archive:people': ({ text, limit }) => findPeople(readDb(), text, limit),
    'archive:search': (query) => searchMessages(readDb(), query),
    'archive:verify': () => verifyArchive(readDb()),

    'insights:activity': ({ chatId, from, to, topSenders }) => {
      const timeZone = settings().timeZone;
      return activityInsights(readDb(), {
        chatId,
        from: from === undefined ? undefined : boundToInstant(from, timeZone, 'from'),
        to: to === undefined ? undefined : boundToInstant(to, timeZone, 'to'),
        timeZone,
        topSenders,
        now: clock.now(),
      });
    },

    'sync:plan': async () => planSync(readerOrNull(), await activeConnection(), adminCheck),
    'sync:start': ({ full }) => ({ jobId: runSyncJob(full).state.jobId }),
    'sync:cancel': ({ jobId }) => {
      if (syncJob?.state.jobId !== jobId) return { cancelled: false };
      syncJob.controller.abort();
      return { cancelled: true };
    },
    'sync:status': () => syncJob?.state ?? null,
    'sync:runs': ({ limit }) => {
      const db = readerOrNull();
      return db ? new RunsRepo(db).recent(limit) : [];
    },

    'audit:preview': (scope) => {
      // A connection of its own: resolving a scope creates temp tables.
      const db = openArchiveDb(archivePath(), { readonly: true });
      try {
        return db.transaction(() => {
          const resolved = resolveScope(db, scope);
          const span = db
            .prepare<[], { from: number | null; to: number | null }>(
              resolved.scoped
                ? 'SELECT min(time) AS "from", max(time) AS "to" FROM messages WHERE id IN (SELECT key FROM scope_messages)'
                : 'SELECT min(time) AS "from", max(time) AS "to" FROM messages',
            )
            .get();
          return { conversations: resolved.chats, messages: resolved.messages, senders: resolved.users, from: span?.from ?? null, to: span?.to ?? null };
        })();
      } finally {
        db.close();
      }
    },
    'audit:export': ({ scope, destination }) => {
      if (auditJob) throw new VaultError('ARCHIVE_LOCKED', 'An audit export is already running.', { hint: 'Wait for it to finish, or cancel it.' });
      const path = archivePath();
      if (!existsSync(path)) throw new VaultError('ARCHIVE_NOT_FOUND', 'Nothing is archived yet.', { hint: 'Run a sync first.' });
      const parent = resolve(destination ?? settings().exportDir ?? join(dirname(path), 'audits'));
      const outDir = join(parent, `audit-${compactUtc(clock.now())}`);
      const job = startJob<AuditProgress>('audit', async (signal, onProgress) => {
        try {
          mkdirSync(parent, { recursive: true });
          const result = await createAuditBundle({ archivePath: path, outDir, scope, signal, onProgress, clock: () => clock.now() });
          emit('audit:done', { jobId: job.state.jobId, result });
        } catch (error) {
          emit('audit:done', { jobId: job.state.jobId, error: toVaultError(error).toShape() });
        } finally {
          auditJob = null;
        }
      });
      auditJob = job;
      return { jobId: job.state.jobId };
    },
    'audit:cancel': ({ jobId }) => {
      if (auditJob?.state.jobId !== jobId) return { cancelled: false };
      auditJob.controller.abort();
      return { cancelled: true };
    },
    'audit:status': () => auditJob?.state ?? null,
    'audit:history': ({ limit }) => {
      const db = readerOrNull();
      return db ? auditHistory(db, limit) : [];
    },
    'audit:verifyBundle': ({ bundlePath }) => verifyBundle(resolve(bundlePath)),

    'backup:list': () => {
      const dir = settings().schedule.backupDir;
      if (dir === undefined || !existsSync(dir)) return [];
      return listSnapshots(dir).map((entry) => ({
        path: entry.path,
        name: entry.name,
        createdAtMs: entry.manifest?.createdAtMs ?? null,
        sizeBytes: entry.manifest?.sizeBytes ?? null,
        sha256: entry.manifest?.sha256 ?? null,
        kind: entry.manifest?.kind ?? null,
        messages: entry.manifest?.counts?.messages ?? null,
        problem: entry.problem ?? null,
      }));
    },
    'backup:create': async () => backupNow(),
    'backup:restore': async ({ snapshotPath }) => {
      if (syncJob || auditJob) throw new VaultError('ARCHIVE_LOCKED', 'A sync or an export is running.', { hint: 'Wait for it to finish before restoring.' });
      closeReader();
      const report = await restoreSnapshot({ snapshotPath: resolve(snapshotPath), archivePath: archivePath(), clock: () => clock.now() });
      return { restoredFrom: report.snapshotPath, safetyCopy: report.safetyCopy?.path ?? null };
    },
    'schedule:status': () => scheduleStatus(),

    'shell:pickFolder': async ({ purpose, defaultPath }) => {
      if (!deps.host.pickFolder) return { available: false, path: null };
      const path = await deps.host.pickFolder({ title: pickerTitles[purpose], defaultPath });
      return { available: true, path: path === null ? null : resolve(path) };
    },
    'shell:reveal': async ({ path }) => {
      if (!deps.host.reveal) return { shown: false };
      await deps.host.reveal(resolve(path));
      return { shown: true };
    },
  };

  async function backupNow() {
    const schedule = settings().schedule;
    if (schedule.backupDir === undefined) {
      throw new VaultError('USAGE', 'No backup folder is set.', { hint: 'Choose a backup folder on the Schedule & backups screen.' });
    }
    // The folder was chosen in the app (not typed on a command line): create it, as a file dialog would.
    mkdirSync(schedule.backupDir, { recursive: true });
    const result = await createSnapshot({ archivePath: archivePath(), toDir: schedule.backupDir, keep: schedule.keep, clock: () => clock.now() });
    return { path: result.path, sizeBytes: result.manifest.sizeBytes, sha256: result.manifest.sha256, removed: result.rotation?.deleted ?? [] };
  }

  function scheduleStatus(): ScheduleStatus {
    const schedule = settings().schedule;
    return { enabled: schedule.enabled, nextRun: nextScheduledRun(schedule, clock.now()), lastRun: lastScheduled, runsInApp: deps.host.runsScheduleInApp };
  }

  return {
    async dispatch(name, request): Promise<Result<unknown>> {
      if (!(operationNames as readonly string[]).includes(name)) {
        return { ok: false, error: { code: 'USAGE', message: `Unknown operation "${name}".` } };
      }
      const op = name as OperationName;
      const parsed = contract[op].request.safeParse(request ?? {});
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
        return { ok: false, error: { code: 'USAGE', message: `${op}: ${where}${issue?.message ?? 'invalid request'}.`, hint: 'The request was refused and nothing changed.' } };
      }
      try {
        const handler = handlers[op] as (request: unknown) => unknown;
        return { ok: true, value: await handler(parsed.data) };
      } catch (error) {
        const failure = toVaultError(error);
        if (failure.code === 'INTERNAL') log.error(`${op} failed`, { error: failure.message });
        else log.info(`${op} refused`, { code: failure.code, error: failure.message });
        return { ok: false, error: failure.toShape() };
      }
    },
    on(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    async runScheduledJob() {
      const at = clock.now();
      let outcome: { ok: boolean; message: string };
      try {
        if (syncJob) throw new VaultError('ARCHIVE_LOCKED', 'A sync was already running; the scheduled run was skipped.');
        const job = runSyncJob(false);
        let done: EventPayloads['sync:done'] | undefined;
        const off = this.on((event, payload) => {
          if (event === 'sync:done' && (payload as EventPayloads['sync:done']).jobId === job.state.jobId) done = payload as EventPayloads['sync:done'];
        });
        await job.finished;
        off();
        if (done?.error) throw new VaultError(done.error.code, done.error.message);
        const status = done?.report?.status ?? 'failed';
        const backup = settings().schedule.backupDir === undefined ? null : await backupNow();
        outcome = { ok: status === 'complete', message: `Sync ${status}${backup ? `; snapshot ${backup.path}` : '; no backup folder set'}.` };
      } catch (error) {
        outcome = { ok: false, message: toVaultError(error).message };
      }
      lastScheduled = { at, ...outcome };
      const status = scheduleStatus();
      emit('schedule:ran', status);
      return status;
    },
    async close() {
      syncJob?.controller.abort();
      auditJob?.controller.abort();
      await Promise.allSettled([syncJob?.finished, auditJob?.finished]);
      closeReader();
      if (demo) await (await demo.catch(() => null))?.close();
      demo = null;
    },
  };
}

const pickerTitles = { backups: 'Folder for backup snapshots', exports: 'Folder for audit bundles', archive: 'Folder for the archive' } as const;

const appAuthHints: Partial<Record<string, string>> = {
  AUTH_INVALID_GRANT: 'Re-authorise: the refresh token was revoked or has expired. Connect the org again on the Connect screen with a new self-client grant code.',
  AUTH_MISSING_CREDENTIALS: 'Connect the org again on the Connect screen.',
  AUTH_REJECTED: 'Check the client id and secret, then connect the org again on the Connect screen.',
};

function endpointsOf(profile: OrgProfile) {
  return resolveEndpoints({
    dataCentre: profile.dataCentre === 'custom' ? undefined : profile.dataCentre,
    apiBase: profile.apiBase,
    accountsBase: profile.accountsBase,
    network: profile.network,
  });
}

/** `Acme Corp` → `acme-corp`, `acme-corp-2`, …: unique among the profiles. */
function freeProfileId(name: string, profiles: readonly OrgProfile[]): string {
  const base =
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 30) || 'org';
  let id = base;
  for (let n = 2; profiles.some((p) => p.id === id); n++) id = `${base}-${n}`;
  return id;
}
