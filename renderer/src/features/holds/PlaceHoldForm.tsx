import { useState, type SubmitEvent } from 'react';
import { useApi } from '../../api/ApiContext';
import { ErrorPanel } from '../../components/ErrorPanel';
import { Field } from '../../components/Field';
import { MultiPick } from '../../components/MultiPick';
import { useLoad } from '../../hooks/useLoad';
import { useTimeZone } from '../../VaultState';
import { peopleOptions } from '../search/FilterPanel';

/**
 * Placing a hold: a name and a reason, and any of custodians (the archive's people, by the one
 * display rule), conversations, dates (calendar days in the settings' time zone, both included) and
 * the search's query. The core checks everything again and seals the hold.
 */
export function PlaceHoldForm({ onPlaced, onCancel }: { onPlaced: (name: string) => void; onCancel: () => void }) {
  const api = useApi();
  const timeZone = useTimeZone();
  const people = useLoad(() => api.invoke('archive:people', { limit: 1_000 }), 'people');
  const conversations = useLoad(() => api.invoke('archive:conversations', { limit: 10_000 }), 'conversations');
  const [name, setName] = useState('');
  const [reason, setReason] = useState('');
  const [custodians, setCustodians] = useState<string[]>([]);
  const [chats, setChats] = useState<string[]>([]);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [query, setQuery] = useState('');
  const [advanced, setAdvanced] = useState(false);
  const [problem, setProblem] = useState<{ name?: string; criteria?: string }>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  function submit(event: SubmitEvent) {
    event.preventDefault();
    const noCriteria = custodians.length === 0 && chats.length === 0 && from === '' && to === '' && query.trim() === '';
    const next = { ...(name.trim() === '' ? { name: 'A hold needs a name.' } : {}), ...(noCriteria ? { criteria: 'Pick at least one custodian, conversation, date or query.' } : {}) };
    setProblem(next);
    if (next.name !== undefined || next.criteria !== undefined) return;
    setBusy(true);
    setError(null);
    api
      .invoke('holds:add', {
        name,
        ...(reason.trim() !== '' ? { reason } : {}),
        custodians,
        conversations: chats,
        ...(from !== '' ? { from } : {}),
        ...(to !== '' ? { to } : {}),
        timeZone,
        ...(query.trim() !== '' ? { query } : {}),
        queryMode: advanced ? 'advanced' : 'simple',
      })
      .then(
        (hold) => {
          setBusy(false);
          onPlaced(hold.name);
        },
        (failure: unknown) => {
          setBusy(false);
          setError(failure);
        },
      );
  }

  return (
    <form className="panel" aria-label="Place a hold" onSubmit={submit} noValidate>
      <h2>Place a hold</h2>
      <Field label="Name (the matter)" error={problem.name}>
        {(id, describedBy) => <input id={id} aria-describedby={describedBy} value={name} onChange={(e) => setName(e.target.value)} maxLength={200} />}
      </Field>
      <Field label="Reason" help="Why the hold is placed, and who asked for it.">
        {(id, describedBy) => <textarea id={id} aria-describedby={describedBy} value={reason} onChange={(e) => setReason(e.target.value)} maxLength={2_000} />}
      </Field>
      <details open>
        <summary>Custodians{custodians.length > 0 ? ` (${custodians.length})` : ''}</summary>
        <MultiPick legend="Custodians" options={peopleOptions(people.data ?? [])} selected={custodians} onChange={setCustodians} emptyText="No people archived yet" />
        <p className="muted">Holds what they sent and every message of the conversations they were members of during the dates.</p>
      </details>
      <details>
        <summary>Conversations{chats.length > 0 ? ` (${chats.length})` : ''}</summary>
        <MultiPick
          legend="Conversations"
          options={(conversations.data ?? []).map((c) => ({ value: c.chatId, label: c.title ?? c.chatId, detail: c.kind }))}
          selected={chats}
          onChange={setChats}
          emptyText="No conversations archived yet"
        />
        <p className="muted">Every message of each; a channel brings its threads.</p>
      </details>
      <div className="form-row">
        <Field label="From" help={`Days in ${timeZone}, both included.`}>
          {(id, describedBy) => <input id={id} type="date" aria-describedby={describedBy} value={from} onChange={(e) => setFrom(e.target.value)} />}
        </Field>
        <Field label="To">{(id, describedBy) => <input id={id} type="date" aria-describedby={describedBy} value={to} onChange={(e) => setTo(e.target.value)} />}</Field>
      </div>
      <Field label="Query" help="Only messages the search finds for these words." error={problem.criteria}>
        {(id, describedBy) => <input id={id} type="search" aria-describedby={describedBy} value={query} onChange={(e) => setQuery(e.target.value)} maxLength={1_000} />}
      </Field>
      <label className="check">
        <input type="checkbox" checked={advanced} onChange={(e) => setAdvanced(e.target.checked)} /> Advanced query (AND/OR/NOT, "phrase", prefix*)
      </label>
      {error !== null && <ErrorPanel title="The hold was not placed" error={error} />}
      <div className="form-actions">
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Placing…' : 'Place hold'}
        </button>
      </div>
    </form>
  );
}
