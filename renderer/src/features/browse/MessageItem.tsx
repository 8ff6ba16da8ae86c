import type { TranscriptMessage } from '../../../../shared/archive';
import { bodySegments, type MentionResolver } from '../../../../shared/markup';
import { MarkupText } from '../../components/MarkupText';
import { formatBytes, formatDate, formatDateTime } from '../../format';
import { hrefFor } from '../../hooks/useHashRoute';
import { FileActions, FileThumbnail } from './FileActions';
import { ReactionChips } from './ReactionChips';

/**
 * One message as an auditor reads it: who, when, what — Cliq's markup rendered (mentions named by
 * `resolver`), files, call notices and cards spelt out, and deletions and edits marked rather than hidden.
 */
export function MessageItem({
  message,
  resolver,
  timeZone,
  focused,
  onShowVersions,
}: {
  message: TranscriptMessage;
  resolver: MentionResolver;
  timeZone: string;
  focused: boolean;
  onShowVersions: (message: TranscriptMessage) => void;
}) {
  const body = bodySegments(message, resolver);
  // A file's caption and a call notice are in the body; other strings (cards, slides) stay as stored.
  const extra = message.type !== 'file' && message.subtype !== 'call_notification' ? message.extraText : null;
  const classes = ['message', focused ? 'message-focused' : '', message.deletedAt !== null ? 'message-deleted' : ''].filter(Boolean).join(' ');
  const notice = message.type !== 'text' && message.type !== 'file';
  return (
    <article className={classes} aria-label={`Message from ${message.senderName ?? message.senderId ?? 'unknown sender'}`} aria-current={focused ? 'true' : undefined}>
      <header className="message-head">
        <span className="sender">{message.senderName ?? message.senderId ?? 'Unknown sender'}</span>
        <time dateTime={new Date(message.time).toISOString()} className="muted" title={`${formatDateTime(message.time, timeZone)} (${timeZone})`}>
          {formatDateTime(message.time, timeZone)}
        </time>
        {notice && (
          <span className="tag">
            {message.type}
            {message.subtype !== null ? ` · ${message.subtype}` : ''}
          </span>
        )}
        {message.deletedAt !== null && <span className="mark mark-deleted">deleted — noticed {formatDate(message.deletedAt, timeZone)}</span>}
        {message.version > 1 && (
          <button
            type="button"
            className="mark mark-edited"
            onClick={() => onShowVersions(message)}
            aria-label={`Edited: view ${message.version - 1} earlier version${message.version > 2 ? 's' : ''}`}
          >
            edited · {message.version - 1} earlier
          </button>
        )}
      </header>
      {body.length > 0 && (
        <div className="message-text" dir="auto">
          <MarkupText segments={body} />
        </div>
      )}
      {(message.fileName !== null || message.attachment !== undefined) && (
        <div className="file">
          <p>
            <span aria-hidden="true">📎 </span>
            <span className="file-name">{message.attachment?.fileName ?? message.fileName}</span>
            <span className="muted">
              {' '}
              {message.fileMime ?? 'unknown type'} · {formatBytes(message.attachment?.size ?? message.fileSize)}
            </span>{' '}
            {message.attachment !== undefined && <FileActions attachment={message.attachment} fileRef={{ chatId: message.chatId, messageId: message.messageId, fileId: message.attachment.fileId }} />}
          </p>
          {message.attachment !== undefined && <FileThumbnail attachment={message.attachment} fileRef={{ chatId: message.chatId, messageId: message.messageId, fileId: message.attachment.fileId }} />}
        </div>
      )}
      {extra !== null && extra !== '' && (
        <p className="extra muted" dir="auto">
          {extra}
        </p>
      )}
      {message.reactions !== undefined && message.reactions.length > 0 && <ReactionChips reactions={message.reactions} timeZone={timeZone} />}
      {message.thread !== undefined && (
        <p className="thread-link">
          <a href={hrefFor('browse', [message.thread.chatId])}>
            Thread: <span dir="auto">{message.thread.title ?? 'untitled'}</span> →
          </a>
        </p>
      )}
    </article>
  );
}
