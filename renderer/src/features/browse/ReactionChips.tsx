import { useId, useState } from 'react';
import type { ReactionView } from '../../../../shared/evidence';
import { formatDate, formatDateTime } from '../../format';

interface ReactionGroup {
  emoji: string;
  standing: ReactionView[];
  removed: ReactionView[];
}

/** Reactions grouped by key, in the order each key was first used. */
function groupReactions(reactions: readonly ReactionView[]): ReactionGroup[] {
  const groups = new Map<string, ReactionGroup>();
  for (const r of reactions) {
    const group = groups.get(r.emoji) ?? { emoji: r.emoji, standing: [], removed: [] };
    (r.removedNoticedAt === null ? group.standing : group.removed).push(r);
    groups.set(r.emoji, group);
  }
  return [...groups.values()];
}

const who = (r: ReactionView) => r.userName ?? r.userId;

/** Who reacted and when, in words: the chip's accessible name and its tooltip. */
function describeGroup(g: ReactionGroup, timeZone: string): string {
  const count = `${g.standing.length} reaction${g.standing.length === 1 ? '' : 's'}`;
  const standing = g.standing.map((r) => `${who(r)} at ${formatDateTime(r.at, timeZone)}`).join(', ');
  const removed = g.removed.map((r) => `${who(r)} (removed, noticed ${formatDate(r.removedNoticedAt, timeZone)})`).join(', ');
  return [`${g.emoji}: ${count}${standing !== '' ? ` by ${standing}` : ''}`, removed !== '' ? `removed: ${removed}` : ''].filter(Boolean).join('; ');
}

/**
 * A message's reactions as chips: the key as Cliq gave it (an emoji, or a `:code:` shortcode as
 * its text — Cliq's data, never markup) with how many stand. A key whose reactions were all
 * removed is struck through. Opening a chip lists who reacted and when, removed ones included.
 */
export function ReactionChips({ reactions, timeZone }: { reactions: readonly ReactionView[]; timeZone: string }) {
  const [open, setOpen] = useState<string | null>(null);
  const baseId = useId();
  const groups = groupReactions(reactions);
  const shown = groups.find((g) => g.emoji === open);
  const listId = `${baseId}-who`;
  return (
    <div className="reactions">
      <ul className="reaction-chips" aria-label="Reactions">
        {groups.map((g) => {
          const words = describeGroup(g, timeZone);
          return (
            <li key={g.emoji}>
              <button
                type="button"
                className={`reaction-chip${g.standing.length === 0 ? ' reaction-removed' : ''}`}
                aria-label={words}
                title={words}
                aria-expanded={open === g.emoji}
                aria-controls={open === g.emoji ? listId : undefined}
                onClick={() => setOpen(open === g.emoji ? null : g.emoji)}
              >
                {g.standing.length === 0 ? <s dir="auto">{g.emoji}</s> : <span dir="auto">{g.emoji}</span>} <span className="reaction-count">{g.standing.length}</span>
              </button>
            </li>
          );
        })}
      </ul>
      {shown !== undefined && (
        <ul id={listId} className="reaction-who" aria-label={`Who reacted with ${shown.emoji}`}>
          {[...shown.standing, ...shown.removed].map((r, i) => (
            <li key={`${r.userId}-${r.at}-${i}`} className={r.removedNoticedAt !== null ? 'reaction-removed' : undefined}>
              {r.removedNoticedAt !== null ? <s dir="auto">{who(r)}</s> : <span dir="auto">{who(r)}</span>}{' '}
              <span className="muted">
                {formatDateTime(r.at, timeZone)}
                {r.removedNoticedAt !== null && ` · removed, noticed ${formatDate(r.removedNoticedAt, timeZone)}`}
              </span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
