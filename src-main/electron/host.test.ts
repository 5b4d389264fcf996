import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { PushedEvent } from '../../src-shared/contract/events';
import type { ImportJob } from '../../src-shared/contract/types';
import { defaultDataDir } from '../core/db/paths';
import { silentLogger } from '../core/events';
import { describeStartupError } from './fatal';
import { appMenuTemplate, trayMenuTemplate, type MenuActions } from './menu';
import { createNotifier, notificationFor } from './notify';
import { desktopDataDir, migrationsDirFor, rendererIndexFor } from './paths';
import { startAutoUpdate, type UpdaterLike } from './update';

const job = (over: Partial<ImportJob>): ImportJob =>
  ({
    id: 1,
    batchId: 'b',
    file: 'site.csv',
    format: 'long',
    status: 'done',
    priority: 'normal',
    dryRun: false,
    attempts: 1,
    bytes: 1,
    bytesDone: 1,
    rowsRead: 1,
    readingsImported: 1,
    duplicates: 0,
    conflicts: 0,
    rowsRejected: 0,
    metersCreated: [],
    errors: [],
    lastError: null,
    createdAt: '2025-01-01T00:00:00Z',
    startedAt: null,
    finishedAt: null,
    preview: null,
    ...over,
  }) as ImportJob;
const updated = (j: Partial<ImportJob>): PushedEvent => ({ event: 'imports.updated', payload: { job: job(j) } });

describe('data folder and layout', () => {
  it('uses the same folder as the CLI (defaultDataDir) under Electron’s appData', () => {
    const env = { HOME: '/home/u', XDG_CONFIG_HOME: '/home/u/.config' };
    expect(desktopDataDir('/home/u/.config', env)).toBe(defaultDataDir(env, 'linux'));
    expect(desktopDataDir('C:\\Users\\u\\AppData\\Roaming', {})).toBe(
      path.join('C:\\Users\\u\\AppData\\Roaming', 'Eclectyc Energy'),
    );
    expect(desktopDataDir('/x', { ECLECTYC_DATA_DIR: '/data/shared' })).toBe(
      defaultDataDir({ ECLECTYC_DATA_DIR: '/data/shared' }, 'linux'),
    );
  });

  it('finds migrations in resources when packaged and in the repo otherwise', () => {
    const mainDir = path.resolve('dist', 'electron');
    expect(migrationsDirFor({ mainDir, isPackaged: false, resourcesPath: '/r' })).toBe(path.resolve('drizzle'));
    expect(migrationsDirFor({ mainDir, isPackaged: true, resourcesPath: '/r' })).toBe(path.join('/r', 'drizzle'));
    expect(rendererIndexFor({ mainDir, isPackaged: false, resourcesPath: '/r' })).toBe(
      path.resolve('dist', 'renderer', 'index.html'),
    );
  });
});

describe('notifications', () => {
  it('come from app.error and failed imports only', () => {
    expect(notificationFor({ event: 'app.error', payload: { message: 'disk full' } })).toMatchObject({
      body: 'disk full',
    });
    expect(notificationFor(updated({ status: 'failed', lastError: 'not a meter file' }))).toMatchObject({
      title: 'Import failed',
      body: 'site.csv: not a meter file',
    });
    expect(notificationFor(updated({ status: 'done' }))).toBeNull();
    expect(notificationFor(updated({ status: 'retrying' }))).toBeNull();
    expect(notificationFor({ event: 'meters.changed', payload: { meterIds: [] } })).toBeNull();
  });

  it('coalesce what arrives together, showing a failed file once', () => {
    const shown: { title: string; body: string }[] = [];
    let flush: (() => void) | null = null;
    const listener = createNotifier({ show: (n) => shown.push(n), setTimer: (fn) => (flush = fn) });
    listener(updated({ status: 'failed', file: 'a.csv', lastError: 'disk error (gave up after 5 attempts)' }));
    listener({ event: 'app.error', payload: { message: 'Import of a.csv failed for good: disk error' } });
    listener({
      event: 'imports.progress',
      payload: { jobId: 1, percent: 1, rowsRead: 1, rowsPerSecond: 1, etaSeconds: null },
    });
    expect(shown).toEqual([]);
    flush!();
    expect(shown).toEqual([{ title: 'Import failed', body: 'a.csv: disk error (gave up after 5 attempts)' }]);

    listener(updated({ status: 'failed', file: 'b.csv', lastError: 'bad header' }));
    listener({ event: 'app.error', payload: { message: 'database locked' } });
    flush!();
    expect(shown[1]).toEqual({ title: 'Eclectyc Energy: 2 problems', body: 'b.csv: bad header\ndatabase locked' });
  });
});

describe('menus', () => {
  const actions = (): MenuActions => ({
    openWindow: vi.fn(),
    importFiles: vi.fn(),
    openDataFolder: vi.fn(),
    openWebsite: vi.fn(),
    quit: vi.fn(),
  });
  type Item = { label?: string; role?: string; submenu?: Item[]; click?: () => void };
  const find = (items: Item[], label: string): Item | undefined => {
    for (const i of items) {
      if (i.label === label) return i;
      const sub = i.submenu && find(i.submenu, label);
      if (sub) return sub;
    }
    return undefined;
  };

  it('the tray menu opens, imports and quits', () => {
    const a = actions();
    const items = trayMenuTemplate(a) as Item[];
    expect(items.filter((i) => i.label).map((i) => i.label)).toEqual(['Open Eclectyc Energy', 'Import files…', 'Quit']);
    find(items, 'Open Eclectyc Energy')!.click!();
    find(items, 'Import files…')!.click!();
    find(items, 'Quit')!.click!();
    expect(a.openWindow).toHaveBeenCalledOnce();
    expect(a.importFiles).toHaveBeenCalledOnce();
    expect(a.quit).toHaveBeenCalledOnce();
  });

  it('the app menu has Open data folder on every platform and dev tools only unpackaged', () => {
    for (const platform of ['darwin', 'win32', 'linux'] as const) {
      const a = actions();
      const items = appMenuTemplate(a, { platform, appName: 'Eclectyc Energy', isPackaged: true }) as Item[];
      find(items, 'Open data folder')!.click!();
      expect(a.openDataFolder).toHaveBeenCalledOnce();
      expect(JSON.stringify(items)).not.toContain('toggleDevTools');
      expect(items[0]!.label === 'Eclectyc Energy').toBe(platform === 'darwin');
    }
    expect(
      JSON.stringify(appMenuTemplate(actions(), { platform: 'linux', appName: 'x', isPackaged: false })),
    ).toContain('toggleDevTools');
  });
});

describe('startup failures', () => {
  it('explain an ABI mismatch and keep the full details to copy', () => {
    const e = new Error(
      "The module 'better_sqlite3.node' was compiled against a different Node.js version using NODE_MODULE_VERSION 115. This version of Node.js requires NODE_MODULE_VERSION 145.",
    );
    const r = describeStartupError(e, { stage: 'opening the database', version: '1.2.3', dataDir: '/d' });
    expect(r.message).toMatch(/could not start \(opening the database\)/);
    expect(r.message).toMatch(/rebuild-native\.mjs electron/);
    expect(r.detail).toContain('NODE_MODULE_VERSION 115');
    expect(r.detail).toContain('Data folder: /d');
    expect(r.detail).toContain(e.stack!.split('\n')[1]!.trim());
  });
});

describe('auto-update', () => {
  const fakeUpdater = (check: () => Promise<unknown>) => {
    const u = { logger: null as unknown, errorListeners: [] as ((e: Error) => void)[], checks: 0 };
    const updater: UpdaterLike = {
      get logger() {
        return u.logger;
      },
      set logger(v) {
        u.logger = v;
      },
      on: (_ev, l) => u.errorListeners.push(l),
      checkForUpdatesAndNotify: () => (u.checks++, check()),
    };
    return { u, updater };
  };

  it('does nothing in an unpackaged app', () => {
    const { u, updater } = fakeUpdater(() => Promise.resolve(null));
    startAutoUpdate(updater, { isPackaged: false, log: silentLogger })();
    expect(u.checks).toBe(0);
  });

  it('checks when packaged and logs failures instead of throwing', async () => {
    const warn = vi.fn();
    const { u, updater } = fakeUpdater(() => Promise.reject(new Error('net::ERR_INTERNET_DISCONNECTED')));
    const stop = startAutoUpdate(updater, { isPackaged: true, log: { ...silentLogger, warn } });
    expect(u.checks).toBe(1);
    await new Promise((r) => setTimeout(r, 0));
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('ERR_INTERNET_DISCONNECTED'));
    u.errorListeners[0]!(new Error('sha512 checksum mismatch'));
    expect(warn).toHaveBeenLastCalledWith(expect.stringContaining('checksum mismatch'));
    stop();
  });
});
