import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { syncArchive } from '../../../electron/core/createCore';
import { BURST_SIZE } from '../../../electron/simulator';
import { canonicalSnapshot, compareWithTruth, ownGroupChats, restReadableChannels } from '../../helpers/archiveCheck';
import { connectionTo, useSimulators } from '../../helpers/sim';
import { useTempDir } from '../../helpers/tempDir';

describe('sync against the simulator: the archive equals the ground truth', () => {
  const tempDir = useTempDir();
  const simulator = useSimulators();

  it('single-shot exports (the default reading): everything, then zero message calls when nothing changed', async () => {
    const sim = await simulator({ seed: 7 });
    const path = join(tempDir(), 'a.sqlite');
    const first = await syncArchive(path, connectionTo(sim));
    expect(first.status).toBe('complete');
    expect(first.errors).toEqual([]);
    expect(first.messagesMode).toBe('single-shot');
    expect(compareWithTruth(path, sim.truth()).missing).toEqual([]);
    const conversations = sim.truth().chats.length + sim.truth().channels.length + sim.truth().threads.length;
    // One export per conversation: the least a single-shot server allows.
    expect(first.messageCalls).toBe(conversations);

    const before = canonicalSnapshot(path);
    sim.resetStats();
    const second = await syncArchive(path, connectionTo(sim));
    expect(second.status).toBe('complete');
    expect(second.messageCalls).toBe(0);
    expect(sim.stats().requests['maint.messages']).toBe(0);
    expect(sim.stats().requests['maint.members']).toBe(0);
    // Members: one C3 listing per channel the admin reads over REST, one H2 listing per group chat
    // they are in (a swap shows in no count).
    expect(sim.stats().requests['channels.members']).toBe(restReadableChannels(path).size);
    expect(sim.stats().requests['chats.members']).toBe(ownGroupChats(path).size);
    expect(second.counts).toMatchObject({ conversationsUnchanged: conversations, conversationsSynced: 0, messagesNew: 0 });
    expect(canonicalSnapshot(path)).toEqual(before);
  });

  it('windowed exports: pages by time, ties across page boundaries kept, and the one unreachable burst reported', async () => {
    const sim = await simulator({ seed: 7, maintenanceHonorsTimeWindow: true });
    const path = join(tempDir(), 'a.sqlite');
    const report = await syncArchive(path, connectionTo(sim));
    expect(report.messagesMode).toBe('windowed');
    const { missing } = compareWithTruth(path, sim.truth());
    // The generator puts BURST_SIZE messages in one millisecond of one chat; a server that pages by
    // time with at most 100 per page cannot hand out the rest. They must be exactly those, and the
    // run must say so — never a silent loss.
    const gaps = report.errors.filter((e) => e.code === 'COVERAGE_GAP');
    expect(gaps).toHaveLength(1);
    const gapChat = gaps[0]?.chatId ?? '';
    const gapTime = missing[0]?.time;
    const sharing = (sim.truth().messages[gapChat] ?? []).filter((m) => m.time === gapTime).length;
    expect(sharing).toBeGreaterThanOrEqual(BURST_SIZE);
    expect(missing).toHaveLength(sharing - 100);
    expect(missing.every((m) => m.chatId === gapChat && m.time === gapTime)).toBe(true);
    expect(report.errors.find((e) => e.code === 'COUNT_MISMATCH')?.chatId).toBe(gapChat);
    expect(report.status).toBe('complete');

    sim.resetStats();
    const again = await syncArchive(path, connectionTo(sim));
    expect(again.messageCalls).toBe(0);
  });

  it('windowed exports with exclusive bounds lose nothing at page boundaries either', async () => {
    const sim = await simulator({ seed: 3, maintenanceHonorsTimeWindow: true, windowBoundsExclusive: true });
    const path = join(tempDir(), 'a.sqlite');
    const report = await syncArchive(path, connectionTo(sim));
    const { missing } = compareWithTruth(path, sim.truth());
    const gapChats = new Set(report.errors.filter((e) => e.code === 'COVERAGE_GAP').map((e) => e.chatId));
    expect(gapChats.size).toBe(1);
    expect(missing.length).toBeGreaterThan(0);
    expect(missing.filter((m) => !gapChats.has(m.chatId) || m.time !== missing[0]?.time)).toEqual([]);
  });

  it('reads every CSV variant: header rows, CRLF, BOM, ISO times, canonical column order, prefixed channel ids', async () => {
    const sim = await simulator({
      seed: 11,
      scale: 'tiny',
      csvHeader: true,
      crlf: true,
      bom: true,
      timestampFormat: 'iso',
      canonicalOrder: true,
      maintenanceChannelIdPrefix: true,
    });
    const path = join(tempDir(), 'a.sqlite');
    const report = await syncArchive(path, connectionTo(sim));
    expect(report.status).toBe('complete');
    // ISO times in the CSV carry whole seconds; the truth has milliseconds. Compare the rest exactly.
    const truth = sim.truth();
    for (const chat of truth.chats) chat.last_modified_time = Math.floor(chat.last_modified_time / 1000) * 1000;
    expect(compareWithTruth(path, truth).missing).toEqual([]);
  });
});
