import type { VaultApi } from '../../../../shared/contract';
import type { ArchiveEncryption, CipherChange } from '../../../../shared/views';

export type KeyActionId = 'encrypt' | 'rekey' | 'set-passphrase' | 'change-passphrase' | 'remove-passphrase';

/**
 * Whether the action asks for a new passphrase: never, always, or when the user ticks (or, for
 * `serve`'s own key, unticks) an option.
 */
export type PassphraseAsk = { mode: 'none' } | { mode: 'required'; label: string } | { mode: 'optional'; option: string; askWhenTicked: boolean; label: string };

export interface KeyAction {
  id: KeyActionId;
  button: string;
  title: string;
  confirm: string;
  /** What happens, said before it happens. */
  explain: string[];
  ask: PassphraseAsk;
  busy: string;
  run: (api: Pick<VaultApi, 'invoke'>, passphrase: string | undefined) => Promise<CipherChange | ArchiveEncryption>;
}

const replaceWords = 'Cliq Vault writes an encrypted copy of the archive and checks it (every row of every table, every seal); only then does the verified copy take the archive’s place.';
const timeWords = 'It takes about a minute per million messages; the other screens wait until it is done.';
const withPassphrase = (passphrase: string | undefined) => (passphrase === undefined ? {} : { passphrase });

function encrypt(encryption: ArchiveEncryption): KeyAction {
  const desktop = encryption.store === 'os';
  const serveKey = !desktop && encryption.keysHeld > 0;
  return {
    id: 'encrypt',
    button: 'Encrypt this archive…',
    title: 'Encrypt this archive?',
    confirm: 'Encrypt',
    explain: [
      replaceWords,
      desktop
        ? 'Its key is a new random one, kept in this computer’s secret store. A passphrase, if you set one, protects the kept keys: Cliq Vault then asks for it once each time it starts.'
        : 'The passphrase becomes the archive’s key: without it the archive cannot be read. This server holds it in memory only, so when it is started again it asks for it.',
      'Snapshots taken before stay as they were: not encrypted.',
      timeWords,
    ],
    ask: desktop
      ? { mode: 'optional', option: 'Ask for a passphrase when Cliq Vault starts', askWhenTicked: true, label: 'Passphrase' }
      : serveKey
        ? { mode: 'optional', option: 'Use the key this server was started with', askWhenTicked: false, label: 'Archive passphrase' }
        : { mode: 'required', label: 'Archive passphrase' },
    busy: 'Encrypting the archive… about a minute per million messages.',
    run: (api, passphrase) => api.invoke('cipher:encrypt', withPassphrase(passphrase)),
  };
}

function rekey(encryption: ArchiveEncryption): KeyAction {
  const desktop = encryption.store === 'os';
  return {
    id: 'rekey',
    button: 'Change the key…',
    title: 'Change the archive’s key?',
    confirm: 'Change the key',
    explain: [
      replaceWords,
      desktop
        ? `The new key is a random one, kept in this computer’s secret store with the earlier ones${encryption.passphrase ? ', behind the same passphrase unless you set a new one' : ''}.`
        : 'The new passphrase becomes the archive’s key: the current one will no longer open it.',
      desktop
        ? 'Snapshots taken before stay as they were, under the earlier key, which Cliq Vault keeps for them.'
        : 'Snapshots taken before stay as they were: they still need the earlier passphrase or key.',
      timeWords,
    ],
    ask: desktop
      ? { mode: 'optional', option: encryption.passphrase ? 'Change the passphrase too' : 'Ask for a passphrase when Cliq Vault starts', askWhenTicked: true, label: 'New passphrase' }
      : { mode: 'required', label: 'New archive passphrase' },
    busy: 'Changing the archive’s key… about a minute per million messages.',
    run: (api, passphrase) => api.invoke('cipher:rekey', withPassphrase(passphrase)),
  };
}

const notRewritten = 'The archive itself is not rewritten.';

/** Seals the kept keys with a (new) passphrase: the same call whether one is set already or not. */
function sealWith(change: boolean): KeyAction {
  const verb = change ? 'Change' : 'Set';
  return {
    id: change ? 'change-passphrase' : 'set-passphrase',
    button: change ? 'Change the passphrase…' : 'Set a passphrase…',
    title: change ? 'Change the passphrase?' : 'Set a passphrase?',
    confirm: `${verb} the passphrase`,
    explain: [
      `${change ? 'The new passphrase replaces the current one: the' : 'The'} keys Cliq Vault keeps in this computer’s secret store will be sealed with it, and Cliq Vault asks for it once each time it starts.`,
      notRewritten,
    ],
    ask: { mode: 'required', label: change ? 'New passphrase' : 'Passphrase' },
    busy: `${change ? 'Changing' : 'Setting'} the passphrase…`,
    run: (api, passphrase) => api.invoke('cipher:protect', { passphrase: passphrase ?? null }),
  };
}

const removePassphrase: KeyAction = {
  id: 'remove-passphrase',
  button: 'Remove the passphrase…',
  title: 'Remove the passphrase?',
  confirm: 'Remove the passphrase',
  explain: [
    'The keys Cliq Vault keeps stay in this computer’s secret store but are no longer sealed with a passphrase: Cliq Vault opens the archive without asking, for anyone who can use this account.',
    notRewritten,
  ],
  ask: { mode: 'none' },
  busy: 'Removing the passphrase…',
  run: (api) => api.invoke('cipher:protect', { passphrase: null }),
};

/**
 * What can be done to the archive's encryption now, in this shell: encrypt a plain archive; change
 * an encrypted one's key; and, on the desktop only (`serve` keeps no keys), set, change or remove
 * the passphrase protecting the kept keys.
 */
export function keyActions(encryption: ArchiveEncryption): KeyAction[] {
  switch (encryption.state) {
    case 'plain':
      return [encrypt(encryption)];
    case 'encrypted':
      if (encryption.store === 'memory') return [rekey(encryption)];
      return [rekey(encryption), ...(encryption.passphrase ? [sealWith(true), removePassphrase] : [sealWith(false)])];
    case 'none':
    case 'locked':
      return [];
  }
}
