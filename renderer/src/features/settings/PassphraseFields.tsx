import type { RefObject } from 'react';
import { Field } from '../../components/Field';
import type { passphraseProblem } from './passphraseRules';

/**
 * A new passphrase and its confirmation. Uncontrolled: what is typed stays in the inputs (read once,
 * when the user confirms), never in React state; the dialog holding them unmounts after the request.
 */
export function PassphraseFields({
  label,
  passphrase,
  confirmation,
  problem,
}: {
  label: string;
  passphrase: RefObject<HTMLInputElement | null>;
  confirmation: RefObject<HTMLInputElement | null>;
  problem: ReturnType<typeof passphraseProblem>;
}) {
  return (
    <>
      <Field label={label} error={problem?.field === 'passphrase' ? problem.text : undefined} help="At least 8 characters; several words are best. Case-sensitive.">
        {(id, describedBy) => <input id={id} ref={passphrase} type="password" autoComplete="off" spellCheck={false} aria-describedby={describedBy} aria-invalid={problem?.field === 'passphrase'} />}
      </Field>
      <Field label="Type it again" error={problem?.field === 'confirmation' ? problem.text : undefined}>
        {(id, describedBy) => (
          <input id={id} ref={confirmation} type="password" autoComplete="off" spellCheck={false} aria-describedby={describedBy} aria-invalid={problem?.field === 'confirmation'} />
        )}
      </Field>
    </>
  );
}
