/**
 * The inbox's filters: as the page's query (`#/alerts?status=all&severity=critical`), as alerts.list's
 * arguments, and the meter text matched against each alert; the empty inbox's words. Pure.
 */
import type { Args } from '../../../src-shared/contract/api';
import {
  ALERT_KINDS,
  type Alert,
  type AlertCheckResult,
  type AlertKind,
  type AlertSeverity,
} from '../../../src-shared/contract/types';
import { formatUkDateTime, plural } from '../../lib/format';

export interface InboxFilter {
  status: 'open' | 'acknowledged' | 'resolved' | 'all';
  severity: AlertSeverity | '';
  kind: AlertKind | '';
  /** Text matched against the subject (an MPAN, a check's name) and its name. */
  meter: string;
  snoozed: boolean;
}

export const DEFAULT_FILTER: InboxFilter = { status: 'open', severity: '', kind: '', meter: '', snoozed: false };

const STATUSES = ['open', 'acknowledged', 'resolved', 'all'] as const;
const SEVERITIES = ['info', 'warning', 'critical'] as const;

/** The filter a hash's query asks for (anything not understood is left at its default). */
export function filterOfHash(hash: string): InboxFilter {
  const q = new URLSearchParams(hash.includes('?') ? hash.slice(hash.indexOf('?') + 1) : '');
  const status = q.get('status');
  const severity = q.get('severity');
  const kind = q.get('kind');
  return {
    status: STATUSES.find((s) => s === status) ?? DEFAULT_FILTER.status,
    severity: SEVERITIES.find((s) => s === severity) ?? '',
    kind: ALERT_KINDS.find((k) => k === kind) ?? '',
    meter: q.get('meter') ?? '',
    snoozed: q.get('snoozed') === '1',
  };
}

/** The inbox's hash for a filter; defaults are left out (`#/alerts` for the open alerts). */
export function hashOfFilter(f: InboxFilter): string {
  const q = new URLSearchParams();
  if (f.status !== DEFAULT_FILTER.status) q.set('status', f.status);
  if (f.severity) q.set('severity', f.severity);
  if (f.kind) q.set('kind', f.kind);
  if (f.meter.trim()) q.set('meter', f.meter.trim());
  if (f.snoozed) q.set('snoozed', '1');
  const s = q.toString();
  return s ? `#/alerts?${s}` : '#/alerts';
}

/** alerts.list's arguments for a filter (the meter text is matched here, not by the core). */
export function listArgs(f: InboxFilter): Args<'alerts.list'> {
  return {
    ...(f.status !== 'all' ? { status: f.status } : {}),
    ...(f.severity ? { severity: f.severity } : {}),
    ...(f.kind ? { kind: f.kind } : {}),
    ...(f.snoozed ? { includeSnoozed: true } : {}),
    limit: 1000,
  };
}

/** Whether an alert's subject or its name holds the text (spaces ignored, any case). */
export function matchesText(a: Pick<Alert, 'subject' | 'subjectLabel'>, text: string): boolean {
  const t = text.replace(/\s+/g, '').toLowerCase();
  if (!t) return true;
  return `${a.subject}|${a.subjectLabel}`.replace(/\s+/g, '').toLowerCase().includes(t);
}

/** Whether the filter shows more than the open alerts (so an empty list is not "no open alerts"). */
export function isNarrowed(f: InboxFilter): boolean {
  return f.severity !== '' || f.kind !== '' || f.meter.trim() !== '' || f.status !== 'open';
}

/** "No open alerts. Rules watch 12 meters; last checked 6 Jan 2025 09:30." */
export function emptyInboxText(watched: number, rules: number, lastChecked: string | null): string {
  if (rules === 0) return 'No open alerts. No rules are set yet: add one to be told when a meter needs attention.';
  const check = lastChecked ? `; last checked ${formatUkDateTime(lastChecked)}` : '';
  return `No open alerts. ${plural(rules, 'rule')} ${rules === 1 ? 'watches' : 'watch'} ${plural(watched, 'meter')}${check}.`;
}

/** What a check found: "Checked 5 rules: 2 alerts fired, 1 resolved". */
export function checkText(r: Pick<AlertCheckResult, 'rules' | 'fired' | 'resolved' | 'unchanged'>): string {
  const found: string[] = [];
  found.push(r.fired.length === 0 ? 'no new alerts' : `${plural(r.fired.length, 'alert')} fired`);
  if (r.resolved > 0) found.push(`${r.resolved.toLocaleString('en-GB')} resolved as the condition cleared`);
  if (r.unchanged > 0) found.push(`${r.unchanged.toLocaleString('en-GB')} still open`);
  return `Checked ${plural(r.rules, 'rule')}: ${found.join(', ')}`;
}
