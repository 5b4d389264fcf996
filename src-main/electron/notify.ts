/**
 * Which core events become system notifications, and how they are coalesced: everything that
 * arrives within one short window is shown as a single notification, so a batch of failing files
 * (or an import's failure and the matching `app.error`) does not stack up a pile of toasts.
 */
import type { PushedEvent } from '../../src-shared/contract/events';

export interface NotificationContent {
  title: string;
  body: string;
  /** For a failed import: the file's name. */
  file?: string;
}

/** The notification an event deserves, or null. */
export function notificationFor(e: PushedEvent): NotificationContent | null {
  if (e.event === 'app.error') {
    const { message } = e.payload as PushedEvent<'app.error'>['payload'];
    return { title: 'Eclectyc Energy: something went wrong', body: message };
  }
  if (e.event === 'imports.updated') {
    const { job } = e.payload as PushedEvent<'imports.updated'>['payload'];
    if (job.status !== 'failed') return null;
    return {
      title: job.dryRun ? 'Dry run failed' : 'Import failed',
      body: `${job.file}: ${job.lastError ?? 'the file could not be imported'}`,
      file: job.file,
    };
  }
  if (e.event === 'health.changed') {
    const { report, changes } = e.payload as PushedEvent<'health.changed'>['payload'];
    const worse = changes.filter((c) => c.status !== 'ok');
    const label = (name: string): string => report.checks.find((c) => c.name === name)?.label ?? name;
    if (worse.length === 0) return null;
    if (worse.length === 1)
      return { title: `Health: ${label(worse[0]!.check)} — ${worse[0]!.status}`, body: worse[0]!.detail };
    return {
      title: `Health: ${worse.length} checks need attention`,
      body: worse.map((c) => `${label(c.check)} — ${c.status}: ${c.detail}`).join('\n'),
    };
  }
  return null;
}

export interface NotifierOptions {
  show: (n: NotificationContent) => void;
  /** How long to gather notifications before showing them (ms). */
  windowMs?: number;
  setTimer?: (fn: () => void, ms: number) => unknown;
}

/** Returns an event listener that shows notifications, coalescing those within `windowMs`. */
export function createNotifier(opts: NotifierOptions): (e: PushedEvent) => void {
  const windowMs = opts.windowMs ?? 750;
  const setTimer = opts.setTimer ?? ((fn, ms) => setTimeout(fn, ms).unref?.());
  let pending: NotificationContent[] = [];
  const flush = () => {
    const items = pending;
    pending = [];
    if (items.length === 0) return;
    // An import that failed for good is reported twice by the core (the failed job, then an
    // app.error naming the file): show each failed file once, and each distinct message once.
    const failedFiles = items.flatMap((n) => (n.file ? [n.file] : []));
    const kept: NotificationContent[] = [];
    for (const n of items) {
      if (kept.some((k) => k.body === n.body)) continue;
      if (!n.file && failedFiles.some((f) => n.body.includes(f))) continue;
      kept.push(n);
    }
    const bodies = kept.map((k) => k.body);
    if (kept.length === 1) return opts.show({ title: kept[0]!.title, body: kept[0]!.body });
    opts.show({
      title: `Eclectyc Energy: ${bodies.length} problems`,
      body: bodies.slice(0, 4).join('\n') + (bodies.length > 4 ? `\n…and ${bodies.length - 4} more` : ''),
    });
  };
  return (e) => {
    const n = notificationFor(e);
    if (!n) return;
    pending.push(n);
    if (pending.length === 1) setTimer(flush, windowMs);
  };
}
