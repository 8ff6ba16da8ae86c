import { useState } from 'react';
import type { AppInfo, ArchiveEncryption, CipherChange } from '../../../../shared/views';
import { useApi } from '../../api/ApiContext';
import { ErrorPanel } from '../../components/ErrorPanel';
import { Loading } from '../../components/Loading';
import { formatCount } from '../../format';
import { useVaultState } from '../../VaultState';
import { UnlockForm } from '../unlock/UnlockForm';
import { keyActions, type KeyAction } from './keyActions';
import { KeyChangeDialog } from './KeyChangeDialog';

type Step =
  | { kind: 'idle' }
  | { kind: 'asking'; action: KeyAction }
  | { kind: 'busy'; action: KeyAction }
  | { kind: 'done'; action: KeyAction; result: CipherChange | ArchiveEncryption }
  | { kind: 'error'; error: unknown };

/**
 * Settings → Encryption: how the archive is stored, in words, and the key changes this shell can
 * make, each asked first (KeyChangeDialog). A conversion replaces the archive and can take minutes,
 * so it shows a busy state, then what was checked; the app's info is read again after any change.
 */
export function EncryptionPanel() {
  const api = useApi();
  const { info, refresh } = useVaultState();
  const [step, setStep] = useState<Step>({ kind: 'idle' });
  const encryption = info.archiveEncryption;
  // The desktop's kept keys, still sealed (a plain archive asked for nothing): a new key needs them first.
  const keptLocked = encryption.store === 'os' && encryption.keyringLocked && (encryption.state === 'plain' || encryption.state === 'encrypted');
  const actions = info.archiveReadOnly || keptLocked ? [] : keyActions(encryption);
  const busy = step.kind === 'busy';

  function run(action: KeyAction, passphrase: string | undefined) {
    setStep({ kind: 'busy', action });
    action
      .run(api, passphrase)
      .then(
        async (result) => {
          setStep({ kind: 'done', action, result });
          await refresh();
        },
        (error: unknown) => setStep({ kind: 'error', error }),
      )
      .catch((error: unknown) => setStep({ kind: 'error', error }));
  }

  return (
    <section className="panel" aria-labelledby="encryption-title" data-encryption-state={encryption.state}>
      <h2 id="encryption-title">Encryption</h2>
      {stateWords(info).map((text) => (
        <p key={text}>{text}</p>
      ))}
      {(encryption.state === 'locked' || (keptLocked && !info.archiveReadOnly)) && <UnlockForm />}
      {actions.length > 0 && (
        <div className="row-actions">
          {actions.map((action) => (
            <button key={action.id} type="button" disabled={busy} onClick={() => setStep({ kind: 'asking', action })}>
              {action.button}
            </button>
          ))}
        </div>
      )}
      {step.kind === 'busy' && <Loading label={`${step.action.busy} Other screens wait until it is done.`} />}
      {step.kind === 'done' && <ChangeReport action={step.action} result={step.result} />}
      {step.kind === 'error' && <ErrorPanel title="The key change did not go through" error={step.error} />}
      {step.kind === 'asking' && <KeyChangeDialog action={step.action} onCancel={() => setStep({ kind: 'idle' })} onConfirm={(passphrase) => run(step.action, passphrase)} />}
    </section>
  );
}

/** The archive's state and where its key is, in words; why nothing can be changed when that is so. */
function stateWords(info: AppInfo): string[] {
  const encryption = info.archiveEncryption;
  const readOnly = info.archiveReadOnly ? ['It is open read-only here (no connected org keeps it), so its encryption cannot be changed here.'] : [];
  switch (encryption.state) {
    case 'none':
      return ['No archive yet: the first sync creates it. It can be encrypted once it exists.'];
    case 'plain':
      return ['The archive is stored unencrypted on this computer.', ...readOnly];
    case 'locked':
      return ['The archive is encrypted, and no key held here opens it: unlock it to read it or change its key.'];
    case 'encrypted':
      return [
        'The archive is encrypted: its database with SQLCipher 4 (AES-256), its stored attachment files with AES-256-GCM.',
        encryption.store === 'os'
          ? `Its key is kept in this computer’s secret store${encryption.passphrase ? ', sealed with a passphrase Cliq Vault asks for once each time it starts' : ''}.`
          : 'This server holds its key in memory only, while it runs: started again, it needs the archive’s passphrase (or the key it is started with).',
        ...readOnly,
      ];
  }
}

function ChangeReport({ action, result }: { action: KeyAction; result: CipherChange | ArchiveEncryption }) {
  if (!('rows' in result)) {
    return (
      <p className="notice notice-good" role="status">
        {action.id === 'remove-passphrase' ? 'Passphrase removed.' : 'Passphrase set: Cliq Vault asks for it once each time it starts.'}
      </p>
    );
  }
  return (
    <div className="notice notice-good" role="status">
      <p>{result.action === 'encrypt' ? 'The archive is now encrypted.' : 'The archive’s key was changed.'}</p>
      <p>
        Checked before the copy took the archive’s place: {formatCount(result.rows)} rows in {formatCount(result.tables)} tables, {formatCount(result.seals)} seals verified.
      </p>
    </div>
  );
}
