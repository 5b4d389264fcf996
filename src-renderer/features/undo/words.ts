/**
 * What the undo screens say: a roll-back's confirmation from its dry run, a range of UK days as the
 * user picks it (first and last day, both included) turned into the API's [from, to), and a
 * deletion's state in the "Recently deleted" list.
 */
import type { ImportJob, RollbackResult, TrashEntry } from '../../../src-shared/contract/types';
import { formatUkDate, formatUkDateTime, isIsoDay, parseUkDate, plural } from '../../lib/format';

/** The lines of a roll-back's confirmation: what goes, what comes back, what follows. */
export function rollbackLines(r: RollbackResult): string[] {
  const lines: string[] = [];
  const meters = r.meters.length === 1 ? `meter ${r.meters[0]}` : `${plural(r.meters.length, 'meter')}`;
  lines.push(
    r.readingsRemoved + r.valuesRestored === 0
      ? 'Nothing it wrote is still stored: later imports or deletions have replaced it all.'
      : `${plural(r.readingsRemoved, 'reading')} it added will be taken out${r.meters.length ? ` of ${meters}` : ''}.`,
  );
  if (r.valuesRestored > 0)
    lines.push(
      `${plural(r.valuesRestored, 'reading')} it replaced will get ${r.valuesRestored === 1 ? 'its earlier value' : 'their earlier values'} back.`,
    );
  for (const l of r.laterImports)
    lines.push(
      `${l.file} (imported after it) gave some of the same half-hours: its values will stay there, as if this import had never run.`,
    );
  if (r.metersRemoved.length)
    lines.push(
      `${r.metersRemoved.length === 1 ? `Meter ${r.metersRemoved[0]}` : `Meters ${r.metersRemoved.join(', ')}`}, ` +
        `created by this import, will have no readings left and will be deleted (you can put ${r.metersRemoved.length === 1 ? 'it' : 'them'} back from Activity → Recently deleted).`,
    );
  if (r.refetch)
    lines.push(`${r.refetch.source} will fetch the days from ${formatUkDate(r.refetch.from)} again on its next run.`);
  lines.push('Roll-ups, analyses and alerts are brought up to date straight away. The file can be imported again.');
  return lines;
}

/** The toast after a roll-back. */
export function rolledBackMessage(r: RollbackResult): string {
  const later = r.laterImports.reduce((s, l) => s + (l.readings ?? 0), 0);
  return (
    `${plural(r.readingsRemoved, 'reading')} taken out, ${plural(r.valuesRestored, 'value')} put back` +
    (later ? `, ${plural(later, 'half-hour')} now from later imports` : '') +
    (r.metersRemoved.length ? `; ${plural(r.metersRemoved.length, 'empty meter')} deleted` : '') +
    '.'
  );
}

/** The note under a rolled-back job: when and by whom. */
export function rolledBackNote(job: Pick<ImportJob, 'rolledBackAt' | 'rolledBackBy'>): string {
  const when = job.rolledBackAt ? ` on ${formatUkDateTime(job.rolledBackAt)}` : '';
  return `Rolled back${when}${job.rolledBackBy ? ` by ${job.rolledBackBy}` : ''}.`;
}

/** The day after an ISO day (`2024-03-31` → `2024-04-01`). */
export function nextDay(iso: string): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}

export type DayRange = { ok: true; from: string; to: string } | { ok: false; errors: Record<string, string> };

/**
 * The first and last day a user chose (DD/MM/YYYY fields, both included) as the API's range, `to`
 * exclusive; or a message per field.
 */
export function dayRange(first: string, last: string): DayRange {
  const errors: Record<string, string> = {};
  const check = (v: string, field: string): void => {
    if (isIsoDay(v)) return;
    const p = parseUkDate(v);
    errors[field] = p.ok ? 'Enter a day as DD/MM/YYYY, e.g. 01/03/2024.' : p.error;
  };
  check(first, 'first');
  check(last, 'last');
  if (Object.keys(errors).length) return { ok: false, errors };
  if (last < first) return { ok: false, errors: { last: 'The last day comes before the first: swap them.' } };
  return { ok: true, from: first, to: nextDay(last) };
}

/** A deletion's state for the list: "Put back on … by …", or how long it is still kept. */
export function trashState(e: TrashEntry, keptDays: number, now = Date.now()): string {
  if (e.restoredAt) return `Put back on ${formatUkDateTime(e.restoredAt)}${e.restoredBy ? ` by ${e.restoredBy}` : ''}`;
  const until = Date.parse(e.createdAt) + keptDays * 86_400_000;
  const left = Math.ceil((until - now) / 86_400_000);
  return left <= 1 ? 'Kept until tomorrow' : `Kept until ${formatUkDate(until)}`;
}

export const KIND_NAME: Record<TrashEntry['kind'], string> = { meter: 'Meter', site: 'Site', readings: 'Readings' };
