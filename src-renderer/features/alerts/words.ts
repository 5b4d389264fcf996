/**
 * Alerts and their rules in plain words, beside the rules' own (src-shared/domain/alert-rules.ts:
 * kinds, conditions, a rule file's problems): scopes, severities, channels, values against
 * thresholds, states and delivery states, and what an import did. Pure.
 */
import type {
  Alert,
  AlertChannel,
  AlertDelivery,
  AlertKind,
  AlertRule,
  AlertRuleImportResult,
  AlertSeverity,
  AlertStatus,
  MeterSummary,
  SiteSummary,
} from '../../../src-shared/contract/types';
import { CARBON_KINDS, SYSTEM_KINDS } from '../../../src-shared/domain/alert-rules';
import { isoDay, localDayOf } from '../../../src-shared/domain/periods';
import { CO2, formatKwh, formatShare, formatUkDate, formatUkDateTime, plural } from '../../lib/format';

export type Scope = 'meter' | 'site' | 'all';

/** The scopes a kind may have, the first being the usual one. */
export function scopesOf(kind: AlertKind): Scope[] {
  if (SYSTEM_KINDS.includes(kind)) return ['all'];
  if (CARBON_KINDS.includes(kind)) return ['all', 'site'];
  return ['meter', 'site', 'all'];
}

export const SEVERITY_LABEL: Record<AlertSeverity, string> = {
  info: 'Info',
  warning: 'Warning',
  critical: 'Critical',
};

/** A severity's badge colour (badge-tone-*). */
export const SEVERITY_TONE: Record<AlertSeverity, 'blue' | 'amber' | 'red'> = {
  info: 'blue',
  warning: 'amber',
  critical: 'red',
};

export const CHANNEL_LABEL: Record<AlertChannel, string> = {
  tray: 'Desktop notification',
  email: 'Email',
  slack: 'Slack',
  webhook: 'Webhook',
};

export const STATUS_LABEL: Record<AlertStatus, string> = {
  open: 'Open',
  acknowledged: 'Acknowledged',
  resolved: 'Resolved',
};

export const DELIVERY_LABEL: Record<AlertDelivery['status'], string> = {
  queued: 'Waiting to send',
  sent: 'Sent',
  retrying: 'Will retry',
  failed: 'Failed',
  held: 'Held (quiet hours or digest)',
};

const pounds = (v: number): string =>
  `£${new Intl.NumberFormat('en-GB', {
    minimumFractionDigits: Number.isInteger(v) ? 0 : 2,
    maximumFractionDigits: 2,
  }).format(v)}`;

/** Whom a rule watches: "Meter 1200050000009 · Main school", "Each meter of Bath school", "All meters". */
export function scopeText(
  rule: Pick<AlertRule, 'kind' | 'meter' | 'site' | 'all'>,
  meters: readonly MeterSummary[] | null,
  sites: readonly SiteSummary[] | null,
): string {
  if (rule.meter) {
    const m = meters?.find((x) => x.mpan === rule.meter);
    return m?.label ? `Meter ${rule.meter} · ${m.label}` : `Meter ${rule.meter}`;
  }
  if (rule.site !== undefined) {
    const name = sites?.find((s) => s.id === rule.site)?.name ?? `site ${rule.site}`;
    return CARBON_KINDS.includes(rule.kind) ? `The region of ${name}` : `Each meter of ${name}`;
  }
  if (SYSTEM_KINDS.includes(rule.kind)) return 'The app';
  return CARBON_KINDS.includes(rule.kind) ? 'Great Britain' : 'All meters';
}

/** How many meters the enabled rules watch (a site's meters, or all of them for an `all` rule). */
export function watchedMeters(rules: readonly AlertRule[], meters: readonly MeterSummary[]): number {
  const watched = new Set<string>();
  for (const r of rules) {
    if (!r.enabled || SYSTEM_KINDS.includes(r.kind) || CARBON_KINDS.includes(r.kind)) continue;
    if (r.meter) watched.add(r.meter);
    else for (const m of meters) if (r.all || (r.site !== undefined && m.siteId === r.site)) watched.add(m.mpan);
  }
  return watched.size;
}

/** A value in its unit: `612.4 kWh`, `£41.20`, `38 %`, `95 gCO₂/kWh`. */
export function quantityText(v: number | null, unit: string | null): string {
  if (v === null || !Number.isFinite(v)) return '—';
  const u = (unit ?? '').replace(/CO2/g, CO2);
  if (u === '£' || u.toUpperCase() === 'GBP') return pounds(v);
  if (u === 'share') return formatShare(v);
  if (u === '%') return `${formatKwh(v, 1)} %`;
  return u ? `${formatKwh(v, Math.abs(v) >= 1000 ? 0 : 1)} ${u}` : formatKwh(v, 2);
}

/** An alert's figure against its rule's: "612 kWh (limit 500 kWh)", or '' when it has neither. */
export function valueText(a: Pick<Alert, 'value' | 'threshold' | 'unit'>): string {
  if (a.value === null && a.threshold === null) return '';
  if (a.threshold === null) return quantityText(a.value, a.unit);
  if (a.value === null) return `limit ${quantityText(a.threshold, a.unit)}`;
  return `${quantityText(a.value, a.unit)} (limit ${quantityText(a.threshold, a.unit)})`;
}

/**
 * The alert's period in words: its label, or — for a label still in the `from/to` instants form —
 * "Since 5 Nov 2019 00:00" or "5 Nov 2019 00:00 to 6 Nov 2019 12:30" (UK time).
 */
export function periodText(a: Pick<Alert, 'periodLabel'>): string {
  const m = /^(\d{4}-\d{2}-\d{2}T[^/]*)\/(.*)$/.exec(a.periodLabel);
  if (!m) return a.periodLabel;
  const to = m[2]!;
  const toMs = Date.parse(to);
  return to === '..' || to === '' || Number.isNaN(toMs)
    ? `Since ${formatUkDateTime(m[1]!)}`
    : `${formatUkDateTime(m[1]!)} to ${formatUkDateTime(toMs)}`;
}

/** The UK day a snooze ends (`YYYY-MM-DD`), given as that day or as the instant it starts. */
export function snoozeDay(until: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(until) ? until : isoDay(localDayOf(Math.floor(Date.parse(until) / 1000)));
}

/** An alert's state in words, with its snooze: "Open", "Snoozed until 12 Jan 2025". */
export function alertStateText(a: Pick<Alert, 'status' | 'snoozedUntil'>): string {
  if (a.status !== 'resolved' && a.snoozedUntil)
    return `Snoozed until ${formatUkDate(`${snoozeDay(a.snoozedUntil)}T12:00:00Z`)}`;
  return STATUS_LABEL[a.status];
}

/** An import's outcome: "3 rules to create, 1 to update" (a preview) or "3 rules created, 1 updated". */
export function importText(
  r: Pick<AlertRuleImportResult, 'created' | 'updated' | 'removed'>,
  preview: boolean,
): string {
  const parts: [number, string, string][] = [
    [r.created, 'to create', 'created'],
    [r.updated, 'to update', 'updated'],
    [r.removed, 'to remove', 'removed'],
  ];
  const shown = parts.filter(([n]) => n > 0);
  if (shown.length === 0) return preview ? 'Nothing to change' : 'Nothing changed';
  return shown
    .map(([n, future, past], i) => {
      const words = preview ? future : past;
      return i === 0 ? `${plural(n, 'rule')} ${words}` : `${n.toLocaleString('en-GB')} ${words}`;
    })
    .join(', ');
}
