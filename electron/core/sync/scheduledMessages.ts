import type { SyncCounts } from '../../../shared/sync';
import type { Archive } from '../archive/archive';
import type { EntityRow, WriteContext } from '../archive/entityStore';
import type { ScheduledFate, ScheduledRow } from '../archive/scheduledRepo';
import type { Page } from '../cliq/rest';
import { listScheduledV2, listScheduledV3, type ScheduledV2Payload, type ScheduledV3Payload } from '../cliq/scheduledMessages';
import { itemSource } from './entityRows';
import { failure } from './failure';
import type { OptionalSource } from './optionalSource';
import type { SyncContext } from './types';

export const scheduledSource: OptionalSource = { dataset: 'scheduled_messages', label: 'Scheduled messages of the connected account', scope: 'ZohoCliq.Messages.READ' };

const isoMs = (value: string | null | undefined) => {
  if (typeof value !== 'string') return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
};

/** A v3 item: `time` (ISO with offset) for a time trigger, `schedule_status` for a status trigger. */
export function scheduledRowV3(p: ScheduledV3Payload, raw: Record<string, unknown>): EntityRow {
  const content = p.message?.content;
  const at = isoMs(p.time);
  return {
    key: p.id,
    values: {
      api_version: 'v3',
      chat_id: p.chat_id ?? null,
      creator_id: p.creator?.id ?? null,
      creator_name: p.creator?.name ?? null,
      sender_id: p.message?.sender?.id ?? null,
      // The sender's name may be missing (docs/cliq-api.md §7.10): NULL, never a guess.
      sender_name: p.message?.sender?.name ?? null,
      message_type: p.message?.type ?? null,
      text: content?.text ?? content?.comment ?? null,
      file_name: content?.file_name ?? null,
      timezone: p.timezone ?? null,
      schedule_kind: at === null ? 'status' : 'time',
      scheduled_at: at,
      schedule_status: p.schedule_status ?? null,
      created_at: isoMs(p.created_time),
    },
    ...itemSource(raw),
  };
}

/** A v2 item: numbers for times and the id, a chat id, no message. */
export function scheduledRowV2(p: ScheduledV2Payload, raw: Record<string, unknown>): EntityRow {
  const at = p.scheduled_time ?? null;
  return {
    key: p.id,
    values: {
      api_version: 'v2',
      chat_id: p.chat_id ?? null,
      creator_id: p.creator ?? null,
      creator_name: null,
      sender_id: null,
      sender_name: null,
      message_type: null,
      text: null,
      file_name: null,
      timezone: null,
      schedule_kind: at === null ? 'status' : 'time',
      scheduled_at: at,
      schedule_status: null,
      created_at: p.created_time ?? null,
    },
    ...itemSource(raw),
  };
}

/**
 * Where a scheduled message went once a complete listing no longer shows it: `sent` when the
 * archive holds the message it became (same creator, same text or file, after its creation);
 * otherwise by its trigger: a time not yet reached means it was taken back (`deleted`), a time
 * passed means it was most likely delivered (`presumed_sent`, until its message is archived), and
 * a status trigger cannot tell (`gone`). docs/cliq-api.md §7.10.
 */
export function fateOf(row: ScheduledRow, sent: boolean): ScheduledFate {
  if (sent) return 'sent';
  if (row.scheduleKind === 'status' || row.scheduledAt === null || row.goneAt === null) return 'gone';
  return row.scheduledAt > row.goneAt ? 'deleted' : 'presumed_sent';
}

/**
 * The scheduled-messages lane: the whole v3 list (v2 when v3 is refused or absent), each item
 * upserted with history (a new time is a reschedule: the earlier one stays in entity_history and
 * an archive event says from and to), then the fates of those gone. Runs after the messages lane,
 * so a message delivered since the last sync is already archived and can be matched.
 */
export async function syncScheduledMessages(ctx: SyncContext): Promise<void> {
  let api: 'v3' | 'v2' = 'v3';
  let seen: Set<string>;
  try {
    seen = await storeAll(ctx, listScheduledV3(ctx.http, ctx.signal), scheduledRowV3);
  } catch (error) {
    const code = failure(error).code;
    if (code !== 'FORBIDDEN' && code !== 'NOT_FOUND') throw error;
    ctx.log.info(`scheduled messages v3 answered ${code}; trying v2`);
    api = 'v2';
    seen = await storeAll(ctx, listScheduledV2(ctx.http, ctx.signal), scheduledRowV2);
  }
  const { archive } = ctx;
  archive.transaction(() => {
    const write = ctx.write();
    archive.entities.scheduledMessages.markGone(seen, write, { where: 'api_version = ?', params: [api] });
    settleFates(archive, write, ctx.counts);
  });
  ctx.counts.scheduledPending = seen.size;
}

/**
 * Decides the fate of every scheduled message gone from the list and not matched yet (inside the
 * caller's transaction): those just noticed gone, and earlier ones whose message a later sync may
 * have archived. Counts each change of fate.
 */
export function settleFates(archive: Archive, write: WriteContext, counts: SyncCounts): void {
  for (const row of archive.scheduled.unsettled()) {
    const sent = archive.scheduled.findSent(row);
    const fate = fateOf(row, sent !== undefined);
    if (fate === row.fate) continue;
    archive.scheduled.setFate(row.scheduledId, fate, write, sent);
    const counter = `scheduled${fate === 'sent' ? 'Sent' : fate === 'deleted' ? 'Deleted' : fate === 'presumed_sent' ? 'PresumedSent' : 'Gone'}`;
    counts[counter] = (counts[counter] ?? 0) + 1;
  }
}

async function storeAll<T>(ctx: SyncContext, pages: AsyncGenerator<Page<T>>, toRow: (payload: T, raw: Record<string, unknown>) => EntityRow): Promise<Set<string>> {
  const { archive } = ctx;
  const seen = new Set<string>();
  for await (const page of pages) {
    archive.transaction(() => {
      const write = ctx.write();
      for (const { payload, raw } of page.items) {
        const row = toRow(payload, raw);
        seen.add(row.key);
        const before = archive.scheduled.get(row.key);
        const outcome = archive.entities.scheduledMessages.upsert(row, write);
        if (outcome === 'inserted') ctx.counts.scheduledNew = (ctx.counts.scheduledNew ?? 0) + 1;
        if (outcome === 'reappeared' && before) archive.scheduled.setFate(row.key, 'pending', write);
        if (before && (before.scheduledAt !== row.values.scheduled_at || before.scheduleStatus !== row.values.schedule_status)) {
          archive.meta.event(write.now, write.runId, 'scheduled_message_rescheduled', row.key, {
            from: { scheduledAt: before.scheduledAt, scheduleStatus: before.scheduleStatus },
            to: { scheduledAt: row.values.scheduled_at, scheduleStatus: row.values.schedule_status },
          });
          ctx.counts.scheduledRescheduled = (ctx.counts.scheduledRescheduled ?? 0) + 1;
        }
      }
    });
  }
  return seen;
}
