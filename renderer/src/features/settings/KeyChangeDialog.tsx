import { useRef, useState } from 'react';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import type { KeyAction } from './keyActions';
import { PassphraseFields } from './PassphraseFields';
import { passphraseProblem } from './passphraseRules';

/**
 * Asks before a key change, saying what it does, and takes the new passphrase when the action
 * needs one. The passphrase goes straight from the inputs to `onConfirm` (checked first: two
 * fields that differ or a short one never reach the core); nothing of it is kept in state.
 */
export function KeyChangeDialog({ action, onConfirm, onCancel }: { action: KeyAction; onConfirm: (passphrase: string | undefined) => void; onCancel: () => void }) {
  const { ask } = action;
  const passphrase = useRef<HTMLInputElement>(null);
  const confirmation = useRef<HTMLInputElement>(null);
  // Unless the user says otherwise, no passphrase: the desktop's random key alone, or serve's own key.
  const [ticked, setTicked] = useState(ask.mode === 'optional' && !ask.askWhenTicked);
  const [problem, setProblem] = useState<ReturnType<typeof passphraseProblem>>(null);
  const asks = ask.mode === 'required' || (ask.mode === 'optional' && ticked === ask.askWhenTicked);

  function confirm() {
    if (!asks) {
      onConfirm(undefined);
      return;
    }
    const typed = passphrase.current?.value ?? '';
    const found = passphraseProblem(typed, confirmation.current?.value ?? '');
    setProblem(found);
    if (found === null) onConfirm(typed);
    else (found.field === 'passphrase' ? passphrase : confirmation).current?.focus();
  }

  return (
    <ConfirmDialog title={action.title} confirmLabel={action.confirm} onConfirm={confirm} onCancel={onCancel}>
      {action.explain.map((text) => (
        <p key={text}>{text}</p>
      ))}
      {ask.mode === 'optional' && (
        <label className="check">
          <input
            type="checkbox"
            checked={ticked}
            onChange={(event) => {
              setTicked(event.target.checked);
              setProblem(null);
            }}
          />{' '}
          {ask.option}
        </label>
      )}
      {asks && <PassphraseFields label={ask.label} passphrase={passphrase} confirmation={confirmation} problem={problem} />}
    </ConfirmDialog>
  );
}
