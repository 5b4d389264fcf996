// npm run bench:exports — a year of half-hours for 1,000 meters (written straight through the
// readings store, as bench:tables does) exported to CSV through the exports core: readings in the
// long layout (one row per half-hour) and the wide layout (one row per meter-day), and day totals.
// Each export runs in its own process, timed there, with its peak resident set size from getrusage
// (rss.cjs). Targets (issue 18): ≤ 10 s and ≤ 250 MB. Usage: node scripts/bench/exports.mjs [--meters N] [--keep]
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { bundle, fmtBytes, fmtMs, machineLine, MIGRATIONS, REPO, scratchDir, table, verdict } from './portfolio.mjs';

const TARGET_MS = 10_000;
const TARGET_RSS = 250e6;
const DAYS = 365;

const { values: o } = parseArgs({
  options: { meters: { type: 'string', default: '1000' }, keep: { type: 'boolean', default: false } },
});
const meters = Number(o.meters);
const outDir = await bundle({ 'exports-harness': path.join(REPO, 'scripts/bench/exports-harness.ts') });
const harness = path.join(outDir, 'exports-harness.cjs');
const h = await import(harness);
console.log(await machineLine());

const dir = scratchDir('eclectyc-bench-exports-', o.keep);
const built = await h.build(dir, MIGRATIONS, meters, DAYS);
console.error(`${meters} meters × ${DAYS} days written in ${fmtMs(built.buildMs)}`);

const results = [];
for (const what of ['baseline', 'long', 'wide', 'days']) {
  const file = path.join(dir, `${what}.csv`);
  const script = `require(${JSON.stringify(harness)}).exportAll(${[dir, MIGRATIONS, what, built.from, built.to, file]
    .map((a) => JSON.stringify(a))
    .join(', ')}).then((r) => process.stdout.write(JSON.stringify(r)))`;
  const child = spawnSync(
    process.execPath,
    ['--require', path.join(REPO, 'scripts', 'bench', 'rss.cjs'), '-e', script],
    {
      encoding: 'utf8',
    },
  );
  const rss = /maxRSS=(\d+)/.exec(child.stderr);
  if (child.status !== 0 || !rss) throw new Error(`the ${what} export failed: ${child.stderr}`);
  results.push({ what, ...JSON.parse(child.stdout), rss: Number(rss[1]) * 1024 });
}

const LABEL = {
  baseline: 'baseline: the core opened and closed, nothing exported',
  long: 'readings, long (a row per half-hour)',
  wide: 'readings, wide (a row per meter-day, 50 half-hours by UK local start, with flags)',
  days: 'day totals (a row per meter-day)',
};
console.log(
  `\n${meters.toLocaleString('en-GB')} meters × ${DAYS} days (${built.from} to ${built.to}, to exclusive), one meter in ten gas; written in ${fmtMs(built.buildMs)}\n`,
);
console.log(
  table(
    ['export (--all, a year)', 'rows', 'file', 'time', 'CPU time', 'peak RSS', 'target', 'result'],
    results.map((r) =>
      r.what === 'baseline'
        ? [LABEL[r.what], '', '', '', '', fmtBytes(r.rss), '', '']
        : [
            LABEL[r.what],
            r.rows.toLocaleString('en-GB'),
            fmtBytes(r.bytes),
            fmtMs(r.exportMs),
            fmtMs(r.cpuMs),
            fmtBytes(r.rss),
            '≤ 10 s, ≤ 250 MB',
            verdict(r.exportMs <= TARGET_MS && r.rss <= TARGET_RSS),
          ],
    ),
  ),
);
if (results.some((r) => r.exportMs > TARGET_MS || r.rss > TARGET_RSS)) process.exitCode = 1;
