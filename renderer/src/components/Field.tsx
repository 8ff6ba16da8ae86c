import { useId, type ReactNode } from 'react';

/**
 * A labelled control with its help and error text wired by id (aria-describedby), so screen
 * readers and tests find the control by its label and hear what is wrong with it.
 */
export function Field({ label, error, help, children }: { label: string; error?: string | undefined; help?: string; children: (id: string, describedBy: string | undefined) => ReactNode }) {
  const id = useId();
  const helpId = `${id}-help`;
  const errorId = `${id}-error`;
  const describedBy = [help !== undefined ? helpId : '', error !== undefined ? errorId : ''].filter((s) => s !== '').join(' ') || undefined;
  return (
    <div className={error !== undefined ? 'field field-invalid' : 'field'}>
      <label htmlFor={id}>{label}</label>
      {children(id, describedBy)}
      {help !== undefined && (
        <p id={helpId} className="field-help">
          {help}
        </p>
      )}
      {error !== undefined && (
        <p id={errorId} className="field-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
