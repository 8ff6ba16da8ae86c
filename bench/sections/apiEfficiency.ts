import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { effectiveLimits, type Family } from '../../electron/core/cliq/families';
import { syncArchive } from '../../electron/core/createCore';
import { DiscreteEventClock, startSimulator } from '../../electron/simulator';
import type { Row } from '../results';
import { sourceFamilies } from './sources';

/**
 * API efficiency against Cliq's real quotas, enforced by the simulator: a medium org synced with
 * the documented thresholds and locks, in virtual time (an hour of pacing in seconds; see
 * DiscreteEventClock). Compared with the theoretical minimum number of calls, and with the time the
 * quotas allow for the calls each family must make.
 */
export async function benchApiEfficiency(scale: 'tiny' | 'small' | 'medium', quotaScale: number): Promise<Row[]> {
  const clock = new DiscreteEventClock();
  const sim = await startSimulator({ scale, seed: 1, quotaScale, clock });
  const dir = mkdtempSync(join(tmpdir(), 'cliq-vault-bench-'));
  try {
    const started = clock.now();
    const report = await syncArchive(
      join(dir, 'a.sqlite'),
      { endpoints: { apiBase: sim.apiBase, accountsBase: sim.accountsBase, dataCentre: 'custom', network: undefined }, credentials: sim.admin, quotaScale },
      {},
      { clock, fetch: clock.fetch, random: () => 0.5 },
    );
    const seconds = (clock.now() - started) / 1000;
    const truth = sim.truth();
    const conversations = truth.chats.length + truth.channels.length + truth.threads.length;
    const threadsPerChannel = new Map<string, number>();
    for (const t of truth.threads) threadsPerChannel.set(t.channel_id, (threadsPerChannel.get(t.channel_id) ?? 0) + 1);
    const threadsPage = sim.options().threadsPageSize;
    const minimum =
      2 + // M1 chats, M2 channels
      Math.ceil(truth.channels.length / 100) +
      Math.ceil(truth.users.length / 100) +
      truth.channels.reduce((n, c) => n + Math.max(1, Math.ceil((threadsPerChannel.get(c.channel_id) ?? 0) / threadsPage)), 0) +
      conversations + // M3 members
      conversations + // M4 messages (single-shot)
      sim.files().length; // F1: one download per file referenced
    // The quotas allow a family's n calls in (ceil(n / perMinute) - 1) minutes at best; families
    // run in parallel, so the slowest family sets the pace.
    const limits = effectiveLimits({}, quotaScale);
    const allowed = Math.max(...Object.entries(report.calls).map(([f, n]) => (Math.ceil(n / limits[f as Family].perMinute) - 1) * 60));
    const rateLimited = Object.values(report.rateLimited).reduce((a, b) => a + b, 0);
    // The evidence sources of issue 12 (directory, reactions, pins, calls, scheduled messages) have
    // their own rows and minimums (sources.ts); this row holds the messages, members and files.
    const made = Object.entries(report.calls).reduce((n, [family, calls]) => n + ((sourceFamilies as readonly string[]).includes(family) ? 0 : calls), 0);
    return [
      {
        section: 'api',
        measure: `${scale} org, real quotas × ${quotaScale}: calls made for listings, members, messages and files (${conversations} conversations, ${sim.files().length} files)`,
        figure: made,
        unit: 'calls',
        target: '≤ 1.05× minimum',
        limit: { figure: minimum, label: 'calls minimum' },
        ratio: made / minimum,
        pass: made <= 1.05 * minimum,
      },
      { section: 'api', measure: 'real quotas: HTTP 429 answers', figure: rateLimited, unit: '429s', target: '0', pass: rateLimited === 0 },
      {
        section: 'api',
        measure: 'real quotas: wall time (virtual clock)',
        figure: seconds / 60,
        unit: 'min',
        target: '≤ 1.1× allowed',
        limit: { figure: allowed / 60, label: 'min the quotas allow' },
        ratio: seconds / Math.max(allowed, 1),
        pass: seconds <= 1.1 * allowed,
      },
    ];
  } finally {
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
