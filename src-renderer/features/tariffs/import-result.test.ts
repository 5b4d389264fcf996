import { describe, expect, it } from 'vitest';
import { humanPath, importSummary, pricesSummary, splitProblems } from './import-result';

describe('import results and errors', () => {
  it('summarises an import', () => {
    expect(importSummary({ tariffs: 3, versionsAdded: 2, versionsReplaced: 0, unchanged: 1, prices: 0, ids: [] })).toBe(
      '3 tariffs: 2 versions added, 1 unchanged',
    );
    expect(
      importSummary({ tariffs: 1, versionsAdded: 1, versionsReplaced: 1, unchanged: 0, prices: 48, ids: [] }),
    ).toBe('1 tariff: 1 version added, 1 version corrected, 48 half-hourly prices stored');
    expect(pricesSummary({ prices: 2, first: 'a', last: 'b' }, (s) => s.toUpperCase())).toBe(
      'Stored 2 half-hourly prices from A to B',
    );
  });

  it('splits the core BAD_INPUT message into readable problems', () => {
    const msg =
      'bad.json: nothing was imported; 3 problems: tariffs[0] ("x").rates: rates 1 and 2 overlap on every day from 07:00 to 08:00: each half-hour must belong to exactly one rate; tariffs[1].name: a tariff needs a name; tariffs[1] ("y").rates.0.pencePerKwh: pencePerKwh must be a number (pence)';
    const r = splitProblems(msg);
    expect(r.summary).toBe('bad.json: nothing was imported; 3 problems');
    expect(r.items).toEqual([
      {
        where: 'Tariff 1 “x” › rates',
        message:
          'rates 1 and 2 overlap on every day from 07:00 to 08:00: each half-hour must belong to exactly one rate',
      },
      { where: 'Tariff 2 › name', message: 'a tariff needs a name' },
      { where: 'Tariff 2 “y” › rates › rate 1 › pencePerKwh', message: 'pencePerKwh must be a number (pence)' },
    ]);
    expect(r.more).toBe(false);
    expect(splitProblems('f.json: nothing was imported; 1 problem: a: b; …').more).toBe(true);
    // with the file name known, the summary drops what the page already says
    const named = splitProblems(
      'f.json: nothing was imported; 2 problems: tariffs[0].name: Invalid input: expected string, received undefined; tariffs[0].vatRate: vatRate is 0.05 (5 %), 0.2 (20 %) or 0',
      'f.json',
    );
    expect(named.summary).toBe('2 problems');
    expect(named.items).toEqual([
      { where: 'Tariff 1 › name', message: 'missing: this field is required' },
      { where: 'Tariff 1 › vatRate', message: 'vatRate is 0.05 (5 %), 0.2 (20 %) or 0' },
    ]);
  });

  it('keeps a message without a list whole', () => {
    const msg =
      'bad.json is not valid JSON at line 3, column 5: Unexpected token. A tariff file is { "tariffs": [ … ] } (docs/tariffs.md).';
    expect(splitProblems(msg)).toEqual({ summary: msg, items: [], more: false });
    expect(humanPath('tariffs[3]')).toBe('Tariff 4');
  });
});
