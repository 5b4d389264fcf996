// npm run bench:portfolio-report — the portfolio monthly report (issue 18: ≤ 5 s for 1,000 meters):
// the exports bench's portfolio (one meter in ten gas) over 430 days, on sites of 20 meters with flat
// tariffs and budgets, then the last whole month's portfolio report made as PDF in a fresh process
// (cold: the core just opened), three times. Prints the machine, the time (build from the core and
// PDF rendering), pages and bytes. Usage: node scripts/bench/portfolio-report.mjs [--meters N] [--keep]
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { bundle, fmtBytes, fmtMs, machineLine, MIGRATIONS, REPO, scratchDir, table, verdict } from './portfolio.mjs';

const TARGET_MS = 5_000;
const DAYS = 430;
const RUNS = 3;

const { values: o } = parseArgs({
  options: { meters: { type: 'string', default: '1000' }, keep: { type: 'boolean', default: false } },
});
const meters = Number(o.meters);
// bundled as scripts/build-main.mjs bundles the app: PDFKit external, the fonts found from the bundle
const outDir = await bundle(
  { 'portfolio-report-harness': path.join(REPO, 'scripts/bench/portfolio-report-harness.ts') },
  path.join(REPO, 'node_modules/.cache/eclectyc-bench/portfolio-report'),
);
const harness = path.join(outDir, 'portfolio-report-harness.cjs');
const h = await import(harness);
console.log(await machineLine());

const dir = scratchDir('eclectyc-bench-portfolio-report-', o.keep);

const built = await h.prepare(dir, MIGRATIONS, meters, DAYS);
// the last whole month before the data ends
const end = new Date(`${built.to}T00:00:00Z`);
const month = new Date(Date.UTC(end.getUTCFullYear(), end.getUTCMonth() - 1, 1)).toISOString().slice(0, 7);
console.error(`${meters} meters on ${built.sites} sites × ${DAYS} days written in ${fmtMs(built.buildMs)}`);

const results = [];
for (let i = 0; i < RUNS; i++) {
  const file = path.join(dir, `portfolio-${month}.pdf`);
  const script = `require(${JSON.stringify(harness)}).run(${[dir, MIGRATIONS, month, file]
    .map((a) => JSON.stringify(a))
    .join(', ')}).then((r) => process.stdout.write(JSON.stringify(r)))`;
  const child = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  if (child.status !== 0) throw new Error(`the report failed: ${child.stderr}`);
  results.push({ ...JSON.parse(child.stdout), load: os.loadavg()[0] });
}
console.log(
  `\nPortfolio monthly report for ${month}: ${meters.toLocaleString('en-GB')} meters on ${built.sites} sites, one meter in ten gas\n`,
);
console.log(
  table(
    [
      'run (fresh process)',
      'built from the core',
      'PDF rendered',
      'total',
      'CPU time',
      'load (1 min)',
      'pages',
      'size',
      'target',
      'result',
    ],
    results.map((r, i) => [
      String(i + 1),
      fmtMs(r.buildMs),
      fmtMs(r.renderMs),
      fmtMs(r.totalMs),
      fmtMs(r.cpuMs),
      r.load.toFixed(1),
      String(r.pages),
      fmtBytes(r.bytes),
      '≤ 5 s',
      verdict(r.totalMs <= TARGET_MS),
    ]),
  ),
);
if (results.some((r) => r.totalMs > TARGET_MS)) process.exitCode = 1;
