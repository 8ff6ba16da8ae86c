import { useState } from 'react';
import type { OrgProfile } from '../../../../shared/settings';
import { dataCentres } from '../../../../shared/dataCentres';
import { useApi } from '../../api/ApiContext';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ErrorPanel } from '../../components/ErrorPanel';
import { hrefFor, navigate } from '../../hooks/useHashRoute';
import { useVaultState } from '../../VaultState';

export function ProfilesPanel() {
  const api = useApi();
  const { settings, applySettings, refresh } = useVaultState();
  const [removing, setRemoving] = useState<OrgProfile | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  function act(call: () => Promise<unknown>) {
    setBusy(true);
    setError(null);
    call()
      .catch((e: unknown) => setError(e))
      .finally(() => {
        setBusy(false);
        setRemoving(null);
      });
  }

  return (
    <section className="panel" aria-labelledby="profiles-title">
      <div className="panel-head">
        <h2 id="profiles-title">Organisations</h2>
        <button type="button" onClick={() => navigate(hrefFor('connect'))}>
          Add another org
        </button>
      </div>
      {error !== null && <ErrorPanel error={error} />}
      {settings.profiles.length === 0 ? (
        <p className="muted">No org yet.</p>
      ) : (
        <table className="table" aria-label="Organisations">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Data centre</th>
              <th scope="col">Archive</th>
              <th scope="col" />
            </tr>
          </thead>
          <tbody>
            {settings.profiles.map((p) => {
              const active = p.id === settings.activeProfile;
              return (
                <tr key={p.id}>
                  <td>
                    {p.name}
                    {p.demo && <span className="tag">demo</span>}
                    {active && <span className="status status-good">active</span>}
                  </td>
                  <td>{p.dataCentre === 'custom' ? `custom (${p.apiBase ?? '?'})` : dataCentres[p.dataCentre].label}</td>
                  <td className="path">{p.archivePath}</td>
                  <td className="row-actions">
                    {!active && (
                      <button
                        type="button"
                        className="small"
                        disabled={busy}
                        aria-label={`Switch to ${p.name}`}
                        onClick={() =>
                          act(async () => {
                            applySettings(await api.invoke('profiles:switch', { id: p.id }));
                            await refresh();
                          })
                        }
                      >
                        Switch
                      </button>
                    )}
                    <button type="button" className="small danger" disabled={busy} aria-label={`Remove ${p.name}`} onClick={() => setRemoving(p)}>
                      Remove…
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {removing !== null && (
        <ConfirmDialog
          title={`Remove ${removing.name}?`}
          confirmLabel="Remove"
          danger
          busy={busy}
          onCancel={() => setRemoving(null)}
          onConfirm={() =>
            act(async () => {
              applySettings(await api.invoke('profiles:remove', { id: removing.id }));
              await refresh();
            })
          }
        >
          <p>Cliq Vault forgets this org and its stored credentials. The archive file stays where it is:</p>
          <p className="path">{removing.archivePath}</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
