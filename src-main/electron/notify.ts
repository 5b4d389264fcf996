/**
 * Which core events become system notifications, and how they are coalesced: everything that
 * arrives within one short window is shown as a single notification, so a batch of failing files
 * (or an import's failure and the matching `app.error`) does not stack up a pile of toasts.
 */
import type { PushedEvent } from '../../src-shared/contract/events';
import { alertTitle, quantity, severityWord } from '../core/notify/format';

export interface NotificationContent {
  title: string;
  body: string;
  /** For a failed import: the file's name. */
  file?: string;
  /** The renderer route a click opens (`#/alerts/12`). */
  route?: string;
}

/** The notification an event deserves, or null. */
export function notificationFor(e: PushedEvent): NotificationContent | null {
  if (e.event === 'app.error') {
    const { message } = e.payload as PushedEvent<'app.error'>['payload'];
    return { title: 'Eclectyc Energy: something went wrong', body: message };
  }
  if (e.event === 'alerts.notify') {
    const { alerts } = e.payload as PushedEvent<'alerts.notify'>['payload'];
    if (alerts.length === 0) return null;
    if (alerts.length > 1)
      return {
        title: `Eclectyc Energy: ${alerts.length} alerts`,
        body: alerts
          .slice(0, 4)
          .map((a) => `${severityWord(a.severity)}: ${alertTitle(a)} — ${a.subjectLabel}`)
          .join('\n'),
        route: '#/alerts',
      };
    const a = alerts[0]!;
    return {
      title: `${severityWord(a.severity)}: ${alertTitle(a)}`,
      body: [a.subjectLabel, a.periodLabel, a.value !== null ? quantity(a.value, a.unit) : null]
        .filter(Boolean)
        .join(' · '),
      route: `#/alerts/${a.id}`,
    };
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
      if (kept.some((k) => k.body === n.body && k.route === n.route)) continue;
      if (!n.file && failedFiles.some((f) => n.body.includes(f))) continue;
      kept.push(n);
    }
    // an alert's title says what happened: keep it beside its body
    const bodies = kept.map((k) => (k.route ? `${k.title} — ${k.body}` : k.body));
    if (kept.length === 1) return opts.show(kept[0]!.route ? kept[0]! : { title: kept[0]!.title, body: kept[0]!.body });
    const alerts = kept.every((k) => k.route?.startsWith('#/alerts'));
    opts.show({
      ...(alerts ? { route: '#/alerts' } : {}),
      title: alerts ? 'Eclectyc Energy: new alerts' : `Eclectyc Energy: ${bodies.length} problems`,
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

/** The tray's tooltip: the app's name, and how many alerts are open. */
export const trayTooltip = (open: number): string =>
  open > 0 ? `Eclectyc Energy — ${open} open alert${open === 1 ? '' : 's'}` : 'Eclectyc Energy';

export interface AlertBadgeTargets {
  /** app.setBadgeCount (the dock / taskbar badge). */
  setBadgeCount: (n: number) => void;
  /** The tray's tooltip, when there is a tray. */
  setToolTip: (text: string) => void;
}

/** Returns an event listener that shows the open alerts' count (from `alerts.changed`) on the badge and the tray. */
export function createAlertBadge(t: AlertBadgeTargets): (e: PushedEvent) => void {
  let shown: number | null = null;
  return (e) => {
    if (e.event !== 'alerts.changed') return;
    const open = (e.payload as PushedEvent<'alerts.changed'>['payload']).counts.open;
    if (open === shown) return;
    shown = open;
    t.setBadgeCount(open);
    t.setToolTip(trayTooltip(open));
  };
}

/** Script that shows a route in the window (only app routes: `#/` and safe characters). */
export function routeScript(route: string): string | null {
  return /^#\/[\w/?=&.%-]*$/.test(route) ? `location.hash = ${JSON.stringify(route)}` : null;
}
