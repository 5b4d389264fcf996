// npm run bench:aggregate — roll-ups on the import benchmark's portfolio, beside raw SQL baselines
// in the same run. Usage: node scripts/bench/aggregate.mjs [--meters N] [--days D]
import { execFileSync } from 'node:child_process';
import { build } from 'esbuild';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';

const { values: o } = parseArgs({ options: { meters: { type: 'string', default: '1000' }, days: { type: 'string', default: '365' } } });
const REPO = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const stamp = `${o.meters}x${o.days}`;
const dir = path.join(REPO, '.bench', stamp);
const cli = path.join(REPO, 'dist', 'cli.cjs');
if (!fs.existsSync(cli)) execFileSync('node', [path.join(REPO, 'scripts', 'build-main.mjs')], { stdio: 'inherit' });
if (!fs.existsSync(path.join(dir, 'long.csv'))) execFileSync('node', [path.join(REPO, 'scripts', 'bench', 'generate.mjs'), dir, o.meters, o.days], { stdio: ['ignore', 'ignore', 'inherit'] });

// the imported portfolio, kept between runs (import it once)
const imported = path.join(dir, 'imported');
if (!fs.existsSync(path.join(imported, 'eclectyc.sqlite'))) {
  console.error('importing the portfolio once (kept in .bench/) …');
  execFileSync(process.execPath, [cli, 'import', path.join(dir, 'long.csv'), '--data-dir', imported, '--json'], { stdio: ['ignore', 'ignore', 'inherit'] });
}
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'eclectyc-bench-agg-'));
for (const f of fs.readdirSync(imported)) if (f.startsWith('eclectyc.sqlite')) fs.copyFileSync(path.join(imported, f), path.join(work, f));

const outDir = path.join(REPO, 'node_modules', '.cache', 'eclectyc-bench');
await build({ entryPoints: { 'aggregate-harness': path.join(REPO, 'scripts/bench/aggregate-harness.ts'), 'import-worker': path.join(REPO, 'src-main/core/imports/import-thread.ts') }, outdir: outDir, outExtension: { '.js': '.cjs' }, bundle: true, platform: 'node', format: 'cjs', target: 'node20', external: ['better-sqlite3'], logLevel: 'error' });
const h = await import(path.join(outDir, 'aggregate-harness.cjs'));

const db = new Database(path.join(work, 'eclectyc.sqlite'), { readonly: true });
const meters = db.prepare('SELECT identifier FROM meters ORDER BY id').pluck().all();
const lastTs = db.prepare('SELECT max(ts) FROM readings').pluck().get();
db.close();
const dayCsv = path.join(work, 'new-day.csv');
h.newDayCsv(dayCsv, meters, Math.floor(lastTs / 86400 + 1) * 86400);

const c = os.cpus();
console.log(`Machine: ${c[0]?.model} × ${c.length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Node ${process.version}`);
const r = await h.run(work, path.join(REPO, 'drizzle'), dayCsv, path.join(outDir, 'import-worker.cjs'));
console.log(`Portfolio: ${meters.length} meters, ${r.readings.toLocaleString()} readings, ${r.daysBuilt.toLocaleString()} meter-days\n`);
console.log('| measurement | time |');
console.log('|---|---|');
console.log(`| raw: SQLite scans every reading (SELECT count(*), total(kwh)) | ${(r.rawSqlScanMs / 1000).toFixed(2)} s |`);
console.log(`| raw: every reading into JavaScript (SELECT … iterate) | ${(r.rawReadAllMs / 1000).toFixed(2)} s |`);
console.log(`| raw: GROUP BY meter, ts/86400 (UTC days, with its sort) | ${(r.rawGroupByUtcDayMs / 1000).toFixed(2)} s |`);
console.log(`| full rebuild (UK days, weeks, months, years) | ${(r.fullRebuildMs / 1000).toFixed(2)} s |`);
console.log(`| incremental after one new day for ${r.incrementalMeters} meters (${r.incrementalDays} meter-days) | ${r.incrementalMs.toFixed(1)} ms |`);
console.log(`| dashboard summary query | ${r.dashboardMs.toFixed(1)} ms |`);
console.log(`| a meter's ${r.meterYearPoints.toLocaleString()} half-hours (query + JSON) | ${(r.meterYearSeriesMs + r.meterYearJsonMs).toFixed(1)} ms |`);
fs.rmSync(work, { recursive: true, force: true });
