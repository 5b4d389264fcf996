// npm run bench:tariffs — one meter's 90 days and the whole portfolio priced on 50 tariffs, beside a
// bare loop over the same half-hours in the same run. Uses the import benchmark's portfolio.
// Usage: node scripts/bench/tariffs.mjs [--meters N] [--days D]
import { execFileSync } from 'node:child_process';
import { build } from 'esbuild';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

const { values: o } = parseArgs({ options: { meters: { type: 'string', default: '1000' }, days: { type: 'string', default: '365' } } });
const REPO = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const dir = path.join(REPO, '.bench', `${o.meters}x${o.days}`);
const cli = path.join(REPO, 'dist', 'cli.cjs');
if (!fs.existsSync(cli)) execFileSync('node', [path.join(REPO, 'scripts', 'build-main.mjs')], { stdio: 'inherit' });
if (!fs.existsSync(path.join(dir, 'long.csv'))) execFileSync('node', [path.join(REPO, 'scripts', 'bench', 'generate.mjs'), dir, o.meters, o.days], { stdio: ['ignore', 'ignore', 'inherit'] });
const imported = path.join(dir, 'imported');
if (!fs.existsSync(path.join(imported, 'eclectyc.sqlite'))) {
  console.error('importing the portfolio once (kept in .bench/) …');
  execFileSync(process.execPath, [cli, 'import', path.join(dir, 'long.csv'), '--data-dir', imported, '--json'], { stdio: ['ignore', 'ignore', 'inherit'] });
}
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'eclectyc-bench-tariffs-'));
for (const f of fs.readdirSync(imported)) if (f.startsWith('eclectyc.sqlite')) fs.copyFileSync(path.join(imported, f), path.join(work, f));

const outDir = path.join(REPO, 'node_modules', '.cache', 'eclectyc-bench');
await build({ entryPoints: { 'tariffs-harness': path.join(REPO, 'scripts/bench/tariffs-harness.ts') }, outdir: outDir, outExtension: { '.js': '.cjs' }, bundle: true, platform: 'node', format: 'cjs', target: 'node20', external: ['better-sqlite3'], logLevel: 'error' });
const h = await import(path.join(outDir, 'tariffs-harness.cjs'));
const c = os.cpus();
console.log(`Machine: ${c[0]?.model} × ${c.length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Node ${process.version}`);
try {
  const r = await h.run(work, path.join(REPO, 'drizzle'));
  console.log(`${r.tariffs} tariffs (15 single-rate, 15 Economy 7/10, 10 business with DUoS/CCL/capacity, 10 dynamic); ${r.halfHoursPerMeter.toLocaleString()} half-hours per meter (90 days)\n`);
  console.log('| measurement | time | target |');
  console.log('|---|---|---|');
  console.log(`| bare loop: one meter's half-hours from SQLite × 50 rates | ${r.bareOneMs.toFixed(1)} ms | |`);
  console.log(`| one meter, 90 days, current + ${r.alternatives} alternatives ranked (read, price, breakdowns) | ${r.oneMeterMs.toFixed(1)} ms | ≤ 20 ms |`);
  console.log(`| the same, first call in a fresh process (cold JIT, prices read from SQLite) | ${r.oneMeterColdMs.toFixed(1)} ms | |`);
  console.log(`| bare loop: the portfolio's half-hours from SQLite × 50 rates | ${(r.barePortfolioMs / 1000).toFixed(2)} s | |`);
  console.log(`| portfolio: ${r.meters.toLocaleString()} meters × 90 days × 50 tariffs (read, price, rank) | ${(r.portfolioMs / 1000).toFixed(2)} s | ≤ 5 s |`);
  console.log(`| "Analyse all meters": the same, saved (${r.runAllAnalysed} analyses, ${(r.savedBytes / 2 ** 20).toFixed(1)} MB compressed) | ${(r.runAllMs / 1000).toFixed(2)} s | |`);
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
