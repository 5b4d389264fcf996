/** The main window (Electron glue; the policy itself is in security.ts). */
import { BrowserWindow } from 'electron';
import fs from 'node:fs';
import type { Logger } from '../core/events';
import { hasCspMeta } from './security';

export interface WindowOptions {
  indexPath: string;
  preloadPath: string;
  iconPath?: string;
  log: Logger;
  /** The page could not be loaded: show the fatal dialog rather than a blank window. */
  onLoadFailed(error: Error): void;
  /** The renderer process died (crash, out of memory): offer to reload. */
  onRendererGone(reason: string, win: BrowserWindow): void;
}

export function createMainWindow(opts: WindowOptions): BrowserWindow {
  if (!fs.existsSync(opts.indexPath)) throw new Error(`renderer not built: ${opts.indexPath} is missing`);
  if (!fs.existsSync(opts.preloadPath)) throw new Error(`preload not built: ${opts.preloadPath} is missing`);
  if (!hasCspMeta(fs.readFileSync(opts.indexPath, 'utf8'))) {
    opts.log.warn(`${opts.indexPath} has no Content-Security-Policy meta tag; see docs/desktop.md`);
  }

  const win = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    show: false,
    backgroundColor: '#0b6e6e',
    title: 'Eclectyc Energy',
    ...(opts.iconPath && process.platform === 'linux' ? { icon: opts.iconPath } : {}),
    // The security baseline (security.ts SECURE_WEB_PREFERENCES), inline so static checkers see it.
    webPreferences: {
      preload: opts.preloadPath,
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
      spellcheck: false,
    },
  });

  win.once('ready-to-show', () => win.show());
  win.webContents.on('did-fail-load', (_e, code, description, url, isMainFrame) => {
    // -3 (ERR_ABORTED) is a navigation we cancelled ourselves.
    if (!isMainFrame || code === -3) return;
    opts.onLoadFailed(new Error(`the window could not load ${url}: ${description} (${code})`));
  });
  win.webContents.on('render-process-gone', (_e, details) => {
    if (details.reason === 'clean-exit') return;
    opts.log.error(`renderer process gone: ${details.reason} (exit code ${details.exitCode})`);
    opts.onRendererGone(details.reason, win);
  });
  win.webContents.on('preload-error', (_e, preloadPath, error) => {
    opts.onLoadFailed(new Error(`the preload script ${preloadPath} failed: ${error.message}`));
  });

  void win.loadFile(opts.indexPath).catch((e: unknown) => {
    // did-fail-load reports the same failure with its details; log the promise's side.
    opts.log.error('loadFile failed', e);
  });
  return win;
}
