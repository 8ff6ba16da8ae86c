import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { VaultError } from '../../../shared/errors';
import type { AuditFile } from '../../../shared/audit';
import { bundleFormat } from './bundle';
import type { BundleReport } from '../../../shared/archive';
import { sha256Hex } from '../util/sha256';
import { checkCustodyLog, custodyLogFile } from './custodyLog';
import { checkBundleSignature, normaliseFingerprint, publicKeyFile, signatureFile, type ManifestSignature } from './signing';
export type { BundleReport } from '../../../shared/archive';

/**
 * Checks an audit bundle against itself: every file listed in SHA256SUMS has that hash, no file
 * is missing or added, and manifest.json agrees with SHA256SUMS and with each data file's row
 * count; the Ed25519 signature over SHA256SUMS checks (and, given `signer`, was made by that key);
 * and every hand-over in custody-log.txt is signed and chained. It cannot tell whether the bundle
 * matches the archive today (`verify --archive` does that for the archive; regenerating the bundle
 * gives byte-identical data files).
 */
export async function verifyBundle(dir: string, options: { signer?: string } = {}): Promise<BundleReport> {
  if (!existsSync(join(dir, 'manifest.json')) || !existsSync(join(dir, 'SHA256SUMS'))) {
    throw new VaultError('BUNDLE_INVALID', `${dir} is not an audit bundle (no manifest.json or SHA256SUMS).`, {
      hint: 'Point --bundle at the folder `cliq-vault audit` created.',
      ui: { message: `${dir} is not an audit bundle (no manifest.json or SHA256SUMS).`, hint: 'Choose the folder an audit export created.' },
    });
  }
  const problems: string[] = [];
  let unreadable = false;
  let manifest: {
    format?: string;
    files?: AuditFile[];
    attachmentFiles?: { files?: number; bytes?: number; list?: { path: string; sha256: string; bytes: number }[] };
    transcripts?: { list?: { path: string; sha256: string }[] };
    archive?: { integrityHead?: { hash?: string } | null };
    signature?: Partial<ManifestSignature>;
  };
  try {
    manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as typeof manifest;
  } catch {
    // Reported, not thrown: SHA256SUMS and the signature still say which file changed.
    problems.push('manifest.json is not valid JSON: the bundle was altered or damaged.');
    manifest = {};
    unreadable = true;
  }
  if (manifest.format !== bundleFormat) problems.push(`manifest.json is not a ${bundleFormat} manifest.`);

  const listed = new Map<string, string>();
  for (const line of readFileSync(join(dir, 'SHA256SUMS'), 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    const match = /^([0-9a-f]{64}) {2}(.+)$/.exec(line);
    if (!match?.[1] || !match[2]) {
      problems.push(`SHA256SUMS has a line that is not "<sha256>  <file>": ${JSON.stringify(line.slice(0, 80))}`);
      continue;
    }
    listed.set(match[2], match[1]);
  }
  // The signature files sign SHA256SUMS, and the custody log grows after production: none is listed.
  const unlisted = new Set(['SHA256SUMS', signatureFile, publicKeyFile, custodyLogFile]);
  const all = walk(dir);
  const present = all.filter((p) => !unlisted.has(p));
  for (const path of present) if (!listed.has(path)) problems.push(`${path} is in the bundle but not in SHA256SUMS: it was added.`);
  let filesChecked = 0;
  for (const [path, expected] of listed) {
    if (!existsSync(join(dir, path))) {
      problems.push(`${path} is listed in SHA256SUMS but missing.`);
      continue;
    }
    filesChecked += 1;
    const actual = await sha256File(join(dir, path));
    if (actual !== expected) problems.push(`${path} does not match its SHA-256 in SHA256SUMS: it was changed.`);
  }
  for (const file of manifest.files ?? []) {
    if (listed.get(file.path) !== file.sha256) problems.push(`manifest.json and SHA256SUMS disagree about ${file.path}.`);
    // An .rsmf file's rows are its events, inside its zip: SHA256SUMS and the signature vouch for it whole.
    if (!existsSync(join(dir, file.path)) || file.format === 'rsmf') continue;
    const rows = file.format === 'csv' ? (await countCsvRecords(join(dir, file.path))) - 1 : await countLines(join(dir, file.path));
    if (rows !== file.rows) problems.push(`${file.path} has ${rows} rows; manifest.json says ${file.rows}.`);
  }
  // Attachment files are named by the SHA-256 the archive sealed; SHA256SUMS must say the same.
  const copied = manifest.attachmentFiles?.list ?? [];
  for (const file of copied) {
    if (listed.get(file.path) !== file.sha256) problems.push(`manifest.json and SHA256SUMS disagree about ${file.path}.`);
    if (!file.path.startsWith(`files/${file.sha256}`)) problems.push(`${file.path} is not named by its SHA-256 in manifest.json.`);
  }
  // Transcripts are listed in the manifest too: both lists must agree, and nothing unlisted may sit beside them.
  const readable = new Set<string>();
  for (const file of manifest.transcripts?.list ?? []) {
    readable.add(file.path);
    if (listed.get(file.path) !== file.sha256) problems.push(`manifest.json and SHA256SUMS disagree about ${file.path}.`);
  }
  for (const path of present) if (path.startsWith('transcripts/') && listed.has(path) && !readable.has(path)) problems.push(`${path} is in SHA256SUMS but not among manifest.json's transcripts.`);
  const produced = new Set((manifest.files ?? []).map((f) => f.path));
  for (const path of present) if (path.startsWith('rsmf/') && listed.has(path) && !produced.has(path)) problems.push(`${path} is in SHA256SUMS but not among manifest.json's files.`);
  const total = copied.reduce((n, f) => n + f.bytes, 0);
  if (manifest.attachmentFiles !== undefined && (manifest.attachmentFiles.files !== copied.length || manifest.attachmentFiles.bytes !== total)) {
    problems.push(`manifest.json counts ${String(manifest.attachmentFiles.files)} attachment files of ${String(manifest.attachmentFiles.bytes)} bytes; it lists ${copied.length} of ${total}.`);
  }
  const known = new Set(copied.map((f) => f.path));
  for (const path of present) if (path.startsWith('files/') && listed.has(path) && !known.has(path)) problems.push(`${path} is in SHA256SUMS but not among manifest.json's attachment files.`);
  // An unreadable manifest names no key: the signature is still checked, with the key the bundle carries.
  const signature = checkBundleSignature(dir, unreadable ? null : manifest.signature, (name) => all.includes(name));
  if (signature.problem !== null) problems.push(signature.problem);
  if (options.signer !== undefined) {
    const wanted = normaliseFingerprint(options.signer);
    if (signature.status !== 'valid') problems.push(`The bundle is not validly signed, so it cannot be shown to be signed by ${wanted}.`);
    else if (signature.fingerprint !== wanted) problems.push(`The bundle is signed by ${signature.fingerprint ?? '?'}, not by ${wanted}.`);
  }
  const custody = checkCustodyLog(dir);
  problems.push(...custody.problems);
  return {
    ok: problems.length === 0,
    bundlePath: dir,
    filesChecked,
    integrityHead: manifest.archive?.integrityHead?.hash ?? null,
    bundleHash: sha256Hex(readFileSync(join(dir, 'SHA256SUMS'))),
    signature,
    handOvers: custody.handOvers,
    problems,
  };
}

function walk(root: string, dir = root): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? walk(root, full) : [relative(root, full).split('\\').join('/')];
  });
}

async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** CSV records (header included), counting line ends outside quoted fields. */
async function countCsvRecords(path: string): Promise<number> {
  let inQuotes = false;
  let records = 0;
  let pending = false;
  for await (const chunk of createReadStream(path)) {
    for (const byte of chunk as Buffer) {
      if (byte === 0x22) inQuotes = !inQuotes;
      else if (byte === 0x0a && !inQuotes) {
        records += 1;
        pending = false;
        continue;
      }
      if (byte !== 0x0d) pending = true;
    }
  }
  return records + (pending ? 1 : 0);
}

async function countLines(path: string): Promise<number> {
  let lines = 0;
  for await (const chunk of createReadStream(path)) for (const byte of chunk as Buffer) if (byte === 0x0a) lines += 1;
  return lines;
}
