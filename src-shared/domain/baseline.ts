/**
 * Daily degree-day baseline models (CalTRACK-style) and CUSUM, as pure functions:
 * - **HDD**(Tb) = max(0, Tb − Tmean), **CDD**(Tc) = max(0, Tmean − Tc), per UK local day;
 * - the model is daily kWh = a + b·HDD(Tb), ordinary least squares over the baseline days with
 *   weather; Tb is given, or searched over 10–20 °C in 0.5 °C steps for the highest R². With
 *   imported degree days the file's base (`hddBase`) is used as it is and nothing is searched;
 * - for electricity a cooling term c·CDD(Tc) is added (Tc searched over 15–25 °C, never below Tb,
 *   with Tb fixed) when it raises adjusted R² and its slope is positive;
 * - open and closed days can have a model each; the statistics are then over all days;
 * - statistics in ASHRAE Guideline 14 form: CV(RMSE) = √(SSE ÷ (n − p)) ÷ mean, NMBE =
 *   Σ(actual − predicted) ÷ ((n − p) × mean); in-sample NMBE of a least-squares fit is ≈ 0;
 * - CUSUM: the running sum of (actual − expected) over the days in order.
 * Sums are accumulated on kWh centred on their mean, so each candidate base temperature costs one
 * pass over the days.
 */
import { AppError } from '../contract/errors';
import { isoDay } from './periods';

/** One baseline or reporting day: its kWh and weather (mean °C, or imported heating degree days). */
export interface BaselineDay {
  /** UK local day number (days since 1970-01-01). */
  day: number;
  kwh: number;
  /** Daily mean temperature, °C. */
  meanC: number | null;
  /** Heating degree days imported from a degree-day service (base `hddBase`). */
  hdd: number | null;
  /** Whether the site was open (for separate open and closed models). */
  open?: boolean;
}

export type BaselineFuel = 'electricity' | 'gas';

export interface BaselineOptions {
  /** A fixed base temperature, °C; when absent it is searched (SEARCH_BASE_TEMPERATURES). */
  baseTemperature?: number;
  /** The base of imported degree days: the model then uses each day's `hdd` (not `meanC`). */
  hddBase?: number | null;
  /** A cooling term is tried for electricity only. */
  fuel?: BaselineFuel;
  /** A model for open days and one for closed days. */
  splitOpenClosed?: boolean;
}

/** The terms of a model: kWh = intercept + slope·HDD(baseTemperature) + cddSlope·CDD(coolingBase). */
export interface ModelTerms {
  intercept: number | null;
  /** kWh per heating degree day. */
  slope: number | null;
  /** kWh per cooling degree day; null without a cooling term. */
  cddSlope: number | null;
  /** Cooling base temperature, °C; null without a cooling term. */
  coolingBase: number | null;
  /** Heating base temperature, °C; null when no base temperature gave varying degree days. */
  baseTemperature: number | null;
}

/** A model fitted on one group of days (all of them, or the open or the closed ones). */
export interface DegreeDayFit extends ModelTerms {
  intercept: number;
  slope: number;
  /** Days fitted. */
  days: number;
  r2: number;
  /** Parameters fitted, including the intercept (1, 2 or 3). */
  parameters: number;
}

/** A calibration warning: `code` for programs, `message` in plain words. */
export interface BaselineFlag {
  code: 'cvrmse-high' | 'nmbe-high' | 'r2-low' | 'few-days' | 'slope-not-positive';
  message: string;
}

/**
 * A fitted baseline (a plain JSON-serialisable object). A single model has its terms at the top
 * and `open`/`closed` null; a split model has null terms at the top and a model in each of `open`
 * and `closed`. `days`, `parameters` (the sum over both models when split), `r2`, `cvrmse` and
 * `nmbe` are over all days fitted.
 */
export interface BaselineModel extends ModelTerms {
  /** 'imported-hdd': the model reads each day's `hdd`, at base `baseTemperature` (the file's). */
  weather: 'temperature' | 'imported-hdd';
  open: DegreeDayFit | null;
  closed: DegreeDayFit | null;
  days: number;
  parameters: number;
  r2: number;
  cvrmse: number;
  nmbe: number;
  /** Days given without weather, left out. */
  skipped: number;
  flags: BaselineFlag[];
  /** How the model was chosen, and why an option was not followed. */
  notes: string[];
}

/** Base temperatures tried for heating: 10.0 to 20.0 °C in 0.5 °C steps (21 values). */
export const SEARCH_BASE_TEMPERATURES: readonly number[] = Array.from({ length: 21 }, (_, i) => 10 + i / 2);
/** Cooling base temperatures tried: 15.0 to 25.0 °C in 0.5 °C steps (only those ≥ the heating base). */
export const SEARCH_COOLING_BASES: readonly number[] = Array.from({ length: 21 }, (_, i) => 15 + i / 2);

/** Fewer days with weather than this: no model (BAD_INPUT). */
export const MIN_WEATHER_DAYS = 10;
/** Each of the open and closed groups needs this many days to have its own model. */
export const MIN_SPLIT_GROUP_DAYS = 10;
/** CalTRACK data sufficiency: fewer baseline days than this is flagged. */
export const MIN_SUFFICIENT_DAYS = 90;
/** ASHRAE Guideline 14 thresholds as commonly applied to daily models. */
export const MAX_CVRMSE = 0.25;
export const MAX_ABS_NMBE = 0.005;
export const MIN_R2 = 0.75;

/** Degree days with less variance than this share of their sum of squares count as constant. */
const CONSTANT = 1e-9;
/** A candidate must beat the best R² by more than this (ties keep the lower base temperature). */
const TIE = 1e-12;

export const heatingDegreeDays = (meanC: number, tb: number): number => Math.max(0, tb - meanC);
export const coolingDegreeDays = (meanC: number, tc: number): number => Math.max(0, meanC - tc);

/** Adjusted R² of `p` parameters (intercept included) fitted on `n` days. */
export const adjustedR2 = (r2: number, n: number, p: number): number => 1 - ((1 - r2) * (n - 1)) / (n - p);

/** A number for a message, with enough decimals that it does not print as the threshold it failed. */
function shown(x: number, decimals: number, threshold: number): string {
  let d = decimals;
  while (d < 6 && x.toFixed(d) === threshold.toFixed(d) && x !== threshold) d++;
  return x.toFixed(d).replace('-', '−');
}

/** The kWh the terms give for a weather value (mean °C, or imported HDD when `imported`). */
function evaluate(m: ModelTerms, w: number, imported: boolean): number | null {
  if (m.intercept === null) return null;
  let v = m.intercept;
  if (m.slope && m.baseTemperature !== null) v += m.slope * (imported ? w : heatingDegreeDays(w, m.baseTemperature));
  if (m.cddSlope !== null && m.coolingBase !== null) v += m.cddSlope * coolingDegreeDays(w, m.coolingBase);
  return v;
}

interface Stats {
  r2: number;
  cvrmse: number;
  nmbe: number;
}

/** R², CV(RMSE) and NMBE of predictions, with `p` parameters fitted. */
function statsOf(y: readonly number[], yhat: readonly number[], p: number): Stats {
  const n = y.length;
  let sum = 0;
  for (const v of y) sum += v;
  const mean = sum / n;
  let sse = 0;
  let sst = 0;
  let bias = 0;
  for (let i = 0; i < n; i++) {
    const e = y[i]! - yhat[i]!;
    sse += e * e;
    bias += e;
    sst += (y[i]! - mean) ** 2;
  }
  return {
    r2: sst > 0 ? 1 - sse / sst : 0,
    cvrmse: Math.sqrt(sse / (n - p)) / mean,
    nmbe: bias / ((n - p) * mean),
  };
}

interface GroupContext {
  imported: boolean;
  /** The base temperature to use (given, or the file's); null to search. */
  tb: number | null;
  cooling: boolean;
}

/** Fits one group of days: `w[i]` is day i's mean °C (or imported HDD), `y[i]` its kWh. */
function fitGroup(
  y: readonly number[],
  w: readonly number[],
  ctx: GroupContext,
): { fit: DegreeDayFit; notes: string[] } {
  const n = y.length;
  let ySum = 0;
  for (const v of y) ySum += v;
  const yMean = ySum / n;
  const yc = y.map((v) => v - yMean);
  let syy = 0;
  for (const v of yc) syy += v * v;
  const hdd = (i: number, tb: number): number => (ctx.imported ? w[i]! : heatingDegreeDays(w[i]!, tb));
  const notes: string[] = [];

  // Heating: one pass of running sums per candidate base temperature.
  let best: { tb: number; r2: number; s1: number; v11: number; s1y: number } | null = null;
  for (const tb of ctx.tb !== null ? [ctx.tb] : SEARCH_BASE_TEMPERATURES) {
    let sx = 0;
    let sxx = 0;
    let sxy = 0;
    for (let i = 0; i < n; i++) {
      const x = hdd(i, tb);
      sx += x;
      sxx += x * x;
      sxy += x * yc[i]!;
    }
    const vxx = sxx - (sx * sx) / n;
    if (!(vxx > CONSTANT * sxx)) continue;
    const r2 = syy > 0 ? (sxy * sxy) / (vxx * syy) : 0;
    if (best === null || r2 > best.r2 + TIE) best = { tb, r2, s1: sx, v11: vxx, s1y: sxy };
  }

  if (best === null) {
    const where = ctx.imported
      ? 'The imported degree days do not vary over these days'
      : ctx.tb !== null
        ? `Heating degree days at ${ctx.tb} °C do not vary over these days`
        : `Heating degree days do not vary over these days at any base temperature from ${SEARCH_BASE_TEMPERATURES[0]} to ${SEARCH_BASE_TEMPERATURES.at(-1)} °C`;
    notes.push(`${where}, so the model is the mean daily use with no weather term.`);
    const fit: DegreeDayFit = {
      intercept: yMean,
      slope: 0,
      cddSlope: null,
      coolingBase: null,
      baseTemperature: ctx.tb,
      days: n,
      r2: 0,
      parameters: 1,
    };
    return { fit, notes };
  }

  const { tb } = best;
  if (ctx.tb === null) {
    notes.push(`Base temperature ${tb} °C: the highest R² of the ${SEARCH_BASE_TEMPERATURES.length} tried (10–20 °C).`);
  }
  const b = best.s1y / best.v11;
  let terms: ModelTerms = {
    intercept: yMean - (b * best.s1) / n,
    slope: b,
    cddSlope: null,
    coolingBase: null,
    baseTemperature: tb,
  };
  let parameters = 2;

  if (ctx.cooling && !ctx.imported) {
    // Cooling with the heating base fixed: the centred 2×2 normal equations for (b, c).
    let cool: { tc: number; r2: number; b: number; c: number; s2: number } | null = null;
    for (const tc of SEARCH_COOLING_BASES) {
      if (tc < tb) continue;
      let s2 = 0;
      let s22 = 0;
      let s12 = 0;
      let s2y = 0;
      for (let i = 0; i < n; i++) {
        const x2 = coolingDegreeDays(w[i]!, tc);
        s2 += x2;
        s22 += x2 * x2;
        s12 += hdd(i, tb) * x2;
        s2y += x2 * yc[i]!;
      }
      const v22 = s22 - (s2 * s2) / n;
      const v12 = s12 - (best.s1 * s2) / n;
      const det = best.v11 * v22 - v12 * v12;
      if (!(v22 > CONSTANT * s22) || !(det > CONSTANT * best.v11 * v22)) continue;
      const bc = (best.s1y * v22 - s2y * v12) / det;
      const c = (best.v11 * s2y - v12 * best.s1y) / det;
      const r2 = syy > 0 ? (bc * best.s1y + c * s2y) / syy : 0;
      if (c > 0 && (cool === null || r2 > cool.r2 + TIE)) cool = { tc, r2, b: bc, c, s2 };
    }
    const heatingAdj = adjustedR2(best.r2, n, 2);
    const coolingAdj = cool ? adjustedR2(cool.r2, n, 3) : null;
    if (cool && coolingAdj !== null && coolingAdj > heatingAdj) {
      terms = {
        intercept: yMean - (cool.b * best.s1 + cool.c * cool.s2) / n,
        slope: cool.b,
        cddSlope: cool.c,
        coolingBase: cool.tc,
        baseTemperature: tb,
      };
      parameters = 3;
      notes.push(
        `Cooling term added: cooling degree days above ${cool.tc} °C raise adjusted R² from ${heatingAdj.toFixed(3)} to ${coolingAdj.toFixed(3)}.`,
      );
    } else {
      notes.push(`No cooling term: cooling degree days (base 15–25 °C) do not improve adjusted R².`);
    }
  }

  const yhat = w.map((v) => evaluate(terms, v, ctx.imported)!);
  const fit: DegreeDayFit = {
    ...terms,
    intercept: terms.intercept!,
    slope: terms.slope!,
    days: n,
    r2: statsOf(y, yhat, parameters).r2,
    parameters,
  };
  return { fit, notes };
}

/**
 * The calibration flags of a model's statistics (over its baseline, or recomputed over another
 * period): CV(RMSE), NMBE and R² against ASHRAE Guideline 14, days against CalTRACK sufficiency,
 * and heating slopes that are not positive.
 */
export function baselineFlags(
  m: Pick<BaselineModel, 'days' | 'r2' | 'cvrmse' | 'nmbe' | 'slope' | 'open' | 'closed'>,
): BaselineFlag[] {
  const flags: BaselineFlag[] = [];
  if (m.cvrmse > MAX_CVRMSE) {
    flags.push({
      code: 'cvrmse-high',
      message: `CV(RMSE) is ${shown(m.cvrmse * 100, 0, MAX_CVRMSE * 100)} %: ASHRAE Guideline 14 asks for at most ${MAX_CVRMSE * 100} %. The model explains day-to-day use poorly; predictions for single days are unreliable.`,
    });
  }
  if (Math.abs(m.nmbe) > MAX_ABS_NMBE) {
    flags.push({
      code: 'nmbe-high',
      message: `NMBE is ${shown(m.nmbe * 100, 1, Math.sign(m.nmbe) * MAX_ABS_NMBE * 100)} %: ASHRAE Guideline 14 asks for at most ±${MAX_ABS_NMBE * 100} %. The model's predictions are biased ${m.nmbe > 0 ? 'low' : 'high'} overall, so savings measured against it are too.`,
    });
  }
  if (m.r2 < MIN_R2) {
    flags.push({
      code: 'r2-low',
      message: `R² is ${shown(m.r2, 2, MIN_R2)}: weather explains less than ${MIN_R2 * 100} % of the variation (Guideline 14 suggests at least ${MIN_R2} for a weather-driven baseline).`,
    });
  }
  if (m.days < MIN_SUFFICIENT_DAYS) {
    flags.push({
      code: 'few-days',
      message: `Only ${m.days} days with weather: CalTRACK asks for at least ${MIN_SUFFICIENT_DAYS} (ideally a whole year) so the baseline sees a range of weather.`,
    });
  }
  const slopes: [string, number | null][] =
    m.open && m.closed
      ? [
          ['of the open-day model ', m.open.slope],
          ['of the closed-day model ', m.closed.slope],
        ]
      : [['', m.slope]];
  for (const [which, slope] of slopes) {
    if (slope === null || slope > 0) continue;
    flags.push({
      code: 'slope-not-positive',
      message: `heating slope ${which}is not positive (${shown(slope, 2, 0)} kWh per degree day): the model does not use more energy on colder days, so it cannot adjust for weather. Check that this meter serves heating, or choose another baseline period.`,
    });
  }
  return flags;
}

/**
 * Fits a baseline on the days with weather (`meanC`, or `hdd` when `hddBase` is given; the others
 * are counted in `skipped`). Throws BAD_INPUT when fewer than 10 days have weather, a kWh or
 * weather value is not a number, or the days used no energy in total; INVALID_ARGS for a base
 * temperature that is not a number.
 */
export function fitBaseline(days: readonly BaselineDay[], opts: BaselineOptions = {}): BaselineModel {
  const imported = opts.hddBase !== undefined && opts.hddBase !== null;
  for (const [name, v] of [
    ['baseTemperature', opts.baseTemperature],
    ['hddBase', opts.hddBase],
  ] as const) {
    if (v !== undefined && v !== null && !Number.isFinite(v)) {
      throw new AppError('INVALID_ARGS', `${name} must be a temperature in °C (got ${String(v)}).`);
    }
  }
  const withWeather: BaselineDay[] = [];
  for (const d of days) {
    const w = imported ? d.hdd : d.meanC;
    if (!Number.isFinite(d.kwh)) {
      throw new AppError('BAD_INPUT', `Day ${isoDay(d.day)}: kWh must be a number (got ${String(d.kwh)}).`);
    }
    if (w === null) continue;
    if (!Number.isFinite(w) || (imported && w < 0)) {
      const what = imported
        ? 'heating degree days must be a number of at least 0'
        : 'mean temperature must be a number';
      throw new AppError('BAD_INPUT', `Day ${isoDay(d.day)}: ${what} (got ${String(w)}).`);
    }
    withWeather.push(d);
  }
  const n = withWeather.length;
  if (n < MIN_WEATHER_DAYS) {
    throw new AppError(
      'BAD_INPUT',
      `Only ${n} of the ${days.length} baseline days ${n === 1 ? 'has' : 'have'} weather; a baseline model needs at least ${MIN_WEATHER_DAYS}. Import degree days or fetch weather for the site over the baseline period.`,
    );
  }
  const y = withWeather.map((d) => d.kwh);
  const total = y.reduce((s, v) => s + v, 0);
  if (total === 0) {
    throw new AppError(
      'BAD_INPUT',
      `The ${n} baseline days with weather used no energy (0 kWh in total); choose a baseline period when the site was using energy.`,
    );
  }
  const weatherOf = (d: BaselineDay): number => (imported ? d.hdd! : d.meanC!);
  const ctx: GroupContext = {
    imported,
    tb: imported ? opts.hddBase! : (opts.baseTemperature ?? null),
    cooling: opts.fuel === 'electricity',
  };
  const notes: string[] = [];
  const unweathered = days.length - n;
  const one = unweathered === 1;
  if (unweathered > 0)
    notes.push(
      `${unweathered} of ${days.length} days ${one ? 'has' : 'have'} no weather and ${one ? 'is' : 'are'} left out.`,
    );
  if (ctx.cooling && imported) notes.push('No cooling term: imported degree days give heating only.');

  let split: { open: DegreeDayFit; closed: DegreeDayFit } | null = null;
  if (opts.splitOpenClosed) {
    const unknown = withWeather.filter((d) => d.open === undefined).length;
    const open = withWeather.filter((d) => d.open === true);
    const closed = withWeather.filter((d) => d.open === false);
    if (unknown > 0) {
      notes.push(
        `Open and closed days are not modelled separately: ${unknown} days do not say whether the site was open.`,
      );
    } else if (open.length < MIN_SPLIT_GROUP_DAYS || closed.length < MIN_SPLIT_GROUP_DAYS) {
      notes.push(
        `Open and closed days are not modelled separately: there are ${open.length} open and ${closed.length} closed days, and each needs at least ${MIN_SPLIT_GROUP_DAYS}.`,
      );
    } else {
      const o = fitGroup(
        open.map((d) => d.kwh),
        open.map(weatherOf),
        ctx,
      );
      const c = fitGroup(
        closed.map((d) => d.kwh),
        closed.map(weatherOf),
        ctx,
      );
      notes.push(...o.notes.map((s) => `Open days: ${s}`), ...c.notes.map((s) => `Closed days: ${s}`));
      split = { open: o.fit, closed: c.fit };
    }
  }

  let terms: ModelTerms;
  let parameters: number;
  let yhat: number[];
  if (split) {
    const s = split;
    terms = { intercept: null, slope: null, cddSlope: null, coolingBase: null, baseTemperature: null };
    parameters = s.open.parameters + s.closed.parameters;
    yhat = withWeather.map((d) => evaluate(d.open ? s.open : s.closed, weatherOf(d), imported)!);
  } else {
    const g = fitGroup(y, withWeather.map(weatherOf), ctx);
    notes.push(...g.notes);
    const { intercept, slope, cddSlope, coolingBase, baseTemperature } = g.fit;
    terms = { intercept, slope, cddSlope, coolingBase, baseTemperature };
    parameters = g.fit.parameters;
    yhat = withWeather.map((d) => evaluate(g.fit, weatherOf(d), imported)!);
  }
  const model: BaselineModel = {
    weather: imported ? 'imported-hdd' : 'temperature',
    ...terms,
    open: split?.open ?? null,
    closed: split?.closed ?? null,
    days: n,
    parameters,
    ...statsOf(y, yhat, parameters),
    skipped: days.length - n,
    flags: [],
    notes,
  };
  model.flags = baselineFlags(model);
  return model;
}

/**
 * The kWh the model expects on a day's weather (its `hdd` for a model of imported degree days,
 * else its `meanC`). Null when the day has no weather, or, for a split model, does not say
 * whether the site was open.
 */
export function predict(model: BaselineModel, day: Pick<BaselineDay, 'meanC' | 'hdd' | 'open'>): number | null {
  const imported = model.weather === 'imported-hdd';
  const w = imported ? day.hdd : day.meanC;
  if (w === null || !Number.isFinite(w)) return null;
  if (model.open && model.closed) {
    if (day.open === undefined) return null;
    return evaluate(day.open ? model.open : model.closed, w, imported);
  }
  return evaluate(model, w, imported);
}

export interface CusumDay {
  day: number;
  actualKwh: number;
  expectedKwh: number;
  /** Running sum of (actual − expected) up to and including this day. */
  cusumKwh: number;
}

export interface CusumResult {
  days: CusumDay[];
  /** Σ(expected − actual): energy saved against the baseline (negative when more was used). */
  avoidedKwh: number;
  /** Days left out because the model has no prediction for them (no weather). */
  skipped: number;
}

/** CUSUM of actual against expected kWh over the days in day order. */
export function cusum(model: BaselineModel, days: readonly BaselineDay[]): CusumResult {
  const out: CusumDay[] = [];
  let running = 0;
  let avoided = 0;
  let skipped = 0;
  for (const d of [...days].sort((a, b) => a.day - b.day)) {
    const expected = predict(model, d);
    if (expected === null) {
      skipped++;
      continue;
    }
    running += d.kwh - expected;
    avoided += expected - d.kwh;
    out.push({ day: d.day, actualKwh: d.kwh, expectedKwh: expected, cusumKwh: running });
  }
  return { days: out, avoidedKwh: avoided, skipped };
}
