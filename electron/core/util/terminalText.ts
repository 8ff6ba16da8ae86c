/**
 * Text from Cliq made safe to print to a terminal: Cliq content is hostile, and an escape
 * sequence in a message could move the cursor, rewrite earlier lines, retitle the window or hide
 * text. C0 controls other than newline and tab, DEL and C1 controls are dropped; bidirectional
 * overrides, embeddings and isolates (which can make text read in an order it was not written) are
 * shown escaped as <U+202E>.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const controls = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;
const bidi = /[\u202A-\u202E\u2066-\u2069]/g;

export function terminalSafe(text: string): string {
  return text.replace(controls, '').replace(bidi, (c) => `<U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}>`);
}
