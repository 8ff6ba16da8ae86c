import type { ConversationRow } from '../../../../shared/views';

/** The Browse table's sortable columns. */
export type ConversationSortKey = 'type' | 'title' | 'members' | 'onServer' | 'archived' | 'deleted' | 'lastMessage' | 'lastSynced';

export interface ConversationSort {
  key: ConversationSortKey;
  direction: 'ascending' | 'descending';
}

/** The newest conversations first, as the archive lists them. */
export const defaultConversationSort: ConversationSort = { key: 'lastMessage', direction: 'descending' };

/** Text columns read A→Z on the first click; counts and times read biggest/newest first. */
export function firstDirection(key: ConversationSortKey): ConversationSort['direction'] {
  return key === 'type' || key === 'title' ? 'ascending' : 'descending';
}

/** The next sort after a click on a column header: the same column flips, another starts at its first direction. */
export function nextSort(current: ConversationSort, key: ConversationSortKey): ConversationSort {
  if (current.key === key) return { key, direction: current.direction === 'ascending' ? 'descending' : 'ascending' };
  return { key, direction: firstDirection(key) };
}

function valueOf(row: ConversationRow, key: ConversationSortKey): string | number | null {
  switch (key) {
    case 'type':
      return row.kind;
    case 'title':
      return row.title ?? row.chatId;
    case 'members':
      return row.memberCount;
    case 'onServer':
      return row.serverMessageCount;
    case 'archived':
      return row.archivedCount;
    case 'deleted':
      return row.deletedCount;
    case 'lastMessage':
      return row.lastMessageAt;
    case 'lastSynced':
      return row.lastCompleteAt;
  }
}

const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });

/**
 * The rows in the chosen order. Stable: rows that tie keep the archive's order (newest message
 * first). An unknown value (never synced, no message, no count from Cliq) sorts last either way,
 * so flipping the direction never buries the known ones.
 */
export function sortConversations(rows: readonly ConversationRow[], sort: ConversationSort): ConversationRow[] {
  const sign = sort.direction === 'ascending' ? 1 : -1;
  return rows
    .map((row, index) => ({ row, index, value: valueOf(row, sort.key) }))
    .sort((a, b) => {
      if (a.value === null || b.value === null) return a.value === b.value ? a.index - b.index : a.value === null ? 1 : -1;
      const order = typeof a.value === 'string' && typeof b.value === 'string' ? collator.compare(a.value, b.value) : Number(a.value) - Number(b.value);
      return order !== 0 ? sign * order : a.index - b.index;
    })
    .map(({ row }) => row);
}
