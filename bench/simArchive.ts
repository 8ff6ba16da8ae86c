import { readFileSync } from 'node:fs';
import { openArchive } from '../electron/core/archive/archive';
import { listUsers } from '../electron/core/cliq/rest';
import { syncDirectory } from '../electron/core/sync/directory';
import { checkOrgIdentity, inventoryChannels, inventoryChats, inventoryUsers } from '../electron/core/sync/inventory';
import { planMemberChecks, syncMembers } from '../electron/core/sync/members';
import type { ConversationWork } from '../electron/core/sync/messageWalker';
import { syncChannelThreads } from '../electron/core/sync/threads';
import { startSimulator } from '../electron/simulator';
import { openRowParser } from '../electron/core/sync/rowParser';
import { benchSyncContext, closeBenchRun, openBenchRun, walkPages, type PreparedConversation, ServedPages } from './ingestPath';

export type SimScale = 'tiny' | 'small' | 'medium' | 'large' | 'huge';

/** What one build did, for the bench's rows and its report. */
export interface SimBuild {
  messages: number;
  conversations: number;
  /** The walker alone (parse, validate, map, upsert, FTS, seal, checkpoint): the ingest row. */
  ingestSeconds: number;
  /** Generating the org (simulator start). */
  generateSeconds: number;
  /** Rendering every conversation's export page in process (the simulator's own serializer). */
  renderSeconds: number;
  /** The whole build: generation, inventory, directory, threads, pages, walker, members. */
  totalSeconds: number;
  /** Resident memory after the org was generated, and the build's peak (this process). */
  orgRssMiB: number;
  peakRssMiB: number;
  /** The run's notes (warnings), as a sync would record them. */
  warnings: number;
}

/** Maintenance messages export (M4) of a conversation. */
const exportPath = (chatId: string) => `/maintenanceapi/v2/chats/${encodeURIComponent(chatId)}/messages`;
/**
 * Builds the archive of the simulator's org at `scale` (seed 1) without HTTP: the simulator
 * generates the org in this process and answers every call through its own route handlers
 * (RunningSimulator.answer), and the client stores it through the sync's real steps — users,
 * directory, chats and channels inventory, threads, then every conversation's messages (the
 * walker, two conversations at a time, timed as in the ingest row), then their members. Two
 * conversations' exports exist at a time.
 *
 * Left out, as the rows measured on the archive do not need them: attachment files (the files
 * lane), reactions and pinned messages (the extras lane), calls and scheduled messages.
 */
export async function buildFromSimulator(scale: SimScale, target: string, log: (line: string) => void = () => undefined): Promise<SimBuild> {
  const started = process.hrtime.bigint();
  const seconds = (from: bigint) => Number(process.hrtime.bigint() - from) / 1e9;
  const sim = await startSimulator({ scale, seed: 1, rateLimitsEnabled: false });
  try {
    const generateSeconds = seconds(started);
    const orgRssMiB = process.memoryUsage().rss / 2 ** 20;
    log(`generated the ${scale} org in ${generateSeconds.toFixed(1)} s (${orgRssMiB.toFixed(0)} MiB resident)`);
    const archive = openArchive(target);
    const rowParser = openRowParser();
    try {
      const runId = openBenchRun(archive);
      const served = new ServedPages();
      const ctx = benchSyncContext(
        archive,
        runId,
        (input) => {
          const url = new URL(input instanceof Request ? input.url : String(input));
          // M4 is answered with the page rendered before the walker started (simulator's answer
          // ignores the window, so the page is what it would answer to this very request).
          return Promise.resolve(served.answer(url.pathname) ?? sim.answer(url.pathname + url.search));
        },
        rowParser,
      );
      const conversations = await inventory(ctx);
      log(`inventory: ${conversations.length.toLocaleString('en-US')} conversations`);
      let renderNs = 0n;
      let done = 0;
      async function* pages(): AsyncGenerator<PreparedConversation> {
        for (const work of conversations) {
          const rendering = process.hrtime.bigint();
          const response = sim.answer(exportPath(work.chatId));
          const preparedNs = process.hrtime.bigint() - rendering;
          if (response.status !== 200) throw new Error(`the simulator's messages export of ${work.chatId} answered ${response.status}`);
          const page = await response.text();
          renderNs += preparedNs;
          done += 1;
          if (done % 1000 === 0) log(`${done.toLocaleString('en-US')} of ${conversations.length.toLocaleString('en-US')} conversations, ${ctx.counts.messagesNew.toLocaleString('en-US')} messages`);
          yield { work, page, preparedNs };
        }
      }
      const walked = await walkPages(ctx, served, pages());
      // The members after every conversation's messages, outside the timed walk: with two walks in
      // flight, the time of one's members could not be told from the other's storing.
      for (const work of conversations) await syncMembers(ctx, work, true);
      closeBenchRun(archive, ctx);
      return {
        messages: walked.messages,
        conversations: conversations.length,
        ingestSeconds: walked.seconds,
        generateSeconds,
        renderSeconds: Number(renderNs) / 1e9,
        totalSeconds: seconds(started),
        orgRssMiB,
        peakRssMiB: peakRss(),
        warnings: ctx.errors.length,
      };
    } finally {
      await rowParser.close();
      archive.close();
    }
  } finally {
    await sim.close();
  }
}

/** The engine's inventory steps in order, threads included: every conversation to archive. */
async function inventory(ctx: ReturnType<typeof benchSyncContext>): Promise<ConversationWork[]> {
  const users = listUsers(ctx.http, ctx.signal);
  const first = await users.next();
  if (first.done) throw new Error('the simulator listed no users');
  checkOrgIdentity(ctx, first.value);
  await inventoryUsers(ctx, first.value, users);
  await syncDirectory(ctx);
  const chats = await inventoryChats(ctx);
  const { conversations, channels } = await inventoryChannels(ctx);
  const threads: ConversationWork[] = [];
  for (const channel of channels) threads.push(...(await syncChannelThreads(ctx, channel)));
  const all = [...chats, ...conversations, ...threads];
  planMemberChecks(ctx, all);
  return all;
}

/** The conversation's M4 answer, from the simulator's own route, as one string. */
/** Peak resident memory of this process (VmHWM), MiB. */
function peakRss(): number {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return Number(match?.[1] ?? 0) / 1024;
}
