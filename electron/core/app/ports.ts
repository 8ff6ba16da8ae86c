import type { AppInfo } from '../../../shared/views';
import type { Settings } from '../../../shared/settings';
import type { KeyMessage } from '../cipher';

/**
 * What the app service needs from the shell it runs in. The Electron main process and `serve` each
 * provide their own (electron-store + safeStorage; conf + memory), so the service — every contract
 * operation — is the same code in both.
 */

/** The settings file. `read` parses with the shared schema (a bad file is CONFIG_INVALID, with a hint). */
export interface SettingsStore {
  readonly path: string;
  read(): Settings;
  /** Writes a complete, already-validated settings object. */
  write(next: Settings): void;
}

export interface ProfileSecrets {
  clientSecret: string;
  refreshToken: string;
}

/**
 * Where the client secret and refresh token of each profile live. Never plain text on disk:
 * Electron's safeStorage in the app, process memory (from the environment or typed in) in `serve`.
 *
 * Asynchronous because the service may run in a worker while the secrets stay in the process that
 * owns them (fetched over a message channel): ask with `has` where only presence matters, and `get`
 * only when a connection is really made.
 */
export interface SecretStore {
  readonly kind: AppInfo['secretStorage'];
  /** Whether secrets are stored for the profile, without handing them out. */
  has(profileId: string): Promise<boolean>;
  /** A copy of the profile's secrets; undefined when none are stored (or they cannot be read). */
  get(profileId: string): Promise<ProfileSecrets | undefined>;
  /** Rejects with AUTH_FAILED and a hint when secrets cannot be kept safely (kind `unavailable`). */
  set(profileId: string, secrets: ProfileSecrets): Promise<void>;
  delete(profileId: string): Promise<void>;
}

/** How the host keeps archive keys, for the screens (never a key). */
export interface KeyringStatus {
  /** `os`: the desktop app's keys, kept in the OS secret store. `memory`: `serve`'s, for this process only. */
  store: 'os' | 'memory';
  /** Keys held now (0 while a passphrase-protected keyring is still locked). */
  keys: number;
  /** The desktop's kept keys are protected by a passphrase, asked once per start. */
  passphrase: boolean;
  /** Kept keys wait for their passphrase. */
  locked: boolean;
  /** The kept keys could not be read (a locked OS keyring): nothing is written over them. */
  unreadable: boolean;
}

/**
 * The archive keys of the shell (the host process keeps them; workers get every key with each
 * call and ask for changes over their channel). The desktop keeps random keys in safeStorage,
 * optionally sealed under a passphrase; `serve` keeps CLIQ_VAULT_KEY or --key-file's key, and
 * passphrases typed this session, in memory. Keys are never logged.
 */
export interface ArchiveKeyStore {
  status(): Promise<KeyringStatus>;
  /**
   * What a typed passphrase may open: the kept keys when it unlocks them (they are in use from now
   * on), else the passphrase itself as an archive's key (kept only once `use` is called).
   */
  unlock(passphrase: string): Promise<KeyMessage[]>;
  /** Keeps a key (one that opened the archive) first, for this session. */
  use(key: KeyMessage): Promise<void>;
  /**
   * A new key for encrypting or re-keying, kept first before it is answered (a crash mid-change
   * leaves both the old and the new key kept). The desktop makes 32 random bytes (a passphrase, when
   * given, then protects its kept keys); `serve` takes the passphrase itself as the key.
   */
  create(options: { passphrase?: string | undefined }): Promise<KeyMessage>;
  /** Sets, changes or (null) removes the passphrase protecting the kept keys (desktop only). */
  protect(passphrase: string | null): Promise<void>;
}

/** The installation's bundle-signing key as the shell hands it to the worker making a bundle. */
export interface SigningKeyMessage {
  /** PKCS#8 PEM of the Ed25519 private key. */
  pem: string;
  /** Where it is kept, in words (never the key): for custody.txt and the screens. */
  origin: string;
}

/** Which key signs bundles here, for the screens (never the key). */
export interface SigningKeyStatus {
  /** `installation`: kept by this shell (the desktop's OS secret store, serve's key file); `ephemeral`: a new key per bundle. */
  kind: 'installation' | 'ephemeral';
  /** The installation key's fingerprint; null for ephemeral keys (each bundle has its own) and a key the first bundle will make. */
  fingerprint: string | null;
  /** Where it is kept, or why there is none, in words. */
  origin: string;
}

/**
 * The installation's Ed25519 bundle-signing key (issue 15): the desktop app makes one on first use
 * and keeps it in the OS secret store; `serve` reads one from --signing-key / CLIQ_VAULT_SIGNING_KEY_FILE.
 * Where none can be kept safely, bundles are signed with an ephemeral key and say so. The key is
 * handed out only to the worker making a bundle, and never logged.
 */
export interface SigningKeyStore {
  status(): Promise<SigningKeyStatus>;
  /** The key, made and kept first when the store can keep one and has none yet; undefined: sign ephemerally. */
  current(): Promise<SigningKeyMessage | undefined>;
}

/** The built-in simulator's demo org, started on demand (electron/simulator; injected by the shell). */
export interface DemoOrg {
  apiBase: string;
  accountsBase: string;
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  /** The simulator's quota scale, so the demo syncs in seconds. */
  quotaScale: number;
  /** Brings the demo org to its day `day` of activity (simulator/demoDays.ts); never goes back. */
  catchUp(day: number): unknown;
  close(): Promise<void>;
}

export interface AppHost {
  shell: AppInfo['shell'];
  /** Folder new archives go in (one per profile). */
  defaultArchiveDir: string;
  /** Shows a path in the OS file manager; absent where there is no desktop (serve). */
  reveal?(path: string): Promise<void>;
  /** The OS folder chooser; resolves null when cancelled. Absent where there is no desktop (serve). */
  pickFolder?(options: { title: string; defaultPath?: string | undefined }): Promise<string | null>;
  /**
   * The OS save dialog, which asks before replacing an existing file; resolves the chosen path, or
   * null when cancelled. Absent where there is no desktop (serve: the browser downloads instead).
   */
  saveFile?(options: { title: string; defaultPath: string }): Promise<string | null>;
  /**
   * Opens a file with the OS's app for its type. The host refuses types that could run code
   * (core/files openRefusal) even if asked. Absent where there is no desktop (serve).
   */
  openPath?(path: string): Promise<void>;
  /** Whether this shell runs the nightly schedule itself while open (Electron does). */
  runsScheduleInApp: boolean;
  startDemo?(): Promise<DemoOrg>;
}
