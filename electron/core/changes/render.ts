import { changeKindLabels, changeKinds, type ChangeReport } from '../../../shared/changes';
import { formatInZone } from '../util/timeZone';
import { terminalSafe } from '../util/terminalText';

const count = (n: number) => n.toLocaleString('en-US');

/**
 * A change report as text: the counts, then each kind's items, newest first. It is printed to a
 * terminal and written to a file a person opens, so Cliq's text in it is made terminal-safe.
 */
export function renderChangeReport(report: ChangeReport, archivePath: string, timeZone: string): string {
  const { range } = report;
  const runs = range.runs.length === 0 ? 'no sync run since' : range.runs.length === 1 ? `run ${range.throughRun}` : `runs ${range.runs[0]?.runId ?? ''}–${range.throughRun}`;
  const lines = [`What changed in ${archivePath} ${range.label} (${runs}):`, ''];
  const width = Math.max(...changeKinds.map((kind) => changeKindLabels[kind].length));
  for (const kind of changeKinds) lines.push(`  ${changeKindLabels[kind].padEnd(width)}  ${count(report.counts[kind]).padStart(9)}`);
  for (const kind of changeKinds) {
    const items = report.items.filter((item) => item.kind === kind);
    if (items.length === 0) continue;
    const shown = report.truncated.includes(kind) ? ` (newest ${count(items.length)} of ${count(report.counts[kind])})` : '';
    lines.push('', `${changeKindLabels[kind]}${shown}:`);
    for (const item of items) {
      const when = item.at === null ? '—' : formatInZone(item.at, timeZone);
      const where = item.chatTitle ?? item.chatId;
      const parts = [when, where === null ? null : `[${where}]`, item.who, item.detail].filter((part): part is string => part !== null && part !== '');
      const ids = [`run ${item.runId}`, item.chatId === null ? null : `chat ${item.chatId}`, item.messageId === null ? null : `message ${item.messageId}`].filter((id) => id !== null).join(', ');
      lines.push(`  ${terminalSafe(`${parts.join('  ')}  (${ids})`).replace(/\n/g, ' ')}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
