/**
 * When a schedule is next due: daily, weekly on a weekday or monthly on a day (1–28), at a UK local
 * time `HH:MM`, worked out on the Europe/London clock. In the repeated autumn hour a time runs once,
 * at its first (BST) occurrence; a time the spring change skips runs an hour later by the clock
 * (01:30 → 02:30 BST), the same instant it would have been on GMT. Also which cadences would deliver
 * one period again and again.
 */
import type { ScheduleCadence, ScheduleWhat } from '../../../src-shared/contract/types';
import { resolveLondon } from '../../../src-shared/domain/london-time';
import { dateOfDay, localDayOf } from '../../../src-shared/domain/periods';

/** ISO weekday of a UK local day: 1 = Monday … 7 = Sunday (day 0, 01/01/1970, was a Thursday). */
export const isoWeekday = (day: number): number => ((((day + 3) % 7) + 7) % 7) + 1;

/** Whether the schedule runs on the local day. */
function runsOn(c: ScheduleCadence, day: number): boolean {
  if (c.every === 'daily') return true;
  if (c.every === 'weekly') return isoWeekday(day) === c.weekday;
  return dateOfDay(day).d === c.day;
}

/** The UTC instant (ms) of the local time `HH:MM` on a UK local day (see the file's note on clock changes). */
export function localTimeOn(day: number, at: string): number {
  const [hour, minute] = at.split(':').map(Number) as [number, number];
  const { y, m, d } = dateOfDay(day);
  const r = resolveLondon(y, m, d, hour, minute);
  if (r.kind === 'ok') return r.utc * 1000;
  if (r.kind === 'ambiguous') return r.first * 1000;
  return Date.UTC(y, m - 1, d, hour, minute);
}

/** The first time (ms, UTC) the schedule is due strictly after `afterMs`. */
export function nextDue(c: ScheduleCadence, afterMs: number): number {
  const start = localDayOf(Math.floor(afterMs / 1000));
  for (let day = start; day <= start + 62; day++) {
    if (!runsOn(c, day)) continue;
    const t = localTimeOn(day, c.at);
    if (t > afterMs) return t;
  }
  throw new Error(`no due time within two months for ${JSON.stringify(c)}`);
}

/** The cadence in words: `Daily at 07:30`, `Mondays at 06:00`, `Monthly on day 2 at 08:00`. */
export function cadenceText(c: ScheduleCadence): string {
  if (c.every === 'daily') return `Daily at ${c.at}`;
  if (c.every === 'weekly')
    return `${['Mondays', 'Tuesdays', 'Wednesdays', 'Thursdays', 'Fridays', 'Saturdays', 'Sundays'][c.weekday - 1]} at ${c.at}`;
  return `Monthly on day ${c.day} at ${c.at}`;
}

/** The period a schedule's run covers, when each run covers one whole calendar period. */
function coveredPeriod(w: ScheduleWhat): 'week' | 'month' | 'year' | null {
  if (w.kind === 'export') return w.range === 'last-month' ? 'month' : null;
  return w.period;
}

/**
 * Why a cadence would deliver the same period more than once (a monthly digest every week sends
 * one month four times), naming the fix; null when it fits. A yearly report is left monthly at
 * most: there is no yearly cadence, and the form says it repeats.
 */
export function repeatProblem(w: ScheduleWhat, c: ScheduleCadence): string | null {
  const covered = coveredPeriod(w);
  if (covered === null || c.every === 'monthly') return null;
  if (covered === 'week' && c.every === 'weekly') return null;
  const name = covered === 'week' ? 'weekly' : covered === 'month' ? 'monthly' : 'yearly';
  const subject = w.kind === 'export' ? 'An export of the last month' : `A ${name} ${w.kind}`;
  const each = c.every === 'daily' ? 'every day' : 'every week';
  const fix = covered === 'week' ? 'Weekly' : 'Monthly';
  return `${subject} sent ${each} would deliver the same ${covered} again and again; set it to run ${fix}`;
}
