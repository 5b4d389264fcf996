/**
 * The annual (SECR-style) summary: a calendar year (UK local) of a meter, a site or the portfolio —
 * energy use by fuel against the year before, Scope 1 (gas) and Scope 2 (electricity, location-based)
 * emissions by the annual UK Government conversion factors the app stores (with the half-hourly grid
 * figure beside the electricity), an intensity ratio per m² of floor area, tables per site and meter,
 * monthly bars against last year, the changes worth a look, data completeness and the methodology.
 * Built from the same roll-ups (totals.list) and emissions functions (emissions.meter) as the app's
 * pages, so the report shows the figures the app shows.
 */

import { AppError } from '../../../src-shared/contract/errors';
import type { Emissions, Fuel, PeriodTotal, ReportScope, SiteSummary } from '../../../src-shared/contract/types';
import { MONTH_NAMES, dayFromDate } from '../../../src-shared/domain/periods';
import { halfHourlyEmissions } from '../carbon/carbon-service';
import { scopeMeters } from '../exports/export';
import type { MeterRow } from '../meters/meter-service';
import type { Services } from '../services';
import { change, kwh, mwh, percent, ukDate, ukDateTime } from './format';
import type { ReportBlock, ReportDocument } from './model';

/** What the annual summary reads: meters and sites, roll-ups, stored half-hours, carbon factors and intensities. */
export type AnnualSources = Pick<Services, 'meters' | 'totals' | 'readings' | 'carbon'>;

/** One meter's year and the year before. */
interface MeterYear {
  meter: MeterRow & { siteId: number | null };
  cur: PeriodTotal;
  prev: PeriodTotal;
  /** The 12 months of the year before, then the 12 of the year. */
  months: PeriodTotal[];
  /** By the annual factor (emissions.meter method 'annual'), this year and last. */
  annual: Emissions;
  prevAnnual: Emissions;
  /** By the national half-hourly intensities (emissions.meter method 'halfhourly'); electricity only. */
  halfHourly: Emissions | null;
}

const FUELS: Fuel[] = ['electricity', 'gas'];
/** The completeness below which a year (or a month) is called incomplete. */
const COMPLETE = 0.9;
/** The most meters the completeness table lists (those with the lowest completeness first). */
const LIST_MAX = 100;
const FUEL_NAME: Record<Fuel, string> = { electricity: 'Electricity', gas: 'Natural gas' };
const BAR = '#2f6f9f';
const LAST_YEAR = '#b0b7bf';
const three = new Intl.NumberFormat('en-GB', { minimumFractionDigits: 3, maximumFractionDigits: 3 });
const four = new Intl.NumberFormat('en-GB', { minimumFractionDigits: 4, maximumFractionDigits: 4 });
const five = new Intl.NumberFormat('en-GB', { minimumFractionDigits: 5, maximumFractionDigits: 5 });
const one = new Intl.NumberFormat('en-GB', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const count = (n: number): string => n.toLocaleString('en-GB');
/** Names in a person's order: `Site 2` before `Site 10`. */
const byName = new Intl.Collator('en-GB', { numeric: true }).compare;
/** kWh as a bare number, for tables that name the unit in a heading: `12,345.6`. */
const num = (n: number): string => one.format(n);
/** A share as a whole percentage rounded down (99.6% never shows as 100%): `99%`. */
const floorPercent = (x: number): string => `${Math.floor(x * 100)}%`;

/** Kilograms as tonnes of CO2e with three decimals, `12.345 tCO2e`. */
export function tco2e(kg: number): string {
  return `${three.format(kg / 1000)} tCO2e`;
}

const has = (t: PeriodTotal): boolean => t.missing < t.halfHours;
const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);

/** Checks a reporting year (INVALID_ARGS otherwise). */
export function reportYear(year: number): number {
  if (!Number.isInteger(year) || year < 1990 || year > 2100)
    throw new AppError('INVALID_ARGS', `"${year}" is not a year to report on; expected a year such as 2025`);
  return year;
}

/**
 * Reads each meter's year and year before: the month and year totals `totals.list` gives (each meter's day
 * summaries read once) and emissions by both methods of `emissions.meter` (national intensities).
 */
function meterYears(s: AnnualSources, meters: (MeterRow & { siteId: number | null })[], year: number) {
  const from = dayFromDate(year, 1, 1);
  const to = dayFromDate(year + 1, 1, 1);
  const prevFrom = dayFromDate(year - 1, 1, 1);
  const ids = meters.map((m) => m.id);
  const totals = s.totals.eachMeter(ids, ['year', 'month'], prevFrom, to);
  const years = totals.get('year')!;
  const months = totals.get('month')!;
  let intensity: Float64Array | null = null;
  return meters.map((meter): MeterYear => {
    const [prev, cur] = years.get(meter.id)!;
    const days = s.readings.readDays(meter.id, from, to);
    const halfHourly =
      meter.fuel === 'electricity'
        ? halfHourlyEmissions(days, (intensity ??= s.carbon.intensities(from, to)), from)
        : null;
    return {
      meter,
      cur: cur!,
      prev: prev!,
      months: months.get(meter.id)!,
      annual: s.carbon.annualEmissions(days, meter.fuel),
      prevAnnual: s.carbon.annualEmissions(s.readings.readDays(meter.id, prevFrom, from), meter.fuel),
      halfHourly,
    };
  });
}

/** kWh, kgCO2e and half-hours of some meters' years. */
function totalsOf(ms: MeterYear[]) {
  return {
    kwh: sum(ms.map((m) => m.cur.kwh)),
    prevKwh: sum(ms.map((m) => m.prev.kwh)),
    kg: sum(ms.map((m) => m.annual.kgco2)),
    prevKg: sum(ms.map((m) => m.prevAnnual.kgco2)),
    present: sum(ms.map((m) => m.cur.halfHours - m.cur.missing)),
    expected: sum(ms.map((m) => m.cur.halfHours)),
    prevPresent: sum(ms.map((m) => m.prev.halfHours - m.prev.missing)),
    prevExpected: sum(ms.map((m) => m.prev.halfHours)),
    hasPrev: ms.some((m) => has(m.prev)),
  };
}

const share = (present: number, expected: number): number => (expected ? present / expected : 0);

/** `January, February and March`; `all 12 months`. */
function monthList(months: number[]): string {
  if (months.length === 12) return 'all 12 months';
  const names = months.map((i) => MONTH_NAMES[i]!);
  return names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names.at(-1)}` : names.join('');
}

/**
 * The like-for-like comparison: the meters with readings in both years, over the months (0–11) in which
 * those meters hold at least 90% of the half-hours in both years.
 */
function likeForLike(ms: MeterYear[]) {
  const both = ms.filter((m) => has(m.cur) && has(m.prev));
  const monthShare = (i: number) =>
    share(
      sum(both.map((m) => m.months[i]!.halfHours - m.months[i]!.missing)),
      sum(both.map((m) => m.months[i]!.halfHours)),
    );
  const months = MONTH_NAMES.flatMap((_, i) =>
    both.length && monthShare(i) >= COMPLETE && monthShare(12 + i) >= COMPLETE ? [i] : [],
  );
  /** kWh of `fuel`'s meters (all fuels without one) over the months: [this year, the year before]. */
  const kwhOf = (fuel?: Fuel): [number, number] => {
    const g = both.filter((m) => !fuel || m.meter.fuel === fuel);
    return [
      sum(g.flatMap((m) => months.map((i) => m.months[12 + i]!.kwh))),
      sum(g.flatMap((m) => months.map((i) => m.months[i]!.kwh))),
    ];
  };
  return { meters: both.length, left: ms.length - both.length, months, kwhOf };
}

/**
 * The summary's words on a change between years of which one or both are under 90% complete, with the
 * like-for-like comparison; empty when both years are complete enough to compare as they are.
 */
function incompleteText(ms: MeterYear[], t: Totals, y: string, ly: string): string {
  const cur = share(t.present, t.expected);
  const prev = share(t.prevPresent, t.prevExpected);
  if (cur >= COMPLETE && prev >= COMPLETE) return '';
  const which =
    cur < COMPLETE && prev < COMPLETE
      ? `${y} has readings for ${percent(cur)} and ${ly} for ${percent(prev)} of their half-hours`
      : cur < COMPLETE
        ? `${y} has readings for ${percent(cur)} of its half-hours`
        : `${ly} has readings for ${percent(prev)} of its half-hours`;
  const l = likeForLike(ms);
  if (!l.months.length)
    return (
      ` ${which}: the change compares incomplete years, and no month has readings for at least 90% of its ` +
      'half-hours in both years, so there is no like-for-like comparison.'
    );
  const [a, b] = l.kwhOf();
  return (
    ` ${which}: the change compares incomplete years. Like for like, over the months both years have readings ` +
    `for at least 90% of their half-hours (${monthList(l.months)}) and the ${count(l.meters)} ` +
    `meter${l.meters === 1 ? '' : 's'} with readings in both years, energy use was ${kwh(a)} against ` +
    `${kwh(b)} in ${ly} (${change(a, b)}).`
  );
}

/** Builds the annual summary of `scope` for calendar `year` (UK local); `now` stamps it as made. */
export function annualReport(
  s: AnnualSources,
  scope: ReportScope,
  year: number,
  now: number = Date.now(),
): ReportDocument {
  reportYear(year);
  const sites = s.meters.sites();
  const site = 'siteId' in scope ? sites.find((x) => x.id === scope.siteId) : undefined;
  if ('siteId' in scope && !site) throw new AppError('NOT_FOUND', `No site ${scope.siteId}; check the site id`);
  const what =
    'meter' in scope
      ? `Meter ${s.meters.meterRow(scope.meter).identifier}`
      : site
        ? `Site ${site.name}`
        : 'The portfolio';
  const inScope =
    'meter' in scope
      ? s.meters.analysisRows().filter((r) => r.id === s.meters.meterRow(scope.meter).id)
      : (scopeMeters(s.meters, scope) as (MeterRow & { siteId: number | null })[]);
  const all = meterYears(s, inScope, year);
  const ms = all.filter((m) => has(m.cur) || has(m.prev));
  if (!ms.some((m) => has(m.cur)))
    throw new AppError(
      'NOT_FOUND',
      `${'all' in scope ? 'No meter has' : `${what} has no`} readings in ${year}; import its data or pick another year`,
    );
  const y = String(year);
  const ly = String(year - 1);
  const t = totalsOf(ms);
  const byFuel = new Map(FUELS.map((f) => [f, totalsOf(ms.filter((m) => m.meter.fuel === f))]));
  const fuels = FUELS.filter((f) => ms.some((m) => m.meter.fuel === f));
  const siteName = new Map(sites.map((x) => [x.id, x.name]));
  const nameOfSite = (id: number | null): string => (id === null ? '(no site)' : (siteName.get(id) ?? `Site ${id}`));
  const pc = (now: number, before: number, hasBefore: boolean) => (hasBefore ? change(now, before) : '—');
  const byCompleteness = [...ms].sort(
    (a, b) => a.cur.completeness - b.cur.completeness || a.meter.identifier.localeCompare(b.meter.identifier),
  );
  const listed = byCompleteness.slice(0, LIST_MAX);
  const rest = byCompleteness[LIST_MAX];

  const blocks: ReportBlock[] = [
    { kind: 'heading', text: 'Summary' },
    {
      kind: 'paragraph',
      text:
        `${what}, calendar year ${year}: ${ukDate(dayFromDate(year, 1, 1))} to ${ukDate(dayFromDate(year + 1, 1, 1) - 1)}, UK local time, ` +
        `${count(ms.length)} meter${ms.length === 1 ? '' : 's'}. Total energy use was ${kwh(t.kwh)} (${mwh(t.kwh)})` +
        (t.hasPrev
          ? `, against ${kwh(t.prevKwh)} in ${ly} (${change(t.kwh, t.prevKwh)}).${incompleteText(ms, t, y, ly)}`
          : `; there are no readings for ${ly}.`) +
        ` Scope 1 and 2 emissions by the annual conversion factors were ${tco2e(t.kg)}.` +
        ' Figures are the stored half-hourly readings; missing half-hours are not estimated.',
    },
    { kind: 'heading', text: 'Energy use' },
    energyTable(fuels, byFuel, t, y, ly, pc),
    ...likeForLikeBlocks(ms, fuels, t, y, ly),
    { kind: 'heading', text: 'Emissions (tCO2e)' },
    emissionsTable(ms, fuels, byFuel, t, y, ly, pc),
    { kind: 'paragraph', text: factorsText(s.carbon, fuels, year) },
    ...halfHourlyText(ms),
    { kind: 'heading', text: 'Intensity ratio' },
    ...intensityBlocks(scope, ms, sites),
    ...fuels.map((f) => monthChart(ms, f, year)),
    { kind: 'heading', text: 'Month by month (kWh)' },
    monthTable(ms, fuels, year),
    ...('meter' in scope ? [] : siteBlocks(ms, sites, y, ly, pc)),
    ...('all' in scope ? [] : meterBlocks(ms, y, ly, pc)),
    { kind: 'heading', text: 'Changes worth a look' },
    ...changeBlocks(scope, ms, nameOfSite, year),
    { kind: 'heading', text: 'Data completeness' },
    {
      kind: 'paragraph',
      text:
        `Over ${year} the report’s meters hold ${count(t.present)} of ${count(t.expected)} half-hours ` +
        `(${percent(share(t.present, t.expected))}). Missing half-hours are not estimated or filled in: ` +
        'energy and emissions count only the half-hours with readings, so a meter below 100% understates its year.' +
        (all.length > ms.length
          ? ` ${count(all.length - ms.length)} meter${all.length - ms.length === 1 ? ' has' : 's have'} no readings in ${ly} or ${y} and ${all.length - ms.length === 1 ? 'is' : 'are'} left out.`
          : '') +
        (rest
          ? ` The table lists the ${count(LIST_MAX)} meters with the lowest completeness; the other ` +
            `${count(ms.length - LIST_MAX)} have ${percent(rest.cur.completeness)} or more ` +
            '(the totals export, eclectyc export totals --all, gives every meter).'
          : ''),
    },
    {
      kind: 'figures',
      columns: ['Meter', 'Site', 'Half-hours', 'Expected', 'Share'],
      rows: listed.map((m) => [
        `${m.meter.identifier} (${m.meter.fuel})`,
        nameOfSite(m.meter.siteId),
        count(m.cur.halfHours - m.cur.missing),
        count(m.cur.halfHours),
        percent(m.cur.completeness),
      ]),
      align: ['left', 'left', 'right', 'right', 'right'],
    },
    { kind: 'heading', text: 'Methodology' },
    { kind: 'paragraph', text: methodology(ms, fuels, year) },
  ];
  return {
    title: `Annual energy and carbon summary (SECR): ${what.replace(/^The portfolio$/, 'Portfolio')}, ${year}`,
    period: `${year}: ${ukDate(dayFromDate(year, 1, 1))} to ${ukDate(dayFromDate(year + 1, 1, 1) - 1)} (UK local time)`,
    completeness: `Data: ${count(t.present)} of ${count(t.expected)} half-hours (${percent(share(t.present, t.expected))})`,
    generated: ukDateTime(Math.floor(now / 1000)),
    blocks,
  };
}

type Totals = ReturnType<typeof totalsOf>;
type Pc = (now: number, before: number, hasBefore: boolean) => string;

function energyTable(fuels: Fuel[], byFuel: Map<Fuel, Totals>, t: Totals, y: string, ly: string, pc: Pc): ReportBlock {
  const row = (name: string, x: Totals) => [
    name,
    kwh(x.kwh),
    x.hasPrev ? kwh(x.prevKwh) : '—',
    pc(x.kwh, x.prevKwh, x.hasPrev),
    percent(share(x.present, x.expected)),
  ];
  return {
    kind: 'figures',
    columns: ['Fuel', y, ly, 'Change', `Data ${y}`],
    rows: [
      ...fuels.map((f) => row(FUEL_NAME[f], byFuel.get(f)!)),
      ...(fuels.length > 1 ? [row('Total energy', t)] : []),
    ],
    align: ['left', 'right', 'right', 'right', 'right'],
  };
}

/** The like-for-like table by fuel, when a year is under 90% complete and some months compare. */
function likeForLikeBlocks(ms: MeterYear[], fuels: Fuel[], t: Totals, y: string, ly: string): ReportBlock[] {
  if (!t.hasPrev || (share(t.present, t.expected) >= COMPLETE && share(t.prevPresent, t.prevExpected) >= COMPLETE))
    return [];
  const l = likeForLike(ms);
  if (!l.months.length) return [];
  const row = (name: string, [a, b]: [number, number]) => [name, kwh(a), kwh(b), change(a, b)];
  const mine = fuels.filter((f) => ms.some((m) => m.meter.fuel === f && has(m.cur) && has(m.prev)));
  return [
    {
      kind: 'paragraph',
      text:
        `Like for like: ${monthList(l.months)}, the months both years have readings for at least 90% of their ` +
        `half-hours, for the ${count(l.meters)} meter${l.meters === 1 ? '' : 's'} with readings in both years` +
        (l.left
          ? ` (${count(l.left)} with readings in only one of them ${l.left === 1 ? 'is' : 'are'} left out).`
          : '.'),
    },
    {
      kind: 'figures',
      columns: ['Like for like', y, ly, 'Change'],
      rows: [
        ...mine.map((f) => row(FUEL_NAME[f], l.kwhOf(f))),
        ...(mine.length > 1 ? [row('Total energy', l.kwhOf())] : []),
      ],
      align: ['left', 'right', 'right', 'right'],
    },
  ];
}

function emissionsTable(
  ms: MeterYear[],
  fuels: Fuel[],
  byFuel: Map<Fuel, Totals>,
  t: Totals,
  y: string,
  ly: string,
  pc: Pc,
): ReportBlock {
  const row = (name: string, x: Totals) => [
    name,
    tco2e(x.kg),
    x.hasPrev ? tco2e(x.prevKg) : '—',
    pc(x.kg, x.prevKg, x.hasPrev),
  ];
  const rows: string[][] = [];
  if (fuels.includes('gas')) rows.push(row('Scope 1: natural gas', byFuel.get('gas')!));
  if (fuels.includes('electricity')) rows.push(row('Scope 2: grid electricity', byFuel.get('electricity')!));
  if (fuels.length > 1) rows.push(row('Total Scope 1 and 2', t));
  const hh = ms.filter((m) => m.halfHourly);
  const covered = hh.some((m) => m.halfHourly!.coverage > 0);
  if (hh.length)
    rows.push([
      'Electricity, half-hourly grid',
      covered ? tco2e(sum(hh.map((m) => m.halfHourly!.kgco2))) : '—',
      '—',
      '',
    ]);
  return {
    kind: 'figures',
    columns: ['By annual factors', y, ly, 'Change'],
    rows,
    align: ['left', 'right', 'right', 'right'],
  };
}

function factorsText(carbon: AnnualSources['carbon'], fuels: Fuel[], year: number): string {
  const parts = fuels.flatMap((fuel) =>
    [year, year - 1].map((yr) => {
      const f = carbon.factorOf(fuel, yr);
      const name = `${fuel === 'gas' ? 'natural gas (gross CV)' : 'electricity'} ${yr}`;
      if (!f) return `${name}: no ${fuel} factor is stored, so its emissions are not counted`;
      const src = f.source ? `, ${f.source}` : '';
      const note =
        f.year === yr
          ? ''
          : f.year < yr
            ? ` — no ${yr} factor is stored, so the ${f.year} factor is used, as on the Carbon page`
            : ` — the factor table starts in ${f.year}, so its earliest factor is used for ${yr}, as on the Carbon page`;
      return `${name}: ${five.format(f.kgPerKwh)} kgCO2e/kWh (the ${f.year} factor${src}${note})`;
    }),
  );
  return `Annual conversion factors used (the app’s factor table, Carbon → Factors): ${parts.join('; ')}.`;
}

function halfHourlyText(ms: MeterYear[]): ReportBlock[] {
  const hh = ms.filter((m) => m.halfHourly && has(m.cur));
  if (!hh.length) return [];
  const present = (m: MeterYear) => m.cur.halfHours - m.cur.missing;
  const cover = share(sum(hh.map((m) => present(m) * m.halfHourly!.coverage)), sum(hh.map(present)));
  if (cover === 0)
    return [
      {
        kind: 'paragraph',
        text:
          'No national grid carbon intensities are stored for the year, so there is no half-hourly figure; fetch ' +
          'the history on the Carbon page to see one beside the annual-factor figure.',
      },
    ];
  return [
    {
      kind: 'paragraph',
      text:
        'The half-hourly figure multiplies each half-hour of electricity by the national grid carbon intensity stored ' +
        `for it (actual, else forecast). Stored intensities cover ${percent(cover)} of the year’s electricity half-hours` +
        (cover < 1
          ? '; half-hours without one count no emissions, so fetch the missing history on the Carbon page before comparing.'
          : '.') +
        ' It is shown for information; the SECR figures are the annual-factor ones.',
    },
  ];
}

function intensityBlocks(scope: ReportScope, ms: MeterYear[], sites: SiteSummary[]): ReportBlock[] {
  if ('meter' in scope)
    return [
      {
        kind: 'paragraph',
        text: 'An intensity ratio needs a whole site’s energy use; this report covers a single meter, so none is given.',
      },
    ];
  const bySite = groupBy(ms, (m) => m.meter.siteId);
  const withArea: string[][] = [];
  const without: string[] = [];
  let siteless = false;
  let area = 0;
  let areaKwh = 0;
  let areaKg = 0;
  const siteName = (id: number | null) => sites.find((x) => x.id === id)?.name ?? '';
  for (const [id, group] of [...bySite].sort(([a], [b]) => byName(siteName(a), siteName(b)))) {
    const site = sites.find((x) => x.id === id);
    const x = totalsOf(group);
    if (!site?.floorAreaM2) {
      if (site) without.push(site.name);
      else siteless = true;
      continue;
    }
    area += site.floorAreaM2;
    areaKwh += x.kwh;
    areaKg += x.kg;
    withArea.push(intensityRow(site.name, site.floorAreaM2, x.kwh, x.kg));
  }
  const blocks: ReportBlock[] = [];
  if (withArea.length) {
    if (withArea.length > 1) withArea.push(intensityRow('All sites with a floor area', area, areaKwh, areaKg));
    blocks.push({
      kind: 'figures',
      columns: ['Site', 'Floor area', 'kWh per m²', 'tCO2e per m²'],
      rows: withArea,
      align: ['left', 'right', 'right', 'right'],
    });
  }
  const notes: string[] = [];
  if (without.length)
    notes.push(
      `No floor area is recorded for ${without.join(', ')}, so ${without.length === 1 ? 'it is' : 'they are'} left ` +
        'out of the intensity ratio; add floor areas on the Sites page (or in a site register) to include them.',
    );
  if (siteless) notes.push('Meters not on a site are left out of it too.');
  if (!withArea.length) notes.unshift('No intensity ratio can be given: none of the sites has a floor area.');
  if (notes.length) blocks.push({ kind: 'paragraph', text: notes.join(' ') });
  return blocks;
}

function intensityRow(name: string, m2: number, kwhValue: number, kg: number): string[] {
  return [name, `${count(m2)} m²`, `${one.format(kwhValue / m2)} kWh/m²`, `${four.format(kg / 1000 / m2)} tCO2e/m²`];
}

function monthChart(ms: MeterYear[], fuel: Fuel, year: number): ReportBlock {
  const mine = ms.filter((m) => m.meter.fuel === fuel);
  const month = (i: number) => Number(sum(mine.map((m) => m.months[i]?.kwh ?? 0)).toFixed(1));
  const y = String(year);
  const ly = String(year - 1);
  return {
    kind: 'chart',
    title: `${FUEL_NAME[fuel]}: kWh by month, ${year} against ${year - 1}`,
    height: 200,
    option: {
      grid: { left: 64, right: 12, top: 28, bottom: 28 },
      // legend text no larger than the axis labels, small swatches, well apart, clear of the axis name
      legend: {
        top: 0,
        right: 12,
        itemGap: 28,
        itemWidth: 12,
        itemHeight: 8,
        textStyle: { fontSize: 9 },
        data: [y, ly],
      },
      xAxis: { type: 'category', data: MONTH_NAMES.map((n) => n.slice(0, 3)), axisLabel: { fontSize: 9 } },
      yAxis: { type: 'value', name: 'kWh', nameTextStyle: { fontSize: 9 }, axisLabel: { fontSize: 9 } },
      series: [
        { type: 'bar', name: ly, data: MONTH_NAMES.map((_, i) => month(i)), itemStyle: { color: LAST_YEAR } },
        { type: 'bar', name: y, data: MONTH_NAMES.map((_, i) => month(12 + i)), itemStyle: { color: BAR } },
      ],
    },
  };
}

function monthTable(ms: MeterYear[], fuels: Fuel[], year: number): ReportBlock {
  const cell = (fuel: Fuel, i: number) => {
    const mine = ms.filter((m) => m.meter.fuel === fuel).map((m) => m.months[i]!);
    return mine.some(has) ? num(sum(mine.map((p) => p.kwh))) : '—';
  };
  const short: Record<Fuel, string> = { electricity: 'Elec.', gas: 'Gas' };
  return {
    kind: 'figures',
    columns: ['Month', ...fuels.flatMap((f) => [`${short[f]} ${year}`, `${short[f]} ${year - 1}`])],
    rows: MONTH_NAMES.map((name, i) => [name, ...fuels.flatMap((f) => [cell(f, 12 + i), cell(f, i)])]),
    align: ['left', ...fuels.flatMap(() => ['right', 'right'] as const)],
  };
}

function siteBlocks(ms: MeterYear[], sites: SiteSummary[], y: string, ly: string, pc: Pc): ReportBlock[] {
  const rows = [...groupBy(ms, (m) => m.meter.siteId)].map(([id, group]) => {
    const x = totalsOf(group);
    const fuelKwh = (f: Fuel) => {
      const g = group.filter((m) => m.meter.fuel === f);
      return g.length ? num(sum(g.map((m) => m.cur.kwh))) : '—';
    };
    return {
      name: sites.find((s) => s.id === id)?.name ?? '(no site)',
      cells: [
        fuelKwh('electricity'),
        fuelKwh('gas'),
        x.hasPrev ? num(x.prevKwh) : '—',
        pc(x.kwh, x.prevKwh, x.hasPrev),
        three.format(x.kg / 1000),
      ],
    };
  });
  rows.sort((a, b) => byName(a.name, b.name));
  return [
    { kind: 'heading', text: 'Sites' },
    {
      kind: 'paragraph',
      text: `Energy in kWh: electricity and gas in ${y}, both fuels in ${ly}, the change in both; emissions in tCO2e by the annual factors.`,
    },
    {
      kind: 'figures',
      columns: ['Site', `Elec. ${y}`, `Gas ${y}`, `Energy ${ly}`, 'Change', `tCO2e ${y}`],
      rows: rows.map((r) => [r.name, ...r.cells]),
      align: ['left', 'right', 'right', 'right', 'right', 'right'],
    },
  ];
}

function meterBlocks(ms: MeterYear[], y: string, ly: string, pc: Pc) {
  return [
    { kind: 'heading', text: 'Meters (kWh)' },
    {
      kind: 'figures',
      columns: ['Meter', 'Fuel', y, ly, 'Change', `tCO2e ${y}`],
      rows: ms.map((m) => [
        m.meter.identifier,
        m.meter.fuel,
        num(m.cur.kwh),
        has(m.prev) ? num(m.prev.kwh) : '—',
        pc(m.cur.kwh, m.prev.kwh, has(m.prev)),
        three.format(m.annual.kgco2 / 1000),
      ]),
      align: ['left', 'left', 'right', 'right', 'right', 'right'],
    },
  ] satisfies ReportBlock[];
}

/** A change between the years: what, its fuel, both years' kWh and completeness. */
interface Mover {
  what: string;
  fuel: Fuel;
  cur: number;
  prev: number;
  data: string;
}

/**
 * The largest increases and decreases in kWh, up to three each per fuel: of sites (portfolio), meters (a
 * site) or months (a meter), counting only the meters (months) with readings in both years.
 */
function changeBlocks(
  scope: ReportScope,
  ms: MeterYear[],
  nameOfSite: (id: number | null) => string,
  year: number,
): ReportBlock[] {
  const movers: Mover[] = [];
  let left = 0;
  const data = (c: PeriodTotal[], p: PeriodTotal[]) =>
    `${floorPercent(share(sum(c.map((x) => x.halfHours - x.missing)), sum(c.map((x) => x.halfHours))))} / ` +
    floorPercent(share(sum(p.map((x) => x.halfHours - x.missing)), sum(p.map((x) => x.halfHours))));
  const all = 'all' in scope;
  const unit = 'meter' in scope ? 'Month' : all ? 'Site' : 'Meter';
  if ('meter' in scope) {
    const m = ms[0]!;
    m.months.slice(12).forEach((c, i) => {
      const p = m.months[i]!;
      if (has(c) && has(p))
        movers.push({ what: MONTH_NAMES[i]!, fuel: m.meter.fuel, cur: c.kwh, prev: p.kwh, data: data([c], [p]) });
    });
  } else {
    // a meter new in the year (or gone from it) is not a change: only meters with readings in both years count
    const both = ms.filter((m) => has(m.prev) && has(m.cur));
    left = ms.length - both.length;
    const groups = groupBy(both, (m) => `${all ? m.meter.siteId : m.meter.identifier}|${m.meter.fuel}`);
    for (const group of groups.values()) {
      const first = group[0]!;
      movers.push({
        what: all ? nameOfSite(first.meter.siteId) : first.meter.identifier,
        fuel: first.meter.fuel,
        cur: sum(group.map((m) => m.cur.kwh)),
        prev: sum(group.map((m) => m.prev.kwh)),
        data: data(
          group.map((m) => m.cur),
          group.map((m) => m.prev),
        ),
      });
    }
  }
  const row = (m: Mover) => [
    m.what,
    num(m.cur),
    num(m.prev),
    `${m.cur >= m.prev ? '+' : ''}${num(m.cur - m.prev)}`,
    change(m.cur, m.prev),
    m.data,
  ];
  const tables = FUELS.flatMap((fuel): ReportBlock[] => {
    const mine = movers.filter((m) => m.fuel === fuel);
    const ups = mine.filter((m) => m.cur > m.prev).sort((a, b) => b.cur - b.prev - (a.cur - a.prev));
    const downs = mine.filter((m) => m.cur < m.prev).sort((a, b) => a.cur - a.prev - (b.cur - b.prev));
    if (!ups.length && !downs.length) return [];
    return [
      {
        kind: 'figures',
        columns: [
          `${FUEL_NAME[fuel]}: ${unit.toLowerCase()}`,
          `${year} (kWh)`,
          `${year - 1} (kWh)`,
          'Difference',
          'Change',
          'Data',
        ],
        rows: [...ups.slice(0, 3), ...downs.slice(0, 3)].map(row),
        align: ['left', 'right', 'right', 'right', 'right', 'right'],
      },
    ];
  });
  if (!tables.length)
    return [
      {
        kind: 'paragraph',
        text: `There is nothing to compare: no ${unit.toLowerCase()} has readings in both ${year - 1} and ${year}.`,
      },
    ];
  return [
    {
      kind: 'paragraph',
      text:
        `The largest increases and decreases in kWh from ${year - 1} to ${year} (up to three of each per fuel), worth ` +
        'checking for a cause — new equipment, longer hours, a fault or a saving. "Data" gives each year’s ' +
        `completeness (${year} / ${year - 1}, rounded down): a change between years with different completeness ` +
        'is partly missing data.' +
        (left
          ? ` ${count(left)} meter${left === 1 ? '' : 's'} with readings in only one of the two years ` +
            `(new or no longer read) ${left === 1 ? 'is' : 'are'} left out: a meter starting or stopping is not a change.`
          : ''),
    },
    ...tables,
  ];
}

function methodology(ms: MeterYear[], fuels: Fuel[], year: number): string {
  const n = (f: Fuel) => ms.filter((m) => m.meter.fuel === f).length;
  return (
    'Prepared along the lines of the GHG Protocol Corporate Standard as used for Streamlined Energy and Carbon ' +
    `Reporting (SECR), for the calendar year ${year} in UK local time. In scope: the metered energy of the ` +
    `${fuels.map((f) => `${count(n(f))} ${f} meter${n(f) === 1 ? '' : 's'}`).join(' and ')} in this report. ` +
    'Scope 1 is natural gas burnt on site (kWh, gross calorific value) times the UK Government GHG conversion factor ' +
    'for natural gas. Scope 2 is grid electricity, location-based: kWh times the UK Government "UK electricity" ' +
    'generation factor, which excludes transmission and distribution losses. Factors come from the app’s factor ' +
    'table (DESNZ/DEFRA conversion factors for company reporting) for the reporting year, as listed above. ' +
    'Out of scope: transmission and distribution losses and well-to-tank emissions (Scope 3), other Scope 3 ' +
    'categories, transport fuels, refrigerants, unmetered fuels, and market-based Scope 2 (supplier-specific factors ' +
    'or REGO-backed tariffs). Energy is the sum of the stored half-hourly readings (actual and estimated ' +
    'as the data source supplied them); half-hours without a reading are not estimated, and completeness is stated ' +
    'per meter. The half-hourly electricity figure uses the National Energy System Operator Carbon Intensity API’s ' +
    'national values and is given for information only.'
  );
}

function groupBy<K>(ms: MeterYear[], key: (m: MeterYear) => K): Map<K, MeterYear[]> {
  const out = new Map<K, MeterYear[]>();
  for (const m of ms) {
    const k = key(m);
    const g = out.get(k);
    if (g) g.push(m);
    else out.set(k, [m]);
  }
  return out;
}
