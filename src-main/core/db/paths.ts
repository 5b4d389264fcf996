/** Where data lives: the same per-user folder for the desktop app, the server and the CLI. */
import os from 'node:os';
import path from 'node:path';

export const APP_FOLDER = 'Eclectyc Energy';

/**
 * The per-user app-data folder Electron's app.getPath('userData') returns for our productName:
 * Windows %APPDATA%, macOS ~/Library/Application Support, Linux $XDG_CONFIG_HOME or ~/.config.
 */
export function defaultDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string {
  if (env.ECLECTYC_DATA_DIR) return env.ECLECTYC_DATA_DIR;
  const home = os.homedir();
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), APP_FOLDER);
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', APP_FOLDER);
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), APP_FOLDER);
}

export function dbFile(dataDir: string): string {
  return path.join(dataDir, 'eclectyc.sqlite');
}

export function importsDir(dataDir: string): string {
  return path.join(dataDir, 'imports');
}

/** Copies of the database taken before a migration. */
export function backupsDir(dataDir: string): string {
  return path.join(dataDir, 'backups');
}
