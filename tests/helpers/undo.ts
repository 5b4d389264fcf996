/**
 * Files, calls and a database's whole state, shared by the undo suites (src-main/core/undo/*.test.ts): what
 * a rollback or a deletion must leave exactly as a fresh import of what remains.
 */
import { afterEach, expect } from 'vitest';
import type { Core, CoreOptions } from '../../src-main/core/app';
import type {
  DashboardSummary,
  ImportJob,
  MeterSummary,
  PeriodTotal,
  RollbackResult,
} from '../../src-shared/contract/types';
import { toLondonParts } from '../../src-shared/domain/london-time';
import { dayFromDate, dayStartUtc, dayHalfHours } from '../../src-shared/domain/periods';
import { dispatch } from '../../src-main/core/rpc/dispatch';
import { makeCore, storedReadings, writeTemp } from './core';

export const A = '1200050000009';
export const B = '1200050000106';
export const C = '1200050000203';

/** One half-hour of a file: meter, UTC start, kWh (null: listed as missing), estimated. */
export type Row = { meter: string; ts: number; kwh: number | null; est: boolean };

const pad = (n: number): string => String(n).padStart(2, '0');
/** The half-hour's start as UK local wall-clock time (the repeated autumn hour appears twice, in order). */
export function local(ts: number): string {
  const p = toLondonParts(ts);
  return `${p.year}-${pad(p.month)}-${pad(p.day)} ${pad(p.hour)}:${pad(p.minute)}`;
}
export function file(name: string, rows: Row[]): string {
  const lines = rows.map((r) => `${r.meter},${local(r.ts)},${r.kwh === null ? '' : r.kwh},${r.est ? 'E' : 'A'}`);
  return writeTemp(name, ['MPAN,Timestamp,kWh,Quality', ...lines].join('\n') + '\n');
}

/** Every half-hour of `meter` over UK days [from, to] (inclusive), valued by `value(ts, i)`. */
export function days(meter: string, from: number, to: number, value: (ts: number, i: number) => number | null): Row[] {
  const out: Row[] = [];
  for (let d = from; d <= to; d++)
    for (let s = 0; s < dayHalfHours(d); s++) {
      const ts = dayStartUtc(d) + s * 1800;
      out.push({ meter, ts, kwh: value(ts, out.length), est: (ts / 1800) % 17 === 3 });
    }
  return out;
}
export const Oct = (d: number): number => dayFromDate(2024, 10, d);
export const base = (ts: number): number =>
  Math.round((1 + ((ts / 1800) % 48) / 10 + ((ts / 86400) % 7)) * 1000) / 1000;

/** File X: meters A and B, 20–26 Oct 2024, some half-hours listed as missing. */
export const xRows = (): Row[] => [
  ...days(A, Oct(20), Oct(26), (ts, i) => (i % 41 === 7 ? null : base(ts))),
  ...days(B, Oct(20), Oct(26), (ts) => base(ts) * 2),
];
/**
 * File Y: A and B over 24 Oct – 2 Nov (over the clock change of 27 Oct): a third of X's half-hours
 * it repeats with other values, the rest the same; and a meter C of its own.
 */
export const yRows = (): Row[] => [
  ...days(A, Oct(24), Oct(33), (ts, i) => (i % 3 === 0 ? base(ts) + 5 : base(ts))),
  ...days(B, Oct(24), Oct(33), (ts, i) => (i % 3 === 1 ? base(ts) * 3 : base(ts) * 2)),
  ...days(C, Oct(26), Oct(28), (ts) => base(ts) / 2),
];

/** Calls a contract method as an administrator of the desktop app (in-process: it may name paths). */
export async function callAsAdmin<T>(c: Core, method: string, args: unknown): Promise<T> {
  const r = await dispatch(c.handlers, method, args, { role: 'admin', actor: 'test', inProcess: true });
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value as T;
}

export async function importFile(c: Core, path: string, onConflict: 'keep' | 'replace' = 'keep'): Promise<ImportJob> {
  const q = await callAsAdmin<{ jobIds: number[] }>(c, 'imports.enqueuePaths', { paths: [path], onConflict });
  const [job] = await callAsAdmin<ImportJob[]>(c, 'imports.wait', { jobIds: q.jobIds });
  expect(job!.status).toBe('done');
  await c.scheduler.idle();
  return job!;
}
export const rollback = (c: Core, id: number, dryRun = false) =>
  callAsAdmin<RollbackResult>(c, 'imports.rollback', { id, ...(dryRun ? { dryRun } : {}) });

/** What a database holds, through the contract and the store: everything a rollback must leave as a clean import. */
export async function state(c: Core, opts: { writers: boolean }) {
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
  const site = await callAsAdmin(c, 'totals.site', {
    siteId: null,
    period: 'month',
    from: '2024-10-01',
    to: '2024-12-01',
  });
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

/** Makes cores on fresh data folders, each stopped after the test that made it (call it at a test file's top). */
export function coresPerTest(opts: () => Partial<CoreOptions> = () => ({})): () => Promise<Core> {
  const cores: Core[] = [];
  afterEach(async () => {
    for (const c of cores.splice(0)) await c.stop();
  });
  return async () => {
    const c = await makeCore(opts());
    cores.push(c);
    return c;
  };
}

/** Imports `files` in order into `c` ([path, "replace"]: with replace), then waits for what follows. */
export async function importAll(c: Core, files: (string | [string, 'keep' | 'replace'])[]): Promise<Core> {
  for (const f of files) await (typeof f === 'string' ? importFile(c, f) : importFile(c, f[0], f[1]));
  await c.waitForDeliveries();
  return c;
}
