/**
 * The typed tree a Cliq message text renders to (docs/cliq-api.md §8.3). Never HTML: each shell
 * turns segments into its own output (React elements, escaped HTML, plain text), so nothing in a
 * message can inject markup or script.
 */

/** Whom or what a mention names. */
export type MentionTarget = 'user' | 'channel' | 'team' | 'participants' | 'available';

export type Segment =
  /** Text exactly as written (a slice of the input). `hit`: inside a search match. */
  | { kind: 'text'; text: string; hit?: true }
  | { kind: 'break' }
  | { kind: 'bold' | 'italic' | 'strike'; children: Segment[] }
  | { kind: 'code'; text: string; hit?: true }
  | { kind: 'codeBlock'; text: string; hit?: true }
  | { kind: 'quote'; children: Segment[] }
  /** A link a reader may follow: `url` is always http:, https: or mailto:. `bare`: written as a bare URL. */
  | { kind: 'link'; label: string; url: string; bare: boolean; hit?: true }
  /** An emoji shortcode; `glyph` null when the code is not one the table knows (it shows as the code). */
  | { kind: 'emoji'; code: string; glyph: string | null; hit?: true }
  /**
   * A mention. `id` is what the token carried (a user id or e-mail, a channel id, a team id; empty for
   * participants/available); `name` is what to show without the sigil; `resolved` false when the
   * archive does not know it (then `name` is a readable fallback); `silent` for `[Name](zohoid:…)`.
   */
  | { kind: 'mention'; target: MentionTarget; id: string; name: string; resolved: boolean; silent: boolean; email: string | null; hit?: true }
  /** An instant or system-action button: only its label is shown, it never acts. */
  | { kind: 'button'; label: string; hit?: true };

/** The sigil a mention is shown with: `#` for channels, `@` for everything else. */
export function mentionSigil(target: MentionTarget): string {
  return target === 'channel' ? '#' : '@';
}
