import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { describeIssue, flagName } from '../../shared/validation';

function failure(schema: z.ZodType, value: unknown): z.ZodError {
  const parsed = schema.safeParse(value);
  if (parsed.success) throw new Error('expected a failure');
  return parsed.error;
}

describe('describeIssue', () => {
  const settings = z.object({ schedule: z.object({ time: z.string().regex(/^\d\d:\d\d$/, 'must be HH:MM') }), members: z.array(z.object({ id: z.string() })) });

  it('names a nested value by its dotted path', () => {
    expect(describeIssue(failure(settings, { schedule: { time: '2am' }, members: [] }))).toBe('schedule.time: must be HH:MM');
    expect(describeIssue(failure(settings, { schedule: { time: '02:00' }, members: [{ id: 7 }] }))).toBe('members.0.id: Invalid input: expected string, received number');
  });

  it('describes the first issue only', () => {
    expect(describeIssue(failure(settings, { schedule: { time: 'x' }, members: 'x' }))).toBe('schedule.time: must be HH:MM');
  });

  it('names a CLI value by the flag it came from', () => {
    const flags = z.object({ quotaScale: z.coerce.number({ error: 'must be a number' }), archive: z.string({ error: 'is required' }) });
    expect(describeIssue(failure(flags, { quotaScale: 'lots', archive: 'a' }), { pathStyle: 'flag' })).toBe('--quota-scale: must be a number');
    expect(describeIssue(failure(flags, { quotaScale: 1 }), { pathStyle: 'flag' })).toBe('--archive: is required');
    // A nested path still names the flag: the first key is the option.
    expect(describeIssue(failure(z.object({ logLevel: z.array(z.string()) }), { logLevel: [1] }), { pathStyle: 'flag' })).toBe('--log-level: Invalid input: expected string, received number');
  });

  it('names the whole value by its subject, or gives the message alone', () => {
    const whole = failure(z.object({ a: z.string() }), 'not an object');
    expect(describeIssue(whole, { subject: 'query' })).toBe('query: Invalid input: expected object, received string');
    expect(describeIssue(whole)).toBe('Invalid input: expected object, received string');
    expect(describeIssue(whole, { pathStyle: 'flag' })).toBe('Invalid input: expected object, received string');
  });

  it('copes with an error that has no issue', () => {
    expect(describeIssue(new z.ZodError([]))).toBe('invalid value');
    expect(describeIssue(new z.ZodError([]), { subject: 'settings' })).toBe('settings: invalid value');
  });
});

describe('flagName', () => {
  it('turns commander keys back into flags', () => {
    expect(flagName('archive')).toBe('--archive');
    expect(flagName('maxRateWait')).toBe('--max-rate-wait');
    expect(flagName('apiBase')).toBe('--api-base');
  });
});
