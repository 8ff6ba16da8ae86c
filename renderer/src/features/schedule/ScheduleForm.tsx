import { useState, type SubmitEvent } from 'react';
import { appScheduleSchema, type AppSchedule } from '../../../../shared/settings';
import { weekdays, type Weekday } from '../../../../shared/scheduleSettings';
import { useApi } from '../../api/ApiContext';
import { ErrorPanel } from '../../components/ErrorPanel';
import { Field } from '../../components/Field';
import { useVaultState } from '../../VaultState';
import { FolderInput } from '../../components/FolderInput';

const dayLabels: Record<Weekday, string> = { mon: 'Mon', tue: 'Tue', wed: 'Wed', thu: 'Thu', fri: 'Fri', sat: 'Sat', sun: 'Sun' };

interface Draft {
  enabled: boolean;
  time: string;
  days: Weekday[];
  backupDir: string;
  keep: string;
}

const toDraft = (s: AppSchedule): Draft => ({ enabled: s.enabled, time: s.time, days: s.days, backupDir: s.backupDir ?? '', keep: String(s.keep) });

/** The nightly sync + backup: checked with the settings schema before it is saved. */
export function ScheduleForm() {
  const api = useApi();
  const { settings, applySettings } = useVaultState();
  const [draft, setDraft] = useState<Draft>(() => toDraft(settings.schedule));
  const [errors, setErrors] = useState<Partial<Record<keyof Draft, string>>>({});
  const [state, setState] = useState<{ kind: 'idle' | 'saving' | 'saved' } | { kind: 'error'; error: unknown }>({ kind: 'idle' });
  const set = (patch: Partial<Draft>) => {
    setDraft((d) => ({ ...d, ...patch }));
    setState({ kind: 'idle' });
  };

  function onSubmit(event: SubmitEvent) {
    event.preventDefault();
    const keep = /^\d+$/.test(draft.keep.trim()) ? Number(draft.keep.trim()) : Number.NaN;
    const parsed = appScheduleSchema.safeParse({ enabled: draft.enabled, time: draft.time, days: draft.days, backupDir: draft.backupDir.trim() === '' ? undefined : draft.backupDir.trim(), keep });
    if (!parsed.success) {
      const found: Partial<Record<keyof Draft, string>> = {};
      for (const issue of parsed.error.issues) {
        const field = issue.path[0] as keyof Draft;
        found[field] ??= field === 'keep' ? 'Keep must be a whole number from 1 to 10000' : `${field === 'time' ? 'Time' : field === 'days' ? 'Days' : 'Backup folder'} ${issue.message}`;
      }
      setErrors(found);
      return;
    }
    setErrors({});
    setState({ kind: 'saving' });
    api.invoke('settings:update', { schedule: parsed.data }).then(
      (next) => {
        applySettings(next);
        setState({ kind: 'saved' });
      },
      (error: unknown) => setState({ kind: 'error', error }),
    );
  }

  return (
    <form className="form panel" noValidate onSubmit={onSubmit} aria-labelledby="schedule-form-title">
      <h2 id="schedule-form-title">Nightly sync and backup</h2>
      <label className="check">
        <input type="checkbox" checked={draft.enabled} onChange={(e) => set({ enabled: e.target.checked })} /> Run the schedule
      </label>
      <div className="form-row">
        <Field label="Time (24-hour)" error={errors.time}>
          {(id, describedBy) => (
            // Text, not type="time": a time input shows AM/PM in some browsers' locales.
            <input
              id={id}
              type="text"
              inputMode="numeric"
              pattern="[0-2][0-9]:[0-5][0-9]"
              placeholder="HH:MM"
              maxLength={5}
              size={6}
              aria-describedby={describedBy}
              aria-invalid={errors.time !== undefined}
              value={draft.time}
              onChange={(e) => set({ time: e.target.value })}
            />
          )}
        </Field>
        <Field label="Snapshots to keep" error={errors.keep}>
          {(id, describedBy) => (
            <input
              id={id}
              type="number"
              min={1}
              max={10000}
              aria-describedby={describedBy}
              aria-invalid={errors.keep !== undefined}
              value={draft.keep}
              onChange={(e) => set({ keep: e.target.value })}
            />
          )}
        </Field>
      </div>
      <fieldset className="inline-choice" aria-describedby={errors.days !== undefined ? 'days-error' : undefined}>
        <legend>Days</legend>
        {weekdays.map((day) => (
          <label key={day} className="check">
            <input
              type="checkbox"
              checked={draft.days.includes(day)}
              onChange={(e) => set({ days: e.target.checked ? weekdays.filter((d) => d === day || draft.days.includes(d)) : draft.days.filter((d) => d !== day) })}
            />{' '}
            {dayLabels[day]}
          </label>
        ))}
      </fieldset>
      {errors.days !== undefined && (
        <p id="days-error" className="field-error" role="alert">
          {errors.days}
        </p>
      )}
      <Field label="Backup folder" error={errors.backupDir} help="Snapshots of the archive go here after each nightly sync; without a folder the backup step is skipped.">
        {(id, describedBy) => <FolderInput id={id} purpose="backups" describedBy={describedBy} value={draft.backupDir} onChange={(backupDir) => set({ backupDir })} />}
      </Field>
      <div className="form-actions">
        <button type="submit" className="primary" disabled={state.kind === 'saving'}>
          {state.kind === 'saving' ? 'Saving…' : 'Save schedule'}
        </button>
        {state.kind === 'saved' && (
          <span role="status" className="good-text">
            Saved.
          </span>
        )}
      </div>
      {state.kind === 'error' && <ErrorPanel title="Could not save the schedule" error={state.error} />}
    </form>
  );
}
