// Shared by the benchmarks: options, the deterministic portfolio (generated once into
// .bench/<meters>x<days>/), the CLI bundled from the current source, the imported portfolio (kept
// in .bench/ and copied into a scratch folder for each run), DuckDB baselines, the machine line and
// the results table.
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import { build } from 'esbuild';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';

export const REPO = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
export const MIGRATIONS = path.join(REPO, 'drizzle');
const CACHE = path.join(REPO, 'node_modules', '.cache', 'eclectyc-bench');

// ------------------------------------------------------------------ options and scratch folders

/** --meters N (1000) --days D (365) --keep (leave the scratch folders for inspection). */
export function options() {
  const { values: o } = parseArgs({
    options: {
      meters: { type: 'string', default: '1000' },
      days: { type: 'string', default: '365' },
      keep: { type: 'boolean', default: false },
    },
  });
  const meters = Number(o.meters);
  const days = Number(o.days);
  if (!(Number.isInteger(meters) && meters > 0 && Number.isInteger(days) && days > 1))
    throw new Error('--meters and --days must be whole numbers (days ≥ 2)');
  return {
    meters,
    days,
    keep: o.keep,
    readings: meters * days * 48,
    dir: path.join(REPO, '.bench', `${meters}x${days}`),
  };
}

const scratch = [];
function cleanup() {
  for (const { dir, keep } of scratch.splice(0)) {
    if (keep) console.error(`kept ${dir}`);
    else fs.rmSync(dir, { recursive: true, force: true });
  }
}
process.on('exit', cleanup);
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    cleanup();
    process.exit(128 + (os.constants.signals[sig] ?? 0));
  });
}

/** A scratch folder in the system temp folder, removed when the process exits (unless --keep). */
export function scratchDir(prefix, keep = false) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  scratch.push({ dir, keep });
  return dir;
}

// ------------------------------------------------------------------ the portfolio

/** Generates the portfolio's long.csv and wide.csv once (deterministic), in o.dir. */
export function ensurePortfolio(o) {
  if (!fs.existsSync(path.join(o.dir, 'wide.csv')) || !fs.existsSync(path.join(o.dir, 'long.csv'))) {
    console.error(
      `generating ${o.meters} meters × ${o.days} days = ${o.readings.toLocaleString('en-GB')} readings in ${path.relative(REPO, o.dir)} …`,
    );
    execFileSync(
      process.execPath,
      [path.join(REPO, 'scripts', 'bench', 'generate.mjs'), o.dir, String(o.meters), String(o.days)],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
  }
  return { long: path.join(o.dir, 'long.csv'), wide: path.join(o.dir, 'wide.csv') };
}

/** The modules scripts/build-main.mjs keeps out of the app's bundle (native, Electron's, PDFKit's data files). */
const EXTERNAL = ['better-sqlite3', 'electron', 'electron-updater', 'pdfkit', 'pg', 'ssh2', 'ssh2-sftp-client'];

/**
 * Bundles harness entry points (TypeScript) into node_modules/.cache/eclectyc-bench (or `outDir`) and
 * returns that folder; `external` adds packages left out of the bundle besides the app's own.
 */

export async function bundle(entryPoints, outDir = CACHE, external = []) {
  await build({
    entryPoints,
    outdir: outDir,
    outExtension: { '.js': '.cjs' },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: [...EXTERNAL, ...external],
    logLevel: 'error',
  });
  return outDir;
}

let builtCli = null;
/**
 * The CLI and its import worker bundled from the current source (as scripts/build-main.mjs does,
 * into node_modules/.cache/eclectyc-bench/cli/, so dist/ is left alone and never stale), and a
 * digest of the bundle and the migrations: an imported portfolio made by another build is redone.
 */
export async function cliBuild() {
  if (builtCli) return builtCli;
  const outDir = path.join(CACHE, 'cli');
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'));
  await build({
    entryPoints: {
      cli: path.join(REPO, 'src-main/cli/main.ts'),
      'import-worker': path.join(REPO, 'src-main/core/imports/import-thread.ts'),
    },
    outdir: outDir,
    outExtension: { '.js': '.cjs' },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: EXTERNAL,
    define: { __APP_VERSION__: JSON.stringify(pkg.version) },
    logLevel: 'error',
  });
  const h = crypto.createHash('sha256');
  for (const f of ['cli.cjs', 'import-worker.cjs']) h.update(fs.readFileSync(path.join(outDir, f)));
  for (const f of fs
    .readdirSync(MIGRATIONS)
    .filter((x) => x.endsWith('.sql'))
    .sort())
    h.update(f).update(fs.readFileSync(path.join(MIGRATIONS, f)));
  builtCli = {
    cli: path.join(outDir, 'cli.cjs'),
    worker: path.join(outDir, 'import-worker.cjs'),
    digest: h.digest('hex').slice(0, 16),
  };
  return builtCli;
}

const DB_FILES = ['eclectyc.sqlite', 'eclectyc.sqlite-wal'];

/** Bytes of a data folder's database (the file and its WAL). */
export const dbBytes = (dataDir) =>
  DB_FILES.reduce(
    (s, f) => s + (fs.existsSync(path.join(dataDir, f)) ? fs.statSync(path.join(dataDir, f)).size : 0),
    0,
  );

/** Keeps an imported data folder's database as the portfolio's imported copy (.bench/NxD/imported). */
export async function keepImported(o, dataDir) {
  const { digest } = await cliBuild();
  const dest = path.join(o.dir, 'imported');
  fs.rmSync(dest, { recursive: true, force: true });
  fs.mkdirSync(dest, { recursive: true });
  for (const f of fs.readdirSync(dataDir))
    if (f.startsWith('eclectyc.sqlite')) fs.copyFileSync(path.join(dataDir, f), path.join(dest, f));
  fs.writeFileSync(path.join(dest, 'build'), digest);
}

/**
 * The portfolio's long.csv imported by the current build (done once, kept in .bench/NxD/imported),
 * copied into a scratch folder: each run starts from the same database.
 */
export async function importedPortfolio(o, prefix) {
  const files = ensurePortfolio(o);
  const { cli, digest } = await cliBuild();
  const imported = path.join(o.dir, 'imported');
  const stamp = path.join(imported, 'build');
  if (!fs.existsSync(stamp) || fs.readFileSync(stamp, 'utf8') !== digest) {
    console.error(
      `importing ${path.relative(REPO, files.long)} with the current build (kept in ${path.relative(REPO, imported)}) …`,
    );
    const tmp = scratchDir('eclectyc-bench-portfolio-');
    execFileSync(process.execPath, [cli, 'import', files.long, '--data-dir', tmp, '--json'], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    await keepImported(o, tmp);
  }
  const work = scratchDir(prefix, o.keep);
  for (const f of fs.readdirSync(imported))
    if (f.startsWith('eclectyc.sqlite')) fs.copyFileSync(path.join(imported, f), path.join(work, f));
  return { work, files };
}

// ------------------------------------------------------------------ DuckDB baselines

const seconds = (t0) => Number(process.hrtime.bigint() - t0) / 1e9;
const sqlString = (s) => `'${s.replaceAll("'", "''")}'`;

/** A DuckDB database (':memory:' or a file) with 2 threads, and a timed run(). */
export async function duck(dbPath = ':memory:') {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const inst = await DuckDBInstance.create(dbPath, { threads: '2' });
  const c = await inst.connect();
  return {
    async time(sql) {
      const t0 = process.hrtime.bigint();
      await c.run(sql);
      return seconds(t0);
    },
    async value(sql) {
      return (await c.runAndReadAll(sql)).getRows()[0]?.[0];
    },
    close() {
      c.closeSync();
      inst.closeSync();
    },
  };
}

/** CREATE TABLE r AS SELECT * FROM read_csv(file) (then CHECKPOINT, for a database file): seconds and rows. */
export async function duckLoad(db, csv, { checkpoint = false } = {}) {
  let s = await db.time(`CREATE OR REPLACE TABLE r AS SELECT * FROM read_csv(${sqlString(csv)})`);
  if (checkpoint) s += await db.time('CHECKPOINT');
  return { seconds: s, rows: Number(await db.value('SELECT count(*) FROM r')) };
}

/** Daily sum/min/max/count per meter, by UTC day and by UK local day, materialised: seconds and groups. */
export async function duckGroupBy(db) {
  const agg = 'sum(kWh) AS kwh, min(kWh) AS lo, max(kWh) AS hi, count(*) AS n';
  const utc = await db.time(
    `CREATE OR REPLACE TEMP TABLE daily_utc AS SELECT MPAN, epoch(Timestamp)::BIGINT // 86400 AS day, ${agg} FROM r GROUP BY MPAN, day`,
  );
  const uk = await db.time(
    `CREATE OR REPLACE TEMP TABLE daily_uk AS SELECT MPAN, (Timestamp AT TIME ZONE 'Europe/London')::DATE AS day, ${agg} FROM r GROUP BY MPAN, day`,
  );
  return {
    utcSeconds: utc,
    ukSeconds: uk,
    utcGroups: Number(await db.value('SELECT count(*) FROM daily_utc')),
    ukGroups: Number(await db.value('SELECT count(*) FROM daily_uk')),
  };
}

// ------------------------------------------------------------------ the machine line and the table

export async function machineLine() {
  const c = os.cpus();
  const mem = new Database(':memory:');
  const sqlite = mem.prepare('select sqlite_version()').pluck().get();
  mem.close();
  const bs3 = JSON.parse(fs.readFileSync(path.join(REPO, 'node_modules/better-sqlite3/package.json'), 'utf8')).version;
  let duckVersion = '?';
  try {
    const db = await duck();
    duckVersion = await db.value('SELECT version()');
    db.close();
  } catch {
    /* reported as ? */
  }
  const model = (c[0]?.model ?? 'unknown CPU').replace(/\s+/g, ' ').trim();
  return `Machine: ${model} × ${c.length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM, ${os.type()} ${os.release()} (${os.arch()}), Node ${process.version}, SQLite ${sqlite} (better-sqlite3 ${bs3}), DuckDB ${duckVersion}; run ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export const fmtS = (s) => (s >= 100 ? `${s.toFixed(0)} s` : s >= 10 ? `${s.toFixed(1)} s` : `${s.toFixed(2)} s`);
export const fmtMs = (ms) => (ms >= 1000 ? fmtS(ms / 1000) : ms >= 100 ? `${ms.toFixed(0)} ms` : `${ms.toFixed(1)} ms`);
export const fmtBytes = (b) =>
  b >= 10e6 ? `${(b / 1e6).toFixed(0)} MB` : b >= 1e6 ? `${(b / 1e6).toFixed(1)} MB` : `${(b / 1e3).toFixed(0)} kB`;
export const fmtRate = (perSecond) => `${(perSecond / 1e6).toFixed(2)} M/s`;
/** "met" / "**not met**" (undefined: no target). */
export const verdict = (ok) => (ok === undefined ? '' : ok ? 'met' : '**not met**');

/** A markdown table: rows of cells (strings); bold for the app's own figures is left to the caller. */
export function table(head, rows) {
  const line = (cells) => `| ${cells.map((c) => String(c ?? '').replaceAll('|', '\\|')).join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
}
