import { useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import type { OptionalSourceView } from '../../../../shared/evidence';
import { useApi } from '../../api/ApiContext';
import { ConversationSelect } from '../../components/ConversationSelect';
import { EmptyState } from '../../components/EmptyState';
import { ErrorPanel } from '../../components/ErrorPanel';
import { Loading } from '../../components/Loading';
import { Pager } from '../../components/Pager';
import { hrefFor } from '../../hooks/useHashRoute';
import { useLoad } from '../../hooks/useLoad';
import { grantAdvice } from '../sync/sourceWords';
import { MeetingsTable } from './MeetingsTable';
import { NoticesTable } from './NoticesTable';
import { ScheduledTable } from './ScheduledTable';

const tabs = [
  { id: 'meetings', label: 'Calls and meetings' },
  { id: 'notices', label: 'Call notices in conversations' },
  { id: 'scheduled', label: 'Scheduled messages' },
] as const;
type Tab = (typeof tabs)[number]['id'];

const pageSize = 50;

/** Calls & scheduled: the connected account's calls and meetings, the org's call notices, and scheduled messages. */
export function CallsScreen() {
  const [tab, setTab] = useState<Tab>('meetings');
  const buttons = useRef<(HTMLButtonElement | null)[]>([]);
  const onKey = (event: KeyboardEvent) => {
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (step === 0) return;
    event.preventDefault();
    const next = (tabs.findIndex((t) => t.id === tab) + step + tabs.length) % tabs.length;
    const target = tabs[next];
    if (target === undefined) return;
    setTab(target.id);
    buttons.current[next]?.focus();
  };

  return (
    <section className="screen" aria-labelledby="calls-title">
      <header className="screen-head">
        <h1 id="calls-title">Calls & scheduled</h1>
        <p className="muted">Who met when, the calls Cliq noted in conversations, and messages set to send later.</p>
      </header>
      <div role="tablist" aria-label="Calls and scheduled messages" className="toolbar" onKeyDown={onKey}>
        {tabs.map((t, i) => (
          <button
            key={t.id}
            ref={(el) => {
              buttons.current[i] = el;
            }}
            type="button"
            role="tab"
            id={`calls-tab-${t.id}`}
            aria-selected={tab === t.id}
            aria-controls={`calls-panel-${t.id}`}
            tabIndex={tab === t.id ? 0 : -1}
            onClick={() => setTab(t.id)}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`calls-panel-${tab}`} aria-labelledby={`calls-tab-${tab}`}>
        {tab === 'scheduled' ? <ScheduledPanel /> : <CallsPanel key={tab} list={tab} />}
      </div>
    </section>
  );
}

function CallsPanel({ list }: { list: 'meetings' | 'notices' }) {
  const api = useApi();
  const [chatId, setChatId] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [offset, setOffset] = useState(0);
  const filtered = chatId !== '' || from !== '' || to !== '';
  const page = useLoad(
    () =>
      api.invoke('archive:calls', {
        list,
        chatId: chatId === '' ? undefined : chatId,
        from: from === '' ? undefined : from,
        to: to === '' ? undefined : to,
        offset,
        limit: pageSize,
      }),
    JSON.stringify([list, chatId, from, to, offset]),
  );
  // A new filter starts again from the first page.
  const filter =
    <T,>(set: (value: T) => void) =>
    (value: T) => {
      set(value);
      setOffset(0);
    };
  const data = page.data;
  const shown = data === undefined ? 0 : list === 'meetings' ? data.meetings.length : data.notices.length;
  const what = list === 'meetings' ? 'calls' : 'call notices';

  return (
    <>
      <div className="toolbar" role="group" aria-label={`Filter ${what}`}>
        <ConversationSelect value={chatId} onChange={filter(setChatId)} allLabel="All conversations" />
        <label>
          From <input type="date" value={from} onChange={(e) => filter(setFrom)(e.target.value)} />
        </label>
        <label>
          To <input type="date" value={to} onChange={(e) => filter(setTo)(e.target.value)} />
        </label>
      </div>
      {page.state === 'error' && <ErrorPanel title={`Could not read the ${what}`} error={page.error} onRetry={page.reload} />}
      {data === undefined && page.state === 'loading' && <Loading label={`Reading the ${what}…`} />}
      {data !== undefined && list === 'meetings' && data.source.status === 'not_granted' && data.total > 0 && (
        <p className="muted">The last sync could not add new calls. {grantAdvice(data.source)}</p>
      )}
      {data !== undefined && data.total === 0 && (list === 'meetings' ? <NoCalls source={data.source} filtered={filtered} /> : <NoNotices filtered={filtered} />)}
      {data !== undefined && data.total > 0 && (
        <div aria-busy={page.state === 'loading'}>
          {list === 'meetings' ? <MeetingsTable calls={data.meetings} /> : <NoticesTable notices={data.notices} />}
          <Pager offset={data.offset} limit={pageSize} total={data.total} shown={shown} label={`Pages of ${what}`} onOffset={setOffset} />
        </div>
      )}
    </>
  );
}

/** Why a source shows nothing: the scope was not granted, no sync read it yet, the last one failed, or there is none. */
function SourceEmpty({ source, what, none }: { source: OptionalSourceView; what: string; none: ReactNode }) {
  switch (source.status) {
    case 'not_granted':
      return <EmptyState title={`${what} are not archived: the org's authorisation lacks their permission`}>{grantAdvice(source)}</EmptyState>;
    case 'failed':
      return <EmptyState title={`The last sync could not read the ${what.toLowerCase()}`}>The next sync tries again.</EmptyState>;
    case null:
      return (
        <EmptyState title={`No sync has read the ${what.toLowerCase()} yet`}>
          <a href={hrefFor('sync')}>Run a sync</a> to archive them.
        </EmptyState>
      );
    case 'complete':
      return <EmptyState title={`No ${what.toLowerCase()}`}>{none}</EmptyState>;
  }
}

function NoCalls({ source, filtered }: { source: OptionalSourceView; filtered: boolean }) {
  if (filtered && source.status === 'complete') return <EmptyState title="No calls match these filters">Widen the dates or choose all conversations.</EmptyState>;
  return <SourceEmpty source={source} what="Calls and meetings" none="Cliq lists none for the connected account." />;
}

function NoNotices({ filtered }: { filtered: boolean }) {
  if (filtered) return <EmptyState title="No call notices match these filters">Widen the dates or choose all conversations.</EmptyState>;
  return <EmptyState title="No call notices in the archived conversations">Cliq posts a notice in a conversation for each call in it; none is archived yet.</EmptyState>;
}

function ScheduledPanel() {
  const api = useApi();
  const [offset, setOffset] = useState(0);
  const page = useLoad(() => api.invoke('archive:scheduled', { offset, limit: pageSize }), String(offset));
  const data = page.data;
  return (
    <>
      {page.state === 'error' && <ErrorPanel title="Could not read the scheduled messages" error={page.error} onRetry={page.reload} />}
      {data === undefined && page.state === 'loading' && <Loading label="Reading the scheduled messages…" />}
      {data !== undefined && data.source.status === 'not_granted' && data.total > 0 && <p className="muted">The last sync could not check them. {grantAdvice(data.source)}</p>}
      {data !== undefined && data.total === 0 && <SourceEmpty source={data.source} what="Scheduled messages" none="The connected account has none, pending or past." />}
      {data !== undefined && data.total > 0 && (
        <div aria-busy={page.state === 'loading'}>
          <ScheduledTable rows={data.rows} />
          <Pager offset={data.offset} limit={pageSize} total={data.total} shown={data.rows.length} label="Pages of scheduled messages" onOffset={setOffset} />
        </div>
      )}
    </>
  );
}
