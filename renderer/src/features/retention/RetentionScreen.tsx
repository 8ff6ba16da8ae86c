import { useState, type SubmitEvent } from 'react';
import type { RetentionPolicyInput, RetentionPreview, RetentionResult } from '../../../../shared/retention';
import { conversationKinds, type ConversationKind } from '../../../../shared/search';
import { useApi } from '../../api/ApiContext';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { EmptyState } from '../../components/EmptyState';
import { ErrorPanel } from '../../components/ErrorPanel';
import { Field } from '../../components/Field';
import { Loading } from '../../components/Loading';
import { MultiPick } from '../../components/MultiPick';
import { TableHead } from '../../components/TableHead';
import { formatCount, formatDateTime } from '../../format';
import { useLoad } from '../../hooks/useLoad';
import { useTimeZone, useVaultState } from '../../VaultState';

type Step =
  | { kind: 'idle' }
  | { kind: 'previewing' }
  | { kind: 'preview'; policy: RetentionPolicyInput; preview: RetentionPreview }
  | { kind: 'applying'; policy: RetentionPolicyInput; preview: RetentionPreview };

/**
 * Retention: a policy (keep the last N days, optionally only some kinds, conversations or senders'
 * departments), its dry
 * run — per conversation, what would be purged and what a legal hold keeps — and only then, after a
 * confirmation that says what cannot be undone, the purge. Past purges are listed below. Nothing
 * here purges without the preview first.
 */
export function RetentionScreen() {
  const api = useApi();
  const timeZone = useTimeZone();
  const { info } = useVaultState();
  const conversations = useLoad(() => api.invoke('archive:conversations', { limit: 10_000 }), 'conversations');
  const runs = useLoad(() => api.invoke('retention:runs', {}), 'retention runs');
  const groups = useLoad(() => api.invoke('archive:groups', {}), 'groups');
  const [keepDays, setKeepDays] = useState('365');
  const [kinds, setKinds] = useState<ConversationKind[]>([]);
  const [chats, setChats] = useState<string[]>([]);
  const [departments, setDepartments] = useState<string[]>([]);
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const [step, setStep] = useState<Step>({ kind: 'idle' });
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<RetentionResult | null>(null);
  const readOnly = info.archiveReadOnly;

  function preview(event: SubmitEvent) {
    event.preventDefault();
    const days = Number(keepDays);
    if (!Number.isInteger(days) || days < 1) {
      setProblem('Keep at least 1 whole day.');
      return;
    }
    setProblem(undefined);
    const policy: RetentionPolicyInput = { keepDays: days, kinds, conversations: chats, departments };
    setStep({ kind: 'previewing' });
    setError(null);
    setDone(null);
    api.invoke('retention:preview', policy).then(
      (result) => setStep({ kind: 'preview', policy, preview: result }),
      (failure: unknown) => {
        setStep({ kind: 'idle' });
        setError(failure);
      },
    );
  }

  function apply() {
    if (step.kind !== 'preview') return;
    setStep({ kind: 'applying', policy: step.policy, preview: step.preview });
    api.invoke('retention:apply', step.policy).then(
      (result) => {
        setConfirming(false);
        setStep({ kind: 'idle' });
        setDone(result);
        runs.reload();
      },
      (failure: unknown) => {
        setConfirming(false);
        setStep({ kind: 'preview', policy: step.policy, preview: step.preview });
        setError(failure);
      },
    );
  }

  const shown = step.kind === 'preview' || step.kind === 'applying' ? step.preview : null;
  return (
    <section className="screen" aria-labelledby="retention-title">
      <header className="screen-head">
        <h1 id="retention-title">Retention</h1>
        <p className="lead">
          Without a policy the archive keeps everything forever. A policy lets it forget messages older than a number of days: first see what would go, then purge. A message a legal hold covers is
          never purged, and a sealed record of each purged message stays, so the archive still verifies.
        </p>
      </header>
      {readOnly && (
        <p className="notice" role="note">
          This archive is open read-only: you can preview a policy here, not purge.
        </p>
      )}
      <form className="panel" aria-label="Retention policy" onSubmit={preview} noValidate>
        <h2>Policy</h2>
        <Field label="Keep messages of the last (days)" error={problem} help="Older messages are due for purging.">
          {(id, describedBy) => <input id={id} aria-describedby={describedBy} inputMode="numeric" value={keepDays} onChange={(e) => setKeepDays(e.target.value)} />}
        </Field>
        <fieldset>
          <legend>Only these kinds (none: every kind)</legend>
          {conversationKinds.map((kind) => (
            <label key={kind} className="check">
              <input type="checkbox" checked={kinds.includes(kind)} onChange={(e) => setKinds(e.target.checked ? [...kinds, kind] : kinds.filter((k) => k !== kind))} /> {kind}
            </label>
          ))}
        </fieldset>
        <details>
          <summary>Only these conversations{chats.length > 0 ? ` (${chats.length})` : ' (none: every conversation)'}</summary>
          <MultiPick
            legend="Conversations"
            options={(conversations.data ?? []).map((c) => ({ value: c.chatId, label: c.title ?? c.chatId, detail: c.kind }))}
            selected={chats}
            onChange={setChats}
            emptyText="No conversations archived yet"
          />
        </details>
        <details>
          <summary>Only messages sent by these departments{departments.length > 0 ? ` (${departments.length})` : ' (none: every sender)'}</summary>
          <p className="muted">Messages sent by someone who is or was in a department picked, as the archived directory records it.</p>
          <MultiPick
            legend="Departments"
            options={(groups.data ?? []).filter((g) => g.kind === 'department').map((g) => ({ value: g.groupId, label: g.name ?? g.groupId, detail: `${formatCount(g.members)} now` }))}
            selected={departments}
            onChange={setDepartments}
            emptyText="No departments archived (the directory is synced with the org)"
          />
        </details>
        <div className="form-actions">
          <button type="submit" className="primary" disabled={step.kind === 'previewing' || step.kind === 'applying'}>
            {step.kind === 'previewing' ? 'Working it out…' : 'Preview'}
          </button>
        </div>
      </form>
      {error !== null && <ErrorPanel title="Nothing was purged" error={error} />}
      {done !== null && (
        <p className="notice notice-good" role="status">
          Purged {formatCount(done.purge)} messages (with {formatCount(done.versions)} earlier versions and {formatCount(done.attachments)} attachments); {formatCount(done.keptHeld)} kept because a
          legal hold covers them. Snapshots taken before still hold the purged messages.
        </p>
      )}
      {shown !== null && (
        <section className="panel" aria-labelledby="retention-preview-title">
          <h2 id="retention-preview-title">What this policy would do now</h2>
          <p>
            {formatCount(shown.purge)} messages older than {formatDateTime(shown.cutoff, timeZone)} would be purged, with {formatCount(shown.versions)} earlier versions and{' '}
            {formatCount(shown.attachments)} attachments. {formatCount(shown.keptHeld)} are kept because {shown.holds === 1 ? 'a legal hold covers' : 'legal holds cover'} them. Nothing has changed
            yet.
          </p>
          {shown.conversations.length === 0 ? (
            <EmptyState title="Nothing is due">No archived message is older than the policy allows.</EmptyState>
          ) : (
            <table className="table" aria-label="Retention preview">
              <TableHead columns={['Conversation', 'Kind', 'Would purge', 'Kept (hold)', 'Oldest', 'Newest']} />
              <tbody>
                {shown.conversations.map((c) => (
                  <tr key={c.chatId}>
                    <th scope="row" dir="auto" title={c.chatId}>
                      {c.title ?? c.chatId}
                    </th>
                    <td>{c.kind}</td>
                    <td className="num">{formatCount(c.purge)}</td>
                    <td className="num">{formatCount(c.keptHeld)}</td>
                    <td>{c.oldest === null ? '—' : formatDateTime(c.oldest, timeZone)}</td>
                    <td>{c.newest === null ? '—' : formatDateTime(c.newest, timeZone)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {!readOnly && shown.purge > 0 && (
            <div className="form-actions">
              <button type="button" className="danger" onClick={() => setConfirming(true)}>
                Purge {formatCount(shown.purge)} messages…
              </button>
            </div>
          )}
        </section>
      )}
      {confirming && shown !== null && (
        <ConfirmDialog title={`Purge ${formatCount(shown.purge)} messages?`} confirmLabel="Purge" danger busy={step.kind === 'applying'} onCancel={() => setConfirming(false)} onConfirm={apply}>
          <p>
            Their text, earlier versions, attachments and reactions leave the archive for good; a sealed record of each stays (ids, time, content hash, this policy). A hold placed meanwhile still
            wins.
          </p>
          <p>Snapshots taken before the purge still hold these messages until they are rotated away.</p>
        </ConfirmDialog>
      )}
      <section aria-labelledby="retention-runs-title">
        <h2 id="retention-runs-title">Past purges</h2>
        {runs.state === 'error' && <ErrorPanel title="Could not read the past purges" error={runs.error} onRetry={runs.reload} />}
        {runs.data === undefined && runs.state === 'loading' && <Loading />}
        {runs.data !== undefined &&
          (runs.data.length === 0 ? (
            <EmptyState title="No purges">Nothing has been purged from this archive.</EmptyState>
          ) : (
            <table className="table" aria-label="Past purges">
              <TableHead columns={['Run', 'Started', 'Status', 'Policy', 'Purged', 'Kept (hold)', 'By']} />
              <tbody>
                {runs.data.map((r) => (
                  <tr key={r.runId}>
                    <td>#{r.runId}</td>
                    <td>{formatDateTime(r.startedAt, timeZone)}</td>
                    <td>{r.status}</td>
                    <td>
                      keep {formatCount(r.policy.keepDays)} days{r.policy.kinds.length > 0 ? `, ${r.policy.kinds.join(', ')}` : ''}
                      {r.policy.conversations.length > 0 ? `, ${r.policy.conversations.length} conversations` : ''}
                      {r.policy.departments.length > 0 ? `, ${r.policy.departments.length} departments` : ''}
                    </td>
                    <td className="num">{formatCount(r.purged)}</td>
                    <td className="num">{formatCount(r.keptHeld)}</td>
                    <td>{r.by}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ))}
      </section>
    </section>
  );
}
