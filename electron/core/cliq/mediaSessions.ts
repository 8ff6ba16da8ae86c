import { z } from 'zod';
import type { CliqHttp } from './http';
import { envelope, validateItems, walk, type Page } from './rest';
import { idSchema } from './schemas';

/**
 * X1 and X2: the calls and meetings of the connected account, and who took part
 * (docs/cliq-api.md §7.9). Only what the archive relies on is checked; the rest is kept raw.
 */

const epochMs = z.union([
  z.number().int().nonnegative(),
  z
    .string()
    .regex(/^\d{1,16}$/)
    .transform(Number),
]);
const count = z.union([
  z.number().int().nonnegative(),
  z
    .string()
    .regex(/^\d{1,9}$/)
    .transform(Number),
]);
const flag = z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]);
const ref = z.looseObject({ id: idSchema.optional(), name: z.string().optional(), title: z.string().optional() });

export const mediaSessionSchema = z.looseObject({
  id: idSchema,
  session_id: z.string().optional().nullable(),
  nrs_id: z.string().min(1).optional().nullable(),
  type: z.string().optional().nullable(),
  title: z.string().optional().nullable(),
  scope: z.string().optional().nullable(),
  start_time: epochMs.optional().nullable(),
  end_time: epochMs.optional().nullable(),
  host: ref.optional().nullable(),
  participant_count: count.optional().nullable(),
  is_partial: flag.optional().nullable(),
  recording: flag.optional().nullable(),
  chat_id: idSchema.optional().nullable(),
  chat: ref.optional().nullable(),
});
export type MediaSessionPayload = z.infer<typeof mediaSessionSchema>;

export const callParticipantSchema = z.looseObject({
  id: idSchema.optional().nullable(),
  name: z.string().optional().nullable(),
  email_id: z.string().optional().nullable(),
  role: z.string().optional().nullable(),
  start_time: epochMs.optional().nullable(),
  end_time: epochMs.optional().nullable(),
});
export type CallParticipantPayload = z.infer<typeof callParticipantSchema>;

const sessionsPage = z.looseObject({ data: z.array(z.unknown()), next_token: z.string().optional().nullable(), sync_token: z.string().optional().nullable() });
const participantsPage = z.looseObject({ data: z.array(z.unknown()) });

/** A page of X1; the first page of a walk (no next_token sent) carries the token for the next sync. */
export interface MediaSessionsPage extends Page<MediaSessionPayload> {
  syncToken: string | undefined;
}

const present = (value: string | null | undefined) => (typeof value === 'string' && value !== '' ? value : undefined);

/**
 * X1: every call and meeting of the account (no sync token: a full walk), or only those new or
 * changed since the sync that received `syncToken`. Cliq refuses any other parameter beside
 * `next_token` or `sync_token`, so each is sent alone; the walk ends when next_token is absent.
 */
export function listMediaSessions(http: CliqHttp, syncToken: string | undefined, signal?: AbortSignal): AsyncGenerator<MediaSessionsPage> {
  return walk<MediaSessionPayload, MediaSessionsPage>(
    (cursor) =>
      http.get({
        family: 'mediasessions.list',
        path: '/api/v2/mediasessions',
        query: cursor !== undefined ? { next_token: cursor } : { sync_token: syncToken },
        rest: true,
        accept: 'json',
        parse: (body) => {
          const page = envelope(sessionsPage, body, 'calls and meetings');
          return { items: validateItems(page.data, mediaSessionSchema, 'calls and meetings'), next: present(page.next_token), syncToken: present(page.sync_token) };
        },
        signal,
      }),
    'calls and meetings',
  );
}

/** X2: who took part in one call, by its nrs_id. Query parameters need `X-API-VERSION: 1`; we send it always. */
export function listCallParticipants(http: CliqHttp, nrsId: string, signal?: AbortSignal): Promise<Page<CallParticipantPayload>['items']> {
  return http.get({
    family: 'mediasessions.participants',
    path: `/api/v2/mediasessions/${encodeURIComponent(nrsId)}/participants`,
    headers: { 'X-API-VERSION': '1' },
    rest: true,
    accept: 'json',
    parse: (body) => validateItems(envelope(participantsPage, body, 'call participants').data, callParticipantSchema, 'call participants'),
    signal,
  });
}
