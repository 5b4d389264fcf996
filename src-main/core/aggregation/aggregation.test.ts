/**
 * Roll-ups checked against an independent computation from the same readings (a plain loop
 * using Intl's Europe/London, not our calendar code), across clock changes and gaps; incremental
 * equals full rebuild; comparisons and the nightly schedule with a controllable clock.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../app';
import { importFiles, makeCore, writeTemp } from '../../../tests/helpers/core';

let core: Core;
afterEach(async () => {
  await core?.stop();
});

const MPAN = '1012477457919';
/** Deterministic value for a half-hour, with gaps (missing rows) and flagged-missing values. */
function valueAt(ts: number): number | null | undefined {
  const k = ts / 1800;
  if (k % 97 === 5) return undefined; // row absent
  if (k % 89 === 3) return null; // row present, value missing
  return Math.round((0.3 + ((k * 7919) % 1000) / 400) * 1000) / 1000;
}

/** A long CSV (UTC stamps) for [from, to). */
function csv(from: string, to: string): string {
  const lines = ['MPAN,Timestamp,kWh'];
  for (let t = Date.parse(from) / 1000; t < Date.parse(to) / 1000; t += 1800) {
    const v = valueAt(t);
    if (v === undefined) continue;
    lines.push(`${MPAN},${new Date(t * 1000).toISOString()},${v === null ? '' : v}`);
  }
  return lines.join('\n') + '\n';
}

/** Independent: local date via Intl, sums per local date. */
function expectedDays(
  from: string,
  to: string,
): Map<string, { kwh: number; present: number; hh: number; min: number; max: number }> {
  const fmt = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Europe/London',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  });
  const out = new Map<string, { kwh: number; present: number; hh: number; min: number; max: number }>();
  for (let t = Date.parse(from) / 1000; t < Date.parse(to) / 1000; t += 1800) {
    const d = fmt.format(new Date(t * 1000));
    const e = out.get(d) ?? { kwh: 0, present: 0, hh: 0, min: Infinity, max: -Infinity };
    e.hh++;
    const v = valueAt(t);
    if (typeof v === 'number') {
      e.kwh += v;
      e.present++;
      e.min = Math.min(e.min, v);
      e.max = Math.max(e.max, v);
    }
    out.set(d, e);
  }
  return out;
}

describe('daily roll-ups', () => {
  it('match an independent computation day by day, across both clock changes and gaps', async () => {
    core = await makeCore();
    // local 2025-03-29 .. 2025-04-01 and 2025-10-25 .. 2025-10-28, in UTC bounds
    await importFiles(core, [
      writeTemp('spring.csv', csv('2025-03-29T00:00:00Z', '2025-03-31T23:00:00Z')),
      writeTemp('autumn.csv', csv('2025-10-24T23:00:00Z', '2025-10-28T00:00:00Z')),
    ]);
    await core.scheduler.idle();
    const expected = new Map([
      ...expectedDays('2025-03-29T00:00:00Z', '2025-03-31T23:00:00Z'),
      ...expectedDays('2025-10-24T23:00:00Z', '2025-10-28T00:00:00Z'),
    ]);
    const got = core.totals
      .list(MPAN, 'day', '2025-03-29', '2025-04-01')
      .concat(core.totals.list(MPAN, 'day', '2025-10-25', '2025-10-28'));
    expect(got.map((r) => r.period)).toEqual([
      '2025-03-29',
      '2025-03-30',
      '2025-03-31',
      '2025-10-25',
      '2025-10-26',
      '2025-10-27',
    ]);
    for (const r of got) {
      const e = expected.get(r.period)!;
      expect(r.halfHours, r.period).toBe(e.hh);
      expect(r.kwh, r.period).toBeCloseTo(e.kwh, 9);
      expect(r.missing, r.period).toBe(e.hh - e.present);
      expect(r.completeness, r.period).toBeCloseTo(e.present / e.hh, 4);
      expect(r.min).toBe(e.min);
      expect(r.max).toBe(e.max);
      expect(r.mean!).toBeCloseTo(e.kwh / e.present, 6);
    }
    expect(got.find((r) => r.period === '2025-03-30')!.halfHours).toBe(46);
    expect(got.find((r) => r.period === '2025-10-26')!.halfHours).toBe(50);
  });

  it('defines baseload as the mean of the 8 lowest half-hours × 2 in kW, and finds the peak and its time', async () => {
    core = await makeCore();
    const vals = [5, 1, 2, 9, 3, 4, 6, 0.5, 7, 8, ...Array(38).fill(10)];
    const lines = [
      'MPAN,Timestamp,kWh',
      ...vals.map((v, i) => `${MPAN},${new Date(Date.UTC(2025, 0, 15) + i * 1800000).toISOString()},${v}`),
    ];
    await importFiles(core, [writeTemp('day.csv', lines.join('\n'))]);
    await core.scheduler.idle();
    const [d] = core.totals.list(MPAN, 'day', '2025-01-15', '2025-01-16');
    // the 8 lowest: 0.5, 1, 2, 3, 4, 5, 6, 7 → mean 3.5625 kWh a half-hour → 7.125 kW
    expect(d!.baseload).toBe(7.125);
    expect(d!.peak).toBe(10);
    expect(d!.peakAt).toBe('2025-01-15T05:00:00Z'); // the first half-hour at the maximum
    expect(d!.completeness).toBe(1);
  });
});

describe('weeks, months, years and comparisons', () => {
  it('rolls up to ISO weeks, months and years with completeness over the whole period', async () => {
    core = await makeCore();
    await importFiles(core, [writeTemp('q1.csv', csv('2025-01-01T00:00:00Z', '2025-04-01T00:00:00Z'))]);
    await core.scheduler.idle();
    const days = core.totals.list(MPAN, 'day', '2025-01-01', '2025-04-01');
    const months = core.totals.list(MPAN, 'month', '2025-01-01', '2025-04-01');
    expect(months.map((m) => m.period)).toEqual(['2025-01', '2025-02', '2025-03']);
    const jan = days.filter((d) => d.period.startsWith('2025-01'));
    expect(months[0]!.kwh).toBeCloseTo(
      jan.reduce((s, d) => s + d.kwh, 0),
      9,
    );
    expect(months[0]!.averageDaily).toBeCloseTo(months[0]!.kwh / 31, 9);
    // March ends at 2025-04-01 00:00 BST = 03-31T23:00Z, so the data stops an hour before local month end
    expect(months[2]!.halfHours).toBe(31 * 48 - 2);
    const weeks = core.totals.list(MPAN, 'week', '2025-03-24', '2025-03-31');
    expect(weeks).toHaveLength(1);
    expect(weeks[0]).toMatchObject({ period: '2025-W13', halfHours: 7 * 48 - 2 });
    const [year] = core.totals.list(MPAN, 'year', '2025-01-01', '2026-01-01');
    // the last two UTC half-hours (23:00Z, 23:30Z on 31 March) are 00:00 and 00:30 BST on 1 April
    const april1 = core.totals.list(MPAN, 'day', '2025-04-01', '2025-04-02')[0]!;
    expect(year!.kwh).toBeCloseTo(days.reduce((s, d) => s + d.kwh, 0) + april1.kwh, 6);
    expect(year!.completeness).toBeLessThan(0.3); // a quarter of the year
  });

  it('compares with the previous period and the weekday-aligned period a year earlier, never trending from half-empty data', async () => {
    core = await makeCore();
    await importFiles(core, [
      writeTemp(
        'two-years.csv',
        csv('2024-03-01T00:00:00Z', '2024-03-20T00:00:00Z') +
          csv('2025-03-01T00:00:00Z', '2025-03-20T00:00:00Z').split('\n').slice(1).join('\n'),
      ),
    ]);
    await core.scheduler.idle();
    const dod = core.totals.compare(MPAN, 'day', '2025-03-12');
    expect(dod.previous.period).toBe('2025-03-11');
    expect(dod.changeKwh).toBeCloseTo(dod.current.kwh - dod.previous.kwh, 9);
    expect(dod.changePercent).toBeCloseTo((dod.changeKwh / dod.previous.kwh) * 100, 1);
    const yoy = core.totals.compare(MPAN, 'day', '2025-03-12', 'year-ago');
    expect(yoy.previous.period).toBe('2024-03-13'); // both Wednesdays
    const wow = core.totals.compare(MPAN, 'week', '2025-W11', 'year-ago');
    expect(wow.previous.period).toBe('2024-W11');
    const month = core.totals.compare(MPAN, 'month', '2025-03', 'year-ago');
    expect(month.previous.period).toBe('2024-03');
    expect(month.comparable).toBe(false); // 19 of 31 days
    expect(() => core.totals.compare(MPAN, 'week', '2025-03')).toThrow(/not a week/);
  });
});

describe('incremental roll-ups', () => {
  it('recompute only what an import touched, and equal a full rebuild', async () => {
    core = await makeCore();
    await importFiles(core, [writeTemp('a.csv', csv('2025-01-01T00:00:00Z', '2025-02-15T00:00:00Z'))]);
    await core.scheduler.idle();
    expect(core.scheduler.lastRun()!.summary).toMatchObject({ metersTouched: 1, daysTouched: 45 });
    // one more day, and a correction of an old value (replace)
    await importFiles(core, [writeTemp('b.csv', csv('2025-02-15T00:00:00Z', '2025-02-16T00:00:00Z'))]);
    await core.scheduler.idle();
    expect(core.scheduler.lastRun()).toMatchObject({
      task: 'rollup',
      trigger: 'import',
      summary: { metersTouched: 1, daysTouched: 1 },
    });
    const f = await core.files.storePath(writeTemp('fix.csv', `MPAN,Timestamp,kWh\n${MPAN},2025-01-10T12:00:00Z,99\n`));
    core.imports.enqueue([f.fileId], { onConflict: 'replace' });
    await core.imports.drain();
    await core.scheduler.idle();
    const snap = () => core.sqlite.prepare('SELECT * FROM day_stats ORDER BY meter_id, day').all();
    const incremental = snap();
    expect(core.totals.list(MPAN, 'day', '2025-01-10', '2025-01-11')[0]!.max).toBe(99);
    const r = await core.aggregation.rebuild();
    expect(r.metersTouched).toBe(1);
    expect(snap()).toEqual(incremental);
  });

  it('drops days whose readings were all removed (a cancelled import), and their periods empty out', async () => {
    core = await makeCore();
    await importFiles(core, [writeTemp('a.csv', csv('2025-01-01T00:00:00Z', '2025-01-03T00:00:00Z'))]);
    await importFiles(core, [writeTemp('b.csv', csv('2025-03-03T00:00:00Z', '2025-03-04T00:00:00Z'))]);
    await core.scheduler.idle();
    expect(core.totals.list(MPAN, 'month', '2025-01-01', '2025-04-01').map((m) => m.kwh > 0)).toEqual([
      true,
      false,
      true,
    ]);
    // what cancelling the second import does: what it wrote is undone, and its meter-days go
    const job = core.imports.list({ limit: 1 })[0]!;
    core.sqlite.transaction(() => core.readings.undoJob(job.id))();
    expect(await core.aggregation.incremental()).toMatchObject({ metersTouched: 1, daysTouched: 1 });
    expect(core.totals.list(MPAN, 'month', '2025-01-01', '2025-04-01').map((m) => m.kwh > 0)).toEqual([
      true,
      false,
      false,
    ]);
    expect(
      core.sqlite
        .prepare('SELECT count(*) FROM day_stats WHERE day >= ?')
        .pluck()
        .get(Date.UTC(2025, 2, 1) / 86400000),
    ).toBe(0);
    expect(core.totals.list(MPAN, 'day', '2025-03-03', '2025-03-04')[0]).toMatchObject({ kwh: 0, completeness: 0 });
    const snap = () => core.sqlite.prepare('SELECT * FROM day_stats ORDER BY meter_id, day').all();
    const incremental = snap();
    await core.aggregation.rebuild();
    expect(snap()).toEqual(incremental);
  });

  it('the dashboard sets this period to date against the same days of the previous one', async () => {
    core = await makeCore({ clock: { now: () => Date.parse('2025-03-12T12:00:00Z') } }); // a Wednesday
    await importFiles(core, [writeTemp('two.csv', csv('2025-02-24T00:00:00Z', '2025-03-12T00:00:00Z'))]);
    await core.scheduler.idle();
    const d = core.totals.dashboard(null, null);
    const el = d.fuels.find((f) => f.fuel === 'electricity')!;
    const week = el.periods.find((p) => p.kind === 'week')!;
    const days = (a: string, b: string) => core!.totals.list(MPAN, 'day', a, b).reduce((s, r) => s + r.kwh, 0);
    expect(week).toMatchObject({ label: '2025-W11', toDate: '2025-03-11' });
    expect(week.kwh).toBeCloseTo(days('2025-03-10', '2025-03-12'), 6); // Mon + Tue
    expect(week.previousKwh).toBeCloseTo(days('2025-03-03', '2025-03-05'), 6); // the Monday and Tuesday before
    const day = el.periods.find((p) => p.kind === 'day')!;
    expect(day).toMatchObject({ label: '2025-03-11', toDate: null });
    const month = el.periods.find((p) => p.kind === 'month')!;
    expect(month.kwh).toBeCloseTo(days('2025-03-01', '2025-03-12'), 6);
    expect(month.previousKwh).toBeCloseTo(days('2025-02-01', '2025-02-12'), 6); // 11 days each
  });
});
