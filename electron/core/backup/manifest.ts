import { readFileSync } from 'node:fs';
import { z } from 'zod';

/** Marks a sidecar as ours: rotation never touches a file whose sidecar lacks it. */
export const manifestFormat = 'cliq-vault-snapshot';

const sha256Schema = z.string().regex(/^[0-9a-f]{64}$/);

/**
 * The sidecar of a snapshot (`<name>.json` beside `<name>.sqlite`): what was copied, from where,
 * and the hash that lets anyone check later that the file is the one that passed integrity_check.
 * Contains paths and ids only, never message content or credentials.
 */
export const snapshotManifestSchema = z.object({
  format: z.literal(manifestFormat),
  formatVersion: z.literal(1),
  /** `snapshot`: made by `backup` (rotated); `safety-copy`: kept by `restore` (never rotated). */
  kind: z.enum(['snapshot', 'safety-copy']),
  /** The snapshot's file name (same folder as the sidecar). */
  file: z.string(),
  sourcePath: z.string(),
  /** `meta` key `archive.id`: the same archive keeps it across restores, so rotation matches on it. */
  archiveId: z.string().nullable(),
  schemaVersion: z.number().int(),
  createdAt: z.string(),
  createdAtMs: z.number().int(),
  sizeBytes: z.number().int().nonnegative(),
  sha256: sha256Schema,
  /** `ok`, or what PRAGMA integrity_check said (only a safety copy of a damaged archive has that). */
  integrity: z.string(),
  lastSyncRun: z.object({ id: z.number().int(), status: z.string(), startedAt: z.number().int(), endedAt: z.number().int().nullable() }).nullable(),
  counts: z.object({ messages: z.number().int(), conversations: z.number().int() }).nullable(),
  tool: z.string(),
  toolVersion: z.string(),
  /**
   * The archive's stored files the snapshot holds, in `<name>.sqlite.files/sha256/ab/cd/<hash>`
   * beside it (the store's own layout): every object the snapshot's copy of the database names.
   * Absent in snapshots made before files were kept, and in safety copies (a restore never removes
   * a stored file, so there is nothing to keep).
   */
  files: z
    .object({
      objects: z.array(z.object({ sha256: sha256Schema, size: z.number().int().nonnegative() })),
      /** Sum of the objects' sizes. */
      bytes: z.number().int().nonnegative(),
      /** Objects the database names that the archive's store did not have as stored (missing, or bytes that no longer hash to the name): not in the snapshot. */
      unavailable: z.array(z.object({ sha256: sha256Schema, size: z.number().int().nonnegative(), reason: z.enum(['missing', 'changed']) })),
    })
    .optional(),
});

export type SnapshotManifest = z.infer<typeof snapshotManifestSchema>;

/** Whether two snapshots are of the same archive: the same archive id, or with none yet, the same source. */
export function sameArchive(a: Pick<SnapshotManifest, 'archiveId' | 'sourcePath'>, b: Pick<SnapshotManifest, 'archiveId' | 'sourcePath'>): boolean {
  if (a.archiveId !== null || b.archiveId !== null) return a.archiveId === b.archiveId;
  // An archive never opened for writing has no id yet: fall back to where it was copied from.
  return a.sourcePath === b.sourcePath;
}

/** The sidecar path of a snapshot file: `x.sqlite` → `x.json`. */
export function sidecarPath(snapshotPath: string): string {
  return snapshotPath.replace(/\.sqlite$/, '') + '.json';
}

/** Reads a sidecar, or says why it cannot be trusted (missing, unreadable, not one of ours). */
export function readManifest(path: string): { manifest: SnapshotManifest } | { problem: string } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { problem: code === 'ENOENT' ? 'no manifest (.json) beside it' : `manifest unreadable (${code ?? 'error'})` };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { problem: 'manifest is not valid JSON' };
  }
  const parsed = snapshotManifestSchema.safeParse(json);
  return parsed.success ? { manifest: parsed.data } : { problem: 'manifest is not a Cliq Vault snapshot manifest' };
}
