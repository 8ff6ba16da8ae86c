import type { RouteFamily } from '../families';

/**
 * Holds: a test's gate on one route family, so it can stop a client at an exact request instead of
 * hoping a delay is long enough. A hold lets `after` more requests of its family through, then
 * keeps every later one waiting — counted on arrival, but not yet authenticated, rate-limited,
 * faulted or answered — until it is released. A held request is then handled as if it arrived at
 * the release (it sees the org and the clock of that moment).
 */
export interface Hold {
  /** Resolves when the hold stops its first request. */
  readonly reached: Promise<void>;
  /** Requests waiting on this hold now. */
  waiting(): number;
  /** Lets the waiting requests go on, and every later one through. Idempotent. */
  release(): void;
}

interface Gate {
  family: RouteFamily;
  passesLeft: number;
  waiting: number;
  released: boolean;
  reach: () => void;
  open: () => void;
  opened: Promise<void>;
}

/** A promise and the function that settles it. */
function signal(): { promise: Promise<void>; fire: () => void } {
  let fire!: () => void;
  const promise = new Promise<void>((resolve) => {
    fire = resolve;
  });
  return { promise, fire };
}

export class Holds {
  private readonly gates = new Set<Gate>();

  /** Places a hold on `family` that lets `after` requests through first. */
  hold(family: RouteFamily, after = 0): Hold {
    if (!Number.isInteger(after) || after < 0) throw new Error(`a hold's "after" must be a whole number of requests, not ${String(after)}`);
    const reached = signal();
    const opened = signal();
    const gate: Gate = { family, passesLeft: after, waiting: 0, released: false, reach: reached.fire, open: opened.fire, opened: opened.promise };
    this.gates.add(gate);
    return {
      reached: reached.promise,
      waiting: () => gate.waiting,
      release: () => {
        this.open(gate);
      },
    };
  }

  /**
   * Called once per arriving request of `family`: undefined when no hold stops it (the common
   * case costs no promise), else a promise that settles when every hold stopping it is released.
   */
  wait(family: RouteFamily): Promise<void> | undefined {
    const stopping: Gate[] = [];
    for (const gate of this.gates) {
      if (gate.family !== family) continue;
      if (gate.passesLeft > 0) gate.passesLeft--;
      else stopping.push(gate);
    }
    if (stopping.length === 0) return undefined;
    for (const gate of stopping) {
      gate.waiting++;
      gate.reach();
    }
    return Promise.all(
      stopping.map(async (gate) => {
        await gate.opened;
        gate.waiting--;
      }),
    ).then(() => undefined);
  }

  /** Releases every hold (the simulator is closing). */
  releaseAll(): void {
    for (const gate of this.gates) this.open(gate);
  }

  private open(gate: Gate): void {
    if (gate.released) return;
    gate.released = true;
    this.gates.delete(gate);
    gate.open();
  }
}
