/**
 * The add/edit form of a schedule: a draft with every field the three parts need (what it makes,
 * when, where), the form's own checks by the names the core gives its problems (`what.scope.meter`,
 * `cadence.at`, `destination.to.1`, `secrets.password`…), the cadence that fits what it makes (and
 * a word when the cadence would send one period again and again), the `schedules.save` arguments,
 * and the arguments that switch a stored schedule on or off. Pure.
 */
import type { Args } from '../../../src-shared/contract/api';
import type { ReportScope, ScheduleSummary, ScheduleWhat } from '../../../src-shared/contract/types';
import { KEEP_SECRET, secretArg, secretWillBeSet, type Secret } from '../../lib/secrets';

export type SaveArgs = Args<'schedules.save'>;
type ExportWhat = Extract<ScheduleWhat, { kind: 'export' }>;

export type SftpSecret = 'password' | 'privateKey' | 'passphrase';
export const SFTP_SECRETS: readonly SftpSecret[] = ['password', 'privateKey', 'passphrase'];

export interface ScheduleDraft {
  name: string;
  enabled: boolean;
  // what
  kind: ScheduleWhat['kind'];
  scope: 'all' | 'site' | 'meter';
  siteId: string;
  meter: string;
  reportPeriod: 'month' | 'year';
  format: 'pdf' | 'html';
  table: ExportWhat['table'];
  range: ExportWhat['range'];
  layout: 'long' | 'wide';
  digestPeriod: 'week' | 'month';
  // when
  every: 'daily' | 'weekly' | 'monthly';
  weekday: number;
  day: string;
  at: string;
  // where
  dest: 'folder' | 'email' | 'sftp';
  path: string;
  to: string[];
  host: string;
  port: string;
  username: string;
  remotePath: string;
  secrets: Record<SftpSecret, Secret>;
  forgetHostKey: boolean;
}

export function newDraft(): ScheduleDraft {
  return {
    name: '',
    enabled: true,
    kind: 'report',
    scope: 'all',
    siteId: '',
    meter: '',
    reportPeriod: 'month',
    format: 'pdf',
    table: 'readings',
    range: 'last-month',
    layout: 'long',
    digestPeriod: 'month',
    every: 'monthly',
    weekday: 1,
    day: '1',
    at: '07:00',
    dest: 'folder',
    path: '',
    to: [''],
    host: '',
    port: '',
    username: '',
    remotePath: '',
    secrets: { password: KEEP_SECRET, privateKey: KEEP_SECRET, passphrase: KEEP_SECRET },
    forgetHostKey: false,
  };
}

/** The form for a stored schedule. */
export function draftOf(s: ScheduleSummary): ScheduleDraft {
  const d = newDraft();
  const w = s.what;
  const c = s.cadence;
  const to = s.destination;
  return {
    ...d,
    name: s.name,
    enabled: s.enabled,
    kind: w.kind,
    scope: 'all' in w.scope ? 'all' : 'siteId' in w.scope ? 'site' : 'meter',
    siteId: 'siteId' in w.scope ? String(w.scope.siteId) : '',
    meter: 'meter' in w.scope ? w.scope.meter : '',
    ...(w.kind === 'report' ? { reportPeriod: w.period, format: w.format } : {}),
    ...(w.kind === 'export' ? { table: w.table, range: w.range, layout: w.layout ?? 'long' } : {}),
    ...(w.kind === 'digest' ? { digestPeriod: w.period } : {}),
    every: c.every,
    at: c.at,
    ...(c.every === 'weekly' ? { weekday: c.weekday } : {}),
    ...(c.every === 'monthly' ? { day: String(c.day) } : {}),
    dest: to.kind,
    ...(to.kind === 'folder' ? { path: to.path } : {}),
    ...(to.kind === 'email' ? { to: [...to.to] } : {}),
    ...(to.kind === 'sftp'
      ? { host: to.host, port: to.port ? String(to.port) : '', username: to.username, remotePath: to.path }
      : {}),
  };
}

/** The calendar period each run covers, when it covers one whole period. */
function coveredPeriod(d: ScheduleDraft): 'week' | 'month' | 'year' | null {
  if (d.kind === 'report') return d.reportPeriod;
  if (d.kind === 'digest') return d.digestPeriod;
  return d.range === 'last-month' ? 'month' : null;
}

/**
 * The draft with a change to what it makes, its cadence set to fit: a weekly digest weekly, a
 * monthly digest, a report or a last-month export monthly; other exports keep theirs.
 */
export function withWhat(d: ScheduleDraft, patch: Partial<ScheduleDraft>): ScheduleDraft {
  const next = { ...d, ...patch };
  const covered = coveredPeriod(next);
  if (covered === null) return next;
  return { ...next, every: covered === 'week' ? 'weekly' : 'monthly' };
}

/**
 * Why the cadence would deliver one period again and again, naming the fix (the core refuses
 * these too), or null.
 */
export function repeatError(d: ScheduleDraft): string | null {
  const covered = coveredPeriod(d);
  if (covered === null || d.every === 'monthly' || (covered === 'week' && d.every === 'weekly')) return null;
  const times = { week: { daily: 7 }, month: { daily: 30, weekly: 4 }, year: { daily: 365, weekly: 52 } }[covered];
  const n = (times as Record<string, number>)[d.every]!;
  const what =
    d.kind === 'export'
      ? 'An export of last month'
      : `A ${covered === 'week' ? 'weekly' : covered === 'month' ? 'monthly' : 'yearly'} ${d.kind}`;
  return `${what} every ${d.every === 'daily' ? 'day' : 'week'} would send the same ${covered} about ${n} times: choose ${covered === 'week' ? 'Week' : 'Month'}`;
}

/** A word on a cadence that fits but repeats by design (a yearly report monthly), or null. */
export function cadenceHint(d: ScheduleDraft): string | null {
  if (coveredPeriod(d) !== 'year' || d.every !== 'monthly') return null;
  return (
    'There is no yearly cadence: each run sends the last whole calendar year, so the same year arrives ' +
    'every month. Run it on a day in January and switch it off after, if once a year is enough.'
  );
}

const CLOCK = /^([01]\d|2[0-3]):[0-5]\d$/;
/** An address of the shape the core accepts: letters, digits and `_ ' + - .` before the @, a dotted domain after. */
const EMAIL = /^(?:[\w'+-]+\.)*[\w'+-]*[\w+-]@(?:[A-Za-z0-9][A-Za-z0-9-]*\.)+[A-Za-z]{2,}$/;
const isAbsolute = (p: string): boolean => p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\\\');

/** Splits what was typed or pasted into one recipient field ("a@x.org; b@y.org", a line each) into addresses. */
export function splitRecipients(text: string): string[] {
  return text
    .split(/[,;\n]+/)
    .map((x) => x.trim())
    .filter(Boolean);
}

/**
 * The arguments for `schedules.save`, or the form's messages by the field names the core uses.
 * `stored` names the secrets the schedule has now (none for a new one).
 */
export function scheduleArgs(
  d: ScheduleDraft,
  id: number | null,
  stored: readonly string[] = [],
): { ok: true; args: SaveArgs } | { ok: false; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const t = (v: string): string => v.trim();
  if (!t(d.name)) errors.name = 'Give the schedule a name, e.g. Monthly pack for finance';

  let scope: ReportScope = { all: true };
  if (d.scope === 'site') {
    if (!/^[1-9]\d*$/.test(d.siteId)) errors['what.scope.siteId'] = 'Choose a site';
    scope = { siteId: Number(d.siteId) };
  } else if (d.scope === 'meter') {
    if (!t(d.meter)) errors['what.scope.meter'] = 'Choose a meter';
    scope = { meter: t(d.meter) };
  }
  const what: ScheduleWhat =
    d.kind === 'report'
      ? { kind: 'report', scope, period: d.reportPeriod, format: d.format }
      : d.kind === 'export'
        ? {
            kind: 'export',
            table: d.table,
            scope,
            range: d.range,
            ...(d.table === 'readings' ? { layout: d.layout } : {}),
          }
        : { kind: 'digest', scope, period: d.digestPeriod };

  const repeats = repeatError(d);
  if (repeats) errors['cadence.every'] = repeats;
  if (!CLOCK.test(t(d.at))) errors['cadence.at'] = 'Give a UK time as HH:MM, e.g. 07:00';
  const day = Number(t(d.day));
  if (d.every === 'monthly' && (!/^\d+$/.test(t(d.day)) || day < 1 || day > 28))
    errors['cadence.day'] = 'A day from 1 to 28 (every month has them)';
  const cadence: SaveArgs['cadence'] =
    d.every === 'daily'
      ? { every: 'daily', at: t(d.at) }
      : d.every === 'weekly'
        ? { every: 'weekly', weekday: d.weekday, at: t(d.at) }
        : { every: 'monthly', day, at: t(d.at) };

  if (d.kind === 'digest' && d.dest !== 'email')
    errors['destination.kind'] = 'A digest is an email: send it to email recipients';
  let destination: SaveArgs['destination'];
  const secrets: NonNullable<SaveArgs['secrets']> = {};
  if (d.dest === 'folder') {
    if (!t(d.path)) errors['destination.path'] = 'Give the folder to save the files in, as a full path';
    else if (!isAbsolute(t(d.path)))
      errors['destination.path'] = 'Give the full path, e.g. /srv/reports or \\\\server\\share\\reports';
    destination = { kind: 'folder', path: t(d.path) };
  } else if (d.dest === 'email') {
    const to = d.to.map(t);
    to.forEach((x, i) => {
      if (x && !EMAIL.test(x)) errors[`destination.to.${i}`] = `“${x}” is not an email address`;
    });
    const given = to.filter(Boolean);
    if (given.length === 0) errors['destination.to'] = 'Give at least one recipient';
    else if (given.length > 50) errors['destination.to'] = 'At most 50 recipients';
    else if (new Set(given.map((x) => x.toLowerCase())).size < given.length)
      errors['destination.to'] = 'A recipient is given twice';
    // the blank rows are dropped, so the core's indexes would not match the rows: the form's come first
    destination = { kind: 'email', to: given };
  } else {
    if (!t(d.host)) errors['destination.host'] = 'Give the SFTP server’s name or address';
    const port = t(d.port);
    if (port && (!/^\d+$/.test(port) || Number(port) < 1 || Number(port) > 65535))
      errors['destination.port'] = 'Give a port number (usually 22)';
    if (!t(d.username)) errors['destination.username'] = 'Give the user name to sign in with';
    if (!t(d.remotePath)) errors['destination.path'] = 'Give the folder on the server, e.g. /inbox';
    const set = (n: SftpSecret) => secretWillBeSet(d.secrets[n], stored.includes(n));
    if (!set('password') && !set('privateKey'))
      errors['secrets.password'] = 'Set a password or a private key to sign in with';
    destination = {
      kind: 'sftp',
      host: t(d.host),
      ...(port ? { port: Number(port) } : {}),
      username: t(d.username),
      path: t(d.remotePath),
    };
    for (const n of SFTP_SECRETS) {
      const v = secretArg(d.secrets[n], n === 'privateKey');
      if (v !== undefined) secrets[n] = v;
    }
  }
  if (Object.keys(errors).length) return { ok: false, errors };
  return {
    ok: true,
    args: {
      ...(id !== null ? { id } : {}),
      name: t(d.name),
      what,
      cadence,
      destination,
      enabled: d.enabled,
      ...(Object.keys(secrets).length ? { secrets } : {}),
      ...(d.dest === 'sftp' && d.forgetHostKey ? { forgetHostKey: true } : {}),
    },
  };
}

/** The arguments that switch a stored schedule on or off, leaving the rest (and its secrets) as they are. */
export function toggleArgs(s: ScheduleSummary, enabled: boolean): SaveArgs {
  return { id: s.id, name: s.name, what: s.what, cadence: s.cadence, destination: s.destination, enabled };
}

/**
 * The core's problems placed on the form's rows: an email recipient's index counts only the rows
 * that were not blank (those are dropped before saving), so it is mapped back to its row.
 */
export function placeErrors(errors: Record<string, string>, d: ScheduleDraft): Record<string, string> {
  const rows = d.to.map((x, i) => [x.trim(), i] as const).filter(([x]) => x !== '');
  const out: Record<string, string> = {};
  for (const [k, m] of Object.entries(errors)) {
    const hit = /^destination\.to\.(\d+)$/.exec(k);
    const row = hit ? rows[Number(hit[1])] : undefined;
    out[row ? `destination.to.${row[1]}` : k] = m;
  }
  return out;
}
