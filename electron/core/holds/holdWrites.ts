import type Database from 'better-sqlite3-multiple-ciphers';
import { hostname, userInfo } from 'node:os';
import { VaultError } from '../../../shared/errors';
import { holdInputSchema, holdReleaseSchema, type HoldActor, type HoldInput, type HoldReleaseInput, type HoldView } from '../../../shared/holds';
import { describeIssue } from '../../../shared/validation';
import { openArchive, type Archive } from '../archive/archive';
import { badQuery, checkQueryWords, userQuery } from '../search/ftsQuery';
import { chatByIdOrTitle } from '../search/chatByName';
import { indexedWordsOf } from '../search/queryWords';
import { systemClock, type Clock } from '../util/clock';
import { boundToInstant, checkDateOrder, checkTimeZone } from '../util/timeZone';
import { toolVersion } from '../version';
import { resolveCustodian } from './custodians';
import { holdsNamed } from './holdReads';

export interface HoldWriteOptions {
  /** The app's org profile doing it (its name); absent from the CLI. */
  profile?: string | null;
  clock?: Pick<Clock, 'now'>;
}

/** Who is acting: the profile, the OS user and host, this tool's version. */
export function currentActor(profile: string | null | undefined): HoldActor {
  return { profile: profile ?? null, osUser: userInfo().username, host: hostname(), toolVersion };
}

/**
 * Places a hold: checks the criteria against the archive (every custodian and conversation must be
 * known; the query must be one the Search screen accepts), then writes the hold and its criteria in
 * one transaction, inside a seal of kind 'audit'. Refuses a hold with no criterion and a name an
 * active hold already has.
 */
export function placeHold(archivePath: string, input: HoldInput, options: HoldWriteOptions = {}): HoldView {
  const parsed = holdInputSchema.safeParse(input);
  if (!parsed.success) throw new VaultError('USAGE', `Invalid hold: ${describeIssue(parsed.error, { subject: 'hold' })}.`);
  const spec = parsed.data;
  checkTimeZone(spec.timeZone);
  checkDateOrder(spec.from, spec.to, spec.timeZone);
  const query = spec.query === undefined || spec.query === '' ? undefined : spec.query;
  if (spec.custodians.length === 0 && spec.conversations.length === 0 && spec.from === undefined && spec.to === undefined && query === undefined) {
    throw new VaultError('USAGE', `The hold "${spec.name}" names nothing to hold: give at least one custodian, conversation, date or query.`, {
      hint: 'A hold of everything is not a hold: name custodians (--custodian), conversations (--chat), dates (--from/--to) or a query (--query).',
      ui: { message: `The hold "${spec.name}" names nothing to hold.`, hint: 'Give at least one custodian, conversation, date or query.' },
    });
  }
  const clock = options.clock ?? systemClock;
  const archive = openArchive(archivePath, { create: false, clock });
  try {
    const custodians = [...new Set(spec.custodians)].map((c) => resolveCustodian(archive.db, c));
    const chats = [...new Set(spec.conversations)].map((given) => ({ given, chatId: chatByIdOrTitle(archive.db, given) }));
    if (query !== undefined) checkQuery(archive.db, query, spec.queryMode);
    const actor = currentActor(options.profile);
    const now = clock.now();
    const holdId = archive.transaction(() => {
      if (holdsNamed(archive.db, spec.name).some((h) => h.status === 'active')) throw nameInUse(spec.name);
      const sealId = archive.sealer.open('audit', null, now);
      const id = Number(
        archive.db
          .prepare(
            `INSERT INTO legal_holds (name, reason, placed_at, profile, os_user, host, tool_version, from_time, to_time, from_text, to_text, time_zone, query, query_mode)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(
            spec.name,
            spec.reason === undefined || spec.reason === '' ? null : spec.reason,
            now,
            actor.profile,
            actor.osUser,
            actor.host,
            actor.toolVersion,
            spec.from === undefined ? null : boundToInstant(spec.from, spec.timeZone, 'from'),
            spec.to === undefined ? null : boundToInstant(spec.to, spec.timeZone, 'to'),
            spec.from ?? null,
            spec.to ?? null,
            spec.timeZone,
            query ?? null,
            spec.queryMode,
          ).lastInsertRowid,
      );
      archive.sealer.reseal('legal_holds', id);
      const custodian = archive.db.prepare('INSERT INTO legal_hold_custodians (hold_id, given, user_id, email) VALUES (?, ?, ?, ?)');
      for (const c of custodians) {
        for (const userId of c.userIds.length > 0 ? c.userIds : [null]) archive.sealer.reseal('legal_hold_custodians', custodian.run(id, c.given, userId, c.email).lastInsertRowid);
      }
      const chat = archive.db.prepare('INSERT INTO legal_hold_chats (hold_id, chat_id, given) VALUES (?, ?, ?)');
      const seen = new Set<string>();
      for (const c of chats) {
        if (seen.has(c.chatId)) continue;
        seen.add(c.chatId);
        archive.sealer.reseal('legal_hold_chats', chat.run(id, c.chatId, c.given).lastInsertRowid);
      }
      archive.sealer.close(sealId, clock.now());
      return id;
    });
    return viewOf(archive, holdId);
  } finally {
    archive.close();
  }
}

/**
 * Releases the active hold of that name: a sealed release record (who, when, why) in a seal of kind
 * 'audit'. The hold itself is never changed. A name no active hold has is refused, saying whether it
 * was released already.
 */
export function releaseHold(archivePath: string, input: HoldReleaseInput, options: HoldWriteOptions = {}): HoldView {
  const parsed = holdReleaseSchema.safeParse(input);
  if (!parsed.success) {
    const missingReason = parsed.error.issues.some((i) => i.path[0] === 'reason');
    throw new VaultError('USAGE', missingReason ? 'A release needs a reason: say why the hold may end.' : `Invalid release: ${describeIssue(parsed.error, { subject: 'release' })}.`, {
      ...(missingReason ? { hint: 'Give the reason with --reason (e.g. "matter settled, counsel approved 2026-03-31").', ui: { message: 'A release needs a reason: say why the hold may end.' } } : {}),
    });
  }
  const { name, reason } = parsed.data;
  const clock = options.clock ?? systemClock;
  const archive = openArchive(archivePath, { create: false, clock });
  try {
    const actor = currentActor(options.profile);
    const now = clock.now();
    const holdId = archive.transaction(() => {
      const named = holdsNamed(archive.db, name);
      const active = named.find((h) => h.status === 'active');
      if (!active) throw notActive(name, named.length > 0);
      const sealId = archive.sealer.open('audit', null, now);
      archive.db
        .prepare('INSERT INTO legal_hold_releases (hold_id, released_at, profile, os_user, host, tool_version, reason) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(active.id, now, actor.profile, actor.osUser, actor.host, actor.toolVersion, reason);
      archive.sealer.reseal('legal_hold_releases', active.id);
      archive.sealer.close(sealId, clock.now());
      return active.id;
    });
    return viewOf(archive, holdId);
  } finally {
    archive.close();
  }
}

function viewOf(archive: Archive, holdId: number): HoldView {
  const found = holdsNamed(archive.db, undefined).find((h) => h.id === holdId);
  if (!found) throw new VaultError('INTERNAL', `Hold ${holdId} was written but cannot be read back.`);
  return found;
}

/** The query as the Search screen would run it: words the index can hold, valid FTS5 syntax. */
function checkQuery(db: Database.Database, query: string, mode: 'simple' | 'advanced'): void {
  const indexed = indexedWordsOf(db);
  checkQueryWords(query, mode, indexed);
  const match = userQuery(query, mode, indexed);
  if (match === undefined) return;
  try {
    db.prepare('SELECT count(*) FROM (SELECT rowid FROM messages_fts WHERE messages_fts MATCH ? LIMIT 1)').get(match);
  } catch (error) {
    throw badQuery(error, query) ?? error;
  }
}

export function nameInUse(name: string): VaultError {
  return new VaultError('USAGE', `An active hold is already named "${name}".`, {
    hint: 'Hold names are unique among active holds: choose another name, or release that hold first.',
  });
}

function notActive(name: string, released: boolean): VaultError {
  return released
    ? new VaultError('USAGE', `The hold "${name}" is already released.`, { hint: 'A release is final: place a new hold to hold the same scope again.' })
    : new VaultError('USAGE', `No hold is named "${name}".`, {
        hint: 'List the holds with `cliq-vault hold list --archive <path>`; names are matched exactly.',
        ui: { message: `No hold is named "${name}".`, hint: 'Names are matched exactly; the list shows every hold.' },
      });
}
