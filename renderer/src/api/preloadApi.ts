import type { OperationName, PreloadBridge, RequestOf, ResponseOf, Result, VaultApi } from '../../../shared/contract';
import { unwrap } from './ApiError';

/** The Electron shell: one preload function per operation, each answering a Result. */
export function createPreloadApi(bridge: PreloadBridge): VaultApi {
  return {
    async invoke<N extends OperationName>(name: N, request: RequestOf<N>): Promise<ResponseOf<N>> {
      // The bridge's mapped type cannot be indexed generically without widening; each entry takes
      // exactly RequestOf<N> and answers Result<ResponseOf<N>>, which this cast restates.
      const call = bridge[name] as (request: RequestOf<N>) => Promise<Result<ResponseOf<N>>>;
      return unwrap(await call(request));
    },
    on(event, listener) {
      return bridge.on(event, listener);
    },
  };
}
