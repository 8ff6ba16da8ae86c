import type { OptionalSourceView } from '../../../../shared/evidence';

/**
 * Which parts of the directory the archive lacks, and what would add them: a source no sync has
 * tried yet, one Cliq refused (the permission was not granted), or one that failed last time.
 */
export function SourcesNotice({ sources }: { sources: OptionalSourceView[] }) {
  const missing = sources.filter((s) => s.status !== 'complete');
  if (missing.length === 0) return null;
  return (
    <div className="notice" role="status" aria-label="Directory sources missing">
      <p>Parts of the directory are not in the archive:</p>
      <ul>
        {missing.map((s) => (
          <li key={s.dataset}>
            {s.status === null && (
              <>
                <strong>{s.label}</strong> were never archived: no sync has read them yet. The next sync reads them if the connection grants <code>{s.scope}</code>.
              </>
            )}
            {s.status === 'not_granted' && (
              <>
                <strong>{s.label}</strong> were not archived: Cliq refused them because the connection lacks <code>{s.scope}</code>. Connect again granting it, then sync.
              </>
            )}
            {s.status === 'failed' && (
              <>
                <strong>{s.label}</strong> could not be read completely at the last sync{s.rows > 0 ? '; what earlier syncs archived is kept' : ''}. The next sync tries again.
              </>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
