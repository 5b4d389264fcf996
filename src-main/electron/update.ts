/** Auto-update: electron-updater against the `publish` feed in electron-builder.yml. */
import type { Logger } from '../core/events';
import type { HealthStatus } from '../../src-shared/contract/types';

/** The parts of electron-updater's autoUpdater we use. */
export interface UpdaterLike {
  logger: unknown;
  on(event: 'error', listener: (error: Error, message?: string) => void): unknown;
  checkForUpdatesAndNotify(): Promise<unknown>;
}

export const UPDATE_INTERVAL_MS = 6 * 60 * 60 * 1000;

/** What the auto-updater last did: the `updates` health check reads it (CoreOptions.updateStatus). */
export class UpdateState {
  private packaged: boolean | null = null;
  private last: { at: number; error: string | null } | null = null;

  constructor(private readonly now: () => number = Date.now) {}

  /** Records whether this app updates itself at all (a packaged app). */
  started(packaged: boolean): void {
    this.packaged = packaged;
  }

  /** Records a check's outcome (null: it worked). */
  checked(error: string | null): void {
    this.last = { at: this.now(), error };
  }

  /** The health check's answer: warn when the last check failed. */
  status(): { status: HealthStatus; detail: string } {
    if (this.packaged === false)
      return { status: 'ok', detail: 'This build does not update itself (not a packaged app)' };
    if (!this.last) return { status: 'ok', detail: 'The first check for updates is under way' };
    const minutes = Math.floor((this.now() - this.last.at) / 60000);
    const when = minutes < 1 ? 'just now' : minutes < 120 ? `${minutes} min ago` : `${Math.floor(minutes / 60)} h ago`;
    if (this.last.error)
      return { status: 'warn', detail: `The last check for updates (${when}) failed: ${this.last.error}` };
    return { status: 'ok', detail: `Checked for updates ${when}; new versions install when the app quits` };
  }
}

/**
 * Checks for updates now and every six hours, only in a packaged app (a dev build has no feed
 * and nothing to replace). Errors — offline, feed unreachable, bad signature — are logged, never thrown.
 * Returns a function that stops the periodic checks.
 */
export function startAutoUpdate(
  updater: UpdaterLike,
  opts: { isPackaged: boolean; log: Logger; setInterval?: typeof setInterval; state?: UpdateState },
): () => void {
  opts.state?.started(opts.isPackaged);
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
  const failed = (what: string, e: unknown): void => {
    const message = e instanceof Error ? e.message : String(e);
    opts.log.warn(`${what}: ${message}`);
    opts.state?.checked(message);
  };
  updater.on('error', (e) => failed('auto-update failed', e));
  const check = () => {
    try {
      updater
        .checkForUpdatesAndNotify()
        .then(() => opts.state?.checked(null))
        .catch((e: unknown) => failed('auto-update check failed', e));
    } catch (e) {
      failed('auto-update check failed', e);
    }
  };
  check();
  const timer = (opts.setInterval ?? setInterval)(check, UPDATE_INTERVAL_MS);
  (timer as { unref?: () => void }).unref?.();
  return () => clearInterval(timer);
}
