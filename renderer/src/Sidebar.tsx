import { useState } from 'react';
import { toErrorShape } from './api/ApiError';
import { useApi } from './api/ApiContext';
import { OpenArchive } from './components/OpenArchive';
import { hrefFor, screens, type Screen } from './hooks/useHashRoute';
import { useVaultState } from './VaultState';

const labels: Record<Screen, string> = {
  connect: 'Connect',
  sync: 'Sync',
  browse: 'Browse',
  directory: 'Directory',
  search: 'Search',
  audit: 'Audit',
  insights: 'Insights',
  calls: 'Calls & scheduled',
  schedule: 'Schedule & backups',
  settings: 'Settings',
  holds: 'Holds',
  retention: 'Retention',
  review: 'Review log',
  changes: 'Changes',
  reviewSets: 'Review',
};

const order: Screen[] = ['connect', 'sync', 'browse', 'directory', 'search', 'reviewSets', 'changes', 'audit', 'insights', 'calls', 'schedule', 'settings', 'holds', 'retention', 'review'];

export function Sidebar({ current }: { current: Screen | null }) {
  const { info, settings } = useVaultState();
  const hasProfile = settings.activeProfile !== null;
  // Connect is the way in while no org is set up; afterwards Settings → "Add another org" reaches it.
  const shown = order.filter((screen) => screen !== 'connect' || !hasProfile || current === 'connect');

  return (
    <nav className="sidebar" aria-label="Screens">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true">
          ◆
        </span>{' '}
        Cliq Vault
      </div>
      <OpenArchive />
      <ProfileSwitcher />
      <ul className="nav-list">
        {shown.map((screen) => (
          <li key={screen}>
            <a href={hrefFor(screen)} aria-current={current === screen ? 'page' : undefined} className={current === screen ? 'active' : undefined}>
              {labels[screen]}
              {/* The key is the screen's place in `screens` (what useShortcuts reads), not in the sidebar. */}
              {screens.indexOf(screen) < 10 && (
                <kbd className="nav-key" aria-hidden="true">
                  Alt+{(screens.indexOf(screen) + 1) % 10}
                </kbd>
              )}
            </a>
          </li>
        ))}
      </ul>
      <div className="sidebar-foot muted">
        v{info.version} · {info.shell === 'electron' ? 'desktop' : 'browser'}
      </div>
    </nav>
  );
}

function ProfileSwitcher() {
  const api = useApi();
  const { settings, applySettings, refresh } = useVaultState();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (settings.profiles.length === 0) return null;

  return (
    <div className="profile-switcher">
      <label htmlFor="profile-switcher">Organisation</label>
      <select
        id="profile-switcher"
        value={settings.activeProfile ?? ''}
        disabled={busy}
        onChange={(event) => {
          setBusy(true);
          setError(null);
          api
            .invoke('profiles:switch', { id: event.target.value })
            .then(async (next) => {
              applySettings(next);
              await refresh();
            })
            .catch((e: unknown) => setError(toErrorShape(e).message))
            .finally(() => setBusy(false));
        }}
      >
        {settings.activeProfile === null && <option value="">Choose an org…</option>}
        {settings.profiles.map((profile) => (
          <option key={profile.id} value={profile.id}>
            {profile.name}
            {profile.demo ? ' (demo)' : ''}
          </option>
        ))}
      </select>
      {error !== null && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
