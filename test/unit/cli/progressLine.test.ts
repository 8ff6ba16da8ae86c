import { describe, expect, it } from 'vitest';
import { renderProgress, renderSyncReport } from '../../../electron/cli/output';
import { emptyCounts } from '../../../electron/core/sync/engine';
import type { SyncProgress, SyncReport } from '../../../shared/sync';

const progress: SyncProgress = { phase: 'conversations', chatsTotal: 10, chatsDone: 5, messagesStored: 1_200, calls: 30, etaMs: 0, filesStored: 0, filesDone: 0, filesRemaining: 0 };

describe('the CLI progress line and report', () => {
  it('leaves files out of the line until there are some, then counts stored and still to fetch', () => {
    expect(renderProgress(progress, 0)).not.toContain('files');
    expect(renderProgress({ ...progress, filesStored: 1_234, filesDone: 1_300, filesRemaining: 56 }, 0)).toContain('1,234 files (56 to go)');
    expect(renderProgress({ ...progress, filesStored: 7, filesDone: 7 }, 0)).toContain('· 7 files ·');
  });

  const reportWith = (counts: SyncReport['counts']): SyncReport => ({
    runId: 1,
    status: 'complete',
    cancelled: false,
    startedAt: 0,
    endedAt: 1_000,
    counts,
    calls: {},
    callsTotal: 0,
    messageCalls: 0,
    rateLimited: {},
    errors: [],
    messagesMode: undefined,
  });

  it('reports the files a run stored, found already held, could not get, and left out', () => {
    const report = reportWith({ ...emptyCounts(), filesStored: 12, filesDeduplicated: 3, filesUnavailable: 2, filesSkipped: 4 });
    expect(renderSyncReport(report)).toContain('Files:          12 stored (3 already held), 2 unavailable, 4 left out by policy');
  });

  it('counts members found by a first listing apart from those who joined', () => {
    const report = reportWith({ ...emptyCounts(), membersFirstArchived: 40, membersJoined: 2, membersLeft: 1 });
    expect(renderSyncReport(report)).toContain('Members:        40 members when first archived, 2 joined, 1 left');
  });

  it("reports the connected account's calls and scheduled messages when their sources ran, and nothing when they did not", () => {
    const ran = reportWith({
      ...emptyCounts(),
      calls: 14,
      callsNew: 1,
      callParticipantsNew: 3,
      scheduledPending: 4,
      scheduledRescheduled: 1,
      scheduledSent: 1,
      scheduledDeleted: 1,
    });
    expect(renderSyncReport(ran)).toContain('Calls:          14 of the connected account listed (1 new, 0 changed), 3 new participant stays');
    expect(renderSyncReport(ran)).toContain('Scheduled:      4 pending (0 new, 1 rescheduled); left the list: 1 sent, 0 presumed sent, 1 deleted, 0 gone');
    const text = renderSyncReport(reportWith(emptyCounts()));
    expect(text).not.toContain('Calls:');
    expect(text).not.toContain('Scheduled:');
  });
});
