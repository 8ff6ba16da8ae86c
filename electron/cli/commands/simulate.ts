import { Command } from 'commander';
import { z } from 'zod';
import { startSimulator } from '../../simulator';
import { defineFlags } from '../flagTable';
import { jsonSpec, positiveNumber, switchFlag } from '../flags';
import { untilInterrupted } from '../interrupt';
import { processIo, type Io } from '../output';

const simulateFlags = defineFlags({
  seed: { flag: '--seed <n>', description: 'org generator seed', schema: z.coerce.number().int(), default: '1' },
  scale: {
    flag: '--scale <scale>',
    description: 'tiny | small | medium | large (≈1M messages) | huge (≈10M)',
    schema: z.enum(['tiny', 'small', 'medium', 'large', 'huge'], { error: 'must be tiny, small, medium, large or huge' }),
    default: 'small',
  },
  port: { flag: '--port <n>', description: 'API port (0 = any free port)', schema: z.coerce.number().int().min(0).max(65535), default: '0' },
  accountsPort: { flag: '--accounts-port <n>', description: 'accounts (OAuth) port (0 = any free port)', schema: z.coerce.number().int().min(0).max(65535), default: '0' },
  messagesMode: {
    flag: '--messages-mode <mode>',
    description: 'Maintenance messages export: single-shot (ignores windows) or windowed',
    schema: z.enum(['single-shot', 'windowed'], { error: 'must be single-shot or windowed' }),
    default: 'single-shot',
  },
  truncateAt: { flag: '--truncate-at <n>', description: 'silently cut every messages export after n messages', schema: z.coerce.number().int().positive().optional() },
  quotaScale: { flag: '--quota-scale <n>', description: 'multiply every quota and divide every lock period by n', schema: positiveNumber, default: '1' },
  rateLimits: { flag: '--no-rate-limits', description: 'turn quotas off (benchmarks)', schema: z.boolean().default(true) },
  tokenTtl: { flag: '--token-ttl <ms>', description: 'access-token lifetime in milliseconds', schema: z.coerce.number().int().positive().optional() },
  csvHeader: { flag: '--csv-header', description: 'CSV exports start with a header row', schema: switchFlag },
  crlf: { flag: '--crlf', description: 'CSV exports end lines with CRLF', schema: switchFlag },
  bom: { flag: '--bom', description: 'CSV exports start with a UTF-8 BOM', schema: switchFlag },
  isoTimes: { flag: '--iso-times', description: 'CSV exports write ISO 8601 times instead of epoch ms', schema: switchFlag },
  truth: { flag: '--truth <file>', description: 'write the ground truth (the org as the server holds it) to this JSON file', schema: z.string().optional() },
  json: jsonSpec('print the connection details as one JSON line'),
});

export function simulateCommand(io: Io = processIo): Command {
  return simulateFlags
    .register(
      new Command('simulate')
        .summary('run the Cliq simulator: a fake Cliq org over real HTTP, for demos and tests')
        .description(
          'Serves a generated org (deterministic by --seed and --scale) on 127.0.0.1, behaving as the ' +
            'Cliq API reference documents: Maintenance exports, REST reads, OAuth, rate limits, faults. ' +
            'Prints the URLs and simulated credentials, then runs until interrupted (Ctrl-C).',
        ),
    )
    .action(async (raw: Record<string, unknown>) => {
      const flags = simulateFlags.parse(raw, 'simulate');
      const sim = await startSimulator({
        seed: flags.seed,
        scale: flags.scale,
        port: flags.port,
        accountsPort: flags.accountsPort,
        maintenanceHonorsTimeWindow: flags.messagesMode === 'windowed',
        maintenanceTruncateAt: flags.truncateAt ?? null,
        quotaScale: flags.quotaScale,
        rateLimitsEnabled: flags.rateLimits,
        csvHeader: flags.csvHeader,
        crlf: flags.crlf,
        bom: flags.bom,
        timestampFormat: flags.isoTimes ? 'iso' : 'ms',
        ...(flags.tokenTtl !== undefined ? { accessTokenTtlMs: flags.tokenTtl } : {}),
      });
      if (flags.truth !== undefined) await sim.writeTruth(flags.truth);
      const details = {
        apiBase: sim.apiBase,
        accountsBase: sim.accountsBase,
        admin: sim.admin,
        member: sim.member,
        seed: flags.seed,
        scale: flags.scale,
        messagesMode: flags.messagesMode,
      };
      if (flags.json) {
        io.out(`${JSON.stringify(details)}\n`);
      } else {
        io.out(
          [
            `Cliq simulator: seed ${flags.seed}, scale ${flags.scale}, messages export ${flags.messagesMode}${flags.rateLimits ? `, quotas ×${flags.quotaScale}` : ', quotas off'}`,
            `  API:      ${sim.apiBase}`,
            `  Accounts: ${sim.accountsBase}`,
            '',
            'Simulated org-admin credentials (not real secrets):',
            `  export CLIQ_CLIENT_ID=${sim.admin.clientId}`,
            `  export CLIQ_CLIENT_SECRET=${sim.admin.clientSecret}`,
            `  export CLIQ_REFRESH_TOKEN=${sim.admin.refreshToken}`,
            '',
            'Then archive it:',
            `  npx cliq-vault sync --archive vault.sqlite --api-base ${sim.apiBase} --accounts-base ${sim.accountsBase}${flags.quotaScale === 1 ? '' : ` --quota-scale ${flags.quotaScale}`}`,
            '',
            'Press Ctrl-C to stop.',
            '',
          ].join('\n'),
        );
      }
      await untilInterrupted();
      await sim.close();
    });
}
