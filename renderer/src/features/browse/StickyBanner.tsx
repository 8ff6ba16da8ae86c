import { useState } from 'react';
import type { StickyPin } from '../../../../shared/evidence';
import { useApi } from '../../api/ApiContext';
import { Dialog } from '../../components/Dialog';
import { ErrorPanel } from '../../components/ErrorPanel';
import { formatDateTime } from '../../format';
import { useLoad } from '../../hooks/useLoad';
import { useTimeZone } from '../../VaultState';

const person = (name: string | null, id: string | null) => name ?? id ?? 'someone unknown';

/** The pinned message's text, who pinned it and when: Cliq's text, shown as text. */
function PinText({ pin, timeZone }: { pin: StickyPin; timeZone: string }) {
  return (
    <>
      <p className="message-text" dir="auto">
        {pin.text ?? <em className="muted">(no text)</em>}
      </p>
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
function PinHistoryDialog({ pins, timeZone, onClose }: { pins: StickyPin[]; timeZone: string; onClose: () => void }) {
  return (
    <Dialog title="Pin history" onClose={onClose}>
      <ol className="versions" aria-label="Pins, newest first">
        {pins.map((pin) => (
          <li key={`${pin.firstSeenAt}-${pin.messageId ?? ''}-${pin.pinnedAt ?? ''}`}>
            <div className="version-meta muted">
              First seen {formatDateTime(pin.firstSeenAt, timeZone)} · {ended(pin, timeZone)}
            </div>
            <PinText pin={pin} timeZone={timeZone} />
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
  const sticky = useLoad(() => api.invoke('archive:sticky', { chatId }), chatId);
  const [showHistory, setShowHistory] = useState(false);
  if (sticky.state === 'error') return <ErrorPanel title="Could not read the pinned message" error={sticky.error} onRetry={sticky.reload} />;
  if (sticky.state !== 'ready' || sticky.data.pins.length === 0) return null;
  const { pins, checkedAt } = sticky.data;
  const current = pins[0]?.endedNoticedAt === null ? pins[0] : undefined;
  return (
    <section className="sticky-pin" aria-label="Pinned message">
      {current !== undefined ? (
        <PinText pin={current} timeZone={timeZone} />
      ) : (
        <p className="muted">Nothing pinned{checkedAt !== null ? ` when last checked ${formatDateTime(checkedAt, timeZone)}` : ''}.</p>
      )}
      <button type="button" className="small" onClick={() => setShowHistory(true)}>
        Pin history ({pins.length})
      </button>
      {showHistory && <PinHistoryDialog pins={pins} timeZone={timeZone} onClose={() => setShowHistory(false)} />}
    </section>
  );
}
