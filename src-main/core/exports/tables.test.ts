/**
 * Period totals, costs with their breakdown, emissions and alerts exported through the contract:
 * each file checked against the readings summed independently, and the cost breakdown against its total.
 */
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { callAsAdmin, importFiles, makeCore, writeTemp } from '../../../tests/helpers/core';
import { flatTariff } from '../../../tests/fixtures/tariffs';
import type { Core } from '../app';
import { callAs, runExport, type ExportRequest } from './export';

const A = '1200050000009';
const B = '1200050000106';
let c: Core;
afterEach(async () => c?.stop());

/** Two meters over 1–10 March 2025 (local = UTC then): A i % 5 + 1 kWh, B a flat 0.5 kWh, B's first day missing. */
async function setUp(): Promise<{ kwh: Map<string, number[]> }> {
  c = await makeCore();
  const lines = ['MPAN,Timestamp,kWh'];
  const kwh = new Map<string, number[]>([
    [A, []],
    [B, []],
  ]);
  const t0 = Date.UTC(2025, 2, 1) / 1000;
  for (let i = 0; i < 48 * 10; i++) {
    const ts = new Date((t0 + i * 1800) * 1000).toISOString();
    lines.push(`${A},${ts},${(i % 5) + 1}`);
    kwh.get(A)!.push((i % 5) + 1);
    lines.push(`${B},${ts},${i < 48 ? '' : 0.5}`);
    kwh.get(B)!.push(i < 48 ? 0 : 0.5);
  }
  await importFiles(c, [writeTemp('two.csv', lines.join('\n'))]);
  return { kwh };
}

async function csv(req: ExportRequest): Promise<string[][]> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (b: Buffer) => chunks.push(b));
  await runExport(
    { meters: c.meters, readings: c.readings, call: callAs(c.handlers, { role: 'admin', actor: 't' }) },
    req,
    out,
  );
  const text = Buffer.concat(chunks).toString('utf8');
  expect(text.charCodeAt(0)).toBe(0xfeff);
  // a split on commas: the cells checked hold none
  return text
    .slice(1)
    .split('\r\n')
    .slice(0, -1)
    .map((l) => l.split(','));
}

const sum = (xs: number[]): number => xs.reduce((s, x) => s + x, 0);

describe('table exports', () => {
  it('exports period totals of every meter, each day summed as the readings add up', async () => {
    const { kwh } = await setUp();
    const rows = await csv({
      what: 'totals',
      scope: { all: true },
      from: '2025-03-01',
      to: '2025-03-11',
      period: 'day',
    });
    expect(rows[0]!.slice(0, 5)).toEqual(['Meter', 'Period', 'Start (UTC)', 'Start (UK local)', 'kWh']);
    expect(rows).toHaveLength(1 + 20);
    for (const r of rows.slice(1)) {
      const day = Number(r[1]!.slice(8)) - 1;
      expect(Number(r[4])).toBeCloseTo(sum(kwh.get(r[0]!)!.slice(day * 48, day * 48 + 48)), 9);
      expect(r[3]).toBe(`${r[1]!.slice(8)}/03/2025 00:00`);
    }
    const bFirst = rows.find((r) => r[0] === B && r[1] === '2025-03-01')!;
    expect(bFirst[13]).toBe('48'); // missing half-hours
  });

  it("exports a meter's cost breakdown whose charges add up to its total, and says why a meter is not priced", async () => {
    const { kwh } = await setUp();
    await callAsAdmin(c, 'tariffs.import', { text: JSON.stringify({ tariffs: [flatTariff({ id: 'flat' })] }) });
    await callAsAdmin(c, 'tariffs.assign', { meter: A, tariff: 'flat', from: '2025-01-01' });
    const rows = await csv({ what: 'costs', scope: { all: true }, from: '2025-03-01', to: '2025-03-11' });
    const a = rows.filter((r) => r[0] === A);
    const total = a.find((r) => r[4] === 'Total')!;
    const charges = a.filter((r) => r[4] !== 'Total');
    expect(charges.map((r) => r[4])).toEqual(['Energy: Unit rate', 'Standing charge', 'Climate Change Levy', 'VAT']);
    expect(sum(charges.map((r) => Number(r[9])))).toBeCloseTo(Number(total[9]), 3);
    // by hand: 27.4 p/kWh, 55 p/day for 10 days, CCL 0.775 p/kWh, VAT 20 %
    const k = sum(kwh.get(A)!);
    const net = k * 27.4 + 10 * 55 + k * 0.775;
    expect(Number(total[9])).toBeCloseTo(net * 1.2, 3);
    expect(Number(total[8])).toBe(Math.round(net * 1.2) / 100);
    const b = rows.filter((r) => r[0] === B);
    expect(b).toHaveLength(1);
    expect(b[0]![4]).toBe('Not priced');
    // the reason, quoted (it holds a comma)
    expect(b[0]!.slice(10).join(',')).toMatch(/^"1200050000106 has no tariff for 2025-03-01.*"$/);
  });

  it('exports emissions per meter by the annual factor', async () => {
    const { kwh } = await setUp();
    const rows = await csv({
      what: 'emissions',
      scope: { meter: B },
      from: '2025-03-01',
      to: '2025-03-11',
      method: 'annual',
    });
    expect(rows).toHaveLength(2);
    expect(rows[1]!.slice(0, 4)).toEqual([B, '2025-03-01', '2025-03-11', 'annual']);
    expect(Number(rows[1]![4])).toBeCloseTo(sum(kwh.get(B)!), 9);
    const factor = Number(rows[1]![5]) / Number(rows[1]![4]);
    expect(factor).toBeGreaterThan(0.1);
    expect(factor).toBeLessThan(0.3);
  });

  it('writes computed kWh and kgCO2e to 3 decimals (the gram), without float noise', async () => {
    const { kwh } = await setUp();
    await callAsAdmin(c, 'carbon.setFactor', { year: 2025, fuel: 'electricity', kgPerKwh: 0.2070512 });
    const rows = await csv({
      what: 'emissions',
      scope: { meter: A },
      from: '2025-03-01',
      to: '2025-03-11',
      method: 'annual',
    });
    const args = { meter: A, from: '2025-03-01', to: '2025-03-11', method: 'annual' } as const;
    const raw = await callAsAdmin<{ kgco2: number }>(c, 'emissions.meter', args);
    // by hand: 1440 kWh × 0.2070512 = 298.153728 kg, to the gram 298.154
    expect(sum(kwh.get(A)!)).toBe(1440);
    expect(raw.kgco2).toBeCloseTo(298.153728, 5);
    expect(rows[1]![5]).toBe('298.154');
    expect(rows[1]![4]).toBe('1440');
    const totals = await csv({
      what: 'totals',
      scope: { meter: A },
      from: '2025-03-01',
      to: '2025-03-11',
      period: 'month',
    });
    for (const cell of totals[1]!.slice(4).filter((x) => /^[\d.]+$/.test(x))) expect(cell).toMatch(/^\d+(\.\d{1,6})?$/);
  });

  it('exports the alerts fired in the range about the scope, with text that could be a formula neutralised', async () => {
    await setUp();
    const meterId = (m: string) => c.meters.meterId(m);
    const add = c.sqlite.prepare(
      "INSERT INTO alerts (rule_id, kind, subject, period, severity, status, fired_at, message, meter_id, site_id, channels) VALUES ('r', 'daily-kwh-above', ?, ?, 'warning', 'open', ?, ?, ?, NULL, '[]')",
    );
    add.run(A, '2025-03-02', Date.UTC(2025, 2, 3, 7) / 1000, '=1+1 kWh', meterId(A));
    add.run(A, '2025-04-02', Date.UTC(2025, 3, 3, 7) / 1000, 'later', meterId(A));
    add.run(B, '2025-03-02', Date.UTC(2025, 2, 3, 8) / 1000, 'other meter', meterId(B));
    const rows = await csv({ what: 'alerts', scope: { meter: A }, from: '2025-03-01', to: '2025-04-01' });
    expect(rows).toHaveLength(2);
    expect(rows[1]!.slice(1, 4)).toEqual(['2025-03-03T07:00:00Z', '03/03/2025 07:00', 'warning']);
    expect(rows[1]![10]).toBe("'=1+1 kWh");
    const all = await csv({ what: 'alerts', scope: { all: true }, from: '2025-03-01', to: '2025-05-01' });
    // newest first
    expect(all.slice(1).map((r) => r[10])).toEqual(['later', 'other meter', "'=1+1 kWh"]);
  });
});
