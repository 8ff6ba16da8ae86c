import type { EntityRow } from '../archive/entityStore';
import { listCallParticipants, listMediaSessions, type CallParticipantPayload, type MediaSessionPayload } from '../cliq/mediaSessions';
import { itemSource } from './entityRows';
import { failure } from './failure';
import type { OptionalSource } from './optionalSource';
import type { SyncContext } from './types';

export const callsSource: OptionalSource = { dataset: 'calls', label: 'Calls and meetings of the connected account', scope: 'ZohoCliq.MediaSession.READ' };

const flagCell = (value: boolean | null | undefined) => (value === true ? 1 : value === false ? 0 : null);

export function callRow(payload: MediaSessionPayload, raw: Record<string, unknown>): EntityRow {
  return {
    key: payload.id,
    values: {
      session_id: payload.session_id ?? null,
      nrs_id: payload.nrs_id ?? null,
      type: payload.type ?? null,
      title: payload.title ?? null,
      scope: payload.scope ?? null,
      chat_id: payload.chat_id ?? payload.chat?.id ?? null,
      chat_title: payload.chat?.title ?? null,
      start_time: payload.start_time ?? null,
      end_time: payload.end_time ?? null,
      host_id: payload.host?.id ?? null,
      host_name: payload.host?.name ?? null,
      participant_count: payload.participant_count ?? null,
      is_partial: flagCell(payload.is_partial),
      recording: flagCell(payload.recording),
    },
    ...itemSource(raw),
  };
}

/** One participant's stay: a person may leave and join again, so the start time is in the key. */
export function participantRow(callId: string, payload: CallParticipantPayload, raw: Record<string, unknown>): EntityRow {
  const who = payload.id ?? (payload.email_id ? `email:${payload.email_id}` : `name:${payload.name ?? ''}`);
  return {
    key: `${callId}/${who}/${payload.start_time ?? ''}`,
    values: {
      call_id: callId,
      user_id: payload.id ?? null,
      name: payload.name ?? null,
      email: payload.email_id ?? null,
      role: payload.role ?? null,
      start_time: payload.start_time ?? null,
      end_time: payload.end_time ?? null,
    },
    ...itemSource(raw),
  };
}

/**
 * The calls lane (X1, then X2): with the sync token of the last complete walk, only the calls new
 * or changed since are asked for (the token alone, as Cliq requires); without one, or when Cliq
 * refuses it (400: expired or unknown), or once `reconcileAfterMs` has passed since the last full
 * walk, every call is walked and those no longer listed are marked gone. Participants are then
 * listed for each call that is new or changed (call_participant_fetches), never again for the same
 * version. A no-change re-sync costs one X1 call.
 */
export async function syncCalls(ctx: SyncContext): Promise<void> {
  const { meta } = ctx.archive;
  const token = ctx.options.full ? undefined : meta.get('calls.sync_token');
  const lastFull = Number(meta.get('calls.full_walk_at') ?? 0);
  if (token !== undefined && ctx.clock.now() - lastFull < ctx.options.reconcileAfterMs) {
    try {
      await walkCalls(ctx, token);
    } catch (error) {
      if (failure(error).code !== 'BAD_REQUEST') throw error;
      ctx.log.info('Cliq refused the calls sync token; listing every call instead');
      ctx.counts.callsTokenRefused = (ctx.counts.callsTokenRefused ?? 0) + 1;
      await walkCalls(ctx, undefined);
    }
  } else {
    await walkCalls(ctx, undefined);
  }
  await syncParticipants(ctx);
}

async function walkCalls(ctx: SyncContext, token: string | undefined): Promise<void> {
  const { archive } = ctx;
  const seen = new Set<string>();
  let nextToken: string | undefined;
  let first = true;
  for await (const page of listMediaSessions(ctx.http, token, ctx.signal)) {
    if (first) nextToken = page.syncToken;
    first = false;
    archive.transaction(() => {
      const write = ctx.write();
      for (const { payload, raw } of page.items) {
        seen.add(payload.id);
        const outcome = archive.entities.calls.upsert(callRow(payload, raw), write);
        if (outcome === 'inserted') ctx.counts.callsNew = (ctx.counts.callsNew ?? 0) + 1;
        else if (outcome !== 'unchanged') ctx.counts.callsChanged = (ctx.counts.callsChanged ?? 0) + 1;
      }
    });
  }
  // Only a full walk shows what Cliq no longer lists; the token is kept once everything is stored.
  archive.transaction(() => {
    const write = ctx.write();
    if (token === undefined) {
      const gone = archive.entities.calls.markGone(seen, write, { where: '1 = 1', params: [] });
      ctx.counts.callsGone = (ctx.counts.callsGone ?? 0) + gone.length;
      archive.meta.set('calls.full_walk_at', String(write.now));
    }
    if (nextToken !== undefined) archive.meta.set('calls.sync_token', nextToken);
  });
  ctx.counts.calls = (ctx.counts.calls ?? 0) + seen.size;
}

async function syncParticipants(ctx: SyncContext): Promise<void> {
  const { archive } = ctx;
  for (const call of archive.calls.dueForParticipants()) {
    if (ctx.signal.aborted) return;
    let items: Awaited<ReturnType<typeof listCallParticipants>>;
    try {
      items = await listCallParticipants(ctx.http, call.nrsId, ctx.signal);
    } catch (error) {
      // A call whose participants Cliq does not have: noted in the log, asked again next run.
      if (failure(error).code !== 'NOT_FOUND') throw error;
      ctx.log.warn(`Cliq has no participants for call ${call.callId}`);
      continue;
    }
    archive.transaction(() => {
      const write = ctx.write();
      const seen = new Set<string>();
      for (const { payload, raw } of items) {
        const row = participantRow(call.callId, payload, raw);
        seen.add(row.key);
        if (archive.entities.callParticipants.upsert(row, write) === 'inserted') ctx.counts.callParticipantsNew = (ctx.counts.callParticipantsNew ?? 0) + 1;
      }
      archive.entities.callParticipants.markGone(seen, write, { where: 'call_id = ?', params: [call.callId] });
      archive.calls.participantsFetched(call, write);
    });
  }
}
