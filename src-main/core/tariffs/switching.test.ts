/** Switching analysis, tariff files and assignments through the contract (real core, real SQLite). */
import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../app';
import { dispatch } from '../rpc/dispatch';
import { importFiles, makeCore, writeTemp } from '../../../tests/helpers/core';
import type { CostResult, SwitchAnalysis, SwitchSummary, Tariff } from '../../../src-shared/contract/types';
import { economy7 } from '../../../tests/fixtures/tariffs';

const MPAN = '1012477457919'; // distributor 10 (Eastern)
const ctx = { role: 'admin' as const, actor: 'alice' };
let core: Core | null = null;
afterEach(async () => {
  await core?.stop();
  core = null;
});

async function call<T>(method: string, args: unknown, role: 'viewer' | 'manager' | 'admin' = 'admin'): Promise<T> {
  const r = await dispatch(core!.handlers, method, args, { ...ctx, role });
  if (!r.ok) throw Object.assign(new Error(`${r.error.code}: ${r.error.message}`), { code: r.error.code });
  return r.value as T;
}

const base = {
  supplier: 'Acme',
  fuel: 'electricity',
  validFrom: '2025-01-01',
  validTo: null,
  standingChargePencePerDay: 40,
  vatRate: 0.05,
  cclPencePerKwh: 0,
  halfHourlyPrices: null,
};
const flat = (id: string, p: number, extra: Record<string, unknown> = {}) => ({
  ...base,
  id,
  name: `Flat ${p}p`,
  rates: [{ pencePerKwh: p }],
  ...extra,
});
const e7 = (id: string, night: number, day: number, extra: Record<string, unknown> = {}) =>
  economy7({ ...base, id, name: `E7 ${night}/${day}`, ...extra }, { night, day, named: true });

/** 120 days from 2025-03-01 (UK local) of a profile using 1 kWh at night and 2 kWh by day. */
async function seed(c: Core) {
  const start = Date.parse('2025-03-01T00:00:00Z');
  const lines = ['MPAN,Timestamp,kWh'];
  for (let i = 0; i < 48 * 120; i++) {
    const t = start + i * 1800000;
    const h = new Date(t).getUTCHours();
    lines.push(`${MPAN},${new Date(t).toISOString()},${h < 7 ? 1 : 2}`);
  }
  await importFiles(c, [writeTemp('year.csv', lines.join('\n'))]);
}

describe('switching analysis', () => {
  it('ranks every other active tariff of the fuel and region by saving, skips the rest with reasons, and saves the analysis', async () => {
    core = await makeCore();
    await seed(core);
    const tariffs = [
      flat('acme-flat', 25, { default: true }),
      flat('cheap-flat', 20, { supplier: 'Beta' }),
      e7('beta-e7', 10, 30, { supplier: 'Beta' }),
      flat('ended', 5, { validTo: '2025-02-01' }),
      flat('london-only', 1, { regions: ['C'] }),
      flat('eastern-only', 22, { regions: ['_A'] }),
      { ...flat('gas-flat', 5), fuel: 'gas' },
      { ...base, id: 'agile', name: 'Agile', halfHourlyPrices: [] },
    ];
    await call('tariffs.import', { text: JSON.stringify({ tariffs }) });
    await call('tariffs.assign', { meter: MPAN, tariff: 'acme-flat', from: '2025-01-01' });
    const a = await call<SwitchAnalysis>('switching.analyse', { meter: MPAN });
    // default window: the last 90 days of data, ending with the last complete day: the last reading,
    // 2025-06-28T23:30Z, is 00:30 BST on 29 June, a day with one half-hour, so the window ends on 28 June
    expect(a.to).toBe('2025-06-29');
    expect(a.from).toBe('2025-03-31');
    expect(a.current.tariff).toBe('acme-flat');
    expect(a.current.basis).toBe('assignment');
    expect(a.alternatives.map((x) => x.tariff)).toEqual(['cheap-flat', 'eastern-only', 'beta-e7']);
    for (const alt of a.alternatives) {
      const own = await call<CostResult>('cost.meter', { meter: MPAN, from: a.from, to: a.to, tariff: alt.tariff });
      expect(alt.totalPence).toBe(own.totalPence);
      expect(alt.savingPence).toBeCloseTo(a.current.totalPence - own.totalPence, 3);
      expect(alt.savingPercent).toBeCloseTo(((a.current.totalPence - own.totalPence) / a.current.totalPence) * 100, 3);
    }
    expect(a.alternatives[2]!.savingPence).toBeLessThan(0); // E7 costs more for this daytime user
    const skipped = Object.fromEntries(a.skipped.map((s) => [s.tariff, s.reason]));
    expect(skipped.ended).toMatch(/no longer on sale/);
    expect(skipped['london-only']).toMatch(/not sold in this meter’s region/);
    expect(skipped.agile).toMatch(/no half-hourly prices/);
    expect(skipped['gas-flat']).toBeUndefined(); // other fuels are simply not alternatives
    expect(a.warning).toMatch(/same usage pattern/);
    expect(a.inputs).toEqual({ days: 90, from: null, to: null, whatIfPercent: null });
    // saved: who, when, and everything
    expect(a.id).toBeGreaterThan(0);
    const again = await call<SwitchAnalysis>('switching.get', { id: a.id });
    expect(again).toEqual(a);
    const history = await call<SwitchSummary[]>('switching.history', { meter: MPAN });
    expect(history[0]).toMatchObject({
      id: a.id,
      ranBy: 'alice',
      currentTariff: 'acme-flat',
      currentTariffName: 'Flat 25p',
      bestTariff: 'cheap-flat',
      bestTariffName: 'Flat 20p',
      bestSavingPence: a.alternatives[0]!.savingPence,
    });
  });

  it('a stray later reading does not move the default window off the data', async () => {
    core = await makeCore();
    await seed(core);
    // one reading five months after the rest, as a bad row in a later file would leave
    await importFiles(core, [writeTemp('stray.csv', `MPAN,Timestamp,kWh\n${MPAN},2025-11-20T12:00:00Z,3\n`)]);
    await call('tariffs.import', { text: JSON.stringify({ tariffs: [flat('acme-flat', 25), flat('beta', 20)] }) });
    await call('tariffs.assign', { meter: MPAN, tariff: 'acme-flat', from: '2025-01-01' });
    const a = await call<SwitchAnalysis>('switching.analyse', { meter: MPAN });
    expect([a.from, a.to]).toEqual(['2025-03-31', '2025-06-29']);
    expect(a.alternatives.map((x) => x.tariff)).toEqual(['beta']);
  });

  it('moves N % of use from the most expensive band to the cheapest and ranks again', async () => {
    core = await makeCore();
    await seed(core);
    await call('tariffs.import', {
      text: JSON.stringify({ tariffs: [e7('mine', 12, 30), flat('flat-24', 24, { supplier: 'Beta' })] }),
    });
    await call('tariffs.assign', { meter: MPAN, tariff: 'mine', from: '2025-01-01' });
    const plain = await call<SwitchAnalysis>('switching.analyse', { meter: MPAN, days: 28 });
    const shifted = await call<SwitchAnalysis>('switching.analyse', { meter: MPAN, days: 28, whatIfPercent: 50 });
    expect(shifted.whatIf).toMatchObject({ percent: 50, referenceTariff: 'mine', fromBand: 'Day', toBand: 'Night' });
    // kWh are conserved; half the day use moved into the night band
    expect(shifted.current.kwh).toBeCloseTo(plain.current.kwh, 6);
    const dayBand = (c: CostResult) => c.bands.find((b) => b.name === 'Day')!.kwh;
    expect(dayBand(shifted.current)).toBeCloseTo(dayBand(plain.current) / 2, 6);
    expect(shifted.whatIf!.movedKwh).toBeCloseTo(dayBand(plain.current) / 2, 3);
    expect(shifted.current.totalPence).toBeLessThan(plain.current.totalPence);
    // the flat tariff looked better before the shift and worse after
    expect(plain.alternatives[0]!.savingPence).toBeGreaterThan(0);
    expect(shifted.alternatives[0]!.savingPence).toBeLessThan(0);
    // the portfolio view ignores what-ifs
    const portfolio = await call<SwitchSummary[]>('switching.portfolio', {});
    expect(portfolio).toHaveLength(1);
    expect(portfolio[0]!.id).toBe(plain.id);
  });

  it("falls back to the supplier's default tariff for days without an assignment, and says so", async () => {
    core = await makeCore();
    await seed(core);
    await call('tariffs.import', {
      text: JSON.stringify({ tariffs: [flat('acme-std', 25, { default: true }), flat('acme-other', 21)] }),
    });
    await expect(call('cost.meter', { meter: MPAN, from: '2025-03-01', to: '2025-03-08' })).rejects.toThrow(
      /no supplier is set/,
    );
    await call('meters.update', { meter: MPAN, supplier: 'ACME' });
    const c = await call<CostResult>('cost.meter', { meter: MPAN, from: '2025-03-01', to: '2025-03-08' });
    expect(c.tariff).toBe('acme-std');
    expect(c.periods[0]!.basis).toBe('supplier-default');
    expect(c.notes.join(' ')).toMatch(/default electricity tariff/);
    const a = await call<SwitchAnalysis>('switching.analyse', { meter: MPAN, from: '2025-03-01', to: '2025-03-08' });
    expect(a.current.basis).toBe('supplier-default');
    expect(a.alternatives.map((x) => x.tariff)).toEqual(['acme-other']);
  });

  it('runs every meter in the portfolio and reports progress', async () => {
    core = await makeCore();
    await seed(core);
    await call('tariffs.import', {
      text: JSON.stringify({ tariffs: [flat('acme-std', 25, { default: true }), flat('acme-other', 21)] }),
    });
    await call('meters.update', { meter: MPAN, supplier: 'Acme' });
    const progress: unknown[] = [];
    core.events.subscribe((e) => {
      if (e.event === 'switching.progress') progress.push(e.payload);
    });
    // cost analyses and tariff comparisons need a manager (the platform's roles); viewers see tariffs only
    for (const [m, a] of [
      ['switching.runAll', {}],
      ['switching.analyse', { meter: MPAN }],
      ['cost.meter', { meter: MPAN, from: '2025-03-01', to: '2025-03-02' }],
      ['switching.portfolio', {}],
      ['switching.history', {}],
    ] as const) {
      await expect(call(m, a, 'viewer')).rejects.toMatchObject({ code: 'FORBIDDEN' });
    }
    expect(await call('tariffs.list', {}, 'viewer')).toHaveLength(2);
    const r = await call<{ meters: number; analysed: number; failed: unknown[] }>(
      'switching.runAll',
      { days: 30 },
      'manager',
    );
    expect(r).toMatchObject({ meters: 1, analysed: 1, failed: [] });
    expect(progress[0]).toEqual({ done: 0, total: 1, meter: null, finished: false });
    expect(progress[progress.length - 1]).toEqual({ done: 1, total: 1, meter: null, finished: true });
    expect((await call<SwitchSummary[]>('switching.portfolio', {}))[0]).toMatchObject({
      meter: MPAN,
      bestTariff: 'acme-other',
    });
  });
});

describe('tariff files', () => {
  it('imports all or nothing, with every problem named by tariff and field', async () => {
    core = await makeCore();
    const bad = {
      tariffs: [
        flat('good', 20),
        {
          ...flat('bad', 20),
          rates: [
            { pencePerKwh: 10, from: '00:00', to: '08:00' },
            { pencePerKwh: 20, from: '07:00', to: '00:00' },
          ],
        },
        { ...flat('worse', 20), vatRate: 0.1 },
      ],
    };
    await expect(call('tariffs.import', { text: JSON.stringify(bad), fileName: 'mine.json' })).rejects.toThrow(
      /mine.json: nothing was imported; 2 problems: tariffs\[1\] \("bad"\)\.rates: rates 1 and 2 overlap on every day from 07:00 to 08:00.*tariffs\[2\] \("worse"\)\.vatRate/,
    );
    expect(await call<Tariff[]>('tariffs.list', {})).toEqual([]);
    await expect(
      call('tariffs.import', { text: '{ "tariffs": [ { "id": "x", } ] }', fileName: 'broken.json' }),
    ).rejects.toThrow(/broken.json is not valid JSON at line 1, column \d+/);
    await expect(call('tariffs.import', { text: '{"rates": []}' })).rejects.toThrow(
      /expected \{ "tariffs": \[ … \] \}/,
    );
  });

  it('adds versions, recognises an identical re-import, and refuses a fuel change of an id', async () => {
    core = await makeCore();
    const first = await call<{ versionsAdded: number }>('tariffs.import', {
      text: JSON.stringify({ tariffs: [flat('t', 20)] }),
    });
    expect(first.versionsAdded).toBe(1);
    const second = await call<{ versionsAdded: number; unchanged: number; versionsReplaced: number }>(
      'tariffs.import',
      { text: JSON.stringify({ tariffs: [flat('t', 20), flat('t', 21, { validFrom: '2025-06-01' })] }) },
    );
    expect(second).toMatchObject({ versionsAdded: 1, unchanged: 1, versionsReplaced: 0 });
    const t = await call<Tariff>('tariffs.get', { id: 't' });
    expect(t.versions.map((v) => [v.validFrom, v.validTo])).toEqual([
      ['2025-01-01', '2025-06-01'],
      ['2025-06-01', null],
    ]);
    await expect(call('tariffs.save', { tariff: { ...flat('t', 20), fuel: 'gas' } })).rejects.toThrow(
      /CONFLICT: Tariff "t" is for electricity; a gas tariff needs a different id/,
    );
  });

  it('will not delete an assigned tariff, and assigns only tariffs of the meter’s fuel', async () => {
    core = await makeCore();
    await seed(core);
    await call('tariffs.import', {
      text: JSON.stringify({ tariffs: [flat('t', 20), { ...flat('g', 5), fuel: 'gas' }] }),
    });
    await expect(call('tariffs.assign', { meter: MPAN, tariff: 'g', from: '2025-01-01' })).rejects.toThrow(
      /"g" is a gas tariff and this meter is electricity/,
    );
    await expect(
      call('tariffs.assign', { meter: MPAN, tariff: 't', from: '2025-01-01' }, 'viewer'),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await call('tariffs.assign', { meter: MPAN, tariff: 't', from: '2025-01-01' }, 'manager');
    await expect(call('tariffs.delete', { id: 't' })).rejects.toThrow(/CONFLICT.*assigned/);
    await call('tariffs.delete', { id: 'g' });
    await call('tariffs.unassign', { meter: MPAN, from: '2025-01-01' }, 'manager');
    await call('tariffs.delete', { id: 't' });
    expect(await call<Tariff[]>('tariffs.list', {})).toEqual([]);
  });

  it('rejects price files that are not usable, naming the line and column', async () => {
    core = await makeCore();
    await call('tariffs.import', {
      text: JSON.stringify({ tariffs: [{ ...base, id: 'dyn', name: 'Dyn', halfHourlyPrices: [] }, flat('fixed', 20)] }),
    });
    await expect(
      call('tariffs.importPrices', { id: 'fixed', text: 'start,price\n2025-01-01T00:00:00Z,10' }),
    ).rejects.toThrow(/not a dynamic tariff/);
    await expect(
      call('tariffs.importPrices', { id: 'dyn', text: 'start,price\n2025-01-01T00:00:00Z,ten', fileName: 'p.csv' }),
    ).rejects.toThrow(/p.csv, line 2, column 2: "ten" is not a price/);
    await expect(
      call('tariffs.importPrices', { id: 'dyn', text: 'start,price\n2025-01-01T00:10:00Z,10', fileName: 'p.csv' }),
    ).rejects.toThrow(/line 2, column 1: .* not the start of a half-hour/);
    await expect(
      call('tariffs.importPrices', { id: 'dyn', text: 'start,price\n2025-03-30 01:30,10', fileName: 'p.csv' }),
    ).rejects.toThrow(/does not exist in UK time/);
    await expect(
      call('tariffs.importPrices', {
        id: 'dyn',
        text: 'start,price\n2025-01-01T00:00:00Z,10\n2025-01-01T00:00:00Z,11',
      }),
    ).rejects.toThrow(/two different prices/);
    const t = await call<Tariff>('tariffs.get', { id: 'dyn' });
    expect(t.versions[0]!.prices!.count).toBe(0);
    expect(t.kind).toBe('dynamic');
  });
});

describe('regions', () => {
  it('uses the region chosen for the site of a meter that is not an MPAN', async () => {
    core = await makeCore();
    const lines = [
      'Meter,Timestamp,kWh',
      ...Array.from(
        { length: 96 },
        (_, i) => `SERIAL-77,${new Date(Date.parse('2025-03-03T00:00:00Z') + i * 1800000).toISOString()},1`,
      ),
    ];
    await importFiles(core, [writeTemp('serial.csv', lines.join('\n'))]);
    await call('tariffs.import', {
      text: JSON.stringify({
        tariffs: [
          flat('mine', 25),
          flat('london-only', 20, { regions: ['C'] }),
          flat('eastern-only', 21, { regions: ['A'] }),
        ],
      }),
    });
    await call('tariffs.assign', { meter: 'SERIAL-77', tariff: 'mine', from: '2025-01-01' });
    const before = await call<SwitchAnalysis>('switching.analyse', { meter: 'SERIAL-77', save: false });
    expect(before.alternatives).toEqual([]);
    expect(before.skipped.find((s) => s.tariff === 'london-only')!.reason).toMatch(
      /not an MPAN and its site has no region chosen/,
    );
    const site = await call<{ id: number }>('sites.create', { name: 'Depot' });
    await call('sites.update', { id: site.id, regionId: 13 }); // London
    await call('meters.update', { meter: 'SERIAL-77', siteId: site.id });
    const after = await call<SwitchAnalysis>('switching.analyse', { meter: 'SERIAL-77', save: false });
    expect(after.alternatives.map((a) => a.tariff)).toEqual(['london-only']);
    expect(after.skipped.find((s) => s.tariff === 'eastern-only')!.reason).toMatch(
      /not sold in this meter’s region \(distributor 12\)/,
    );
  });
});
