/**
 * The site and portfolio monthly reports: a UK calendar month of one site's meters (`{ siteId }`) or of
 * every meter (`{ all: true }`) — consumption against the same month last year and the budget, cost with
 * its breakdown (priced as the Costs page prices), emissions by half-hourly intensities and by the
 * SECR annual factors, baseload and out-of-hours share, the month's exceptions and alerts, data
 * completeness and the best tariff saving found, with daily, profile and year-on-year charts; and a
 * table per meter (a site) or per site (the portfolio). Each figure comes from the service that answers
 * the app's own page, read once per meter; roles apply through the caller's contract calls (costs and
 * savings are shown to managers and admins).
 */

import { AppError } from '../../../src-shared/contract/errors';
import type {
  Alert,
  CostResult,
  Emissions,
  Fuel,
  LeagueRow,
  PeriodTotal,
  SwitchSummary,
} from '../../../src-shared/contract/types';
import { toLondonParts } from '../../../src-shared/domain/london-time';
import { MONTH_NAMES, dayFromDate, dayHalfHours, dayStartUtc, isoDay } from '../../../src-shared/domain/periods';
import { BudgetStore } from '../budgets/budget-store';
import { halfHourlyEmissions } from '../carbon/carbon-service';
import type { Call } from '../exports/tables';
import type { DayVectors } from '../readings/store';
import type { Services } from '../services';
import { change, gbp, percent, ukDate, ukDateTime } from './format';
import type { ReportBlock, ReportDocument } from './model';

/** What the site and portfolio reports read. */
export interface SiteMonthDeps {
  services: Pick<Services, 'sqlite' | 'clock' | 'totals' | 'meters' | 'costing' | 'carbon' | 'readings' | 'analytics'>;
  call: Call;
  now: number;
}

/** A meter as the monthly reports read it. */
type AnalysisRow = ReturnType<Services['meters']['analysisRows']>[number];

/** A meter's kWh and completeness for a month, as totals.list gives them. */
type MonthFigures = Pick<PeriodTotal, 'kwh' | 'halfHours' | 'missing' | 'completeness'>;

/** One meter's month, as the report adds it up. */
export interface MeterMonth {
  identifier: string;
  label: string | null;
  fuel: Fuel;
  siteId: number | null;
  cur: MonthFigures;
  /** The same month a year earlier; null when the meter has no reading in it. */
  last: MonthFigures | null;
  /** The same month a year earlier as stored, readings or not (its completeness). */
  lastRaw: MonthFigures;
  cost: CostResult | null;
  /** Why the meter could not be priced (costs shown), else null. */
  unpriced: string | null;
  secr: Emissions;
  halfHourly: Emissions;
}

const BAR = '#2f6f9f';
const LAST_YEAR = '#b0b7bf';
const FUELS: Fuel[] = ['electricity', 'gas'];
const LIST_LIMIT = 25;

const one = new Intl.NumberFormat('en-GB', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const num = (n: number | null): string => (n === null || !Number.isFinite(n) ? '—' : one.format(n));
const kg = (n: number | null): string => (n === null ? '—' : `${one.format(n)} kg CO2e`);
const pounds = (pence: number | null): string => (pence === null ? '—' : gbp(pence / 100));
const round = (v: number, dp: number): number => Number(v.toFixed(dp));
const sumOf = <T>(xs: readonly T[], f: (x: T) => number): number => xs.reduce((a, x) => a + f(x), 0);
const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
const two = new Intl.NumberFormat('en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
/** `1 meter`, `2 meters`. */
const plural = (n: number, word: string): string => `${n.toLocaleString('en-GB')} ${word}${n === 1 ? '' : 's'}`;
/** Below this share of the month's half-hours a comparison is marked as made on incomplete data. */
export const COMPLETE_ENOUGH = 0.9;

/** Parses `YYYY-MM` into its first local day and the first day of the next month. */
export function monthDays(month: string): { y: number; m: number; first: number; next: number } {
  const match = /^(\d{4})-(\d{2})$/.exec(month.trim());
  const y = match ? Number(match[1]) : NaN;
  const m = match ? Number(match[2]) : NaN;
  if (!match || m < 1 || m > 12 || y < 1990 || y > 2100)
    throw new AppError('INVALID_ARGS', `"${month}" is not a month; expected YYYY-MM, e.g. 2025-03`);
  return { y, m, first: dayFromDate(y, m, 1), next: dayFromDate(y, m + 1, 1) };
}

const slotLabel = (i: number): string => `${String(Math.floor(i / 2)).padStart(2, '0')}:${i % 2 ? '30' : '00'}`;

/** The average half-hourly profile as a line chart over the UK clock, 00:00 to 23:30. */
export function profileChart(title: string, profile: (number | null)[], height: number): ReportBlock {
  return {
    kind: 'chart',
    title,
    height,
    option: {
      grid: { left: 48, right: 12, top: 20, bottom: 36 },
      xAxis: { type: 'category', data: profile.map((_, i) => slotLabel(i)), axisLabel: { interval: 3, fontSize: 9 } },
      yAxis: { type: 'value', name: 'kWh', axisLabel: { fontSize: 9 } },
      series: [
        {
          type: 'line',
          data: profile.map((v) => (v === null ? null : round(v, 3))),
          showSymbol: false,
          lineStyle: { color: BAR },
          areaStyle: { opacity: 0.15, color: BAR },
        },
      ],
    },
  };
}

/** The share of some meters' half-hours of the month that have a reading; 0 without any half-hour. */
const completeOf = (xs: readonly MeterMonth[], f: (x: MeterMonth) => MonthFigures = (x) => x.cur): number => {
  const expected = sumOf(xs, (x) => f(x).halfHours);
  return expected ? sumOf(xs, (x) => f(x).halfHours - f(x).missing) / expected : 0;
};

/** A comparison's cell, and the share of the half-hours under it (1 when it compares nothing). */
export interface Compared {
  text: string;
  completeness: number;
}

/** `now` against `before` (a budget or last year) as a change; an em dash when either is missing. */
export function versus(now: number | null, before: number | null, completeness: number): Compared {
  const text = now === null || !Number.isFinite(now) ? '—' : change(now, before);
  return { text, completeness: text === '—' ? 1 : completeness };
}

/** Some meters against the same month last year, with the lower completeness of the two months. */
const yearOnYear = (xs: readonly MeterMonth[]): Compared =>
  versus(
    kwhOf(xs),
    lastKwhOf(xs),
    Math.min(
      completeOf(xs),
      completeOf(xs, (x) => x.lastRaw),
    ),
  );

/**
 * A figures row; when a comparison in it rests on less than 90 % of the month's half-hours, a row under
 * it says so (`(incomplete data: 3.2%)`), so that a change is not read as a saving.
 */
export function marked(cells: (string | Compared)[]): string[][] {
  const low = Math.min(1, ...cells.map((c) => (typeof c === 'string' ? 1 : c.completeness)));
  const row = cells.map((c) => (typeof c === 'string' ? c : c.text));
  if (low >= COMPLETE_ENOUGH) return [row];
  return [row, [`(incomplete data: ${percent(low)})`, ...row.slice(1).map(() => '')]];
}

/** Whether a meter has no reading at all in the month. */
const silent = (x: MeterMonth): boolean => x.cur.missing === x.cur.halfHours;

/**
 * A month of some meters, each read once: what every section of the monthly reports (site, portfolio
 * and meter) draws from.
 */
export interface MonthContext {
  deps: SiteMonthDeps;
  month: string;
  y: number;
  m: number;
  first: number;
  next: number;
  /** `March 2025`, and `March 2024`. */
  name: string;
  lastName: string;
  meters: MeterMonth[];
  /** The fuels of the meters, electricity first. */
  fuels: Fuel[];
  /** Whether the caller sees costs and tariff savings. */
  managers: boolean;
  /** The average half-hourly profile of the meters of the first fuel. */
  profile: (number | null)[];
  league: LeagueRow[];
  /** The alerts about the month (by the period they cover), latest first. */
  alerts: Alert[];
  /** The tariff savings found for the meters; null for a viewer. */
  savings: SwitchSummary[] | null;
  /** Whether any half-hour of the month has a stored grid intensity. */
  intensities: boolean;
}

/**
 * Reads `month` (`YYYY-MM`) of some meters for a report; `what` names them in the refusal when none has
 * a reading in the month, `alertScope` narrows `alerts.list` to them.
 */
export async function readMonth(
  deps: SiteMonthDeps,
  rows: readonly AnalysisRow[],
  month: string,
  what: string,
  alertScope: { siteId?: number; meter?: string },
): Promise<MonthContext> {
  const s = deps.services;
  const { y, m, first, next } = monthDays(month);
  const name = `${MONTH_NAMES[m - 1]} ${y}`;
  const switching = await managersOnly(() => deps.call('switching.portfolio', {}));
  const managers = switching !== null;
  // one read of each meter's month serves its cost, both emissions and the profile
  const ids = rows.map((r) => r.id);
  const curs = s.totals.perMeter(ids, 'month', first);
  const lasts = s.totals.perMeter(ids, 'month', dayFromDate(y - 1, m, 1));
  const intensity = s.carbon.intensities(first, next);
  const catalog = managers ? s.costing.catalog() : null;
  const fuels = FUELS.filter((f) => rows.some((r) => r.fuel === f));
  const profile = new Profile(first, next);
  const meters: MeterMonth[] = rows.map((r) => {
    const d = s.readings.readDays(r.id, first, next);
    if (r.fuel === fuels[0]) profile.add(d);
    let cost: CostResult | null = null;
    let unpriced: string | null = null;
    if (catalog) {
      try {
        cost = s.costing.costAsBilled(r, d, first, next, catalog);
      } catch (e) {
        if (!(e instanceof AppError)) throw e;
        unpriced = e.message;
      }
    }
    const last = lasts.get(r.id)!;
    const secr = s.carbon.annualEmissions(d, r.fuel);
    return {
      identifier: r.identifier,
      label: r.label,
      fuel: r.fuel,
      siteId: r.siteId,
      cur: curs.get(r.id)!,
      last: last.missing < last.halfHours ? last : null,
      lastRaw: last,
      cost,
      unpriced,
      secr,
      halfHourly: r.fuel === 'electricity' ? halfHourlyEmissions(d, intensity, first) : secr,
    };
  });
  if (meters.every(silent))
    throw new AppError('NOT_FOUND', `${what} has no readings in ${name}; import its data or pick another month`);
  const inScope = new Set(meters.map((x) => x.identifier));
  const league = s.analytics
    .portfolio({ from: isoDay(first), to: isoDay(next) })
    .rows.filter((r) => inScope.has(r.meter));
  const alerts = (await deps.call('alerts.list', { ...alertScope, includeSnoozed: true, limit: 5000 })).filter((a) =>
    alertInMonth(a, first, next),
  );
  return {
    deps,
    month,
    y,
    m,
    first,
    next,
    name,
    lastName: `${MONTH_NAMES[m - 1]} ${y - 1}`,
    meters,
    fuels,
    managers,
    profile: profile.average(),
    league,
    alerts,
    savings: switching?.filter((a) => inScope.has(a.meter) && a.bestSavingPence > 0) ?? null,
    intensities: intensity.some((g) => g === g),
  };
}

/** Builds the monthly report of a site (`siteId`) or of the portfolio (`siteId` null) for `month` (`YYYY-MM`). */
export async function siteMonthReport(
  deps: SiteMonthDeps,
  siteId: number | null,
  month: string,
): Promise<ReportDocument> {
  const s = deps.services;
  monthDays(month);
  const sites = await deps.call('sites.list', {});
  const site = siteId === null ? null : sites.find((x) => x.id === siteId);
  if (siteId !== null && !site)
    throw new AppError('NOT_FOUND', `There is no site ${siteId}; see sites.list for the sites' ids`);
  const rows = s.meters.analysisRows().filter((r) => siteId === null || r.siteId === siteId);
  const what = site ? `Site ${site.name}` : 'The portfolio';
  if (rows.length === 0) throw new AppError('NOT_FOUND', `${what} has no meters; assign meters to it first`);
  const ctx = await readMonth(deps, rows, month, what, siteId === null ? {} : { siteId });
  const { meters, name, first, next } = ctx;
  const budgets = new BudgetStore(s.sqlite, s.clock);
  const budget = budgetCover(budgets, meters, month);

  const reported = meters.filter((x) => !silent(x));
  const blocks: ReportBlock[] = [
    { kind: 'heading', text: 'Summary' },
    {
      kind: 'paragraph',
      text:
        `${site ? `Site ${site.name}` : `The portfolio (${plural(sites.length, 'site')})`}, ` +
        `${plural(meters.length, 'meter')}, for ${name}: ${ukDate(first)} to ${ukDate(next - 1)}, ` +
        'UK local time. Figures are the stored half-hourly readings; missing half-hours are not estimated. ' +
        'Gas and electricity are never added together in kWh.',
    },
    ...headline(ctx, budget),
    ...costBlocks(ctx),
    ...emissionBlocks(ctx),
    ...chartBlocks(ctx, siteId, rows),
    { kind: 'pageBreak' },
    ...(site ? meterTable(ctx) : siteTable(ctx, sites, budgets)),
    ...completenessBlocks(ctx),
    ...exceptionBlocks(ctx, siteId !== null),
    ...alertBlocks(ctx),
    ...savingBlocks(ctx),
  ];
  return {
    title: site ? `Site report: ${site.name}, ${name}` : `Portfolio report: ${name}`,
    period: `${name}: ${ukDate(first)} to ${ukDate(next - 1)} (UK local time)`,
    completeness: completenessLine(meters, reported),
    generated: ukDateTime(Math.floor(deps.now / 1000)),
    blocks,
  };
}

/**
 * The data's completeness for the page footers: over the meters that reported in the month, and over
 * all of them when some reported nothing.
 */
function completenessLine(meters: MeterMonth[], reported: MeterMonth[]): string {
  const expected = sumOf(reported, (x) => x.cur.halfHours);
  const present = sumOf(reported, (x) => x.cur.halfHours - x.cur.missing);
  const line =
    `Data: ${present.toLocaleString('en-GB')} of ${expected.toLocaleString('en-GB')} half-hours ` +
    `(${percent(completeOf(reported))}) across ${plural(reported.length, 'meter')}`;
  if (reported.length === meters.length) return line;
  const none = meters.length - reported.length;
  return (
    `${line} that reported; ${percent(completeOf(meters))} over all ${plural(meters.length, 'meter')} ` +
    `(${none} with no reading)`
  );
}

/** Whether an alert is about a day, week, month or span that falls (at least partly) in [first, next). */
export function alertInMonth(a: Pick<Alert, 'period' | 'firedAt'>, first: number, next: number): boolean {
  const p = a.period.trim();
  let from: number;
  let to: number;
  let match: RegExpExecArray | null;
  if ((match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(p))) {
    from = dayFromDate(Number(match[1]), Number(match[2]), Number(match[3]));
    to = from + 1;
  } else if ((match = /^(\d{4})-W(\d{2})$/.exec(p))) {
    // ISO week: week 1 holds 4 January; weeks start on Monday
    const jan4 = dayFromDate(Number(match[1]), 1, 4);
    from = jan4 - ((jan4 + 3) % 7) + (Number(match[2]) - 1) * 7;
    to = from + 7;
  } else if ((match = /^(\d{4})-(\d{2})$/.exec(p))) {
    from = dayFromDate(Number(match[1]), Number(match[2]), 1);
    to = dayFromDate(Number(match[1]), Number(match[2]) + 1, 1);
  } else {
    // `from/to` instants; anything else is placed by when it fired
    const [a0, b0] = p.includes('/') ? p.split('/') : [a.firedAt, a.firedAt];
    const t0 = Date.parse(a0!) / 1000;
    const t1 = Math.max(Date.parse(b0!) / 1000, t0 + 1);
    return t0 < dayStartUtc(next) && t1 > dayStartUtc(first);
  }
  return from < next && to > first;
}

/** A manager's figure (costs, tariff savings), or null when the caller is a viewer. */
async function managersOnly<T>(read: () => Promise<T>): Promise<T | null> {
  try {
    return await read();
  } catch (e) {
    if (e instanceof AppError && e.code === 'FORBIDDEN') return null;
    throw e;
  }
}

const kwhOf = (xs: readonly MeterMonth[]): number => sumOf(xs, (x) => x.cur.kwh);
const lastKwhOf = (xs: readonly MeterMonth[]): number | null =>
  xs.some((x) => x.last) ? sumOf(xs, (x) => x.last?.kwh ?? 0) : null;
const pennies = (xs: readonly MeterMonth[]): number | null =>
  xs.some((x) => x.cost) ? sumOf(xs, (x) => x.cost?.totalPence ?? 0) : null;

/** A budget figure (kWh or pence) of the sites that set one, and the meters of those sites. */
interface BudgetFigure {
  value: number | null;
  meters: MeterMonth[];
  /** How many sites set it, of how many sites the meters are on. */
  sites: number;
  of: number;
  /** Whether it covers every meter of the report. */
  whole: boolean;
  /** `budget covers 1 of 5 sites` (meters on no site are never covered). */
  covers: string;
}

/**
 * The month's budgets of the sites of some meters, kWh and £ each on their own: a budget is compared
 * only with the actuals of the sites that set it.
 */
function budgetCover(
  budgets: BudgetStore,
  meters: MeterMonth[],
  month: string,
): { kwh: BudgetFigure; pence: BudgetFigure } {
  const siteIds = [...new Set(meters.flatMap((x) => (x.siteId === null ? [] : [x.siteId])))];
  const each = siteIds.map((id) => ({ id, b: budgets.total([id], month) }));
  const unsited = meters.some((x) => x.siteId === null);
  const figure = (k: 'kwh' | 'pence'): BudgetFigure => {
    const set = each.filter((e) => e.b[k] !== null);
    const ids = new Set(set.map((e) => e.id));
    return {
      value: set.length ? sumOf(set, (e) => e.b[k]!) : null,
      meters: meters.filter((x) => x.siteId !== null && ids.has(x.siteId)),
      sites: set.length,
      of: siteIds.length,
      whole: set.length > 0 && set.length === siteIds.length && !unsited,
      covers: `budget covers ${set.length} of ${plural(siteIds.length, 'site')}`,
    };
  };
  return { kwh: figure('kwh'), pence: figure('pence') };
}

/**
 * The month's emissions as figures rows (label, value): SECR, electricity half-hourly (not available
 * when no grid intensity is stored for the month), gas.
 */
export function emissionRows(ctx: MonthContext): [string, string][] {
  const { meters } = ctx;
  const elec = meters.filter((x) => x.fuel === 'electricity');
  const gas = meters.filter((x) => x.fuel === 'gas');
  const rows: [string, string][] = [['kg CO2e, SECR factors', num(sumOf(meters, (x) => x.secr.kgco2))]];
  if (elec.length && ctx.intensities)
    rows.push(['kg CO2e, electricity, grid half-hourly', num(sumOf(elec, (x) => x.halfHourly.kgco2))]);
  else if (elec.length)
    rows.push(['kg CO2e, electricity, grid half-hourly', 'not available'], ['(fetch them on the Carbon page)', '']);
  if (gas.length && elec.length) rows.push(['kg CO2e, gas, SECR factors', num(sumOf(gas, (x) => x.secr.kgco2))]);
  return rows;
}

/** The electricity meters' out-of-hours share as a figures row (label, value); none without electricity. */
export function outOfHoursRows(ctx: MonthContext): [string, string][] {
  const elec = ctx.league.filter((r) => r.fuel === 'electricity');
  const k = sumOf(elec, (r) => r.kwh);
  if (!elec.length) return [];
  return [['Out-of-hours share', k > 0 ? percent(sumOf(elec, (r) => r.outOfHoursKwh) / k) : '—']];
}

function headline(ctx: MonthContext, budget: { kwh: BudgetFigure; pence: BudgetFigure }): ReportBlock[] {
  const { meters, fuels, managers } = ctx;
  const rows: string[][] = [];
  const kb = budget.kwh;
  const pb = budget.pence;
  const inFuelRow = fuels.length === 1 && kb.whole;
  const against = (xs: MeterMonth[], now: number | null, b: BudgetFigure | null): Compared | string =>
    b?.value == null ? '—' : versus(now, b.value, completeOf(xs));
  for (const f of fuels) {
    const of = meters.filter((x) => x.fuel === f);
    const b = inFuelRow ? kb : null;
    rows.push(
      ...marked([
        `${cap(f)}, kWh`,
        num(kwhOf(of)),
        num(lastKwhOf(of)),
        yearOnYear(of),
        num(b?.value ?? null),
        against(of, kwhOf(of), b),
      ]),
    );
  }
  if (!inFuelRow && kb.value !== null) {
    const label = kb.whole ? 'All fuels against the budget, kWh' : `kWh, ${kb.covers}`;
    rows.push(
      ...marked([label, num(kwhOf(kb.meters)), '', '', num(kb.value), against(kb.meters, kwhOf(kb.meters), kb)]),
    );
  }
  if (managers) {
    const p = pennies(meters);
    if (pb.whole) rows.push(...marked(['Cost incl. VAT', pounds(p), '', '', pounds(pb.value), against(meters, p, pb)]));
    else {
      rows.push(['Cost incl. VAT', pounds(p), '', '', '', '']);
      if (pb.value !== null) {
        const q = pennies(pb.meters);
        rows.push(...marked([`£, ${pb.covers}`, pounds(q), '', '', pounds(pb.value), against(pb.meters, q, pb)]));
      }
    }
  }
  const pad = ([label, value]: [string, string]) => [label, value, '', '', '', ''];
  rows.push(...emissionRows(ctx).map(pad));
  const elec = ctx.league.filter((r) => r.fuel === 'electricity');
  if (elec.length) {
    const base = elec.filter((r) => r.baseloadKw !== null);
    rows.push(pad(['Baseload, kW', base.length ? two.format(sumOf(base, (r) => r.baseloadKw!)) : '—']));
  }
  rows.push(...outOfHoursRows(ctx).map(pad));
  const reported = meters.filter((x) => !silent(x));
  rows.push(pad(['Data completeness', percent(completeOf(reported))]));
  if (reported.length < meters.length)
    rows.push(pad([`Data completeness, all ${plural(meters.length, 'meter')}`, percent(completeOf(meters))]));
  const table: ReportBlock = {
    kind: 'figures',
    columns: ['Figure', ctx.name, ctx.lastName, 'Change', 'Budget', 'vs budget'],
    rows,
    align: ['left', 'right', 'right', 'right', 'right', 'right'],
  };
  const partial = [kb, ...(managers ? [pb] : [])].filter((b) => b.value !== null && !b.whole);
  if (!partial.length) return [table];
  const what = (b: BudgetFigure) =>
    `${b === kb ? 'kWh' : '£'} budgets are set for ${b.sites} of ${plural(b.of, 'site')}`;
  return [
    table,
    {
      kind: 'paragraph',
      text:
        `Budgets: ${partial.map(what).join(' and ')}; each budget is compared with the actuals of the sites that set it ` +
        `only${meters.some((x) => x.siteId === null) ? ', and meters on no site are left out' : ''}.`,
    },
  ];
}

/** The cost breakdown of the meters, and the meters that could not be priced; a note for a viewer. */
export function costBlocks(ctx: MonthContext): ReportBlock[] {
  const meters = ctx.meters;
  if (!ctx.managers)
    return [{ kind: 'paragraph', text: 'Costs and tariff savings are shown to managers and admins only.' }];
  const priced = meters.flatMap((x) => (x.cost ? [x.cost] : []));
  const total = (f: (c: CostResult) => number) => (priced.length ? pounds(sumOf(priced, f)) : '—');
  const out: ReportBlock[] = [
    { kind: 'heading', text: 'Cost' },
    {
      kind: 'figures',
      columns: ['Component', 'Cost'],
      rows: [
        ['Energy (unit charges)', total((c) => c.unitCostPence - c.duosPence)],
        ['DUoS (unit charges)', total((c) => c.duosPence)],
        ['Standing charges', total((c) => c.standingChargePence)],
        ['Capacity charges', total((c) => c.capacityPence)],
        ['Climate Change Levy', total((c) => c.cclPence)],
        ['VAT', total((c) => c.vatPence)],
        ['Total', total((c) => c.totalPence)],
      ],
      align: ['left', 'right'],
    },
  ];
  const notes: string[] = [];
  // meters that could not be priced, grouped by the reason (the message with the meter's id taken out);
  // a meter without any reading in the month has nothing to price and is listed under completeness
  const reasons = new Map<string, string[]>();
  for (const x of meters.filter((m) => m.unpriced && !silent(m))) {
    const reason = cap(x.unpriced!.split(x.identifier).join('the meter'));
    reasons.set(reason, [...(reasons.get(reason) ?? []), x.identifier]);
  }
  for (const [reason, ids] of reasons)
    notes.push(`Not priced (${ids.length}): ${listed(ids)}. ${reason.replace(/\.?$/, '.')}`);
  const partly = meters.filter((x) => x.cost && x.cost.unpricedHalfHours > 0).map((x) => x.identifier);
  if (partly.length) notes.push(`Half-hours without a price are left out for ${listed(partly)}.`);
  notes.push(
    "Each meter is priced as the Costs page prices it: on its assigned tariffs (else its supplier's default), " +
      'half-hours without a reading are not priced.',
  );
  out.push({ kind: 'paragraph', text: notes.join(' ') });
  return out;
}

/** Up to 25 names joined, `and N more` after them. */
function listed(ids: string[]): string {
  return ids.slice(0, LIST_LIMIT).join(', ') + (ids.length > LIST_LIMIT ? ` and ${ids.length - LIST_LIMIT} more` : '');
}

/** The emissions by both methods, each with the share of half-hours it covers. */
export function emissionBlocks(ctx: MonthContext): ReportBlock[] {
  const meters = ctx.meters;
  const elec = meters.filter((x) => x.fuel === 'electricity');
  const gas = meters.filter((x) => x.fuel === 'gas');
  // coverage is a share of each meter's half-hours with a reading; weighted by those half-hours
  const covered = (xs: MeterMonth[], e: (x: MeterMonth) => Emissions) => {
    const n = sumOf(xs, (x) => x.cur.halfHours - x.cur.missing);
    return n ? sumOf(xs, (x) => e(x).coverage * (x.cur.halfHours - x.cur.missing)) / n : 0;
  };
  const secr =
    `By the SECR annual conversion factors (each day's kWh × the factor of its year): ` +
    `${kg(sumOf(meters, (x) => x.secr.kgco2))}, covering ${percent(covered(meters, (x) => x.secr))} of the ` +
    'half-hours with a reading' +
    (gas.length && elec.length ? `; gas alone ${kg(sumOf(gas, (x) => x.secr.kgco2))}.` : '.');
  const hh = !elec.length
    ? ' Location-based half-hourly intensities apply to electricity only; gas uses the SECR factors.'
    : !ctx.intensities
      ? ' Location-based (electricity): not available — no grid intensity is stored for the month; fetch them ' +
        'on the Carbon page.'
      : ` Location-based, each half-hour's kWh × the national grid's intensity then (electricity only): ` +
        `${kg(sumOf(elec, (x) => x.halfHourly.kgco2))}, covering ${percent(covered(elec, (x) => x.halfHourly))} ` +
        "of the electricity's half-hours with a reading (half-hours without a stored intensity add nothing)." +
        (gas.length ? ' Gas uses the SECR factors.' : '');
  return [
    { kind: 'heading', text: 'Emissions' },
    { kind: 'paragraph', text: secr + hh },
  ];
}

function chartBlocks(
  ctx: MonthContext,
  siteId: number | null,
  rows: readonly { id: number; fuel: Fuel }[],
): ReportBlock[] {
  const { deps, fuels, profile, first, next, y, m, name, lastName } = ctx;
  const s = deps.services;
  const fuel = fuels[0]!;
  const days = (a: number, b: number) =>
    s.totals.site(siteId, 'day', isoDay(a), isoDay(b)).find((t) => t.fuel === fuel)?.totals ?? [];
  const now = days(first, next);
  const lastFirst = dayFromDate(y - 1, m, 1);
  const before = days(lastFirst, lastFirst + (next - first));
  // a month's kWh summed in SQL (the portfolio's rolled-up fuel totals when current); null without data
  const ids = rows.filter((r) => r.fuel === fuel).map((r) => r.id);
  const monthKwh = (yy: number, mm: number): number | null => {
    const [a, b] = [dayFromDate(yy, mm, 1), dayFromDate(yy, mm + 1, 1)];
    const t = (siteId === null && s.readings.fuelTotal(fuel, a, b)) || s.readings.total(ids, a, b);
    return t.present > 0 ? round(t.kwh, 1) : null;
  };
  const labels: string[] = [];
  const thisYear: (number | null)[] = [];
  const yearBefore: (number | null)[] = [];
  for (let i = 11; i >= 0; i--) {
    const d = new Date(Date.UTC(y, m - 1 - i, 1));
    labels.push(`${MONTH_NAMES[d.getUTCMonth()]!.slice(0, 3)} ${String(d.getUTCFullYear()).slice(2)}`);
    thisYear.push(monthKwh(d.getUTCFullYear(), d.getUTCMonth() + 1));
    yearBefore.push(monthKwh(d.getUTCFullYear() - 1, d.getUTCMonth() + 1));
  }
  const f = `${cap(fuel)}${fuels.length > 1 ? ' only' : ''}`;
  const bars = (title: string, cats: string[], a: (number | null)[], b: (number | null)[], la: string, lb: string) =>
    ({
      kind: 'chart',
      title,
      height: 210,
      option: {
        grid: { left: 56, right: 12, top: 28, bottom: 40 },
        legend: { top: 0, itemGap: 24, data: [la, lb], textStyle: { fontSize: 9 } },
        // every category labelled: the days upright, the 12 months level
        xAxis: {
          type: 'category',
          data: cats,
          axisLabel: { interval: 0, rotate: cats.length > 12 ? 90 : 0, fontSize: 9 },
        },
        yAxis: { type: 'value', name: 'kWh', axisLabel: { fontSize: 9 } },
        series: [
          { type: 'bar', name: lb, data: b, itemStyle: { color: LAST_YEAR } },
          { type: 'bar', name: la, data: a, itemStyle: { color: BAR } },
        ],
      },
    }) satisfies ReportBlock;
  return [
    bars(
      `Daily consumption (kWh), ${f}: ${name} against ${lastName}`,
      now.map((d) => ukDate(dayOfIso(d.period)).slice(0, 5)),
      now.map(dayBar),
      before.map(dayBar),
      name,
      lastName,
    ),
    profileChart(`Average half-hourly profile, ${f}, ${name} (kWh per half-hour, UK time)`, profile, 190),
    bars(
      `Monthly consumption (kWh), ${f}: the 12 months to ${name} against the 12 before`,
      labels,
      thisYear,
      yearBefore,
      '12 months to ' + name,
      'The 12 before',
    ),
  ];
}

/**
 * The average kWh of each UK clock half-hour (00:00 … 23:30) of some meters' summed half-hours over the
 * local days [first, next): each slot's kWh over the days that have that slot on the clock.
 */
class Profile {
  private readonly slotsOfDay = new Map<number, Uint8Array>();
  private readonly days = new Array<number>(48).fill(0);
  private readonly sum = new Array<number>(48).fill(0);
  private any = false;

  constructor(first: number, next: number) {
    for (let d = first; d < next; d++) {
      const slots = new Uint8Array(dayHalfHours(d));
      for (let k = 0; k < slots.length; k++) {
        const p = toLondonParts(dayStartUtc(d) + k * 1800);
        slots[k] = p.hour * 2 + (p.minute >= 30 ? 1 : 0);
      }
      // a slot the clock passes twice (autumn) counts once that day
      for (const slot of new Set(slots)) this.days[slot]!++;
      this.slotsOfDay.set(d, slots);
    }
  }

  /** Adds one meter's days. */
  add(v: Pick<DayVectors, 'days' | 'offsets' | 'values'>): void {
    for (let i = 0; i < v.days.length; i++) {
      const slots = this.slotsOfDay.get(v.days[i]!)!;
      for (let k = v.offsets[i]!; k < v.offsets[i + 1]!; k++) {
        const x = v.values[k]!;
        if (x !== x) continue;
        this.sum[slots[k - v.offsets[i]!]!]! += x;
        this.any = true;
      }
    }
  }

  /** kWh per clock half-hour; null without any value. */
  average(): (number | null)[] {
    return this.sum.map((x, i) => (this.any && this.days[i] ? x / this.days[i]! : null));
  }
}

/** A day's bar: its kWh, or none when it has no reading at all. */
export const dayBar = (d: PeriodTotal): number | null => (d.missing === d.halfHours ? null : round(d.kwh, 1));

function dayOfIso(iso: string): number {
  return dayFromDate(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)), Number(iso.slice(8, 10)));
}

const missingOf = (x: MeterMonth): number => x.cur.missing;

function meterTable(ctx: MonthContext): ReportBlock[] {
  const lastYear = ctx.y - 1;
  return [
    { kind: 'heading', text: `Meters in ${ctx.name}` },
    {
      kind: 'figures',
      columns: ['Meter', 'Fuel', 'kWh', `vs ${lastYear}`, '£', 'kg CO2e', 'Missing', 'Complete'],
      rows: ctx.meters.flatMap((x) =>
        marked([
          x.label ? `${x.identifier} ${x.label}` : x.identifier,
          x.fuel,
          silent(x) ? '—' : num(x.cur.kwh),
          silent(x) ? '—' : yearOnYear([x]),
          x.cost ? pounds(x.cost.totalPence) : x.unpriced && !silent(x) ? 'not priced' : '—',
          num(x.secr.kgco2),
          missingOf(x).toLocaleString('en-GB'),
          percent(x.cur.completeness),
        ]),
      ),
      align: ['left', 'left', 'right', 'right', 'right', 'right', 'right', 'right'],
    },
    {
      kind: 'paragraph',
      text:
        `vs ${lastYear}: kWh against the same month a year earlier. £ includes VAT. kg CO2e by the SECR factors. ` +
        'Missing: half-hours without a reading.',
    },
  ];
}

function siteTable(ctx: MonthContext, sites: { id: number; name: string }[], budgets: BudgetStore): ReportBlock[] {
  const { meters, month } = ctx;
  const lastYear = ctx.y - 1;
  const groups = [
    ...sites.map((x) => ({ id: x.id as number | null, name: x.name })),
    { id: null, name: 'Not on a site' },
  ]
    .map((g) => ({ ...g, meters: meters.filter((x) => x.siteId === g.id) }))
    .filter((g) => g.meters.length > 0);
  const row = (label: string, xs: MeterMonth[], b: BudgetFigure | null): string[][] =>
    marked([
      label,
      num(kwhOf(xs)),
      yearOnYear(xs),
      b?.value == null ? '—' : versus(kwhOf(b.meters), b.value, completeOf(b.meters)),
      pounds(pennies(xs)),
      num(sumOf(xs, (x) => x.secr.kgco2)),
      percent(completeOf(xs)),
    ]);
  const all = budgetCover(budgets, meters, month).kwh;
  const rows = [
    ...groups.flatMap((g) => row(g.name, g.meters, g.id === null ? null : budgetCover(budgets, g.meters, month).kwh)),
    ...row('Total', meters, all),
  ];
  return [
    { kind: 'heading', text: `Sites in ${ctx.name}` },
    {
      kind: 'figures',
      columns: ['Site', 'kWh', `vs ${lastYear}`, 'vs budget', '£', 'kg CO2e', 'Complete'],
      rows,
      align: ['left', 'right', 'right', 'right', 'right', 'right', 'right'],
    },
    {
      kind: 'paragraph',
      text:
        `kWh adds every fuel of a site. vs ${lastYear}: against the same month a year earlier; vs budget: against ` +
        "the site's kWh budget for the month" +
        (all.value !== null && !all.whole
          ? `, and in the total the kWh of the sites with a budget against their budgets (${all.covers})`
          : '') +
        '. £ includes VAT; kg CO2e by the SECR factors.',
    },
  ];
}

/** The meters with no reading in the month, listed once; and those missing half-hours, worst first. */
export function completenessBlocks(ctx: MonthContext): ReportBlock[] {
  const head: ReportBlock = { kind: 'heading', text: 'Data completeness' };
  const none = ctx.meters.filter(silent).map((x) => x.identifier);
  const reported = ctx.meters.filter((x) => !silent(x));
  const out: ReportBlock[] = [head];
  if (none.length)
    out.push({ kind: 'paragraph', text: `Meters with no readings in ${ctx.name} (${none.length}): ${listed(none)}.` });
  const gaps = reported.filter((x) => missingOf(x) > 0).sort((a, b) => missingOf(b) - missingOf(a));
  if (gaps.length === 0) {
    const every = none.length ? 'Every meter that reported has' : 'Every meter has';
    return [...out, { kind: 'paragraph', text: `${every} every half-hour of the month.` }];
  }
  return [
    ...out,
    {
      kind: 'paragraph',
      text:
        (reported.length === 1
          ? 'The meter misses half-hours'
          : `${gaps.length} of the ${reported.length} meters that reported ${gaps.length === 1 ? 'misses' : 'miss'} half-hours`) +
        (gaps.length > LIST_LIMIT ? `; the ${LIST_LIMIT} missing most:` : ':'),
    },
    {
      kind: 'figures',
      columns: ['Meter', 'Missing half-hours', 'Of', 'Completeness'],
      rows: gaps
        .slice(0, LIST_LIMIT)
        .map((x) => [
          x.identifier,
          missingOf(x).toLocaleString('en-GB'),
          x.cur.halfHours.toLocaleString('en-GB'),
          percent(x.cur.completeness),
        ]),
      align: ['left', 'right', 'right', 'right'],
    },
  ];
}

/** The month's exception days: each day (`byDay`, a site or a meter) or the meters with the most excess. */
export function exceptionBlocks(ctx: MonthContext, byDay: boolean): ReportBlock[] {
  const hit = ctx.league.filter((r) => r.exceptions > 0).sort((a, b) => b.exceptionExcessKwh - a.exceptionExcessKwh);
  const head: ReportBlock = { kind: 'heading', text: 'Exceptions' };
  if (hit.length === 0)
    return [head, { kind: 'paragraph', text: 'No day was outside the usual band of its weekday (the last 8 weeks).' }];
  const [from, to] = [isoDay(ctx.first), isoDay(ctx.next)];
  if (byDay) {
    const days = hit.flatMap((r) =>
      ctx.deps.services.analytics.exceptions(r.meter, from, to).exceptions.map((e) => ({ meter: r.meter, e })),
    );
    return [
      head,
      {
        kind: 'figures',
        columns: ['Date', 'Meter', 'Actual kWh', 'Expected kWh', 'Excess kWh'],
        rows: days.map(({ meter, e }) => [
          ukDate(dayOfIso(e.date)),
          meter,
          num(e.actualKwh),
          num(e.expectedKwh),
          num(e.excessKwh),
        ]),
        align: ['left', 'left', 'right', 'right', 'right'],
      },
    ];
  }
  const labels = new Map(ctx.meters.map((x) => [x.identifier, x.label]));
  return [
    head,
    {
      kind: 'paragraph',
      text:
        `${plural(
          sumOf(hit, (r) => r.exceptions),
          'exception day',
        )} on ${plural(hit.length, 'meter')}` +
        (hit.length > LIST_LIMIT ? `; the ${LIST_LIMIT} with the most excess:` : ':'),
    },
    {
      kind: 'figures',
      columns: ['Meter', 'Site', 'Days', 'Excess kWh'],
      rows: hit
        .slice(0, LIST_LIMIT)
        .map((r) => [
          labels.get(r.meter) ? `${r.meter} ${labels.get(r.meter)}` : r.meter,
          r.site?.name ?? '—',
          String(r.exceptions),
          num(r.exceptionExcessKwh),
        ]),
      align: ['left', 'left', 'right', 'right'],
    },
  ];
}

/** The alerts about the month (the day, week, month or span they cover), whenever they fired. */
export function alertBlocks(ctx: MonthContext): ReportBlock[] {
  const { alerts, name } = ctx;
  const head: ReportBlock = { kind: 'heading', text: 'Alerts' };
  if (alerts.length === 0) return [head, { kind: 'paragraph', text: `No alert is about ${name}.` }];
  return [
    head,
    {
      kind: 'paragraph',
      text:
        `${plural(alerts.length, 'alert')} about ${name}` +
        (alerts.length > LIST_LIMIT ? `; the latest ${LIST_LIMIT}:` : ':'),
    },
    {
      kind: 'figures',
      columns: ['About', 'Fired (UK)', 'Severity', 'Status', 'Subject', 'Message'],
      rows: alerts
        .slice(0, LIST_LIMIT)
        .map((a) => [
          a.periodLabel,
          ukDateTime(Date.parse(a.firedAt) / 1000),
          a.severity,
          a.status,
          a.subject,
          a.message.slice(0, 60),
        ]),
    },
  ];
}

/** The best tariff saving the latest switching analyses found; nothing for a viewer. */
export function savingBlocks(ctx: MonthContext): ReportBlock[] {
  const savings = ctx.savings;
  if (savings === null) return [];
  const head: ReportBlock = { kind: 'heading', text: 'Tariff savings' };
  if (savings.length === 0)
    return [
      head,
      { kind: 'paragraph', text: 'No tariff analysis found a saving for these meters (Costs → Switching).' },
    ];
  const best = [...savings].sort((a, b) => b.bestSavingPence - a.bestSavingPence);
  const b = best[0]!;
  return [
    head,
    {
      kind: 'paragraph',
      text:
        `The best saving found: ${pounds(b.bestSavingPence)}${b.bestSavingPercent === null ? '' : ` (${percent(b.bestSavingPercent / 100)})`} ` +
        `on meter ${b.meter} by moving from "${b.currentTariffName}" to "${b.bestTariffName}", over ${ukDate(dayOfIso(b.from))} to ` +
        `${ukDate(dayOfIso(b.to) - 1)}. The latest analyses of ${plural(savings.length, 'meter')} ` +
        `found savings of ${pounds(sumOf(savings, (x) => x.bestSavingPence))} together.`,
    },
  ];
}
