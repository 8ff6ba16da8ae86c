import { useState } from 'react';
import type { HoldSummary } from '../../../../shared/holds';
import { useApi } from '../../api/ApiContext';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { EmptyState } from '../../components/EmptyState';
import { ErrorPanel } from '../../components/ErrorPanel';
import { Field } from '../../components/Field';
import { Loading } from '../../components/Loading';
import { TableHead } from '../../components/TableHead';
import { formatCount, formatDateTime } from '../../format';
import { useLoad } from '../../hooks/useLoad';
import { useTimeZone, useVaultState } from '../../VaultState';
import { PlaceHoldForm } from './PlaceHoldForm';

type Action = { kind: 'idle' } | { kind: 'done'; message: string } | { kind: 'error'; error: unknown };

/**
 * Legal holds: every hold, active and released, with what each holds now; placing one; its details;
 * releasing it with a reason, after a confirmation. An archive open read-only (`serve` with no org of
 * its own) lists and shows them; placing and releasing are refused there, in words.
 */
export function HoldsScreen() {
  const api = useApi();
  const timeZone = useTimeZone();
  const { info } = useVaultState();
  const holds = useLoad(() => api.invoke('holds:list', {}), 'holds');
  const [action, setAction] = useState<Action>({ kind: 'idle' });
  const [placing, setPlacing] = useState(false);
  const [shown, setShown] = useState<number | null>(null);
  const readOnly = info.archiveReadOnly;
  const selected = holds.data?.find((h) => h.id === shown) ?? null;

  return (
    <section className="screen" aria-labelledby="holds-title">
      <header className="screen-head">
        <h1 id="holds-title">Holds</h1>
        <p className="lead">
          A legal hold keeps everything in its scope from ever being purged — messages, their earlier versions, attachments and the members of their conversations — including messages archived after
          it was placed. Criteria in one hold must all match; several holds add up.
        </p>
      </header>
      {readOnly ? (
        <p className="notice" role="note">
          This archive is open read-only: holds can be read here, not placed or released.
        </p>
      ) : (
        !placing && (
          <button type="button" className="primary" onClick={() => setPlacing(true)}>
            Place a hold…
          </button>
        )
      )}
      {placing && !readOnly && (
        <PlaceHoldForm
          onCancel={() => setPlacing(false)}
          onPlaced={(name) => {
            setPlacing(false);
            setAction({ kind: 'done', message: `The hold "${name}" is placed and sealed in the archive.` });
            holds.reload();
          }}
        />
      )}
      {action.kind === 'done' && (
        <p className="notice notice-good" role="status">
          {action.message}
        </p>
      )}
      {action.kind === 'error' && <ErrorPanel error={action.error} />}
      {holds.state === 'error' && <ErrorPanel title="Could not read the holds" error={holds.error} onRetry={holds.reload} />}
      {holds.data === undefined && holds.state === 'loading' && <Loading label="Reading the holds…" />}
      {holds.data !== undefined &&
        (holds.data.length === 0 ? (
          <EmptyState title="No holds">No legal hold has been placed on this archive.</EmptyState>
        ) : (
          <table className="table" aria-label="Legal holds">
            <TableHead columns={['Hold', 'Status', 'Placed', 'Messages', 'Conversations', 'Custodians', '']} />
            <tbody>
              {holds.data.map((h) => (
                <tr key={h.id} className={h.status === 'released' ? 'muted' : undefined}>
                  <th scope="row" dir="auto">
                    {h.name}
                  </th>
                  <td>{h.status === 'active' ? <span className="badge">active</span> : `released ${formatDateTime(h.release?.at, timeZone)}`}</td>
                  <td>
                    {formatDateTime(h.placedAt, timeZone)} by {h.placedBy.osUser}
                  </td>
                  <td className="num">{formatCount(h.counts.messages)}</td>
                  <td className="num">{formatCount(h.counts.conversations)}</td>
                  <td className="num">{formatCount(h.counts.custodians)}</td>
                  <td>
                    <button type="button" className="small" onClick={() => setShown(shown === h.id ? null : h.id)} aria-label={`Details of ${h.name}`} aria-expanded={shown === h.id}>
                      Details
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ))}
      {selected !== null && (
        <HoldDetails
          hold={selected}
          readOnly={readOnly}
          onReleased={(name) => {
            setAction({ kind: 'done', message: `The hold "${name}" is released; the release is sealed in the archive.` });
            holds.reload();
          }}
          onError={(error) => setAction({ kind: 'error', error })}
        />
      )}
    </section>
  );
}

/** One hold: its scope, who placed it, when and why, what it holds now, its release (or a Release… button). */
function HoldDetails({ hold, readOnly, onReleased, onError }: { hold: HoldSummary; readOnly: boolean; onReleased: (name: string) => void; onError: (error: unknown) => void }) {
  const api = useApi();
  const timeZone = useTimeZone();
  const [releasing, setReleasing] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [missingReason, setMissingReason] = useState(false);

  function release() {
    if (reason.trim() === '') {
      setMissingReason(true);
      return;
    }
    setBusy(true);
    api.invoke('holds:release', { name: hold.name, reason }).then(
      () => {
        setBusy(false);
        setReleasing(false);
        onReleased(hold.name);
      },
      (error: unknown) => {
        setBusy(false);
        setReleasing(false);
        onError(error);
      },
    );
  }

  const by = (actor: HoldSummary['placedBy']) => `${actor.osUser} on ${actor.host}${actor.profile !== null ? ` (org ${actor.profile})` : ''}`;
  return (
    <section className="panel" aria-label={`Hold ${hold.name}`}>
      <h2 dir="auto">{hold.name}</h2>
      <dl className="facts">
        <dt>Status</dt>
        <dd>{hold.status === 'active' ? 'Active' : 'Released'}</dd>
        <dt>Placed</dt>
        <dd>
          {formatDateTime(hold.placedAt, timeZone)} by {by(hold.placedBy)}
        </dd>
        <dt>Reason</dt>
        <dd dir="auto">{hold.reason ?? 'None given'}</dd>
        {hold.custodians.length > 0 && (
          <>
            <dt>Custodians</dt>
            <dd>
              {hold.custodians.map((c) => (
                <span key={c.given} className="tag" dir="auto">
                  {c.given}
                  {c.userIds.length > 0 && c.userIds.join() !== c.given ? ` (${c.userIds.join(', ')})` : ''}
                </span>
              ))}
            </dd>
          </>
        )}
        {hold.conversations.length > 0 && (
          <>
            <dt>Conversations</dt>
            <dd>
              {hold.conversations.map((c) => (
                <span key={c.chatId} className="tag" dir="auto">
                  {c.title ?? c.chatId}
                </span>
              ))}
            </dd>
          </>
        )}
        {(hold.fromTime !== null || hold.toTime !== null) && (
          <>
            <dt>Dates</dt>
            <dd>
              {hold.fromTime !== null ? formatDateTime(hold.fromTime, timeZone) : 'Any time'} to {hold.toTime !== null ? formatDateTime(hold.toTime, timeZone) : 'now and later'}
            </dd>
          </>
        )}
        {hold.query !== null && (
          <>
            <dt>Query</dt>
            <dd dir="auto">{hold.query}</dd>
          </>
        )}
        <dt>Holds now</dt>
        <dd>
          {formatCount(hold.counts.messages)} messages in {formatCount(hold.counts.conversations)} conversations, from {formatCount(hold.counts.senders)} senders
        </dd>
        {hold.release !== null && (
          <>
            <dt>Released</dt>
            <dd dir="auto">
              {formatDateTime(hold.release.at, timeZone)} by {by(hold.release.by)}: {hold.release.reason}
            </dd>
          </>
        )}
        <dt>Sealed record</dt>
        <dd className="hash">{hold.rowHash ?? '—'}</dd>
      </dl>
      {hold.status === 'active' && !readOnly && (
        <button type="button" className="danger" onClick={() => setReleasing(true)}>
          Release…
        </button>
      )}
      {releasing && (
        <ConfirmDialog title={`Release the hold "${hold.name}"?`} confirmLabel="Release" danger busy={busy} onCancel={() => setReleasing(false)} onConfirm={release}>
          <p>Its messages will no longer be held by it (other holds may still hold them). The release is sealed in the archive with your reason; it cannot be undone.</p>
          <Field label="Reason for the release" error={missingReason ? 'A release needs a reason.' : undefined}>
            {(id, describedBy) => (
              <textarea
                id={id}
                aria-describedby={describedBy}
                value={reason}
                onChange={(e) => {
                  setReason(e.target.value);
                  setMissingReason(false);
                }}
              />
            )}
          </Field>
        </ConfirmDialog>
      )}
    </section>
  );
}
