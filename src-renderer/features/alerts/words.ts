/**
 * Alerts and their rules in plain words: kinds, parameters ("Daily use above 500 kWh"), scopes,
 * severities, channels, values against thresholds, delivery states and a rule file's problems. Pure.
 */
import type {
  Alert,
  AlertChannel,
  AlertDelivery,
  AlertKind,
  AlertRule,
  AlertRuleImportResult,
  AlertRuleProblem,
  AlertSeverity,
  AlertStatus,
  MeterSummary,
  SiteSummary,
} from '../../../src-shared/contract/types';
import { CO2, formatKwh, formatShare, formatUkDate, plural } from '../../lib/format';

/** Each kind's name, as a list or a select shows it. */
export const KIND_LABEL: Record<AlertKind, string> = {
  'daily-kwh-above': 'Daily use above a limit',
  'halfhour-kw-above': 'Demand above a limit',
  'out-of-hours-share-above': 'Out-of-hours share above a limit',
  'baseload-increase': 'Baseload increase',
  exception: 'Unusual day',
  'data-missing': 'Readings missing',
  'zero-run': 'Run of zero readings',
  'cost-above': 'Cost above a limit',
  'capacity-share-above': 'Peak demand near capacity',
  'import-failed': 'Import failed',
  health: 'Health check',
  'carbon-intensity-below': 'Grid carbon intensity low',
  'carbon-intensity-above': 'Grid carbon intensity high',
};

/** Kinds about the app itself rather than meters: always for the whole app. */
export const SYSTEM_KINDS: readonly AlertKind[] = ['import-failed', 'health'];
/** Kinds about the grid: a site (its region) or the whole country. */
export const GRID_KINDS: readonly AlertKind[] = ['carbon-intensity-below', 'carbon-intensity-above'];

export type Scope = 'meter' | 'site' | 'all';

/** The scopes a kind may have, the first being the usual one. */
export function scopesOf(kind: AlertKind): Scope[] {
  if (SYSTEM_KINDS.includes(kind)) return ['all'];
  if (GRID_KINDS.includes(kind)) return ['all', 'site'];
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

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** A figure without trailing zeros: 500, 1,234.5, 0.25. */
function figure(v: unknown): string {
  const n = num(v);
  return n === null ? '?' : formatKwh(n, 2);
}

function pounds(v: unknown): string {
  const n = num(v);
  if (n === null) return '£?';
  return `£${new Intl.NumberFormat('en-GB', {
    minimumFractionDigits: Number.isInteger(n) ? 0 : 2,
    maximumFractionDigits: 2,
  }).format(n)}`;
}

const share = (v: unknown): string => (num(v) === null ? '?' : formatShare(num(v)));

function halfHours(v: unknown): string {
  const n = num(v);
  if (n === null) return '? half-hours';
  // whole hours read better than a count of half-hours
  return n >= 2 && n % 2 === 0 ? plural(n / 2, 'hour') : plural(n, 'half-hour');
}

/** A rule's condition in words: "Daily use above 500 kWh", "Demand above 80 kW for 3 half-hours in a row". */
export function conditionText(rule: Pick<AlertRule, 'kind'> & Record<string, unknown>): string {
  const p = rule;
  switch (rule.kind) {
    case 'daily-kwh-above':
      return `Daily use above ${figure(p.kwh)} kWh`;
    case 'halfhour-kw-above': {
      const n = num(p.consecutive) ?? 1;
      return `Demand above ${figure(p.kw)} kW${n > 1 ? ` for ${n} half-hours in a row` : ' in any half-hour'}`;
    }
    case 'out-of-hours-share-above':
      return `Out-of-hours use above ${share(p.share)} of a week’s use`;
    case 'baseload-increase':
      return `Baseload up more than ${figure(p.percent)} % on ${
        p.compare === 'last-year' ? 'the same week last year' : 'the previous 4 weeks'
      }`;
    case 'exception':
      return p.direction === 'below'
        ? 'A day’s use unusually low for its weekday'
        : p.direction === 'both'
          ? 'A day’s use unusually high or low for its weekday'
          : 'A day’s use unusually high for its weekday';
    case 'data-missing': {
      const parts: string[] = [];
      if (num(p.days) !== null) parts.push(`no readings for ${plural(num(p.days)!, 'day')}`);
      if (num(p.halfHours) !== null) parts.push(`${plural(num(p.halfHours)!, 'half-hour')} missing in a day`);
      const text = parts.join(' or ') || 'readings missing';
      return text[0]!.toUpperCase() + text.slice(1);
    }
    case 'zero-run':
      return `Zero use for ${halfHours(num(p.halfHours) ?? 4)} in a row`;
    case 'cost-above':
      return `Cost above ${pounds(p.gbp)} a ${p.per === 'month' ? 'month' : 'day'}`;
    case 'capacity-share-above':
      return `Peak demand above ${share(p.share)} of agreed capacity in a month`;
    case 'import-failed':
      return 'An import fails';
    case 'health': {
      const which = typeof p.check === 'string' && p.check ? `Health check “${p.check}”` : 'A health check';
      return p.level === 'fail' ? `${which} fails` : `${which} warns or fails`;
    }
    case 'carbon-intensity-below':
    case 'carbon-intensity-above':
      return `Grid carbon intensity ${rule.kind.endsWith('below') ? 'below' : 'above'} ${figure(p.gco2)} g${CO2}/kWh for ${halfHours(
        p.halfHours,
      )}`;
  }
}

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
    return GRID_KINDS.includes(rule.kind) ? `The region of ${name}` : `Each meter of ${name}`;
  }
  if (SYSTEM_KINDS.includes(rule.kind)) return 'The app';
  return GRID_KINDS.includes(rule.kind) ? 'Great Britain' : 'All meters';
}

/** How many meters the enabled rules watch (a site's meters, or all of them for an `all` rule). */
export function watchedMeters(rules: readonly AlertRule[], meters: readonly MeterSummary[]): number {
  const watched = new Set<string>();
  for (const r of rules) {
    if (!r.enabled || SYSTEM_KINDS.includes(r.kind) || GRID_KINDS.includes(r.kind)) continue;
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
  return u ? `${formatKwh(v, Math.abs(v) >= 100 ? 0 : 1)} ${u}` : formatKwh(v, 2);
}

/** An alert's figure against its rule's: "612 kWh (limit 500 kWh)", or '' when it has neither. */
export function valueText(a: Pick<Alert, 'value' | 'threshold' | 'unit'>): string {
  if (a.value === null && a.threshold === null) return '';
  if (a.threshold === null) return quantityText(a.value, a.unit);
  if (a.value === null) return `limit ${quantityText(a.threshold, a.unit)}`;
  return `${quantityText(a.value, a.unit)} (limit ${quantityText(a.threshold, a.unit)})`;
}

/** An alert's state in words, with its snooze: "Open", "Snoozed until 12 Jan 2025". */
export function alertStateText(a: Pick<Alert, 'status' | 'snoozedUntil'>): string {
  if (a.status !== 'resolved' && a.snoozedUntil) return `Snoozed until ${formatUkDate(`${a.snoozedUntil}T12:00:00Z`)}`;
  return STATUS_LABEL[a.status];
}

/** 1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st, 112th. */
export function ordinal(n: number): string {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
}

/** One problem of a rule file: "Rule r2 (2nd in the file), field kwh: expected a number". */
export function problemText(p: AlertRuleProblem): string {
  const where =
    p.index < 0
      ? 'The file'
      : p.rule
        ? `Rule ${p.rule} (${ordinal(p.index + 1)} in the file)`
        : `The ${ordinal(p.index + 1)} rule in the file`;
  return `${where}${p.field ? `, field ${p.field}` : ''}: ${p.message}`;
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
