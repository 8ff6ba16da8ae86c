import { useEffect, useState } from 'react';
import type { AppInfo } from '../../shared/views';
import type { Settings } from '../../shared/settings';
import { SessionMissingError } from './api/ApiError';
import { useApi } from './api/ApiContext';
import { ErrorPanel } from './components/ErrorPanel';
import { Loading } from './components/Loading';
import { navigate, hrefFor, useHashRoute } from './hooks/useHashRoute';
import { useShortcuts } from './hooks/useShortcuts';
import { Sidebar } from './Sidebar';
import { ScreenView } from './ScreenView';
import { VaultStateProvider, useVaultState } from './VaultState';
import { UnlockGate } from './features/unlock/UnlockGate';

type Boot = { state: 'loading' } | { state: 'ready'; info: AppInfo; settings: Settings } | { state: 'error'; error: unknown };

/** Boots the app (app:info + settings), then the shell. `data-app-state` is what e2e tests wait on. */
export function App() {
  const api = useApi();
  const [boot, setBoot] = useState<Boot>({ state: 'loading' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let live = true;
    setBoot({ state: 'loading' });
    Promise.all([api.invoke('app:info', {}), api.invoke('settings:get', {})]).then(
      ([info, settings]) => live && setBoot({ state: 'ready', info, settings }),
      (error: unknown) => live && setBoot({ state: 'error', error }),
    );
    return () => {
      live = false;
    };
  }, [api, attempt]);

  if (boot.state === 'loading') {
    return (
      <div className="app app-boot" data-app-state="loading">
        <Loading label="Opening Cliq Vault…" />
      </div>
    );
  }
  if (boot.state === 'error') {
    return (
      <div className="app app-boot" data-app-state="error">
        {boot.error instanceof SessionMissingError ? (
          <main className="session-missing">
            <h1>Cliq Vault</h1>
            <p className="lead">Open the link `cliq-vault serve` printed (it carries the access token).</p>
            <p className="muted">This page was opened without it, so Cliq Vault will not answer. The link looks like http://127.0.0.1:PORT/?token=…</p>
          </main>
        ) : (
          <ErrorPanel title="Cliq Vault could not start" error={boot.error} onRetry={() => setAttempt((a) => a + 1)} />
        )}
      </div>
    );
  }
  return (
    <VaultStateProvider info={boot.info} settings={boot.settings}>
      <Shell />
    </VaultStateProvider>
  );
}

function Shell() {
  const { settings, info } = useVaultState();
  const route = useHashRoute();
  useShortcuts();
  const hasProfile = settings.activeProfile !== null;
  // `serve --archive` reads an archive with no profile: browsing is then the place to start.
  const home = hasProfile ? 'sync' : info.archivePath !== null ? 'browse' : 'connect';

  // No route (first open) or an unknown one: send the admin where there is something to do.
  useEffect(() => {
    if (route === null) navigate(hrefFor(home), { replace: true });
  }, [route, home]);

  return (
    <div className="app" data-app-state="ready">
      <Sidebar current={route?.screen ?? null} />
      <main className="content" id="main">
        {/* A new active org starts every screen afresh, except Connect, which made it active and
            still has its outcome (e.g. a failed admin check) to show. */}
        {route !== null && (
          <UnlockGate screen={route.screen}>
            <ScreenView key={route.screen === 'connect' ? 'connect' : (settings.activeProfile ?? 'none')} route={route} />
          </UnlockGate>
        )}
      </main>
    </div>
  );
}
