// npm run bench:analytics — the portfolio's league tables (baseload, out-of-hours, data quality with
// outliers, exceptions) over 365 days, one meter's Analysis view and a degree-day baseline search,
// beside decoding the same half-hours alone, in the same run. Uses the import benchmark's portfolio.
// Usage: node scripts/bench/analytics.mjs [--meters N] [--days D] [--keep]
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

const TARGET = { portfolioMs: 2000, meterViewMs: 100, baselineMs: 50 };

const o = options();
const { work } = await importedPortfolio(o, 'eclectyc-bench-analytics-');
const outDir = await bundle({ 'analytics-harness': path.join(REPO, 'scripts/bench/analytics-harness.ts') });
const h = await import(path.join(outDir, 'analytics-harness.cjs'));
console.log(await machineLine());
const r = await h.run(work, MIGRATIONS);
console.log(
  `${r.meters.toLocaleString('en-GB')} meters on 50 sites (opening hours, a closure each, two with generation, a year of temperatures); ${r.from} to ${r.to} (exclusive); ${r.halfHours.toLocaleString('en-GB')} half-hours read (365 days + 8 weeks of exception history)\n`,
);
console.log('### Analytics\n');
console.log(
  table(
    ['measurement', 'time', 'target', 'result'],
    [
      [
        "baseline: the portfolio's half-hours decoded into typed arrays (`readDays` per meter), nothing computed",
        fmtMs(r.decodeMs),
        '',
        '',
      ],
      [
        `**portfolio league tables**: ${r.portfolioRows.toLocaleString('en-GB')} meters × 365 days — baseload, hours split, quality (gaps, zero runs, negatives, outliers), exceptions (median of 3)`,
        `**${fmtMs(r.portfolioMs)}**`,
        '≤ 2 s',
        `${verdict(r.portfolioMs <= TARGET.portfolioMs)} (${(r.portfolioMs / r.decodeMs).toFixed(2)} × decoding)`,
      ],
      [
        "**one meter's Analysis view**, 8 weeks: analytics.meter (with out-of-hours £) + quality + exceptions (median of 9)",
        `**${fmtMs(r.meterView8wMs)}**`,
        '≤ 100 ms',
        verdict(r.meterView8wMs <= TARGET.meterViewMs),
      ],
      ['the same over 365 days (median of 5)', fmtMs(r.meterView365Ms), '', ''],
      [
        '**baseline search**: 21 base temperatures (and the cooling term) over 365 days, read + fit, per meter (median of 20)',
        `**${fmtMs(r.baselineMs)}**`,
        '≤ 50 ms',
        verdict(r.baselineMs <= TARGET.baselineMs),
      ],
      ['CUSUM: 6-month baseline fitted + 6-month reporting period', fmtMs(r.cusumMs), '', ''],
    ],
  ),
);
