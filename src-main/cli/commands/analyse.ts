/**
 * `eclectyc analyse|quality|exceptions|baseline|cusum MPAN`: a meter's analyses (docs/analytics.md).
 * `--json` prints the shapes docs/cli.md lists.
 */
import { call, out, str, UsageError, withCore, type Command, type Opts } from '../command';
import { fmt, pounds, printTable } from '../format';
import type { BaselineResult } from '../../../src-shared/contract/types';

const range = (o: Opts, name: string): { from: string; to: string } => {
  const from = str(o, 'from');
  const to = str(o, 'to');
  if (!from || !to) throw new UsageError(`${name} needs --from DATE and --to DATE (UK local days, to exclusive)`);
  return { from, to };
};

const baseTemperature = (o: Opts): { baseTemperature?: number } => {
  const t = str(o, 'base-temperature');
  if (t === undefined) return {};
  const n = Number(t);
  if (t.trim() === '' || !Number.isFinite(n))
    throw new UsageError('--base-temperature needs a temperature in °C, e.g. 15.5');
  return { baseTemperature: n };
};

const split = (o: Opts): { splitOpenClosed?: boolean } => (o.split === true ? { splitOpenClosed: true } : {});

const meterArg = (meter: string | undefined, name: string): string => {
  if (!meter) throw new UsageError(`${name} needs an MPAN (or meter id)`);
  return meter;
};

const pct = (x: number | null): string => (x === null ? '—' : `${(x * 100).toFixed(1)} %`);
const RANGE_OPTIONS = { from: { type: 'string' }, to: { type: 'string' } } as const;

export const analyseCommand: Command = {
  name: 'analyse',
  help: `  analyse MPAN --from DATE --to DATE
                                    baseload, peak, load factor, in hours / out of hours / weekend /
                                    holiday kWh against the site's opening hours`,
  options: RANGE_OPTIONS,
  async run(ctx, [meter], o) {
    const m = meterArg(meter, 'analyse');
    return withCore(ctx, async (core) => {
      const a = await call(core, 'analytics.meter', { meter: m, ...range(o, 'analyse') });
      const value = {
        kwh: a.kwh,
        baseloadKw: a.baseloadKw,
        baseloadDays: a.baseloadDays,
        peakKw: a.peakKw,
        peakAt: a.peakAt,
        loadFactor: a.loadFactor,
        inHoursKwh: a.inHoursKwh,
        outOfHoursKwh: a.outOfHoursKwh,
        weekendKwh: a.weekendKwh,
        holidayKwh: a.holidayKwh,
        outOfHoursShare: a.outOfHoursShare,
      };
      out(ctx, value, () => {
        console.log(
          `${a.meter} ${a.from} to ${a.to} (exclusive); opening hours ${a.openingHours}${a.openingHoursDefault ? ' (default)' : ''}`,
        );
        if (a.presentHalfHours === 0)
          console.log('No readings in this range: every figure below is empty. Choose days the meter has data for.');
        printTable(
          ['Figure', 'Value'],
          [
            ['kWh', fmt(a.kwh)],
            [
              `Baseload kW (${a.baseloadMethod === 'overnight' ? '22:00–02:00' : '8 lowest half-hours'} × 2)`,
              `${fmt(a.baseloadKw)} over ${a.baseloadDays} day(s)`,
            ],
            ['Baseload share of use', pct(a.baseloadShare)],
            ['Peak kW', a.peakKw === null ? '—' : `${fmt(a.peakKw)} at ${a.peakAt}`],
            ['Load factor', a.loadFactor === null ? '—' : a.loadFactor.toFixed(3)],
            ['In hours kWh', fmt(a.inHoursKwh)],
            ['Out of hours kWh', fmt(a.outOfHoursKwh)],
            ['Weekend kWh', fmt(a.weekendKwh)],
            ['Holiday kWh', fmt(a.holidayKwh)],
            ['Out-of-hours share', pct(a.outOfHoursShare)],
            ['Out-of-hours cost', a.outOfHoursPence === null ? '—' : pounds(a.outOfHoursPence)],
          ],
        );
        if (a.costNote) console.log(a.costNote);
      });
      return 0;
    });
  },
};

export const qualityCommand: Command = {
  name: 'quality',
  help: `  quality MPAN --from DATE --to DATE [--zero-run N]
                                    expected/present/missing half-hours, gaps, zero runs (≥ N, default 4),
                                    negatives, outliers (|z| > 3 by weekday and slot), last reading`,
  options: { ...RANGE_OPTIONS, 'zero-run': { type: 'string' } },
  async run(ctx, [meter], o) {
    const m = meterArg(meter, 'quality');
    const z = str(o, 'zero-run');
    if (z !== undefined && !/^\d+$/.test(z))
      throw new UsageError('--zero-run needs a whole number of half-hours, e.g. 4');
    return withCore(ctx, async (core) => {
      const q = await call(core, 'analytics.quality', {
        meter: m,
        ...range(o, 'quality'),
        ...(z !== undefined ? { zeroRun: Number(z) } : {}),
      });
      const value = {
        expectedHalfHours: q.expectedHalfHours,
        presentHalfHours: q.presentHalfHours,
        missingHalfHours: q.missingHalfHours,
        estimatedHalfHours: q.estimatedHalfHours,
        completeness: q.completeness,
        gaps: q.gaps,
        zeroRuns: q.zeroRuns,
        negatives: q.negatives,
        outliers: q.outliers,
        lastReading: q.lastReading,
      };
      out(ctx, value, () => {
        console.log(
          `${q.meter} ${q.from} to ${q.to} (exclusive): ${q.presentHalfHours} of ${q.expectedHalfHours} half-hours present (${pct(q.completeness)}), ${q.missingHalfHours} missing, ${q.estimatedHalfHours} estimated`,
        );
        console.log(
          `Last reading: ${q.lastReading ?? 'none'}${q.stale ? ' — stale (no reading for 14 days or more)' : ''}`,
        );
        const runs = (title: string, list: typeof q.gaps): void => {
          console.log(`${title}: ${list.length}`);
          for (const r of list.slice(0, 20))
            console.log(`  ${r.from} to ${r.to} (${r.halfHours} half-hour${r.halfHours === 1 ? '' : 's'})`);
          if (list.length > 20) console.log(`  … and ${list.length - 20} more (use --json)`);
        };
        runs('Gaps', q.gaps);
        runs(`Zero runs (≥ ${q.zeroRunMin} half-hours of 0 kWh)`, q.zeroRuns);
        console.log(`Negative half-hours: ${q.negatives.length}`);
        for (const n of q.negatives.slice(0, 20)) console.log(`  ${n.start} ${n.kwh} kWh`);
        console.log(`Outliers (|z| > 3 against the same weekday and half-hour): ${q.outliers.length}`);
        for (const x of q.outliers.slice(0, 20)) console.log(`  ${x.start} ${x.kwh} kWh (z ${x.zscore})`);
      });
      return 0;
    });
  },
};

export const exceptionsCommand: Command = {
  name: 'exceptions',
  help: `  exceptions MPAN --from DATE --to DATE
                                    days outside their usual band: the same weekday's mean over the
                                    previous 8 weeks ± max(3σ, 10 %)`,
  options: RANGE_OPTIONS,
  async run(ctx, [meter], o) {
    const m = meterArg(meter, 'exceptions');
    return withCore(ctx, async (core) => {
      const r = await call(core, 'analytics.exceptions', { meter: m, ...range(o, 'exceptions') });
      const value = r.exceptions.map((e) => ({
        date: e.date,
        actualKwh: e.actualKwh,
        expectedKwh: e.expectedKwh,
        excessKwh: e.excessKwh,
      }));
      out(ctx, value, () => {
        console.log(
          `${r.meter} ${r.from} to ${r.to} (exclusive): ${r.exceptions.length} exception(s) in ${r.checkedDays} day(s) checked (${r.uncheckedDays} not checked: incomplete, or under 4 weeks of history)`,
        );
        if (r.exceptions.length)
          printTable(
            ['Date', 'Actual kWh', 'Expected kWh', 'Excess kWh', 'Band ± kWh', 'Excess £'],
            r.exceptions.map((e) => [
              e.date,
              fmt(e.actualKwh),
              fmt(e.expectedKwh),
              fmt(e.excessKwh),
              fmt(e.bandKwh),
              e.excessPence === null ? '—' : pounds(e.excessPence),
            ]),
          );
      });
      return 0;
    });
  },
};

/**
 * The documented baseline shape; with --split also `split: { open, closed }` (the top-level terms are
 * the open days').
 */
const modelJson = (b: BaselineResult) => ({
  intercept: b.intercept,
  slope: b.slope,
  baseTemperature: b.baseTemperature,
  days: b.days,
  r2: b.r2,
  cvrmse: b.cvrmse,
  nmbe: b.nmbe,
  ...(b.split ? { split: b.split } : {}),
});

/** `a + b × HDD(T °C)` with the sign written properly and sensible decimals. */
const formula = (a: number, b: number, t: number | null, c?: { slope: number | null; base: number | null }): string => {
  const term = (k: number, what: string): string => ` ${k < 0 ? '−' : '+'} ${Math.abs(k).toFixed(3)} × ${what}`;
  return (
    `${a.toFixed(3)}${term(b, `HDD(${t ?? '—'} °C)`)}` +
    (c && c.slope !== null ? term(c.slope, `CDD(${c.base} °C)`) : '')
  );
};

function printModel(b: BaselineResult): void {
  const head = `${b.meter} baseline ${b.from} to ${b.to} (exclusive)`;
  if (b.split) {
    console.log(`${head}: two models`);
    for (const [name, g] of [
      ['open days', b.split.open],
      ['weekends and holidays', b.split.closed],
    ] as const)
      console.log(
        `  ${name}: kWh/day = ${formula(g.intercept, g.slope, g.baseTemperature)}; ${g.days} days, R² ${g.r2.toFixed(3)}, CV(RMSE) ${pct(g.cvrmse)}`,
      );
  } else
    console.log(
      `${head}: kWh/day = ${formula(b.intercept, b.slope, b.baseTemperature, { slope: b.coolingSlope, base: b.coolingBaseTemperature })}`,
    );
  console.log(
    `  ${b.days} days, R² ${b.r2.toFixed(3)}, CV(RMSE) ${pct(b.cvrmse)}, NMBE ${(b.nmbe * 100).toFixed(2)} %${b.fixedBase ? ' (imported degree days: base fixed)' : ''}`,
  );
  for (const f of b.flags) console.log(`  Warning: ${f.message}`);
  for (const n of b.notes) console.log(`  Note: ${n}`);
}

export const baselineCommand: Command = {
  name: 'baseline',
  help: `  baseline MPAN --from DATE --to DATE [--base-temperature T] [--split]
                                    daily kWh = a + b × HDD(T) over whole days with the site's
                                    weather (T searched 10–20 °C when not given); R², CV(RMSE), NMBE;
                                    --split: one model for open days, one for weekends and holidays`,
  options: { ...RANGE_OPTIONS, 'base-temperature': { type: 'string' }, split: { type: 'boolean' } },
  async run(ctx, [meter], o) {
    const m = meterArg(meter, 'baseline');
    return withCore(ctx, async (core) => {
      const b = await call(core, 'analytics.baseline', {
        meter: m,
        ...range(o, 'baseline'),
        ...baseTemperature(o),
        ...split(o),
      });
      out(ctx, modelJson(b), () => printModel(b));
      return 0;
    });
  },
};

export const cusumCommand: Command = {
  name: 'cusum',
  help: `  cusum MPAN --baseline-from DATE --baseline-to DATE --from DATE --to DATE [--base-temperature T] [--split]
                                    running sum of actual − expected (the baseline model on each
                                    day's weather) over the reporting period; avoided energy`,
  options: {
    ...RANGE_OPTIONS,
    'baseline-from': { type: 'string' },
    'baseline-to': { type: 'string' },
    'base-temperature': { type: 'string' },
    split: { type: 'boolean' },
  },
  async run(ctx, [meter], o) {
    const m = meterArg(meter, 'cusum');
    const baselineFrom = str(o, 'baseline-from');
    const baselineTo = str(o, 'baseline-to');
    if (!baselineFrom || !baselineTo)
      throw new UsageError(
        'cusum needs --baseline-from DATE and --baseline-to DATE (the period the model is fitted on)',
      );
    return withCore(ctx, async (core) => {
      const c = await call(core, 'analytics.cusum', {
        meter: m,
        ...range(o, 'cusum'),
        baselineFrom,
        baselineTo,
        ...baseTemperature(o),
        ...split(o),
      });
      const value = { model: modelJson(c.model), days: c.days, avoidedKwh: c.avoidedKwh };
      out(ctx, value, () => {
        printModel(c.model);
        printTable(
          ['Date', 'Actual kWh', 'Expected kWh', 'CUSUM kWh'],
          c.days.map((d) => [d.date, fmt(d.actualKwh), fmt(d.expectedKwh), fmt(d.cusumKwh)]),
        );
        console.log(
          `Avoided: ${fmt(c.avoidedKwh)} kWh${c.avoidedPence !== null ? `, ${pounds(c.avoidedPence)}` : ''}${c.avoidedKgCo2 !== null ? `, ${fmt(c.avoidedKgCo2)} kgCO2e` : ''} (${c.skippedDays} reporting day(s) left out: incomplete or no weather)`,
        );
      });
      return 0;
    });
  },
};
