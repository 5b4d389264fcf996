import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import {
  CSP,
  EXTERNAL_HOSTS,
  hardenSession,
  hardenWebContents,
  hasCspMeta,
  indexUrlFor,
  isAllowedExternal,
  isAppUrl,
  isTrustedSender,
  SECURE_WEB_PREFERENCES,
  withCsp,
  type SessionLike,
  type WebContentsLike,
} from './security';

const INDEX_URL = indexUrlFor('/opt/Eclectyc Energy/resources/app.asar/dist/renderer/index.html');

/** A WebContents stand-in recording the listeners and window-open handler it is given. */
function fakeWebContents() {
  const listeners = new Map<string, ((e: unknown) => void)[]>();
  let openHandler: ((d: { url: string }) => { action: string }) | null = null;
  const wc = {
    on(event: string, l: (e: unknown) => void) {
      listeners.set(event, [...(listeners.get(event) ?? []), l]);
      return wc;
    },
    setWindowOpenHandler(h: (d: { url: string }) => { action: string }) {
      openHandler = h;
    },
  };
  /** Emits `event` like Electron does; returns whether a listener called preventDefault. */
  const emit = (event: string, url?: string): boolean => {
    let prevented = false;
    const e = { url, preventDefault: () => (prevented = true) };
    const ls = listeners.get(event) ?? [];
    if (ls.length === 0) throw new Error(`no listener for ${event}`);
    for (const l of ls) l(e);
    return prevented;
  };
  return { wc: wc as unknown as WebContentsLike, emit, open: (url: string) => openHandler!({ url }) };
}

function harden() {
  const f = fakeWebContents();
  const openExternal = vi.fn();
  hardenWebContents(f.wc, { indexUrl: INDEX_URL, openInBrowser: openExternal });
  return { ...f, openExternal };
}

describe('web preferences', () => {
  it('the baseline isolates, sandboxes and disables Node, webviews and insecure content', () => {
    expect(SECURE_WEB_PREFERENCES).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
    });
  });

  it('the window is created with every baseline item, inline', () => {
    const src = fs.readFileSync(path.join(__dirname, 'window.ts'), 'utf8');
    const block = src.slice(src.indexOf('webPreferences: {'), src.indexOf('},', src.indexOf('webPreferences: {')));
    for (const [k, v] of Object.entries(SECURE_WEB_PREFERENCES))
      expect(block).toContain(`${k}: ${typeof v === 'string' ? `'${v}'` : v},`);
  });
});

describe('navigation', () => {
  it('allows only our own index page (any route) and denies everything else', () => {
    const { emit, openExternal } = harden();
    for (const ev of ['will-navigate', 'will-frame-navigate', 'will-redirect']) {
      expect(emit(ev, INDEX_URL)).toBe(false);
      expect(emit(ev, `${INDEX_URL}#/meters/1012477457919`)).toBe(false);
      expect(emit(ev, 'https://evil.example/')).toBe(true);
      expect(emit(ev, 'file:///etc/passwd')).toBe(true);
      expect(emit(ev, INDEX_URL.replace('index.html', 'other.html'))).toBe(true);
      expect(emit(ev, 'file://remote-host/opt/Eclectyc%20Energy/resources/app.asar/dist/renderer/index.html')).toBe(
        true,
      );
      expect(emit(ev, 'javascript:alert(1)')).toBe(true);
    }
    expect(openExternal).not.toHaveBeenCalled();
  });

  it('opens allow-listed https links in the browser instead of navigating', () => {
    const { emit, openExternal } = harden();
    expect(emit('will-navigate', 'https://eclectyc.energy/help')).toBe(true);
    expect(openExternal).toHaveBeenCalledWith('https://eclectyc.energy/help');
  });

  it('prevents <webview> attachment', () => {
    const { emit } = harden();
    expect(emit('will-attach-webview')).toBe(true);
  });

  it('denies every new window, handing only allow-listed https links to the browser', () => {
    const { open, openExternal } = harden();
    expect(open('https://evil.example/')).toEqual({ action: 'deny' });
    expect(open('http://eclectyc.energy/')).toEqual({ action: 'deny' });
    expect(open(INDEX_URL)).toEqual({ action: 'deny' });
    expect(openExternal).not.toHaveBeenCalled();
    expect(open('https://www.eclectyc.energy/pricing')).toEqual({ action: 'deny' });
    expect(openExternal).toHaveBeenCalledExactlyOnceWith('https://www.eclectyc.energy/pricing');
  });
});

describe('URL checks', () => {
  it('isAppUrl compares scheme, host and decoded path; case-insensitively only on Windows', () => {
    expect(isAppUrl(`${INDEX_URL}?x=1#/a`, INDEX_URL)).toBe(true);
    expect(isAppUrl(INDEX_URL.toUpperCase().replace('FILE:', 'file:'), INDEX_URL, 'linux')).toBe(false);
    const win = 'file:///C:/Program%20Files/Eclectyc%20Energy/resources/app.asar/dist/renderer/index.html';
    expect(
      isAppUrl('file:///c:/program files/eclectyc energy/resources/app.asar/dist/renderer/index.html', win, 'win32'),
    ).toBe(true);
    expect(isAppUrl('', INDEX_URL)).toBe(false);
    expect(isAppUrl('not a url', INDEX_URL)).toBe(false);
    expect(isAppUrl(null, INDEX_URL)).toBe(false);
  });

  it('isAllowedExternal takes https on the listed hosts only', () => {
    expect(EXTERNAL_HOSTS.length).toBeGreaterThan(0);
    expect(isAllowedExternal('https://eclectyc.energy/')).toBe(true);
    expect(isAllowedExternal('https://eclectyc.energy.evil.example/')).toBe(false);
    expect(isAllowedExternal('https://user:pw@eclectyc.energy/')).toBe(false);
    expect(isAllowedExternal('https://eclectyc.energy:8443/')).toBe(false);
    expect(isAllowedExternal('file:///etc/passwd')).toBe(false);
    expect(isAllowedExternal('smb://eclectyc.energy/share')).toBe(false);
  });

  it('isTrustedSender requires our page in the top frame', () => {
    expect(isTrustedSender({ url: INDEX_URL, parent: null }, INDEX_URL)).toBe(true);
    expect(isTrustedSender({ url: INDEX_URL, parent: {} }, INDEX_URL)).toBe(false);
    expect(isTrustedSender({ url: 'https://evil.example/', parent: null }, INDEX_URL)).toBe(false);
    expect(isTrustedSender(null, INDEX_URL)).toBe(false);
  });
});

describe('session', () => {
  function fakeSession() {
    let request: ((wc: unknown, p: string, cb: (ok: boolean) => void, d?: unknown) => void) | null = null;
    let check: ((wc: unknown, p: string, origin: string, d?: unknown) => boolean) | null = null;
    let headers:
      | ((
          d: { responseHeaders?: Record<string, string[]> },
          cb: (r: { responseHeaders?: Record<string, string | string[]> }) => void,
        ) => void)
      | null = null;
    const ses = {
      setPermissionRequestHandler: (h: typeof request) => (request = h),
      setPermissionCheckHandler: (h: typeof check) => (check = h),
      webRequest: { onHeadersReceived: (h: typeof headers) => (headers = h) },
    };
    hardenSession(ses as unknown as SessionLike);
    return { request: () => request!, check: () => check!, headers: () => headers! };
  }

  it('denies every permission request and check', () => {
    const s = fakeSession();
    for (const p of [
      'media',
      'geolocation',
      'notifications',
      'clipboard-read',
      'openExternal',
      'fullscreen',
      'pointerLock',
      'hid',
      'usb',
      'serial',
    ]) {
      const cb = vi.fn();
      s.request()({}, p, cb, {});
      expect(cb).toHaveBeenCalledExactlyOnceWith(false);
      expect(s.check()({}, p, 'file://', {})).toBe(false);
    }
  });

  it('puts our CSP on http(s) responses, replacing any other', () => {
    const s = fakeSession();
    const cb = vi.fn();
    s.headers()({ responseHeaders: { 'content-security-policy': ['default-src *'], 'X-Other': ['1'] } }, cb);
    expect(cb).toHaveBeenCalledWith({ responseHeaders: { 'X-Other': ['1'], 'Content-Security-Policy': [CSP] } });
    expect(withCsp(undefined)).toEqual({ 'Content-Security-Policy': [CSP] });
  });

  it('the CSP allows only our own scripts and no objects, framing or base changes', () => {
    expect(CSP).toContain("script-src 'self'");
    expect(CSP).not.toMatch(/unsafe-eval|script-src[^;]*unsafe-inline/);
    expect(CSP).toContain("object-src 'none'");
    expect(CSP).toContain("frame-ancestors 'none'");
    expect(CSP).toContain("base-uri 'none'");
  });

  it('hasCspMeta recognises a meta CSP in index.html', () => {
    expect(hasCspMeta(`<head><meta http-equiv="Content-Security-Policy" content="${CSP}"></head>`)).toBe(true);
    expect(hasCspMeta('<head><meta charset="utf-8"></head>')).toBe(false);
  });
});
