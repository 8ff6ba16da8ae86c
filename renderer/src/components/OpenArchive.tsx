import { useEffect } from 'react';
import { useVaultState } from '../VaultState';

/** The last part of a path, on POSIX or Windows. */
export function fileNameOf(path: string): string {
  return (
    path
      .split(/[\\/]/)
      .filter((part) => part !== '')
      .at(-1) ?? path
  );
}

/**
 * What every screen reads: the org and the archive file (the full path on hover), or that no
 * archive is open. An archive `serve --archive` opened with no org of its own is marked read-only.
 */
export function OpenArchive() {
  const { info } = useVaultState();
  const org = info.archiveReadOnly ? null : (info.activeProfile?.name ?? null);
  const file = info.archivePath !== null ? fileNameOf(info.archivePath) : null;
  // The window's (or tab's) title names the archive too, so two open side by side are told apart.
  useEffect(() => {
    document.title = file !== null ? `${file} — Cliq Vault` : 'Cliq Vault';
  }, [file]);
  return (
    <div className="open-archive" role="group" aria-label="Open archive">
      <div className="open-archive-org">{org ?? 'No org connected'}</div>
      {info.archivePath !== null ? (
        <div className="open-archive-file" title={info.archivePath}>
          {file}
          {info.archiveReadOnly && <span className="tag">read-only</span>}
        </div>
      ) : (
        <div className="open-archive-file muted">no archive open</div>
      )}
    </div>
  );
}
