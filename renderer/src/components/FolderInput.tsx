import { useState } from 'react';
import { useApi } from '../api/ApiContext';
import { useVaultState } from '../VaultState';

/**
 * A folder path: typed, or — in the desktop app — chosen with the OS folder chooser. In the browser
 * (`serve`) there is no chooser on the server's disk, so the path is typed.
 */
export function FolderInput({
  id,
  value,
  onChange,
  purpose,
  describedBy,
  placeholder,
}: {
  id: string;
  value: string;
  onChange: (path: string) => void;
  purpose: 'backups' | 'exports' | 'archive';
  describedBy?: string | undefined;
  placeholder?: string | undefined;
}) {
  const api = useApi();
  const { info } = useVaultState();
  const [choosing, setChoosing] = useState(false);
  const choose = () => {
    setChoosing(true);
    api
      .invoke('shell:pickFolder', { purpose, ...(value.trim().startsWith('/') || /^[A-Za-z]:[\\/]/.test(value.trim()) ? { defaultPath: value.trim() } : {}) })
      .then(({ path }) => {
        if (path !== null) onChange(path);
      })
      // The chooser failing leaves the typed path as it was; there is nothing else to undo.
      .catch(() => undefined)
      .finally(() => setChoosing(false));
  };
  return (
    <span className="folder-input">
      <input id={id} type="text" className="wide" aria-describedby={describedBy} value={value} placeholder={placeholder} onChange={(e) => onChange(e.target.value)} />
      {info.shell === 'electron' && (
        <button type="button" onClick={choose} disabled={choosing} aria-label={`Choose the folder for ${purpose}`}>
          Choose…
        </button>
      )}
    </span>
  );
}
