/**
 * bench:aggregate harness (bundled by scripts/bench/aggregate.mjs): times the full rebuild, the
 * incremental roll-up after one new day for every meter, the dashboard query and a meter's year of
 * half-hours, beside raw SQL baselines on the same database.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createCore } from '../../src-main/core/app';
import { silentLogger } from '../../src-main/core/events';

const ms = (t0: bigint): number => Number(process.hrtime.bigint() - t0) / 1e6;

export async function run(dataDir: string, migrationsDir: string, newDayCsv: string, workerScript: string | null): Promise<Record<string, number>> {
  const core = await createCore({ dataDir, migrationsDir, log: silentLogger, workerScript });
  try {
    const db = core.sqlite;
    const out: Record<string, number> = {};
    out.readings = db.prepare('SELECT count(*) FROM readings').pluck().get() as number;

    // raw baselines
    let t0 = process.hrtime.bigint();
    let sum = 0;
    for (const r of db.prepare('SELECT meter_id, ts, kwh FROM readings').raw().iterate() as IterableIterator<[number, number, number | null]>) sum += r[2] ?? 0;
    out.rawReadAllMs = ms(t0);
    out.rawSum = sum;
    t0 = process.hrtime.bigint();
    db.prepare('SELECT count(*), total(kwh) FROM readings').get();
    out.rawSqlScanMs = ms(t0);
    t0 = process.hrtime.bigint();
    db.prepare('SELECT meter_id, ts / 86400 AS d, sum(kwh), min(kwh), max(kwh), count(*) FROM readings GROUP BY meter_id, d').raw().all();
    out.rawGroupByUtcDayMs = ms(t0);

    // full rebuild
    t0 = process.hrtime.bigint();
    const full = await core.aggregation.rebuild();
    out.fullRebuildMs = ms(t0);
    out.daysBuilt = full.daysTouched;

    // one new day for every meter, then the incremental roll-up
    // the app rolls up right after an import; hold that back once so the roll-up the import
    // triggers can be timed on its own, from the dirty ranges the import itself recorded
    const afterImport = core.scheduler.afterImport.bind(core.scheduler);
    core.scheduler.afterImport = () => Promise.resolve(null);
    const f = await core.files.storePath(newDayCsv);
    core.imports.enqueue([f.fileId]);
    await core.imports.drain();
    await core.scheduler.idle();
    core.scheduler.afterImport = afterImport;
    out.dirtyRanges = db.prepare('SELECT count(*) FROM aggregation_dirty').pluck().get() as number;
    t0 = process.hrtime.bigint();
    const inc = await core.aggregation.incremental();
    out.incrementalMs = ms(t0);
    out.incrementalMeters = inc.metersTouched;
    out.incrementalDays = inc.daysTouched;

    // dashboard and a meter's year
    core.handlers['dashboard.summary']({}, { role: 'admin', actor: 'bench' });
    t0 = process.hrtime.bigint();
    core.handlers['dashboard.summary']({}, { role: 'admin', actor: 'bench' });
    out.dashboardMs = ms(t0);
    const meter = db.prepare('SELECT identifier FROM meters ORDER BY id LIMIT 1').pluck().get() as string;
    t0 = process.hrtime.bigint();
    const series = core.meters.series(meter);
    out.meterYearSeriesMs = ms(t0);
    out.meterYearPoints = series.ts.length;
    t0 = process.hrtime.bigint();
    JSON.stringify(series);
    out.meterYearJsonMs = ms(t0);
    return out;
  } finally {
    await core.stop();
  }
}

export function newDayCsv(file: string, meters: string[], dayStartUtc: number): void {
  const lines = ['MPAN,Timestamp,kWh'];
  for (const m of meters) for (let i = 0; i < 48; i++) lines.push(`${m},${new Date((dayStartUtc + i * 1800) * 1000).toISOString().replace('.000Z', 'Z')},${(0.5 + (i % 7) / 10).toFixed(3)}`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, lines.join('\n') + '\n');
}
