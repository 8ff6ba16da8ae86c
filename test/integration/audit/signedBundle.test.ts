import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BundleReport } from '../../../shared/archive';
import { credentialsEnv, lastJson, runCli, syncArgs } from '../../helpers/cli';
import { useSimulators } from '../../helpers/sim';
import { useTempDir } from '../../helpers/tempDir';

/** Flips one bit of the byte in the middle of a file (or at `at`). */
function flip(path: string, at?: number): void {
  const bytes = readFileSync(path);
  const i = at ?? Math.floor(bytes.length / 2);
  bytes[i] = (bytes[i] ?? 0) ^ 0x01;
  writeFileSync(path, bytes);
}

describe('signed audit bundles and their chain of custody', () => {
  const tempDir = useTempDir();
  const simulator = useSimulators();

  async function synced(): Promise<{ dir: string; archive: string }> {
    const sim = await simulator({ seed: 15, scale: 'tiny' });
    const dir = tempDir();
    const archive = join(dir, 'a.sqlite');
    const sync = await runCli(syncArgs(sim, archive), credentialsEnv(sim));
    expect(sync.code, sync.stderr).toBe(0);
    return { dir, archive };
  }

  async function verify(bundle: string, ...extra: string[]): Promise<{ code: number | null; report: BundleReport }> {
    const result = await runCli(['verify', '--bundle', bundle, '--json', ...extra]);
    return { code: result.code, report: lastJson(result) as BundleReport };
  }

  it('verifies a bundle from the CLI, and after a copy; a flipped byte in any kind of file fails with its reason', async () => {
    const { dir, archive } = await synced();
    const bundle = join(dir, 'bundle');
    const key = join(dir, 'signing.pem');
    const audit = await runCli(['audit', '--archive', archive, '--out', bundle, '--new-signing-key', key, '--json']);
    expect(audit.code, audit.stderr).toBe(0);
    const fingerprint = (lastJson(audit) as { signature: { fingerprint: string; ephemeral: boolean } }).signature;
    expect(fingerprint.ephemeral).toBe(false);

    const good = await verify(bundle);
    expect(good.code).toBe(0);
    expect(good.report.problems).toEqual([]);
    expect(good.report.signature).toEqual({ status: 'valid', fingerprint: fingerprint.fingerprint, ephemeral: false, problem: null });
    const sums = readFileSync(join(bundle, 'SHA256SUMS'), 'utf8');
    // The signature covers manifest.json and custody.txt through SHA256SUMS; the signature files are not listed.
    expect(sums).toMatch(/ {2}manifest\.json\n/);
    expect(sums).toMatch(/ {2}custody\.txt\n/);
    expect(sums).not.toMatch(/SHA256SUMS\.sig|signing-key\.pub\.pem/);
    expect(readFileSync(join(bundle, 'SHA256SUMS.sig'))).toHaveLength(64);
    const manifest = JSON.parse(readFileSync(join(bundle, 'manifest.json'), 'utf8')) as { signature: unknown };
    expect(manifest.signature).toEqual({
      algorithm: 'Ed25519',
      fingerprint: fingerprint.fingerprint,
      ephemeral: false,
      publicKeyFile: 'signing-key.pub.pem',
      signatureFile: 'SHA256SUMS.sig',
      signedFile: 'SHA256SUMS',
    });

    const copy = join(tempDir(), 'elsewhere', 'bundle');
    cpSync(bundle, copy, { recursive: true });
    expect((await verify(copy)).code).toBe(0);
    const human = await runCli(['verify', '--bundle', copy, '--signer', fingerprint.fingerprint.replaceAll(':', '')]);
    expect(human.code, human.stdout).toBe(0);
    expect(human.stdout).toContain(`Signature: valid, signed by ${fingerprint.fingerprint}`);
    const other = await verify(copy, '--signer', 'ab'.repeat(32));
    expect(other.code).toBe(1);
    expect(other.report.problems.join('\n')).toMatch(/is signed by .*, not by abab/);

    const kinds: [string, RegExp][] = [
      ['data/messages.jsonl', /data\/messages\.jsonl does not match its SHA-256 in SHA256SUMS/],
      ['data/messages.csv', /data\/messages\.csv does not match its SHA-256/],
      ['manifest.json', /manifest\.json/],
      ['README.txt', /README\.txt does not match its SHA-256/],
      ['custody.txt', /custody\.txt does not match its SHA-256/],
      ['transcripts/index.html', /transcripts\/index\.html does not match its SHA-256/],
      ['SHA256SUMS', /The signature does not match SHA256SUMS/],
      ['SHA256SUMS.sig', /The signature does not match SHA256SUMS/],
      ['signing-key.pub.pem', /signing-key\.pub\.pem (is not|is not the key)/],
    ];
    for (const [file, reason] of kinds) {
      const altered = join(tempDir(), 'bundle');
      cpSync(bundle, altered, { recursive: true });
      flip(join(altered, file));
      const result = await verify(altered);
      expect(result.code, file).toBe(1);
      expect(result.report.ok, file).toBe(false);
      expect(result.report.problems.join('\n'), file).toMatch(reason);
      if (file === 'SHA256SUMS' || file.startsWith('S') || file.startsWith('signing')) expect(result.report.signature.status, file).toBe('invalid');
    }
    // A signature file removed is a signature missing, not a bundle "never signed".
    const stripped = join(tempDir(), 'bundle');
    cpSync(bundle, stripped, { recursive: true });
    writeFileSync(join(stripped, 'SHA256SUMS.sig'), '');
    expect((await verify(stripped)).report.signature.status).toBe('invalid');
    // An unreadable manifest is reported beside the sums and the signature, not thrown.
    const garbled = join(tempDir(), 'bundle');
    cpSync(bundle, garbled, { recursive: true });
    writeFileSync(join(garbled, 'manifest.json'), '{');
    const unreadable = await verify(garbled);
    expect(unreadable.code).toBe(1);
    expect(unreadable.report.problems).toEqual(expect.arrayContaining(['manifest.json is not valid JSON: the bundle was altered or damaged.', 'manifest.json does not match its SHA-256 in SHA256SUMS: it was changed.']));
    expect(unreadable.report.signature).toMatchObject({ status: 'valid', fingerprint: fingerprint.fingerprint });
  });

  it('is checked by the system openssl as README.txt says, which refuses it after a flipped byte', async () => {
    const { dir, archive } = await synced();
    const bundle = join(dir, 'bundle');
    expect((await runCli(['audit', '--archive', archive, '--out', bundle, '--no-files'])).code).toBe(0);
    const readme = readFileSync(join(bundle, 'README.txt'), 'utf8');
    const command = 'openssl pkeyutl -verify -pubin -inkey signing-key.pub.pem -rawin -in SHA256SUMS -sigfile SHA256SUMS.sig';
    expect(readme).toContain('CHECKING THE SIGNATURE');
    expect(readme).toContain(command);
    expect(readme).toContain('sha256sum -c SHA256SUMS');
    const openssl = (cwd: string) => spawnSync('openssl', command.split(' ').slice(1), { cwd, encoding: 'utf8' });
    const ok = openssl(bundle);
    if (ok.error) throw new Error(`The system openssl (3.0 or later) is needed to test README.txt's command, and could not run: ${ok.error.message}`);
    expect(ok.stdout + ok.stderr).toContain('Signature Verified Successfully');
    expect(ok.status).toBe(0);
    const sha = spawnSync('sha256sum', ['-c', '--quiet', 'SHA256SUMS'], { cwd: bundle, encoding: 'utf8' });
    expect(sha.status, sha.stdout + sha.stderr).toBe(0);
    // The fingerprint README's openssl pipeline prints is the manifest's.
    const fp = spawnSync('sh', ['-c', 'openssl pkey -pubin -in signing-key.pub.pem -outform DER | tail -c 32 | sha256sum'], { cwd: bundle, encoding: 'utf8' });
    const manifest = JSON.parse(readFileSync(join(bundle, 'manifest.json'), 'utf8')) as { signature: { fingerprint: string } };
    expect(fp.stdout.slice(0, 64)).toBe(manifest.signature.fingerprint.replaceAll(':', ''));

    flip(join(bundle, 'SHA256SUMS'));
    const bad = openssl(bundle);
    expect(bad.status).not.toBe(0);
    expect(bad.stdout + bad.stderr).not.toContain('Signature Verified Successfully');
  });

  it('signs with the key file given (same fingerprint every time), or an ephemeral key it says is one; refuses a readable key', async () => {
    const { dir, archive } = await synced();
    const key = join(dir, 'signing.pem');
    const first = await runCli(['audit', '--archive', archive, '--out', join(dir, 'b1'), '--new-signing-key', key, '--no-files', '--no-transcripts', '--json']);
    expect(first.code, first.stderr).toBe(0);
    expect(statSync(key).mode & 0o777).toBe(0o600);
    const signature = (r: Awaited<ReturnType<typeof runCli>>) => (lastJson(r) as { signature: { fingerprint: string; ephemeral: boolean } }).signature;
    const again = await runCli(['audit', '--archive', archive, '--out', join(dir, 'b2'), '--signing-key', key, '--no-files', '--no-transcripts', '--json']);
    const fromEnv = await runCli(['audit', '--archive', archive, '--out', join(dir, 'b3'), '--no-files', '--no-transcripts', '--json'], { CLIQ_VAULT_SIGNING_KEY_FILE: key });
    // --new-signing-key on an existing file reads it (never writes over it), as encrypt's --new-key-file.
    const existing = await runCli(['audit', '--archive', archive, '--out', join(dir, 'b4'), '--new-signing-key', key, '--no-files', '--no-transcripts', '--json']);
    expect(new Set([signature(first), signature(again), signature(fromEnv), signature(existing)].map((s) => JSON.stringify(s))).size).toBe(1);
    expect((await verify(join(dir, 'b3'), '--signer', signature(first).fingerprint)).code).toBe(0);

    const e1 = await runCli(['audit', '--archive', archive, '--out', join(dir, 'e1'), '--no-files', '--no-transcripts', '--json']);
    const e2 = await runCli(['audit', '--archive', archive, '--out', join(dir, 'e2'), '--no-files', '--no-transcripts', '--json']);
    expect(signature(e1).ephemeral).toBe(true);
    expect(signature(e1).fingerprint).not.toBe(signature(e2).fingerprint);
    const ephemeral = await runCli(['verify', '--bundle', join(dir, 'e1')]);
    expect(ephemeral.code).toBe(0);
    expect(ephemeral.stdout).toMatch(/Signature: valid, by an ephemeral key made for this bundle only .*proves no producer identity/);
    expect(readFileSync(join(dir, 'e1', 'custody.txt'), 'utf8')).toMatch(/EPHEMERAL key made for this bundle only .*proves NO producer identity/);
    expect(readFileSync(join(dir, 'e1', 'README.txt'), 'utf8')).toMatch(/EPHEMERAL key/);
    expect((JSON.parse(readFileSync(join(dir, 'e1', 'manifest.json'), 'utf8')) as { signature: { ephemeral: boolean } }).signature.ephemeral).toBe(true);

    chmodSync(key, 0o644);
    const refused = await runCli(['audit', '--archive', archive, '--out', join(dir, 'b5'), '--signing-key', key]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/can be read by other users \(mode 644\); it was not used/);
    expect(existsSync(join(dir, 'b5'))).toBe(false);
  });

  it('writes custody.txt (matter, reason, scope titles, holds, seal) and keeps a signed chain of hand-overs', async () => {
    const { dir, archive } = await synced();
    const chats = await runCli(['stats', '--archive', archive, '--conversations', '--json']);
    const listed = (lastJson(chats) as { conversations: { chatId: string; title: string | null }[] }).conversations;
    const chat = listed.find((c) => c.title !== null);
    if (!chat?.title) throw new Error('no titled conversation');
    const hold = await runCli(['hold', 'add', '--archive', archive, '--name', 'Acme hold', '--chat', chat.chatId, '--reason', 'litigation']);
    expect(hold.code, hold.stderr).toBe(0);
    const bundle = join(dir, 'bundle');
    const audit = await runCli([
      'audit',
      '--archive',
      archive,
      '--out',
      bundle,
      '--chat',
      chat.chatId,
      '--from',
      '2020-01-01',
      '--tz',
      'Asia/Kolkata',
      '--matter',
      'Acme v. Doe',
      '--reason',
      'Production request 3',
    ]);
    expect(audit.code, audit.stderr).toBe(0);
    const custody = readFileSync(join(bundle, 'custody.txt'), 'utf8');
    const manifest = JSON.parse(readFileSync(join(bundle, 'manifest.json'), 'utf8')) as { archive: { integrityHead: { hash: string } }; custody: unknown };
    expect(custody).toContain('Matter:         Acme v. Doe');
    expect(custody).toContain('Reason:         Production request 3');
    expect(custody).toContain(JSON.stringify(chat.title));
    expect(custody).toContain('from 2020-01-01 to the last message (both days included), in the time zone Asia/Kolkata');
    expect(custody).toMatch(/\(UTC\); .*\+05:30 \(Asia\/Kolkata/);
    expect(custody).toContain('"Acme hold": ACTIVE');
    expect(custody).toContain(manifest.archive.integrityHead.hash);
    expect(custody).toMatch(/Software: {7}cliq-vault \S+ \(/);
    expect(manifest.custody).toEqual({ matter: 'Acme v. Doe', reason: 'Production request 3' });
    const readme = readFileSync(join(bundle, 'README.txt'), 'utf8');
    expect(readme).toContain('CHAIN OF CUSTODY');
    expect(readme).toContain('Acme v. Doe');

    const key = join(dir, 'signing.pem');
    const h1 = await runCli(['custody', '--bundle', bundle, '--to', 'Outside counsel', '--note', 'by courier', '--new-signing-key', key]);
    expect(h1.code, h1.stderr).toBe(0);
    const h2 = await runCli(['custody', '--bundle', bundle, '--to', 'The court', '--json']);
    expect(h2.code, h2.stderr).toBe(0);
    expect(readFileSync(join(bundle, 'SHA256SUMS'), 'utf8')).not.toContain('custody-log.txt');
    const chained = await verify(bundle);
    expect(chained.code, chained.report.problems.join('\n')).toBe(0);
    expect(chained.report.handOvers.map((h) => [h.index, h.to, h.note, h.ok, h.ephemeral])).toEqual([
      [1, 'Outside counsel', 'by courier', true, false],
      [2, 'The court', null, true, true],
    ]);
    expect(readFileSync(join(bundle, 'custody-log.txt'), 'utf8')).toContain(`previous: ${chained.report.bundleHash ?? ''}`);
    expect((await runCli(['custody', '--bundle', bundle, '--to', 'two\nlines'])).code).toBe(2);

    const edited = join(tempDir(), 'bundle');
    cpSync(bundle, edited, { recursive: true });
    const log = join(edited, 'custody-log.txt');
    writeFileSync(log, readFileSync(log, 'utf8').replace('to: Outside counsel', 'to: Outside counsel X'));
    const broken = await verify(edited);
    expect(broken.code).toBe(1);
    expect(broken.report.problems.join('\n')).toMatch(/hand-over 1: its signature does not match its text/);
    expect(broken.report.problems.join('\n')).toMatch(/hand-over 2: does not link to the entry before it/);
    // Appending to a broken log is refused: the break stays visible.
    expect((await runCli(['custody', '--bundle', edited, '--to', 'Someone'])).code).toBe(1);
  });
});
