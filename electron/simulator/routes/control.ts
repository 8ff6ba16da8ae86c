import { z } from 'zod';
import { HttpError } from '../http/errors';
import { emptyReply, jsonReply, streamedJsonReply, type Reply } from '../http/reply';
import type { MutationResult } from '../org/mutate';
import type { SimulatorStats } from '../state';

/**
 * Test and demo controls under /__sim/ on the API listener, JSON in and out, loopback only. They
 * are not Cliq: they are never rate-limited, faulted or counted.
 */

export interface Controller {
  truthChunks(): Iterable<string>;
  mutate(spec: unknown): MutationResult;
  configure(patch: unknown): void;
  stats(): SimulatorStats;
  resetStats(): void;
  issueGrantCode(scopes?: string[], user?: 'admin' | 'member'): string;
  /** Moves a manual clock; throws when the clock is not manual. */
  advance(ms: number): number;
}

const grantSchema = z.strictObject({ scopes: z.array(z.string()).optional(), user: z.enum(['admin', 'member']).optional() });
const clockSchema = z.strictObject({ advanceMs: z.number().nonnegative() });

function asError(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new HttpError(400, { error: message }, message);
}

export function handleControl(controller: Controller, method: string, path: string, body: unknown): Reply {
  const route = `${method} ${path}`;
  try {
    switch (route) {
      case 'GET /__sim/truth':
        return streamedJsonReply(() => controller.truthChunks());
      case 'POST /__sim/mutate':
        return jsonReply(controller.mutate(body ?? {}));
      case 'POST /__sim/configure':
        controller.configure(body ?? {});
        return emptyReply(204);
      case 'GET /__sim/stats':
        return jsonReply(controller.stats());
      case 'POST /__sim/reset-stats':
        controller.resetStats();
        return emptyReply(204);
      case 'POST /__sim/grant-code': {
        const parsed = grantSchema.parse(body ?? {});
        return jsonReply({ code: controller.issueGrantCode(parsed.scopes, parsed.user) });
      }
      case 'POST /__sim/clock': {
        const parsed = clockSchema.parse(body ?? {});
        return jsonReply({ now: controller.advance(parsed.advanceMs) });
      }
      default:
        throw new HttpError(404);
    }
  } catch (error) {
    const failure = asError(error);
    return jsonReply({ message: failure.message }, failure.status);
  }
}
