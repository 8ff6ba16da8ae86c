import { describe, expect, it } from 'vitest';
import { settingsPatchSchema, settingsSchema } from '../../../shared/settings';

describe('a settings patch', () => {
  it('holds only what it names: nothing it leaves out is filled with a default', () => {
    expect(settingsPatchSchema.parse({ theme: 'dark' })).toEqual({ theme: 'dark' });
    expect(settingsPatchSchema.parse({ allowWeakSecretStorage: true })).toEqual({ allowWeakSecretStorage: true });
    expect(settingsPatchSchema.parse({})).toEqual({});
  });

  it('may name every setting but the profiles, each checked as the settings check it', () => {
    const { profiles: _profiles, activeProfile: _activeProfile, ...patchable } = settingsSchema.shape;
    expect(Object.keys(settingsPatchSchema.shape).sort()).toEqual(Object.keys(patchable).sort());
    expect(settingsPatchSchema.safeParse({ profiles: [] }).success).toBe(false);
    expect(settingsPatchSchema.safeParse({ theme: 'purple' }).success).toBe(false);
    expect(settingsPatchSchema.safeParse({ timeZone: '' }).success).toBe(false);
    expect(settingsPatchSchema.safeParse({ schedule: { enabled: true, time: '25:00', days: ['mon'] } }).success).toBe(false);
  });

  it('takes the reaction checks per sync as a whole number of 0 (none) or more, 200 unless set', () => {
    expect(settingsSchema.parse({}).reactionsPerRun).toBe(200);
    expect(settingsPatchSchema.parse({ reactionsPerRun: 0 })).toEqual({ reactionsPerRun: 0 });
    expect(settingsPatchSchema.parse({ reactionsPerRun: 1_000_000 })).toEqual({ reactionsPerRun: 1_000_000 });
    for (const bad of [-1, 2.5, 1_000_001, '10', null, Number.NaN]) {
      const result = settingsPatchSchema.safeParse({ reactionsPerRun: bad });
      expect(result.success, String(bad)).toBe(false);
      expect(result.error?.issues[0]?.message, String(bad)).toMatch(bad === 1_000_001 ? /at most 1000000/ : /whole number, 0 or more \(0: check no reactions\)/);
    }
  });
});
