/** One way to turn a zod failure into the words a person reads, for every edge that validates. */
import type { z } from 'zod';

export interface DescribeIssueOptions {
  /**
   * How the failing value is named. 'dotted' (default): its path, `schedule.time`, `members.0.id`.
   * 'flag': the CLI flag its first key came from, `maxRateWait` → `--max-rate-wait`.
   */
  pathStyle?: 'dotted' | 'flag';
  /**
   * What to call the whole value when the issue is about it rather than one of its keys (our
   * schemas' messages are predicates, "must be …", that read best after a name). Without it,
   * such an issue is described by its message alone.
   */
  subject?: string;
}

/**
 * The first issue of a zod error as `<where>: <message>`, e.g. `schedule.time: must be HH:MM …`
 * or `--quota-scale: must be a number`; without a final full stop (callers end the sentence).
 * The first issue only: a person fixes one thing at a time, and the first is the one zod met first.
 */
export function describeIssue(error: z.ZodError, options: DescribeIssueOptions = {}): string {
  const issue = error.issues[0];
  if (issue === undefined) return options.subject === undefined ? 'invalid value' : `${options.subject}: invalid value`;
  const [first] = issue.path;
  const where = first === undefined ? options.subject : options.pathStyle === 'flag' ? flagName(first) : issue.path.map(String).join('.');
  return where === undefined ? issue.message : `${where}: ${issue.message}`;
}

/** A commander option key as the flag a person typed: `maxRateWait` → `--max-rate-wait`. */
export function flagName(key: PropertyKey): string {
  return `--${String(key).replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}
