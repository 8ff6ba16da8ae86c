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

/**
 * S2: every pending scheduled message of the account, `limit` 100, until next_token is absent.
 * Always the whole list: a message that was sent or deleted shows only as an absence, which a
 * sync_token's changes cannot show (docs/cliq-api.md §7.10).
 */
export function listScheduledV3(http: CliqHttp, signal?: AbortSignal): AsyncGenerator<Page<ScheduledV3Payload>> {
  return walk(
    (cursor) =>
      http.get({
        family: 'scheduled.list',
        path: '/api/v3/scheduledmessages',
        query: { limit: pageLimit, next_token: cursor },
        rest: true,
        accept: 'json',
        parse: (body) => {
          const page = envelope(listPage, body, 'scheduled messages');
          return { items: validateItems(page.data, scheduledV3Schema, 'scheduled messages'), next: present(page.next_token) };
        },
        signal,
      }),
    'scheduled messages',
  );
}

/** S1: the v2 list, page by page (`next_token` passed back). */
export function listScheduledV2(http: CliqHttp, signal?: AbortSignal): AsyncGenerator<Page<ScheduledV2Payload>> {
  return walk(
    (cursor) =>
      http.get({
        family: 'scheduled.legacy',
        path: '/api/v2/scheduledmessages',
        query: { next_token: cursor },
        rest: true,
        accept: 'json',
        parse: (body) => {
          const page = envelope(listPage, body, 'scheduled messages (v2)');
          return { items: validateItems(page.data, scheduledV2Schema, 'scheduled messages (v2)'), next: present(page.next_token) };
        },
        signal,
      }),
    'scheduled messages (v2)',
  );
}
