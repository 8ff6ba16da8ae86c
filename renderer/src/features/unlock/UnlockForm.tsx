import { useRef, useState, type SubmitEvent } from 'react';
import { useApi } from '../../api/ApiContext';
import { ErrorPanel } from '../../components/ErrorPanel';
import { Field } from '../../components/Field';
import { useVaultState } from '../../VaultState';
import { unlockWords } from './unlockWords';

type Attempt = { kind: 'idle' } | { kind: 'busy' } | { kind: 'empty' } | { kind: 'error'; error: unknown };

/**
 * Asks for the passphrase that opens a locked archive. The field is uncontrolled: the passphrase
 * lives in the input and in the one request, never in React state, and the input is emptied as
 * soon as the answer comes. On success the app's info is read again, which lifts the gate.
 */
export function UnlockForm() {
  const api = useApi();
  const { info, refresh } = useVaultState();
  const input = useRef<HTMLInputElement>(null);
  const [attempt, setAttempt] = useState<Attempt>({ kind: 'idle' });
  const words = unlockWords(info.archiveEncryption);

  function onSubmit(event: SubmitEvent) {
    event.preventDefault();
    const field = input.current;
    if (field === null || attempt.kind === 'busy') return;
    if (field.value === '') {
      setAttempt({ kind: 'empty' });
      field.focus();
      return;
    }
    setAttempt({ kind: 'busy' });
    api
      .invoke('cipher:unlock', { passphrase: field.value })
      .finally(() => {
        field.value = '';
      })
      .then(
        async () => {
          setAttempt({ kind: 'idle' });
          await refresh();
        },
        (error: unknown) => {
          setAttempt({ kind: 'error', error });
          field.focus();
        },
      )
      .catch((error: unknown) => setAttempt({ kind: 'error', error }));
  }

  return (
    <form className="form" noValidate onSubmit={onSubmit} aria-label="Unlock the archive">
      <p>{words.lead}</p>
      {words.keyring !== undefined && <p className="notice">{words.keyring}</p>}
      <Field label="Passphrase" error={attempt.kind === 'empty' ? 'Type the passphrase.' : undefined} help="Case-sensitive. It is not shown and not kept on this screen.">
        {(id, describedBy) => (
          <input id={id} ref={input} type="password" autoComplete="off" spellCheck={false} aria-describedby={describedBy} aria-invalid={attempt.kind === 'empty' || attempt.kind === 'error'} />
        )}
      </Field>
      <div className="form-actions">
        <button type="submit" className="primary" disabled={attempt.kind === 'busy'}>
          {attempt.kind === 'busy' ? 'Unlocking…' : 'Unlock'}
        </button>
      </div>
      {attempt.kind === 'error' && <ErrorPanel title="Not unlocked" error={attempt.error} />}
    </form>
  );
}
