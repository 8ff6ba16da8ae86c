import type { ReactNode } from 'react';
import type { Screen } from '../../hooks/useHashRoute';
import { hrefFor } from '../../hooks/useHashRoute';
import { useVaultState } from '../../VaultState';
import { UnlockForm } from './UnlockForm';

/** Screens that never read the archive: they stay usable while it is locked, to switch org. */
const openWhileLocked: ReadonlySet<Screen> = new Set<Screen>(['connect', 'settings']);

/**
 * In front of every screen that reads the archive: while it is encrypted and no key held here opens
 * it, each read would only fail with a key error, so the screen gives way to the unlock prompt.
 */
export function UnlockGate({ screen, children }: { screen: Screen; children: ReactNode }) {
  const { info } = useVaultState();
  if (info.archiveEncryption.state !== 'locked' || openWhileLocked.has(screen)) return children;
  return (
    <section className="screen" aria-labelledby="unlock-title" data-unlock-gate="">
      <header className="screen-head">
        <h1 id="unlock-title">Unlock the archive</h1>
        {info.archivePath !== null && (
          <p className="path" title={info.archivePath}>
            {info.archivePath}
          </p>
        )}
      </header>
      <section className="panel">
        <UnlockForm />
      </section>
      <p className="muted">
        To work with another org instead, switch in <a href={hrefFor('settings')}>Settings</a> or <a href={hrefFor('connect')}>Connect</a>.
      </p>
    </section>
  );
}
