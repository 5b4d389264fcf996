/**
 * Tariffs and costs against an independent calculation: the expected figures below are computed
 * directly from the CSV rows and the tariff text with Intl (Europe/London) for wall-clock times,
 * not with the engine's own helpers.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../../app';
import { dispatch } from '../rpc/dispatch';
import { importFiles, makeCore, writeTemp } from '../../../tests/helpers/core';
import type { CostResult } from '../../../src-shared/contract/types';

const MPAN = '1012477457919'; // distributor 10 (Eastern)
const ctx = { role: 'admin' as const, actor: 'test' };

let core: Core | null = null;
afterEach(async () => {
  await core?.stop();
  core = null;
});

async function call<T>(method: string, args: unknown): Promise<T> {
  const r = await dispatch(core!.handlers, method, args, ctx);
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value as T;
}
async function callError(method: string, args: unknown): Promise<{ code: string; message: string }> {
  const r = await dispatch(core!.handlers, method, args, ctx);
  if (r.ok) throw new Error(`${method} should have failed`);
  return r.error;
}

/** Independent wall-clock of a UTC instant in London. */
const fmt = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', weekday: 'short', year: 'numeric', month: '2-digit', day: '2-digit' });
function london(ms: number): { date: string; minutes: number; weekday: string } {
  const p = Object.fromEntries(fmt.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  return { date: `${p.year}-${p.month}-${p.day}`, minutes: Number(p.hour) * 60 + Number(p.minute), weekday: p.weekday!.toLowerCase().slice(0, 3) };
}

/** A long-format CSV of half-hours from `fromIso` (UTC) for `n` half-hours, kWh = f(i). */
function series(fromIso: string, n: number, f: (i: number) => number | null): { csv: string; rows: { ms: number; kwh: number | null }[] } {
  const start = Date.parse(fromIso);
  const rows = Array.from({ length: n }, (_, i) => ({ ms: start + i * 1800000, kwh: f(i) }));
  const csv = ['MPAN,Timestamp,kWh', ...rows.map((r) => `${MPAN},${new Date(r.ms).toISOString()},${r.kwh ?? ''}`)].join('\n');
  return { csv, rows };
}

const E7 = {
  id: 'acme-e7-2025',
  name: 'Acme Economy 7',
  supplier: 'Acme',
  fuel: 'electricity',
  validFrom: '2025-01-01',
  validTo: null,
  standingChargePencePerDay: 45.2,
  vatRate: 0.05,
  cclPencePerKwh: 0,
  rates: [
    { pencePerKwh: 13.1, from: '00:30', to: '07:30', days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun', 'holiday'] },
    { pencePerKwh: 31.9, from: '07:30', to: '00:30', days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun', 'holiday'] },
  ],
  halfHourlyPrices: null,
};

describe('cost on the issue example tariff (Economy 7) across the autumn clock change', () => {
  it('prices every half-hour by its local start, counts local days for standing charges, applies VAT once at the end', async () => {
    core = await makeCore();
    // 2025-10-25 00:00 BST (= 10-24T23:00Z) for three local days: 48 + 50 + 48 half-hours
    const { csv, rows } = series('2025-10-24T23:00:00Z', 146, (i) => ((i * 37) % 11) / 10 + 0.05);
    await importFiles(core, [writeTemp('e7.csv', csv)]);
    await call('tariffs.import', { text: JSON.stringify({ tariffs: [E7] }) });
    await call('tariffs.assign', { meter: MPAN, tariff: 'acme-e7-2025', from: '2025-01-01' });
    const cost = await call<CostResult>('cost.meter', { meter: MPAN, from: '2025-10-25', to: '2025-10-28' });

    let night = 0;
    let day = 0;
    for (const r of rows) {
      const m = london(r.ms).minutes;
      if (m >= 30 && m < 450) night += r.kwh!;
      else day += r.kwh!;
    }
    const unit = night * 13.1 + day * 31.9;
    const standing = 3 * 45.2;
    const total = (unit + standing) * 1.05;
    expect(cost.expectedHalfHours).toBe(146);
    expect(cost.missingHalfHours).toBe(0);
    expect(cost.kwh).toBeCloseTo(night + day, 6);
    expect(cost.standingChargePence).toBeCloseTo(standing, 6);
    expect(cost.unitCostPence).toBeCloseTo(unit, 3);
    expect(cost.vatPence).toBeCloseTo((unit + standing) * 0.05, 3);
    expect(cost.totalPence).toBeCloseTo(total, 3);
    const bands = Object.fromEntries(cost.bands.map((b) => [b.name, b]));
    expect(bands['00:30–07:30']!.kwh).toBeCloseTo(night, 6);
    expect(bands['07:30–00:30']!.kwh).toBeCloseTo(day, 6);
    expect(bands['07:30–00:30']!.pencePerKwh).toBe(31.9);
    expect(cost.tariff).toBe('acme-e7-2025');
    // the repeated 01:00–02:00 hour on 26 October is night both times: 16 night half-hours that day
    const oct26Night = rows.filter((r) => london(r.ms).date === '2025-10-26' && london(r.ms).minutes >= 30 && london(r.ms).minutes < 450).length;
    expect(oct26Night).toBe(16);
  });
});
