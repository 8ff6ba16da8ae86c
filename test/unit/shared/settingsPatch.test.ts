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
});
