/** Where the desktop host finds things, as pure functions of what Electron reports. */
import path from 'node:path';
import { APP_FOLDER } from '../core/db/paths';

/**
 * The data folder, which is also Electron's userData: `<appData>/Eclectyc Energy` (appData is
 * %APPDATA%, ~/Library/Application Support or $XDG_CONFIG_HOME|~/.config), exactly what
 * defaultDataDir() gives the CLI and server, or ECLECTYC_DATA_DIR when set, as there.
 */
export function desktopDataDir(appData: string, env: NodeJS.ProcessEnv = process.env): string {
  return env.ECLECTYC_DATA_DIR ? path.resolve(env.ECLECTYC_DATA_DIR) : path.join(appData, APP_FOLDER);
}

export interface Layout {
  /** dist/electron (where main.cjs and preload.cjs are). */
  mainDir: string;
  isPackaged: boolean;
  /** process.resourcesPath (only meaningful when packaged). */
  resourcesPath: string;
}

/** The drizzle migrations: shipped as extraResources when packaged, the repo's drizzle/ otherwise. */
export function migrationsDirFor(l: Layout): string {
  return l.isPackaged ? path.join(l.resourcesPath, 'drizzle') : path.resolve(l.mainDir, '..', '..', 'drizzle');
}

/** Tray and window icons: extraResources/assets when packaged, the repo's assets/ otherwise. */
export function assetsDirFor(l: Layout): string {
  return l.isPackaged ? path.join(l.resourcesPath, 'assets') : path.resolve(l.mainDir, '..', '..', 'assets');
}

export function preloadPathFor(l: Layout): string {
  return path.join(l.mainDir, 'preload.cjs');
}

/** The renderer Vite builds into dist/renderer (inside app.asar when packaged). */
export function rendererIndexFor(l: Layout): string {
  return path.resolve(l.mainDir, '..', 'renderer', 'index.html');
}
