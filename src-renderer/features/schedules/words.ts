/**
 * Schedules in words: what a schedule makes ("Monthly report · Portfolio · PDF"), when it runs
 * ("Monthly on the 1st at 07:00"), where it delivers ("Email to anna@example.org",
 * `sftp://user@host:port/path` as the CLI writes it), its runs' results and their tones, a failed
 * run's error said once with its attempts folded apart, and a run in a line for the toast after Run
 * now. Pure.
 */
import type {
  ReportScope,
  ScheduleCadence,
  ScheduleDestination,
  ScheduleRun,
  ScheduleWhat,
} from '../../../src-shared/contract/types';
import { formatBytes } from '../../lib/format';

/** Names to put to ids: sites by id, meters' labels by MPAN (either may be missing). */
export interface ScopeNames {
  sites?: ReadonlyMap<number, string>;
  meters?: ReadonlyMap<string, string | null>;
}

export const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;

export const TABLE_LABEL: Record<Extract<ScheduleWhat, { kind: 'export' }>['table'], string> = {
  readings: 'Readings',
  days: 'Day totals',
  totals: 'Period totals',
  costs: 'Costs',
  emissions: 'Emissions',
  alerts: 'Alerts',
};

export const RANGE_LABEL: Record<Extract<ScheduleWhat, { kind: 'export' }>['range'], string> = {
  yesterday: 'yesterday',
  'last-7-days': 'the last 7 days',
  'last-month': 'last month',
};

export const RUN_STATUS_LABEL: Record<ScheduleRun['status'], string> = {
  ok: 'OK',
  failed: 'Failed',
  running: 'Running',
};

export const RUN_STATUS_TONE: Record<ScheduleRun['status'], 'green' | 'red' | 'blue'> = {
  ok: 'green',
  failed: 'red',
  running: 'blue',
};

/** "Portfolio", "Site ‘Leeds Depot’" (or "Site 3" unnamed), "Meter 1200050000009 (Main incomer)". */
export function scopeText(scope: ReportScope, names: ScopeNames = {}): string {
  if ('all' in scope) return 'Portfolio';
  if ('siteId' in scope) {
    const name = names.sites?.get(scope.siteId);
    return name ? `Site ‘${name}’` : `Site ${scope.siteId}`;
  }
  const label = names.meters?.get(scope.meter);
  return label ? `Meter ${scope.meter} (${label})` : `Meter ${scope.meter}`;
}

/** "Monthly report · Portfolio · PDF", "Readings CSV (wide) · Site ‘Leeds’ · last month", "Weekly digest · …" */
export function whatText(what: ScheduleWhat, names: ScopeNames = {}): string {
  const scope = scopeText(what.scope, names);
  if (what.kind === 'report')
    return `${what.period === 'month' ? 'Monthly report' : 'Annual (SECR) report'} · ${scope} · ${what.format.toUpperCase()}`;
  if (what.kind === 'export') {
    const layout = what.table === 'readings' && what.layout ? ` (${what.layout})` : '';
    return `${TABLE_LABEL[what.table]} CSV${layout} · ${scope} · ${RANGE_LABEL[what.range]}`;
  }
  return `${what.period === 'week' ? 'Weekly' : 'Monthly'} digest · ${scope}`;
}

/** 1st, 2nd, 3rd, 4th … 11th, 12th, 13th … 21st, 22nd, 23rd … 28th. */
export function ordinal(n: number): string {
  const teen = n % 100 >= 11 && n % 100 <= 13;
  const suffix = teen ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
}

/** "Daily at 07:00", "Weekly on Monday at 07:00", "Monthly on the 1st at 07:00" (UK time). */
export function cadenceText(c: ScheduleCadence): string {
  if (c.every === 'daily') return `Daily at ${c.at}`;
  if (c.every === 'weekly') return `Weekly on ${WEEKDAYS[c.weekday - 1] ?? `day ${c.weekday}`} at ${c.at}`;
  return `Monthly on the ${ordinal(c.day)} at ${c.at}`;
}

/** "Folder /srv/reports", "Email to a@x and b@y" (more: "a@x, b@y and 3 more"), "sftp://bureau@host:2222/in". */
export function destinationText(d: ScheduleDestination): string {
  if (d.kind === 'folder') return `Folder ${d.path}`;
  if (d.kind === 'email') {
    const to = d.to.length <= 2 ? d.to.join(' and ') : `${d.to.slice(0, 2).join(', ')} and ${d.to.length - 2} more`;
    return `Email to ${to}`;
  }
  return `sftp://${d.username}@${d.host}${d.port ? `:${d.port}` : ''}${d.path.startsWith('/') ? '' : '/'}${d.path}`;
}

/**
 * A finished run in a line: "monthly.pdf (41 KB) to email anna@example.org", or where it went when
 * that names the file ("folder /srv/reports/monthly.pdf (41 KB)"); a failed run's error.
 */
export function runText(r: ScheduleRun): string {
  if (r.status === 'running') return 'Still running';
  if (r.status === 'failed') return `${r.error ?? 'It failed, without saying why'}${triedText(r)}`;
  const size = r.bytes !== null ? ` (${formatBytes(r.bytes)})` : '';
  const tries = r.attempts > 1 ? `, at attempt ${r.attempts}` : '';
  const file = r.fileName ?? 'Delivered';
  if (r.target && r.fileName && r.target.includes(r.fileName)) return `${r.target}${size}${tries}`;
  return `${file}${size}${r.target ? ` to ${r.target}` : ''}${tries}`;
}

/** " (tried 3 times)" for a run that took more than one attempt, else "". */
export const triedText = (r: ScheduleRun): string => (r.attempts > 1 ? ` (tried ${r.attempts} times)` : '');

const ATTEMPT = /^Attempt (\d+) failed: ([\s\S]*); trying again in (.+)$/;

/**
 * A run's notes for its log row: the attempts that failed before the last (each in a short line,
 * "the same error" when it was the run's final error), apart from the other notes (a key pinned…).
 */
export function runNotes(r: ScheduleRun): { attempts: string[]; other: string[] } {
  const attempts: string[] = [];
  const other: string[] = [];
  for (const n of r.notes) {
    const m = ATTEMPT.exec(n);
    if (!m) other.push(n);
    else attempts.push(`Attempt ${m[1]}: ${m[2] === r.error ? 'the same error' : m[2]}; tried again after ${m[3]}`);
  }
  return { attempts, other };
}

/** Where a path may break: after a run of slashes or backslashes (a text with none is one piece). */
export const slashPieces = (text: string): string[] => text.split(/(?<=[/\\])(?![/\\])/);
