// npm run bench:import — the import pipeline on a synthetic portfolio, beside a raw SQLite baseline
// measured in the same run. Usage: node scripts/bench/import.mjs [--meters N] [--days D] [--keep]
import { execFileSync, spawnSync } from 'node:child_process';
import { build } from 'esbuild';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';

const { values: o } = parseArgs({ options: { meters: { type: 'string', default: '1000' }, days: { type: 'string', default: '365' }, keep: { type: 'boolean', default: false } } });
const REPO = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const work = path.join(REPO, '.bench');
const dataRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'eclectyc-bench-'));
const cli = path.join(REPO, 'dist', 'cli.cjs');
if (!fs.existsSync(cli)) execFileSync('node', [path.join(REPO, 'scripts', 'build-main.mjs')], { stdio: 'inherit' });

function machine() {
  const c = os.cpus();
  return `${c[0]?.model ?? 'unknown CPU'} × ${c.length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM, ${os.type()} ${os.release()}, Node ${process.version}, SQLite ${new Database(':memory:').prepare('select sqlite_version()').pluck().get()}`;
}

// 1. the portfolio
const readings = Number(o.meters) * Number(o.days) * 48;
const stamp = `${o.meters}x${o.days}`;
const dir = path.join(work, stamp);
if (!fs.existsSync(path.join(dir, 'wide.csv'))) {
  console.error(`generating ${o.meters} meters × ${o.days} days = ${readings.toLocaleString()} readings in ${dir} …`);
  execFileSync('node', [path.join(REPO, 'scripts', 'bench', 'generate.mjs'), dir, o.meters, o.days], { stdio: ['ignore', 'ignore', 'inherit'] });
}
const longFile = path.join(dir, 'long.csv');
const wideFile = path.join(dir, 'wide.csv');
const mb = (f) => fs.statSync(f).size / 1e6;

// 2. raw baseline: a bare better-sqlite3 loop inserting pre-parsed rows into the same schema
function rawBaseline() {
  const dbPath = path.join(dataRoot, 'raw.sqlite');
  const db = new Database(dbPath);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('cache_size = -65536');
  for (const f of fs.readdirSync(path.join(REPO, 'drizzle')).filter((x) => x.endsWith('.sql')).sort()) {
    for (const stmt of fs.readFileSync(path.join(REPO, 'drizzle', f), 'utf8').split('--> statement-breakpoint')) if (stmt.trim()) db.exec(stmt);
  }
  const M = Number(o.meters);
  const perMeter = Number(o.days) * 48;
  const addMeter = db.prepare("INSERT INTO meters (identifier, kind, fuel) VALUES (?, 'other', 'electricity')");
  for (let m = 0; m < M; m++) addMeter.run(`M${m}`);
  // pre-parse: every row's values in typed arrays, before the clock starts
  const ts0 = Date.UTC(2024, 0, 1) / 1000;
  const kwh = new Float64Array(perMeter);
  for (let i = 0; i < perMeter; i++) kwh[i] = 0.2 + (i % 48) / 10;
  const B = 100;
  const bulk = db.prepare(`INSERT INTO readings (meter_id, day, ts, kwh, quality, batch_id, volume_m3) VALUES ${Array(B).fill('(?,?,?,?,?,?,?)').join(',')}`);
  const params = new Array(B * 7);
  const day = new Int32Array(perMeter);
  for (let i = 0; i < perMeter; i++) day[i] = Math.floor((ts0 + i * 1800) / 86400);
  const t0 = process.hrtime.bigint();
  const one = db.prepare('INSERT INTO readings (meter_id, day, ts, kwh, quality, batch_id, volume_m3) VALUES (?,?,?,?,?,?,?)');
  const tx = db.transaction((m) => {
    let i = 0;
    for (; i + B <= perMeter; i += B) {
      for (let k = 0; k < B; k++) {
        const j = i + k;
        params[k * 7] = m + 1;
        params[k * 7 + 1] = day[j];
        params[k * 7 + 2] = ts0 + j * 1800;
        params[k * 7 + 3] = kwh[j];
        params[k * 7 + 4] = 0;
        params[k * 7 + 5] = 1;
        params[k * 7 + 6] = null;
      }
      bulk.run(params);
    }
    for (; i < perMeter; i++) one.run(m + 1, day[i], ts0 + i * 1800, kwh[i], 0, 1, null);
  });
  for (let m = 0; m < M; m++) tx(m);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  db.close();
  return { seconds, readingsPerSecond: readings / seconds };
}

// 3. the real pipeline, through the CLI, in a child process (peak RSS from getrusage)
function cliImport(file, dataDir) {
  const rss = path.join(REPO, 'scripts', 'bench', 'rss.cjs');
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['-r', rss, cli, 'import', file, '--data-dir', dataDir, '--json'], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`import failed: ${r.stderr}`);
  const out = JSON.parse(r.stdout).files[0];
  const peak = Number(/maxRSS=(\d+)/.exec(r.stderr)?.[1] ?? 0) / 1024;
  return { seconds, readingsPerSecond: (out.readingsImported + out.duplicates) / seconds, mbPerSecond: mb(file) / seconds, peakRssMb: peak, imported: out.readingsImported, duplicates: out.duplicates };
}

const dbSize = (d) => ['eclectyc.sqlite', 'eclectyc.sqlite-wal'].reduce((s, f) => s + (fs.existsSync(path.join(d, f)) ? fs.statSync(path.join(d, f)).size : 0), 0) / 1e6;

console.log(`Machine: ${machine()}`);
console.log(`Portfolio: ${o.meters} meters × ${o.days} days = ${readings.toLocaleString()} readings; long.csv ${mb(longFile).toFixed(0)} MB, wide.csv ${mb(wideFile).toFixed(0)} MB\n`);
const raw = rawBaseline();
const d1 = path.join(dataRoot, 'long');
const long = cliImport(longFile, d1);
const longSize = dbSize(d1);
const again = cliImport(longFile, d1);
const wide = cliImport(wideFile, path.join(dataRoot, 'wide'));

// 4. event-loop stalls in a host (thread vs inline), on a slice of the long file
const harness = path.join(REPO, 'node_modules', '.cache', 'eclectyc-bench', 'stall-harness.cjs');
const worker = path.join(path.dirname(harness), 'import-worker.cjs');
await build({ entryPoints: { 'stall-harness': path.join(REPO, 'scripts/bench/stall-harness.ts'), 'import-worker': path.join(REPO, 'src-main/core/imports/import-thread.ts') }, outdir: path.dirname(harness), outExtension: { '.js': '.cjs' }, bundle: true, platform: 'node', format: 'cjs', target: 'node20', external: ['better-sqlite3'], logLevel: 'error' });
const { measure } = await import(harness);
const threadRun = await measure(longFile, path.join(dataRoot, 'stall-thread'), path.join(REPO, 'drizzle'), worker);
const inlineRun = await measure(longFile, path.join(dataRoot, 'stall-inline'), path.join(REPO, 'drizzle'), null);

const row = (name, r) => `| ${name} | ${r.seconds.toFixed(2)} s | ${(r.readingsPerSecond / 1e6).toFixed(2)} M/s | ${r.mbPerSecond ? r.mbPerSecond.toFixed(0) + ' MB/s' : '—'} | ${r.peakRssMb ? r.peakRssMb.toFixed(0) + ' MB' : '—'} |`;
console.log('| run | time | readings/s | MB/s | peak RSS |');
console.log('|---|---|---|---|---|');
console.log(row('raw baseline: bare better-sqlite3 bulk insert of pre-parsed rows', raw));
console.log(row('long CSV, first import (CLI, end to end)', long));
console.log(row('long CSV, re-import (all duplicates)', again));
console.log(row('wide CSV, first import', wide));
console.log(`\nDatabase after the long import: ${longSize.toFixed(0)} MB (${((longSize * 1e6) / readings).toFixed(1)} bytes per reading)`);
console.log(`Pipeline vs raw baseline: ${((long.readingsPerSecond / raw.readingsPerSecond) * 100).toFixed(0)} %`);
console.log(`Host event loop during a ${readings.toLocaleString()}-reading import: worker thread longest stall ${threadRun.maxStallMs.toFixed(0)} ms (p99 ${threadRun.p99StallMs.toFixed(1)} ms, ${threadRun.seconds.toFixed(1)} s); inline (yielding per chunk) longest stall ${inlineRun.maxStallMs.toFixed(0)} ms (p99 ${inlineRun.p99StallMs.toFixed(1)} ms, ${inlineRun.seconds.toFixed(1)} s)`);
if (!o.keep) fs.rmSync(dataRoot, { recursive: true, force: true });
