import { useMemo, useState } from 'react';
import type { StickyPin } from '../../../../shared/evidence';
import { parseMarkup, resolverFromNames, type MentionResolver } from '../../../../shared/markup';
import { useApi } from '../../api/ApiContext';
import { Dialog } from '../../components/Dialog';
import { ErrorPanel } from '../../components/ErrorPanel';
import { MarkupText } from '../../components/MarkupText';
import { formatDateTime } from '../../format';
import { useLoad } from '../../hooks/useLoad';
import { useTimeZone } from '../../VaultState';

const person = (name: string | null, id: string | null) => name ?? id ?? 'someone unknown';

/** The pinned message's text (its markup rendered as in the transcript, never as HTML), who pinned it and when. */
function PinText({ pin, timeZone, resolver }: { pin: StickyPin; timeZone: string; resolver: MentionResolver }) {
  return (
    <>
      {pin.text === null ? (
        <p className="message-text">
          <em className="muted">(no text)</em>
        </p>
      ) : (
        <div className="message-text" dir="auto">
          <MarkupText segments={parseMarkup(pin.text, { resolver })} />
        </div>
      )}
      <p className="muted">
        From <span dir="auto">{person(pin.senderName, pin.senderId)}</span> · pinned by <span dir="auto">{person(pin.pinnedByName, pin.pinnedById)}</span>
        {pin.pinnedAt !== null ? ` on ${formatDateTime(pin.pinnedAt, timeZone)}` : ''}
      </p>
    </>
  );
}

function ended(pin: StickyPin, timeZone: string): string {
  if (pin.endedNoticedAt === null) return 'pinned now';
  // No reason: the conversation itself was gone from Cliq, which ends its pin (inventory.ts).
  const how = pin.endedBy === 'replaced' ? 'replaced by another pin' : pin.endedBy === 'unpinned' ? 'unpinned' : 'ended: the conversation was removed from Cliq';
  return `${how}, noticed ${formatDateTime(pin.endedNoticedAt, timeZone)}`;
}

/** Every pin the archive saw, newest first, each with when it was first seen and when it ended. */
function PinHistoryDialog({ pins, timeZone, resolver, onClose }: { pins: StickyPin[]; timeZone: string; resolver: MentionResolver; onClose: () => void }) {
  return (
    <Dialog title="Pin history" onClose={onClose}>
      <ol className="versions" aria-label="Pins, newest first">
        {pins.map((pin) => (
          <li key={`${pin.firstSeenAt}-${pin.messageId ?? ''}-${pin.pinnedAt ?? ''}`}>
            <div className="version-meta muted">
              First seen {formatDateTime(pin.firstSeenAt, timeZone)} · {ended(pin, timeZone)}
            </div>
            <PinText pin={pin} timeZone={timeZone} resolver={resolver} />
          </li>
        ))}
      </ol>
    </Dialog>
  );
}

/**
 * The conversation's pinned (sticky) message above the transcript, with its history a click away.
 * Nothing is shown for a conversation that never had a pin.
 */
export function StickyBanner({ chatId }: { chatId: string }) {
  const api = useApi();
  const timeZone = useTimeZone();
  // The names the pins mention come with them: a pin may mention people no loaded page does.
  const sticky = useLoad(async () => {
    const history = await api.invoke('archive:sticky', { chatId });
    const texts = history.pins.flatMap((pin) => (pin.text === null ? [] : [pin.text]));
    // Names are a nicety: the pin shows (mentions by their fallback) even if they cannot be read.
    const names = texts.length === 0 ? undefined : await api.invoke('archive:names', { texts: texts.slice(0, 200) }).catch(() => undefined);
    return { ...history, names };
  }, chatId);
  const resolver = useMemo(() => resolverFromNames(sticky.state === 'ready' ? sticky.data.names : undefined), [sticky]);
  const [showHistory, setShowHistory] = useState(false);
  if (sticky.state === 'error') return <ErrorPanel title="Could not read the pinned message" error={sticky.error} onRetry={sticky.reload} />;
  if (sticky.state !== 'ready' || sticky.data.pins.length === 0) return null;
  const { pins, checkedAt } = sticky.data;
  const current = pins[0]?.endedNoticedAt === null ? pins[0] : undefined;
  return (
    <section className="sticky-pin" aria-label="Pinned message">
      {current !== undefined ? (
        <PinText pin={current} timeZone={timeZone} resolver={resolver} />
      ) : (
        <p className="muted">Nothing pinned{checkedAt !== null ? ` when last checked ${formatDateTime(checkedAt, timeZone)}` : ''}.</p>
      )}
      <button type="button" className="small" onClick={() => setShowHistory(true)}>
        Pin history ({pins.length})
      </button>
      {showHistory && <PinHistoryDialog pins={pins} timeZone={timeZone} resolver={resolver} onClose={() => setShowHistory(false)} />}
    </section>
  );
}
