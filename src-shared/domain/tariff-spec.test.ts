import { describe, expect, it } from 'vitest';
import { bandProblems, compileRates, tariffFileSchema, tariffSpecSchema } from './tariff-spec';

const base = {
  id: 't1',
  name: 'T',
  supplier: 'S',
  fuel: 'electricity',
  validFrom: '2025-01-01',
  standingChargePencePerDay: 40,
  vatRate: 0.05,
};
const parse = (extra: Record<string, unknown>) => tariffSpecSchema.safeParse({ ...base, ...extra });
const messages = (r: ReturnType<typeof parse>) => (r.success ? [] : r.error.issues.map((i) => i.message));

describe('tariff rates', () => {
  it('accepts a single all-day rate with no times or days', () => {
    expect(parse({ rates: [{ pencePerKwh: 24.5 }] }).success).toBe(true);
  });

  it('accepts windows that wrap past midnight and treats from = to as the whole day', () => {
    expect(
      parse({
        rates: [
          { pencePerKwh: 10, from: '23:00', to: '06:00' },
          { pencePerKwh: 30, from: '06:00', to: '23:00' },
        ],
      }).success,
    ).toBe(true);
    expect(parse({ rates: [{ pencePerKwh: 10, from: '00:00', to: '00:00' }] }).success).toBe(true);
  });

  it('rejects overlapping rates, naming the rates, the days and the times', () => {
    const r = parse({
      rates: [
        { pencePerKwh: 10, from: '00:00', to: '08:00' },
        { pencePerKwh: 30, from: '07:00', to: '00:00' },
      ],
    });
    expect(r.success).toBe(false);
    expect(messages(r).join('\n')).toMatch(/rates 1 and 2 overlap on every day from 07:00 to 08:00/);
  });

  it('rejects gaps, naming the uncovered times and days', () => {
    const r = parse({
      rates: [
        { pencePerKwh: 10, from: '00:00', to: '07:00', days: ['weekday'] },
        { pencePerKwh: 30, from: '07:30', to: '00:00', days: ['weekday'] },
        { pencePerKwh: 20, days: ['weekend'] },
      ],
    });
    expect(r.success).toBe(false);
    const text = messages(r).join('\n');
    expect(text).toMatch(/no rate covers 07:00–07:30 on Mondays, Tuesdays, Wednesdays, Thursdays, Fridays:/);
    expect(text).not.toMatch(/Saturdays/);
  });

  it('requires holidays to be covered only when a rate names them', () => {
    expect(parse({ rates: [{ pencePerKwh: 10, days: ['all'] }] }).success).toBe(true);
    const r = parse({
      rates: [
        { pencePerKwh: 10, days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] },
        { pencePerKwh: 5, from: '00:00', to: '12:00', days: ['holiday'] },
      ],
    });
    expect(messages(r).join('\n')).toMatch(/no rate covers 12:00–24:00 on bank holidays/);
  });

  it('rejects unknown days, bad times, VAT other than 0/5/20 %, and a validTo not after validFrom', () => {
    expect(messages(parse({ rates: [{ pencePerKwh: 10, days: ['funday'] }] })).join()).toMatch(/unknown day "funday"/);
    expect(messages(parse({ rates: [{ pencePerKwh: 10, from: '7.30', to: '08:00' }] })).join()).toMatch(/HH:MM/);
    expect(messages(parse({ vatRate: 0.175, rates: [{ pencePerKwh: 10 }] })).join()).toMatch(/vatRate/);
    expect(messages(parse({ validTo: '2024-12-31', rates: [{ pencePerKwh: 10 }] })).join()).toMatch(
      /must be after validFrom/,
    );
  });

  it('needs rates unless the tariff is dynamic', () => {
    expect(messages(parse({})).join()).toMatch(/at least one rate/);
    expect(parse({ halfHourlyPrices: [] }).success).toBe(true);
  });

  it('parses the issue example file', () => {
    const file = {
      tariffs: [
        {
          ...base,
          id: 'acme-e7-2025',
          validTo: null,
          cclPencePerKwh: 0,
          halfHourlyPrices: null,
          rates: [
            {
              pencePerKwh: 13.1,
              from: '00:30',
              to: '07:30',
              days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun', 'holiday'],
            },
            {
              pencePerKwh: 31.9,
              from: '07:30',
              to: '00:30',
              days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun', 'holiday'],
            },
          ],
        },
      ],
    };
    expect(tariffFileSchema.safeParse(file).success).toBe(true);
  });

  it('compiles a half-hour to the rate containing its start', () => {
    const c = compileRates([
      { pencePerKwh: 13.1, from: '00:30', to: '07:30' },
      { pencePerKwh: 31.9, from: '07:30', to: '00:30' },
    ]);
    expect(c.table[0]).toBe(1); // 00:00 Monday: day rate
    expect(c.table[1]).toBe(0); // 00:30: night
    expect(c.table[14]).toBe(0); // 07:00
    expect(c.table[15]).toBe(1); // 07:30
    expect(c.names).toEqual(['00:30–07:30', '07:30–00:30']);
    expect(
      bandProblems([
        { pencePerKwh: 1, from: '00:30', to: '07:30' },
        { pencePerKwh: 2, from: '07:30', to: '00:30' },
      ]),
    ).toEqual([]);
  });
});
