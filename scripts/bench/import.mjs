// npm run bench:import — the import pipeline (the real CLI, a child process) on the deterministic
// portfolio, beside baselines measured in the same run on the same machine: a naive better-sqlite3
// loop (what a new user would write) and DuckDB loading the same CSV.
// Usage: node scripts/bench/import.mjs [--meters N] [--days D] [--keep]
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import Database from 'better-sqlite3';
import {
  bundle,
  cliBuild,
  dbBytes,
  duck,
  fmtBytes,
  duckGroupBy,
  duckLoad,
  ensurePortfolio,
  fmtRate,
  fmtS,
  keepImported,
  machineLine,
  MIGRATIONS,
  options,
  REPO,
  scratchDir,
  table,
  verdict,
} from './portfolio.mjs';

const TARGET = { readingsPerSecond: 3e6, vsDuck: 2, reimportShare: 0.1, rssMb: 250, bytesPerReading: 12 };

const o = options();
const files = ensurePortfolio(o);
const { cli, worker } = await cliBuild();
const root = scratchDir('eclectyc-bench-import-', o.keep);
const mb = (f) => fs.statSync(f).size / 1e6;
const since = (t0) => Number(process.hrtime.bigint() - t0) / 1e9;

console.log(await machineLine());
console.log(
  `Portfolio: ${o.meters.toLocaleString('en-GB')} meters × ${o.days} days = ${o.readings.toLocaleString('en-GB')} readings; long.csv ${mb(files.long).toFixed(0)} MB, wide.csv ${mb(files.wide).toFixed(0)} MB\n`,
);

// both files into the page cache first, so no run pays for the disk more than another
for (const f of [files.long, files.wide]) {
  const fd = fs.openSync(f, 'r');
  const buf = Buffer.allocUnsafe(8 << 20);
  while (fs.readSync(fd, buf, 0, buf.length, null) > 0);
  fs.closeSync(fd);
}

// 1. naive baseline: read the long CSV line by line, split each line, one INSERT per reading
//    (prepared statement, 10,000 rows per transaction) into a fresh table keyed (meter, ts)
async function naive(file) {
  const dbPath = path.join(root, 'naive.sqlite');
  const db = new Database(dbPath);
  db.pragma('journal_mode = WAL');
  db.exec(
    'CREATE TABLE readings (meter TEXT NOT NULL, ts INTEGER NOT NULL, kwh REAL, quality TEXT, PRIMARY KEY (meter, ts))',
  );
  const insert = db.prepare('INSERT INTO readings (meter, ts, kwh, quality) VALUES (?, ?, ?, ?)');
  const insertMany = db.transaction((rows) => {
    for (const r of rows) insert.run(r[0], r[1], r[2], r[3]);
  });
  const t0 = process.hrtime.bigint();
  const lines = readline.createInterface({ input: fs.createReadStream(file), crlfDelay: Infinity });
  let header = true;
  let rows = [];
  let n = 0;
  for await (const line of lines) {
    if (header) {
      header = false;
      continue;
    }
    if (!line) continue;
    const [meter, ts, kwh, quality] = line.split(',');
    rows.push([meter, Date.parse(ts) / 1000, Number(kwh), quality]);
    if (rows.length === 10_000) {
      insertMany(rows);
      n += rows.length;
      rows = [];
    }
  }
  insertMany(rows);
  n += rows.length;
  db.close();
  const seconds = since(t0);
  const bytes = ['', '-wal'].reduce((s, x) => s + (fs.existsSync(dbPath + x) ? fs.statSync(dbPath + x).size : 0), 0);
  fs.rmSync(dbPath, { force: true });
  fs.rmSync(dbPath + '-wal', { force: true });
  fs.rmSync(dbPath + '-shm', { force: true });
  return { seconds, readings: n, readingsPerSecond: n / seconds, mbPerSecond: mb(file) / seconds, bytes };
}

// 2. DuckDB: read_csv into an in-memory table and into a database file; then the daily GROUP BY
async function duckdb(file) {
  const mem = await duck();
  const inMemory = await duckLoad(mem, file);
  const groupBy = await duckGroupBy(mem);
  mem.close();
  const dbPath = path.join(root, 'duck.duckdb');
  const disk = await duck(dbPath);
  const onDisk = await duckLoad(disk, file, { checkpoint: true });
  disk.close();
  const bytes = ['', '.wal'].reduce((s, x) => s + (fs.existsSync(dbPath + x) ? fs.statSync(dbPath + x).size : 0), 0);
  fs.rmSync(dbPath, { force: true });
  fs.rmSync(dbPath + '.wal', { force: true });
  const rate = (r) => ({ ...r, readingsPerSecond: r.rows / r.seconds, mbPerSecond: mb(file) / r.seconds });
  return { inMemory: rate(inMemory), onDisk: { ...rate(onDisk), bytes }, groupBy };
}

// 3. the app: the CLI in a child process (peak RSS from getrusage, printed by rss.cjs at exit)
function cliImport(file, dataDir) {
  const rss = path.join(REPO, 'scripts', 'bench', 'rss.cjs');
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['-r', rss, cli, 'import', file, '--data-dir', dataDir, '--json'], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  const seconds = since(t0);
  let out;
  try {
    out = JSON.parse(r.stdout).files[0];
  } catch {
    throw new Error(`import of ${file} failed (exit ${r.status}): ${r.stderr}`);
  }
  if (r.status !== 0 || out.status !== 'done')
    throw new Error(`import of ${file} failed (exit ${r.status}, ${out.status}): ${out.error ?? r.stderr}`);
  const peakRssMb = Number(/maxRSS=(\d+)/.exec(r.stderr)?.[1] ?? 0) / 1024;
  const readings = out.readingsImported + out.duplicates;
  return {
    seconds,
    readings,
    readingsPerSecond: readings / seconds,
    mbPerSecond: mb(file) / seconds,
    peakRssMb,
    imported: out.readingsImported,
    duplicates: out.duplicates,
    conflicts: out.conflicts,
    rejected: out.rowsRejected,
  };
}

console.error('naive better-sqlite3 loop …');
const raw = await naive(files.long);
console.error('DuckDB …');
const dk = await duckdb(files.long);

console.error('CLI: long CSV, first import …');
const longDir = path.join(root, 'long');
const long = cliImport(files.long, longDir);
const longBytes = dbBytes(longDir);
await keepImported(o, longDir); // the aggregate and tariff benchmarks start from this database
// the fixed cost of any CLI run: start Node, load the bundle, open the database, list one job, close
const startup = (() => {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [cli, 'jobs', '--data-dir', longDir, '--json'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`eclectyc jobs failed: ${r.stderr}`);
  return since(t0);
})();
console.error('CLI: long CSV, re-import …');
const again = cliImport(files.long, longDir);
// the same readings in a file with other bytes (a blank line appended): no shortcut by SHA-256,
// every day is read and compared with what is stored
const copy = path.join(root, 'long-copy.csv');
fs.copyFileSync(files.long, copy);
fs.appendFileSync(copy, '\n');
console.error('CLI: long CSV, same data in another file …');
const sameData = cliImport(copy, longDir);
fs.rmSync(copy, { force: true });
fs.rmSync(longDir, { recursive: true, force: true });
console.error('CLI: wide CSV, first import …');
const wideDir = path.join(root, 'wide');
const wide = cliImport(files.wide, wideDir);
fs.rmSync(wideDir, { recursive: true, force: true });

// 4. the host's event loop while a core imports the long file, on the worker thread and inline
console.error('host event loop during an import (worker thread, then inline) …');
const outDir = await bundle({ 'stall-harness': path.join(REPO, 'scripts/bench/stall-harness.ts') });
const { measure } = await import(path.join(outDir, 'stall-harness.cjs'));
const threadRun = await measure(files.long, path.join(root, 'stall-thread'), MIGRATIONS, worker);
fs.rmSync(path.join(root, 'stall-thread'), { recursive: true, force: true });
const inlineRun = await measure(files.long, path.join(root, 'stall-inline'), MIGRATIONS, null);
fs.rmSync(path.join(root, 'stall-inline'), { recursive: true, force: true });

// ------------------------------------------------------------------ results
const checks = [];
const check = (what, figure, target, ok) => {
  checks.push([what, figure, target, verdict(ok)]);
  return verdict(ok);
};
const rssMb = (r) => (r.peakRssMb ? `${r.peakRssMb.toFixed(0)} MB` : '—');
const row = (name, r, target = '', result = '') => [
  name,
  fmtS(r.seconds),
  fmtRate(r.readingsPerSecond),
  `${r.mbPerSecond.toFixed(0)} MB/s`,
  rssMb(r),
  target,
  result,
];

const longVsMem = long.seconds / dk.inMemory.seconds;
const longVsDisk = long.seconds / dk.onDisk.seconds;
const longOk = long.readingsPerSecond >= TARGET.readingsPerSecond;
const reimportShare = again.seconds / long.seconds;
const peak = Math.max(long.peakRssMb, again.peakRssMb, sameData.peakRssMb, wide.peakRssMb);
const bytesPerReading = longBytes / long.imported;

check('long CSV, first import: readings/s end to end', fmtRate(long.readingsPerSecond), '≥ 3 M/s', longOk);
check(
  'long CSV, first import vs DuckDB read_csv → in-memory table',
  `${longVsMem.toFixed(2)} × (${fmtS(long.seconds)} vs ${fmtS(dk.inMemory.seconds)})`,
  '≤ 2 ×',
  longVsMem <= TARGET.vsDuck,
);
check(
  'long CSV, first import vs DuckDB read_csv → database file',
  `${longVsDisk.toFixed(2)} × (${fmtS(long.seconds)} vs ${fmtS(dk.onDisk.seconds)})`,
  '≤ 2 ×',
  longVsDisk <= TARGET.vsDuck,
);
check(
  're-import of the same file, share of the first import',
  `${(reimportShare * 100).toFixed(1)} % (${fmtS(again.seconds)})`,
  '≤ 10 %',
  reimportShare <= TARGET.reimportShare,
);
check(
  'wide CSV per reading vs long CSV',
  `${fmtRate(wide.readingsPerSecond)} vs ${fmtRate(long.readingsPerSecond)}`,
  '≥ long',
  wide.readingsPerSecond >= long.readingsPerSecond,
);
check('peak RSS of any CLI import', `${peak.toFixed(0)} MB`, '≤ 250 MB', peak <= TARGET.rssMb);
check(
  'database bytes per stored reading after the long import',
  `${bytesPerReading.toFixed(2)} B`,
  '≤ 12 B',
  bytesPerReading <= TARGET.bytesPerReading,
);

console.log('### Import\n');
console.log(
  table(
    ['run', 'time', 'readings/s', 'MB/s', 'peak RSS', 'target', 'result'],
    [
      row(
        'baseline: naive better-sqlite3 loop (readline, split, one INSERT per reading, 10,000 per transaction, key (meter, ts))',
        raw,
      ),
      row('baseline: DuckDB `read_csv` → in-memory table (2 threads)', dk.inMemory),
      row('baseline: DuckDB `read_csv` → database file, with checkpoint (2 threads)', dk.onDisk),
      row(
        '**long CSV, first import** (CLI, end to end)',
        long,
        '≥ 3 M/s; ≤ 2 × DuckDB',
        `${verdict(longOk)}; ${longVsMem.toFixed(2)} × in-memory ${verdict(longVsMem <= TARGET.vsDuck)}, ${longVsDisk.toFixed(2)} × file ${verdict(longVsDisk <= TARGET.vsDuck)}`,
      ),
      [
        'baseline: CLI start-up and shut-down alone (`eclectyc jobs --json` on the imported data folder)',
        fmtS(startup),
        '—',
        '—',
        '—',
        '',
        `${((startup / long.seconds) * 100).toFixed(1)} % of first`,
      ],
      row(
        '**long CSV, re-import of the same file** (same SHA-256)',
        again,
        '≤ 10 % of first',
        `${(reimportShare * 100).toFixed(1)} % ${verdict(reimportShare <= TARGET.reimportShare)}`,
      ),
      row(
        'long CSV, the same data in another file (a blank line appended: every day compared)',
        sameData,
        '',
        `${((sameData.seconds / long.seconds) * 100).toFixed(0)} % of first`,
      ),
      row(
        '**wide CSV, first import**',
        wide,
        '≥ long per reading',
        verdict(wide.readingsPerSecond >= long.readingsPerSecond),
      ),
    ],
  ),
);
console.log();
console.log(
  table(
    ['storage after loading the long CSV', 'bytes', 'bytes per reading', 'target', 'result'],
    [
      [
        'naive SQLite table (meter, ts, kwh, quality; key (meter, ts))',
        fmtBytes(raw.bytes),
        (raw.bytes / raw.readings).toFixed(1),
        '',
        '',
      ],
      ['DuckDB database file', fmtBytes(dk.onDisk.bytes), (dk.onDisk.bytes / dk.onDisk.rows).toFixed(1), '', ''],
      [
        '**the app** (eclectyc.sqlite + -wal, after the first import)',
        fmtBytes(longBytes),
        bytesPerReading.toFixed(2),
        '≤ 12',
        verdict(bytesPerReading <= TARGET.bytesPerReading),
      ],
    ],
  ),
);
console.log();
console.log(
  table(
    ['DuckDB daily GROUP BY on the in-memory table (sum, min, max, count per meter and day)', 'time', 'groups'],
    [
      [
        'by UTC day (`epoch(Timestamp)::BIGINT // 86400`)',
        fmtS(dk.groupBy.utcSeconds),
        dk.groupBy.utcGroups.toLocaleString('en-GB'),
      ],
      [
        "by UK local day (`(Timestamp AT TIME ZONE 'Europe/London')::DATE`)",
        fmtS(dk.groupBy.ukSeconds),
        dk.groupBy.ukGroups.toLocaleString('en-GB'),
      ],
    ],
  ),
);
console.log();
console.log(
  table(
    [
      `host event loop while a core imports the long CSV (${o.readings.toLocaleString('en-GB')} readings)`,
      'longest stall',
      'p99 stall',
      'import time',
      'readings stored',
    ],
    [
      [
        'import on the worker thread (desktop app, server)',
        `${threadRun.maxStallMs.toFixed(0)} ms`,
        `${threadRun.p99StallMs.toFixed(1)} ms`,
        fmtS(threadRun.seconds),
        threadRun.readings.toLocaleString('en-GB'),
      ],
      [
        'import inline on the host thread (yielding between chunks)',
        `${inlineRun.maxStallMs.toFixed(0)} ms`,
        `${inlineRun.p99StallMs.toFixed(1)} ms`,
        fmtS(inlineRun.seconds),
        inlineRun.readings.toLocaleString('en-GB'),
      ],
    ],
  ),
);
console.log();
console.log(table(['check', 'figure', 'target', 'result'], checks));

// sanity: every run saw what it should
const problems = [];
if (long.imported !== o.readings)
  problems.push(`first import stored ${long.imported} readings, expected ${o.readings}`);
if (again.duplicates !== o.readings || again.imported !== 0)
  problems.push(`re-import: ${again.imported} imported, ${again.duplicates} duplicates`);
if (sameData.duplicates !== o.readings || sameData.imported !== 0)
  problems.push(`same data, other file: ${sameData.imported} imported, ${sameData.duplicates} duplicates`);
if (wide.imported !== o.readings) problems.push(`wide import stored ${wide.imported} readings, expected ${o.readings}`);
if (raw.readings !== o.readings || dk.inMemory.rows !== o.readings || dk.onDisk.rows !== o.readings)
  problems.push(`baselines loaded ${raw.readings} / ${dk.inMemory.rows} / ${dk.onDisk.rows} rows`);
for (const [name, r] of [
  ['thread', threadRun],
  ['inline', inlineRun],
])
  if (r.status !== 'done' || r.readings !== o.readings)
    problems.push(`stall run (${name}): ${r.status}, ${r.readings} readings stored`);
for (const [name, r] of [
  ['first', long],
  ['re-import', again],
  ['other file', sameData],
  ['wide', wide],
])
  if (r.conflicts || r.rejected) problems.push(`${name}: ${r.conflicts} conflicts, ${r.rejected} rows rejected`);
if (problems.length) {
  console.log(`\nWARNING: ${problems.join('; ')}`);
  process.exitCode = 1;
}
