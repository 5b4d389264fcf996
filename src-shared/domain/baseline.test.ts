import { describe, expect, it } from 'vitest';
import { AppError } from '../contract/errors';
import {
  baselineFlags,
  cusum,
  fitBaseline,
  heatingDegreeDays,
  predict,
  SEARCH_BASE_TEMPERATURES,
  type BaselineDay,
  type BaselineModel,
} from './baseline';
import { prng } from '../../tests/helpers/random';

/** Standard normal noise (Box–Muller) from a uniform source. */
function gaussian(rand: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

interface Truth {
  a: number;
  b: number;
  tb: number;
  c?: number;
  tc?: number;
  noise: number;
}

/** A year (or `count` days) of UK-like daily mean temperatures with kWh from a known model. */
function generate(seed: number, truth: Truth, count = 365, first = 19723): BaselineDay[] {
  const rand = prng(seed);
  const normal = gaussian(rand);
  return Array.from({ length: count }, (_, i) => {
    const meanC = 11 + 8 * Math.sin((2 * Math.PI * (i - 100)) / 365) + 2.5 * normal();
    const cooling = truth.c && truth.tc !== undefined ? truth.c * Math.max(0, meanC - truth.tc) : 0;
    const kwh = truth.a + truth.b * Math.max(0, truth.tb - meanC) + cooling + truth.noise * normal();
    return { day: first + i, kwh, meanC, hdd: null };
  });
}

const sum = (xs: readonly number[]): number => xs.reduce((s, v) => s + v, 0);

/** Two-parameter least squares by Cramer's rule on the raw normal equations. */
function cramer2(x: readonly number[], y: readonly number[]): { a: number; b: number } {
  const n = x.length;
  const sx = sum(x);
  const sy = sum(y);
  const sxx = sum(x.map((v) => v * v));
  const sxy = sum(x.map((v, i) => v * y[i]!));
  const det = n * sxx - sx * sx;
  return { a: (sy * sxx - sx * sxy) / det, b: (n * sxy - sx * sy) / det };
}

const det3 = (m: number[][]): number =>
  m[0]![0]! * (m[1]![1]! * m[2]![2]! - m[1]![2]! * m[2]![1]!) -
  m[0]![1]! * (m[1]![0]! * m[2]![2]! - m[1]![2]! * m[2]![0]!) +
  m[0]![2]! * (m[1]![0]! * m[2]![1]! - m[1]![1]! * m[2]![0]!);

/** Three-parameter least squares (a + b·x1 + c·x2) by Cramer's rule on the 3×3 normal equations. */
function cramer3(
  x1: readonly number[],
  x2: readonly number[],
  y: readonly number[],
): { a: number; b: number; c: number } {
  const dot = (u: readonly number[], v: readonly number[]): number => sum(u.map((e, i) => e * v[i]!));
  const one = x1.map(() => 1);
  const cols = [one, x1, x2];
  const m = cols.map((u) => cols.map((v) => dot(u, v)));
  const r = cols.map((u) => dot(u, y));
  const d = det3(m);
  const replaced = (k: number): number[][] => m.map((row, i) => row.map((v, j) => (j === k ? r[i]! : v)));
  return { a: det3(replaced(0)) / d, b: det3(replaced(1)) / d, c: det3(replaced(2)) / d };
}

/** R² as the squared correlation of x and y (deviations from the means). */
function correlation2(x: readonly number[], y: readonly number[]): number {
  const mx = sum(x) / x.length;
  const my = sum(y) / y.length;
  const sxy = sum(x.map((v, i) => (v - mx) * (y[i]! - my)));
  const sxx = sum(x.map((v) => (v - mx) ** 2));
  const syy = sum(y.map((v) => (v - my) ** 2));
  return (sxy * sxy) / (sxx * syy);
}

/** R², CV(RMSE) and NMBE of predictions with p parameters, straight from the definitions. */
function definitions(y: readonly number[], yhat: readonly number[], p: number) {
  const n = y.length;
  const mean = sum(y) / n;
  const sse = sum(y.map((v, i) => (v - yhat[i]!) ** 2));
  const sst = sum(y.map((v) => (v - mean) ** 2));
  return {
    r2: 1 - sse / sst,
    cvrmse: Math.sqrt(sse / (n - p)) / mean,
    nmbe: sum(y.map((v, i) => v - yhat[i]!)) / ((n - p) * mean),
  };
}

const adjusted = (r2: number, n: number, p: number): number => 1 - ((1 - r2) * (n - 1)) / (n - p);

function expectRelative(actual: number, expected: number, tolerance = 1e-9): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(tolerance * Math.abs(expected));
}

const hddAt = (days: readonly BaselineDay[], tb: number): number[] => days.map((d) => Math.max(0, tb - d.meanC!));

/** The base temperature of the 21 whose HDD correlate best with kWh. */
function bestHeatingBase(days: readonly BaselineDay[]): number {
  const y = days.map((d) => d.kwh);
  const r2s = SEARCH_BASE_TEMPERATURES.map((tb) => correlation2(hddAt(days, tb), y));
  return SEARCH_BASE_TEMPERATURES[r2s.indexOf(Math.max(...r2s))]!;
}

describe('degree days', () => {
  it('HDD is max(0, Tb − Tmean); the search tries 10 to 20 °C in 0.5 steps', () => {
    expect(heatingDegreeDays(5, 15.5)).toBe(10.5);
    expect(heatingDegreeDays(16, 15.5)).toBe(0);
    expect(SEARCH_BASE_TEMPERATURES).toHaveLength(21);
    expect(SEARCH_BASE_TEMPERATURES[0]).toBe(10);
    expect(SEARCH_BASE_TEMPERATURES[1]).toBe(10.5);
    expect(SEARCH_BASE_TEMPERATURES[20]).toBe(20);
  });
});

describe('heating model', () => {
  const truth = { a: 120, b: 14, tb: 15.5, noise: 12 };
  const days = generate(1, truth);
  const model = fitBaseline(days, { fuel: 'gas' });

  it('recovers the base temperature, intercept and slope of generated data', () => {
    expect(Math.abs(model.baseTemperature! - truth.tb)).toBeLessThanOrEqual(0.5);
    expect(model.intercept!).toBeGreaterThan(truth.a * 0.9);
    expect(model.intercept!).toBeLessThan(truth.a * 1.1);
    expect(model.slope!).toBeGreaterThan(truth.b * 0.95);
    expect(model.slope!).toBeLessThan(truth.b * 1.05);
    expect(model).toMatchObject({
      weather: 'temperature',
      cddSlope: null,
      coolingBase: null,
      open: null,
      closed: null,
    });
    expect(model.days).toBe(365);
    expect(model.parameters).toBe(2);
  });

  it('chooses the base temperature with the highest R² of the 21', () => {
    const tb = bestHeatingBase(days);
    expect(model.baseTemperature).toBe(tb);
    expectRelative(
      model.r2,
      correlation2(
        hddAt(days, tb),
        days.map((d) => d.kwh),
      ),
    );
  });

  it('matches an independent least-squares fit at the chosen base temperature', () => {
    const x = hddAt(days, model.baseTemperature!);
    const y = days.map((d) => d.kwh);
    const { a, b } = cramer2(x, y);
    const d = definitions(
      y,
      x.map((v) => a + b * v),
      2,
    );
    expectRelative(model.intercept!, a);
    expectRelative(model.slope!, b);
    expectRelative(model.r2, d.r2);
    expectRelative(model.cvrmse, d.cvrmse);
    // in-sample least squares with an intercept: no bias
    expect(Math.abs(model.nmbe - d.nmbe)).toBeLessThan(1e-12);
    expect(Math.abs(model.nmbe)).toBeLessThan(1e-12);
    expect(model.flags).toEqual([]);
    expect(predict(model, { meanC: 2, hdd: null })).toBeCloseTo(a + b * Math.max(0, model.baseTemperature! - 2), 9);
  });

  it('uses a given base temperature without searching', () => {
    const fixed = fitBaseline(days, { baseTemperature: 13 });
    const x = hddAt(days, 13);
    const { a, b } = cramer2(
      x,
      days.map((d) => d.kwh),
    );
    expect(fixed.baseTemperature).toBe(13);
    expectRelative(fixed.intercept!, a);
    expectRelative(fixed.slope!, b);
    expect(fixed.r2).toBeLessThan(model.r2);
  });

  it('leaves out days without weather and counts them', () => {
    const gappy = days.map((d, i) => (i % 10 === 0 ? { ...d, meanC: null } : d));
    const fitted = fitBaseline(gappy, { baseTemperature: 15.5 });
    const kept = gappy.filter((d) => d.meanC !== null);
    const { a } = cramer2(
      hddAt(kept, 15.5),
      kept.map((d) => d.kwh),
    );
    expect(fitted.days).toBe(kept.length);
    expect(fitted.skipped).toBe(37);
    expectRelative(fitted.intercept!, a);
    expect(fitted.notes).toContain('37 of 365 days have no weather and are left out.');
  });

  it('is a plain JSON object that predicts the same after a round trip', () => {
    const copy = JSON.parse(JSON.stringify(model)) as BaselineModel;
    expect(copy).toEqual(model);
    expect(predict(copy, { meanC: 4.2, hdd: null })).toBe(predict(model, { meanC: 4.2, hdd: null }));
  });

  it('is the mean daily use when no base temperature gives varying degree days', () => {
    const warm = generate(2, truth, 60).map((d, i) => ({ ...d, meanC: 21 + (i % 7) }));
    const fitted = fitBaseline(warm);
    expect(fitted.slope).toBe(0);
    expect(fitted.baseTemperature).toBeNull();
    expect(fitted.parameters).toBe(1);
    expectRelative(fitted.intercept!, sum(warm.map((d) => d.kwh)) / warm.length);
    expect(fitted.notes.join(' ')).toContain('no weather term');
  });
});

describe('cooling term (electricity)', () => {
  it('is added for electricity when the data has a cooling component, and matches a 3×3 solve', () => {
    const truth = { a: 200, b: 10, tb: 14, c: 25, tc: 20, noise: 8 };
    const days = generate(3, truth);
    const model = fitBaseline(days, { fuel: 'electricity' });
    // the heating base is the heating-only search's (here 0.5 °C low: cooling days pull it down)
    expect(model.baseTemperature).toBe(bestHeatingBase(days));
    expect(Math.abs(model.baseTemperature! - truth.tb)).toBeLessThanOrEqual(0.5);
    expect(model.coolingBase).toBe(truth.tc);
    expect(Math.abs(model.cddSlope! - truth.c)).toBeLessThan(2);
    expect(model.parameters).toBe(3);
    const y = days.map((d) => d.kwh);
    const x1 = hddAt(days, model.baseTemperature!);
    const x2 = days.map((d) => Math.max(0, d.meanC! - model.coolingBase!));
    const { a, b, c } = cramer3(x1, x2, y);
    expectRelative(model.intercept!, a);
    expectRelative(model.slope!, b);
    expectRelative(model.cddSlope!, c);
    const d = definitions(
      y,
      x1.map((v, i) => a + b * v + c * x2[i]!),
      3,
    );
    expectRelative(model.r2, d.r2);
    expectRelative(model.cvrmse, d.cvrmse);
    expect(predict(model, { meanC: 25, hdd: null })).toBeCloseTo(a + c * (25 - model.coolingBase!), 9);

    const gas = fitBaseline(days, { fuel: 'gas' });
    expect(gas.cddSlope).toBeNull();
    expect(gas.coolingBase).toBeNull();
    expect(gas.parameters).toBe(2);
  });

  it('never has a cooling base below the heating base', () => {
    // cooling from 16 °C, heating base given as 19 °C: only 19–25 °C are tried
    const days = generate(11, { a: 100, b: 10, tb: 18, c: 20, tc: 16, noise: 5 });
    const model = fitBaseline(days, { fuel: 'electricity', baseTemperature: 19 });
    expect(model.baseTemperature).toBe(19);
    expect(model.coolingBase).toBe(19);
  });

  it('is taken exactly when its best cooling base raises adjusted R² (with a positive slope)', () => {
    let taken = 0;
    let notTaken = 0;
    for (let seed = 10; seed < 30; seed++) {
      const days = generate(seed, { a: 150, b: 9, tb: 15, noise: 15 });
      const model = fitBaseline(days, { fuel: 'electricity' });
      const tb = model.baseTemperature!;
      const y = days.map((d) => d.kwh);
      const x1 = hddAt(days, tb);
      const heatingAdjusted = adjusted(correlation2(x1, y), y.length, 2);
      let best: { tc: number; r2: number } | null = null;
      for (let tc = 15; tc <= 25; tc += 0.5) {
        if (tc < tb) continue;
        const x2 = days.map((d) => Math.max(0, d.meanC! - tc));
        if (x2.every((v) => v === x2[0])) continue;
        const { a, b, c } = cramer3(x1, x2, y);
        if (!(c > 0)) continue;
        const { r2 } = definitions(
          y,
          x1.map((v, i) => a + b * v + c * x2[i]!),
          3,
        );
        if (best === null || r2 > best.r2) best = { tc, r2 };
      }
      const expectTaken = best !== null && adjusted(best.r2, y.length, 3) > heatingAdjusted;
      if (expectTaken) {
        taken++;
        expect(model.coolingBase).toBe(best!.tc);
      } else {
        notTaken++;
        expect(model.cddSlope).toBeNull();
        expect(model.notes).toContain(
          'No cooling term: cooling degree days (base 15–25 °C) do not improve adjusted R².',
        );
      }
    }
    // both outcomes occur on data with no cooling component
    expect(taken).toBeGreaterThan(0);
    expect(notTaken).toBeGreaterThan(0);
  });
});

describe('open and closed days', () => {
  const rand = prng(7);
  const normal = gaussian(rand);
  const days: BaselineDay[] = generate(8, { a: 0, b: 0, tb: 15, noise: 0 }).map((d, i) => {
    const open = i % 7 < 5;
    const kwh = open
      ? 300 + 20 * Math.max(0, 15.5 - d.meanC!) + 10 * normal()
      : 80 + 8 * Math.max(0, 13 - d.meanC!) + 5 * normal();
    return { ...d, kwh, open };
  });

  it('fit a model each, with their own intercepts and base temperatures', () => {
    const model = fitBaseline(days, { splitOpenClosed: true });
    expect(model.open).not.toBeNull();
    expect(model.closed).not.toBeNull();
    expect(model.intercept).toBeNull();
    expect(Math.abs(model.open!.intercept - 300)).toBeLessThan(15);
    expect(Math.abs(model.closed!.intercept - 80)).toBeLessThan(8);
    expect(Math.abs(model.open!.baseTemperature! - 15.5)).toBeLessThanOrEqual(0.5);
    expect(Math.abs(model.closed!.baseTemperature! - 13)).toBeLessThanOrEqual(1);
    expect(model.open!.days + model.closed!.days).toBe(365);
    expect(model.parameters).toBe(4);

    // combined statistics over all days from each group's own independent fit
    const groups = [true, false].map((open) => {
      const g = days.filter((d) => d.open === open);
      const tb = (open ? model.open : model.closed)!.baseTemperature!;
      return {
        open,
        tb,
        ...cramer2(
          hddAt(g, tb),
          g.map((d) => d.kwh),
        ),
      };
    });
    const yhat = days.map((d) => {
      const g = groups.find((x) => x.open === d.open)!;
      return g.a + g.b * Math.max(0, g.tb - d.meanC!);
    });
    const d = definitions(
      days.map((x) => x.kwh),
      yhat,
      4,
    );
    expectRelative(model.open!.intercept, groups[0]!.a);
    expectRelative(model.closed!.slope, groups[1]!.b);
    expectRelative(model.r2, d.r2);
    expectRelative(model.cvrmse, d.cvrmse);
    expect(model.r2).toBeGreaterThan(fitBaseline(days).r2);

    expect(predict(model, { meanC: 5, hdd: null, open: true })).toBeCloseTo(
      groups[0]!.a + groups[0]!.b * (groups[0]!.tb - 5),
      9,
    );
    expect(predict(model, { meanC: 5, hdd: null, open: false })).toBeCloseTo(
      groups[1]!.a + groups[1]!.b * (groups[1]!.tb - 5),
      9,
    );
    expect(predict(model, { meanC: 5, hdd: null })).toBeNull();
  });

  it('are not split when a group has fewer than 10 days, or a day does not say', () => {
    const fewClosed = days.map((d, i) => ({ ...d, open: i >= 9 }));
    const model = fitBaseline(fewClosed, { splitOpenClosed: true });
    expect(model.open).toBeNull();
    expect(model.intercept).not.toBeNull();
    expect(model.notes).toContain(
      'Open and closed days are not modelled separately: there are 356 open and 9 closed days, and each needs at least 10.',
    );
    const unknown = days.map((d, i) => (i === 3 ? { day: d.day, kwh: d.kwh, meanC: d.meanC, hdd: null } : d));
    expect(fitBaseline(unknown, { splitOpenClosed: true }).notes).toContain(
      'Open and closed days are not modelled separately: 1 days do not say whether the site was open.',
    );
  });
});

describe('imported degree days', () => {
  it('use each day’s HDD at the file’s base, with no search', () => {
    const source = generate(4, { a: 90, b: 12, tb: 15.5, noise: 6 });
    const days = source.map((d) => ({ ...d, meanC: null, hdd: Math.round(Math.max(0, 15.5 - d.meanC!) * 10) / 10 }));
    const model = fitBaseline(days, { hddBase: 15.5, baseTemperature: 12, fuel: 'electricity' });
    expect(model.weather).toBe('imported-hdd');
    expect(model.baseTemperature).toBe(15.5);
    expect(model.cddSlope).toBeNull();
    const { a, b } = cramer2(
      days.map((d) => d.hdd),
      days.map((d) => d.kwh),
    );
    expectRelative(model.intercept!, a);
    expectRelative(model.slope!, b);
    expect(predict(model, { meanC: 30, hdd: 4 })).toBeCloseTo(a + 4 * b, 9);
    expect(predict(model, { meanC: 5, hdd: null })).toBeNull();
    // temperatures alone are not weather for this model
    expect(() => fitBaseline(source, { hddBase: 15.5 })).toThrow(/Only 0 of the 365 baseline days have weather/);
  });
});

describe('errors', () => {
  it('too few days with weather is BAD_INPUT giving the count', () => {
    const days = generate(5, { a: 100, b: 10, tb: 15, noise: 1 }, 30).map((d, i) =>
      i < 9 ? d : { ...d, meanC: null },
    );
    let error: unknown;
    try {
      fitBaseline(days);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('BAD_INPUT');
    expect((error as AppError).message).toBe(
      'Only 9 of the 30 baseline days have weather; a baseline model needs at least 10. Import degree days or fetch weather for the site over the baseline period.',
    );
    expect(() => fitBaseline(days.map((d) => ({ ...d, meanC: 5 + (d.day % 3) })))).not.toThrow();
  });

  it('a kWh that is not a number names the day', () => {
    const days = generate(5, { a: 100, b: 10, tb: 15, noise: 1 }, 30);
    days[4] = { ...days[4]!, kwh: NaN };
    expect(() => fitBaseline(days)).toThrow('Day 2024-01-05: kWh must be a number (got NaN).');
  });
});

describe('flags', () => {
  it('a poor model on few days is flagged; a good one is not', () => {
    const poor = fitBaseline(generate(6, { a: 50, b: 2, tb: 15, noise: 40 }, 40));
    const codes = poor.flags.map((f) => f.code);
    expect(codes).toEqual(expect.arrayContaining(['cvrmse-high', 'r2-low', 'few-days']));
    const cv = poor.flags.find((f) => f.code === 'cvrmse-high')!.message;
    expect(cv).toBe(
      `CV(RMSE) is ${Math.round(poor.cvrmse * 100)} %: ASHRAE Guideline 14 asks for at most 25 %. The model explains day-to-day use poorly; predictions for single days are unreliable.`,
    );
    expect(poor.flags.find((f) => f.code === 'few-days')!.message).toContain('Only 40 days with weather');

    const good = fitBaseline(generate(6, { a: 200, b: 15, tb: 15, noise: 5 }));
    expect(good.flags).toEqual([]);
  });

  it('a heating slope that is not positive is flagged', () => {
    const days = generate(9, { a: 400, b: -6, tb: 16, noise: 3 });
    const model = fitBaseline(days, { baseTemperature: 16 });
    expect(model.slope!).toBeLessThan(0);
    expect(model.flags.map((f) => f.code)).toContain('slope-not-positive');
    expect(model.flags.find((f) => f.code === 'slope-not-positive')!.message).toMatch(
      /^heating slope is not positive \(−6\.\d\d kWh per degree day\)/,
    );
  });

  it('thresholds: R² 0.75, CV(RMSE) 25 %, |NMBE| 0.5 %, 90 days', () => {
    const base = { days: 90, r2: 0.75, cvrmse: 0.25, nmbe: 0.005, slope: 1, open: null, closed: null };
    expect(baselineFlags(base)).toEqual([]);
    const worse = baselineFlags({
      days: 89,
      r2: 0.7496,
      cvrmse: 0.2504,
      nmbe: -0.0051,
      slope: 1,
      open: null,
      closed: null,
    });
    expect(worse.map((f) => f.code)).toEqual(['cvrmse-high', 'nmbe-high', 'r2-low', 'few-days']);
    // a value just past the threshold is not printed as the threshold
    expect(worse[0]!.message).toMatch(/^CV\(RMSE\) is 25\.04 %/);
    expect(worse[1]!.message).toMatch(/^NMBE is −0\.51 %: .* biased high/);
    expect(worse[2]!.message).toMatch(/^R² is 0\.7496: /);
  });
});

describe('CUSUM', () => {
  const model: BaselineModel = {
    weather: 'temperature',
    intercept: 100,
    slope: 10,
    cddSlope: null,
    coolingBase: null,
    baseTemperature: 15,
    open: null,
    closed: null,
    days: 365,
    parameters: 2,
    r2: 0.9,
    cvrmse: 0.1,
    nmbe: 0,
    skipped: 0,
    flags: [],
    notes: [],
  };

  it('sums actual − expected in day order, skipping days without weather', () => {
    // expected: 100 + 10·max(0, 15 − T) = 200, 150, —, 100, 100
    const days: BaselineDay[] = [
      { day: 4, kwh: 95, meanC: 15, hdd: null },
      { day: 1, kwh: 210, meanC: 5, hdd: null },
      { day: 3, kwh: 999, meanC: null, hdd: null },
      { day: 2, kwh: 140, meanC: 10, hdd: null },
      { day: 5, kwh: 100, meanC: 20, hdd: null },
    ];
    expect(cusum(model, days)).toEqual({
      days: [
        { day: 1, actualKwh: 210, expectedKwh: 200, cusumKwh: 10 },
        { day: 2, actualKwh: 140, expectedKwh: 150, cusumKwh: 0 },
        { day: 4, actualKwh: 95, expectedKwh: 100, cusumKwh: -5 },
        { day: 5, actualKwh: 100, expectedKwh: 100, cusumKwh: -5 },
      ],
      avoidedKwh: 5,
      skipped: 1,
    });
  });
});
