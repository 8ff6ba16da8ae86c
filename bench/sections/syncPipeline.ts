import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { measure } from '../proc';
import type { Row } from '../results';

const cli = 'bin/cliq-vault.mjs';

interface SimulatorProcess {
  apiBase: string;
  accountsBase: string;
  admin: { clientId: string; clientSecret: string; refreshToken: string };
  stop(): Promise<void>;
}

/** The simulator in a process of its own (its CPU and memory are not the client's). */
export async function startSimulatorProcess(args: string[]): Promise<SimulatorProcess> {
  const child = spawn(process.execPath, [cli, 'simulate', ...args, '--json'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [first] = (await once(child.stdout, 'data')) as [Buffer];
  const details = JSON.parse(first.toString().split('\n')[0] ?? '{}') as Omit<SimulatorProcess, 'stop'>;
  return {
    ...details,
    stop: async () => {
      child.kill('SIGTERM');
      await once(child, 'close');
    },
  };
}

/**
 * The whole message pipeline end to end: the CLI syncing the simulator's org over HTTP with quotas off
 * (messages per second, peak memory of the client process), then syncing again with nothing
 * changed (message calls: the target is none).
 */
export async function benchSync(scale: string, archivePath: string): Promise<Row[]> {
  const sim = await startSimulatorProcess(['--scale', scale, '--seed', '1', '--no-rate-limits']);
  try {
    const env = { CLIQ_CLIENT_ID: sim.admin.clientId, CLIQ_CLIENT_SECRET: sim.admin.clientSecret, CLIQ_REFRESH_TOKEN: sim.admin.refreshToken };
    // The message pipeline alone: attachments have their own section (files.ts), whose bytes
    // would otherwise set this row's pace (and fill the disk with the large org's files).
    const args = ['sync', '--archive', archivePath, '--api-base', sim.apiBase, '--accounts-base', sim.accountsBase, '--quota-scale', '1000000', '--files', 'none', '--json'];
    const full = await measure(process.execPath, [cli, ...args], { env });
    if (full.code !== 0) throw new Error(`sync failed (${full.code}): ${full.stderr.slice(-500)}`);
    const report = JSON.parse(full.stdout.trim().split('\n').at(-1) ?? '{}') as { counts: { messagesNew: number }; callsTotal: number };
    const again = await measure(process.execPath, [cli, ...args], { env });
    const second = JSON.parse(again.stdout.trim().split('\n').at(-1) ?? '{}') as { messageCalls: number; callsTotal: number };
    return [
      {
        section: 'sync',
        measure: `full sync from the simulator (quotas off): ${report.counts.messagesNew.toLocaleString('en-US')} messages in ${full.seconds.toFixed(0)} s, end to end`,
        figure: report.counts.messagesNew / full.seconds,
        unit: 'msg/s',
        target: '',
      },
      { section: 'sync', measure: 'full sync: peak memory of the client', figure: full.peakMiB, unit: 'MiB', target: '≤ 200 MiB', pass: full.peakMiB <= 200 },
      {
        section: 'sync',
        measure: `re-sync with no change (${second.callsTotal} calls in all): message calls`,
        figure: second.messageCalls,
        unit: 'calls',
        target: '0',
        pass: second.messageCalls === 0,
      },
      { section: 'sync', measure: 're-sync with no change: wall time', figure: again.seconds, unit: 's', target: '' },
    ];
  } finally {
    await sim.stop();
  }
}
