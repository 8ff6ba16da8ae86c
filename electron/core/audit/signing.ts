import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { VaultError } from '../../../shared/errors';
import type { BundleSignature } from '../../../shared/archive';
import { sha256Hex } from '../util/sha256';
import { readPrivateFile } from '../util/privateFile';

/** The files a signed bundle adds beside SHA256SUMS; never listed in it (they sign it). */
export const signatureFile = 'SHA256SUMS.sig';
export const publicKeyFile = 'signing-key.pub.pem';
export const signedFile = 'SHA256SUMS';

/**
 * Who signs a bundle: an Ed25519 private key and its public half. `ephemeral` keys are made for
 * one bundle and thrown away: their signature shows the bundle is unchanged since it was made,
 * never who made it. Injected by the shells (the app keeps its key in the OS secret store; the
 * CLI reads a key file).
 */
export interface BundleSigner {
  ephemeral: boolean;
  /** Where the key came from, in words (never the key). */
  origin: string;
  publicKey: KeyObject;
  /** SHA-256 of the raw 32-byte public key, hex in groups of four (see fingerprintOf). */
  fingerprint: string;
  sign(data: Buffer): Buffer;
}

/** The manifest's `signature` object. */
export interface ManifestSignature {
  algorithm: 'Ed25519';
  fingerprint: string;
  ephemeral: boolean;
  publicKeyFile: string;
  signatureFile: string;
  signedFile: string;
}

function signerOf(privateKey: KeyObject, ephemeral: boolean, origin: string): BundleSigner {
  const publicKey = createPublicKey(privateKey);
  return { ephemeral, origin, publicKey, fingerprint: fingerprintOf(publicKey), sign: (data) => sign(null, data, privateKey) };
}

/** A key made for one bundle only: integrity since production, no producer identity. */
export function ephemeralSigner(): BundleSigner {
  return signerOf(generateKeyPairSync('ed25519').privateKey, true, 'an ephemeral key made for this bundle only');
}

/** A signer from a PKCS#8 PEM private key held elsewhere (the app's secret store). */
export function signerFromPem(pem: string, origin: string): BundleSigner {
  const key = parsePrivateKey(pem, origin);
  return signerOf(key, false, origin);
}

/**
 * The raw 32 bytes of an Ed25519 public key, hashed with SHA-256, in hex groups of four joined by
 * ':' (readable aloud, and one word on a command line).
 */
export function fingerprintOf(publicKey: KeyObject): string {
  return groupHex(sha256Hex(rawPublicKey(publicKey)));
}

/** A fingerprint as typed by a person (any case, any separators) → the grouped form. */
export function normaliseFingerprint(text: string): string {
  return groupHex(text.toLowerCase().replace(/[^0-9a-f]/g, ''));
}

function groupHex(hex: string): string {
  return (hex.match(/.{1,4}/g) ?? []).join(':');
}

export function rawPublicKey(publicKey: KeyObject): Buffer {
  const jwk = publicKey.export({ format: 'jwk' });
  return Buffer.from(jwk.x ?? '', 'base64url');
}

function parsePrivateKey(pem: string, origin: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch (error) {
    throw new VaultError('USAGE', `${origin} does not hold a private key (PKCS#8 PEM).`, {
      cause: error,
      hint: 'Create one with `cliq-vault audit --new-signing-key FILE`.',
      ui: { message: `${origin} does not hold a private key (PKCS#8 PEM).`, hint: 'Choose a signing key file Cliq Vault created.' },
    });
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new VaultError('USAGE', `${origin} holds a ${key.asymmetricKeyType ?? 'unknown'} key; bundles are signed with Ed25519.`);
  return key;
}

/**
 * Reads a signing key file (PKCS#8 PEM). A file the group or others may read is refused, as ssh
 * refuses such a private key and readKeyFile (cipher/archiveKey.ts) refuses an archive key.
 */
export function readSigningKey(path: string): BundleSigner {
  return signerOf(parsePrivateKey(readSigningKeyPem(path), `The signing key ${path}`), false, `the signing key ${path}`);
}

/** A signing key file's PEM, checked to be a private file holding an Ed25519 key (for a shell to keep in memory). */
export function readSigningKeyPem(path: string): string {
  // A PEM Ed25519 key is ~120 bytes; anything much larger is not one.
  const pem = readPrivateFile(path, { label: 'signing key', flag: '--signing-key', maxBytes: 4096 }).toString('utf8');
  parsePrivateKey(pem, `The signing key ${path}`);
  return pem;
}

/** A new Ed25519 private key as PKCS#8 PEM (for a shell that keeps it in its secret store). */
export function newSigningKeyPem(): string {
  return generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
}

/** Writes a new Ed25519 signing key file (PKCS#8 PEM, mode 0600, never over an existing file). */
export function createSigningKey(path: string): BundleSigner {
  const { privateKey } = generateKeyPairSync('ed25519');
  try {
    writeFileSync(path, privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600, flag: 'wx' });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new VaultError('USAGE', `${path} already exists; a new signing key is never written over a file.`, { hint: 'Choose a new path.' });
    throw new VaultError('IO_ERROR', `Could not write the signing key ${path}: ${code ?? String(error)}.`, { cause: error });
  }
  return signerOf(privateKey, false, `the signing key ${path}`);
}

/** What manifest.json records about the signature (written before SHA256SUMS, so it is covered). */
export function manifestSignature(signer: BundleSigner): ManifestSignature {
  return { algorithm: 'Ed25519', fingerprint: signer.fingerprint, ephemeral: signer.ephemeral, publicKeyFile, signatureFile, signedFile };
}

/**
 * Signs the exact bytes of SHA256SUMS (which lists manifest.json and every other file) and writes
 * the raw 64-byte signature and the SPKI PEM public key beside it. Called after SHA256SUMS is final.
 */
export function signBundle(dir: string, signer: BundleSigner): void {
  const sums = readFileSync(join(dir, signedFile));
  writeFileSync(join(dir, signatureFile), signer.sign(sums), { flag: 'wx' });
  writeFileSync(join(dir, publicKeyFile), signer.publicKey.export({ format: 'pem', type: 'spki' }), { flag: 'wx' });
}

/**
 * Checks a bundle's signature: the public key file must be the key manifest.json names (by
 * fingerprint), and the signature must verify over SHA256SUMS. SHA256SUMS's own hashes, and so
 * manifest.json's, are checked by verifyBundle. `recorded` is null when manifest.json cannot be
 * read: the signature is then checked with the key the bundle carries.
 */
export function checkBundleSignature(dir: string, recorded: Partial<ManifestSignature> | undefined | null, present: (name: string) => boolean): BundleSignature {
  const hasSig = present(signatureFile);
  const hasKey = present(publicKeyFile);
  if (recorded === undefined && !hasSig && !hasKey) {
    return { status: 'absent', fingerprint: null, ephemeral: null, problem: null };
  }
  const fingerprint = typeof recorded?.fingerprint === 'string' ? recorded.fingerprint : null;
  const ephemeral = typeof recorded?.ephemeral === 'boolean' ? recorded.ephemeral : null;
  const invalid = (problem: string): BundleSignature => ({ status: 'invalid', fingerprint, ephemeral, problem });
  if (recorded === undefined) return invalid(`${hasSig ? signatureFile : publicKeyFile} is in the bundle but manifest.json records no signature.`);
  if (recorded !== null && recorded.algorithm !== 'Ed25519') return invalid(`manifest.json names the signature algorithm ${String(recorded.algorithm)}; only Ed25519 is known.`);
  if (!hasSig) return invalid(`${signatureFile} is missing.`);
  if (!hasKey) return invalid(`${publicKeyFile} is missing.`);
  let publicKey: KeyObject;
  try {
    publicKey = createPublicKey(readFileSync(join(dir, publicKeyFile)));
  } catch {
    return invalid(`${publicKeyFile} is not a public key: it was changed.`);
  }
  if (publicKey.asymmetricKeyType !== 'ed25519') return invalid(`${publicKeyFile} is not an Ed25519 key: it was changed.`);
  const actual = fingerprintOf(publicKey);
  if (recorded !== null && (fingerprint === null || normaliseFingerprint(fingerprint) !== actual)) return invalid(`${publicKeyFile} is not the key manifest.json names: it was changed.`);
  const signature = readFileSync(join(dir, signatureFile));
  if (signature.length !== 64 || !verify(null, readFileSync(join(dir, signedFile)), publicKey, signature)) {
    return { status: 'invalid', fingerprint: actual, ephemeral, problem: 'The signature does not match SHA256SUMS: SHA256SUMS or the signature was changed.' };
  }
  return { status: 'valid', fingerprint: actual, ephemeral, problem: null };
}
