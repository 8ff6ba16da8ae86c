import { createContext, useContext, type ReactNode } from 'react';
import type { VaultApi } from '../../../shared/contract';

const ApiContext = createContext<VaultApi | null>(null);

/** Components take the api from context, so tests hand them an in-memory one. */
export function ApiProvider({ api, children }: { api: VaultApi; children: ReactNode }) {
  return <ApiContext value={api}>{children}</ApiContext>;
}

export function useApi(): VaultApi {
  const api = useContext(ApiContext);
  if (api === null) throw new Error('useApi needs an <ApiProvider> above it');
  return api;
}
