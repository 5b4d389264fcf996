/**
 * The Electron main process: thin glue between Electron and the core. Everything with logic in it
 * lives in plain-Node modules next to this file (ipc, drop, security, notify, menu, paths, fatal,
 * update), which are tested without the Electron binary.
 */
import {
  app,
  BrowserWindow,
  clipboard,
  dialog,
  ipcMain,
  Menu,
  Notification,
  safeStorage,
  session,
  shell,
  type OpenDialogOptions,
  type Tray,
} from 'electron';
import { autoUpdater } from 'electron-updater';
import path from 'node:path';
import { createCore, type Core } from '../core/app';
import { stderrLogger, type Logger } from '../core/events';
import { APP_VERSION } from '../version';
import { importPaths } from './drop';
import { describeStartupError } from './fatal';
import { forwardEvents, registerIpc } from './ipc';
import { createFileLogger } from './logger';
import { appMenuTemplate, type MenuActions } from './menu';
import { createAlertBadge, createNotifier, routeScript, type NotificationContent } from './notify';
import { assetsDirFor, desktopDataDir, migrationsDirFor, preloadPathFor, rendererIndexFor, type Layout } from './paths';
import { hardenSession, hardenWebContents, indexUrlFor, isAllowedExternal, isTrustedSender } from './security';
import { createTray } from './tray';
import { startAutoUpdate, UpdateState } from './update';
import { createMainWindow } from './window';

const APP_ID = 'energy.eclectyc.desktop';
const WEBSITE = 'https://eclectyc.energy/';
const QUIT_TIMEOUT_MS = 10_000;

let log: Logger = stderrLogger;
const updates = new UpdateState();
let core: Core | null = null;
let mainWindow: BrowserWindow | null = null;
let tray: Tray | null = null;
let stage = 'starting';
let failed = false;
let coreStopped = false;
const notifications = new Set<Notification>();

const layout: Layout = { mainDir: __dirname, isPackaged: app.isPackaged, resourcesPath: process.resourcesPath };
const indexPath = rendererIndexFor(layout);
const indexUrl = indexUrlFor(indexPath);

/** Opens a link in the user's browser, but only if it is on the allow-list (security.ts). */
function openExternalSafe(url: string): void {
  if (!isAllowedExternal(url)) {
    log.warn(`refused to open ${url.slice(0, 200)}: not on the allow-list`);
    return;
  }
  shell.openExternal(url).catch((e: unknown) => log.warn('could not open the browser', e));
}

function showWindow(): void {
  if (failed || !core) return;
  if (!mainWindow || mainWindow.isDestroyed()) mainWindow = openMainWindow();
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.show();
  mainWindow.focus();
}

function openMainWindow(): BrowserWindow {
  const win = createMainWindow({
    indexPath,
    preloadPath: preloadPathFor(layout),
    iconPath: path.join(assetsDirFor(layout), 'icon.png'),
    log,
    onLoadFailed: (e) => void fatal('loading the window', e),
    onRendererGone: (reason, w) => {
      void dialog
        .showMessageBox(w, {
          type: 'error',
          title: 'Eclectyc Energy',
          message: `The window stopped unexpectedly (${reason}).`,
          detail: 'Imports already queued carry on. Reload the window to continue.',
          buttons: ['Reload', 'Quit'],
          defaultId: 0,
          cancelId: 1,
          noLink: true,
        })
        .then(({ response }) => (response === 0 && !w.isDestroyed() ? w.reload() : app.quit()));
    },
  });
  win.on('closed', () => {
    if (mainWindow === win) mainWindow = null;
  });
  return win;
}

async function pickAndImport(): Promise<void> {
  if (!core) return;
  const options: OpenDialogOptions = {
    title: 'Import meter data',
    buttonLabel: 'Import',
    properties: ['openFile', 'multiSelections'],
    filters: [
      { name: 'Meter data (CSV)', extensions: ['csv', 'txt'] },
      { name: 'All files', extensions: ['*'] },
    ],
  };
  const parent = BrowserWindow.getFocusedWindow() ?? mainWindow;
  const r =
    parent && !parent.isDestroyed()
      ? await dialog.showOpenDialog(parent, options)
      : await dialog.showOpenDialog(options);
  if (r.canceled || r.filePaths.length === 0) return;
  showWindow();
  await importPaths(core, r.filePaths);
}

/** The save dialog for an export: the suggested name in the Downloads folder; null when cancelled. */
async function chooseSaveFile(suggested: string): Promise<string | null> {
  const options = {
    title: 'Save export',
    defaultPath: path.join(app.getPath('downloads'), suggested),
    filters: [{ name: 'CSV (Excel)', extensions: ['csv'] }],
  };
  const parent = BrowserWindow.getFocusedWindow() ?? mainWindow;
  const r =
    parent && !parent.isDestroyed()
      ? await dialog.showSaveDialog(parent, options)
      : await dialog.showSaveDialog(options);
  return r.canceled || !r.filePath ? null : r.filePath;
}

/** Shows a renderer route (`#/alerts/12`) in the main window, once its page has loaded. */
function openRoute(route: string): void {
  const script = routeScript(route);
  const wc = mainWindow && !mainWindow.isDestroyed() ? mainWindow.webContents : null;
  if (!script || !wc) return;
  const run = () => void wc.executeJavaScript(script).catch((e: unknown) => log.warn(`could not open ${route}`, e));
  if (wc.isLoading()) wc.once('did-finish-load', run);
  else run();
}

function notify(n: NotificationContent): void {
  if (!Notification.isSupported()) return;
  const note = new Notification({ title: n.title, body: n.body });
  notifications.add(note); // keep a reference until it is gone, or clicks are lost to GC
  note.on('click', () => {
    showWindow();
    if (n.route) openRoute(n.route);
  });
  note.on('close', () => notifications.delete(note));
  note.show();
  setTimeout(() => notifications.delete(note), 60_000).unref();
}

const actions: MenuActions = {
  openWindow: () => showWindow(),
  importFiles: () =>
    void pickAndImport().catch((e: unknown) =>
      core?.events.emit('app.error', { message: `Import failed: ${(e as Error).message}` }),
    ),
  openDataFolder: () => {
    const dir = core?.dataDir ?? app.getPath('userData');
    void shell.openPath(dir).then((err) => err && log.warn(`could not open ${dir}: ${err}`));
  },
  openWebsite: () => openExternalSafe(WEBSITE),
  quit: () => app.quit(),
};

/** Startup failed: tell the user what and why, offer the details, quit. Never a blank window. */
async function fatal(where: string, e: unknown): Promise<void> {
  if (failed) return;
  failed = true;
  const report = describeStartupError(e, {
    stage: where,
    version: APP_VERSION,
    dataDir: app.getPath('userData'),
    versions: { electron: process.versions.electron, chrome: process.versions.chrome, node: process.versions.node },
  });
  log.error(report.detail);
  for (const w of BrowserWindow.getAllWindows()) w.destroy();
  try {
    const { response } = await dialog.showMessageBox({
      type: 'error',
      title: report.title,
      message: report.message,
      detail: report.detail,
      buttons: ['Copy details and quit', 'Quit'],
      defaultId: 0,
      cancelId: 1,
      noLink: true,
    });
    if (response === 0) clipboard.writeText(report.detail);
  } catch {
    dialog.showErrorBox(report.title, `${report.message}\n\n${report.detail}`);
  }
  await stopCore();
  app.exit(1);
}

async function stopCore(): Promise<void> {
  if (!core || coreStopped) return;
  coreStopped = true;
  const c = core;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    c.stop().catch((e: unknown) => log.error('core did not stop cleanly', e)),
    new Promise<void>((r) => {
      // A long import stops at its next commit; past the timeout we quit anyway and the job
      // resumes from its last committed chunk on next start.
      timer = setTimeout(() => {
        log.warn(`core still busy after ${QUIT_TIMEOUT_MS / 1000}s; quitting anyway`);
        r();
      }, QUIT_TIMEOUT_MS);
    }),
  ]);
  clearTimeout(timer);
}

async function start(): Promise<void> {
  stage = 'securing the session';
  hardenSession(session.defaultSession);

  stage = 'opening the database';
  core = await createCore({
    dataDir: app.getPath('userData'),
    migrationsDir: migrationsDirFor(layout),
    host: 'desktop',
    version: APP_VERSION,
    log,
    // Parsing and inserting run on a worker thread so the main process keeps answering the window.
    importThread: path.join(__dirname, '..', 'import-worker.cjs'),
    // grid carbon intensity every 30 minutes (offline: stored values are shown with their age)
    carbonPolling: true,
    // the auto-updater's state, for the `updates` health check
    updateStatus: () => updates.status(),
    // notification secrets encrypted with the OS keychain where it is available
    ...(safeStorage.isEncryptionAvailable()
      ? {
          secretCipher: {
            available: () => safeStorage.isEncryptionAvailable(),
            encrypt: (s: string) => safeStorage.encryptString(s),
            decrypt: (b: Buffer) => safeStorage.decryptString(b),
          },
        }
      : {}),
  });

  stage = 'starting the import queue';
  core.start();
  registerIpc(ipcMain, core, { isTrusted: (frame) => isTrustedSender(frame, indexUrl), chooseSaveFile });
  forwardEvents(core.events, () => BrowserWindow.getAllWindows().map((w) => w.webContents));
  core.events.subscribe(createNotifier({ show: notify }));

  stage = 'opening the window';
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      appMenuTemplate(actions, { platform: process.platform, appName: app.getName(), isPackaged: app.isPackaged }),
    ),
  );
  mainWindow = openMainWindow();
  tray = createTray(assetsDirFor(layout), actions, log);
  const badge = createAlertBadge({
    setBadgeCount: (n) => app.setBadgeCount(n),
    setToolTip: (t) => tray?.setToolTip(t),
  });
  core.events.subscribe(badge);
  // the alerts already open when the app starts
  badge({ event: 'alerts.changed', payload: { counts: core.alerts.counts(), fired: [] } });

  stage = 'running';
  startAutoUpdate(autoUpdater, { isPackaged: app.isPackaged, log, state: updates });
  log.info(`Eclectyc Energy ${APP_VERSION} started; data folder ${core.dataDir}`);
}

try {
  // userData = the shared data folder (same as the CLI's defaultDataDir()); set before anything reads it.
  app.setPath('userData', desktopDataDir(app.getPath('appData')));
  log = createFileLogger(path.join(app.getPath('userData'), 'logs', 'desktop.log'), stderrLogger);
  if (process.platform === 'win32') app.setAppUserModelId(APP_ID);
  app.enableSandbox();

  if (!app.requestSingleInstanceLock()) {
    app.quit();
  } else {
    app.on('second-instance', () => showWindow());

    // Every web contents, whatever creates it, gets the navigation / popup / webview policy.
    app.on('web-contents-created', (_e, wc) =>
      hardenWebContents(wc, { indexUrl, openInBrowser: openExternalSafe, log }),
    );

    app.on('activate', () => {
      if (app.isReady() && BrowserWindow.getAllWindows().length === 0) showWindow();
    });
    app.on('window-all-closed', () => {
      if (process.platform !== 'darwin') app.quit();
    });
    app.on('will-quit', (e) => {
      if (core && !coreStopped) {
        e.preventDefault();
        void stopCore().finally(() => app.quit());
      }
    });
    app.on('quit', () => tray?.destroy());

    app
      .whenReady()
      .then(start)
      .catch((e: unknown) => fatal(stage, e));
  }
} catch (e) {
  void app.whenReady().then(() => fatal(stage, e));
}
