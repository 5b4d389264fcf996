import { describe, expect, it } from 'vitest';
import type { Tariff, TariffVersion } from '../../../src-shared/contract/types';
import { tariffSpecSchema, type TariffSpec } from '../../../src-shared/domain/tariff-spec';
import {
  addDays,
  rowsNamed,
  windowText,
  bandStrip,
  bandSummary,
  cclText,
  checkForm,
  currentVersion,
  daysText,
  emptyForm,
  filterTariffs,
  formFromSpec,
  formatPence,
  groupByFuel,
  humanPath,
  importSummary,
  presetRows,
  previewRates,
  priceColour,
  pricesSummary,
  rateRow,
  regionText,
  serverFieldErrors,
  setRowPence,
  slotText,
  splitProblems,
  suggestId,
  unitRatesText,
  versionSpan,
  versionState,
  type TariffForm,
} from './tariffs';
import { ukToday } from '../../../src-shared/domain/periods';
import { economy7 } from '../../../tests/fixtures/tariffs';

const E7: TariffSpec = tariffSpecSchema.parse(economy7());

const BUSINESS = tariffSpecSchema.parse({
  id: 'biz-tou',
  name: 'Business ToU',
  supplier: 'Beta',
  fuel: 'electricity',
  validFrom: '2025-04-01',
  standingChargePencePerDay: 120,
  vatRate: 0.2,
  cclPencePerKwh: 'statutory',
  rates: [
    { name: 'Weekday peak', pencePerKwh: 35, from: '16:00', to: '19:00', days: ['weekday'] },
    { name: 'Weekday day', pencePerKwh: 25, from: '07:00', to: '16:00', days: ['weekday'] },
    { name: 'Weekday day', pencePerKwh: 25, from: '19:00', to: '23:00', days: ['weekday'] },
    { name: 'Night', pencePerKwh: 12, from: '23:00', to: '07:00', days: ['weekday'] },
    { name: 'Weekend', pencePerKwh: 15, days: ['weekend', 'holiday'] },
  ],
  capacityPencePerKvaPerDay: 3.5,
  regions: ['C', 10],
});

function version(spec: TariffSpec, validTo: string | null = null, prices: TariffVersion['prices'] = null): TariffVersion {
  return { validFrom: spec.validFrom, validTo, spec, prices };
}

function tariff(over: Partial<Tariff> & { versions: TariffVersion[] }): Tariff {
  return { id: 't', name: 'T', supplier: 'S', fuel: 'electricity', regions: null, isDefault: false, active: true, kind: 'single', ...over };
}

describe('tariff labels', () => {
  it('writes pence as on a bill, without trailing zeros, with a real minus sign', () => {
    expect(formatPence(13.1)).toBe('13.1p');
    expect(formatPence(24)).toBe('24p');
    expect(formatPence(0.775)).toBe('0.775p');
    expect(formatPence(-2.15)).toBe('−2.15p');
    expect(formatPence(null)).toBe('—');
  });

  it('names regions by DNO area and GSP letter, national when none', () => {
    expect(regionText(null)).toBe('National');
    expect(regionText([])).toBe('National');
    expect(regionText([12, 10])).toBe('Eastern (A), London (C)');
    expect(regionText([10, 11, 12])).toBe('Eastern (A), East Midlands (B), London (C)');
    expect(regionText([10, 11, 12, 23])).toBe('Eastern (A), East Midlands (B) +2 more');
    expect(regionText([10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23])).toBe('All 14 areas');
  });

  it('collapses day lists into runs', () => {
    expect(daysText(['mon', 'tue', 'wed', 'thu', 'fri'])).toBe('Mon–Fri');
    expect(daysText(['sat', 'sun', 'holiday'])).toBe('Sat, Sun, bank holidays');
    expect(daysText(['mon', 'wed', 'thu', 'fri', 'sun'])).toBe('Mon, Wed–Fri, Sun');
    expect(daysText(undefined)).toBe('every day');
    expect(daysText(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun', 'holiday'], { blankWhenAll: true })).toBe('');
    // seven days without holidays is every day only when the tariff does not price holidays itself
    expect(daysText(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], { blankWhenAll: true, holidaysPriced: false })).toBe('');
    expect(daysText(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], { holidaysPriced: true })).toBe('every day');
  });

  it('summarises bands compactly: Economy 7, single rate and day-specific bands', () => {
    expect(bandSummary(E7.rates)).toBe('00:30–07:30 13.1p · 07:30–00:30 31.9p');
    expect(bandSummary([{ pencePerKwh: 24.5 }])).toBe('24.5p all day');
    expect(bandSummary(BUSINESS.rates)).toBe('Mon–Fri 16:00–19:00 35p · Mon–Fri 07:00–16:00 25p · Mon–Fri 19:00–23:00 25p · Mon–Fri 23:00–07:00 12p · Sat, Sun, bank holidays all day 15p');
    expect(bandSummary([])).toBe('');
    // an end written 24:00 reads 24:00, not midnight of the same day
    expect(bandSummary([{ pencePerKwh: 10, from: '00:00', to: '12:00' }, { pencePerKwh: 20, from: '12:00', to: '24:00' }])).toBe('00:00–12:00 10p · 12:00–24:00 20p');
  });

  it('writes rate windows, whole days included', () => {
    expect(windowText({})).toBe('all day');
    expect(windowText({ from: '07:00', to: '07:00' })).toBe('all day');
    expect(windowText({ from: '23:00', to: '06:00' })).toBe('23:00–06:00');
    expect(windowText({ from: '7:30', to: '24:00' })).toBe('07:30–24:00');
  });

  it('describes CCL and VAT settings', () => {
    expect(cclText(0)).toBe('None');
    expect(cclText(undefined)).toBe('None');
    expect(cclText('statutory')).toBe('Statutory (gov.uk rates)');
    expect(cclText(0.775)).toBe('0.775p/kWh');
    expect(cclText([{ from: '2026-04-01', pencePerKwh: 0.801 }])).toBe('0.801p/kWh from 2026-04-01');
    expect(cclText([{ from: '2025-04-01', pencePerKwh: 0.775 }, { from: '2026-04-01', pencePerKwh: 0.801 }])).toBe('2 dated rates');
  });

  it('shows dynamic tariffs by their stored prices', () => {
    const spec = tariffSpecSchema.parse({ ...E7, id: 'agile', rates: undefined, halfHourlyPrices: [] });
    const t = tariff({ kind: 'dynamic', versions: [version(spec, null, { count: 1488, first: '2025-01-01T00:00:00Z', last: '2025-01-31T23:30:00Z' })] });
    expect(unitRatesText(t, t.versions[0]!)).toBe('Half-hourly prices · 1,488 prices stored');
    const none = tariff({ kind: 'dynamic', versions: [version(spec, null, { count: 0, first: null, last: null })] });
    expect(unitRatesText(none, none.versions[0]!)).toBe('Half-hourly prices · no prices stored yet');
  });
});

describe('versions', () => {
  const v1 = version({ ...E7, validFrom: '2025-01-01' }, '2025-02-01');
  const v2 = version({ ...E7, validFrom: '2025-02-01', standingChargePencePerDay: 50 }, null);
  const v3 = version({ ...E7, validFrom: '2026-01-01' }, null);

  it('knows which version is in force, upcoming or ended (validTo exclusive)', () => {
    expect(versionState(v1, '2025-01-31')).toBe('current');
    expect(versionState(v1, '2025-02-01')).toBe('ended');
    expect(versionState(v3, '2025-12-31')).toBe('upcoming');
    expect(currentVersion({ versions: [v1, v2] }, '2025-06-01')).toBe(v2);
    expect(currentVersion({ versions: [v1, v2] }, '2025-01-15')).toBe(v1);
    // before every version: the first to start; after every version: the last
    expect(currentVersion({ versions: [v3] }, '2025-06-01')).toBe(v3);
    expect(currentVersion({ versions: [v1] }, '2025-06-01')).toBe(v1);
    expect(currentVersion({ versions: [] }, '2025-06-01')).toBeNull();
  });

  it('shows the last day a version applies, not its exclusive end', () => {
    expect(versionSpan(v1)).toBe('1 Jan 2025 → 31 Jan 2025');
    expect(versionSpan(v2)).toBe('1 Feb 2025 → open-ended');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2025-03-01', -1)).toBe('2025-02-28');
  });

  it('takes today in UK local time (BST after 23:00 UTC is already tomorrow)', () => {
    expect(ukToday(Date.UTC(2025, 6, 1, 23, 30))).toBe('2025-07-02');
    expect(ukToday(Date.UTC(2025, 11, 31, 23, 30))).toBe('2025-12-31');
  });
});

describe('band strip', () => {
  it('draws Economy 7 as one row for every day and bank holidays, night cells cheap', () => {
    const s = bandStrip(E7.rates!);
    expect(s.rows).toHaveLength(1);
    expect(s.rows[0]!.label).toBe('Every day & bank holidays');
    expect(s.rows[0]!.dayTypes).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    const cells = s.rows[0]!.cells;
    expect(cells).toHaveLength(48);
    expect(cells[0]).toBe(1); // 00:00–00:30 is day rate (07:30–00:30)
    expect(cells[1]).toBe(0); // 00:30 night
    expect(cells[14]).toBe(0); // 07:00 night
    expect(cells[15]).toBe(1); // 07:30 day
    expect(cells.filter((c) => c === 0)).toHaveLength(14);
    expect(s.legend.map((l) => l.pence)).toEqual([13.1, 31.9]);
    expect(s.colours[0]).toBe(priceColour(13.1, [13.1, 31.9]));
    expect(s.holidays).toBe(true);
  });

  it('groups day types priced alike: Mon–Fri, then weekend & bank holidays', () => {
    const s = bandStrip(BUSINESS.rates!);
    expect(s.rows.map((r) => r.label)).toEqual(['Mon–Fri', 'Sat, Sun & bank holidays']);
    const weekday = s.rows[0]!.cells;
    expect(weekday[32]).toBe(0); // 16:00 peak
    expect(weekday[38]).toBe(2); // 19:00 second day window
    expect(weekday[46]).toBe(3); // 23:00 night
    expect(new Set(s.rows[1]!.cells)).toEqual(new Set([4]));
    // same name at the same price is one legend entry with its name
    expect(s.legend).toHaveLength(4);
    expect(s.legend.find((l) => l.pence === 25)?.name).toBe('Weekday day');
  });

  it('leaves holidays out when the rates do not name them, and marks gaps with -1', () => {
    const s = bandStrip([{ pencePerKwh: 10, from: '00:00', to: '12:00', days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] }]);
    expect(s.holidays).toBe(false);
    expect(s.rows).toHaveLength(1);
    expect(s.rows[0]!.label).toBe('Every day');
    expect(s.rows[0]!.cells[23]).toBe(0);
    expect(s.rows[0]!.cells[24]).toBe(-1);
  });

  it('colours the cheapest price green and the dearest red', () => {
    expect(priceColour(5, [5, 10, 20])).toMatch(/^hsl\(142,/);
    expect(priceColour(20, [5, 10, 20])).toMatch(/^hsl\(0,/);
    expect(priceColour(10, [10])).toBe(priceColour(99, [99]));
    expect(slotText(15)).toBe('07:30–08:00');
    expect(slotText(47)).toBe('23:30–24:00');
  });
});

describe('import results and errors', () => {
  it('summarises an import', () => {
    expect(importSummary({ tariffs: 3, versionsAdded: 2, versionsReplaced: 0, unchanged: 1, prices: 0, ids: [] })).toBe('3 tariffs: 2 versions added, 1 unchanged');
    expect(importSummary({ tariffs: 1, versionsAdded: 1, versionsReplaced: 1, unchanged: 0, prices: 48, ids: [] })).toBe('1 tariff: 1 version added, 1 version corrected, 48 half-hourly prices stored');
    expect(pricesSummary({ prices: 2, first: 'a', last: 'b' }, (s) => s.toUpperCase())).toBe('Stored 2 half-hourly prices from A to B');
  });

  it('splits the core BAD_INPUT message into readable problems', () => {
    const msg =
      'bad.json: nothing was imported; 3 problems: tariffs[0] ("x").rates: rates 1 and 2 overlap on every day from 07:00 to 08:00: each half-hour must belong to exactly one rate; tariffs[1].name: a tariff needs a name; tariffs[1] ("y").rates.0.pencePerKwh: pencePerKwh must be a number (pence)';
    const r = splitProblems(msg);
    expect(r.summary).toBe('bad.json: nothing was imported; 3 problems');
    expect(r.items).toEqual([
      { where: 'Tariff 1 “x” › rates', message: 'rates 1 and 2 overlap on every day from 07:00 to 08:00: each half-hour must belong to exactly one rate' },
      { where: 'Tariff 2 › name', message: 'a tariff needs a name' },
      { where: 'Tariff 2 “y” › rates › rate 1 › pencePerKwh', message: 'pencePerKwh must be a number (pence)' },
    ]);
    expect(r.more).toBe(false);
    expect(splitProblems('f.json: nothing was imported; 1 problem: a: b; …').more).toBe(true);
    // with the file name known, the summary drops what the page already says
    const named = splitProblems('f.json: nothing was imported; 2 problems: tariffs[0].name: Invalid input: expected string, received undefined; tariffs[0].vatRate: vatRate is 0.05 (5 %), 0.2 (20 %) or 0', 'f.json');
    expect(named.summary).toBe('2 problems');
    expect(named.items).toEqual([
      { where: 'Tariff 1 › name', message: 'missing: this field is required' },
      { where: 'Tariff 1 › vatRate', message: 'vatRate is 0.05 (5 %), 0.2 (20 %) or 0' },
    ]);
  });

  it('keeps a message without a list whole', () => {
    const msg = 'bad.json is not valid JSON at line 3, column 5: Unexpected token. A tariff file is { "tariffs": [ … ] } (docs/tariffs.md).';
    expect(splitProblems(msg)).toEqual({ summary: msg, items: [], more: false });
    expect(humanPath('tariffs[3]')).toBe('Tariff 4');
  });
});

function form(over: Partial<TariffForm> = {}): TariffForm {
  return { ...emptyForm('2025-01-01'), id: 'e2e-x', name: 'X', supplier: 'Acme', standingCharge: '45.2', ...over };
}

describe('the tariff form', () => {
  it('builds a valid Economy 7 spec from a preset with prices filled in', () => {
    let rows = presetRows('e7');
    rows = setRowPence(rows, 0, '13.1');
    rows = setRowPence(rows, 1, '31.9');
    const c = checkForm(form({ rates: rows, vat: '0.05' }));
    expect(c.errors).toEqual({});
    expect(c.rateProblems).toEqual([]);
    expect(c.spec).toMatchObject({ id: 'e2e-x', vatRate: 0.05, standingChargePencePerDay: 45.2, cclPencePerKwh: 0, regions: null, halfHourlyPrices: null, default: false, timeBasis: 'local' });
    expect(c.spec!.rates).toEqual([
      { name: 'Night', pencePerKwh: 13.1, from: '00:30', to: '07:30', days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun', 'holiday'] },
      { name: 'Day', pencePerKwh: 31.9, from: '07:30', to: '00:30', days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun', 'holiday'] },
    ]);
    expect(tariffSpecSchema.safeParse(c.spec).success).toBe(true);
  });

  it('reports overlapping bands from the shared schema and builds nothing', () => {
    const rows = [rateRow({ pence: '13.1', from: '00:30', to: '08:00' }), rateRow({ pence: '31.9', from: '07:30', to: '00:30' })];
    const c = checkForm(form({ rates: rows }));
    expect(c.spec).toBeNull();
    expect(c.rateProblems).toEqual(['rates 1 and 2 overlap on every day from 07:30 to 08:00: each half-hour must belong to exactly one rate']);
  });

  it('finds the rows an overlap names, to mark them', () => {
    expect([...rowsNamed(['rates 1 and 3 overlap on Mondays from 07:00 to 08:00: …', 'no rate covers 12:00–13:00 on Sundays: …', 'rates 2 and 3 overlap on Sundays …'])].sort()).toEqual([0, 1, 2]);
    expect(rowsNamed(['no rate covers 00:00–01:00 on every day']).size).toBe(0);
  });

  it('reports gaps, per day', () => {
    const rows = [rateRow({ pence: '20', from: '00:00', to: '12:00', days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] }), rateRow({ pence: '25', from: '12:00', to: '24:00', days: ['mon', 'tue', 'wed', 'thu', 'fri'] })];
    const c = checkForm(form({ rates: rows }));
    expect(c.rateProblems).toEqual(['no rate covers 12:00–24:00 on Saturdays, Sundays: the rates must cover the whole day']);
  });

  it('puts number, time, day and date problems next to their fields', () => {
    const c = checkForm(
      form({
        id: 'bad id!',
        standingCharge: '',
        validTo: '2024-12-01',
        cclMode: 'fixed',
        ccl: 'abc',
        capacity: 'x',
        rates: [rateRow({ pence: '', from: '07:30', to: '' }), rateRow({ pence: '12', from: '25:00', to: '07:30', days: [] })],
      }),
    );
    expect(c.spec).toBeNull();
    expect(c.errors.id).toMatch(/tariff id is 1–64 letters/);
    expect(c.errors.standingCharge).toMatch(/enter the standing charge/);
    expect(c.errors.validTo).toMatch(/must be after validFrom/);
    expect(c.errors.ccl).toMatch(/p(ence)? per kWh/);
    expect(c.errors.capacity).toMatch(/kVA/);
    expect(c.errors['rates.0.pence']).toMatch(/enter the price/);
    expect(c.errors['rates.0.to']).toBe('give both times, or neither for the whole day');
    expect(c.errors['rates.1.from']).toMatch(/HH:MM/);
    expect(c.errors['rates.1.days']).toMatch(/at least one day/);
  });

  it('needs a rate unless the tariff is dynamic; dynamic sends an empty price list', () => {
    expect(checkForm(form({ rates: [] })).rateProblems).toEqual(['give at least one rate, or halfHourlyPrices for a dynamic tariff']);
    const d = checkForm(form({ rates: [], dynamic: true }));
    expect(d.spec).toMatchObject({ halfHourlyPrices: [] });
    expect(d.spec).not.toHaveProperty('rates');
  });

  it('sends regions, CCL, capacity, GMT basis, default and DUoS', () => {
    const rows = presetRows('duos').map((r) => ({ ...r, pence: r.name === 'red' ? '9' : r.name === 'amber' ? '2' : '0.1' }));
    const c = checkForm(form({ regions: [12, 10], cclMode: 'statutory', capacity: '3.5', timeBasis: 'gmt', isDefault: true, rates: [rateRow({ pence: '24.5' })], duos: rows, notes: ' n ' }));
    expect(c.errors).toEqual({});
    expect(c.spec).toMatchObject({ regions: [10, 12], cclPencePerKwh: 'statutory', capacityPencePerKvaPerDay: 3.5, timeBasis: 'gmt', default: true, notes: 'n' });
    expect(c.spec!.duosRates).toHaveLength(5);
    const bad = checkForm(form({ rates: [rateRow({ pence: '24.5' })], duos: rows.slice(0, 4) }));
    expect(bad.duosProblems[0]).toMatch(/no rate covers 00:00–24:00 on Saturdays, Sundays: the rates must cover the whole day/);
  });

  it('Economy 10 preset covers the day with two named bands (example windows)', () => {
    const rows = presetRows('e10');
    const filled = setRowPence(setRowPence(rows, 0, '15'), 1, '30');
    expect(filled.filter((r) => r.pence === '15').map((r) => r.from)).toEqual(['00:00', '13:00', '20:00']);
    expect(filled.filter((r) => r.pence === '30')).toHaveLength(3);
    const c = checkForm(form({ rates: filled }));
    expect(c.rateProblems).toEqual([]);
    expect(bandStrip(c.spec!.rates as never).legend.map((l) => l.name)).toEqual(['Off-peak', 'Peak']);
  });

  it('keeps typed prices when switching preset by band name', () => {
    const typed = setRowPence(presetRows('e7'), 0, '9.5');
    expect(presetRows('e7', typed)[0]!.pence).toBe('9.5');
    expect(presetRows('single', [rateRow({ pence: '20' })])[0]!.pence).toBe('20');
  });

  it('pre-fills a new version from the latest one with a new start and no end', () => {
    const spec = tariffSpecSchema.parse({ ...E7, validTo: '2025-06-01', regions: [12], default: true, cclPencePerKwh: [{ from: '2025-04-01', pencePerKwh: 0.775 }], capacityPencePerKvaPerDay: 2 });
    const f = formFromSpec(spec, 'new-version', '2025-03-10');
    expect(f).toMatchObject({ id: 'acme-e7-2025', validFrom: '2025-03-10', validTo: '', standingCharge: '45.2', vat: '0.05', regions: [12], isDefault: true, cclMode: 'steps', capacity: '2' });
    expect(f.rates.map((r) => [r.from, r.to, r.pence])).toEqual([['00:30', '07:30', '13.1'], ['07:30', '00:30', '31.9']]);
    // a version that starts in the future: the new one starts the day after it
    expect(formFromSpec(spec, 'new-version', '2024-12-01').validFrom).toBe('2025-01-02');
    expect(formFromSpec(spec, 'correct', '2025-03-10')).toMatchObject({ validFrom: '2025-01-01', validTo: '2025-06-01' });
    // and it saves back to the same spec (the dated CCL steps are kept)
    const round = checkForm(formFromSpec(spec, 'correct', '2025-03-10'));
    expect(round.errors).toEqual({});
    expect(tariffSpecSchema.parse(round.spec)).toEqual({ ...spec, notes: undefined, timeBasis: 'local' } as never);
  });

  it('round-trips whole-day and day-specific rates', () => {
    const f = formFromSpec(BUSINESS, 'correct', '2025-05-01');
    expect(f.rates[4]).toMatchObject({ from: '', to: '', days: ['sat', 'sun', 'holiday'] });
    expect(f.cclMode).toBe('statutory');
    expect(f.regions).toEqual([10, 12]);
    const c = checkForm(f);
    expect(c.errors).toEqual({});
    expect(tariffSpecSchema.parse(c.spec).rates).toEqual(BUSINESS.rates);
  });

  it('suggests an id from supplier and name', () => {
    expect(suggestId('Acme Energy', 'Economy 7 (2025)')).toBe('acme-energy-economy-7-2025');
    expect(suggestId('Électricité', '  ')).toBe('electricite');
    expect(suggestId('x'.repeat(40), 'y'.repeat(40))).toHaveLength(64);
  });

  it('draws only the rows whose times are complete in the live preview', () => {
    const rows = [rateRow({ pence: '10', from: '00:00', to: '12:00' }), rateRow({ pence: '', from: '12:', to: '24:00' }), rateRow({ pence: 'x', from: '12:00', to: '24:00' })];
    const p = previewRates(rows);
    expect(p).toHaveLength(2);
    expect(p[1]).toMatchObject({ pencePerKwh: 0, from: '12:00', to: '24:00' });
  });

  it('maps the server INVALID_ARGS details to the form fields', () => {
    const r = serverFieldErrors([
      { path: ['tariff', 'standingChargePencePerDay'], message: 'too big' },
      { path: ['tariff', 'rates'], message: 'rates 1 and 2 overlap' },
      { path: ['tariff', 'duosRates', 0, 'pencePerKwh'], message: 'bad' },
      { path: 'tariff.id', message: 'bad id' },
    ]);
    expect(r).toEqual({ errors: { standingCharge: 'too big', 'duos.0.pence': 'bad', id: 'bad id' }, rateProblems: ['rates 1 and 2 overlap'], duosProblems: [] });
    expect(serverFieldErrors(null).errors).toEqual({});
  });
});

describe('the list', () => {
  const list = [
    tariff({ id: 'g1', name: 'Gas fixed', supplier: 'Beta', fuel: 'gas', versions: [] }),
    tariff({ id: 'e-old', name: 'Old', supplier: 'Acme', active: false, versions: [] }),
    tariff({ id: 'e2', name: 'Zed', supplier: 'Acme', versions: [] }),
    tariff({ id: 'e1', name: 'Agile', supplier: 'Octopus', versions: [] }),
  ];

  it('filters by fuel, ended and text', () => {
    expect(filterTariffs(list, { fuel: 'all', showEnded: true, search: '' })).toHaveLength(4);
    expect(filterTariffs(list, { fuel: 'gas', showEnded: true, search: '' }).map((t) => t.id)).toEqual(['g1']);
    expect(filterTariffs(list, { fuel: 'all', showEnded: false, search: '' }).map((t) => t.id)).not.toContain('e-old');
    expect(filterTariffs(list, { fuel: 'all', showEnded: true, search: 'octo' }).map((t) => t.id)).toEqual(['e1']);
  });

  it('groups electricity first, active tariffs before ended ones, then by supplier', () => {
    expect(groupByFuel(list).map((g) => [g.fuel, g.tariffs.map((t) => t.id)])).toEqual([
      ['electricity', ['e2', 'e1', 'e-old']],
      ['gas', ['g1']],
    ]);
  });
});
