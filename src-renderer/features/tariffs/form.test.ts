import { describe, expect, it } from 'vitest';
import { tariffSpecSchema } from '../../../src-shared/domain/tariff-spec';
import {
  checkForm,
  emptyForm,
  formFromSpec,
  presetRows,
  previewRates,
  rateRow,
  rowsNamed,
  serverFieldErrors,
  setRowPence,
  suggestId,
  type TariffForm,
} from './form';
import { bandStrip } from './band-strip';
import { BUSINESS, E7 } from './testing';

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
    expect(c.spec).toMatchObject({
      id: 'e2e-x',
      vatRate: 0.05,
      standingChargePencePerDay: 45.2,
      cclPencePerKwh: 0,
      regions: null,
      halfHourlyPrices: null,
      default: false,
      timeBasis: 'local',
    });
    expect(c.spec!.rates).toEqual([
      {
        name: 'Night',
        pencePerKwh: 13.1,
        from: '00:30',
        to: '07:30',
        days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun', 'holiday'],
      },
      {
        name: 'Day',
        pencePerKwh: 31.9,
        from: '07:30',
        to: '00:30',
        days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun', 'holiday'],
      },
    ]);
    expect(tariffSpecSchema.safeParse(c.spec).success).toBe(true);
  });

  it('reports overlapping bands from the shared schema and builds nothing', () => {
    const rows = [
      rateRow({ pence: '13.1', from: '00:30', to: '08:00' }),
      rateRow({ pence: '31.9', from: '07:30', to: '00:30' }),
    ];
    const c = checkForm(form({ rates: rows }));
    expect(c.spec).toBeNull();
    expect(c.rateProblems).toEqual([
      'rates 1 and 2 overlap on every day from 07:30 to 08:00: each half-hour must belong to exactly one rate',
    ]);
  });

  it('finds the rows an overlap names, to mark them', () => {
    expect(
      [
        ...rowsNamed([
          'rates 1 and 3 overlap on Mondays from 07:00 to 08:00: …',
          'no rate covers 12:00–13:00 on Sundays: …',
          'rates 2 and 3 overlap on Sundays …',
        ]),
      ].sort(),
    ).toEqual([0, 1, 2]);
    expect(rowsNamed(['no rate covers 00:00–01:00 on every day']).size).toBe(0);
  });

  it('reports gaps, per day', () => {
    const rows = [
      rateRow({ pence: '20', from: '00:00', to: '12:00', days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] }),
      rateRow({ pence: '25', from: '12:00', to: '24:00', days: ['mon', 'tue', 'wed', 'thu', 'fri'] }),
    ];
    const c = checkForm(form({ rates: rows }));
    expect(c.rateProblems).toEqual([
      'no rate covers 12:00–24:00 on Saturdays, Sundays: the rates must cover the whole day',
    ]);
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
        rates: [
          rateRow({ pence: '', from: '07:30', to: '' }),
          rateRow({ pence: '12', from: '25:00', to: '07:30', days: [] }),
        ],
      }),
    );
    expect(c.spec).toBeNull();
    expect(c.errors.id).toMatch(/tariff id is 1–64 letters/);
    expect(c.errors.standingCharge).toMatch(/enter the standing charge/);
    expect(c.errors.validTo).toBe('Choose a day after 1 Jan 2025, the first day these prices apply.');
    expect(c.errors.ccl).toMatch(/p(ence)? per kWh/);
    expect(c.errors.capacity).toMatch(/kVA/);
    expect(c.errors['rates.0.pence']).toMatch(/enter the price/);
    expect(c.errors['rates.0.to']).toBe('give both times, or neither for the whole day');
    expect(c.errors['rates.1.from']).toMatch(/HH:MM/);
    expect(c.errors['rates.1.days']).toMatch(/at least one day/);
  });

  it('needs a rate unless the tariff is dynamic; dynamic sends an empty price list', () => {
    expect(checkForm(form({ rates: [] })).rateProblems).toEqual([
      'give at least one rate, or halfHourlyPrices for a dynamic tariff',
    ]);
    const d = checkForm(form({ rates: [], dynamic: true }));
    expect(d.spec).toMatchObject({ halfHourlyPrices: [] });
    expect(d.spec).not.toHaveProperty('rates');
  });

  it('sends regions, CCL, capacity, GMT basis, default and DUoS', () => {
    const rows = presetRows('duos').map((r) => ({
      ...r,
      pence: r.name === 'red' ? '9' : r.name === 'amber' ? '2' : '0.1',
    }));
    const c = checkForm(
      form({
        regions: [12, 10],
        cclMode: 'statutory',
        capacity: '3.5',
        timeBasis: 'gmt',
        isDefault: true,
        rates: [rateRow({ pence: '24.5' })],
        duos: rows,
        notes: ' n ',
      }),
    );
    expect(c.errors).toEqual({});
    expect(c.spec).toMatchObject({
      regions: [10, 12],
      cclPencePerKwh: 'statutory',
      capacityPencePerKvaPerDay: 3.5,
      timeBasis: 'gmt',
      default: true,
      notes: 'n',
    });
    expect(c.spec!.duosRates).toHaveLength(5);
    const bad = checkForm(form({ rates: [rateRow({ pence: '24.5' })], duos: rows.slice(0, 4) }));
    expect(bad.duosProblems[0]).toMatch(
      /no rate covers 00:00–24:00 on Saturdays, Sundays: the rates must cover the whole day/,
    );
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
    const spec = tariffSpecSchema.parse({
      ...E7,
      validTo: '2025-06-01',
      regions: [12],
      default: true,
      cclPencePerKwh: [{ from: '2025-04-01', pencePerKwh: 0.775 }],
      capacityPencePerKvaPerDay: 2,
    });
    const f = formFromSpec(spec, 'new-version', '2025-03-10');
    expect(f).toMatchObject({
      id: 'acme-e7-2025',
      validFrom: '2025-03-10',
      validTo: '',
      standingCharge: '45.2',
      vat: '0.05',
      regions: [12],
      isDefault: true,
      cclMode: 'steps',
      capacity: '2',
    });
    expect(f.rates.map((r) => [r.from, r.to, r.pence])).toEqual([
      ['00:30', '07:30', '13.1'],
      ['07:30', '00:30', '31.9'],
    ]);
    // a version that starts in the future: the new one starts the day after it
    expect(formFromSpec(spec, 'new-version', '2024-12-01').validFrom).toBe('2025-01-02');
    expect(formFromSpec(spec, 'correct', '2025-03-10')).toMatchObject({
      validFrom: '2025-01-01',
      validTo: '2025-06-01',
    });
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
    const rows = [
      rateRow({ pence: '10', from: '00:00', to: '12:00' }),
      rateRow({ pence: '', from: '12:', to: '24:00' }),
      rateRow({ pence: 'x', from: '12:00', to: '24:00' }),
    ];
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
    expect(r).toEqual({
      errors: { standingCharge: 'too big', 'duos.0.pence': 'bad', id: 'bad id' },
      rateProblems: ['rates 1 and 2 overlap'],
      duosProblems: [],
    });
    expect(serverFieldErrors(null).errors).toEqual({});
  });
});
