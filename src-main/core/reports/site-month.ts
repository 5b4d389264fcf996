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
import { monthDays, profileChart } from './meter-month';
import type { ReportBlock, ReportDocument } from './model';

/** What the site and portfolio reports read. */
export interface SiteMonthDeps {
  services: Pick<Services, 'sqlite' | 'clock' | 'totals' | 'meters' | 'costing' | 'carbon' | 'readings' | 'analytics'>;
  call: Call;
  now: number;
}

/** A meter's kWh and completeness for a month, as totals.list gives them. */
type MonthFigures = Pick<PeriodTotal, 'kwh' | 'halfHours' | 'missing' | 'completeness'>;

/** One meter's month, as the report adds it up. */
interface MeterMonth {
  identifier: string;
  label: string | null;
  fuel: Fuel;
  siteId: number | null;
  cur: MonthFigures;
  last: MonthFigures | null;
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

/** Builds the monthly report of a site (`siteId`) or of the portfolio (`siteId` null) for `month` (`YYYY-MM`). */
export async function siteMonthReport(
  deps: SiteMonthDeps,
  siteId: number | null,
  month: string,
): Promise<ReportDocument> {
  const s = deps.services;
  const { y, m, first, next } = monthDays(month);
  const name = `${MONTH_NAMES[m - 1]} ${y}`;
  const lastName = `${MONTH_NAMES[m - 1]} ${y - 1}`;
  const sites = await deps.call('sites.list', {});
  const site = siteId === null ? null : sites.find((x) => x.id === siteId);
  if (siteId !== null && !site)
    throw new AppError('NOT_FOUND', `There is no site ${siteId}; see sites.list for the sites' ids`);
  const rows = s.meters.analysisRows().filter((r) => siteId === null || r.siteId === siteId);
  const what = site ? `Site ${site.name}` : 'The portfolio';
  if (rows.length === 0) throw new AppError('NOT_FOUND', `${what} has no meters; assign meters to it first`);

  const switching = await managersOnly(() => deps.call('switching.portfolio', {}));
  const managers = switching !== null;
  const from = isoDay(first);
  const to = isoDay(next);
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
    const cur = curs.get(r.id)!;
    const last = lasts.get(r.id)!;
    const secr = s.carbon.annualEmissions(d, r.fuel);
    return {
      identifier: r.identifier,
      label: r.label,
      fuel: r.fuel,
      siteId: r.siteId,
      cur,
      last: last.missing < last.halfHours ? last : null,
      cost,
      unpriced,
      secr,
      halfHourly: r.fuel === 'electricity' ? halfHourlyEmissions(d, intensity, first) : secr,
    };
  });
  if (meters.every((x) => x.cur.missing === x.cur.halfHours))
    throw new AppError('NOT_FOUND', `${what} has no readings in ${name}; import its data or pick another month`);

  const budgets = new BudgetStore(s.sqlite, s.clock);
  const budget = budgets.total(siteId === null ? null : [siteId], month);
  const league = s.analytics.portfolio({ from, to }).rows.filter((r) => siteId === null || r.site?.id === siteId);
  const alerts = (
    await deps.call('alerts.list', { ...(siteId === null ? {} : { siteId }), includeSnoozed: true, limit: 5000 })
  ).filter((a) => {
    const t = Date.parse(a.firedAt) / 1000;
    return t >= dayStartUtc(first) && t < dayStartUtc(next);
  });
  const inScope = new Set(meters.map((x) => x.identifier));
  const savings = switching?.filter((a) => inScope.has(a.meter) && a.bestSavingPence > 0) ?? null;

  const expected = sumOf(meters, (x) => x.cur.halfHours);
  const present = sumOf(meters, (x) => x.cur.halfHours - x.cur.missing);
  const completeness = expected ? present / expected : 0;

  const blocks: ReportBlock[] = [
    { kind: 'heading', text: 'Summary' },
    {
      kind: 'paragraph',
      text:
        `${site ? `Site ${site.name}` : `The portfolio (${sites.length} site${sites.length === 1 ? '' : 's'})`}, ` +
        `${meters.length} meter${meters.length === 1 ? '' : 's'}, for ${name}: ${ukDate(first)} to ${ukDate(next - 1)}, ` +
        'UK local time. Figures are the stored half-hourly readings; missing half-hours are not estimated. ' +
        'Gas and electricity are never added together in kWh.',
    },
    headline(meters, fuels, budget, completeness, league, name, lastName, managers),
    ...costBlocks(meters, managers),
    ...emissionBlocks(meters),
    ...chartBlocks(deps, siteId, fuels, rows, profile.average(), first, next, y, m, name, lastName),
    { kind: 'pageBreak' },
    ...(site ? meterTable(meters, name, y - 1) : siteTable(meters, sites, budgets, month, name, y - 1)),
    ...completenessBlocks(meters),
    ...exceptionBlocks(deps, league, meters, siteId !== null, from, to),
    ...alertBlocks(alerts, name),
    ...savingBlocks(savings),
  ];
  return {
    title: site ? `Site report: ${site.name}, ${name}` : `Portfolio report: ${name}`,
    period: `${name}: ${ukDate(first)} to ${ukDate(next - 1)} (UK local time)`,
    completeness:
      `Data: ${present.toLocaleString('en-GB')} of ${expected.toLocaleString('en-GB')} half-hours ` +
      `(${percent(completeness)}) across ${meters.length} meter${meters.length === 1 ? '' : 's'}`,
    generated: ukDateTime(Math.floor(deps.now / 1000)),
    blocks,
  };
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

function headline(
  meters: MeterMonth[],
  fuels: Fuel[],
  budget: { kwh: number | null; pence: number | null },
  completeness: number,
  league: LeagueRow[],
  name: string,
  lastName: string,
  managers: boolean,
): ReportBlock {
  const rows: string[][] = [];
  for (const f of fuels) {
    const of = meters.filter((x) => x.fuel === f);
    const now = kwhOf(of);
    const before = lastKwhOf(of);
    const b = fuels.length === 1 ? budget.kwh : null;
    rows.push([`${cap(f)}, kWh`, num(now), num(before), change(now, before), num(b), change(now, b)]);
  }
  if (fuels.length > 1) {
    const now = kwhOf(meters);
    rows.push(['All fuels against the budget, kWh', num(now), '', '', num(budget.kwh), change(now, budget.kwh)]);
  }
  if (managers) {
    const p = pennies(meters);
    rows.push(['Cost incl. VAT', pounds(p), '', '', pounds(budget.pence), change(p ?? 0, budget.pence)]);
  }
  const secr = sumOf(meters, (x) => x.secr.kgco2);
  const hh = sumOf(meters, (x) => x.halfHourly.kgco2);
  rows.push(['kg CO2e, SECR factors', num(secr), '', '', '', '']);
  rows.push(['kg CO2e, grid half-hourly', num(hh), '', '', '', '']);
  const elec = league.filter((r) => r.fuel === 'electricity');
  if (elec.length) {
    const base = elec.filter((r) => r.baseloadKw !== null);
    const k = sumOf(elec, (r) => r.kwh);
    rows.push(['Baseload, kW', base.length ? num(sumOf(base, (r) => r.baseloadKw!)) : '—', '', '', '', '']);
    rows.push(['Out-of-hours share', k > 0 ? percent(sumOf(elec, (r) => r.outOfHoursKwh) / k) : '—', '', '', '', '']);
  }
  rows.push(['Data completeness', percent(completeness), '', '', '', '']);
  return {
    kind: 'figures',
    columns: ['Figure', name, lastName, 'Change', 'Budget', 'vs budget'],
    rows,
    align: ['left', 'right', 'right', 'right', 'right', 'right'],
  };
}

function costBlocks(meters: MeterMonth[], managers: boolean): ReportBlock[] {
  if (!managers)
    return [{ kind: 'paragraph', text: 'Costs and tariff savings are shown to managers and admins only.' }];
  const priced = meters.flatMap((x) => (x.cost ? [x.cost] : []));
  const total = (f: (c: CostResult) => number) => pounds(sumOf(priced, f));
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
  // meters that could not be priced, grouped by the reason (the message with the meter's id taken out)
  const reasons = new Map<string, string[]>();
  for (const x of meters.filter((m) => m.unpriced)) {
    const reason = cap(x.unpriced!.split(x.identifier).join('the meter'));
    reasons.set(reason, [...(reasons.get(reason) ?? []), x.identifier]);
  }
  for (const [reason, ids] of reasons)
    notes.push(
      `Not priced (${ids.length}): ${ids.slice(0, LIST_LIMIT).join(', ')}` +
        (ids.length > LIST_LIMIT ? ` and ${ids.length - LIST_LIMIT} more` : '') +
        `. ${reason.replace(/\.?$/, '.')}`,
    );
  const partly = meters.filter((x) => x.cost && x.cost.unpricedHalfHours > 0);
  if (partly.length)
    notes.push(
      `Half-hours without a price are left out for ${partly
        .map((x) => x.identifier)
        .slice(0, LIST_LIMIT)
        .join(', ')}` + (partly.length > LIST_LIMIT ? ` and ${partly.length - LIST_LIMIT} more meters.` : '.'),
    );
  notes.push(
    "Each meter is priced as the Costs page prices it: on its assigned tariffs (else its supplier's default), " +
      'half-hours without a reading are not priced.',
  );
  out.push({ kind: 'paragraph', text: notes.join(' ') });
  return out;
}

function emissionBlocks(meters: MeterMonth[]): ReportBlock[] {
  const hh = meters.filter((x) => x.fuel === 'electricity');
  const hhCovered = hh.length
    ? sumOf(hh, (x) => x.halfHourly.coverage * x.halfHourly.kwh) / Math.max(1e-9, kwhOf(hh))
    : 1;
  const secrCovered = sumOf(meters, (x) => x.secr.coverage * x.secr.kwh) / Math.max(1e-9, kwhOf(meters));
  return [
    { kind: 'heading', text: 'Emissions' },
    {
      kind: 'paragraph',
      text:
        `By the SECR annual conversion factors (each day's kWh × the factor of its year; gas always uses them): ` +
        `${kg(sumOf(meters, (x) => x.secr.kgco2))}, covering ${percent(Math.min(1, secrCovered))} of the kWh. ` +
        `Location-based, each half-hour's kWh × the national grid's intensity then (electricity): ` +
        `${kg(sumOf(hh, (x) => x.halfHourly.kgco2))}, covering ${percent(Math.min(1, hhCovered))} of the electricity's ` +
        'kWh (half-hours without a stored intensity add nothing).',
    },
  ];
}

function chartBlocks(
  deps: SiteMonthDeps,
  siteId: number | null,
  fuels: Fuel[],
  rows: readonly { id: number; fuel: Fuel }[],
  profile: (number | null)[],
  first: number,
  next: number,
  y: number,
  m: number,
  name: string,
  lastName: string,
): ReportBlock[] {
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
        legend: { top: 0, itemGap: 24, data: [la, lb] },
        xAxis: { type: 'category', data: cats, axisLabel: { rotate: cats.length > 12 ? 90 : 0, fontSize: 9 } },
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
const dayBar = (d: PeriodTotal): number | null => (d.missing === d.halfHours ? null : round(d.kwh, 1));

function dayOfIso(iso: string): number {
  return dayFromDate(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)), Number(iso.slice(8, 10)));
}

const completenessOf = (x: MeterMonth): number => x.cur.completeness;
const missingOf = (x: MeterMonth): number => x.cur.missing;

function meterTable(meters: MeterMonth[], name: string, lastYear: number): ReportBlock[] {
  return [
    { kind: 'heading', text: `Meters in ${name}` },
    {
      kind: 'figures',
      columns: ['Meter', 'Fuel', 'kWh', `vs ${lastYear}`, '£', 'kg CO2e', 'Missing', 'Complete'],
      rows: meters.map((x) => [
        x.label ? `${x.identifier} ${x.label}` : x.identifier,
        x.fuel,
        num(x.cur.kwh),
        change(x.cur.kwh, x.last?.kwh ?? null),
        x.cost ? pounds(x.cost.totalPence) : x.unpriced ? 'not priced' : '—',
        num(x.secr.kgco2),
        missingOf(x).toLocaleString('en-GB'),
        percent(completenessOf(x)),
      ]),
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

function siteTable(
  meters: MeterMonth[],
  sites: { id: number; name: string }[],
  budgets: BudgetStore,
  month: string,
  name: string,
  lastYear: number,
): ReportBlock[] {
  const groups = [
    ...sites.map((x) => ({ id: x.id as number | null, name: x.name })),
    { id: null, name: 'Not on a site' },
  ]
    .map((g) => ({ ...g, meters: meters.filter((x) => x.siteId === g.id) }))
    .filter((g) => g.meters.length > 0);
  const row = (label: string, xs: MeterMonth[], b: { kwh: number | null }): string[] => {
    const now = kwhOf(xs);
    const expected = sumOf(xs, (x) => x.cur.halfHours);
    const present = sumOf(xs, (x) => x.cur.halfHours - x.cur.missing);
    return [
      label,
      num(now),
      change(now, lastKwhOf(xs)),
      change(now, b.kwh),
      pounds(pennies(xs)),
      num(sumOf(xs, (x) => x.secr.kgco2)),
      percent(expected ? present / expected : 0),
    ];
  };
  const rows = groups.map((g) => row(g.name, g.meters, g.id === null ? { kwh: null } : budgets.total([g.id], month)));
  rows.push(row('Total', meters, budgets.total(null, month)));
  return [
    { kind: 'heading', text: `Sites in ${name}` },
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
        "the site's kWh budget for the month. £ includes VAT; kg CO2e by the SECR factors.",
    },
  ];
}

function completenessBlocks(meters: MeterMonth[]): ReportBlock[] {
  const gaps = meters.filter((x) => missingOf(x) > 0).sort((a, b) => missingOf(b) - missingOf(a));
  if (gaps.length === 0)
    return [
      { kind: 'heading', text: 'Data completeness' },
      { kind: 'paragraph', text: 'Every meter has every half-hour of the month.' },
    ];
  return [
    { kind: 'heading', text: 'Data completeness' },
    {
      kind: 'paragraph',
      text:
        `${gaps.length} of ${meters.length} meters miss half-hours` +
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
          percent(completenessOf(x)),
        ]),
      align: ['left', 'right', 'right', 'right'],
    },
  ];
}

function exceptionBlocks(
  deps: SiteMonthDeps,
  league: LeagueRow[],
  meters: MeterMonth[],
  oneSite: boolean,
  from: string,
  to: string,
): ReportBlock[] {
  const hit = league.filter((r) => r.exceptions > 0).sort((a, b) => b.exceptionExcessKwh - a.exceptionExcessKwh);
  const head: ReportBlock = { kind: 'heading', text: 'Exceptions' };
  if (hit.length === 0)
    return [head, { kind: 'paragraph', text: 'No day was outside the usual band of its weekday (the last 8 weeks).' }];
  if (oneSite) {
    const days = hit.flatMap((r) =>
      deps.services.analytics.exceptions(r.meter, from, to).exceptions.map((e) => ({ meter: r.meter, e })),
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
  const labels = new Map(meters.map((x) => [x.identifier, x.label]));
  return [
    head,
    {
      kind: 'paragraph',
      text:
        `${sumOf(hit, (r) => r.exceptions)} exception days on ${hit.length} meters` +
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

function alertBlocks(alerts: Alert[], name: string): ReportBlock[] {
  const head: ReportBlock = { kind: 'heading', text: 'Alerts' };
  if (alerts.length === 0) return [head, { kind: 'paragraph', text: `No alert fired in ${name}.` }];
  return [
    head,
    {
      kind: 'paragraph',
      text:
        `${alerts.length} alert${alerts.length === 1 ? '' : 's'} fired in ${name}` +
        (alerts.length > LIST_LIMIT ? `; the latest ${LIST_LIMIT}:` : ':'),
    },
    {
      kind: 'figures',
      columns: ['Fired (UK)', 'Severity', 'Status', 'About', 'Message'],
      rows: alerts
        .slice(0, LIST_LIMIT)
        .map((a) => [
          ukDateTime(Date.parse(a.firedAt) / 1000),
          a.severity,
          a.status,
          a.subject,
          a.message.slice(0, 60),
        ]),
    },
  ];
}

function savingBlocks(savings: SwitchSummary[] | null): ReportBlock[] {
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
        `${ukDate(dayOfIso(b.to) - 1)}. The latest analyses of ${savings.length} meter${savings.length === 1 ? '' : 's'} ` +
        `found savings of ${pounds(sumOf(savings, (x) => x.bestSavingPence))} together.`,
    },
  ];
}
