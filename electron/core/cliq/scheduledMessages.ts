import { z } from 'zod';
import type { CliqHttp } from './http';
import { envelope, validateItems, walk, type Page } from './rest';
import { idSchema } from './schemas';

/**
 * S2 (v3) and S1 (v2): the connected account's pending scheduled messages (docs/cliq-api.md §7.10).
 * v3 answers ISO times with an offset and carries the message; v2, the fallback, answers epoch-ms
 * numbers, numeric ids, a chat id, and no text.
 */

const ref = z.looseObject({ id: idSchema.optional(), name: z.string().optional() });
/** An ISO 8601 time with its offset (`2026-05-29T04:27:40-07:00`), as v3 sends every time. */
const isoTime = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/, 'an ISO time with offset');

export const scheduledV3Schema = z.looseObject({
  id: idSchema,
  timezone: z.string().optional().nullable(),
  created_time: isoTime.optional().nullable(),
  time: isoTime.optional().nullable(),
  schedule_status: z.string().optional().nullable(),
  chat_id: idSchema.optional().nullable(),
  creator: ref.optional().nullable(),
  message: z
    .looseObject({
      sender: ref.optional().nullable(),
      type: z.string().optional().nullable(),
      content: z.looseObject({ text: z.string().optional(), file_name: z.string().optional(), comment: z.string().optional() }).optional().nullable(),
    })
    .optional()
    .nullable(),
});
export type ScheduledV3Payload = z.infer<typeof scheduledV3Schema>;

const epochMs = z.union([
  z.number().int().nonnegative(),
  z
    .string()
    .regex(/^\d{1,16}$/)
    .transform(Number),
]);
export const scheduledV2Schema = z.looseObject({
  id: idSchema,
  chat_id: idSchema.optional().nullable(),
  creator: idSchema.optional().nullable(),
  created_time: epochMs.optional().nullable(),
  scheduled_time: epochMs.optional().nullable(),
});
export type ScheduledV2Payload = z.infer<typeof scheduledV2Schema>;

const listPage = z.looseObject({ data: z.array(z.unknown()), next_token: z.string().optional().nullable(), sync_token: z.string().optional().nullable() });
const present = (value: string | null | undefined) => (typeof value === 'string' && value !== '' ? value : undefined);

/** The documented maximum page (the schema's 200 contradicts the description's 100: we keep to 100). */
const pageLimit = 100;

/** One of the two lists, page by page until next_token is absent. */
function listScheduled<T>(
  http: CliqHttp,
  spec: { family: 'scheduled.list' | 'scheduled.legacy'; path: string; limit?: number; schema: z.ZodType<T>; what: string },
  signal?: AbortSignal,
): AsyncGenerator<Page<T>> {
  return walk(
    (cursor) =>
      http.get({
        family: spec.family,
        path: spec.path,
        query: { limit: spec.limit, next_token: cursor },
        rest: true,
        accept: 'json',
        parse: (body) => {
          const page = envelope(listPage, body, spec.what);
          return { items: validateItems(page.data, spec.schema, spec.what), next: present(page.next_token) };
        },
        signal,
      }),
    spec.what,
  );
}

/**
 * S2: every pending scheduled message of the account, `limit` 100, until next_token is absent.
 * Always the whole list: a message that was sent or deleted shows only as an absence, which a
 * sync_token's changes cannot show (docs/cliq-api.md §7.10).
 */
export function listScheduledV3(http: CliqHttp, signal?: AbortSignal): AsyncGenerator<Page<ScheduledV3Payload>> {
  return listScheduled(http, { family: 'scheduled.list', path: '/api/v3/scheduledmessages', limit: pageLimit, schema: scheduledV3Schema, what: 'scheduled messages' }, signal);
}

/** S1: the v2 list (no parameter is documented; `next_token` is passed back). */
export function listScheduledV2(http: CliqHttp, signal?: AbortSignal): AsyncGenerator<Page<ScheduledV2Payload>> {
  return listScheduled(http, { family: 'scheduled.legacy', path: '/api/v2/scheduledmessages', schema: scheduledV2Schema, what: 'scheduled messages (v2)' }, signal);
}
