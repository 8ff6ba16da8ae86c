import { app, BrowserWindow, dialog, shell, type Session, type WebContents } from 'electron';
import { dataCentres } from '../../shared/dataCentres';
import { type Logger } from '../core/util';
import { isAppUrl } from './origin';

/**
 * Guards every web contents the app ever creates: no navigation away from app://cliq-vault, no new
 * windows, no <webview>, no permissions. Links to Zoho's own sites (sign-in, the API console,
 * documentation) open in the user's browser. A link inside an archived message (the renderer makes
 * only http, https and mailto links of them, opened as new windows) is hostile data: it opens in the
 * browser only after the user confirms it, its whole address shown.
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

/**
 * Whether `url` may be offered to the user to open from an archived message: http, https or mailto,
 * with no credentials in it (`https://bank.example@evil.example/` hides where it goes).
 */
export function isMessageLink(url: string): boolean {
  const parsed = URL.parse(url);
  return parsed !== null && ['http:', 'https:', 'mailto:'].includes(parsed.protocol) && parsed.username === '' && parsed.password === '';
}

/** Asks before a message's link goes to the browser; the address is shown whole, as text. */
function confirmMessageLink(contents: WebContents, url: string, log: Logger): void {
  const parent = BrowserWindow.fromWebContents(contents);
  const options = {
    type: 'question' as const,
    buttons: ['Open in browser', 'Cancel'],
    defaultId: 1,
    cancelId: 1,
    noLink: true,
    title: 'Open a link from the archive',
    message: 'Open this link from an archived message in your browser?',
    detail: `${url}\n\nIt was written by someone in the org: open it only if you trust where it goes.`,
  };
  (parent ? dialog.showMessageBox(parent, options) : dialog.showMessageBox(options))
    .then(({ response }) => {
      if (response === 0) return shell.openExternal(url);
      return undefined;
    })
    .catch((error: unknown) => log.warn('Could not open a link in the browser', { error: String(error) }));
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
    if (isAllowedExternal(url)) openIfAllowed(url, log);
    else if (isMessageLink(url)) confirmMessageLink(contents, url, log);
    else log.warn('Refused to open a link', { protocol: URL.parse(url)?.protocol ?? 'unparsable' });
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
