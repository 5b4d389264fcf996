/**
 * "Latest" views anchored on the data, not on today's calendar: real 2019–2020 files (Energy Sparks'
 * BANES, Highlands and Sheffield exports, an Octopus May 2020 page) read in November 2026. The one
 * definition of expected / present / missing half-hours, shared by the meter page and the cost, and
 * baseload only on complete days — each against an independent count from the raw file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../app';
import { dispatch } from '../rpc/dispatch';
import { FIXTURES, callAsAdmin, importFiles, makeCore, writeTemp } from '../../../tests/helpers/core';
import { economy7 } from '../../../tests/fixtures/tariffs';
import type {
  CostResult,
  DashboardMonth,
  DashboardSummary,
  MeterLatest,
  MeterQuality,
  MeterSummary,
  PeriodTotal,
} from '../../../src-shared/contract/types';

const PUB = path.join(FIXTURES, 'public');
const OCTOPUS = path.join(PUB, 'octopus-consumption-electricity-2020-05.json');
const OCTOPUS_METER = '2700003645222';
const ctx = { role: 'admin' as const, actor: 'test' };
/** Today, for these tests: long after the data. */
const NOW = Date.parse('2026-11-27T12:00:00Z');

let core: Core | null = null;
afterEach(async () => {
  await core?.stop();
  core = null;
});

const call = <T>(method: string, args: unknown): Promise<T> => callAsAdmin<T>(core!, method, args);

const londonDate = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** Independent: the Octopus file's readings per UK local date (from its own +01:00 stamps via Intl). */
function octopusDays(): Map<string, number[]> {
  const doc = JSON.parse(fs.readFileSync(OCTOPUS, 'utf8')) as {
    results: { consumption: number; interval_start: string }[];
  };
  const out = new Map<string, number[]>();
  for (const r of doc.results) {
    const d = londonDate.format(new Date(r.interval_start));
    out.set(d, [...(out.get(d) ?? []), r.consumption]);
  }
  return out;
}

const ALL_FILES = [
  'wide-hh-banes-energysparks.csv',
  'row-per-reading-highlands-energysparks.csv',
  'wide-hh-sheffield-energysparks.csv',
  'octopus-consumption-electricity-2020-05.json',
];

async function realFiles(names = ALL_FILES): Promise<void> {
  core = await makeCore({ clock: { now: () => NOW } });
  const files = names.map((f) => path.join(PUB, f));
  const jobs = await importFiles(core, files);
  expect(jobs.every((j) => j.status === 'done')).toBe(true);
  await core.scheduler.idle();
}

describe('the dashboard with 2019–2020 data, read in 2026', () => {
  it('anchors on the median of the meters’ last complete days and shows real figures, not 0 % periods', async () => {
    await realFiles();
    const meters = await call<MeterSummary[]>('meters.list', {});
    const last = meters.map((m) => m.lastCompleteDay).filter((d): d is string => d !== null);
    expect(last.length).toBeGreaterThan(4);
    const sorted = [...last].sort();
    const median = sorted[Math.floor((sorted.length - 1) / 2)]!;
    expect(median < '2021-01-01').toBe(true);

    const d = await call<DashboardSummary>('dashboard.summary', {});
    expect(d.today).toBe('2026-11-27');
    expect(d.asAt).toBe('2026-11-26');
    expect(d.latestDay).toBe(median);
    const elec = d.fuels.find((f) => f.fuel === 'electricity')!;
    expect(elec.periods.map((p) => p.kind)).toEqual(['day', 'week', 'month', 'year']);
    for (const p of elec.periods) {
      expect(p.kwh).toBeGreaterThan(0);
      expect(p.completeness).toBeGreaterThan(0);
    }
    expect(elec.periods[0]!.label).toBe(elec.latestDay);
    // completeness over the 30 days up to the anchor, with the meters behind named
    expect(d.completenessWindow?.to).toBe(
      new Date(Date.parse(`${d.latestDay}T00:00:00Z`) + 86400000).toISOString().slice(0, 10),
    );
    expect(d.completeness30d).toBeGreaterThan(0);
    expect(d.behind.length).toBeGreaterThan(0);
    for (const b of d.behind) expect(b.missingHalfHours).toBeGreaterThan(0);
    // the 13-month trend ends at the anchor's month
    const months = d.trend.find((t) => t.fuel === 'electricity')!.months;
    expect(months).toHaveLength(13);
    expect(months[12]!.month).toBe(d.latestDay!.slice(0, 7));
    expect(months[12]!.kwh).toBeGreaterThan(0);
  });

  it('takes an "as at" date and says which dates it used', async () => {
    await realFiles();
    const d = await call<DashboardSummary>('dashboard.summary', { asAt: '2019-12-31' });
    expect(d.asAt).toBe('2019-12-31');
    expect(d.latestDay! <= '2019-12-31').toBe(true);
    for (const f of d.fuels) if (f.latestDay) expect(f.latestDay <= '2019-12-31').toBe(true);
    // before any data: nothing to anchor on, said as null, never as 0 kWh
    const early = await call<DashboardSummary>('dashboard.summary', { asAt: '2018-01-01' });
    expect(early.latestDay).toBeNull();
    expect(early.fuels.every((f) => f.latestDay === null && f.periods.length === 0)).toBe(true);
    expect(early.month).toBeNull();
    const bad = await dispatch(core!.handlers, 'dashboard.summary', { asAt: '2019-02-30' }, ctx);
    expect(bad.ok).toBe(false);
  });
});

describe('a meter’s latest periods and its half-hours (Octopus, May 2020)', () => {
  it('anchors on its last day with at least 40 half-hours and never heads with a period without readings', async () => {
    await realFiles();
    const days = octopusDays();
    const complete = [...days.entries()].filter(([, v]) => v.length >= 40).map(([d]) => d);
    const lastComplete = complete.sort().at(-1)!;
    const l = await call<MeterLatest>('totals.latest', { meter: OCTOPUS_METER });
    expect(l.lastCompleteDay).toBe(lastComplete);
    expect(l.asAt).toBe('2026-11-26');
    const day = l.periods.find((p) => p.kind === 'day')!;
    expect(day.previous!.current.period).toBe(lastComplete);
    expect(day.previous!.current.completeness).toBeGreaterThan(0.8);
    // No complete week, month or year before 7 May 2020 has a reading: said as null, not as 0 %.
    for (const p of l.periods) {
      if (p.previous) expect(p.previous.current.completeness).toBeGreaterThan(0);
    }
    expect(l.periods.find((p) => p.kind === 'year')!.previous).toBeNull();
    // an as-at date before the data: no anchor
    const before = await call<MeterLatest>('totals.latest', { meter: OCTOPUS_METER, asAt: '2020-05-01' });
    expect(before.lastCompleteDay).toBeNull();
  });

  it('counts missing half-hours one way on the meter page and in its cost (141 of 240)', async () => {
    await realFiles();
    const days = octopusDays();
    const present = [...days.values()].reduce((a, v) => a + v.length, 0);
    expect(present).toBe(99);
    const q = await call<MeterQuality>('readings.quality', { meter: OCTOPUS_METER });
    expect(q.from).toBe('2020-05-04');
    expect(q.to).toBe('2020-05-09');
    expect(q).toMatchObject({ expectedHalfHours: 240, presentHalfHours: 99, missingHalfHours: 141 });
    await call('tariffs.import', { text: JSON.stringify({ tariffs: [economy7({ validFrom: '2020-01-01' })] }) });
    await call('tariffs.assign', { meter: OCTOPUS_METER, tariff: 'acme-e7-2025', from: '2020-01-01' });
    const cost = await call<CostResult>('cost.meter', { meter: OCTOPUS_METER, from: q.from, to: q.to });
    expect(cost.expectedHalfHours).toBe(q.expectedHalfHours);
    expect(cost.missingHalfHours).toBe(q.missingHalfHours);
    // a chosen range: the same numbers again
    const week = await call<MeterQuality>('readings.quality', {
      meter: OCTOPUS_METER,
      from: '2020-05-05',
      to: '2020-05-08',
    });
    const c2 = await call<CostResult>('cost.meter', { meter: OCTOPUS_METER, from: '2020-05-05', to: '2020-05-08' });
    expect([week.expectedHalfHours, week.missingHalfHours]).toEqual([c2.expectedHalfHours, c2.missingHalfHours]);
  });

  it('has a baseload only on days with at least 40 half-hours: the mean of the 8 lowest × 2, in kW', async () => {
    await realFiles();
    const days = octopusDays();
    const rows = await call<PeriodTotal[]>('totals.list', {
      meter: OCTOPUS_METER,
      period: 'day',
      from: '2020-05-04',
      to: '2020-05-09',
    });
    for (const r of rows) {
      const v = days.get(r.period) ?? [];
      if (v.length < 40) expect(r.baseload, r.period).toBeNull();
      else {
        const low = [...v].sort((a, b) => a - b).slice(0, 8);
        expect(r.baseload!, r.period).toBeCloseTo((low.reduce((a, x) => a + x, 0) / 8) * 2, 6);
      }
    }
    // the day with one half-hour (1.836 kWh at midnight on 8 May) has none
    expect(rows.find((r) => r.period === '2020-05-08')!.baseload).toBeNull();
  });
});

describe('a stray later reading', () => {
  it('does not move the meter’s anchor or the cost card’s month to an empty month', async () => {
    core = await makeCore({ clock: { now: () => NOW } });
    const mpan = '1012477457919';
    const lines = ['MPAN,Timestamp,kWh'];
    for (let t = Date.parse('2020-01-01T00:00:00Z'); t < Date.parse('2020-05-01T00:00:00Z') - 3600e3; t += 1800e3)
      lines.push(`${mpan},${new Date(t).toISOString()},0.5`);
    for (let t = Date.parse('2020-04-30T23:00:00Z'); t < Date.parse('2020-04-30T23:00:00Z') + 1; t += 1800e3)
      lines.push(`${mpan},${new Date(t).toISOString()},0.5`);
    lines.push(`${mpan},2020-08-14T09:00:00Z,0.7`); // one stray reading months later
    await importFiles(core, [writeTemp('stray.csv', lines.join('\n'))]);
    await core.scheduler.idle();
    const [m] = await call<MeterSummary[]>('meters.list', {});
    expect(m!.lastReading).toBe('2020-08-14T09:00:00Z');
    expect(m!.lastCompleteDay).toBe('2020-04-30');
    const l = await call<MeterLatest>('totals.latest', { meter: mpan });
    expect(l.periods.find((p) => p.kind === 'month')!.previous!.current.period).toBe('2020-04');
    expect(l.periods.find((p) => p.kind === 'month')!.previous!.current.completeness).toBe(1);
    const d = await call<DashboardSummary>('dashboard.summary', {});
    expect(d.latestDay).toBe('2020-04-30');
    expect(d.month?.label).toBe('2020-04');
  });
});

describe('the dashboard’s month in £ and CO2', () => {
  it('prices the meters with a tariff, names the ones without, and uses the annual factor when there is no intensity', async () => {
    await realFiles(['octopus-consumption-electricity-2020-05.json']);
    await call('tariffs.import', { text: JSON.stringify({ tariffs: [economy7({ validFrom: '2019-01-01' })] }) });
    await call('tariffs.assign', { meter: OCTOPUS_METER, tariff: 'acme-e7-2025', from: '2019-01-01' });
    const d = await call<DashboardSummary>('dashboard.summary', { asAt: '2020-05-31' });
    expect(d.latestDay).toBe('2020-05-07');
    expect(d.month).toEqual({ label: '2020-05', from: '2020-05-01', to: '2020-05-08' });
    const m = await call<DashboardMonth>('dashboard.month', { asAt: '2020-05-31' });
    expect(m).toMatchObject({ latestDay: '2020-05-07', label: '2020-05', from: '2020-05-01', to: '2020-05-08' });
    const cost = m.costs!.find((c) => c.fuel === 'electricity')!;
    const own = await call<CostResult>('cost.meter', { meter: OCTOPUS_METER, from: '2020-05-01', to: '2020-05-08' });
    expect(cost.priced).toBe(1);
    expect(cost.totalPence).toBeCloseTo(own.totalPence, 2);
    expect(cost.unpriced).toEqual([]);
    const co2 = m.emissions.find((e) => e.fuel === 'electricity')!;
    // no grid intensity stored: the 2020 annual factor, 0.23314 kg/kWh
    expect(co2).toMatchObject({ halfHourlyMeters: 0, annualMeters: 1, unavailable: 0 });
    expect(co2.kgco2!).toBeCloseTo(own.kwh * 0.23314, 3);
    // a viewer sees the emissions, not the costs
    const viewer = await dispatch(
      core!.handlers,
      'dashboard.month',
      { asAt: '2020-05-31' },
      { role: 'viewer', actor: 't' },
    );
    expect(viewer).toMatchObject({ ok: true, value: { costs: null } });

    // intensity stored for every half-hour of the month: the half-hourly method
    const put = core!.sqlite.prepare(
      'INSERT INTO carbon_national (ts, forecast, actual, fetched_at) VALUES (?, ?, ?, ?)',
    );
    for (let t = Date.parse('2020-04-30T23:00:00Z') / 1000; t < Date.parse('2020-05-07T23:00:00Z') / 1000; t += 1800)
      put.run(t, 200, 200, t);
    const hh = (await call<DashboardMonth>('dashboard.month', { asAt: '2020-05-31' })).emissions[0]!;
    expect(hh).toMatchObject({ halfHourlyMeters: 1, annualMeters: 0 });
    expect(hh.kgco2!).toBeCloseTo(own.kwh * 0.2, 3);

    // a meter with readings that month and no tariff is named, not priced at 0
    const other = '2336533093112';
    const lines = ['MPAN,Timestamp,kWh'];
    for (let t = Date.parse('2020-05-01T00:00:00Z'); t < Date.parse('2020-05-07T23:00:00Z'); t += 1800e3)
      lines.push(`${other},${new Date(t).toISOString()},1`);
    await importFiles(core!, [writeTemp('other.csv', lines.join('\n'))]);
    await core!.scheduler.idle();
    const m2 = await call<DashboardMonth>('dashboard.month', { asAt: '2020-05-31' });
    const c2 = m2.costs!.find((c) => c.fuel === 'electricity')!;
    expect(c2.priced).toBe(1);
    expect(c2.unpriced.map((u) => u.meter)).toEqual([other]);
    // before any data: no month
    expect(await call('dashboard.month', { asAt: '2019-01-01' })).toBeNull();
  });
});
