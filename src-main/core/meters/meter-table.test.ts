/**
 * The portfolio tables and bulk edits against independent calculations: kWh summed here from the
 * CSV rows by their Europe/London dates (Intl, not the app's day helpers), completeness by counting
 * half-hours, £ from cost.meter over the same days; the figures kept between calls follow new
 * readings, tariffs and meter settings; a bulk edit is all or nothing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../app';
import { dispatch } from '../rpc/dispatch';
import { callAsAdmin, importFiles, makeCore, writeTemp } from '../../../tests/helpers/core';
import { flatTariff } from '../../../tests/fixtures/tariffs';
import type {
  BulkUpdateResult,
  CostResult,
  MeterRow,
  MeterSummary,
  SiteRow,
  SiteSummary,
  TablePeriod,
  TariffAssignment,
} from '../../../src-shared/contract/types';

const A = '1200050000009';
const B = '1200050000106';
const GAS = '1234567890';
const UNKNOWN = '1200050000203';
/** Thursday 20 March 2025, midday (GMT): yesterday is 19 March. */
const NOW = Date.parse('2025-03-20T12:00:00Z');
const ctx = { role: 'admin' as const, actor: 'test' };

let core: Core | null = null;
afterEach(async () => {
  await core?.stop();
  core = null;
});

const call = <T>(method: string, args: unknown): Promise<T> => callAsAdmin<T>(core!, method, args);

const londonDate = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});
/** The London calendar date of a UTC instant (ms), `YYYY-MM-DD`. */
const dateOf = (ms: number): string => londonDate.format(new Date(ms));

interface Row {
  ms: number;
  kwh: number | null;
}

/** Half-hours from `fromIso` (UTC) to `toIso`, kWh = f(i) (null: a blank value; undefined: the row is left out). */
function series(fromIso: string, toIso: string, f: (i: number) => number | null | undefined): Row[] {
  const out: Row[] = [];
  for (let ms = Date.parse(fromIso), i = 0; ms < Date.parse(toIso); ms += 1_800_000, i++) {
    const kwh = f(i);
    if (kwh !== undefined) out.push({ ms, kwh });
  }
  return out;
}

const csv = (meter: string, rows: Row[]): string =>
  ['MPAN,Timestamp,kWh', ...rows.map((r) => `${meter},${new Date(r.ms).toISOString()},${r.kwh ?? ''}`)].join('\n');

/** kWh of rows whose London date is in [from, to) (ISO dates). */
const kwhBetween = (rows: Row[], from: string, to: string): number =>
  rows.filter((r) => dateOf(r.ms) >= from && dateOf(r.ms) < to).reduce((s, r) => s + (r.kwh ?? 0), 0);

/** Half-hours in London days [from, to), counted by stepping through UTC half-hours. */
function halfHoursIn(from: string, to: string): number {
  let n = 0;
  for (
    let ms = Date.parse(`${from}T00:00:00Z`) - 86_400_000;
    ms < Date.parse(`${to}T00:00:00Z`) + 86_400_000;
    ms += 1_800_000
  )
    if (dateOf(ms) >= from && dateOf(ms) < to) n++;
  return n;
}

const A_ROWS = [
  ...series('2024-02-20T00:00:00Z', '2024-03-31T00:00:00Z', (i) => 0.5 + ((i * 7) % 13) / 10),
  ...series('2025-02-10T00:00:00Z', '2025-03-20T00:00:00Z', (i) => 0.4 + ((i * 5) % 11) / 10),
];
// B: this year only, every 9th half-hour left out of the file and every 31st given blank
const B_ROWS = series('2025-02-15T00:00:00Z', '2025-03-20T00:00:00Z', (i) =>
  i % 9 === 4 ? undefined : i % 31 === 7 ? null : 1 + ((i * 3) % 7) / 4,
);
const GAS_ROWS = series('2025-03-01T00:00:00Z', '2025-03-11T00:00:00Z', (i) => 5 + (i % 6));

const TARIFFS = [
  flatTariff({ id: 'flat-27', validFrom: '2024-01-01' }),
  flatTariff({
    id: 'acme-default',
    name: 'Acme Standard',
    validFrom: '2024-01-01',
    default: true,
    rates: [{ pencePerKwh: 22 }],
  }),
  flatTariff({
    id: 'cheap-10',
    name: 'Cheap Ten',
    supplier: 'Other',
    validFrom: '2024-01-01',
    rates: [{ pencePerKwh: 10 }],
  }),
  flatTariff({
    id: 'gas-flat',
    name: 'Gas Flat',
    supplier: 'Gasco',
    fuel: 'gas',
    default: true,
    validFrom: '2024-01-01',
    rates: [{ pencePerKwh: 6 }],
    cclPencePerKwh: 0,
  }),
];

/** The portfolio: A on flat-27 (fed by a source), B on Acme's default, the gas meter unpriced; two sites. */
async function portfolio(): Promise<{ sourceId: number; sites: SiteSummary[] }> {
  core = await makeCore({ clock: { now: () => NOW } });
  const [jobA] = await importFiles(core, [writeTemp('a.csv', csv(A, A_ROWS))]);
  await importFiles(core, [writeTemp('b.csv', csv(B, B_ROWS)), writeTemp('gas.csv', csv(GAS, GAS_ROWS))]);
  await call('tariffs.import', { text: JSON.stringify({ tariffs: TARIFFS }) });
  await call('tariffs.assign', { meter: A, tariff: 'flat-27', from: '2024-01-01' });
  await call('meters.update', { meter: B, supplier: 'Acme' });
  // a data collector's source that brought A's file
  const db = core.sqlite;
  const sourceId = Number(
    db
      .prepare(
        "INSERT INTO sources (name, kind, config, created_at, updated_at) VALUES ('Collector SFTP', 'sftp', '{}', 0, 0)",
      )
      .run().lastInsertRowid,
  );
  db.prepare('UPDATE import_jobs SET source_id = ? WHERE id = ?').run(sourceId, jobA!.id);
  const school = await call<SiteSummary>('sites.create', { name: 'Bath Library' });
  const depot = await call<SiteSummary>('sites.create', { name: 'Depot' });
  await call('meters.update', { meter: A, siteId: school.id });
  await call('meters.update', { meter: B, siteId: school.id });
  await call('meters.update', { meter: GAS, siteId: depot.id });
  // alerts: A one open, one acknowledged, one snoozed; the gas meter one open; the depot one of its own
  const meterId = (m: string) => db.prepare('SELECT id FROM meters WHERE identifier = ?').pluck().get(m) as number;
  const alert = db.prepare(
    "INSERT INTO alerts (rule_id, kind, subject, period, severity, status, fired_at, message, meter_id, site_id, snoozed_until, channels) VALUES ('r', 'daily-kwh-above', ?, ?, 'warning', ?, 0, 'x', ?, ?, ?, '[]')",
  );
  alert.run(A, '2025-03-01', 'open', meterId(A), school.id, null);
  alert.run(A, '2025-03-02', 'acknowledged', meterId(A), school.id, null);
  alert.run(A, '2025-03-03', 'open', meterId(A), school.id, NOW / 1000 + 3600);
  alert.run(A, '2025-03-04', 'open', meterId(A), school.id, NOW / 1000 - 3600); // its snooze is over
  alert.run(GAS, '2025-03-05', 'open', meterId(GAS), depot.id, null);
  alert.run('depot', '2025-03-06', 'open', null, depot.id, null);
  return { sourceId, sites: [school, depot] };
}

const MONTH = { from: '2025-03-01', to: '2025-03-20' };
const LAST_YEAR = { from: '2024-03-01', to: '2024-03-20' };
const cost = (meter: string, r: { from: string; to: string }, tariff?: string) =>
  call<CostResult>('cost.meter', { meter, ...r, ...(tariff ? { tariff } : {}) }).then((c) => c.totalPence);
const table = () => call<{ period: TablePeriod | null; rows: MeterRow[] }>('meters.table', {});
const rowOf = async (m: string) => (await table()).rows.find((r) => r.mpan === m)!;

describe('meters.table', () => {
  it('gives each meter its month and last year in kWh and £, completeness, tariff, alerts and source', async () => {
    const { sourceId } = await portfolio();
    const t = await table();
    // the anchor: the median of the meters' last complete days (19, 19 and 10 March)
    expect(t.period).toEqual({
      from: '2025-03-01',
      to: '2025-03-20',
      lastYearFrom: '2024-03-01',
      lastYearTo: '2024-03-20',
      completenessFrom: '2025-02-18',
      completenessTo: '2025-03-20',
    });
    expect(t.rows.map((r) => r.mpan)).toEqual([A, B, GAS].sort());
    const byMeter = new Map(t.rows.map((r) => [r.mpan, r]));
    const expected = halfHoursIn('2025-02-18', '2025-03-20');
    expect(expected).toBe(30 * 48);
    for (const [m, rows] of [
      [A, A_ROWS],
      [B, B_ROWS],
      [GAS, GAS_ROWS],
    ] as const) {
      const r = byMeter.get(m)!;
      expect(r.kwhMonth, m).toBeCloseTo(kwhBetween(rows, MONTH.from, MONTH.to), 6);
      const present = rows.filter((x) => x.kwh !== null && dateOf(x.ms) >= '2025-02-18' && dateOf(x.ms) < '2025-03-20');
      expect(r.completeness, m).toBeCloseTo(present.length / expected, 4);
    }
    expect(byMeter.get(A)!.kwhMonthLastYear).toBeCloseTo(kwhBetween(A_ROWS, LAST_YEAR.from, LAST_YEAR.to), 6);
    expect(byMeter.get(B)!.kwhMonthLastYear).toBeNull();
    // £ as the Costs page prices them: A on its assignment, B on Acme's default, the gas meter not at all
    expect(byMeter.get(A)!.costMonthPence).toBeCloseTo(await cost(A, MONTH), 4);
    expect(byMeter.get(A)!.costMonthLastYearPence).toBeCloseTo(await cost(A, LAST_YEAR), 4);
    expect(byMeter.get(B)!.costMonthPence).toBeCloseTo(await cost(B, MONTH), 4);
    expect(byMeter.get(B)!.costMonthLastYearPence).toBeNull();
    expect(byMeter.get(GAS)!.costMonthPence).toBeNull();
    expect(byMeter.get(A)!.tariff).toEqual({ id: 'flat-27', name: 'Acme Business Fixed' });
    expect(byMeter.get(B)!.tariff).toBeNull(); // priced on its supplier's default, but none assigned
    expect([byMeter.get(A)!.openAlerts, byMeter.get(B)!.openAlerts, byMeter.get(GAS)!.openAlerts]).toEqual([2, 0, 1]);
    expect(byMeter.get(A)!.source).toEqual({ id: sourceId, name: 'Collector SFTP' });
    expect(byMeter.get(B)!.source).toBeNull();
    // the summary's own fields are meters.list's
    const list = await call<MeterSummary[]>('meters.list', {});
    for (const m of list) expect(byMeter.get(m.mpan)).toMatchObject(m);
  });

  it('follows new readings, tariff assignments and supplier changes after the first call', async () => {
    await portfolio();
    await table(); // the figures are now kept
    // a corrected half-hour on 5 March (and none last year) changes A's month, not its last year
    const fix = A_ROWS.map((r) => (r.ms === Date.parse('2025-03-05T10:00:00Z') ? { ...r, kwh: 50 } : r));
    const job = await call<{ jobIds: number[] }>('imports.enqueue', {
      fileIds: [(await core!.files.storePath(writeTemp('fix.csv', csv(A, fix)))).fileId],
      onConflict: 'replace',
    });
    await core!.imports.drain((id) => job.jobIds.includes(id));
    let a = await rowOf(A);
    expect(a.kwhMonth).toBeCloseTo(kwhBetween(fix, MONTH.from, MONTH.to), 6);
    expect(a.costMonthPence).toBeCloseTo(await cost(A, MONTH), 4);
    expect(a.costMonthLastYearPence).toBeCloseTo(await cost(A, LAST_YEAR), 4);
    // a tariff from 10 March: the month is priced again
    const before = a.costMonthPence!;
    await call('tariffs.assign', { meter: A, tariff: 'cheap-10', from: '2025-03-10' });
    a = await rowOf(A);
    expect(a.costMonthPence).toBeCloseTo(await cost(A, MONTH), 4);
    expect(a.costMonthPence).toBeLessThan(before);
    expect(a.tariff).toEqual({ id: 'cheap-10', name: 'Cheap Ten' });
    // a supplier with a default gas tariff prices the gas meter
    await call('meters.update', { meter: GAS, supplier: 'Gasco' });
    expect((await rowOf(GAS)).costMonthPence).toBeCloseTo(await cost(GAS, MONTH), 4);
    // a changed tariff's prices reach every meter priced on it
    await call('tariffs.save', { tariff: { ...TARIFFS[3], rates: [{ pencePerKwh: 7 }] } });
    expect((await rowOf(GAS)).costMonthPence).toBeCloseTo(await cost(GAS, MONTH), 4);
  });

  it('keeps meters.list as the store reads it: spans and counts follow new days and merged meters', async () => {
    await portfolio();
    expect(await call<MeterSummary[]>('meters.list', {})).toEqual(core!.meters.list());
    // a day after B's last, and a meter merged into another
    await importFiles(core!, [
      writeTemp(
        'b-more.csv',
        csv(
          B,
          series('2025-03-20T00:00:00Z', '2025-03-20T12:00:00Z', () => 1),
        ),
      ),
    ]);
    await importFiles(core!, [
      writeTemp(
        'c.csv',
        csv(
          UNKNOWN,
          series('2025-01-01T00:00:00Z', '2025-01-02T00:00:00Z', () => 2),
        ),
      ),
    ]);
    const before = await call<MeterSummary[]>('meters.list', {});
    expect(before.find((m) => m.mpan === B)).toMatchObject({
      lastReading: '2025-03-20T11:30:00Z',
      readings: B_ROWS.length + 24,
    });
    await call('meters.merge', { from: UNKNOWN, into: A });
    const after = await call<MeterSummary[]>('meters.list', {});
    expect(after).toEqual(core!.meters.list());
    expect(after.map((m) => m.mpan)).toEqual([A, B, GAS].sort());
    expect(after.find((m) => m.mpan === A)!.readings).toBe(A_ROWS.length + 48);
  });
});

describe('sites.table', () => {
  it("sums its meters' figures, counts the site's and its meters' open alerts, and gives the latest reading", async () => {
    const { sites } = await portfolio();
    const t = await call<{ period: TablePeriod | null; rows: SiteRow[] }>('sites.table', {});
    const [school, depot] = sites.map((s) => t.rows.find((r) => r.id === s.id)!);
    const kwh = kwhBetween(A_ROWS, MONTH.from, MONTH.to) + kwhBetween(B_ROWS, MONTH.from, MONTH.to);
    expect(school!.kwhMonth).toBeCloseTo(kwh, 3);
    expect(school!.kwhMonthLastYear).toBeCloseTo(kwhBetween(A_ROWS, LAST_YEAR.from, LAST_YEAR.to), 3);
    expect(school!.costMonthPence).toBeCloseTo((await cost(A, MONTH)) + (await cost(B, MONTH)), 3);
    expect(school!.unpricedMeters).toBe(0);
    expect(school!.openAlerts).toBe(2);
    expect(school!.lastReading).toBe('2025-03-19T23:30:00Z');
    expect(school!.meters).toBe(2);
    // the depot's gas meter has no tariff: its kWh count, its £ are not there, and it says so
    expect(depot!.kwhMonth).toBeCloseTo(kwhBetween(GAS_ROWS, MONTH.from, MONTH.to), 3);
    expect(depot!.costMonthPence).toBeNull();
    expect(depot!.unpricedMeters).toBe(1);
    expect(depot!.openAlerts).toBe(2); // the gas meter's and the depot's own
    expect(depot!.lastReading).toBe('2025-03-10T23:30:00Z');
    expect(t.period?.from).toBe('2025-03-01');
  });
});

describe('meters.bulkUpdate', () => {
  it('changes nothing when one meter is unknown, and names it', async () => {
    const { sites } = await portfolio();
    const before = await call<MeterSummary[]>('meters.list', {});
    const r = await dispatch(
      core!.handlers,
      'meters.bulkUpdate',
      { meters: [A, UNKNOWN, B], siteId: sites[1]!.id, supplier: 'Other', addTags: ['school'], capacityKva: 80 },
      ctx,
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('NOT_FOUND');
    expect(r.error.message).toMatch(new RegExp(`^No meter ${UNKNOWN}: nothing was changed`));
    expect(r.error.details).toEqual({ reason: 'unknown-meters', meters: [UNKNOWN] });
    expect(await call<MeterSummary[]>('meters.list', {})).toEqual(before);
    // an unknown site, an unknown tariff, a tariff of the other fuel: refused the same way
    for (const [args, code, words] of [
      [{ siteId: 999 }, 'NOT_FOUND', /^No site 999: nothing was changed/],
      [{ tariff: { tariffId: 'nope', from: '2025-01-01' } }, 'NOT_FOUND', /^No tariff "nope": nothing was changed/],
      [
        { tariff: { tariffId: 'flat-27', from: '2025-01-01' }, supplier: 'Other' },
        'BAD_INPUT',
        new RegExp(`^"flat-27" is an electricity tariff and meter ${GAS} is not: nothing was changed`),
      ],
    ] as const) {
      const x = await dispatch(core!.handlers, 'meters.bulkUpdate', { meters: [A, GAS], ...args }, ctx);
      expect(x.ok ? null : [x.error.code, x.error.message]).toEqual([code, expect.stringMatching(words)]);
    }
    expect(await call<MeterSummary[]>('meters.list', {})).toEqual(before);
    expect(await call<TariffAssignment[]>('tariffs.assignments', { meter: A })).toHaveLength(1);
  });

  it('sets the site, supplier and capacity, adds and removes tags (sorted, once each), and says so', async () => {
    const { sites } = await portfolio();
    await call('meters.update', { meter: A, tags: ['leased', 'office'] });
    const events: unknown[] = [];
    core!.events.subscribe((e) => events.push(e));
    const r = await call<BulkUpdateResult>('meters.bulkUpdate', {
      meters: [B, A, A],
      siteId: sites[1]!.id,
      supplier: 'Other',
      capacityKva: 80,
      addTags: ['school', 'office', 'Library'],
      removeTags: ['leased'],
    });
    expect(r).toEqual({ updated: 2, meters: [A, B] });
    expect(events).toContainEqual({ event: 'meters.changed', payload: { meterIds: [A, B] } });
    const list = new Map((await call<MeterSummary[]>('meters.list', {})).map((m) => [m.mpan, m]));
    expect(list.get(A)).toMatchObject({
      siteId: sites[1]!.id,
      site: 'Depot',
      supplier: 'Other',
      capacityKva: 80,
      tags: ['Library', 'office', 'school'],
    });
    expect(list.get(B)!.tags).toEqual(['Library', 'office', 'school']);
    expect(list.get(GAS)!.siteId).toBe(sites[1]!.id); // not selected: as it was
    // null takes the site away; removing a tag no meter has changes nothing else
    await call('meters.bulkUpdate', { meters: [A], siteId: null, removeTags: ['office', 'absent'] });
    const a = (await call<MeterSummary[]>('meters.list', {})).find((m) => m.mpan === A)!;
    expect([a.siteId, a.site, a.tags, a.supplier]).toEqual([null, null, ['Library', 'school'], 'Other']);
    // nothing asked for, or a tag both added and removed: refused in words
    await expect(call('meters.bulkUpdate', { meters: [A] })).rejects.toThrow(/^INVALID_ARGS: Choose what to change/);
    await expect(call('meters.bulkUpdate', { meters: [A], addTags: ['x'], removeTags: ['x'] })).rejects.toThrow(
      /^INVALID_ARGS: The tag "x" is both added and removed/,
    );
  });

  it('assigns a tariff from a UK date: the cost changes from that day only', async () => {
    await portfolio();
    const early = { from: '2025-03-01', to: '2025-03-10' };
    const late = { from: '2025-03-10', to: '2025-03-20' };
    const [aEarly, aLate, bEarly] = [await cost(A, early), await cost(A, late), await cost(B, early)];
    await call('meters.bulkUpdate', { meters: [A, B], tariff: { tariffId: 'cheap-10', from: '2025-03-10' } });
    expect(await cost(A, early)).toBeCloseTo(aEarly, 6);
    expect(await cost(B, early)).toBeCloseTo(bEarly, 6);
    const aNow = await cost(A, late);
    expect(aNow).not.toBeCloseTo(aLate, 0);
    expect(aNow).toBeCloseTo(await cost(A, late, 'cheap-10'), 6);
    expect(await cost(B, late)).toBeCloseTo(await cost(B, late, 'cheap-10'), 6);
    const assigned = await call<TariffAssignment[]>('tariffs.assignments', { meter: A });
    expect(assigned.map((x) => [x.tariff, x.from, x.to, x.assignedBy])).toEqual([
      ['flat-27', '2024-01-01', '2025-03-10', 'test'],
      ['cheap-10', '2025-03-10', null, 'test'],
    ]);
    // the table prices the month on both
    expect((await rowOf(A)).costMonthPence).toBeCloseTo(await cost(A, MONTH), 4);
  });
});
