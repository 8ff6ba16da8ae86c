import { useState } from 'react';
import { useApi } from '../../api/ApiContext';
import { ErrorPanel } from '../../components/ErrorPanel';
import { useVaultState } from '../../VaultState';
import { EncryptionPanel } from './EncryptionPanel';
import { PreferencesForm } from './PreferencesForm';
import { ProfilesPanel } from './ProfilesPanel';

const storageText: Record<'os' | 'weak' | 'memory' | 'unavailable', string> = {
  os: 'the operating system’s secret store (Keychain, Credential Manager, libsecret)',
  weak: 'obfuscated on disk (no keyring available; you agreed to this)',
  memory: 'memory only, for this process (from the environment or typed in)',
  unavailable: 'nowhere safe: no keyring is available',
};

export function SettingsScreen() {
  const { info } = useVaultState();
  return (
    <section className="screen" aria-labelledby="settings-title">
      <header className="screen-head">
        <h1 id="settings-title">Settings</h1>
      </header>
      <ProfilesPanel />
      <EncryptionPanel />
      <PreferencesForm />
      <WeakStorageToggle />
      <section className="panel" aria-labelledby="about-title">
        <h2 id="about-title">About</h2>
        <dl className="facts facts-wide">
          <div>
            <dt>Settings file</dt>
            <dd className="path">{info.settingsPath}</dd>
          </div>
          <div>
            <dt>Archive in use</dt>
            <dd className="path">{info.archivePath ?? 'none yet'}</dd>
          </div>
          <div>
            <dt>New archives go to</dt>
            <dd className="path">{info.defaultArchiveDir}</dd>
          </div>
          <div>
            <dt>Secrets are kept in</dt>
            <dd>{storageText[info.secretStorage]}</dd>
          </div>
          <div>
            <dt>Version</dt>
            <dd>
              {info.version} ({info.shell}, {info.platform})
            </dd>
          </div>
        </dl>
      </section>
    </section>
  );
}

function WeakStorageToggle() {
  const api = useApi();
  const { settings, applySettings, refresh } = useVaultState();
  const [error, setError] = useState<unknown>(null);
  return (
    <section className="panel" aria-labelledby="weak-title">
      <h2 id="weak-title">Secret storage without a keyring</h2>
      <label className="check">
        <input
          type="checkbox"
          checked={settings.allowWeakSecretStorage}
          onChange={(e) => {
            setError(null);
            api.invoke('settings:update', { allowWeakSecretStorage: e.target.checked }).then(
              async (next) => {
                applySettings(next);
                await refresh();
              },
              (err: unknown) => setError(err),
            );
          }}
        />{' '}
        Allow weak secret storage
      </label>
      <p className="notice">
        Only for Linux without a keyring (no GNOME Keyring or KWallet). The client secret and refresh token would then be stored with a key that is the same on every machine: anyone who can read your
        files can read them. Leave this off unless you accept that.
      </p>
      {error !== null && <ErrorPanel error={error} />}
    </section>
  );
}
