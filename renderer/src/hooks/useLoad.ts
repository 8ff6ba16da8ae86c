import { useCallback, useEffect, useRef, useState } from 'react';

export type Load<T> =
  | { state: 'loading'; data: T | undefined; error: undefined; reload: () => void }
  | { state: 'ready'; data: T; error: undefined; reload: () => void }
  | { state: 'error'; data: T | undefined; error: unknown; reload: () => void };

/**
 * Runs `load` when `key` changes (and on reload), keeping the answer of the latest call only: a
 * slow answer to an older key never overwrites a newer one. The previous data stays visible while
 * the next loads, so lists do not flash empty.
 */
export function useLoad<T>(load: () => Promise<T>, key: string): Load<T> {
  const [result, setResult] = useState<{ state: 'loading' | 'ready' | 'error'; data: T | undefined; error: unknown }>({ state: 'loading', data: undefined, error: undefined });
  const [generation, setGeneration] = useState(0);
  const latest = useRef(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  useEffect(() => {
    const call = ++latest.current;
    setResult((previous) => ({ state: 'loading', data: previous.data, error: undefined }));
    loadRef.current().then(
      (data) => {
        if (call === latest.current) setResult({ state: 'ready', data, error: undefined });
      },
      (error: unknown) => {
        if (call === latest.current) setResult((previous) => ({ state: 'error', data: previous.data, error }));
      },
    );
  }, [key, generation]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { ...result, reload } as Load<T>;
}
