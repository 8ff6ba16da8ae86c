import { app, shell, type Session, type WebContents } from 'electron';
import { dataCentres } from '../../shared/dataCentres';
import { type Logger } from '../core/util';
import { isAppUrl } from './origin';

/**
 * Guards every web contents the app ever creates: no navigation away from app://cliq-vault, no new
 * windows, no <webview>, no permissions. Links to Zoho's own sites (sign-in, the API console,
 * documentation) open in the user's browser, and only those.
 */

/** Hosts a link may open in the browser: each data centre's accounts and Cliq hosts, and Zoho's docs. */
export const externalHosts: ReadonlySet<string> = new Set([...Object.values(dataCentres).flatMap((centre) => [new URL(centre.accounts).hostname, new URL(centre.api).hostname]), 'www.zoho.com']);

/**
 * Whether `url` may be handed to the OS browser: https, no credentials or port, and a host in
 * {@link externalHosts} exactly (so `accounts.zoho.com.evil.com` and `accounts.zoho.com@evil.com`
 * are refused).
 */
export function isAllowedExternal(url: string): boolean {
  const parsed = URL.parse(url);
  return parsed !== null && parsed.protocol === 'https:' && parsed.username === '' && parsed.password === '' && parsed.port === '' && externalHosts.has(parsed.hostname);
}

const hardened = new WeakSet<Session>();

/** Denies every permission request and check (camera, notifications, clipboard, HID, …) in `session`. */
export function hardenSession(session: Session, log: Logger): void {
  if (hardened.has(session)) return;
  hardened.add(session);
  session.setPermissionRequestHandler((_contents, permission, callback) => {
    log.warn('Permission request denied', { permission });
    callback(false);
  });
  session.setPermissionCheckHandler(() => false);
}

function openIfAllowed(url: string, log: Logger): void {
  if (!isAllowedExternal(url)) {
    log.warn('Refused to open a link outside the allowlist', { url });
    return;
  }
  shell.openExternal(url).catch((error: unknown) => log.warn('Could not open a link in the browser', { url, error: String(error) }));
}

/** The handlers for one web contents (exported for tests; {@link installSecurityHandlers} applies them to all). */
export function guardWebContents(contents: WebContents, log: Logger): void {
  hardenSession(contents.session, log);
  contents.on('will-navigate', (event, url) => {
    if (isAppUrl(url)) return;
    event.preventDefault();
    openIfAllowed(url, log);
  });
  // Sub-frames too: the renderer has none of its own, so any frame leaving our origin is refused.
  contents.on('will-frame-navigate', (event) => {
    if (!isAppUrl(event.url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.setWindowOpenHandler(({ url }) => {
    openIfAllowed(url, log);
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
  });
}

/** Installs the guards for every web contents created from now on. Call before the first window. */
export function installSecurityHandlers(log: Logger): void {
  app.on('web-contents-created', (_event, contents) => guardWebContents(contents, log));
}
