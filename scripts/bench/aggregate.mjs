// npm run bench:aggregate — roll-ups on the import benchmark's portfolio, beside raw SQL baselines
// in the same run. Usage: node scripts/bench/aggregate.mjs [--meters N] [--days D]
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { bundle, machineLine, REPO, scratchPortfolio } from './portfolio.mjs';

const { work } = scratchPortfolio('eclectyc-bench-agg-');
const outDir = await bundle({ 'aggregate-harness': path.join(REPO, 'scripts/bench/aggregate-harness.ts'), 'import-worker': path.join(REPO, 'src-main/core/imports/import-thread.ts') });
const h = await import(path.join(outDir, 'aggregate-harness.cjs'));

const db = new Database(path.join(work, 'eclectyc.sqlite'), { readonly: true });
const meters = db.prepare('SELECT identifier FROM meters ORDER BY id').pluck().all();
const lastTs = db.prepare('SELECT max(ts) FROM readings').pluck().get();
db.close();
const dayCsv = path.join(work, 'new-day.csv');
h.newDayCsv(dayCsv, meters, Math.floor(lastTs / 86400 + 1) * 86400);

console.log(machineLine());
const r = await h.run(work, path.join(REPO, 'drizzle'), dayCsv, path.join(outDir, 'import-worker.cjs'));
console.log(`Portfolio: ${meters.length} meters, ${r.readings.toLocaleString()} readings, ${r.daysBuilt.toLocaleString()} meter-days\n`);
console.log('| measurement | time |');
console.log('|---|---|');
console.log(`| raw: SQLite scans every reading (SELECT count(*), total(kwh)) | ${(r.rawSqlScanMs / 1000).toFixed(2)} s |`);
console.log(`| raw: every reading into JavaScript (SELECT … iterate) | ${(r.rawReadAllMs / 1000).toFixed(2)} s |`);
console.log(`| raw: GROUP BY meter, ts/86400 (UTC days, with its sort) | ${(r.rawGroupByUtcDayMs / 1000).toFixed(2)} s |`);
console.log(`| full rebuild (every UK day of every meter) | ${(r.fullRebuildMs / 1000).toFixed(2)} s |`);
console.log(`| incremental after one new day for ${r.incrementalMeters} meters (${r.incrementalDays} meter-days) | ${r.incrementalMs.toFixed(1)} ms |`);
console.log(`| dashboard summary query | ${r.dashboardMs.toFixed(1)} ms |`);
console.log(`| a meter's ${r.meterYearPoints.toLocaleString()} half-hours (query + JSON) | ${(r.meterYearSeriesMs + r.meterYearJsonMs).toFixed(1)} ms |`);
fs.rmSync(work, { recursive: true, force: true });
