// npm run bench:tariffs — one meter's 90 days and the whole portfolio priced on 50 tariffs, beside a
// bare loop over the same half-hours in the same run. Uses the import benchmark's portfolio.
// Usage: node scripts/bench/tariffs.mjs [--meters N] [--days D]
import fs from 'node:fs';
import path from 'node:path';
import { bundle, machineLine, REPO, scratchPortfolio } from './portfolio.mjs';

const { work } = scratchPortfolio('eclectyc-bench-tariffs-');
const outDir = await bundle({ 'tariffs-harness': path.join(REPO, 'scripts/bench/tariffs-harness.ts') });
const h = await import(path.join(outDir, 'tariffs-harness.cjs'));
console.log(machineLine());
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
