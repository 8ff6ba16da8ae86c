import { useState } from 'react';
import type { BundleZip } from '../../../../shared/archive';
import { useApi } from '../../api/ApiContext';
import { bundleZipHref } from '../../api/fileLinks';
import { CopyButton } from '../../components/CopyButton';
import { ErrorPanel } from '../../components/ErrorPanel';
import { formatBytes } from '../../format';
import { useVaultState } from '../../VaultState';

type State = { state: 'idle' | 'busy' } | { state: 'done'; zip: BundleZip } | { state: 'error'; error: unknown };

/**
 * One bundle of the export history as a zip. The zip is written (and its folder re-checked against
 * the recorded SHA256SUMS) before anything is sent, so its SHA-256 is on screen before the
 * download: in the browser (`serve`, often a headless box behind an SSH tunnel) the user saves it
 * and can check the copy they got; the desktop app, which has the folder, shows where the zip is.
 */
export function BundleZipAction({ id, label }: { id: number; label: string }) {
  const api = useApi();
  const { info } = useVaultState();
  const [zip, setZip] = useState<State>({ state: 'idle' });
  const inBrowser = info.shell === 'browser';
  const prepare = () => {
    setZip({ state: 'busy' });
    api.invoke('audit:zip', { id }).then(
      (value) => setZip({ state: 'done', zip: value }),
      (error: unknown) => setZip({ state: 'error', error }),
    );
  };
  return (
    <div className="bundle-zip">
      <button type="button" className="small" disabled={zip.state === 'busy'} onClick={prepare} aria-label={`${inBrowser ? 'Download' : 'Make'} .zip of ${label}`}>
        {zip.state === 'busy' ? 'Zipping…' : inBrowser ? 'Download .zip' : 'Make .zip'}
      </button>
      {zip.state === 'error' && <ErrorPanel title="Could not zip this bundle" error={zip.error} />}
      {zip.state === 'done' && (
        <p role="status">
          {inBrowser ? (
            <a href={bundleZipHref(id)} download={zip.zip.name}>
              Save {zip.zip.name}
            </a>
          ) : (
            <span className="path">{zip.zip.zipPath}</span>
          )}{' '}
          ({formatBytes(zip.zip.sizeBytes)}), SHA-256{' '}
          <code className="hash" aria-label="SHA-256 of the zip">
            {zip.zip.sha256}
          </code>{' '}
          <CopyButton value={zip.zip.sha256} label="Copy the zip's SHA-256" />
        </p>
      )}
    </div>
  );
}
