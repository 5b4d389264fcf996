/**
 * bench:aggregate harness (bundled by scripts/bench/aggregate.mjs): on the imported portfolio, times
 * the full roll-up rebuild, importing one new day for every meter and the roll-up run it triggers,
 * the dashboard summary, a meter's year of half-hours and 90 days × every meter read into typed
 * arrays, beside raw SQLite baselines on the same database (day summaries scanned, day BLOBs read).
 *
 * The core runs on a clock set to the day after the new day (time still advances), so the dashboard's
 * day/week/month/year windows fall on the portfolio's data rather than on empty periods.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createCore } from '../../src-main/core/app';
import { silentLogger } from '../../src-main/core/events';
import { economy7 } from '../../tests/fixtures/tariffs';
import type { DashboardMonth } from '../../src-shared/contract/types';
import { dayHalfHours, dayStartUtc, localDayOf } from '../../src-shared/domain/periods';

const ms = (t0: bigint): number => Number(process.hrtime.bigint() - t0) / 1e6;

/** Runs fn n times; the median and every time (ms). */
function timed<T>(n: number, fn: (i: number) => T): { median: number; times: number[]; last: T } {
  const times: number[] = [];
  let last!: T;
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint();
    last = fn(i);
    times.push(ms(t0));
  }
  const sorted = [...times].sort((a, b) => a - b);
  return { median: sorted[Math.floor(n / 2)]!, times, last };
}

async function timedAsync<T>(n: number, fn: () => Promise<T>): Promise<{ median: number; times: number[]; last: T }> {
  const times: number[] = [];
  let last!: T;
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint();
    last = await fn();
    times.push(ms(t0));
  }
  const sorted = [...times].sort((a, b) => a - b);
  return { median: sorted[Math.floor(n / 2)]!, times, last };
}

const iso = (t: number): string => new Date(t * 1000).toISOString().replace('.000Z', 'Z');

export async function run(
  dataDir: string,
  migrationsDir: string,
  newDayFile: string,
  workerScript: string | null,
): Promise<Record<string, unknown>> {
  let offset = 0;
  // as the CLI runs: imports inline, the bundled worker script for parsing large files and for the rebuild's two
  // threads
  const core = await createCore({
    dataDir,
    migrationsDir,
    log: silentLogger,
    importThread: null,
    workerScript,
    clock: { now: () => Date.now() + offset },
  });
  try {
    const db = core.sqlite;
    const out: Record<string, unknown> = {};
    const meters = db.prepare('SELECT id, identifier FROM meters ORDER BY id').all() as {
      id: number;
      identifier: string;
    }[];
    const spans = core.readings.spans();
    let readings = 0;
    let lastTs = 0;
    for (const s of spans.values()) {
      readings += s.count;
      lastTs = Math.max(lastTs, s.last);
    }
    out.meters = meters.length;
    out.readings = readings;
    out.meterDays = core.readings.dayCount();
    const newDay = localDayOf(lastTs) + 1;
    offset = (dayStartUtc(newDay + 1) + 12 * 3600) * 1000 - Date.now();

    // ------------------------------------------------------------ raw baselines
    // SQLite scanning every day summary, in SQL and into JavaScript
    out.rawStatsSql = timed(3, () =>
      db.prepare('SELECT count(*), total(kwh), min(min), max(max), total(present) FROM day_stats').raw().get(),
    );
    out.rawStatsJs = timed(3, () => {
      let kwh = 0;
      let n = 0;
      for (const r of db
        .prepare('SELECT meter_id, day, kwh, min, max, present FROM day_stats')
        .raw()
        .iterate() as IterableIterator<[number, number, number, number, number, number]>) {
        kwh += r[2];
        n++;
      }
      return { kwh, n };
    });
    // every stored day's BLOBs into JavaScript (no decoding)
    out.rawBlobsAll = timed(3, () => {
      let bytes = 0;
      let n = 0;
      for (const r of db.prepare('SELECT vals, quality FROM meter_days').raw().iterate() as IterableIterator<
        [Buffer, Buffer | null]
      >) {
        bytes += r[0].length + (r[1]?.length ?? 0);
        n++;
      }
      return { bytes, n };
    });

    // ------------------------------------------------------------ full rebuild (before the new day: the same data as
    // long.csv)
    const rebuild = await timedAsync(3, () => core.aggregation.rebuild());
    out.rebuild = { median: rebuild.median, times: rebuild.times };
    out.rebuildDays = rebuild.last.daysTouched;
    out.rebuildMeters = rebuild.last.metersTouched;

    // ------------------------------------------------------------ one new day for every meter
    const halfHours = dayHalfHours(newDay);
    const start = dayStartUtc(newDay);
    const lines = ['MPAN,Timestamp,kWh'];
    for (const m of meters)
      for (let i = 0; i < halfHours; i++)
        lines.push(`${m.identifier},${iso(start + i * 1800)},${(0.5 + (i % 7) / 10).toFixed(3)}`);
    fs.mkdirSync(path.dirname(newDayFile), { recursive: true });
    fs.writeFileSync(newDayFile, lines.join('\n') + '\n');
    out.newDayReadings = meters.length * halfHours;
    // the app rolls up right after an import; hold that back once so that the import and the
    // roll-up run it triggers are timed apart (inline, as the CLI imports)
    const afterImport = core.scheduler.afterImport.bind(core.scheduler);
    core.scheduler.afterImport = () => Promise.resolve(null);
    let t0 = process.hrtime.bigint();
    const f = await core.files.storePath(newDayFile);
    const { jobIds } = core.imports.enqueue([f.fileId]);
    await core.imports.drain();
    out.newDayImportMs = ms(t0);
    await core.scheduler.idle();
    core.scheduler.afterImport = afterImport;
    const job = core.imports.get(jobIds[0]!);
    out.newDayJob = {
      status: job.status,
      imported: job.readingsImported,
      duplicates: job.duplicates,
      rejected: job.rowsRejected,
    };
    t0 = process.hrtime.bigint();
    const rollup = await core.scheduler.afterImport();
    out.newDayRollupMs = ms(t0);
    const summary = (rollup?.summary ?? null) as { metersTouched: number; daysTouched: number } | null;
    out.newDayRollup = {
      status: rollup?.status ?? 'none',
      metersTouched: summary?.metersTouched ?? 0,
      daysTouched: summary?.daysTouched ?? 0,
    };

    // ------------------------------------------------------------ dashboard summary
    const ctx = { role: 'admin', actor: 'bench' } as const;
    t0 = process.hrtime.bigint();
    core.handlers['dashboard.summary']({}, ctx);
    out.dashboardFirstMs = ms(t0);
    out.dashboard = timed(5, () => core.handlers['dashboard.summary']({}, ctx));
    delete (out.dashboard as { last?: unknown }).last;

    // ------------------------------------------------ the dashboard's month in £ and CO2, every meter priced
    await core.handlers['tariffs.import'](
      { text: JSON.stringify({ tariffs: [economy7({ validFrom: '2000-01-01' })] }) },
      ctx,
    );
    for (const m of meters)
      core.handlers['tariffs.assign']({ meter: m.identifier, tariff: 'acme-e7-2025', from: '2000-01-01' }, ctx);
    t0 = process.hrtime.bigint();
    const month = core.handlers['dashboard.month']({}, ctx) as DashboardMonth | null;
    out.dashboardMonthFirstMs = ms(t0);
    out.dashboardMonthPriced = month?.costs?.reduce((a, c) => a + c.priced, 0) ?? 0;
    out.dashboardMonthDays = month ? (Date.parse(month.to) - Date.parse(month.from)) / 86400000 : 0;
    out.dashboardMonth = timed(5, () => core.handlers['dashboard.month']({}, ctx));
    delete (out.dashboardMonth as { last?: unknown }).last;

    // ------------------------------------------------------------ a meter's year of half-hours
    t0 = process.hrtime.bigint();
    const first = core.meters.series(meters[0]!.identifier);
    out.seriesFirstMs = ms(t0);
    out.seriesPoints = first.ts.length;
    const others = meters.slice(1, 6).length ? meters.slice(1, 6) : meters.slice(0, 1);
    const series = timed(others.length, (i) => core.meters.series(others[i]!.identifier));
    out.series = { median: series.median, times: series.times };
    out.seriesJson = timed(5, () => JSON.stringify(series.last).length);

    // ------------------------------------------------------------ 90 days × every meter into typed arrays
    const toDay = newDay + 1;
    const fromDay = toDay - 90;
    out.window = { fromDay, toDay };
    const blob = db.prepare('SELECT vals, quality FROM meter_days WHERE meter_id = ? AND day >= ? AND day < ?').raw();
    out.rawBlobs90 = timed(3, () => {
      let bytes = 0;
      for (const m of meters)
        for (const r of blob.iterate(m.id, fromDay, toDay) as IterableIterator<[Buffer, Buffer | null]>)
          bytes += r[0].length + (r[1]?.length ?? 0);
      return bytes;
    });
    out.readDays90 = timed(3, () => {
      let values = 0;
      for (const m of meters) values += core.readings.readDays(m.id, fromDay, toDay).values.length;
      return values;
    });
    return out;
  } finally {
    await core.stop();
  }
}
