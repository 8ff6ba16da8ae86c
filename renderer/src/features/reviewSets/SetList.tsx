import { builtInTags, type ReviewSetSummary } from '../../../../shared/reviewSets';
import { TableHead } from '../../components/TableHead';
import { formatCount, formatDateTime } from '../../format';
import { hrefFor } from '../../hooks/useHashRoute';
import { useTimeZone } from '../../VaultState';
import { ReviewProgress } from './ReviewProgress';
import { tagLabel } from './reviewWords';

/** Every set: its name (the way in), owner, source in words, progress, tag counts and what was purged since. */
export function SetList({ sets }: { sets: ReviewSetSummary[] }) {
  const timeZone = useTimeZone();
  return (
    <table className="table" aria-label="Review sets">
      <TableHead columns={['Set', 'Owner', 'Source', 'Progress', 'Tags', 'Purged since']} />
      <tbody>
        {sets.map((set) => (
          <tr key={set.id}>
            <th scope="row" dir="auto">
              <a href={hrefFor('reviewSets', [String(set.id)])}>{set.name}</a>
              {set.description !== null && set.description !== '' && (
                <div className="muted" dir="auto">
                  {set.description}
                </div>
              )}
            </th>
            <td>
              {set.owner.osUser} on {set.owner.host}
              <div className="muted">{formatDateTime(set.createdAt, timeZone)}</div>
            </td>
            <td dir="auto">{set.sourceText}</td>
            <td>
              <ReviewProgress set={set} />
            </td>
            <td>
              <TagCounts counts={set.tagCounts} />
            </td>
            <td className="num">{formatCount(set.purged)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** "responsive 12 · privileged 3", built-in tags first, as the keys number them. */
export function TagCounts({ counts }: { counts: Record<string, number> }) {
  const rank = (tag: string) => {
    const at = (builtInTags as readonly string[]).indexOf(tag);
    return at < 0 ? builtInTags.length : at;
  };
  const used = Object.entries(counts)
    .filter(([, n]) => n > 0)
    .sort(([a], [b]) => rank(a) - rank(b));
  if (used.length === 0) return <span className="muted">none yet</span>;
  return (
    <ul className="tag-counts">
      {used.map(([tag, n]) => (
        <li key={tag}>
          <span className="tag">{tagLabel(tag)}</span> {formatCount(n)}
        </li>
      ))}
    </ul>
  );
}
