// npm run bench:aggregate — roll-ups and reads on the imported portfolio, beside DuckDB's daily
// GROUP BY over the same CSV and raw SQLite baselines, all in the same run on the same machine.
// Usage: node scripts/bench/aggregate.mjs [--meters N] [--days D] [--keep]
import path from 'node:path';
import {
  bundle,
  duck,
  duckGroupBy,
  duckLoad,
  fmtBytes,
  fmtMs,
  fmtS,
  importedPortfolio,
  machineLine,
  MIGRATIONS,
  options,
  REPO,
  table,
  verdict,
} from './portfolio.mjs';

const TARGET = {
  rebuildMs: 1000,
  vsDuck: 2,
  rollupMs: 20,
  dashboardMs: 20,
  monthMsPerMeter: 1,
  seriesMs: 20,
  readDaysMs: 400,
};

const o = options();
const { work, files } = await importedPortfolio(o, 'eclectyc-bench-agg-');
const outDir = await bundle({
  'aggregate-harness': path.join(REPO, 'scripts/bench/aggregate-harness.ts'),
  'import-worker': path.join(REPO, 'src-main/core/imports/import-thread.ts'),
});
const h = await import(path.join(outDir, 'aggregate-harness.cjs'));
console.log(await machineLine());

// DuckDB: long.csv loaded once into an in-memory table; only the GROUP BY is timed (median of 3)
console.error('DuckDB daily GROUP BY …');
const dk = await duck();
const load = await duckLoad(dk, files.long);
const gbs = [];
for (let i = 0; i < 3; i++) gbs.push(await duckGroupBy(dk));
dk.close();
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const duckUtcMs = median(gbs.map((g) => g.utcSeconds)) * 1000;
const duckUkMs = median(gbs.map((g) => g.ukSeconds)) * 1000;

console.error('the app …');
const r = await h.run(work, MIGRATIONS, path.join(work, 'new-day.csv'), path.join(outDir, 'import-worker.cjs'));
console.log(
  `Portfolio: ${r.meters.toLocaleString('en-GB')} meters, ${r.readings.toLocaleString('en-GB')} readings, ${r.meterDays.toLocaleString('en-GB')} meter-days (UK local days)\n`,
);

const times = (t) => t.times.map(fmtMs).join(', ');
const checks = [];
const check = (what, figure, target, ok) => checks.push([what, figure, target, verdict(ok)]);

const rebuildVsUtc = r.rebuild.median / duckUtcMs;
const rebuildVsUk = r.rebuild.median / duckUkMs;
check('full rebuild', fmtMs(r.rebuild.median), '≤ 1.0 s', r.rebuild.median <= TARGET.rebuildMs);
check(
  'full rebuild vs DuckDB daily GROUP BY, UTC days',
  `${rebuildVsUtc.toFixed(2)} × (${fmtMs(duckUtcMs)})`,
  '≤ 2 ×',
  rebuildVsUtc <= TARGET.vsDuck,
);
check(
  'full rebuild vs DuckDB daily GROUP BY, UK local days',
  `${rebuildVsUk.toFixed(2)} × (${fmtMs(duckUkMs)})`,
  '≤ 2 ×',
  rebuildVsUk <= TARGET.vsDuck,
);
check(
  `roll-up run after importing one new day for ${r.meters.toLocaleString('en-GB')} meters`,
  fmtMs(r.newDayRollupMs),
  '≤ 20 ms',
  r.newDayRollupMs <= TARGET.rollupMs,
);
check('dashboard summary', fmtMs(r.dashboard.median), '≤ 20 ms', r.dashboard.median <= TARGET.dashboardMs);
check(
  "the dashboard's month in £ and CO2",
  fmtMs(r.dashboardMonth.median),
  '≤ 1 ms a meter',
  r.dashboardMonth.median <= r.meters * TARGET.monthMsPerMeter,
);
check("a meter's year (core.meters.series)", fmtMs(r.series.median), '≤ 20 ms', r.series.median <= TARGET.seriesMs);
check(
  `90 days × ${r.meters.toLocaleString('en-GB')} meters into typed arrays`,
  fmtMs(r.readDays90.median),
  '≤ 0.4 s',
  r.readDays90.median <= TARGET.readDaysMs,
);

console.log('### Roll-ups and reads\n');
console.log(
  table(
    ['measurement', 'time', 'beside', 'target', 'result'],
    [
      [
        `baseline: DuckDB daily GROUP BY meter, UTC day (sum, min, max, count; in-memory table of long.csv, loaded in ${fmtS(load.seconds)}, not counted; 2 threads)`,
        fmtMs(duckUtcMs),
        `runs: ${gbs.map((g) => fmtMs(g.utcSeconds * 1000)).join(', ')}`,
        '',
        '',
      ],
      [
        "baseline: the same GROUP BY by UK local day (`AT TIME ZONE 'Europe/London'`)",
        fmtMs(duckUkMs),
        `runs: ${gbs.map((g) => fmtMs(g.ukSeconds * 1000)).join(', ')}`,
        '',
        '',
      ],
      [
        'baseline: SQLite scans every `day_stats` row (count, total, min, max in SQL)',
        fmtMs(r.rawStatsSql.median),
        `runs: ${times(r.rawStatsSql)}`,
        '',
        '',
      ],
      [
        'baseline: every `day_stats` row into JavaScript (`iterate`)',
        fmtMs(r.rawStatsJs.median),
        `runs: ${times(r.rawStatsJs)}`,
        '',
        '',
      ],
      [
        `baseline: every \`meter_days\` row's BLOBs into JavaScript (${fmtBytes(r.rawBlobsAll.last.bytes)}, not decoded)`,
        fmtMs(r.rawBlobsAll.median),
        `runs: ${times(r.rawBlobsAll)}`,
        '',
        '',
      ],
      [
        `**full rebuild** (\`core.aggregation.rebuild()\`: ${r.rebuildDays.toLocaleString('en-GB')} day summaries recomputed from their half-hours and checked)`,
        `**${fmtMs(r.rebuild.median)}**`,
        `runs: ${times(r.rebuild)}; ${rebuildVsUtc.toFixed(2)} × DuckDB UTC, ${rebuildVsUk.toFixed(2)} × DuckDB UK`,
        '≤ 1.0 s; ≤ 2 × DuckDB',
        `${verdict(r.rebuild.median <= TARGET.rebuildMs)}; UTC ${verdict(rebuildVsUtc <= TARGET.vsDuck)}, UK ${verdict(rebuildVsUk <= TARGET.vsDuck)}`,
      ],
      [
        `one new day for every meter: importing the ${r.newDayReadings.toLocaleString('en-GB')}-reading file (copy, hash, parse, store; inline, as the CLI)`,
        fmtMs(r.newDayImportMs),
        '',
        '',
        '',
      ],
      [
        `**one new day: the roll-up run it triggers** (${r.newDayRollup.daysTouched.toLocaleString('en-GB')} meter-days)`,
        `**${fmtMs(r.newDayRollupMs)}**`,
        `import + roll-up ${fmtMs(r.newDayImportMs + r.newDayRollupMs)}`,
        '≤ 20 ms',
        verdict(r.newDayRollupMs <= TARGET.rollupMs),
      ],
      [
        '**dashboard summary** (`dashboard.summary`, median of 5)',
        `**${fmtMs(r.dashboard.median)}**`,
        `first call ${fmtMs(r.dashboardFirstMs)}; runs: ${times(r.dashboard)}`,
        '≤ 20 ms',
        verdict(r.dashboard.median <= TARGET.dashboardMs),
      ],
      [
        `**the dashboard's month in £ and CO2** (\`dashboard.month\`: ${r.dashboardMonthPriced.toLocaleString('en-GB')} meters priced on their tariff over ${r.dashboardMonthDays} days, emissions by the annual factor; median of 5)`,
        `**${fmtMs(r.dashboardMonth.median)}**`,
        `first call ${fmtMs(r.dashboardMonthFirstMs)}; runs: ${times(r.dashboardMonth)}`,
        '≤ 1 ms a meter',
        verdict(r.dashboardMonth.median <= r.meters * TARGET.monthMsPerMeter),
      ],
      [
        `**a meter's year** (\`core.meters.series\`, ${r.seriesPoints.toLocaleString('en-GB')} half-hours, median of ${r.series.times.length} meters)`,
        `**${fmtMs(r.series.median)}**`,
        `first call ${fmtMs(r.seriesFirstMs)}; + JSON.stringify ${fmtMs(r.seriesJson.median)}`,
        '≤ 20 ms',
        verdict(r.series.median <= TARGET.seriesMs),
      ],
      [
        `baseline: the same 90 days' \`meter_days\` BLOBs, one range read per meter (${fmtBytes(r.rawBlobs90.last)}, not decoded)`,
        fmtMs(r.rawBlobs90.median),
        `runs: ${times(r.rawBlobs90)}`,
        '',
        '',
      ],
      [
        `**90 days × ${r.meters.toLocaleString('en-GB')} meters into typed arrays** (\`core.readings.readDays\` per meter, ${r.readDays90.last.toLocaleString('en-GB')} half-hours)`,
        `**${fmtMs(r.readDays90.median)}**`,
        `runs: ${times(r.readDays90)}`,
        '≤ 0.4 s',
        verdict(r.readDays90.median <= TARGET.readDaysMs),
      ],
    ],
  ),
);
console.log();
console.log(table(['check', 'figure', 'target', 'result'], checks));

const problems = [];
if (r.readings !== o.readings)
  problems.push(`the imported portfolio holds ${r.readings} readings, expected ${o.readings}`);
if (gbs[0].utcGroups !== o.meters * o.days)
  problems.push(`DuckDB UTC GROUP BY made ${gbs[0].utcGroups} groups, expected ${o.meters * o.days}`);
if (r.newDayJob.status !== 'done' || r.newDayJob.imported !== r.newDayReadings)
  problems.push(`new-day import: ${JSON.stringify(r.newDayJob)}`);
if (r.newDayRollup.status !== 'done' || r.newDayRollup.daysTouched !== r.meters)
  problems.push(`new-day roll-up: ${JSON.stringify(r.newDayRollup)}`);
if (r.rebuildDays !== r.meterDays) problems.push(`the rebuild examined ${r.rebuildDays} meter-days of ${r.meterDays}`);
if (problems.length) {
  console.log(`\nWARNING: ${problems.join('; ')}`);
  process.exitCode = 1;
}
