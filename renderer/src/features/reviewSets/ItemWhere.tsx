import type { ReviewItem } from '../../../../shared/reviewSets';
import { formatDateTime } from '../../format';

/** Where and when an item was said: its conversation, its sender and its time (Cliq's names as text). */
export function ItemWhere({ item, timeZone }: { item: ReviewItem; timeZone: string }) {
  return (
    <>
      <span className="hit-chat" dir="auto">
        {item.conversationTitle ?? item.chatId}
      </span>
      <span className="sender" dir="auto">
        {item.senderName ?? item.senderId ?? 'Unknown sender'}
      </span>
      <time className="muted" dateTime={new Date(item.time).toISOString()}>
        {formatDateTime(item.time, timeZone)}
      </time>
    </>
  );
}
