import { useState, type SubmitEvent } from 'react';
import { reactionsPerRunSchema } from '../../../../shared/scheduleSettings';
import { quotaOverrideSchema, themes, type SettingsPatch } from '../../../../shared/settings';
import { useApi } from '../../api/ApiContext';
import { ErrorPanel } from '../../components/ErrorPanel';
import { Field } from '../../components/Field';
import { isValidTimeZone } from '../../format';
import { useVaultState } from '../../VaultState';
import { FolderInput } from '../../components/FolderInput';

const themeLabels: Record<(typeof themes)[number], string> = { system: 'Follow the system', light: 'Light', dark: 'Dark' };

/** Quota lines as typed (one per line or comma-separated), with the ones that do not parse. */
export function parseQuotas(text: string): { quotas: string[]; bad: string[] } {
  const quotas = text
    .split(/[\n,]/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
  return { quotas, bad: quotas.filter((q) => !quotaOverrideSchema.safeParse(q).success) };
}

export function PreferencesForm() {
  const api = useApi();
  const { settings, applySettings } = useVaultState();
  const [timeZone, setTimeZone] = useState(settings.timeZone);
  const [quotasText, setQuotasText] = useState(settings.quotas.join('\n'));
  const [exportDir, setExportDir] = useState(settings.exportDir ?? '');
  const [fetchFiles, setFetchFiles] = useState(settings.files.fetch === 'all');
  const [maxMbText, setMaxMbText] = useState(settings.files.maxMb === null ? '' : String(settings.files.maxMb));
  const [reactionsText, setReactionsText] = useState(String(settings.reactionsPerRun));
  const [errors, setErrors] = useState<{ timeZone?: string; quotas?: string; maxMb?: string; reactions?: string }>({});
  const [state, setState] = useState<{ kind: 'idle' | 'saving' | 'saved' } | { kind: 'error'; error: unknown }>({ kind: 'idle' });

  function save(patch: SettingsPatch) {
    setState({ kind: 'saving' });
    api.invoke('settings:update', patch).then(
      (next) => {
        applySettings(next);
        setState({ kind: 'saved' });
      },
      (error: unknown) => setState({ kind: 'error', error }),
    );
  }

  function onSubmit(event: SubmitEvent) {
    event.preventDefault();
    const found: typeof errors = {};
    if (!isValidTimeZone(timeZone.trim())) found.timeZone = `“${timeZone}” is not an IANA time zone (e.g. Europe/Berlin, America/New_York, UTC)`;
    const { quotas, bad } = parseQuotas(quotasText);
    if (bad.length > 0) found.quotas = `Not family=perMinute[/lock]: ${bad.join(', ')} (e.g. messages=30/5m)`;
    const maxMb = maxMbText.trim() === '' ? null : Number(maxMbText.trim());
    if (maxMb !== null && !(Number.isFinite(maxMb) && maxMb > 0 && maxMb <= 1_000_000)) found.maxMb = `“${maxMbText}” is not a size in MB: leave it empty for no limit, or give a number such as 100`;
    const reactions = /^\d+$/.test(reactionsText.trim()) ? reactionsPerRunSchema.safeParse(Number(reactionsText.trim())) : null;
    if (!reactions?.success) found.reactions = `“${reactionsText}” is not a number of checks: give a whole number such as 200, or 0 to check none`;
    setErrors(found);
    if (Object.keys(found).length > 0 || !reactions?.success) return;
    save({
      timeZone: timeZone.trim(),
      quotas,
      files: { fetch: fetchFiles ? 'all' : 'none', maxMb },
      reactionsPerRun: reactions.data,
      ...(exportDir.trim() === '' ? {} : { exportDir: exportDir.trim() }),
    });
  }

  return (
    <>
      <section className="panel" aria-labelledby="appearance-title">
        <h2 id="appearance-title">Appearance</h2>
        <fieldset className="inline-choice">
          <legend>Theme</legend>
          {themes.map((theme) => (
            <label key={theme} className="check">
              <input type="radio" name="theme" value={theme} checked={settings.theme === theme} onChange={() => save({ theme })} /> {themeLabels[theme]}
            </label>
          ))}
        </fieldset>
      </section>

      <form className="form panel" noValidate onSubmit={onSubmit} aria-labelledby="prefs-title">
        <h2 id="prefs-title">Exports and sync</h2>
        <Field label="Time zone" error={errors.timeZone} help="IANA name. Dates on screen and in audit bundles are shown in it; bundles record it.">
          {(id, describedBy) => (
            <input id={id} type="text" list="time-zones" aria-describedby={describedBy} aria-invalid={errors.timeZone !== undefined} value={timeZone} onChange={(e) => setTimeZone(e.target.value)} />
          )}
        </Field>
        <TimeZoneList />
        <Field label="Default export folder" help="Where audit bundles go unless a destination is given.">
          {(id, describedBy) => <FolderInput id={id} purpose="exports" describedBy={describedBy} value={exportDir} onChange={setExportDir} />}
        </Field>
        <fieldset className="stack">
          <legend>Attachments</legend>
          <label className="check">
            <input type="checkbox" checked={fetchFiles} onChange={(e) => setFetchFiles(e.target.checked)} /> Download the files shared in conversations into the archive
          </label>
          <Field label="Largest file to download (MB)" error={errors.maxMb} help="Empty: no limit. Larger files are listed as not downloaded, and fetched by a later sync if you raise the limit.">
            {(id, describedBy) => (
              <input
                id={id}
                type="text"
                inputMode="decimal"
                disabled={!fetchFiles}
                aria-describedby={describedBy}
                aria-invalid={errors.maxMb !== undefined}
                value={maxMbText}
                onChange={(e) => setMaxMbText(e.target.value)}
              />
            )}
          </Field>
        </fieldset>
        <Field
          label="Reaction checks per sync"
          error={errors.reactions}
          help="Each message's reactions cost one call (20 a minute): a sync checks at most this many, new and changed messages first; the rest wait for later syncs. 0: none are checked."
        >
          {(id, describedBy) => (
            <input
              id={id}
              type="text"
              inputMode="numeric"
              aria-describedby={describedBy}
              aria-invalid={errors.reactions !== undefined}
              value={reactionsText}
              onChange={(e) => setReactionsText(e.target.value)}
            />
          )}
        </Field>
        <Field label="Quota overrides" error={errors.quotas} help="One per line, family=perMinute[/lock], e.g. messages=30/5m. Only lower them if Cliq keeps answering 429.">
          {(id, describedBy) => (
            <textarea id={id} rows={3} aria-describedby={describedBy} aria-invalid={errors.quotas !== undefined} value={quotasText} onChange={(e) => setQuotasText(e.target.value)} />
          )}
        </Field>
        <div className="form-actions">
          <button type="submit" className="primary" disabled={state.kind === 'saving'}>
            Save
          </button>
          {state.kind === 'saved' && (
            <span role="status" className="good-text">
              Saved.
            </span>
          )}
        </div>
        {state.kind === 'error' && <ErrorPanel title="Could not save the settings" error={state.error} />}
      </form>
    </>
  );
}

/** Suggestions for the time zone field, from the browser's own list when it has one. */
function TimeZoneList() {
  const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : ['UTC'];
  return (
    <datalist id="time-zones">
      {zones.map((zone) => (
        <option key={zone} value={zone} />
      ))}
    </datalist>
  );
}
