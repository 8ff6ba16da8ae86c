import { useLayoutEffect, useState } from 'react';

/**
 * After the results of query `seq` are committed, waits for the frame that paints them (a rAF,
 * then a task: the rAF callback runs before paint, the task after it), records
 * `search:input-to-paint` from the input that produced the query, and only then reports the
 * query painted, so whoever sees `data-search-state="done"` also finds the measure.
 */
export function usePaintMeasure(ready: boolean, seq: number, inputAt: number | null): number {
  const [paintedSeq, setPaintedSeq] = useState(-1);
  useLayoutEffect(() => {
    if (!ready || paintedSeq === seq) return;
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const frame = requestFrame(() => {
      timer = setTimeout(() => {
        if (cancelled) return;
        if (inputAt !== null) performance.measure('search:input-to-paint', { start: inputAt, end: performance.now() });
        setPaintedSeq(seq);
      }, 0);
    });
    return () => {
      cancelled = true;
      cancelFrame(frame);
      clearTimeout(timer);
    };
  }, [ready, seq, inputAt, paintedSeq]);
  return paintedSeq;
}

function requestFrame(callback: () => void): number {
  return typeof requestAnimationFrame === 'function' ? requestAnimationFrame(callback) : (setTimeout(callback, 16) as unknown as number);
}

function cancelFrame(id: number): void {
  if (typeof cancelAnimationFrame === 'function') cancelAnimationFrame(id);
  else clearTimeout(id);
}
