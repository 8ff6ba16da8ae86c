import { Command } from 'commander';
import { z } from 'zod';
import { startSimulator } from '../../simulator';
import { parseFlags, positiveNumber } from '../flags';
import { untilInterrupted } from '../interrupt';
import { processIo, type Io } from '../output';

const simulateFlags = z.object({
  seed: z.coerce.number().int().default(1),
  scale: z.enum(['tiny', 'small', 'medium', 'large'], { error: 'must be tiny, small, medium or large' }).default('small'),
  port: z.coerce.number().int().min(0).max(65535).default(0),
  accountsPort: z.coerce.number().int().min(0).max(65535).default(0),
  messagesMode: z.enum(['single-shot', 'windowed'], { error: 'must be single-shot or windowed' }).default('single-shot'),
  truncateAt: z.coerce.number().int().positive().optional(),
  quotaScale: positiveNumber.default(1),
  rateLimits: z.boolean().default(true),
  tokenTtl: z.coerce.number().int().positive().optional(),
  csvHeader: z.boolean().default(false),
  crlf: z.boolean().default(false),
  bom: z.boolean().default(false),
  isoTimes: z.boolean().default(false),
  truth: z.string().optional(),
  json: z.boolean().default(false),
});

export function simulateCommand(io: Io = processIo): Command {
  return new Command('simulate')
    .summary('run the Cliq simulator: a fake Cliq org over real HTTP, for demos and tests')
    .description(
      'Serves a generated org (deterministic by --seed and --scale) on 127.0.0.1, behaving as the ' +
        'Cliq API reference documents: Maintenance exports, REST reads, OAuth, rate limits, faults. ' +
        'Prints the URLs and simulated credentials, then runs until interrupted (Ctrl-C).',
    )
    .option('--seed <n>', 'org generator seed', '1')
    .option('--scale <scale>', 'tiny | small | medium | large (≈1M messages)', 'small')
    .option('--port <n>', 'API port (0 = any free port)', '0')
    .option('--accounts-port <n>', 'accounts (OAuth) port (0 = any free port)', '0')
    .option('--messages-mode <mode>', 'Maintenance messages export: single-shot (ignores windows) or windowed', 'single-shot')
    .option('--truncate-at <n>', 'silently cut every messages export after n messages')
    .option('--quota-scale <n>', 'multiply every quota and divide every lock period by n', '1')
    .option('--no-rate-limits', 'turn quotas off (benchmarks)')
    .option('--token-ttl <ms>', 'access-token lifetime in milliseconds')
    .option('--csv-header', 'CSV exports start with a header row')
    .option('--crlf', 'CSV exports end lines with CRLF')
    .option('--bom', 'CSV exports start with a UTF-8 BOM')
    .option('--iso-times', 'CSV exports write ISO 8601 times instead of epoch ms')
    .option('--truth <file>', 'write the ground truth (the org as the server holds it) to this JSON file')
    .option('--json', 'print the connection details as one JSON line')
    .action(async (raw: Record<string, unknown>) => {
      const flags = parseFlags(simulateFlags, raw, 'simulate');
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
