/**
 * The shapes of an RSMF 2.0 `rsmf_manifest.json` (Relativity Short Message Format, as its public
 * specification names the fields), and the manifest written as a stream of chunks: a conversation
 * of 100k messages never becomes one string.
 */

/** The RSMF version this writer follows: the root `version` and the X-RSMF-Version header. */
export const rsmfVersion = '2.0.0';

/** The platform every conversation of this archive comes from. */
export const rsmfPlatform = 'Zoho Cliq';

/** A custom field: RSMF's way to carry what its own fields do not (ids, row hashes, review tags). */
export interface RsmfCustom {
  name: string;
  value: string;
}

export interface RsmfParticipant {
  id: string;
  display?: string;
  email?: string;
  account_id?: string;
  custom?: RsmfCustom[];
}

export interface RsmfConversation {
  id: string;
  display?: string;
  platform: string;
  /** direct: the participants never change; channel: they may join and leave. */
  type: 'direct' | 'channel';
  participants: string[];
  custom?: RsmfCustom[];
}

export interface RsmfEdit {
  participant: string;
  timestamp?: string;
  previous?: string;
  new?: string;
}

export interface RsmfReaction {
  value: string;
  count: number;
  participants: string[];
}

export interface RsmfAttachment {
  /** The entry's name in rsmf.zip: `<sha256>[.ext]`, never the name Cliq gave the file. */
  id: string;
  display?: string;
  size?: number;
}

export interface RsmfEvent {
  id: string;
  type: 'message' | 'join' | 'leave';
  conversation: string;
  participant: string;
  timestamp: string;
  parent?: string;
  body?: string;
  deleted?: boolean;
  edits?: RsmfEdit[];
  reactions?: RsmfReaction[];
  attachments?: RsmfAttachment[];
  custom?: RsmfCustom[];
}

/** Chunks of JSON are gathered to about this many characters before they are handed on. */
const chunkChars = 1 << 16;

/**
 * The manifest's JSON, in chunks: the root fields, then the events (each already JSON, in order).
 * Field order is fixed, so the same conversation always gives the same bytes.
 */
export function* manifestChunks(root: { eventcollectionid: string; participants: RsmfParticipant[]; conversations: RsmfConversation[] }, events: readonly string[]): Generator<Buffer> {
  let pending = `{"version":${JSON.stringify(rsmfVersion)},"eventcollectionid":${JSON.stringify(root.eventcollectionid)},"participants":${JSON.stringify(root.participants)},"conversations":${JSON.stringify(root.conversations)},"events":[`;
  for (let i = 0; i < events.length; i += 1) {
    pending += (i === 0 ? '' : ',') + (events[i] as string);
    if (pending.length >= chunkChars) {
      yield Buffer.from(pending, 'utf8');
      pending = '';
    }
  }
  yield Buffer.from(`${pending}]}`, 'utf8');
}
