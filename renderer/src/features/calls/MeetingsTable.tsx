import { Fragment, useState } from 'react';
import type { CallRow } from '../../../../shared/evidence';
import { formatDateTime, formatDuration } from '../../format';
import { hrefFor } from '../../hooks/useHashRoute';
import { useTimeZone } from '../../VaultState';

/** The connected account's calls and meetings, each with its participants behind a button. */
export function MeetingsTable({ calls }: { calls: CallRow[] }) {
  const timeZone = useTimeZone();
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const toggle = (callId: string) =>
    setOpen((previous) => {
      const next = new Set(previous);
      if (next.has(callId)) next.delete(callId);
      else next.add(callId);
      return next;
    });

  return (
    <table className="table" aria-label="Calls and meetings">
      <thead>
        <tr>
          <th scope="col">Type</th>
          <th scope="col">Title</th>
          <th scope="col">Conversation</th>
          <th scope="col">Host</th>
          <th scope="col">Start</th>
          <th scope="col">End</th>
          <th scope="col">Duration</th>
          <th scope="col">Participants</th>
        </tr>
      </thead>
      <tbody>
        {calls.map((call) => {
          const expanded = open.has(call.callId);
          const panelId = `participants-${call.callId}`;
          return (
            <Fragment key={call.callId}>
              <tr>
                <td>{typeWords(call.type)}</td>
                <td dir="auto">
                  {call.title ?? <span className="muted">untitled</span>}
                  {call.goneAt !== null && <span className="muted"> (no longer listed by Cliq since {formatDateTime(call.goneAt, timeZone)})</span>}
                </td>
                <td dir="auto">{call.chatId === null ? <span className="muted">none</span> : <a href={hrefFor('browse', [call.chatId])}>{call.chatTitle ?? call.chatId}</a>}</td>
                <td dir="auto">{call.hostName ?? call.hostId ?? '—'}</td>
                <td>{formatDateTime(call.start, timeZone)}</td>
                <td>{formatDateTime(call.end, timeZone)}</td>
                <td>{call.start !== null && call.end !== null ? formatDuration(call.end - call.start) : '—'}</td>
                <td>
                  <button type="button" aria-expanded={expanded} aria-controls={expanded ? panelId : undefined} onClick={() => toggle(call.callId)}>
                    {expanded ? 'Hide' : 'Show'} {call.participants.length} {call.participants.length === 1 ? 'participant' : 'participants'}
                  </button>
                </td>
              </tr>
              {expanded && (
                <tr id={panelId}>
                  <td colSpan={8}>
                    <ParticipantList call={call} timeZone={timeZone} />
                  </td>
                </tr>
              )}
            </Fragment>
          );
        })}
      </tbody>
    </table>
  );
}

function ParticipantList({ call, timeZone }: { call: CallRow; timeZone: string }) {
  if (call.participants.length === 0) return <p className="muted">Cliq listed no participants for this call.</p>;
  return (
    <ul aria-label={`Participants of ${call.title ?? 'the call'}`}>
      {call.participants.map((p) => (
        <li key={`${p.userId ?? p.email ?? p.name ?? ''}/${p.start ?? ''}`}>
          <span dir="auto">{p.name ?? p.email ?? p.userId ?? 'someone'}</span>
          {p.role !== null && <> — {p.role}</>}, {formatDateTime(p.start, timeZone)} to {formatDateTime(p.end, timeZone)}
        </li>
      ))}
    </ul>
  );
}

/** Cliq's call types in words; an unknown one verbatim. */
function typeWords(type: string | null): string {
  const words: Record<string, string> = {
    audio_conference: 'audio conference',
    video_conference: 'video conference',
    direct_call: 'direct call',
    handshake: 'handshake',
    assembly: 'meeting',
  };
  return type === null ? '—' : (words[type] ?? type);
}
