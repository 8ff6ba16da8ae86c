import type Database from 'better-sqlite3-multiple-ciphers';

/** Hosts of this machine: a Cliq API base here is a simulator (Cliq itself never answers on loopback). */
const loopback = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/**
 * Whether every sync run of an archive was made against a Cliq simulator on this machine (the
 * demo org's): each run records the endpoints it used, and Cliq's own are never loopback. False
 * for an archive with no run, or with a run whose endpoints are not recorded.
 */
export function madeAgainstSimulator(db: Database.Database): boolean {
  const runs = db.prepare<[], { apiBase: string | null }>(`SELECT json_extract(options_json, '$.endpoints.apiBase') AS apiBase FROM sync_runs`).all();
  return (
    runs.length > 0 &&
    runs.every(({ apiBase }) => {
      if (typeof apiBase !== 'string' || !URL.canParse(apiBase)) return false;
      return loopback.has(new URL(apiBase).hostname);
    })
  );
}
