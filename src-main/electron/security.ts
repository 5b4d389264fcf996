/**
 * The window security baseline as plain functions over the objects they configure, so it is
 * testable in Node with fakes. Only `import type` from 'electron' here (see docs/desktop.md).
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Session, WebContents, WebPreferences } from 'electron';
import { CSP } from '../../src-shared/security/csp';

/**
 * The one allow-list of links the app may open in the user's browser (https only, exact hosts).
 * Everything else a page tries to open is dropped.
 */
export const EXTERNAL_HOSTS: readonly string[] = ['eclectyc.energy', 'www.eclectyc.energy'];

export { CSP };

/**
 * The baseline every window's webPreferences must meet. window.ts writes these inline in its
 * `new BrowserWindow({ webPreferences: { … } })`, so static checkers such as electronegativity see
 * them (they cannot follow a function call); security.test.ts fails if that literal drifts from this.
 */
export const SECURE_WEB_PREFERENCES = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  experimentalFeatures: false,
  webviewTag: false,
  navigateOnDragDrop: false,
  disableBlinkFeatures: 'Auxclick',
} as const satisfies WebPreferences;

/** file:// URL of the renderer's index.html, as Chromium reports it for a loadFile() page. */
export function indexUrlFor(indexPath: string): string {
  return pathToFileURL(path.resolve(indexPath)).href;
}

/**
 * True when `url` is the app's own index page (any #route or ?query): same scheme, no host,
 * same path (case-insensitive on Windows, whose file system is).
 */
export function isAppUrl(
  url: string | null | undefined,
  indexUrl: string,
  platform: NodeJS.Platform = process.platform,
): boolean {
  if (typeof url !== 'string' || url === '') return false;
  let a: URL;
  let b: URL;
  try {
    a = new URL(url);
    b = new URL(indexUrl);
  } catch {
    return false;
  }
  if (a.protocol !== 'file:' || b.protocol !== 'file:' || a.host !== b.host) return false;
  const norm = (p: string) => {
    let s: string;
    try {
      s = decodeURIComponent(p);
    } catch {
      return null;
    }
    return platform === 'win32' ? s.toLowerCase() : s;
  };
  const pa = norm(a.pathname);
  return pa !== null && pa === norm(b.pathname);
}

/** True when `url` may be opened in the user's browser: https on an allow-listed host, no credentials. */
export function isAllowedExternal(url: string, hosts: readonly string[] = EXTERNAL_HOSTS): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  return (
    u.protocol === 'https:' &&
    u.username === '' &&
    u.password === '' &&
    u.port === '' &&
    hosts.includes(u.hostname.toLowerCase())
  );
}

/** The frame an IPC message came from (Electron's WebFrameMain, or null once it has gone). */
export interface SenderFrameLike {
  readonly url: string;
  readonly parent: unknown;
}

/** IPC may come only from the top frame of our own index page. */
export function isTrustedSender(
  frame: SenderFrameLike | null | undefined,
  indexUrl: string,
  platform: NodeJS.Platform = process.platform,
): boolean {
  if (!frame) return false;
  if (frame.parent !== null) return false;
  return isAppUrl(frame.url, indexUrl, platform);
}

interface PreventableEvent {
  preventDefault(): void;
}
interface NavigationEvent extends PreventableEvent {
  readonly url: string;
}

/** The parts of Electron's WebContents the baseline configures. */
export type WebContentsLike = Pick<WebContents, 'on' | 'setWindowOpenHandler'>;

export interface HardenOptions {
  indexUrl: string;
  /** Opens a URL in the user's browser (shell.openExternal); called only for allow-listed URLs. */
  openInBrowser: (url: string) => Promise<void> | void;
  log?: { warn(msg: string, ...rest: unknown[]): void };
  platform?: NodeJS.Platform;
}

/**
 * Navigation and new windows: a page may only ever show our own index. Links to allow-listed
 * https sites open in the user's browser; every other navigation, redirect, popup or <webview>
 * is refused.
 */
export function hardenWebContents(wc: WebContentsLike, opts: HardenOptions): void {
  const platform = opts.platform ?? process.platform;
  const guard = (kind: string) => (e: NavigationEvent) => {
    if (isAppUrl(e.url, opts.indexUrl, platform)) return;
    e.preventDefault();
    opts.log?.warn(`${kind} to ${String(e.url).slice(0, 200)} blocked`);
    if (kind === 'navigation' && isAllowedExternal(e.url))
      void Promise.resolve(opts.openInBrowser(e.url)).catch(() => {});
  };
  wc.on('will-navigate', guard('navigation'));
  wc.on('will-frame-navigate', guard('frame navigation'));
  wc.on('will-redirect', guard('redirect'));
  wc.on('will-attach-webview', (e: PreventableEvent) => {
    e.preventDefault();
    opts.log?.warn('<webview> blocked');
  });
  wc.setWindowOpenHandler(({ url }) => {
    if (isAllowedExternal(url)) void Promise.resolve(opts.openInBrowser(url)).catch(() => {});
    else opts.log?.warn(`window.open of ${String(url).slice(0, 200)} blocked`);
    return { action: 'deny' };
  });
}

/** The parts of Electron's Session the baseline configures. */
export type SessionLike = Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'webRequest'>;

/** Denies every permission request and check; adds the CSP header to any http(s) response. */
export function hardenSession(ses: SessionLike): void {
  ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  // The app itself is loaded from file://, which Chromium's webRequest never sees: there the
  // meta CSP in index.html applies. This header covers anything fetched over http(s), which the
  // policy then refuses anyway (defence in depth).
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: withCsp(details.responseHeaders) });
  });
}

/** Response headers with our CSP replacing any the response carried. */
export function withCsp(headers: Record<string, string | string[]> | undefined): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(headers ?? {})) if (k.toLowerCase() !== 'content-security-policy') out[k] = v;
  out['Content-Security-Policy'] = [CSP];
  return out;
}

/** True when an index.html declares a Content-Security-Policy meta tag. */
export function hasCspMeta(html: string): boolean {
  return /<meta[^>]+http-equiv\s*=\s*["']?content-security-policy["']?[^>]*content\s*=\s*["'][^"']*default-src/i.test(
    html,
  );
}
