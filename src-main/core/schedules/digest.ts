/**
 * Email digests: a week's or a month's headline figures for a meter, a site or the portfolio —
 * kWh per fuel (gas and electricity apart, as the reports keep them), cost in pounds (priced by
 * `cost.meter`, as the Costs page prices), kg CO2e (the UK Government annual factors, as the SECR
 * figures), each against the period before and the same period a year earlier — with the open
 * alerts, the data's completeness and the meters (and sites) that changed most; written as a
 * plain-text and HTML email body, and as a week (or month) summary document rendered by the report
 * renderers. A period without readings says so at the top, with the day of the scope's last
 * reading, instead of listing zeros.
 */
import type { MeterSummary, ReportScope } from '../../../src-shared/contract/types';
import { dayHalfHours, isoDay } from '../../../src-shared/domain/periods';
import { toLocalDay } from '../aggregation/totals';
import { scopeMeters } from '../exports/export';
import type { Call } from '../exports/tables';
import type { MeterService } from '../meters/meter-service';
import type { ReadingsStore } from '../readings/store';
import { change, escapeHtml, gbp, kwh, percent, ukDate, ukDateTime } from '../reports/format';
import type { ReportBlock, ReportDocument } from '../reports/model';
import type { DayRange, DigestPeriods } from './periods';

/** One period's figures. */
export interface Figures {
  kwh: number;
  /** Pence; null when no meter of the scope could be priced. */
  pence: number | null;
  kgco2: number;
  /** Half-hours with readings, and the half-hours the period has on the UK clock. */
  present: number;
  expected: number;
}

type Fuel = MeterSummary['fuel'];

/** A meter's or a site's figures in the three periods (one fuel), or a fuel's, or all fuels'. */
export interface DigestLine {
  name: string;
  current: Figures;
  previous: Figures;
  yearAgo: Figures;
}

/** Everything a digest says. */
export interface Digest {
  /** `Portfolio`, `Site Head Office`, `Meter 1200050000009 (Boiler house)`. */
  scopeName: string;
  period: 'week' | 'month';
  periods: DigestPeriods;
  /** All fuels: cost and emissions add up across fuels; kWh are only shown per fuel and as `all fuels`. */
  total: DigestLine;
  /** Each fuel the scope's meters use, electricity first, its lines named after it. */
  fuels: (DigestLine & { fuel: Fuel })[];
  /** The current period's kWh by day and fuel (the summary's bars). */
  byDay: { day: number; kwh: Record<Fuel, number> }[];
  /** The last UK local day with a reading for any meter of the scope, up to the period's end; null when none. */
  lastReading: number | null;
  meters: DigestLine[];
  /** Per site, for the portfolio. */
  sites: DigestLine[];
  openAlerts: number;
  /** Meters that could not be priced, and why. */
  notes: string[];
}

const empty = (): Figures => ({ kwh: 0, pence: null, kgco2: 0, present: 0, expected: 0 });

function add(a: Figures, b: Figures): Figures {
  return {
    kwh: a.kwh + b.kwh,
    pence: a.pence === null && b.pence === null ? null : (a.pence ?? 0) + (b.pence ?? 0),
    kgco2: a.kgco2 + b.kgco2,
    present: a.present + b.present,
    expected: a.expected + b.expected,
  };
}

const sumLines = (name: string, lines: DigestLine[]): DigestLine =>
  lines.reduce(
    (t, l) => ({
      name,
      current: add(t.current, l.current),
      previous: add(t.previous, l.previous),
      yearAgo: add(t.yearAgo, l.yearAgo),
    }),
    { name, current: empty(), previous: empty(), yearAgo: empty() },
  );

/** The scope in words. */
export function scopeName(meters: MeterService, scope: ReportScope): string {
  if ('all' in scope) return 'Portfolio';
  if ('siteId' in scope) return `Site ${meters.sites().find((s) => s.id === scope.siteId)?.name ?? scope.siteId}`;
  const m = meters.meterRow(scope.meter);
  return `Meter ${m.identifier}${m.label ? ` (${m.label})` : ''}`;
}

/** One meter's figures over a range; its days' kWh go to `byDay` when given. */
async function meterFigures(
  call: Call,
  meter: string,
  r: DayRange,
  notes: string[],
  byDay?: Map<number, number>,
): Promise<Figures> {
  const from = isoDay(r.from);
  const to = isoDay(r.to);
  const days = await call('totals.list', { meter, period: 'day', from, to });
  let expected = 0;
  for (let d = r.from; d < r.to; d++) expected += dayHalfHours(d);
  const f: Figures = { kwh: 0, pence: null, kgco2: 0, present: 0, expected };
  for (const t of days) {
    f.kwh += t.kwh;
    f.present += t.halfHours - t.missing;
    if (byDay) byDay.set(toLocalDay(t.period), (byDay.get(toLocalDay(t.period)) ?? 0) + t.kwh);
  }
  if (f.present === 0) return f;
  try {
    f.pence = (await call('cost.meter', { meter, from, to })).totalPence;
  } catch (e) {
    notes.push(`Meter ${meter} was not priced for ${ukDate(r.from)} – ${ukDate(r.to - 1)}: ${(e as Error).message}`);
  }
  f.kgco2 = (await call('emissions.meter', { meter, from, to, method: 'annual' })).kgco2;
  return f;
}

const FUELS: Fuel[] = ['electricity', 'gas'];
const capital = (f: Fuel): string => (f === 'gas' ? 'Gas' : 'Electricity');

/** Gathers a digest's figures through the contract; the last reading's day from the readings store. */
export async function gatherDigest(
  call: Call,
  meters: MeterService,
  readings: ReadingsStore,
  scope: ReportScope,
  period: 'week' | 'month',
  periods: DigestPeriods,
): Promise<Digest> {
  const rows = scopeMeters(meters, scope);
  const siteOf = new Map(meters.analysisRows().map((r) => [r.id, r.siteId]));
  const siteNames = new Map(meters.sites().map((s) => [s.id, s.name]));
  const fuels = FUELS.filter((f) => rows.some((m) => m.fuel === f));
  const notes: string[] = [];
  const byDay = new Map<Fuel, Map<number, number>>(fuels.map((f) => [f, new Map()]));
  const lines: (DigestLine & { siteId: number | null; fuel: Fuel })[] = [];
  for (const m of rows)
    lines.push({
      name: `${m.identifier}${m.label ? ` (${m.label})` : ''}${fuels.length > 1 ? `, ${m.fuel}` : ''}`,
      siteId: siteOf.get(m.id) ?? null,
      fuel: m.fuel,
      current: await meterFigures(call, m.identifier, periods.current, notes, byDay.get(m.fuel)),
      previous: await meterFigures(call, m.identifier, periods.previous, notes),
      yearAgo: await meterFigures(call, m.identifier, periods.yearAgo, notes),
    });
  const sites: DigestLine[] = [];
  if ('all' in scope)
    for (const id of new Set(lines.map((l) => l.siteId)))
      for (const fuel of fuels) {
        const mine = lines.filter((l) => l.siteId === id && l.fuel === fuel);
        const name = id === null ? 'Meters without a site' : (siteNames.get(id) ?? `Site ${id}`);
        if (mine.length) sites.push(sumLines(fuels.length > 1 ? `${name}, ${fuel}` : name, mine));
      }
  const filter = 'meter' in scope ? { meter: rows[0]!.identifier } : 'siteId' in scope ? scope : {};
  const open = await call('alerts.list', { status: 'open', ...filter, limit: 5000 });
  const days: Digest['byDay'] = [];
  for (let d = periods.current.from; d < periods.current.to; d++)
    days.push({
      day: d,
      kwh: { electricity: byDay.get('electricity')?.get(d) ?? 0, gas: byDay.get('gas')?.get(d) ?? 0 },
    });
  const last = rows
    .map((m) => readings.lastDayWithValues(m.id, periods.current.to))
    .reduce<number | null>((a, b) => (b === null ? a : a === null ? b : Math.max(a, b)), null);
  return {
    scopeName: scopeName(meters, scope),
    period,
    periods,
    total: sumLines('All fuels', lines),
    fuels: fuels.map((fuel) => ({
      ...sumLines(
        capital(fuel),
        lines.filter((l) => l.fuel === fuel),
      ),
      fuel,
    })),
    byDay: days,
    lastReading: last,
    meters: lines,
    sites,
    openAlerts: open.length,
    notes,
  };
}

/** Up to five lines whose kWh changed most against the period before (none that did not change). */
const byChange = (lines: DigestLine[]): DigestLine[] =>
  lines
    .map((l) => ({ l, delta: Math.abs(l.current.kwh - l.previous.kwh) }))
    .filter((x) => x.delta >= 0.05)
    .sort((a, b) => b.delta - a.delta)
    .slice(0, 5)
    .map((x) => x.l);

const share = (f: Figures): number | null => (f.expected ? f.present / f.expected : null);
const money = (pence: number | null): string => (pence === null ? 'not priced' : gbp(pence / 100));
const kg = (n: number): string => `${kwh(n).replace(' kWh', '')} kg CO2e`;
const has = (f: Figures): boolean => f.present > 0;

/** Whether the period has no readings at all for the scope. */
export const noReadings = (d: Digest): boolean => !has(d.total.current);

/** `No readings arrived for October 2026 — check the data feeds (last reading: 14/09/2026)`. */
export function noReadingsText(d: Digest): string {
  const period = d.period === 'week' ? `the ${d.periods.label}` : d.periods.label;
  const last = d.lastReading === null ? 'none yet' : ukDate(d.lastReading);
  return `No readings arrived for ${period} — check the data feeds (last reading: ${last})`;
}

/** A line's figure against the period before and the year before, in words. */
function against(d: Digest, t: DigestLine, value: (f: Figures) => number | null, show: (f: Figures) => string): string {
  const now = has(t.current) ? value(t.current) : null;
  const cmp = (f: Figures, label: string): string => {
    if (!has(f)) return `${label}: no data`;
    const v = value(f);
    return has(t.current)
      ? `${label} ${show(f)}, ${v === null || now === null ? '—' : change(now, v)}`
      : `${label} ${show(f)}`;
  };
  const shown = has(t.current) ? show(t.current) : 'no readings';
  return `${shown} (${cmp(t.previous, d.periods.previousLabel)}; ${cmp(t.yearAgo, d.periods.yearAgoLabel)})`;
}

/** The headline lines: label and text; kWh per fuel, and for all fuels only when there are two. */
function headlines(d: Digest): [string, string][] {
  const c = d.total.current;
  const energy = (l: DigestLine): string =>
    against(
      d,
      l,
      (f) => f.kwh,
      (f) => kwh(f.kwh),
    );
  return [
    ...d.fuels.map((l): [string, string] => [`${l.name} consumption`, energy(l)]),
    ...(d.fuels.length > 1 ? [['Consumption, all fuels', energy(d.total)] as [string, string]] : []),
    [
      'Cost',
      against(
        d,
        d.total,
        (f) => f.pence,
        (f) => money(f.pence),
      ),
    ],
    [
      'Emissions',
      against(
        d,
        d.total,
        (f) => f.kgco2,
        (f) => kg(f.kgco2),
      ),
    ],
    ['Open alerts', String(d.openAlerts)],
    [
      'Data completeness',
      `${percent(share(c))} (${c.present.toLocaleString('en-GB')} of ${c.expected.toLocaleString('en-GB')} half-hours)`,
    ],
  ];
}

const changeLine = (l: DigestLine): string => {
  const delta = l.current.kwh - l.previous.kwh;
  return `${l.name}: ${kwh(l.current.kwh)}, ${change(l.current.kwh, has(l.previous) ? l.previous.kwh : null)} (${delta >= 0 ? '+' : '-'}${kwh(Math.abs(delta))})`;
};

/** The "changed most" lists: title and lines, none when the period has no readings or nothing changed. */
function changeLists(d: Digest): [string, DigestLine[]][] {
  if (noReadings(d)) return [];
  const versus = d.period === 'week' ? 'the previous week' : d.periods.previousLabel;
  const lists: [string, DigestLine[]][] = [];
  if (d.sites.length > 1) lists.push([`Sites that changed most compared with ${versus}`, byChange(d.sites)]);
  lists.push([`Meters that changed most compared with ${versus}`, byChange(d.meters)]);
  return lists.filter(([, lines]) => lines.length > 0);
}

/** The digest's title: `Weekly energy digest: Portfolio, week 10/03/2025 – 16/03/2025`. */
export const digestTitle = (d: Digest): string =>
  `${d.period === 'week' ? 'Weekly' : 'Monthly'} energy digest: ${d.scopeName}, ${d.periods.label}`;

const FOOTNOTE =
  'Cost is priced on each meter’s tariff as the Costs page prices it; emissions use the UK Government annual ' +
  'factors. Gas and electricity kWh are given apart.';

/** The email body as plain text. */
export function digestText(d: Digest, attachment: string): string {
  const out = [digestTitle(d), ''];
  if (noReadings(d)) out.push(noReadingsText(d), '');
  for (const [k, v] of headlines(d)) out.push(`${k}: ${v}`);
  for (const [title, lines] of changeLists(d)) {
    out.push('', `${title}:`);
    for (const l of lines) out.push(`  ${changeLine(l)}`);
  }
  for (const n of d.notes) out.push('', n);
  out.push('', FOOTNOTE, `Attached: ${attachment}`);
  return out.join('\n') + '\n';
}

/** The email body as simple HTML. */
export function digestHtml(d: Digest, attachment: string): string {
  const row = (k: string, v: string): string =>
    `<tr><th style="text-align:left;padding:2px 12px 2px 0">${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`;
  const list = ([title, lines]: [string, DigestLine[]]): string =>
    `<h3 style="font-size:15px;margin:16px 0 4px">${escapeHtml(title)}</h3><ul>${lines
      .map((l) => `<li>${escapeHtml(changeLine(l))}</li>`)
      .join('')}</ul>`;
  return [
    '<div style="font-family:Arial,sans-serif;font-size:14px">',
    `<h2 style="font-size:18px">${escapeHtml(digestTitle(d))}</h2>`,
    noReadings(d) ? `<p style="font-weight:bold;color:#8a1c1c">${escapeHtml(noReadingsText(d))}</p>` : '',
    `<table>${headlines(d)
      .map(([k, v]) => row(k, v))
      .join('')}</table>`,
    ...changeLists(d).map(list),
    ...d.notes.map((n) => `<p>${escapeHtml(n)}</p>`),
    `<p style="color:#555">${escapeHtml(FOOTNOTE)}</p>`,
    `<p>Attached: ${escapeHtml(attachment)}</p>`,
    '</div>',
  ].join('');
}

/**
 * The summary document of a digest's period, drawn by the report renderers: the weekly digest's
 * attachment, and the monthly one's when the month's report cannot be built (no readings).
 */
export function digestSummary(d: Digest, now: number): ReportDocument {
  const t = d.total;
  const c = t.current;
  const [thisCol, lastCol] = d.period === 'week' ? ['This week', 'Last week'] : ['This month', 'Last month'];
  /** A figure in the three periods; `value` null: no change column (completeness). */
  const cmpRow = (
    label: string,
    l: DigestLine,
    show: (f: Figures) => string,
    value: ((f: Figures) => number | null) | null,
  ) => {
    const cur = has(l.current) ? (value?.(l.current) ?? null) : null;
    const vs = (f: Figures): [string, string] =>
      has(f) ? [show(f), value === null ? '' : cur === null ? '—' : change(cur, value(f))] : ['—', '—'];
    return [label, has(l.current) || value === null ? show(l.current) : '—', ...vs(l.previous), ...vs(l.yearAgo)];
  };
  const energy = (f: Figures): string => kwh(f.kwh);
  const lineRows = (lines: DigestLine[]): string[][] =>
    lines.map((l) => [
      l.name,
      kwh(l.current.kwh),
      has(l.previous) ? kwh(l.previous.kwh) : '—',
      change(l.current.kwh, has(l.previous) ? l.previous.kwh : null),
      percent(share(l.current)),
    ]);
  const right: ('left' | 'right')[] = ['left', 'right', 'right', 'right', 'right'];
  const empty = noReadings(d);
  const consumption = d.fuels.map((l) => `${l.name.toLowerCase()} consumption was ${kwh(l.current.kwh)}`).join('; ');
  const summary = empty ? `${noReadingsText(d)}. ` : `${consumption.charAt(0).toUpperCase()}${consumption.slice(1)}; `;
  const blocks: ReportBlock[] = [
    { kind: 'heading', text: 'Summary' },
    {
      kind: 'paragraph',
      text:
        `${d.scopeName}, ${ukDate(d.periods.current.from)} to ${ukDate(d.periods.current.to - 1)}, UK local time. ` +
        `${summary}${d.openAlerts} alert${d.openAlerts === 1 ? ' is' : 's are'} open. ` +
        'Figures are the stored half-hourly readings; missing half-hours are not estimated. ' +
        'Gas and electricity kWh are given apart.',
    },
    {
      kind: 'figures',
      columns: ['Figure', thisCol, lastCol, 'Change', 'A year ago', 'Change'],
      rows: [
        ...d.fuels.map((l) => cmpRow(`${l.name} consumption`, l, energy, (f) => f.kwh)),
        ...(d.fuels.length > 1 ? [cmpRow('Consumption, all fuels', t, energy, (f) => f.kwh)] : []),
        cmpRow(
          'Cost',
          t,
          (f) => money(f.pence),
          (f) => f.pence,
        ),
        cmpRow(
          'Emissions (kg CO2e)',
          t,
          (f) => kwh(f.kgco2).replace(' kWh', ''),
          (f) => f.kgco2,
        ),
        cmpRow('Data completeness', t, (f) => percent(share(f)), null),
      ],
      align: ['left', 'right', 'right', 'right', 'right', 'right'],
    },
    ...(empty
      ? []
      : ([
          {
            kind: 'chart',
            title: 'Daily consumption (kWh)',
            height: 200,
            option: {
              grid: { left: 56, right: 12, top: d.fuels.length > 1 ? 28 : 20, bottom: 30 },
              ...(d.fuels.length > 1 ? { legend: { top: 0, textStyle: { fontSize: 9 } } } : {}),
              xAxis: {
                type: 'category',
                data: d.byDay.map((x) => ukDate(x.day).slice(0, 5)),
                axisLabel: { fontSize: 9 },
              },
              yAxis: { type: 'value', name: 'kWh', axisLabel: { fontSize: 9 } },
              series: d.fuels.map((l) => ({
                name: l.name,
                type: 'bar',
                data: d.byDay.map((x) => Number(x.kwh[l.fuel].toFixed(1))),
                itemStyle: { color: l.fuel === 'gas' ? '#c77c2a' : '#2f6f9f' },
              })),
            },
          },
          ...(d.sites.length > 1
            ? ([
                { kind: 'heading', text: 'Sites' },
                {
                  kind: 'figures',
                  columns: ['Site', thisCol, lastCol, 'Change', 'Completeness'],
                  rows: lineRows(d.sites),
                  align: right,
                },
              ] satisfies ReportBlock[])
            : []),
          { kind: 'heading', text: 'Meters' },
          {
            kind: 'figures',
            columns: ['Meter', thisCol, lastCol, 'Change', 'Completeness'],
            rows: lineRows(d.meters),
            align: right,
          },
        ] satisfies ReportBlock[])),
    ...d.notes.map((text): ReportBlock => ({ kind: 'paragraph', text })),
  ];
  return {
    title: digestTitle(d),
    period: `${ukDate(d.periods.current.from)} to ${ukDate(d.periods.current.to - 1)} (UK local time)`,
    completeness: `Data: ${c.present.toLocaleString('en-GB')} of ${c.expected.toLocaleString('en-GB')} half-hours (${percent(share(c))})`,
    generated: ukDateTime(Math.floor(now / 1000)),
    blocks,
  };
}
