import type Database from 'better-sqlite3-multiple-ciphers';
import { VaultError } from '../../../shared/errors';
import type { OptionalSourceView } from '../../../shared/evidence';
import { callsSource } from './calls';
import { directorySources } from './directory';
import { reactionsSource, stickySource } from './extrasLane';
import { parseSourceStatus, type OptionalSource } from './optionalSource';
import { scheduledSource } from './scheduledMessages';

/** An optional source and the table its rows are archived in (every row ever seen counts, gone ones too). */
interface DeclaredSource {
  source: OptionalSource;
  table: string;
}

/**
 * Every optional source of the sync, declared once, in the order the Sync screen lists them: the
 * lanes run them (each names its own `OptionalSource`), and the screens and reports read their
 * outcomes from here, never from a copy of the list.
 */
export const optionalSources: readonly DeclaredSource[] = [
  { source: directorySources.department, table: 'departments' },
  { source: directorySources.designation, table: 'designations' },
  { source: directorySources.role, table: 'roles' },
  { source: directorySources.team, table: 'teams' },
  { source: reactionsSource, table: 'reactions' },
  { source: stickySource, table: 'sticky_messages' },
  { source: callsSource, table: 'calls' },
  { source: scheduledSource, table: 'scheduled_messages' },
];

/**
 * How one source fared at its last run (meta `source.<dataset>`, written by runOptionalSource) and
 * its rows. No archive yet (before the first sync), or one from before the source existed: never
 * tried, no rows.
 */
export function optionalSourceView(db: Database.Database | null, { source, table }: DeclaredSource): OptionalSourceView {
  const hasTable = db?.prepare<[string], { n: number }>("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = ?").get(table)?.n === 1;
  if (db === null || !hasTable) return { dataset: source.dataset, label: source.label, scope: source.scope, status: null, at: null, rows: 0 };
  const raw = db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?').get(`source.${source.dataset}`)?.value;
  const status = parseSourceStatus(raw);
  // The table names are this file's constants, never input.
  const rows = db.prepare<[], { n: number }>(`SELECT count(*) AS n FROM ${table}`).get()?.n ?? 0;
  return { dataset: source.dataset, label: source.label, scope: source.scope, status: status?.status ?? null, at: status?.at ?? null, rows };
}

/** Every optional source's view, in the declared order. */
export function optionalSourceViews(db: Database.Database | null): OptionalSourceView[] {
  return optionalSources.map((declared) => optionalSourceView(db, declared));
}

/** The view of one dataset's source (the Calls screen's empty states say why from it). */
export function optionalSourceViewOf(db: Database.Database, dataset: string): OptionalSourceView {
  const declared = optionalSources.find((d) => d.source.dataset === dataset);
  if (!declared) throw new VaultError('INTERNAL', `No optional source declares the ${dataset} dataset.`);
  return optionalSourceView(db, declared);
}
