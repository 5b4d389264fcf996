// npm run bench:alerts — alert rules on the 1,000-meter portfolio: a whole check of one rule of every
// meter kind on every meter (the first raises the alerts, the next raise nothing), a scheduled check
// with nothing changed, the check after an import changed one meter, and cost-above on a meter's year,
// beside decoding the same half-hours alone, in the same run. Uses the import benchmark's portfolio.
// Usage: node scripts/bench/alerts.mjs [--meters N] [--days D] [--keep]
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

// a whole check every 15 minutes must stay a small share of the time; one meter's re-check after an import is instant
const TARGET = { checkMs: 10_000, oneMeterMs: 100 };

const o = options();
const { work } = await importedPortfolio(o, 'eclectyc-bench-alerts-');
const outDir = await bundle({ 'alerts-harness': path.join(REPO, 'scripts/bench/alerts-harness.ts') });
const h = await import(path.join(outDir, 'alerts-harness.cjs'));
console.log(await machineLine());
const r = await h.run(work, MIGRATIONS);
console.log(
  `${r.meters.toLocaleString('en-GB')} meters × ${r.days} days on 50 sites, ${r.rules} rules on every meter (daily kWh, half-hourly kW, out-of-hours share, baseload increase, exception, data missing, zero run, capacity); ${r.halfHours.toLocaleString('en-GB')} half-hours read\n`,
);
console.log('### Alerts\n');
console.log(
  table(
    ['measurement', 'time', 'target', 'result'],
    [
      [
        "baseline: the portfolio's half-hours decoded into typed arrays (`readDays` per meter), nothing judged",
        fmtMs(r.decodeMs),
        '',
        '',
      ],
      [
        `first whole check: ${r.rules} rules × ${r.meters.toLocaleString('en-GB')} meters, ${r.fired.toLocaleString('en-GB')} alerts raised and written`,
        fmtMs(r.firstCheckMs),
        '',
        '',
      ],
      [
        '**whole check** again (every rule judged, nothing new; median of 3)',
        `**${fmtMs(r.checkMs)}**`,
        '≤ 10 s',
        `${verdict(r.checkMs <= TARGET.checkMs)} (${(r.checkMs / r.decodeMs).toFixed(2)} × decoding)`,
      ],
      [
        'scheduled check, readings and rules unchanged (only "no reading for N days" re-judged; median of 5)',
        fmtMs(r.scheduledMs),
        '',
        '',
      ],
      [
        '**after an import changed one meter**: its rules over all its days (median of 9)',
        `**${fmtMs(r.oneMeterMs)}**`,
        '≤ 100 ms',
        verdict(r.oneMeterMs <= TARGET.oneMeterMs),
      ],
      ['cost-above per day on one meter: 365 days priced on its tariff', fmtMs(r.costDayMs), '', ''],
      ['cost-above per month on one meter: 12 months priced', fmtMs(r.costMonthMs), '', ''],
    ],
  ),
);
