import { z } from 'zod';
import { VaultError } from '../../../shared/errors';
import { familyNames, isFamily, type FamilyOverrides } from './families';

/** "15m", "30s", "2h", "500ms" or a bare number of milliseconds. */
export const duration = z.string().transform((value, ctx) => {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(value.trim());
  if (!match) {
    ctx.addIssue({ code: 'custom', message: `"${value}" is not a duration (examples: 90s, 15m, 2h)` });
    return z.NEVER;
  }
  const unit = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[match[2] ?? 'ms'] ?? 1;
  return Number(match[1]) * unit;
});

/** --quota family=perMinute[/lockDuration], repeatable: per-family overrides of the pacing. */
export function parseQuotaOverrides(values: readonly string[]): FamilyOverrides {
  const overrides: FamilyOverrides = {};
  for (const value of values) {
    const match = /^([a-z.]+)=(\d+(?:\.\d+)?)(?:\/(.+))?$/.exec(value.trim());
    const family = match?.[1];
    if (!match || family === undefined || !isFamily(family)) {
      throw new VaultError('USAGE', `--quota "${value}" is not family=perMinute[/lock].`, {
        hint: `Families: ${familyNames.join(', ')}. Example: --quota maint.messages=6/10m`,
        ui: { message: `The quota "${value}" is not family=perMinute[/lock].`, hint: `Families: ${familyNames.join(', ')}. Example: maint.messages=6/10m` },
      });
    }
    const lock = match[3] === undefined ? undefined : duration.safeParse(match[3]);
    if (lock && !lock.success) throw new VaultError('USAGE', `--quota "${value}": "${match[3]}" is not a duration.`, { ui: { message: `The quota "${value}": "${match[3]}" is not a duration.` } });
    overrides[family] = { perMinute: Number(match[2]), ...(lock?.success ? { lockMs: lock.data } : {}) };
  }
  return overrides;
}
