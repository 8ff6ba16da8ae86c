/** One membership interval, as the renderer and the bundle transcripts read it. */
export interface IntervalEdges {
  joinedSource: 'info_message' | 'first_archived' | 'noticed';
  joinedAt: number | null;
  /** When a sync first listed the member (the interval's first_seen_at). */
  joinedNoticedAt: number;
  leftSource: 'info_message' | 'noticed' | null;
  leftAt: number | null;
  /** When a sync noticed them gone; null while a member. */
  leftNoticedAt: number | null;
}

/**
 * How one membership interval reads, wherever a person reads it (the app's members panel, a
 * bundle's transcripts). A member the conversation's first listing found is "member when first
 * archived", never "joined" on that date: when they joined is unknown. A boundary from Cliq's own
 * info message is its time; one a sync noticed is "by" the time it was noticed. `day` writes a
 * time as a date in the reader's zone.
 */
export function membershipWords(i: IntervalEdges, day: (ms: number | null) => string): string {
  const joined =
    i.joinedSource === 'first_archived'
      ? `member when first archived (${day(i.joinedNoticedAt)})`
      : i.joinedSource === 'info_message'
        ? `joined ${day(i.joinedAt)} (Cliq's info message; noticed ${day(i.joinedNoticedAt)})`
        : `joined by ${day(i.joinedNoticedAt)} (noticed at a sync)`;
  if (i.leftNoticedAt === null) return joined;
  const left = i.leftSource === 'info_message' ? `left ${day(i.leftAt)} (Cliq's info message; noticed ${day(i.leftNoticedAt)})` : `left by ${day(i.leftNoticedAt)} (noticed at a sync)`;
  return `${joined} · ${left}`;
}
