/**
 * The analyses (docs/analytics.md, issue 14) through the contract on a real core: generated meters
 * (a seeded generator) imported as CSV files, a site with opening hours and a closure, weather
 * imported as CSV text. Every figure is checked against a calculation written here from the
 * generated half-hours alone — their UTC instants and the Europe/London wall clock from Intl, a
 * hand-written list of bank holidays — never the app's calendar, classing or analysis helpers.
 *
 * The electricity meter runs 16 Oct 2023 to 28 Apr 2024: both clock changes (29 Oct 2023 with 50
 * half-hours, 31 Mar 2024 with 46), Christmas, New Year, Good Friday and Easter Monday, a closure
 * (12–16 Feb 2024), absent half-hours and half-hours listed with no value, zero runs of 3, 4 and 10
 * (the 10 across the spring change), two spikes, a day of large excess and an unusually low day,
 * estimated readings, and two negative half-hours. Negative values are refused by every import
 * format, so those two are written through the readings store's whole-day write, as data that
 * reached the store another way (an upgrade) would be.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../app';
import { dispatch } from '../rpc/dispatch';
import { makeCore, writeTemp } from '../../../tests/helpers/core';
import type {
  BaselineResult,
  CusumResult,
  EnqueuedPaths,
  ExceptionsReport,
  ImportJob,
  MeterAnalysis,
  MeterQuality,
  PortfolioAnalysis,
  QualityReport,
  SiteSummary,
} from '../../../src-shared/contract/types';
import { prng } from '../../../tests/helpers/random';

const ELEC = '1012477457919';
const GAS = '1234567890';
const LONE = '7654321';
const HOURS = 'mon-fri 08:00-18:00; sat 09:00-12:30';
const DATA_FROM = '2023-10-16';
const DATA_TO = '2024-04-29';
const NOW = Date.parse('2024-05-01T12:00:00Z');
const ctx = { role: 'admin' as const, actor: 'test', inProcess: true };

// ---------------------------------------------------------------- calendar, independently

const london = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  weekday: 'short',
  hourCycle: 'h23',
});
const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/** One generated half-hour: its UTC start (s), London date, weekday (Monday 0) and wall-clock minute. */
interface HH {
  t: number;
  date: string;
  weekday: number;
  minute: number;
  /** null: no value (absent from the file, or listed with an empty value). */
  kwh: number | null;
  /** Listed in the file (with `kwh`, or empty when kwh is null). */
  listed: boolean;
  estimated: boolean;
}

const addDays = (date: string, n: number): string =>
  new Date(Date.parse(`${date}T00:00:00Z`) + n * 86400000).toISOString().slice(0, 10);
const iso = (t: number): string => new Date(t * 1000).toISOString().replace('.000Z', 'Z');

/** Every half-hour whose London date is in [from, to), in time order, found by scanning UTC instants. */
function timeline(from: string, to: string): HH[] {
  const out: HH[] = [];
  const end = Date.parse(`${to}T03:00:00Z`) / 1000;
  for (let t = Date.parse(`${from}T00:00:00Z`) / 1000 - 3 * 3600; t < end; t += 1800) {
    const p = Object.fromEntries(london.formatToParts(new Date(t * 1000)).map((x) => [x.type, x.value]));
    const date = `${p.year}-${p.month}-${p.day}`;
    if (date < from || date >= to) continue;
    const minute = Number(p.hour) * 60 + Number(p.minute);
    out.push({ t, date, weekday: WEEKDAYS.indexOf(p.weekday!), minute, kwh: null, listed: false, estimated: false });
  }
  return out;
}

/** England & Wales bank holidays in the data (gov.uk). */
const BANK_HOLIDAYS = new Set(['2023-12-25', '2023-12-26', '2024-01-01', '2024-03-29', '2024-04-01']);
/** The site's closure, 12 Feb 2024 to 17 Feb 2024 exclusive. */
const CLOSED = new Set(['2024-02-12', '2024-02-13', '2024-02-14', '2024-02-15', '2024-02-16']);
/** The site's hours per weekday (Monday 0), in wall-clock minutes. */
const SITE_HOURS: [number, number][][] = [
  [[480, 1080]],
  [[480, 1080]],
  [[480, 1080]],
  [[480, 1080]],
  [[480, 1080]],
  [[540, 750]],
  [],
];
type Cls = 'in' | 'out' | 'weekend' | 'holiday';
function classOf(h: HH, hours = SITE_HOURS): Cls {
  if (BANK_HOLIDAYS.has(h.date) || CLOSED.has(h.date)) return 'holiday';
  const ranges = hours[h.weekday]!;
  if (ranges.length === 0) return 'weekend';
  return ranges.some(([a, b]) => h.minute >= a && h.minute < b) ? 'in' : 'out';
}

const round3 = (x: number): number => Math.round(x * 1000) / 1000;

// ---------------------------------------------------------------- the generated meters

/** The electricity meter's half-hours over a wider window than its data (so ranges can run past it). */
const elec = timeline('2023-10-09', '2024-05-06');
const elecAt = (date: string, hhmm: string, occurrence = 0): HH => {
  const minute = Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));
  const hit = elec.filter((h) => h.date === date && h.minute === minute)[occurrence];
  if (!hit) throw new Error(`no half-hour ${date} ${hhmm}`);
  return hit;
};
const elecRun = (date: string, hhmm: string, n: number): HH[] => {
  const i = elec.indexOf(elecAt(date, hhmm));
  return elec.slice(i, i + n);
};
/** Negative half-hours written through the store after the import. */
const NEGATIVES: [string, string, number][] = [
  ['2024-02-06', '03:00', -0.5],
  ['2024-03-05', '04:30', -1.25],
];

function generateElectricity(): void {
  const rnd = prng(20240331);
  for (const h of elec) {
    if (h.date < DATA_FROM || h.date >= DATA_TO) continue;
    const c = classOf(h);
    h.kwh = round3(c === 'in' ? 3 + 1.5 * rnd() : c === 'out' ? 0.8 + 0.4 * rnd() : 0.7 + 0.4 * rnd());
    h.listed = true;
  }
  // two spikes
  elecAt('2023-11-21', '03:00').kwh = 40;
  elecAt('2024-02-25', '14:00').kwh = 38.5;
  // a day of large excess (in hours × 3) and an unusually low day (everything × 0.3)
  for (const h of elec.filter((x) => x.date === '2024-04-17' && classOf(x) === 'in')) h.kwh = round3(h.kwh! * 3);
  for (const h of elec.filter((x) => x.date === '2024-04-25')) h.kwh = round3(h.kwh! * 0.3);
  // zero runs of 3, 4 (across midnight) and 10 (across the spring clock change)
  for (const h of elecRun('2024-01-10', '02:00', 3)) h.kwh = 0;
  for (const h of elecRun('2024-01-17', '23:00', 4)) h.kwh = 0;
  for (const h of elecRun('2024-03-31', '00:00', 10)) h.kwh = 0;
  // absent half-hours: 8 (the day keeps 40), 10 (the day has 38: no baseload), the repeated
  // 01:00/01:30 of the autumn change, two days' edges and a whole day
  const absent = [
    ...elecRun('2023-11-07', '10:00', 8),
    ...elecRun('2024-02-27', '09:00', 10),
    elecAt('2023-10-29', '01:00', 1),
    elecAt('2023-10-29', '01:30', 1),
    ...elecRun('2024-04-10', '05:00', 2),
    ...elecRun('2024-04-19', '22:00', 52),
  ];
  for (const h of absent) {
    h.kwh = null;
    h.listed = false;
  }
  // listed with an empty value: on their own, and right after absent ones (one gap of 4)
  for (const h of [...elecRun('2024-01-23', '14:00', 3), ...elecRun('2024-04-10', '06:00', 2)]) h.kwh = null;
  for (const h of elec.filter((x) => x.date === '2023-12-05')) h.estimated = true;
}

/** The gas meter: a weather-driven load (kWh = 120 + 22 × HDD(15.5) + noise, 15 % less from 29 Jan 2024). */
const gas = timeline(DATA_FROM, DATA_TO);
const temperature = new Map<string, number>();
const NO_WEATHER = new Set(['2023-12-10', '2024-03-03']);
const REPORTING_FROM = '2024-01-29';

function generateGas(): void {
  const rnd = prng(155);
  for (let d = DATA_FROM; d < DATA_TO; d = addDays(d, 1)) temperature.set(d, Math.round((3 + 13 * rnd()) * 10) / 10);
  const dayOf = new Map<string, HH[]>();
  for (const h of gas) dayOf.set(h.date, [...(dayOf.get(h.date) ?? []), h]);
  for (const [date, hs] of dayOf) {
    const target =
      (120 + 22 * Math.max(0, 15.5 - temperature.get(date)!) + (rnd() - 0.5) * 16) *
      (date >= REPORTING_FROM ? 0.85 : 1);
    for (const h of hs) {
      h.kwh = round3((target / hs.length) * (0.9 + 0.2 * rnd()));
      h.listed = true;
    }
  }
  // two incomplete days (one half-hour absent): left out of the models
  for (const [date, k] of [
    ['2023-11-15', 20],
    ['2024-02-20', 30],
  ] as const) {
    const h = dayOf.get(date)![k]!;
    h.kwh = null;
    h.listed = false;
  }
}

const csv = (meter: string, hs: HH[]): string =>
  [
    'MPAN,Timestamp,kWh,Quality',
    ...hs
      .filter((h) => h.listed)
      .map((h) => `${meter},${iso(h.t)},${h.kwh === null ? '' : h.kwh},${h.estimated ? 'E' : 'A'}`),
  ].join('\n');

// ---------------------------------------------------------------- independent analyses

const inRange = (hs: HH[], from: string, to: string): HH[] => hs.filter((h) => h.date >= from && h.date < to);
const mean = (xs: number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;
const sampleSd = (xs: number[]): number => {
  const m = mean(xs);
  return Math.sqrt(xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1));
};
const byDate = (hs: HH[]): Map<string, HH[]> => {
  const m = new Map<string, HH[]>();
  for (const h of hs) m.set(h.date, [...(m.get(h.date) ?? []), h]);
  return m;
};

function expectMeter(hs: HH[], from: string, to: string, generation = false, hours = SITE_HOURS) {
  const range = inRange(hs, from, to);
  const present = range.filter((h) => h.kwh !== null);
  const kwh = present.reduce((s, h) => s + h.kwh!, 0);
  const baseloads: number[] = [];
  for (const day of byDate(present).values()) {
    if (day.length < 40) continue;
    if (generation) {
      const night = day.filter((h) => h.minute < 120 || h.minute >= 22 * 60).map((h) => h.kwh!);
      baseloads.push(mean(night) * 2);
    } else {
      const lowest = day
        .map((h) => h.kwh!)
        .sort((a, b) => a - b)
        .slice(0, 8);
      baseloads.push(mean(lowest) * 2);
    }
  }
  let peak = present[0]!;
  for (const h of present) if (h.kwh! > peak.kwh!) peak = h;
  const split = { in: 0, out: 0, weekend: 0, holiday: 0 };
  for (const h of present) split[classOf(h, hours)] += h.kwh!;
  const peakKw = peak.kwh! * 2;
  return {
    kwh,
    presentHalfHours: present.length,
    expectedHalfHours: range.length,
    baseloadKw: mean(baseloads),
    baseloadDays: baseloads.length,
    peakKw,
    peakAt: iso(peak.t),
    loadFactor: kwh / (present.length / 2) / peakKw,
    inHoursKwh: split.in,
    outOfHoursKwh: split.out,
    weekendKwh: split.weekend,
    holidayKwh: split.holiday,
    outOfHoursShare: 1 - split.in / kwh,
  };
}

type Run = { from: string; to: string; halfHours: number };
function runsOf(hs: HH[], test: (h: HH) => boolean, min: number): Run[] {
  const out: Run[] = [];
  let i = 0;
  while (i < hs.length) {
    if (!test(hs[i]!)) {
      i++;
      continue;
    }
    let j = i;
    while (j < hs.length && test(hs[j]!)) j++;
    if (j - i >= min) out.push({ from: iso(hs[i]!.t), to: iso(hs[j - 1]!.t + 1800), halfHours: j - i });
    i = j;
  }
  return out;
}

function expectQuality(hs: HH[], from: string, to: string, zeroRun = 4) {
  const range = inRange(hs, from, to);
  const present = range.filter((h) => h.kwh !== null);
  const groups = new Map<string, number[]>();
  const key = (h: HH): string => `${h.weekday} ${h.minute}`;
  for (const h of present) groups.set(key(h), [...(groups.get(key(h)) ?? []), h.kwh!]);
  const outliers: { start: string; kwh: number; z: number }[] = [];
  for (const h of present) {
    const g = groups.get(key(h))!;
    if (g.length < 4) continue;
    const sd = sampleSd(g);
    if (!(sd > 0)) continue;
    const z = (h.kwh! - mean(g)) / sd;
    if (Math.abs(z) > 3) outliers.push({ start: iso(h.t), kwh: h.kwh!, z });
  }
  return {
    expectedHalfHours: range.length,
    presentHalfHours: present.length,
    missingHalfHours: range.length - present.length,
    estimatedHalfHours: present.filter((h) => h.estimated).length,
    completeness: present.length / range.length,
    gaps: runsOf(range, (h) => h.kwh === null, 1),
    zeroRuns: runsOf(range, (h) => h.kwh === 0, zeroRun),
    negatives: present.filter((h) => h.kwh! < 0).map((h) => ({ start: iso(h.t), kwh: h.kwh! })),
    outliers,
    lastReading: present.length ? iso(present[present.length - 1]!.t) : null,
  };
}

function expectExceptions(hs: HH[], from: string, to: string) {
  const days = byDate(hs);
  const whole = (date: string): boolean => {
    const d = days.get(date);
    return d !== undefined && d.every((h) => h.kwh !== null);
  };
  const total = (date: string): number => days.get(date)!.reduce((s, h) => s + h.kwh!, 0);
  const hits: { date: string; actual: number; expected: number; band: number; weeks: number }[] = [];
  let checked = 0;
  let unchecked = 0;
  for (let date = from; date < to; date = addDays(date, 1)) {
    const history = [1, 2, 3, 4, 5, 6, 7, 8].map((w) => addDays(date, -7 * w)).filter(whole);
    if (!whole(date) || history.length < 4) {
      unchecked++;
      continue;
    }
    checked++;
    const xs = history.map(total);
    const m = mean(xs);
    const band = Math.max(3 * sampleSd(xs), 0.1 * Math.abs(m));
    const actual = total(date);
    if (Math.abs(actual - m) > band) hits.push({ date, actual, expected: m, band, weeks: xs.length });
  }
  return { hits, checked, unchecked };
}

/** Least squares of y on x by the textbook closed form (sums, not centred), with the Guideline 14 statistics. */
function leastSquares(x: number[], y: number[]) {
  const n = x.length;
  const sx = x.reduce((s, v) => s + v, 0);
  const sy = y.reduce((s, v) => s + v, 0);
  const sxx = x.reduce((s, v) => s + v * v, 0);
  const sxy = x.reduce((s, v, i) => s + v * y[i]!, 0);
  const slope = (n * sxy - sx * sy) / (n * sxx - sx * sx);
  const intercept = (sy - slope * sx) / n;
  const ybar = sy / n;
  let sse = 0;
  let sst = 0;
  let bias = 0;
  for (let i = 0; i < n; i++) {
    const e = y[i]! - (intercept + slope * x[i]!);
    sse += e * e;
    bias += e;
    sst += (y[i]! - ybar) ** 2;
  }
  return {
    intercept,
    slope,
    r2: 1 - sse / sst,
    cvrmse: Math.sqrt(sse / (n - 2)) / ybar,
    nmbe: bias / ((n - 2) * ybar),
  };
}

/** The gas meter's whole days with weather in [from, to): date, kWh, mean °C. */
function gasDays(from: string, to: string): { date: string; kwh: number; t: number }[] {
  const out: { date: string; kwh: number; t: number }[] = [];
  for (const [date, hs] of byDate(inRange(gas, from, to))) {
    if (NO_WEATHER.has(date) || hs.some((h) => h.kwh === null)) continue;
    out.push({ date, kwh: hs.reduce((s, h) => s + h.kwh!, 0), t: temperature.get(date)! });
  }
  return out;
}

function expectBaseline(from: string, to: string, tb?: number) {
  const days = gasDays(from, to);
  const y = days.map((d) => d.kwh);
  const fitAt = (base: number) => ({
    base,
    ...leastSquares(
      days.map((d) => Math.max(0, base - d.t)),
      y,
    ),
  });
  if (tb !== undefined) return { ...fitAt(tb), days: days.length };
  let best = fitAt(10);
  for (let i = 1; i <= 20; i++) {
    const f = fitAt(10 + i / 2);
    if (f.r2 > best.r2 + 1e-12) best = f;
  }
  return { ...best, days: days.length };
}

// ---------------------------------------------------------------- the core

let core: Core;
let siteA: SiteSummary;
let siteB: SiteSummary;

async function call<T>(method: string, args: unknown): Promise<T> {
  const r = await dispatch(core.handlers, method, args, ctx);
  if (!r.ok) throw new Error(`${method}: ${r.error.code}: ${r.error.message}`);
  return r.value as T;
}
async function failure(method: string, args: unknown): Promise<{ code: string; message: string }> {
  const r = await dispatch(core.handlers, method, args, ctx);
  if (r.ok) throw new Error(`${method} succeeded`);
  return r.error;
}

async function importCsv(name: string, text: string): Promise<ImportJob> {
  const q = await call<EnqueuedPaths>('imports.enqueuePaths', { paths: [writeTemp(name, text)] });
  const [job] = await call<ImportJob[]>('imports.wait', { jobIds: q.jobIds });
  return job!;
}

beforeAll(async () => {
  generateElectricity();
  generateGas();
  core = await makeCore({ clock: { now: () => NOW } });
  const e = await importCsv('elec.csv', csv(ELEC, elec));
  expect(e).toMatchObject({ status: 'done', rowsRejected: 0 });
  const g = await importCsv('gas.csv', csv(GAS, gas));
  expect(g).toMatchObject({ status: 'done', rowsRejected: 0 });
  const lone = timeline('2024-04-01', '2024-04-08');
  for (const h of lone) {
    h.kwh = 1;
    h.listed = true;
  }
  expect(await importCsv('lone.csv', csv(LONE, lone))).toMatchObject({ status: 'done' });

  // the negatives, written as whole days through the readings store
  const meterId = core.meters.meterRow(ELEC).id;
  for (const [date, hhmm, kwh] of NEGATIVES) {
    const h = elecAt(date, hhmm);
    h.kwh = kwh;
    const day = Date.parse(`${date}T00:00:00Z`) / 86400000;
    const k = elec.filter((x) => x.date === date).indexOf(h);
    const v = core.readings.readDays(meterId, day, day + 1, { writers: true });
    const values = v.values.slice();
    const quality = v.quality.slice();
    values[k] = kwh;
    quality[k] = 0;
    core.sqlite.transaction(() =>
      core.readings.putDay(meterId, day, values, quality, null, v.writers!, core.readings.nextSeq()),
    )();
  }

  siteA = await call<SiteSummary>('sites.create', { name: 'Guildhall', openingHours: HOURS });
  await call('meters.update', { meter: ELEC, siteId: siteA.id });
  await call('sites.addClosure', { siteId: siteA.id, from: '2024-02-12', to: '2024-02-17', note: 'half term' });
  siteB = await call<SiteSummary>('sites.create', { name: 'Pool', latitude: 51.38, longitude: -2.36 });
  await call('meters.update', { meter: GAS, siteId: siteB.id });
  const weather = [...temperature]
    .filter(([d]) => !NO_WEATHER.has(d))
    .map(([d, t]) => `${d},${t}`)
    .join('\n');
  const w = await call<{ days: number }>('weather.import', {
    siteId: siteB.id,
    fileName: 'pool.csv',
    text: `date,meanTemperatureC\n${weather}\n`,
  });
  expect(w.days).toBe(temperature.size - NO_WEATHER.size);
}, 60_000);

afterAll(async () => {
  await core?.stop();
});

const near = (got: number | null, want: number, tol = 1e-6): void => {
  expect(got).not.toBeNull();
  expect(Math.abs(got! - want), `${got} vs ${want}`).toBeLessThanOrEqual(tol);
};

// ---------------------------------------------------------------- the tests

describe('the generated data', () => {
  it('has the clock-change days, the holidays and the scenario the tests rely on', () => {
    const lengths = new Map([...byDate(elec)].map(([d, hs]) => [d, hs.length]));
    expect(lengths.get('2023-10-29')).toBe(50);
    expect(lengths.get('2024-03-31')).toBe(46);
    expect(elecAt('2024-03-29', '12:00').weekday).toBe(4);
    const q = expectQuality(elec, DATA_FROM, DATA_TO, 3);
    expect(q.zeroRuns.map((r) => r.halfHours)).toEqual([3, 4, 10]);
    expect(q.negatives).toHaveLength(2);
    expect(q.outliers.map((o) => o.start)).toEqual(
      expect.arrayContaining(['2023-11-21T03:00:00Z', '2024-02-25T14:00:00Z']),
    );
    const x = expectExceptions(elec, '2024-04-15', DATA_TO).hits.map((h) => h.date);
    expect(x).toEqual(expect.arrayContaining(['2024-04-17', '2024-04-25']));
  });
});

describe('analytics.meter', () => {
  const check = async (from: string, to: string, generation = false, hours = SITE_HOURS): Promise<MeterAnalysis> => {
    const a = await call<MeterAnalysis>('analytics.meter', { meter: ELEC, from, to });
    const e = expectMeter(elec, from, to, generation, hours);
    near(a.kwh, e.kwh);
    expect(a.presentHalfHours).toBe(e.presentHalfHours);
    expect(a.expectedHalfHours).toBe(e.expectedHalfHours);
    near(a.baseloadKw, e.baseloadKw);
    expect(a.baseloadDays).toBe(e.baseloadDays);
    near(a.peakKw, e.peakKw);
    expect(a.peakAt).toBe(e.peakAt);
    near(a.loadFactor, e.loadFactor);
    near(a.inHoursKwh, e.inHoursKwh);
    near(a.outOfHoursKwh, e.outOfHoursKwh);
    near(a.weekendKwh, e.weekendKwh);
    near(a.holidayKwh, e.holidayKwh);
    near(a.outOfHoursShare, e.outOfHoursShare);
    near(a.inHoursKwh + a.outOfHoursKwh + a.weekendKwh + a.holidayKwh, a.kwh, 1e-5);
    return a;
  };

  it('agrees figure by figure over the whole data (both clock changes, holidays, closure, gaps)', async () => {
    const a = await check(DATA_FROM, DATA_TO);
    expect(a.openingHours).toBe(HOURS);
    expect(a.baseloadMethod).toBe('lowest-8');
    expect(a.peakAt).toBe('2023-11-21T03:00:00Z');
    // the day with 38 present half-hours has no baseload; the one with 40 has
    expect(a.days.find((d) => d.date === '2024-02-27')).toMatchObject({ present: 38, baseloadKw: null });
    expect(a.days.find((d) => d.date === '2023-11-07')!.baseloadKw).not.toBeNull();
    expect(a.days.find((d) => d.date === '2024-02-14')!.kind).toBe('holiday');
    expect(a.days.find((d) => d.date === '2024-03-31')).toMatchObject({ expected: 46, kind: 'weekend' });
  });

  it('agrees over a fortnight with the spring change, Good Friday and Easter Monday', async () => {
    const a = await check('2024-03-25', '2024-04-08');
    expect(a.holidayKwh).toBeGreaterThan(0);
    expect(a.expectedHalfHours).toBe(14 * 48 - 2);
  });

  it('agrees over the closure week and over a range running past the data', async () => {
    await check('2024-02-10', '2024-02-20');
    await check('2024-04-15', '2024-05-03');
  });

  it('classes the clock-change Sundays by their wall clock when the site opens on Sundays', async () => {
    const sundays: [number, number][][] = [...SITE_HOURS.slice(0, 6), [[600, 960]]];
    await call('sites.update', { id: siteA.id, openingHours: `${HOURS}; sun 10:00-16:00` });
    try {
      const autumn = await check('2023-10-23', '2023-11-06', false, sundays);
      expect(autumn.days.find((d) => d.date === '2023-10-29')).toMatchObject({ expected: 50, kind: 'open' });
      expect(autumn.weekendKwh).toBe(0);
      await check('2024-03-25', '2024-04-08', false, sundays);
      await check(DATA_FROM, DATA_TO, false, sundays);
    } finally {
      await call('sites.update', { id: siteA.id, openingHours: HOURS });
    }
  });

  it('takes the baseload from the 22:00–02:00 half-hours on a site with generation', async () => {
    await call('sites.update', { id: siteA.id, generation: true });
    try {
      const a = await check(DATA_FROM, DATA_TO, true);
      expect(a.baseloadMethod).toBe('overnight');
      expect(a.baseloadKw).not.toBeCloseTo(expectMeter(elec, DATA_FROM, DATA_TO).baseloadKw, 3);
      await check('2024-03-25', '2024-04-08', true);
      await check('2023-10-23', '2023-11-06', true);
    } finally {
      await call('sites.update', { id: siteA.id, generation: false });
    }
  });
});

describe('analytics.quality', () => {
  const check = async (from: string, to: string, zeroRun?: number): Promise<QualityReport> => {
    const q = await call<QualityReport>('analytics.quality', {
      meter: ELEC,
      from,
      to,
      ...(zeroRun !== undefined ? { zeroRun } : {}),
    });
    const e = expectQuality(elec, from, to, zeroRun);
    expect(q.expectedHalfHours).toBe(e.expectedHalfHours);
    expect(q.presentHalfHours).toBe(e.presentHalfHours);
    expect(q.missingHalfHours).toBe(e.missingHalfHours);
    expect(q.estimatedHalfHours).toBe(e.estimatedHalfHours);
    near(q.completeness, e.completeness, 5e-5);
    expect(q.gaps).toEqual(e.gaps);
    expect(q.zeroRuns).toEqual(e.zeroRuns);
    expect(q.negatives).toEqual(e.negatives);
    expect(q.outliers.map((o) => [o.start, o.kwh])).toEqual(e.outliers.map((o) => [o.start, o.kwh]));
    q.outliers.forEach((o, i) => near(o.zscore, e.outliers[i]!.z, 5e-4 + 1e-9));
    expect(q.lastReading).toBe(e.lastReading);
    // the one definition of expected / present / missing, as the meter page counts them
    const page = await call<MeterQuality>('readings.quality', { meter: ELEC, from, to });
    expect(page).toMatchObject({
      expectedHalfHours: q.expectedHalfHours,
      presentHalfHours: q.presentHalfHours,
      missingHalfHours: q.missingHalfHours,
      estimatedHalfHours: q.estimatedHalfHours,
      completeness: q.completeness,
    });
    return q;
  };

  it('counts, lists gaps, zero runs, negatives and outliers over both clock changes', async () => {
    const q = await check(DATA_FROM, '2024-05-01');
    // one day of 50 and one of 46
    expect(q.expectedHalfHours).toBe(q.days.length * 48);
    expect(q.days.find((d) => d.date === '2023-10-29')!.expected).toBe(50);
    expect(q.days.find((d) => d.date === '2024-03-31')!.expected).toBe(46);
    // the 3-run is not a zero run at N = 4; the 10-run spans the spring change
    expect(q.zeroRuns).toEqual([
      { from: '2024-01-17T23:00:00Z', to: '2024-01-18T01:00:00Z', halfHours: 4 },
      { from: '2024-03-31T00:00:00Z', to: '2024-03-31T05:00:00Z', halfHours: 10 },
    ]);
    // absent and listed-empty half-hours next to each other are one gap; the autumn repeat is a gap of 2
    expect(q.gaps).toEqual(
      expect.arrayContaining([
        { from: '2023-10-29T01:00:00Z', to: '2023-10-29T02:00:00Z', halfHours: 2 },
        { from: '2024-04-10T04:00:00Z', to: '2024-04-10T06:00:00Z', halfHours: 4 },
        { from: '2024-04-19T21:00:00Z', to: '2024-04-20T23:00:00Z', halfHours: 52 },
        { from: '2024-04-28T23:00:00Z', to: '2024-04-30T23:00:00Z', halfHours: 96 },
      ]),
    );
    expect(q.negatives).toEqual([
      { start: '2024-02-06T03:00:00Z', kwh: -0.5 },
      { start: '2024-03-05T04:30:00Z', kwh: -1.25 },
    ]);
    expect(q.estimatedHalfHours).toBe(48);
    expect(q.outliers.map((o) => o.start)).toEqual(
      expect.arrayContaining(['2023-11-21T03:00:00Z', '2024-02-25T14:00:00Z']),
    );
    expect(q.stale).toBe(false);
  });

  it('lists the run of 3 at N = 3', async () => {
    const q = await check(DATA_FROM, DATA_TO, 3);
    expect(q.zeroRuns[0]).toEqual({ from: '2024-01-10T02:00:00Z', to: '2024-01-10T03:30:00Z', halfHours: 3 });
  });

  it('agrees on ranges that start inside a gap or hold a single clock-change day', async () => {
    const q = await check('2024-04-20', '2024-04-22');
    expect(q.gaps).toEqual([{ from: '2024-04-19T23:00:00Z', to: '2024-04-20T23:00:00Z', halfHours: 48 }]);
    await check('2023-10-29', '2023-10-30');
    await check('2024-03-25', '2024-04-08');
    await check('2024-02-01', '2024-03-01', 2);
  });
});

describe('analytics.exceptions', () => {
  const check = async (from: string, to: string): Promise<ExceptionsReport> => {
    const r = await call<ExceptionsReport>('analytics.exceptions', { meter: ELEC, from, to });
    const e = expectExceptions(elec, from, to);
    expect(r.exceptions.map((x) => x.date)).toEqual(e.hits.map((h) => h.date));
    r.exceptions.forEach((x, i) => {
      const h = e.hits[i]!;
      near(x.actualKwh, h.actual, 5e-4 + 1e-9);
      near(x.expectedKwh, h.expected, 5e-4 + 1e-9);
      near(x.excessKwh, h.actual - h.expected, 5e-4 + 1e-9);
      near(x.bandKwh, h.band, 5e-4 + 1e-9);
      expect(x.weeks).toBe(h.weeks);
    });
    expect(r.checkedDays).toBe(e.checked);
    expect(r.uncheckedDays).toBe(e.unchecked);
    return r;
  };

  it('flags the day of excess, the low day, holidays and the closure against the same weekdays', async () => {
    const r = await check(DATA_FROM, DATA_TO);
    const dates = r.exceptions.map((x) => x.date);
    expect(dates).toEqual(expect.arrayContaining(['2024-04-17', '2024-04-25', '2023-12-25', '2024-02-14']));
    expect(r.exceptions.find((x) => x.date === '2024-04-17')!.excessKwh).toBeGreaterThan(100);
    expect(r.exceptions.find((x) => x.date === '2024-04-25')!.excessKwh).toBeLessThan(-50);
    // incomplete days are never checked
    expect(dates).not.toContain('2024-02-27');
    expect(dates).not.toContain('2024-04-10');
  });

  it('agrees over shorter ranges (history read from before the range)', async () => {
    await check('2024-04-15', '2024-04-29');
    await check('2023-12-18', '2024-01-08');
  });
});

describe('analytics.baseline and analytics.cusum', () => {
  const BASE_FROM = DATA_FROM;
  const BASE_TO = REPORTING_FROM;
  const compare = (b: BaselineResult, e: ReturnType<typeof expectBaseline>): void => {
    expect(b.baseTemperature).toBe(e.base);
    expect(b.days).toBe(e.days);
    near(b.intercept, e.intercept, 2e-6);
    near(b.slope, e.slope, 2e-6);
    near(b.r2, e.r2, 2e-6);
    near(b.cvrmse, e.cvrmse, 2e-6);
    near(b.nmbe, e.nmbe, 2e-6);
    expect(b.coolingSlope).toBeNull();
  };

  it('fits a + b·HDD at a given base temperature as the closed-form least squares does', async () => {
    const b = await call<BaselineResult>('analytics.baseline', {
      meter: GAS,
      from: BASE_FROM,
      to: BASE_TO,
      baseTemperature: 15.5,
    });
    compare(b, expectBaseline(BASE_FROM, BASE_TO, 15.5));
    expect(b.slope).toBeGreaterThan(15);
    expect(b.notes).toEqual(
      expect.arrayContaining([
        '1 of 104 days has no weather and is left out.',
        '1 day without every half-hour was left out.',
      ]),
    );
  });

  it('searches 10–20 °C in 0.5 steps for the highest R²', async () => {
    const b = await call<BaselineResult>('analytics.baseline', { meter: GAS, from: BASE_FROM, to: BASE_TO });
    compare(b, expectBaseline(BASE_FROM, BASE_TO));
    const whole = await call<BaselineResult>('analytics.baseline', { meter: GAS, from: DATA_FROM, to: DATA_TO });
    compare(whole, expectBaseline(DATA_FROM, DATA_TO));
  });

  it('runs CUSUM of actual − expected over the reporting period', async () => {
    for (const tb of [15.5, undefined]) {
      const c = await call<CusumResult>('analytics.cusum', {
        meter: GAS,
        baselineFrom: BASE_FROM,
        baselineTo: BASE_TO,
        from: REPORTING_FROM,
        to: DATA_TO,
        ...(tb !== undefined ? { baseTemperature: tb } : {}),
      });
      const m = expectBaseline(BASE_FROM, BASE_TO, tb);
      compare(c.model, m);
      const days = gasDays(REPORTING_FROM, DATA_TO);
      expect(c.days.map((d) => d.date)).toEqual(days.map((d) => d.date));
      let sum = 0;
      days.forEach((d, i) => {
        const expected = m.intercept + m.slope * Math.max(0, m.base - d.t);
        sum += d.kwh - expected;
        near(c.days[i]!.actualKwh, d.kwh, 5e-4 + 1e-9);
        near(c.days[i]!.expectedKwh, expected, 5e-4 + 1e-6);
        near(c.days[i]!.cusumKwh, sum, 5e-4 + 1e-6);
      });
      near(c.avoidedKwh, -sum, 5e-4 + 1e-6);
      // 15 % less than the model: savings
      expect(c.avoidedKwh).toBeGreaterThan(0);
      // reporting days: 91, less one incomplete and one without weather
      expect(c.skippedDays).toBe(2);
    }
  });
});

describe('analytics.portfolio', () => {
  it('gives each meter the figures analytics.meter, quality and exceptions give over the same range', async () => {
    const from = '2024-01-01';
    const to = DATA_TO;
    const p = await call<PortfolioAnalysis>('analytics.portfolio', { from, to });
    expect(p.rows.map((r) => r.meter).sort()).toEqual([ELEC, GAS, LONE].sort());
    for (const meter of [ELEC, GAS]) {
      const row = p.rows.find((r) => r.meter === meter)!;
      const a = await call<MeterAnalysis>('analytics.meter', { meter, from, to });
      const q = await call<QualityReport>('analytics.quality', { meter, from, to });
      const x = await call<ExceptionsReport>('analytics.exceptions', { meter, from, to });
      expect(row.kwh).toBe(a.kwh);
      expect(row.baseloadKw).toBe(a.baseloadKw);
      expect(row.outOfHoursShare).toBe(a.outOfHoursShare);
      near(row.outOfHoursKwh, a.outOfHoursKwh + a.weekendKwh + a.holidayKwh, 2e-3);
      expect(row.completeness).toBe(q.completeness);
      expect(row.missingHalfHours).toBe(q.missingHalfHours);
      expect(row.gaps).toBe(q.gaps.length);
      expect(row.zeroRuns).toBe(q.zeroRuns.length);
      expect(row.negatives).toBe(q.negatives.length);
      expect(row.outliers).toBe(q.outliers.length);
      expect(row.lastReading).toBe(q.lastReading);
      expect(row.stale).toBe(q.stale);
      expect(row.exceptions).toBe(x.exceptions.length);
      const lastWeek = new Date(Date.parse(`${to}T00:00:00Z`) - 7 * 86400000).toISOString().slice(0, 10);
      expect(row.exceptionsLastWeek).toBe(x.exceptions.filter((e) => e.date >= lastWeek).length);
      near(
        row.exceptionExcessKwh,
        x.exceptions.reduce((s, e) => s + e.excessKwh, 0),
        1e-2,
      );
    }
    const e = p.rows.find((r) => r.meter === ELEC)!;
    const want = expectMeter(elec, from, to);
    near(e.baseloadKw, want.baseloadKw);
    near(e.outOfHoursShare, want.outOfHoursShare);
    expect(e.exceptions).toBe(expectExceptions(elec, from, to).hits.length);
    expect(e.negatives).toBe(2);
    expect(e.site).toEqual({ id: siteA.id, name: 'Guildhall' });
  });
  it('defaults to the 4 weeks to the median of the meters’ last complete days, capped at asAt', async () => {
    const range = async (args: object) => {
      const p = await call<PortfolioAnalysis>('analytics.portfolio', args);
      return { anchor: p.anchor, from: p.from, to: p.to };
    };
    // last complete days: 28 Apr, 28 Apr and 7 Apr (the lone meter)
    expect(await range({})).toEqual({ anchor: '2024-04-28', from: '2024-04-01', to: '2024-04-29' });
    // up to 10 Apr: 10 Apr (44 half-hours present is complete), 10 Apr, 7 Apr
    expect(await range({ asAt: '2024-04-10' })).toEqual({ anchor: '2024-04-10', from: '2024-03-14', to: '2024-04-11' });
    expect(await range({ from: '2024-04-20' })).toEqual({ anchor: '2024-04-28', from: '2024-04-20', to: '2024-04-29' });
    // `to` alone: the 4 weeks before it
    expect(await range({ to: '2024-03-01' })).toEqual({ anchor: null, from: '2024-02-02', to: '2024-03-01' });
    expect((await failure('analytics.portfolio', { from: '2024-03-01', to: '2024-03-01' })).code).toBe('INVALID_ARGS');
  });
});

describe('errors', () => {
  it('names an unknown meter (NOT_FOUND) and a range that ends before it starts (INVALID_ARGS)', async () => {
    for (const method of ['analytics.meter', 'analytics.quality', 'analytics.exceptions', 'analytics.baseline']) {
      expect((await failure(method, { meter: '987654', from: '2024-01-01', to: '2024-02-01' })).code).toBe('NOT_FOUND');
      const same = await failure(method, { meter: ELEC, from: '2024-01-01', to: '2024-01-01' });
      expect(same.code).toBe('INVALID_ARGS');
      expect(same.message).toMatch(/"to" must be after "from"/);
      expect((await failure(method, { meter: ELEC, from: '2024-02-01', to: '2024-01-01' })).code).toBe('INVALID_ARGS');
    }
  });

  it('says what to do when a baseline has no site or no weather (BAD_INPUT)', async () => {
    const noSite = await failure('analytics.baseline', { meter: LONE, from: '2024-04-01', to: '2024-04-08' });
    expect(noSite.code).toBe('BAD_INPUT');
    expect(noSite.message).toMatch(/is not on a site.*put it on a site with a location, then fetch or import/);
    const noWeather = await failure('analytics.baseline', { meter: ELEC, from: DATA_FROM, to: DATA_TO });
    expect(noWeather.code).toBe('BAD_INPUT');
    expect(noWeather.message).toMatch(/Guildhall.*has no weather.*fetch it from Open-Meteo.*import a file/);
    const cusum = await failure('analytics.cusum', {
      meter: ELEC,
      baselineFrom: DATA_FROM,
      baselineTo: REPORTING_FROM,
      from: REPORTING_FROM,
      to: DATA_TO,
    });
    expect(cusum.code).toBe('BAD_INPUT');
  });
});
