import { createPublicKey, verify } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';
import { join } from 'node:path';
import { VaultError } from '../../../shared/errors';
import type { HandOver } from '../../../shared/archive';
import { sha256Hex } from '../util/sha256';
import { fingerprintOf, rawPublicKey, signedFile, type BundleSigner } from './signing';

/**
 * custody-log.txt: hand-overs recorded after a bundle was produced. It grows, so it is not in
 * SHA256SUMS; instead each entry is signed (Ed25519) over the hash of the entry before it and its
 * own text, and the first entry links to the SHA-256 of SHA256SUMS: the log is a hash chain tied
 * to this bundle. An edited, removed or reordered entry breaks the chain.
 */
export const custodyLogFile = 'custody-log.txt';

/** Entry fields are one line each: no line breaks or other control characters. */
function checkField(name: string, value: string): void {
  // eslint-disable-next-line no-control-regex -- control characters are what is refused
  if (value.trim() === '' || /[\u0000-\u001f\u007f\u2028\u2029]/.test(value)) {
    throw new VaultError('USAGE', `--${name} must be one line of text.`, { ui: { message: `The ${name} must be one line of text.` } });
  }
}

/** Appends a signed hand-over to the bundle's custody log and returns it. */
export function appendHandOver(dir: string, entry: { to: string; note?: string; at: Date; signer: BundleSigner }): HandOver {
  if (!existsSync(join(dir, signedFile)))
    throw new VaultError('BUNDLE_INVALID', `${dir} is not an audit bundle (no SHA256SUMS).`, {
      hint: 'Point --bundle at the folder `cliq-vault audit` created.',
      ui: { message: `${dir} is not an audit bundle (no SHA256SUMS).`, hint: 'Choose the folder an audit export created.' },
    });
  checkField('to', entry.to);
  if (entry.note !== undefined) checkField('note', entry.note);
  const { entries, problems } = readLog(dir);
  if (problems.length > 0) throw new VaultError('BUNDLE_INVALID', `The custody log is already broken: ${problems[0] ?? ''}`, { hint: 'Keep the log as it is (it is evidence) and report it.' });
  const previous = entries.at(-1)?.hash ?? sha256Hex(readFileSync(join(dir, signedFile)));
  const user = userInfo().username;
  const from = `${user}@${hostname()}`;
  const body = [
    `HAND-OVER ${entries.length + 1}`,
    `at: ${entry.at.toISOString()}`,
    `from: ${from}`,
    `to: ${entry.to}`,
    `note: ${entry.note ?? ''}`,
    `previous: ${previous}`,
    `signer: ${entry.signer.fingerprint}${entry.signer.ephemeral ? ' (ephemeral key)' : ''}`,
    `public-key: ${rawPublicKey(entry.signer.publicKey).toString('base64')}`,
  ].join('\n');
  const signature = entry.signer.sign(Buffer.from(`${previous}\n${body}\n`));
  const text = `${body}\nsignature: ${signature.toString('base64')}\n\n`;
  appendFileSync(join(dir, custodyLogFile), text);
  return { index: entries.length + 1, at: entry.at.toISOString(), from, to: entry.to, note: entry.note ?? null, fingerprint: entry.signer.fingerprint, ephemeral: entry.signer.ephemeral, ok: true };
}

/** Reads and checks the custody log: every entry's signature and its link to the one before. */
export function readLog(dir: string): { entries: (HandOver & { hash: string })[]; problems: string[] } {
  const path = join(dir, custodyLogFile);
  if (!existsSync(path)) return { entries: [], problems: [] };
  const problems: string[] = [];
  const entries: (HandOver & { hash: string })[] = [];
  let previous = existsSync(join(dir, signedFile)) ? sha256Hex(readFileSync(join(dir, signedFile))) : '';
  const blocks = readFileSync(path, 'utf8')
    .split('\n\n')
    .filter((b) => b.trim() !== '');
  for (const [i, block] of blocks.entries()) {
    const index = i + 1;
    const lines = block.replace(/^\n+/, '').split('\n');
    const field = (name: string) => lines.find((l) => l.startsWith(`${name}: `))?.slice(name.length + 2);
    const sigLine = lines.at(-1) ?? '';
    const body = lines.slice(0, -1).join('\n');
    const at = field('at') ?? '';
    const signer = field('signer') ?? '';
    const fingerprint = signer.replace(' (ephemeral key)', '');
    const entry = {
      index,
      at,
      from: field('from') ?? '',
      to: field('to') ?? '',
      note: field('note') || null,
      fingerprint,
      ephemeral: signer.endsWith('(ephemeral key)'),
      ok: false,
      hash: sha256Hex(`${body}\n${sigLine}\n`),
    };
    entries.push(entry);
    const bad = (why: string) => problems.push(`custody-log.txt hand-over ${index}: ${why}`);
    if (lines[0] !== `HAND-OVER ${index}` || !sigLine.startsWith('signature: ')) {
      bad('is not a hand-over entry in order: the log was edited.');
    } else if (field('previous') !== previous) {
      bad(
        index === 1
          ? 'does not link to this bundle’s SHA256SUMS: the log was edited or belongs to another bundle.'
          : 'does not link to the entry before it: an entry was edited, removed or reordered.',
      );
    } else {
      try {
        const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(field('public-key') ?? '', 'base64').toString('base64url') }, format: 'jwk' });
        const signature = Buffer.from(sigLine.slice('signature: '.length), 'base64');
        if (fingerprintOf(key) !== fingerprint) bad('its signer is not the key it carries: the log was edited.');
        else if (!verify(null, Buffer.from(`${previous}\n${body}\n`), key, signature)) bad('its signature does not match its text: the entry was edited.');
        else entry.ok = true;
      } catch {
        bad('its key or signature is unreadable: the log was edited.');
      }
    }
    previous = entry.hash;
  }
  return { entries, problems };
}

/** The hand-overs, as the verify report lists them. */
export function checkCustodyLog(dir: string): { handOvers: HandOver[]; problems: string[] } {
  const { entries, problems } = readLog(dir);
  return { handOvers: entries.map(({ hash: _hash, ...rest }) => rest), problems };
}
