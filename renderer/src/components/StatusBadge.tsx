/** A run's or a conversation's status as a coloured word (the word carries the meaning, not the colour). */
export function StatusBadge({ status }: { status: string | null }) {
  const text = status ?? 'not yet';
  const tone = /complete|ok|done|archived/.test(text) ? 'good' : /fail|error|gone|tamper/.test(text) ? 'bad' : /partial|cancel|running|pending|mismatch|not granted/.test(text) ? 'warn' : 'neutral';
  return <span className={`status status-${tone}`}>{text}</span>;
}
