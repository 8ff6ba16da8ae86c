import { keysHelp } from './reviewKeys';

/** The set view's keys, visible beside it (open until folded away). */
export function KeysHelp() {
  return (
    <details className="panel keys-help" open>
      <summary>Keys</summary>
      <dl>
        {keysHelp.map(([keys, what]) => (
          <div key={keys}>
            <dt>
              <kbd>{keys}</kbd>
            </dt>
            <dd>{what}</dd>
          </div>
        ))}
      </dl>
      <p className="muted">Keys do nothing while you type in a field.</p>
    </details>
  );
}
