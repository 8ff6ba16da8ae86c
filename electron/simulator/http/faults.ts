import type { RouteFamily } from '../families';
import type { FaultKind, ScriptedFault } from '../options';
import { hash32, Rng } from '../random';
import { errorReply } from './errors';
import { bodyText, htmlReply, type Reply } from './reply';

/**
 * Fault injection (docs/cliq-api.md §10.9). Scripted faults are consumed in order per family, so a
 * test knows exactly which request fails; random fault rates draw from a seeded generator.
 */

interface ScriptState {
  fault: ScriptedFault;
  passed: number;
  remaining: number;
}

export class FaultInjector {
  private scripts = new Map<RouteFamily, ScriptState[]>();
  private rng: Rng;

  constructor(private readonly seed: number) {
    this.rng = new Rng(hash32(seed, 0xfa17));
  }

  /** Installs a new script (and restarts the random stream, so a run is reproducible). */
  load(faults: readonly ScriptedFault[]): void {
    this.scripts = new Map();
    for (const fault of faults) {
      const list = this.scripts.get(fault.family) ?? [];
      list.push({ fault, passed: 0, remaining: fault.times });
      this.scripts.set(fault.family, list);
    }
    this.rng = new Rng(hash32(this.seed, 0xfa17));
  }

  /** The fault to inflict on this request of `family`, if any. */
  next(family: RouteFamily, rates: Partial<Record<RouteFamily, { rate: number; kinds: FaultKind[] }>>): FaultKind | null {
    const list = this.scripts.get(family);
    const head = list?.[0];
    if (list && head) {
      if (head.passed < head.fault.after) {
        head.passed++;
        return null;
      }
      head.remaining--;
      if (head.remaining <= 0) list.shift();
      return head.fault.kind;
    }
    const random = rates[family];
    if (random && this.rng.chance(random.rate)) return this.rng.pick(random.kinds);
    return null;
  }

  /** Scripted faults not yet consumed, per family (for stats and debugging). */
  pending(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [family, list] of this.scripts) {
      const left = list.reduce((sum, s) => sum + s.remaining, 0);
      if (left > 0) out[family] = left;
    }
    return out;
  }
}

/** Faults that replace the answer outright (the handler does not run). */
export function replacementFor(kind: FaultKind): Reply | null {
  switch (kind) {
    case '500':
      return errorReply(500);
    case '403':
      return errorReply(403);
    case '404':
      return errorReply(404);
    case '429':
      return errorReply(429);
    case '502-html':
      return htmlReply(502, '<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>\n');
    case '503':
      return htmlReply(503, '<html><body><h1>503 Service Unavailable</h1>No server is available to handle this request.</body></html>\n');
    case '504':
      return htmlReply(504, '<html><head><title>504 Gateway Time-out</title></head><body><h1>504 Gateway Time-out</h1></body></html>\n');
    case 'wrong-content-type':
      return htmlReply(200, '<!DOCTYPE html><html><head><title>Zoho Accounts</title></head><body><p>Please sign in to continue.</p></body></html>\n');
    case 'reset':
    case 'truncate':
    case 'malformed':
    case 'hang':
    case 'big-number-id':
      return null;
  }
}

/** Breaks a body's syntax: an extra comma in JSON, an unterminated quoted field in CSV. */
export function malformedBody(reply: Reply): string {
  const text = bodyText(reply);
  if (reply.kind === 'csv') return `"unterminated,${text}`;
  const comma = text.indexOf(',');
  return comma >= 0 ? `${text.slice(0, comma)},,${text.slice(comma + 1)}` : `${text}}`;
}

/**
 * Ids sent as bare JSON numbers above 2^53 (§4.3: ids are strings and must stay so). Rewrites
 * `"id"`, `"user_id"`, `"sender_id"` and `"creator_id"` values of 16+ digits; a parser that reads
 * them as JS numbers loses digits.
 */
export function bigNumberBody(reply: Reply): string {
  return bodyText(reply).replace(/"(id|user_id|sender_id|creator_id|zuid)":"(\d{16,})"/g, '"$1":$2');
}

/** About half of the body, cut on a character boundary. */
export function truncatedBody(reply: Reply): string {
  const text = bodyText(reply);
  return text.slice(0, Math.max(1, Math.floor(text.length / 2)));
}
