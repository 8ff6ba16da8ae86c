import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, extname, join } from 'node:path';
import { randomBytes } from 'node:crypto';

/**
 * File names of snapshots come from the archive's file name and the UTC time, never from anything
 * inside the archive (chat titles are user content: they can hold `/`, `..`, or a device name).
 */
export function archiveStem(archivePath: string): string {
  const name = basename(archivePath, extname(archivePath));
  const safe = name
    .replace(/[^A-Za-z0-9._-]/g, '_')
    .replace(/^[.]+/, '')
    .slice(0, 80);
  return safe === '' ? 'archive' : safe;
}

/** `20261123T023000123Z`: sorts like the time, and is valid on every file system. */
export function compactUtc(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:.]/g, '');
}

/** `<stem>-<UTC>[-n].sqlite`, as made by `backup`. */
export const snapshotNamePattern = /^(.+)-(\d{8}T\d{9}Z)(?:-(\d+))?\.sqlite$/;

/**
 * The first free `<prefix><UTC>[-n].sqlite` in `dir` whose sidecar and `.sqlite.files` names are free too. Two backups of
 * the same archive in the same millisecond get `-2`, `-3`: a snapshot is never overwritten.
 */
export function freeSnapshotPath(dir: string, prefix: string, ms: number): string {
  const base = `${prefix}${compactUtc(ms)}`;
  for (let n = 1; ; n += 1) {
    const name = n === 1 ? base : `${base}-${n}`;
    const path = join(dir, `${name}.sqlite`);
    if (!existsSync(path) && !existsSync(join(dir, `${name}.json`)) && !existsSync(`${path}.files`)) return path;
  }
}

function hostTag(): string {
  return (
    hostname()
      .replace(/[^A-Za-z0-9]/g, '')
      .slice(0, 32) || 'host'
  );
}

/**
 * Temporary files are hidden, name their host and pid, and end in `.partial…`: a crash leaves at
 * most these (and a temp copy's `.sqlite.files` folder of stored files), and the next backup on the
 * same host removes the ones whose process is gone.
 */
export function partialPath(dir: string, extension: 'sqlite' | 'json'): string {
  return join(dir, `.cliq-vault-partial-${hostTag()}-${process.pid}-${randomBytes(4).toString('hex')}.${extension}`);
}

const partialPattern = /^\.cliq-vault-partial-([A-Za-z0-9]+)-(\d+)-[0-9a-f]{8}\.(?:sqlite|json)(?:-journal|-wal|-shm|\.files)?$/;

/** The pid of a temporary file left on this host, or undefined for anything else. */
export function partialOwner(name: string): number | undefined {
  const match = partialPattern.exec(name);
  if (!match || match[1] !== hostTag()) return undefined;
  return Number(match[2]);
}
