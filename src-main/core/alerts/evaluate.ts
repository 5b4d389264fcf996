/**
 * What each meter-based alert rule finds in one meter's stored days (docs/alerts.md): pure
 * functions over the analyses' daily facts and packed half-hours, so a meter's days are read once
 * and every rule that watches it is judged on them. A finding names its period (a UK local day
 * `YYYY-MM-DD`, a week `YYYY-Www`, a month `YYYY-MM`, or the UTC start of a run `YYYY-MM-DDTHH:MMZ`);
 * `checked` says which periods the evaluation looked at, so an open alert for a checked period that
 * no longer holds can be resolved.
 */
import type { AlertRule } from '../../../src-shared/contract/types';
import { weekdayOf } from '../../../src-shared/domain/bank-holidays';
import { toLondonParts } from '../../../src-shared/domain/london-time';
import { dateOfDay, isoDay, localDayOf, MONTH_ABBR, periodLabel, weekStart } from '../../../src-shared/domain/periods';
import { exceptions, qualityScanIn, type DailyFacts, type Days, type RangeDays } from '../analytics/compute';

/** One condition found: one alert per rule, subject and period. */
export interface Finding {
  period: string;
  /** The first local day of the period (for its words and its chart). */
  day: number;
  message: string;
  value: number | null;
  threshold: number | null;
  unit: string | null;
  /** The chart that shows it (a renderer route). */
  link: string;
}

/** What a rule found for one subject, and which periods it looked at. */
export interface Judgement {
  findings: Finding[];
  checked: (period: string) => boolean;
}

/** One meter's days, read once for every rule that watches it (`v`, `f` and `cal` cover [from, to)). */
export interface MeterDays {
  identifier: string;
  capacityKva: number | null;
  v: Days;
  f: DailyFacts;
  cal: RangeDays;
  /** The evaluated local days [from, to): the meter's first day with data to the last day over before `at`. */
  from: number;
  to: number;
  /** UTC seconds of `at` (the evaluation's now). */
  at: number;
  /** UTC starts of the meter's first reading, and of its last reading before `at` (NaN: none). */
  firstTs: number;
  lastTs: number;
}

const r1 = (x: number): number => Math.round(x * 10) / 10;
const r2 = (x: number): number => Math.round(x * 100) / 100;
const r3 = (x: number): number => Math.round(x * 1000) / 1000;
/** `x` to one decimal, or as many more (up to 3) as it takes not to round onto `limit`. */
const closest = (x: number, limit: number): number => {
  for (const p of [10, 100, 1000])
    if (Math.round(x * p) / p !== Math.round(limit * p) / p) return Math.round(x * p) / p;
  return r3(x);
};
/** A number as people write it, "1,234.5" (rounded to `digits`; no trailing zeros). Intl is far slower. */
export function fmt(x: number, digits = 1): string {
  const p = 10 ** digits;
  const r = Math.round(x * p) / p;
  const [whole, frac] = String(Math.abs(r)).split('.');
  return `${r < 0 ? '-' : ''}${whole!.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${frac ? `.${frac}` : ''}`;
}

const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** A UK local day in words: "Wed 12 Feb 2025". */
export function dayText(day: number): string {
  const { y, m, d } = dateOfDay(day);
  return `${WEEKDAYS[weekdayOf(day)]} ${d} ${MONTH_ABBR[m - 1]} ${y}`;
}

/** "10:30", UK local. */
export function timeText(utc: number): string {
  const p = toLondonParts(utc);
  return `${pad2(p.hour)}:${pad2(p.minute)}`;
}
export const isoMinute = (utc: number): string => new Date(utc * 1000).toISOString().slice(0, 16) + 'Z';
const monthLabel = (day: number): string => periodLabel('month', day);

/** Renderer routes (src-renderer/lib/route.ts, features/meters/meter-view.ts). */
export const links = {
  day: (m: string, day: number): string => `#/meters/${encodeURIComponent(m)}?view=half-hourly&day=${isoDay(day)}`,
  at: (m: string, fromTs: number, days: number): string =>
    `#/meters/${encodeURIComponent(m)}?view=half-hourly&day=${isoDay(localDayOf(fromTs))}` +
    `${days > 1 ? `&days=${Math.min(31, days)}` : ''}&at=${new Date(fromTs * 1000).toISOString().replace('.000Z', 'Z')}`,
  analysis: (m: string, from: number, to: number): string =>
    `#/meters/${encodeURIComponent(m)}?view=analysis&from=${isoDay(from)}&to=${isoDay(to)}`,
};

const dayChecked =
  (from: number, to: number) =>
  (period: string): boolean =>
    /^\d{4}-\d{2}-\d{2}$/.test(period) && period >= isoDay(from) && period < isoDay(to);

/** Whole weeks (Monday to Sunday) inside [from, to). */
function weeksIn(from: number, to: number): number[] {
  const out: number[] = [];
  for (let w = weekStart(from) + (weekStart(from) < from ? 7 : 0); w + 7 <= to; w += 7) out.push(w);
  return out;
}

/** The months with days in [from, to), each with the part of it inside. */
function monthsIn(from: number, to: number): { start: number; a: number; b: number }[] {
  const out: { start: number; a: number; b: number }[] = [];
  let d = from;
  while (d < to) {
    const { y, m } = dateOfDay(d);
    const start = d - (dateOfDay(d).d - 1);
    const next = start + new Date(Date.UTC(y, m, 0)).getUTCDate();
    out.push({ start, a: d, b: Math.min(to, next) });
    d = next;
  }
  return out;
}

const setChecked =
  (periods: Iterable<string>) =>
  (period: string): boolean =>
    new Set(periods).has(period);

/** daily-kwh-above: each day's kWh above `kwh`. */
export function dailyKwhAbove(m: MeterDays, kwh: number): Judgement {
  const findings: Finding[] = [];
  for (let day = m.from; day < m.to; day++) {
    const i = day - m.f.fromDay;
    if (m.f.present[i]! === 0 || !(m.f.kwh[i]! > kwh)) continue;
    const x = r3(m.f.kwh[i]!);
    findings.push({
      period: isoDay(day),
      day,
      message: `Used ${fmt(x)} kWh in the day, above the limit of ${fmt(kwh)} kWh`,
      value: x,
      threshold: kwh,
      unit: 'kWh',
      link: links.day(m.identifier, day),
    });
  }
  return { findings, checked: dayChecked(m.from, m.to) };
}

/**
 * halfhour-kw-above: runs of at least `consecutive` half-hours whose demand (kWh × 2) is above `kw`,
 * runs continuing across midnight; one finding per day a run starts on.
 */
export function halfHourKwAbove(m: MeterDays, kw: number, consecutive: number): Judgement {
  const byDay = new Map<number, { runs: number; peak: number; firstTs: number; longest: number }>();
  const { v } = m;
  let runStart = NaN;
  let runLen = 0;
  let runPeak = 0;
  let expectTs = NaN;
  const close = (): void => {
    if (runLen >= consecutive) {
      const day = localDayOf(runStart);
      const e = byDay.get(day);
      if (!e) byDay.set(day, { runs: 1, peak: runPeak, firstTs: runStart, longest: runLen });
      else {
        e.runs++;
        e.peak = Math.max(e.peak, runPeak);
        e.longest = Math.max(e.longest, runLen);
      }
    }
    runLen = 0;
    runPeak = 0;
  };
  for (let i = 0; i < v.days.length; i++) {
    const day = v.days[i]!;
    if (day < m.from - 1 || day >= m.to) continue;
    const start = m.cal.start[day - m.cal.fromDay]!;
    for (let k = v.offsets[i]!, ts = start; k < v.offsets[i + 1]!; k++, ts += 1800) {
      const x = v.values[k]!;
      if (ts !== expectTs && runLen > 0) close();
      expectTs = ts + 1800;
      if (x === x && x * 2 > kw) {
        if (runLen === 0) runStart = ts;
        runLen++;
        runPeak = Math.max(runPeak, x * 2);
      } else if (runLen > 0) close();
    }
  }
  if (runLen > 0) close();
  const findings: Finding[] = [];
  for (const [day, e] of [...byDay].sort((a, b) => a[0] - b[0])) {
    if (day < m.from || day >= m.to) continue;
    const time = timeText(e.firstTs);
    findings.push({
      period: isoDay(day),
      day,
      message:
        `Demand above ${fmt(kw)} kW` +
        (consecutive > 1 ? ` for ${e.longest} half-hours in a row` : '') +
        ` from ${time}${e.runs > 1 ? ` (${e.runs} times that day)` : ''}, peaking at ${fmt(r1(e.peak))} kW`,
      value: r3(e.peak),
      threshold: kw,
      unit: 'kW',
      link: links.day(m.identifier, day),
    });
  }
  return { findings, checked: dayChecked(m.from, m.to) };
}

/** Share of a week's half-hours that must be present before its shares are judged. */
export const WEEK_MIN_PRESENT = 0.9;

/** out-of-hours-share-above: whole weeks whose use outside opening hours is above `share` of the total. */
export function outOfHoursShareAbove(m: MeterDays, share: number): Judgement {
  const findings: Finding[] = [];
  const weeks = weeksIn(m.from, m.to);
  for (const w of weeks) {
    let total = 0;
    let inHours = 0;
    let present = 0;
    let expected = 0;
    for (let day = w; day < w + 7; day++) {
      const i = day - m.f.fromDay;
      total += m.f.kwh[i]!;
      inHours += m.f.split[i * 4]!;
      present += m.f.present[i]!;
      expected += m.f.expected[i]!;
    }
    if (total <= 0 || present < WEEK_MIN_PRESENT * expected) continue;
    const s = 1 - inHours / total;
    if (!(s > share)) continue;
    // enough decimals that a share just over the limit never reads as equal to it ("40 % above 40 %")
    const pct = closest(s * 100, share * 100);
    findings.push({
      period: periodLabel('week', w),
      day: w,
      message: `${fmt(pct, 3)} % of the week's ${fmt(r1(total))} kWh was used outside opening hours, above ${fmt(r1(share * 100))} %`,
      value: pct,
      threshold: r1(share * 100),
      unit: '%',
      link: links.analysis(m.identifier, w, w + 7),
    });
  }
  return { findings, checked: setChecked(weeks.map((w) => periodLabel('week', w))) };
}

/** Mean baseload (kW) of the days [a, b) that have one, with how many. */
function baseloadOf(f: DailyFacts, a: number, b: number): { kw: number; days: number } {
  let sum = 0;
  let n = 0;
  for (let day = Math.max(a, f.fromDay); day < b; day++) {
    const x = f.baseload[day - f.fromDay]!;
    if (x === x) {
      sum += x;
      n++;
    }
  }
  return { kw: n ? sum / n : NaN, days: n };
}

/**
 * baseload-increase: a whole week's mean baseload against the previous 4 weeks' (at least 10 days
 * with a baseload) or the same week a year earlier (52 weeks back, at least 4 days); the week itself
 * needs at least 4 days with a baseload.
 */
export function baseloadIncrease(m: MeterDays, percent: number, compare: 'previous-4-weeks' | 'last-year'): Judgement {
  const findings: Finding[] = [];
  const weeks = weeksIn(m.from, m.to);
  for (const w of weeks) {
    const now = baseloadOf(m.f, w, w + 7);
    if (now.days < 4) continue;
    const ref = compare === 'last-year' ? baseloadOf(m.f, w - 364, w - 357) : baseloadOf(m.f, w - 28, w);
    if (ref.days < (compare === 'last-year' ? 4 : 10) || !(ref.kw > 0)) continue;
    const up = (now.kw / ref.kw - 1) * 100;
    if (!(up > percent)) continue;
    findings.push({
      period: periodLabel('week', w),
      day: w,
      message:
        `Baseload ${fmt(r2(now.kw), 2)} kW, up ${fmt(r1(up))} % on ${fmt(r2(ref.kw), 2)} kW ` +
        `${compare === 'last-year' ? 'in the same week last year' : 'over the previous 4 weeks'} (limit ${fmt(percent)} %)`,
      value: r3(now.kw),
      threshold: r3(ref.kw * (1 + percent / 100)),
      unit: 'kW',
      link: links.analysis(m.identifier, compare === 'last-year' ? w - 28 : w - 28, w + 7),
    });
  }
  return { findings, checked: setChecked(weeks.map((w) => periodLabel('week', w))) };
}

/** exception: whole days outside the analytics' exception band (same weekday, previous 8 weeks). */
export function exceptionDays(m: MeterDays, direction: 'above' | 'below' | 'both'): Judgement {
  const { hits } = exceptions(m.f, m.from, m.to);
  const findings: Finding[] = [];
  for (const h of hits) {
    const above = h.actual > h.expected;
    if ((direction === 'above' && !above) || (direction === 'below' && above)) continue;
    const limit = above ? h.expected + h.band : h.expected - h.band;
    findings.push({
      period: isoDay(h.day),
      day: h.day,
      message:
        `Used ${fmt(r1(h.actual))} kWh, ${above ? 'above' : 'below'} the usual ${fmt(r1(h.expected))} kWh ` +
        `± ${fmt(r1(h.band))} kWh for this weekday (previous ${h.weeks} weeks)`,
      value: r3(h.actual),
      threshold: r3(limit),
      unit: 'kWh',
      link: links.analysis(m.identifier, h.day - 55, h.day + 1),
    });
  }
  return { findings, checked: dayChecked(m.from, m.to) };
}

/** A meter's runs of half-hours without a value between two readings, and of zero readings. */
export interface Runs {
  gaps: { from: number; halfHours: number }[];
  zeros: { from: number; halfHours: number }[];
}

/**
 * One scan of the meter's half-hours in time order (runs continue across midnight). A gap is a hole
 * between readings: the stretch after the last reading is data not delivered yet, which
 * `data-missing`'s `days` judges (a daily feed would otherwise raise a "gap" every morning).
 */
export function runsIn(m: MeterDays): Runs {
  const q = qualityScanIn(m.v, m.cal, 0, m.cal.count, 1);
  return {
    gaps: q.gaps.filter((g) => g.from >= m.firstTs && g.from < m.lastTs),
    zeros: q.zeroRuns.filter((z) => z.from < m.at),
  };
}

/** data-missing, `halfHours`: gaps of at least N half-hours between readings. */
export function gapFindings(m: MeterDays, runs: Runs, minGap: number): Finding[] {
  return runs.gaps
    .filter((g) => g.halfHours >= minGap)
    .map((g) => ({
      period: isoMinute(g.from),
      day: localDayOf(g.from),
      message: `A gap of ${spanText(g.halfHours)} without readings from ${whenText(g.from)}`,
      value: g.halfHours,
      threshold: minGap,
      unit: 'half-hours',
      link: links.at(m.identifier, g.from, Math.ceil(g.halfHours / 48)),
    }));
}

/** zero-run: at least N zero readings in a row. */
export function zeroFindings(m: MeterDays, runs: Runs, minZeros: number): Finding[] {
  return runs.zeros
    .filter((z) => z.halfHours >= minZeros)
    .map((z) => ({
      period: isoMinute(z.from),
      day: localDayOf(z.from),
      message: `${z.halfHours} zero readings in a row from ${whenText(z.from)} (${spanText(z.halfHours)})`,
      value: z.halfHours,
      threshold: minZeros,
      unit: 'half-hours',
      link: links.at(m.identifier, z.from, Math.ceil(z.halfHours / 48)),
    }));
}

/** "Mon 6 Jan 2025 10:30" (UK local). */
export function whenText(utc: number): string {
  return `${dayText(localDayOf(utc))} ${timeText(utc)}`;
}

/** "3 half-hours", "1 day 2 hours", "14 days". */
export function spanText(halfHours: number): string {
  if (halfHours < 4) return `${halfHours} half-hour${halfHours === 1 ? '' : 's'}`;
  const hours = halfHours / 2;
  if (hours < 48) return `${fmt(hours)} hours`;
  return `${fmt(Math.floor(hours / 24))} days`;
}

/** capacity-share-above: each month's peak demand against the agreed capacity (kVA taken as kW). */
export function capacityShareAbove(m: MeterDays, share: number): Judgement {
  const cap = m.capacityKva;
  const months = monthsIn(m.from, m.to);
  const findings: Finding[] = [];
  if (cap === null || cap <= 0) return { findings, checked: () => false };
  for (const mo of months) {
    let peak = NaN;
    let peakDay = mo.a;
    for (let day = mo.a; day < mo.b; day++) {
      const p = m.f.peak[day - m.f.fromDay]!;
      if (p === p && !(p <= peak)) {
        peak = p;
        peakDay = day;
      }
    }
    if (peak !== peak) continue;
    const kw = peak * 2;
    if (!(kw > share * cap)) continue;
    findings.push({
      period: monthLabel(mo.start),
      day: mo.start,
      message:
        `Peak demand ${fmt(r1(kw))} kW on ${isoDay(peakDay)} is ${fmt(r1((kw / cap) * 100))} % of the agreed ` +
        `${fmt(cap)} kVA capacity, above ${fmt(r1(share * 100))} %`,
      value: r3(kw),
      threshold: r3(share * cap),
      unit: 'kW',
      link: links.day(m.identifier, peakDay),
    });
  }
  return { findings, checked: setChecked(months.map((mo) => monthLabel(mo.start))) };
}

/** Months and days of [from, to) for cost-above, as its periods. */
export function costPeriods(
  from: number,
  to: number,
  per: 'day' | 'month',
): { period: string; a: number; b: number }[] {
  if (per === 'month') return monthsIn(from, to).map((mo) => ({ period: monthLabel(mo.start), a: mo.a, b: mo.b }));
  const out: { period: string; a: number; b: number }[] = [];
  for (let d = from; d < to; d++) out.push({ period: isoDay(d), a: d, b: d + 1 });
  return out;
}

/** The parameters of a rule as numbers/strings (validated when the rule was saved). */
export const num = (rule: AlertRule, name: string, fallback = 0): number =>
  typeof rule[name] === 'number' ? (rule[name] as number) : fallback;
export const str = <T extends string>(rule: AlertRule, name: string, fallback: T): T =>
  typeof rule[name] === 'string' ? (rule[name] as T) : fallback;
