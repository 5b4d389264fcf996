import { describe, expect, it } from 'vitest';
import type { MeterRow, SiteRow, TablePeriod } from '../../../src-shared/contract/types';
import {
  applyBulk,
  bulkArgs,
  bulkDoing,
  bulkDone,
  bulkQuestion,
  changePercent,
  filterChoices,
  hashOfTableState,
  isFiltered,
  meterFilter,
  NONE,
  NO_FILTER,
  parseTags,
  periodWords,
  siteMatches,
  tableStateOfHash,
  type TableFilter,
} from './portfolio-table';
import { metersCsv, sitesCsv } from './table-csv';

const NOW = Date.parse('2025-03-20T12:00:00Z');

function meter(mpan: string, o: Partial<MeterRow> = {}): MeterRow {
  return {
    mpan,
    label: null,
    siteId: null,
    kind: 'mpan',
    fuel: 'electricity',
    site: null,
    firstReading: '2024-01-01T00:00:00Z',
    lastReading: '2025-03-19T23:30:00Z',
    readings: 100,
    supplier: null,
    capacityKva: null,
    lastCompleteDay: '2025-03-19',
    serial: null,
    tags: [],
    tariff: null,
    completeness: 1,
    kwhMonth: 100,
    kwhMonthLastYear: 80,
    costMonthPence: 2500,
    costMonthLastYearPence: 2000,
    openAlerts: 0,
    source: null,
    ...o,
  };
}

const ROWS = [
  meter('1200050000009', {
    label: 'Main incomer',
    siteId: 1,
    site: 'Bath Library',
    supplier: 'Acme',
    tags: ['library'],
  }),
  meter('1200050000106', {
    siteId: 2,
    site: 'Depot',
    supplier: 'acme ',
    tariff: { id: 'flat', name: 'Flat' },
    openAlerts: 2,
    lastReading: '2025-03-01T10:00:00Z',
  }),
  meter('1234567890', {
    fuel: 'gas',
    kind: 'mprn',
    tags: ['library', 'leased'],
    lastReading: null,
    completeness: null,
  }),
];
const f = (o: Partial<TableFilter>): TableFilter => ({ ...NO_FILTER, ...o });
const shown = (o: Partial<TableFilter>) => ROWS.filter(meterFilter(f(o), NOW)).map((m) => m.mpan.slice(-3));

describe('the tables in the address', () => {
  it('reads and writes the view, order and every filter, leaving defaults out', () => {
    const state = {
      view: 'sites' as const,
      sort: { key: 'kwh', dir: 'desc' as const },
      filter: f({
        q: 'bath lib',
        fuel: 'gas',
        site: '3',
        supplier: NONE,
        tariff: 'flat',
        tag: 'school',
        alerts: true,
        olderThan: 7,
      }),
    };
    const hash = hashOfTableState(state);
    expect(hash).toBe(
      '#/meters?view=sites&sort=kwh&dir=desc&q=bath+lib&fuel=gas&site=3&supplier=%28none%29&tariff=flat&tag=school&alerts=1&older=7',
    );
    expect(tableStateOfHash(hash)).toEqual(state);
    expect(hashOfTableState({ view: 'meters', sort: null, filter: NO_FILTER })).toBe('#/meters');
    expect(tableStateOfHash('#/meters')).toEqual({ view: 'meters', sort: null, filter: NO_FILTER });
  });

  it('leaves anything it does not understand at its default', () => {
    expect(tableStateOfHash('#/meters?view=other&fuel=oil&older=-3&dir=up&sort=kwh&alerts=yes')).toEqual({
      view: 'meters',
      sort: { key: 'kwh', dir: 'asc' },
      filter: NO_FILTER,
    });
    expect(tableStateOfHash('#/meters?sort=<script>').sort).toBeNull();
  });
});

describe('which meters a filter shows', () => {
  it('matches text in the MPAN, label or site, spaces and case aside', () => {
    expect(shown({ q: 'MAIN inc' })).toEqual(['009']);
    expect(shown({ q: 'bathlibrary' })).toEqual(['009']);
    expect(shown({ q: '1200050' })).toEqual(['009', '106']);
    expect(shown({ q: '' })).toEqual(['009', '106', '890']);
  });
  it('filters by fuel, site, supplier, tariff and tag, with "none" for what is not set', () => {
    expect(shown({ fuel: 'gas' })).toEqual(['890']);
    expect(shown({ site: '2' })).toEqual(['106']);
    expect(shown({ site: NONE })).toEqual(['890']);
    expect(shown({ supplier: 'ACME' })).toEqual(['009', '106']);
    expect(shown({ supplier: NONE })).toEqual(['890']);
    expect(shown({ tariff: 'flat' })).toEqual(['106']);
    expect(shown({ tariff: NONE })).toEqual(['009', '890']);
    expect(shown({ tag: 'library' })).toEqual(['009', '890']);
    expect(shown({ tag: 'library', fuel: 'electricity' })).toEqual(['009']);
  });
  it('shows meters with open alerts, and meters whose data is older than N days (or that have none)', () => {
    expect(shown({ alerts: true })).toEqual(['106']);
    // 19 March 23:30 is 12.5 hours before NOW, 1 March 10:00 is 19 days
    expect(shown({ olderThan: 0 })).toEqual(['009', '106', '890']);
    expect(shown({ olderThan: 1 })).toEqual(['106', '890']);
    expect(shown({ olderThan: 19 })).toEqual(['106', '890']);
    expect(shown({ olderThan: 20 })).toEqual(['890']);
  });
  it('says whether anything is filtered', () => {
    expect(isFiltered(NO_FILTER)).toBe(false);
    expect(isFiltered(f({ q: '  ' }))).toBe(false);
    expect(isFiltered(f({ olderThan: 0 }))).toBe(true);
    expect(isFiltered(f({ alerts: true }))).toBe(true);
  });
  it('offers the sites, suppliers (once whatever their case), tariffs and tags the meters have', () => {
    expect(filterChoices(ROWS)).toEqual({
      sites: [
        { id: 1, name: 'Bath Library' },
        { id: 2, name: 'Depot' },
      ],
      suppliers: ['acme '],
      tariffs: [{ id: 'flat', name: 'Flat' }],
      tags: ['leased', 'library'],
    });
  });
});

describe('sites', () => {
  const site = (o: Partial<SiteRow>): SiteRow => ({
    id: 1,
    uid: '0123456789abcdef0123456789abcdef',
    name: 'Bath Library',
    organisation: 'Council',
    postcode: 'BA1 5AW',
    address: 'Queen Square',
    meters: 2,
    regionId: null,
    regionSource: null,
    latitude: null,
    longitude: null,
    floorAreaM2: null,
    generation: false,
    openingHours: '',
    openingHoursDefault: true,
    kwhMonth: 1,
    kwhMonthLastYear: 1,
    costMonthPence: 1,
    costMonthLastYearPence: 1,
    unpricedMeters: 0,
    openAlerts: 0,
    lastReading: '2025-03-19T23:30:00Z',
    ...o,
  });
  it('match by name, postcode or address, open alerts and age; meter filters do not apply', () => {
    const s = site({});
    expect(siteMatches(s, f({ q: 'ba15aw' }), NOW)).toBe(true);
    expect(siteMatches(s, f({ q: 'queen sq' }), NOW)).toBe(true);
    expect(siteMatches(s, f({ q: 'depot' }), NOW)).toBe(false);
    expect(siteMatches(s, f({ alerts: true }), NOW)).toBe(false);
    expect(siteMatches(site({ openAlerts: 1 }), f({ alerts: true }), NOW)).toBe(true);
    expect(siteMatches(site({ lastReading: null }), f({ olderThan: 30 }), NOW)).toBe(true);
    expect(siteMatches(s, f({ fuel: 'gas', tag: 'x' }), NOW)).toBe(true);
  });
  it('export as shown, with pounds to the penny and the meters left unpriced', () => {
    const csv = sitesCsv([site({ name: '=cmd', kwhMonth: 1234.5, costMonthPence: 123456.7, unpricedMeters: 2 })]);
    const [head, line] = csv.slice(1).split('\r\n');
    expect(head).toBe(
      'Site,Postcode,Meters,kWh this month,kWh last year,£ this month,£ last year,Meters without a tariff,Open alerts,Last reading (UTC),Last reading (UK local)',
    );
    expect(line).toBe("'=cmd,BA1 5AW,2,1234.5,1,1234.57,0.01,2,0,2025-03-19T23:30:00Z,19/03/2025 23:30");
  });
});

describe('figures and words', () => {
  it('gives the change from last year, none without last year', () => {
    expect(changePercent(120, 100)).toBeCloseTo(20, 10);
    expect(changePercent(50, 200)).toBeCloseTo(-75, 10);
    expect(changePercent(10, 0)).toBeNull();
    expect(changePercent(null, 5)).toBeNull();
    expect(changePercent(5, null)).toBeNull();
  });
  it('says the period without ISO dates', () => {
    const p: TablePeriod = {
      from: '2025-03-01',
      to: '2025-03-20',
      lastYearFrom: '2024-03-01',
      lastYearTo: '2024-03-20',
      completenessFrom: '2025-02-18',
      completenessTo: '2025-03-20',
    };
    expect(periodWords(p)).toBe('1–19 Mar 2025 against 1–19 Mar 2024 · complete: the 30 days to 19 Mar 2025');
    expect(periodWords(null)).toMatch(/^No complete day of readings yet/);
  });
  it('reads tags typed as a list, once each, and says what is wrong with one', () => {
    expect(parseTags(' school, leased ,school,, ')).toEqual({ ok: true, tags: ['school', 'leased'] });
    expect(parseTags(' , ')).toEqual({ ok: false, error: 'Type at least one tag' });
    expect(parseTags('ok, =bad')).toEqual({
      ok: false,
      error: '“=bad”: a tag is letters, digits, spaces and - _ . / &, starting with a letter or digit',
    });
    expect(parseTags('x'.repeat(41))).toMatchObject({ ok: false, error: expect.stringMatching(/longer than 40/) });
  });
  it('asks each bulk edit with the count, and turns it into meters.bulkUpdate’s arguments', () => {
    const day = (iso: string) => `day ${iso}`;
    expect(bulkQuestion({ kind: 'site', siteId: 4, siteName: 'Bath Library' }, 240, day)).toBe(
      'Assign 240 meters to Bath Library?',
    );
    expect(bulkQuestion({ kind: 'site', siteId: null, siteName: 'Annexe', create: { postcode: null } }, 1, day)).toBe(
      'Create the site “Annexe” and assign 1 meter to it?',
    );
    expect(bulkQuestion({ kind: 'site', siteId: null, siteName: null }, 3, day)).toBe('Take 3 meters off their site?');
    expect(bulkQuestion({ kind: 'addTags', tags: ['a', 'b', 'c'] }, 2, day)).toBe(
      'Add the tags “a”, “b” and “c” to 2 meters?',
    );
    expect(bulkQuestion({ kind: 'removeTags', tags: ['a'] }, 1200, day)).toBe('Remove the tag “a” from 1,200 meters?');
    expect(bulkQuestion({ kind: 'tariff', tariffId: 't', tariffName: 'Flat', from: '2025-04-01' }, 5, day)).toBe(
      'Put 5 meters on “Flat” from day 2025-04-01?',
    );
    expect(bulkArgs({ kind: 'tariff', tariffId: 't', tariffName: 'Flat', from: '2025-04-01' }, ['m'])).toEqual({
      meters: ['m'],
      tariff: { tariffId: 't', from: '2025-04-01' },
    });
    expect(bulkArgs({ kind: 'supplier', supplier: null }, ['m'])).toEqual({ meters: ['m'], supplier: null });
  });
  it('says what a running bulk edit is doing and what it did', () => {
    const day = (iso: string) => `day ${iso}`;
    const library = { kind: 'site' as const, siteId: 4, siteName: 'Bath Library' };
    expect(bulkDoing(library, 240)).toBe('Assigning 240 meters to Bath Library…');
    expect(bulkDoing({ ...library, siteId: null, create: { postcode: 'BA1 5AW' } }, 2)).toBe(
      'Assigning 2 meters to Bath Library…',
    );
    expect(bulkDoing({ kind: 'site', siteId: null, siteName: null }, 1)).toBe('Taking 1 meter off their site…');
    expect(bulkDone(library, 240, day)).toBe('240 meters assigned to Bath Library');
    expect(bulkDone({ kind: 'capacity', capacityKva: 69 }, 3, day)).toBe('Capacity of 3 meters set to 69 kVA');
    expect(bulkDone({ kind: 'tariff', tariffId: 't', tariffName: 'Flat', from: '2025-04-01' }, 1, day)).toBe(
      '1 meter on “Flat” from day 2025-04-01',
    );
  });
  it('shows a bulk edit on the rows it changed until the table is read again', () => {
    const keys = new Set(['1200050000009', '1234567890']);
    const moved = applyBulk(ROWS, keys, { kind: 'site', siteId: 2, siteName: 'Depot' }, '2025-03-20');
    expect(moved.map((m) => m.site)).toEqual(['Depot', 'Depot', 'Depot']);
    expect(moved[1]).toBe(ROWS[1]);
    const tagged = applyBulk(ROWS, keys, { kind: 'addTags', tags: ['school', 'library'] }, '2025-03-20');
    expect(tagged.map((m) => m.tags)).toEqual([['library', 'school'], [], ['leased', 'library', 'school']]);
    const later = { kind: 'tariff' as const, tariffId: 'new', tariffName: 'New', from: '2025-04-01' };
    expect(applyBulk(ROWS, keys, later, '2025-03-20')[0]!.tariff).toBeNull(); // not yet in force
    expect(applyBulk(ROWS, keys, later, '2025-04-01')[0]!.tariff).toEqual({ id: 'new', name: 'New' });
  });
  it('exports meters as shown, neutralising text a spreadsheet would run', () => {
    const csv = metersCsv([
      meter('1200050000009', { label: '+SUM(A1)', tags: ['a', 'b'], kwhMonth: 120, kwhMonthLastYear: 100 }),
    ]);
    expect(csv.startsWith('\uFEFFMPAN / MPRN,Label,Fuel,Site,')).toBe(true);
    const line = csv.split('\r\n')[1]!;
    expect(line).toBe(
      '1200050000009,\'+SUM(A1),Electricity,,,,"a, b",2025-03-19T23:30:00Z,19/03/2025 23:30,100,120,100,20,25,20,0,',
    );
  });
});
