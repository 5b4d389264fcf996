/**
 * Rolling back finished imports through a real core (real SQLite files, the real queue): a rollback
 * leaves every stored reading, day summary and roll-up exactly as a fresh import of the files that
 * remain would (compared with a second database that only imported those), across a clock change.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../app';
import type {
  DashboardSummary,
  ImportJob,
  MeterSummary,
  PeriodTotal,
  RollbackResult,
} from '../../../src-shared/contract/types';
import { toLondonParts } from '../../../src-shared/domain/london-time';
import { dayFromDate, dayStartUtc, dayHalfHours } from '../../../src-shared/domain/periods';
import { dispatch } from '../rpc/dispatch';
import { makeCore, storedReadings, writeTemp } from '../../../tests/helpers/core';

const A = '1200050000009';
const B = '1200050000106';
const C = '1200050000203';

const cores: Core[] = [];
afterEach(async () => {
  for (const c of cores.splice(0)) await c.stop();
});
async function core(): Promise<Core> {
  const c = await makeCore();
  cores.push(c);
  return c;
}

/** One half-hour of a file: meter, UTC start, kWh (null: listed as missing), estimated. */
type Row = { meter: string; ts: number; kwh: number | null; est: boolean };

const pad = (n: number): string => String(n).padStart(2, '0');
/** The half-hour's start as UK local wall-clock time (the repeated autumn hour appears twice, in order). */
function local(ts: number): string {
  const p = toLondonParts(ts);
  return `${p.year}-${pad(p.month)}-${pad(p.day)} ${pad(p.hour)}:${pad(p.minute)}`;
}
function file(name: string, rows: Row[]): string {
  const lines = rows.map((r) => `${r.meter},${local(r.ts)},${r.kwh === null ? '' : r.kwh},${r.est ? 'E' : 'A'}`);
  return writeTemp(name, ['MPAN,Timestamp,kWh,Quality', ...lines].join('\n') + '\n');
}

/** Every half-hour of `meter` over UK days [from, to] (inclusive), valued by `value(ts, i)`. */
function days(meter: string, from: number, to: number, value: (ts: number, i: number) => number | null): Row[] {
  const out: Row[] = [];
  for (let d = from; d <= to; d++)
    for (let s = 0; s < dayHalfHours(d); s++) {
      const ts = dayStartUtc(d) + s * 1800;
      out.push({ meter, ts, kwh: value(ts, out.length), est: (ts / 1800) % 17 === 3 });
    }
  return out;
}
const Oct = (d: number): number => dayFromDate(2024, 10, d);
const base = (ts: number): number => Math.round((1 + ((ts / 1800) % 48) / 10 + ((ts / 86400) % 7)) * 1000) / 1000;

/** File X: meters A and B, 20–26 Oct 2024, some half-hours listed as missing. */
const xRows = (): Row[] => [
  ...days(A, Oct(20), Oct(26), (ts, i) => (i % 41 === 7 ? null : base(ts))),
  ...days(B, Oct(20), Oct(26), (ts) => base(ts) * 2),
];
/**
 * File Y: A and B over 24 Oct – 2 Nov (over the clock change of 27 Oct): a third of X's half-hours
 * it repeats with other values, the rest the same; and a meter C of its own.
 */
const yRows = (): Row[] => [
  ...days(A, Oct(24), Oct(33), (ts, i) => (i % 3 === 0 ? base(ts) + 5 : base(ts))),
  ...days(B, Oct(24), Oct(33), (ts, i) => (i % 3 === 1 ? base(ts) * 3 : base(ts) * 2)),
  ...days(C, Oct(26), Oct(28), (ts) => base(ts) / 2),
];

/** Calls a contract method as an administrator of the desktop app (in-process: it may name paths). */
async function callAsAdmin<T>(c: Core, method: string, args: unknown): Promise<T> {
  const r = await dispatch(c.handlers, method, args, { role: 'admin', actor: 'test', inProcess: true });
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value as T;
}

async function importFile(c: Core, path: string, onConflict: 'keep' | 'replace' = 'keep'): Promise<ImportJob> {
  const q = await callAsAdmin<{ jobIds: number[] }>(c, 'imports.enqueuePaths', { paths: [path], onConflict });
  const [job] = await callAsAdmin<ImportJob[]>(c, 'imports.wait', { jobIds: q.jobIds });
  expect(job!.status).toBe('done');
  await c.scheduler.idle();
  return job!;
}
const rollback = (c: Core, id: number, dryRun = false) =>
  callAsAdmin<RollbackResult>(c, 'imports.rollback', { id, ...(dryRun ? { dryRun } : {}) });

/** What a database holds, through the contract and the store: everything a rollback must leave as a clean import. */
async function state(c: Core, opts: { writers: boolean }) {
  const meters = await callAsAdmin<MeterSummary[]>(c, 'meters.list', {});
  const totals: Record<string, PeriodTotal[]> = {};
  for (const m of meters)
    for (const period of ['day', 'week', 'month', 'year'])
      totals[`${m.mpan} ${period}`] = await callAsAdmin<PeriodTotal[]>(c, 'totals.list', {
        meter: m.mpan,
        period,
        from: '2024-01-01',
        to: '2025-01-01',
      });
  const dash = await callAsAdmin<DashboardSummary>(c, 'dashboard.summary', { asAt: '2024-11-30' });
  const { lastImport: _i, lastAggregation: _a, today: _t, ...dashboard } = dash;
  const site = await callAsAdmin(c, 'totals.site', { siteId: null, period: 'month', from: '2024-10-01', to: '2024-12-01' });
  const analysis = await Promise.all(
    meters.map((m) => callAsAdmin(c, 'analytics.meter', { meter: m.mpan, from: '2024-10-01', to: '2024-11-04' })),
  );
  const days = c.sqlite
    .prepare(
      `SELECT m.identifier, d.day, d.half_hours, d.kwh, d.present, d.estimated, d.missing, d.min, d.max, d.peak_slot
       FROM day_stats d JOIN meters m ON m.id = d.meter_id ORDER BY m.identifier, d.day`,
    )
    .all();
  const readings = storedReadings(c).map((r) => (opts.writers ? r : r.slice(0, 4)));
  expect(c.aggregation.pending()).toBe(false); // the roll-up ran after the change
  return { meters, totals, dashboard, site, analysis, days, readings };
}

describe('imports.rollback', () => {
  it('leaves readings, day summaries and every roll-up as an import of X alone, after Y replaced and added', async () => {
    const a = await core();
    const x = file('x.csv', xRows());
    const y = file('y.csv', yRows());
    const jx = await importFile(a, x);
    const jy = await importFile(a, y, 'replace');
    expect(jy.conflicts).toBeGreaterThan(0);
    expect(jy.metersCreated).toEqual([C]);

    // the dry run says what will change, and writes nothing
    const before = storedReadings(a);
    const preview = await rollback(a, jy.id, true);
    expect(storedReadings(a)).toEqual(before);
    // independently: Y's half-hours outside X's (new) and the overlapping ones it changed (replaced)
    const xKeys = new Map(xRows().map((r) => [`${r.meter} ${r.ts}`, r]));
    const yAll = yRows();
    const added = yAll.filter((r) => !xKeys.has(`${r.meter} ${r.ts}`)).length;
    const changed = yAll.filter((r) => {
      const old = xKeys.get(`${r.meter} ${r.ts}`);
      return old && r.kwh !== null && old.kwh !== r.kwh;
    }).length;
    expect(preview).toMatchObject({ dryRun: true, readingsRemoved: added, valuesRestored: changed, metersRemoved: [C] });
    expect(preview.meters).toEqual([A, B, C]);

    const r = await rollback(a, jy.id);
    expect(r).toMatchObject({ dryRun: false, readingsRemoved: added, valuesRestored: changed, metersRemoved: [C] });
    expect(r.job).toMatchObject({ status: 'rolled-back', rolledBackBy: 'test', outcome: { grade: 'rolled-back' } });
    expect(r.job.rolledBackAt).not.toBeNull();
    expect(r.job.outcome.summary).toMatch(/^Rolled back: the [\d,]+ readings it added were taken out and the/);
    await a.waitForDeliveries();

    const b = await core();
    const jb = await importFile(b, x);
    expect(jb.id).toBe(jx.id); // same job id for X in both, so even the writers compare
    expect(await state(a, { writers: true })).toEqual(await state(b, { writers: true }));

    // the rolled-back file is not refused as already imported, and imports as it did the first time
    const again = await importFile(a, y, 'replace');
    expect(again).toMatchObject({ readingsImported: jy.readingsImported, conflicts: jy.conflicts });
    const c = await core();
    await importFile(c, x);
    await importFile(c, y, 'replace');
    expect(await state(a, { writers: false })).toEqual(await state(c, { writers: false }));
  });

  it('rolls back an earlier import that a later one (keep) repeated: the later values stay, as in an import of Y alone', async () => {
    const a = await core();
    const x = file('x.csv', xRows());
    const y = file('y.csv', yRows());
    const jx = await importFile(a, x);
    const jy = await importFile(a, y, 'keep');
    expect(jy.duplicates).toBeGreaterThan(0);
    const r = await rollback(a, jx.id);
    // every X half-hour Y also gave now holds Y's value; the rest of X's are gone
    const yKeys = new Set(yRows().map((x) => `${x.meter} ${x.ts}`));
    const shared = xRows().filter((x) => yKeys.has(`${x.meter} ${x.ts}`)).length;
    expect(r.laterImports).toEqual([{ jobId: jy.id, file: 'y.csv', readings: shared, error: null }]);
    expect(r.readingsRemoved).toBe(xRows().length - shared);
    expect(r.valuesRestored).toBe(0);
    await a.waitForDeliveries();
    const b = await core();
    await importFile(b, y, 'keep');
    expect(await state(a, { writers: false })).toEqual(await state(b, { writers: false }));
    // and Y, now the writer of those half-hours, rolls back to nothing
    await rollback(a, jy.id);
    expect(storedReadings(a)).toEqual([]);
    expect((await callAsAdmin<MeterSummary[]>(a, 'meters.list', {})).map((m) => m.mpan)).toEqual([]);
  });

  it('rolls back the middle of three imports as if only the first and last had run', async () => {
    const a = await core();
    const x = file('x.csv', xRows());
    const y = file('y.csv', yRows());
    // Z replaces part of the overlap again, and repeats the rest of Y
    const z = file(
      'z.csv',
      days(A, Oct(25), Oct(28), (ts, i) => (i % 4 === 0 ? base(ts) + 9 : i % 3 === 0 ? base(ts) + 5 : base(ts))),
    );
    await importFile(a, x);
    const jy = await importFile(a, y, 'replace');
    await importFile(a, z, 'replace');
    await rollback(a, jy.id);
    await a.waitForDeliveries();
    const b = await core();
    await importFile(b, x);
    await importFile(b, z, 'replace');
    expect(await state(a, { writers: false })).toEqual(await state(b, { writers: false }));
  });

  it("undoes one bad row that stretched a meter's chart: its first and last readings are as before", async () => {
    const a = await core();
    const good = days(A, dayFromDate(2020, 3, 2), dayFromDate(2020, 3, 8), (ts) => base(ts));
    await importFile(a, file('march-2020.csv', good));
    const was = (await callAsAdmin<MeterSummary[]>(a, 'meters.list', {}))[0]!;
    const more = days(A, dayFromDate(2020, 3, 9), dayFromDate(2020, 3, 10), (ts) => base(ts));
    // the typo: 2025 for 2020
    const bad = file('april-2020.csv', [...more, { meter: A, ts: dayStartUtc(dayFromDate(2025, 3, 9)), kwh: 1, est: false }]);
    const j = await importFile(a, bad);
    const stretched = (await callAsAdmin<MeterSummary[]>(a, 'meters.list', {}))[0]!;
    expect(stretched.lastReading!.slice(0, 4)).toBe('2025');
    await rollback(a, j.id);
    const now = (await callAsAdmin<MeterSummary[]>(a, 'meters.list', {}))[0]!;
    expect(now).toMatchObject({ firstReading: was.firstReading, lastReading: was.lastReading, readings: was.readings });
    const series = await callAsAdmin<{ ts: number[] }>(a, 'readings.series', { meter: A });
    expect(series.ts.length).toBe(good.length);
    expect(series.ts[series.ts.length - 1]).toBe(good[good.length - 1]!.ts);
  });

  it('refuses, in words, jobs that are not finished imports', async () => {
    const a = await core();
    const x = file('x.csv', xRows());
    const dry = await callAsAdmin<{ jobIds: number[] }>(a, 'imports.enqueuePaths', { paths: [x], dryRun: true });
    await callAsAdmin(a, 'imports.wait', { jobIds: dry.jobIds });
    const fail = async (id: number) => {
      const r = await dispatch(a.handlers, 'imports.rollback', { id }, { role: 'admin', actor: 'test' });
      if (r.ok) throw new Error('rolled back');
      return r.error;
    };
    expect(await fail(dry.jobIds[0]!)).toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(/^Import job \d+ \(x\.csv\) was a dry run: it wrote nothing/),
    });
    const j = await importFile(a, x);
    await rollback(a, j.id);
    expect(await fail(j.id)).toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(/^Import job \d+ \(x\.csv\) was already rolled back on \d+ \w+ \d{4} by test$/),
    });
    expect(await fail(999)).toMatchObject({ code: 'NOT_FOUND', message: expect.stringMatching(/^No import job 999/) });
    // nor can a rolled-back job be retried or cancelled: its file is imported again instead
    const retry = await dispatch(a.handlers, 'imports.retry', { id: j.id }, { role: 'admin', actor: 'test' });
    expect(retry).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: expect.stringMatching(/^Import job/) } });
    const viewer = await dispatch(a.handlers, 'imports.rollback', { id: j.id }, { role: 'viewer', actor: 'v' });
    expect(viewer).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });
});
