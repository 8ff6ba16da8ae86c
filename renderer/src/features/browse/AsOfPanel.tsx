import { useState, type SubmitEvent } from 'react';
import type { AsOfTranscript } from '../../../../shared/archive';
import type { MentionResolver } from '../../../../shared/markup';
import { useApi } from '../../api/ApiContext';
import { EmptyState } from '../../components/EmptyState';
import { ErrorPanel } from '../../components/ErrorPanel';
import { Loading } from '../../components/Loading';
import { formatCount, formatDateTime } from '../../format';
import { MessageItem } from './MessageItem';

type Shown = { state: 'idle' } | { state: 'loading' } | { state: 'done'; then: AsOfTranscript } | { state: 'error'; error: unknown };

/**
 * The transcript "as of" a day: the conversation's title, members and messages as they stood when
 * that day ended (in the settings' zone), from what the archive saw at each sync. It says plainly
 * that it is bounded by what the archive saw, and marks text it only saw later.
 */
export function AsOfPanel({ chatId, timeZone, resolver }: { chatId: string; timeZone: string; resolver: MentionResolver }) {
  const api = useApi();
  const [day, setDay] = useState('');
  const [shown, setShown] = useState<Shown>({ state: 'idle' });

  function show(event: SubmitEvent) {
    event.preventDefault();
    setShown({ state: 'loading' });
    api.invoke('archive:asOf', { chatId, asOf: day, timeZone }).then(
      (then) => setShown({ state: 'done', then }),
      (error: unknown) => setShown({ state: 'error', error }),
    );
  }

  return (
    <section className="as-of" aria-label="As of a day">
      <form className="toolbar" onSubmit={show}>
        <label>
          As it stood at the end of{' '}
          <input type="date" aria-label="As of the day" value={day} onChange={(e) => setDay(e.target.value)} />
        </label>{' '}
        <button type="submit" className="small" disabled={day === '' || shown.state === 'loading'}>
          Show
        </button>
      </form>
      <p className="muted">
        As far as the archive saw it: an edit, a deletion, a join or a leave counts from the sync that noticed it, and text the archive first saw later is marked. Times in {timeZone}.
      </p>
      {shown.state === 'loading' && <Loading label="Reading the conversation as it was…" />}
      {shown.state === 'error' && <ErrorPanel title="Could not read the conversation as it was" error={shown.error} />}
      {shown.state === 'done' && <AsOfView then={shown.then} timeZone={timeZone} resolver={resolver} />}
    </section>
  );
}

function AsOfView({ then, timeZone, resolver }: { then: AsOfTranscript; timeZone: string; resolver: MentionResolver }) {
  const members = then.members.map((m) => m.name ?? m.email ?? m.userId ?? '?');
  return (
    <div className="as-of-view" data-as-of={then.asOf}>
      <h2>
        As of {formatDateTime(then.asOf, timeZone)}: <span dir="auto">{then.title ?? '(no title)'}</span>
      </h2>
      {then.firstSeenAt !== null && then.firstSeenAt > then.asOf && (
        <p className="notice" role="note">
          The archive first saw this conversation on {formatDateTime(then.firstSeenAt, timeZone)}: what it shows for this earlier time is what it saw then.
        </p>
      )}
      <p>
        Members then ({formatCount(members.length)}): {members.join(', ')}
      </p>
      {then.messages.length === 0 ? (
        <EmptyState title="No messages by then" />
      ) : (
        <div role="feed" aria-label="Messages as of then">
          {then.hasOlder && <p className="muted">The newest {formatCount(then.messages.length)} messages as of then; older ones are not shown here.</p>}
          {then.messages.map((message) => (
            <div key={message.key}>
              <MessageItem message={message} resolver={resolver} timeZone={timeZone} focused={false} onShowVersions={() => undefined} />
              {message.asOfNote === 'seen_later' && <p className="muted">The archive first saw this text later: what it said then is not known.</p>}
            </div>
          ))}
        </div>
      )}
    </div>
  );
}
