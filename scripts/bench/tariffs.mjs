// npm run bench:tariffs — one meter's 90 days and the whole portfolio priced on 50 tariffs, beside a
// bare loop over the same half-hours (read through the readings store) in the same run. Uses the
// import benchmark's portfolio. Usage: node scripts/bench/tariffs.mjs [--meters N] [--days D] [--keep]
import path from 'node:path';
import {
  bundle,
  fmtMs,
  importedPortfolio,
  machineLine,
  MIGRATIONS,
  options,
  REPO,
  table,
  verdict,
} from './portfolio.mjs';

const TARGET = { oneMeterMs: 20, portfolioMs: 1000 };

const o = options();
const { work } = await importedPortfolio(o, 'eclectyc-bench-tariffs-');
const outDir = await bundle({ 'tariffs-harness': path.join(REPO, 'scripts/bench/tariffs-harness.ts') });
const h = await import(path.join(outDir, 'tariffs-harness.cjs'));
console.log(await machineLine());
const r = await h.run(work, MIGRATIONS);
console.log(
  `${r.tariffs} tariffs (15 single-rate, 15 Economy 7/10, 10 business with DUoS/CCL/capacity, 10 dynamic); ${r.meters.toLocaleString('en-GB')} meters; ${r.halfHoursPerMeter.toLocaleString('en-GB')} half-hours per meter (the last 90 days)\n`,
);

const oneOk = r.oneMeterMs <= TARGET.oneMeterMs;
const portfolioOk = r.portfolioMs <= TARGET.portfolioMs;
console.log('### Tariffs\n');
console.log(
  table(
    ['measurement', 'time', 'target', 'result'],
    [
      [
        "baseline: bare loop, one meter's half-hours (`core.readings.readDays`) × 50 rates (median of 9)",
        fmtMs(r.bareOneMs),
        '',
        '',
      ],
      [
        `**one meter, 90 days**: current cost + ${r.alternatives} alternatives, each with its full breakdown, ranked (median of 9, warm)`,
        `**${fmtMs(r.oneMeterMs)}**`,
        '≤ 20 ms',
        verdict(oneOk),
      ],
      [
        'the same, the first call in a fresh process (cold JIT, dynamic prices read from SQLite)',
        fmtMs(r.oneMeterColdMs),
        '',
        '',
      ],
      [
        `baseline: the portfolio's half-hours read into typed arrays (\`readDays\` per meter), no pricing`,
        fmtMs(r.readPortfolioMs),
        '',
        '',
      ],
      ["baseline: bare loop, the portfolio's half-hours (`readDays`) × 50 rates", fmtMs(r.barePortfolioMs), '', ''],
      [
        `**portfolio**: ${r.meters.toLocaleString('en-GB')} meters × 90 days × 50 tariffs (read, price, rank)`,
        `**${fmtMs(r.portfolioMs)}**`,
        '≤ 1.0 s',
        `${verdict(portfolioOk)} (${(r.portfolioMs / r.barePortfolioMs).toFixed(2)} × bare loop)`,
      ],
      [
        `"Analyse all meters": the same, every analysis saved (${r.runAllAnalysed.toLocaleString('en-GB')} analyses, ${(r.savedBytes / 2 ** 20).toFixed(1)} MB compressed), with progress events`,
        fmtMs(r.runAllMs),
        '',
        '',
      ],
    ],
  ),
);
console.log();
console.log(
  table(
    ['check', 'figure', 'target', 'result'],
    [
      ['one meter, 90 days × 50 tariffs', fmtMs(r.oneMeterMs), '≤ 20 ms', verdict(oneOk)],
      [
        `portfolio, ${r.meters.toLocaleString('en-GB')} meters × 90 days × 50 tariffs`,
        fmtMs(r.portfolioMs),
        '≤ 1.0 s',
        verdict(portfolioOk),
      ],
    ],
  ),
);
if (r.tariffs !== 50 || r.alternatives !== 49 || r.runAllAnalysed !== r.meters) {
  console.log(
    `\nWARNING: ${r.tariffs} tariffs, ${r.alternatives} alternatives, ${r.runAllAnalysed} of ${r.meters} meters analysed`,
  );
  process.exitCode = 1;
}
