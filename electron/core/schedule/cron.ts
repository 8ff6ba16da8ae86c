import type { ScheduleSettings, Weekday } from '../../../shared/scheduleSettings';
import { weekdays } from '../../../shared/scheduleSettings';
import type { ScheduleLocations } from './locations';
import { assertOneLine, cronEscape, shQuote } from './quoting';

const cronDay: Record<Weekday, number> = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };

export function blockStart(name: string): string {
  return `# BEGIN cliq-vault ${name} (managed by \`cliq-vault schedule --install\`; edits between BEGIN and END are replaced)`;
}

export function blockEnd(name: string): string {
  return `# END cliq-vault ${name}`;
}

/** The crontab line: minute hour * * days, the job script, its output appended to the log. */
export function cronLine(settings: ScheduleSettings, at: ScheduleLocations): string {
  const [hour, minute] = settings.time.split(':').map(Number);
  const days =
    settings.days.length === weekdays.length
      ? '*'
      : settings.days
          .map((d) => cronDay[d])
          .sort((a, b) => a - b)
          .join(',');
  const command = `/bin/sh ${shQuote(assertOneLine(at.script, 'the job script path'))} >> ${shQuote(assertOneLine(at.logFile, 'the log path'))} 2>&1`;
  return `${minute ?? 0} ${hour ?? 0} * * ${days} ${cronEscape(command)}`;
}

/** Our block in a crontab: marked, so installing again replaces it instead of adding another. */
export function cronBlock(name: string, settings: ScheduleSettings, at: ScheduleLocations): string {
  return `${blockStart(name)}\n${cronLine(settings, at)}\n${blockEnd(name)}\n`;
}

/**
 * `crontab` with our block for `name` replaced (or appended): every other line, comment and
 * blank line of the user's crontab is kept as it was, in its place.
 */
export function withCronBlock(crontab: string, name: string, block: string): string {
  const lines = crontab === '' ? [] : crontab.replace(/\n$/, '').split('\n');
  const kept: string[] = [];
  let inside = false;
  let at = -1;
  for (const line of lines) {
    if (!inside && line.startsWith(`# BEGIN cliq-vault ${name} `)) {
      inside = true;
      if (at < 0) at = kept.length;
      continue;
    }
    if (inside) {
      if (line === blockEnd(name)) inside = false;
      continue;
    }
    kept.push(line);
  }
  const ours = block.replace(/\n$/, '').split('\n');
  if (at < 0) kept.push(...ours);
  else kept.splice(at, 0, ...ours);
  return `${kept.join('\n')}\n`;
}
