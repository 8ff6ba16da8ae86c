import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { AppInfo } from '../../shared/views';
import type { Settings } from '../../shared/settings';
import { useApi } from './api/ApiContext';
import { useEvent } from './hooks/useEvent';

export interface VaultState {
  info: AppInfo;
  settings: Settings;
  /** Takes settings an operation answered with (settings:update, profiles:switch…). */
  applySettings: (settings: Settings) => void;
  /** Re-reads app:info and settings (after connecting or switching orgs). */
  refresh: () => Promise<void>;
}

const VaultStateContext = createContext<VaultState | null>(null);

/**
 * What every screen needs to know about the app: which org is active, the settings (time zone for
 * dates, theme). Kept current by settings:changed, so a change made by the CLI or another window
 * shows here too.
 */
export function VaultStateProvider({ info: initialInfo, settings: initialSettings, children }: { info: AppInfo; settings: Settings; children: ReactNode }) {
  const api = useApi();
  const [info, setInfo] = useState(initialInfo);
  const [settings, setSettings] = useState(initialSettings);
  const reloadInfo = useCallback(() => {
    api.invoke('app:info', {}).then(setInfo, () => undefined);
  }, [api]);
  // app:info follows the settings (active org) and the archive (a first sync creates it).
  useEvent('settings:changed', (next) => {
    setSettings(next);
    reloadInfo();
  });
  useEvent('sync:done', reloadInfo);

  useEffect(() => {
    document.documentElement.dataset.theme = settings.theme;
  }, [settings.theme]);

  const refresh = useCallback(async () => {
    const [nextInfo, nextSettings] = await Promise.all([api.invoke('app:info', {}), api.invoke('settings:get', {})]);
    setInfo(nextInfo);
    setSettings(nextSettings);
  }, [api]);

  const value = useMemo(() => ({ info, settings, applySettings: setSettings, refresh }), [info, settings, refresh]);
  return <VaultStateContext value={value}>{children}</VaultStateContext>;
}

export function useVaultState(): VaultState {
  const state = useContext(VaultStateContext);
  if (state === null) throw new Error('useVaultState needs a <VaultStateProvider> above it');
  return state;
}

/** The time zone dates are shown in. */
export function useTimeZone(): string {
  return useVaultState().settings.timeZone;
}
