/**
 * Email digests: a week's or a month's headline figures for a meter, a site or the portfolio —
 * kWh, cost in pounds (priced by `cost.meter`, as the Costs page prices), kg CO2e (the UK
 * Government annual factors, as the SECR figures), each against the period before and the same
 * period a year earlier — with the open alerts, the data's completeness and the meters (and sites)
 * that changed most; written as a plain-text and HTML email body, and as a week summary document
 * rendered by the report renderers.
 */
import type { ReportScope } from '../../../src-shared/contract/types';
import { dayHalfHours, isoDay } from '../../../src-shared/domain/periods';
import { toLocalDay } from '../aggregation/totals';
import { scopeMeters } from '../exports/export';
import type { Call } from '../exports/tables';
import type { MeterService } from '../meters/meter-service';
import { change, gbp, kwh, percent, ukDate, ukDateTime } from '../reports/format';
import { escapeHtml } from '../reports/html';
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

/** A meter's or a site's figures in the three periods. */
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
  total: DigestLine;
  /** The current period's kWh by day (the week summary's bars). */
  byDay: { day: number; kwh: number }[];
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

/** Gathers a digest's figures through the contract. */
export async function gatherDigest(
  call: Call,
  meters: MeterService,
  scope: ReportScope,
  period: 'week' | 'month',
  periods: DigestPeriods,
): Promise<Digest> {
  const rows = scopeMeters(meters, scope);
  const siteOf = new Map(meters.analysisRows().map((r) => [r.id, r.siteId]));
  const siteNames = new Map(meters.sites().map((s) => [s.id, s.name]));
  const notes: string[] = [];
  const byDay = new Map<number, number>();
  const lines: (DigestLine & { siteId: number | null })[] = [];
  for (const m of rows)
    lines.push({
      name: `${m.identifier}${m.label ? ` (${m.label})` : ''}`,
      siteId: siteOf.get(m.id) ?? null,
      current: await meterFigures(call, m.identifier, periods.current, notes, byDay),
      previous: await meterFigures(call, m.identifier, periods.previous, notes),
      yearAgo: await meterFigures(call, m.identifier, periods.yearAgo, notes),
    });
  const sites: DigestLine[] = [];
  if ('all' in scope)
    for (const id of new Set(lines.map((l) => l.siteId)))
      sites.push(
        sumLines(
          id === null ? 'Meters without a site' : (siteNames.get(id) ?? `Site ${id}`),
          lines.filter((l) => l.siteId === id),
        ),
      );
  const filter = 'meter' in scope ? { meter: rows[0]!.identifier } : 'siteId' in scope ? scope : {};
  const open = await call('alerts.list', { status: 'open', ...filter, limit: 5000 });
  const days: { day: number; kwh: number }[] = [];
  for (let d = periods.current.from; d < periods.current.to; d++) days.push({ day: d, kwh: byDay.get(d) ?? 0 });
  return {
    scopeName: scopeName(meters, scope),
    period,
    periods,
    total: sumLines('Total', lines),
    byDay: days,
    meters: lines,
    sites,
    openAlerts: open.length,
    notes,
  };
}

const byChange = (lines: DigestLine[]): DigestLine[] =>
  [...lines]
    .sort((a, b) => Math.abs(b.current.kwh - b.previous.kwh) - Math.abs(a.current.kwh - a.previous.kwh))
    .slice(0, 5);

const share = (f: Figures): number | null => (f.expected ? f.present / f.expected : null);
const money = (pence: number | null): string => (pence === null ? 'not priced' : gbp(pence / 100));
const kg = (n: number): string => `${kwh(n).replace(' kWh', '')} kg CO2e`;
const has = (f: Figures): boolean => f.present > 0;

/** A figure against the period before and the year before, in words. */
function against(d: Digest, value: (f: Figures) => number | null, show: (f: Figures) => string): string {
  const t = d.total;
  const cmp = (f: Figures, label: string): string => {
    if (!has(f)) return `${label}: no data`;
    const v = value(f);
    const now = value(t.current);
    return `${label} ${show(f)}, ${v === null || now === null ? '—' : change(now, v)}`;
  };
  return `${show(t.current)} (${cmp(t.previous, d.periods.previousLabel)}; ${cmp(t.yearAgo, d.periods.yearAgoLabel)})`;
}

/** The headline lines: label and text. */
function headlines(d: Digest): [string, string][] {
  const c = d.total.current;
  return [
    [
      'Consumption',
      against(
        d,
        (f) => f.kwh,
        (f) => kwh(f.kwh),
      ),
    ],
    [
      'Cost',
      against(
        d,
        (f) => f.pence,
        (f) => money(f.pence),
      ),
    ],
    [
      'Emissions',
      against(
        d,
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

/** The digest's title: `Weekly energy digest: Portfolio, week 10/03/2025 – 16/03/2025`. */
export const digestTitle = (d: Digest): string =>
  `${d.period === 'week' ? 'Weekly' : 'Monthly'} energy digest: ${d.scopeName}, ${d.periods.label}`;

/** The email body as plain text. */
export function digestText(d: Digest, attachment: string): string {
  const out = [digestTitle(d), ''];
  for (const [k, v] of headlines(d)) out.push(`${k}: ${v}`);
  if (d.sites.length > 1) {
    out.push('', `Sites that changed most against the ${d.periods.previousLabel}:`);
    for (const l of byChange(d.sites)) out.push(`  ${changeLine(l)}`);
  }
  out.push('', `Meters that changed most against the ${d.periods.previousLabel}:`);
  for (const l of byChange(d.meters)) out.push(`  ${changeLine(l)}`);
  for (const n of d.notes) out.push('', n);
  out.push(
    '',
    'Cost is priced on each meter’s tariff as the Costs page prices it; emissions use the UK Government annual factors.',
    `Attached: ${attachment}`,
  );
  return out.join('\n') + '\n';
}

/** The email body as simple HTML. */
export function digestHtml(d: Digest, attachment: string): string {
  const row = (k: string, v: string): string =>
    `<tr><th style="text-align:left;padding:2px 12px 2px 0">${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`;
  const list = (title: string, lines: DigestLine[]): string =>
    `<h3 style="font-size:15px;margin:16px 0 4px">${escapeHtml(title)}</h3><ul>${lines
      .map((l) => `<li>${escapeHtml(changeLine(l))}</li>`)
      .join('')}</ul>`;
  return [
    '<div style="font-family:Arial,sans-serif;font-size:14px">',
    `<h2 style="font-size:18px">${escapeHtml(digestTitle(d))}</h2>`,
    `<table>${headlines(d)
      .map(([k, v]) => row(k, v))
      .join('')}</table>`,
    d.sites.length > 1 ? list(`Sites that changed most against the ${d.periods.previousLabel}`, byChange(d.sites)) : '',
    list(`Meters that changed most against the ${d.periods.previousLabel}`, byChange(d.meters)),
    ...d.notes.map((n) => `<p>${escapeHtml(n)}</p>`),
    '<p style="color:#555">Cost is priced on each meter’s tariff as the Costs page prices it; emissions use the UK ' +
      'Government annual factors.</p>',
    `<p>Attached: ${escapeHtml(attachment)}</p>`,
    '</div>',
  ].join('');
}

/** The week summary document (the weekly digest's attachment), drawn by the report renderers. */
export function weekSummary(d: Digest, now: number): ReportDocument {
  const t = d.total;
  const c = t.current;
  /** A figure in the three periods; `value` null: no change column (completeness). */
  const cmpRow = (label: string, show: (f: Figures) => string, value: ((f: Figures) => number | null) | null) => {
    const now = value?.(c) ?? null;
    const vs = (f: Figures): [string, string] =>
      has(f) ? [show(f), value === null ? '' : now === null ? '—' : change(now, value(f))] : ['—', '—'];
    return [label, show(c), ...vs(t.previous), ...vs(t.yearAgo)];
  };
  const lineRows = (lines: DigestLine[]): string[][] =>
    lines.map((l) => [
      l.name,
      kwh(l.current.kwh),
      has(l.previous) ? kwh(l.previous.kwh) : '—',
      change(l.current.kwh, has(l.previous) ? l.previous.kwh : null),
      percent(share(l.current)),
    ]);
  const right: ('left' | 'right')[] = ['left', 'right', 'right', 'right', 'right'];
  const blocks: ReportBlock[] = [
    { kind: 'heading', text: 'Summary' },
    {
      kind: 'paragraph',
      text:
        `${d.scopeName}, ${ukDate(d.periods.current.from)} to ${ukDate(d.periods.current.to - 1)}, UK local time. ` +
        `Consumption was ${kwh(c.kwh)}; ${d.openAlerts} alert${d.openAlerts === 1 ? ' is' : 's are'} open. ` +
        'Figures are the stored half-hourly readings; missing half-hours are not estimated.',
    },
    {
      kind: 'figures',
      columns: ['Figure', 'This week', 'Last week', 'Change', 'A year ago', 'Change'],
      rows: [
        cmpRow(
          'Consumption',
          (f) => kwh(f.kwh),
          (f) => f.kwh,
        ),
        cmpRow(
          'Cost',
          (f) => money(f.pence),
          (f) => f.pence,
        ),
        cmpRow(
          'Emissions (kg CO2e)',
          (f) => kwh(f.kgco2).replace(' kWh', ''),
          (f) => f.kgco2,
        ),
        cmpRow('Data completeness', (f) => percent(share(f)), null),
      ],
      align: ['left', 'right', 'right', 'right', 'right', 'right'],
    },
    {
      kind: 'chart',
      title: 'Daily consumption (kWh)',
      height: 200,
      option: {
        grid: { left: 56, right: 12, top: 20, bottom: 30 },
        xAxis: { type: 'category', data: d.byDay.map((x) => ukDate(x.day).slice(0, 5)), axisLabel: { fontSize: 9 } },
        yAxis: { type: 'value', name: 'kWh', axisLabel: { fontSize: 9 } },
        series: [{ type: 'bar', data: d.byDay.map((x) => Number(x.kwh.toFixed(1))), itemStyle: { color: '#2f6f9f' } }],
      },
    },
    ...(d.sites.length > 1
      ? ([
          { kind: 'heading', text: 'Sites' },
          {
            kind: 'figures',
            columns: ['Site', 'This week', 'Last week', 'Change', 'Completeness'],
            rows: lineRows(d.sites),
            align: right,
          },
        ] satisfies ReportBlock[])
      : []),
    { kind: 'heading', text: 'Meters' },
    {
      kind: 'figures',
      columns: ['Meter', 'This week', 'Last week', 'Change', 'Completeness'],
      rows: lineRows(d.meters),
      align: right,
    },
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
