/** Auto-update: electron-updater against the `publish` feed in electron-builder.yml. */
import type { Logger } from '../core/events';

/** The parts of electron-updater's autoUpdater we use. */
export interface UpdaterLike {
  logger: unknown;
  on(event: 'error', listener: (error: Error, message?: string) => void): unknown;
  checkForUpdatesAndNotify(): Promise<unknown>;
}

export const UPDATE_INTERVAL_MS = 6 * 60 * 60 * 1000;

/**
 * Checks for updates now and every six hours, only in a packaged app (a dev build has no feed
 * and nothing to replace). Errors — offline, feed unreachable, bad signature — are logged, never thrown.
 * Returns a function that stops the periodic checks.
 */
export function startAutoUpdate(
  updater: UpdaterLike,
  opts: { isPackaged: boolean; log: Logger; setInterval?: typeof setInterval },
): () => void {
  if (!opts.isPackaged) {
    opts.log.info('auto-update: skipped (not a packaged app)');
    return () => {};
  }
  updater.logger = {
    info: (m: unknown) => opts.log.info(`auto-update: ${String(m)}`),
    warn: (m: unknown) => opts.log.warn(`auto-update: ${String(m)}`),
    error: (m: unknown) => opts.log.error(`auto-update: ${String(m)}`),
    debug: () => {},
  };
  updater.on('error', (e) => opts.log.warn(`auto-update failed: ${e?.message ?? String(e)}`));
  const check = () => {
    try {
      updater
        .checkForUpdatesAndNotify()
        .catch((e: unknown) =>
          opts.log.warn(`auto-update check failed: ${e instanceof Error ? e.message : String(e)}`),
        );
    } catch (e) {
      opts.log.warn(`auto-update check failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  check();
  const timer = (opts.setInterval ?? setInterval)(check, UPDATE_INTERVAL_MS);
  (timer as { unref?: () => void }).unref?.();
  return () => clearInterval(timer);
}
