/**
 * Where the renderer lives: `app://cliq-vault/`, a privileged standard scheme served from
 * dist/renderer by protocol.ts. IMPORTANT: the IPC sender check (ipc.ts), the navigation guard
 * (security.ts) and the protocol handler all trust exactly this origin; change it in one place.
 */
export const appScheme = 'app';
export const appHost = 'cliq-vault';
export const appOrigin = `${appScheme}://${appHost}`;
export const appEntryUrl = `${appOrigin}/index.html`;

/**
 * Whether `url` is a page of ours. Compared by scheme and host rather than `URL.origin`, which the
 * WHATWG parser reports as "null" for schemes it does not know (Chromium knows `app:` as standard).
 */
export function isAppUrl(url: string): boolean {
  const parsed = URL.parse(url);
  return parsed !== null && parsed.protocol === `${appScheme}:` && parsed.host === appHost && parsed.username === '' && parsed.password === '' && parsed.port === '';
}
