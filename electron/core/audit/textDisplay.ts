import type Database from 'better-sqlite3-multiple-ciphers';
import { VaultError } from '../../../shared/errors';
import { messagePlainText } from '../../../shared/markup';
import { archiveMentionResolver } from '../archive/mentionResolver';
import type { Cell, RawRow } from './rowFormat';

/**
 * The messages CSV's `text_display`: the row as a person reads it (shared/markup's plain text),
 * mentions named from the archive through one resolver for the whole export (each id looked up
 * once). The raw payload is parsed only for messages whose display needs it (files, call notices,
 * cards); a text message renders from its text alone.
 */
export function messageTextDisplay(db: Database.Database, selected: readonly string[]): (row: RawRow) => Cell {
  const resolver = archiveMentionResolver(db);
  const at = (name: string) => {
    const i = selected.indexOf(name);
    if (i < 0) throw new VaultError('INTERNAL', `The messages query lacks the ${name} column that text_display is rendered from.`);
    return i;
  };
  const type = at('type');
  const subtype = at('subtype');
  const text = at('text');
  const fileName = at('file_name');
  const fileSize = at('file_size');
  const otherText = at('other_text');
  const raw = at('raw');
  const str = (row: RawRow, i: number) => {
    const v = row[i];
    return typeof v === 'string' ? v : null;
  };
  return (row) => {
    const messageType = str(row, type) ?? '';
    const messageSubtype = str(row, subtype);
    const size = row[fileSize];
    const needsContent = messageType !== 'text' || messageSubtype !== null;
    const shown = messagePlainText(
      {
        type: messageType,
        subtype: messageSubtype,
        text: str(row, text),
        fileName: str(row, fileName),
        fileSize: typeof size === 'number' ? size : typeof size === 'bigint' ? Number(size) : null,
        extraText: str(row, otherText),
        ...(needsContent ? { content: contentOf(str(row, raw)) } : {}),
      },
      resolver,
    );
    return shown === '' ? null : shown;
  };
}

/** A stored payload's `content`, as shared/markup renders it (also the transcripts' reader). */
export function contentOf(raw: string | null): unknown {
  if (raw === null) return undefined;
  try {
    const parsed = JSON.parse(raw) as { content?: unknown };
    // [002]'s MS2 sample sends content as a bare string: that is its text (mapMessage reads it so too).
    return typeof parsed.content === 'string' ? { text: parsed.content } : parsed.content;
  } catch {
    // A payload that is not JSON cannot be: the archive stored it as JSON. Render from the columns.
    return undefined;
  }
}
