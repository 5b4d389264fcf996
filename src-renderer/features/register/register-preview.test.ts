import { describe, expect, it } from 'vitest';
import type { RegisterImportResult, SiteSuggestion } from '../../../src-shared/contract/types';
import {
  acceptItems,
  base64OfBytes,
  changedLines,
  countsText,
  fieldWord,
  suggestionKey,
  valueText,
} from './register-preview';

const result = (over: Partial<RegisterImportResult>): RegisterImportResult => ({
  dryRun: true,
  sitesCreated: 0,
  sitesUpdated: 0,
  metersCreated: 0,
  metersUpdated: 0,
  errors: [],
  changes: [],
  ignoredColumns: [],
  ...over,
});

describe('the register preview', () => {
  it('says the counts in words, before and after', () => {
    const r = result({ sitesCreated: 2, sitesUpdated: 1, metersCreated: 5, metersUpdated: 0 });
    expect(countsText(r)).toBe('2 sites to create, 1 to change · 5 meters to create');
    expect(countsText(r, true)).toBe('2 sites created, 1 changed · 5 meters created');
    expect(countsText(result({ metersUpdated: 1 }))).toBe('1 meter to change');
    expect(countsText(result({}))).toBe('Nothing to change: every site and meter is as the register says');
  });

  it('lists the lines that change something, each field as before → after', () => {
    const r = result({
      changes: [
        { line: 2, entity: 'site', key: 'A', action: 'unchanged', fields: [] },
        {
          line: 3,
          entity: 'meter',
          key: 'M',
          action: 'update',
          fields: [{ field: 'capacityKva', from: '60', to: '80' }],
        },
      ],
    });
    expect(changedLines(r).map((c) => c.line)).toEqual([3]);
    expect([fieldWord('capacityKva'), valueText({ field: 'capacityKva', from: '60', to: '80' })]).toEqual([
      'capacity (kVA)',
      '60 → 80',
    ]);
    expect(valueText({ field: 'postcode', from: null, to: 'BA1 7UB' })).toBe('BA1 7UB');
  });

  it('shows a tariff by its name and its first day as a UK date', () => {
    const names = new Map([
      ['acme-flat-2025', 'Acme Business Fixed'],
      ['acme-night-2025', 'Acme Night Saver'],
    ]);
    const f = { field: 'tariff', from: 'acme-flat-2025 from 2025-02-03', to: 'acme-night-2025 from 2025-06-15' };
    expect(valueText(f, names)).toBe('Acme Business Fixed from 03/02/2025 → Acme Night Saver from 15/06/2025');
    // a tariff the list does not name (yet) keeps its id; the date is still written the UK way
    expect(valueText({ field: 'tariff', from: null, to: 'other-2024 from 2024-12-31' }, names)).toBe(
      'other-2024 from 31/12/2024',
    );
    // other fields are shown as they come, even when they look like a tariff's
    expect(valueText({ field: 'label', from: null, to: 'Main from 2025-01-01' }, names)).toBe('Main from 2025-01-01');
  });

  it('encodes bytes as base64, across the pieces it is made in', () => {
    expect(base64OfBytes(new TextEncoder().encode('Man'))).toBe('TWFu');
    const bytes = new Uint8Array(100_000).map((_, i) => (i * 7919) % 256);
    const back = atob(base64OfBytes(bytes));
    expect(Uint8Array.from(back, (c) => c.charCodeAt(0))).toEqual(bytes);
  });
});

describe('accepting site suggestions', () => {
  const list: SiteSuggestion[] = [
    { name: 'Bathford School', address: 'Church St', postcode: 'BA1 7UB', meters: ['1'], existingSiteId: null },
    { name: 'Guildhall', address: null, postcode: null, meters: ['2', '3'], existingSiteId: 4 },
  ];
  const [a, b] = list.map(suggestionKey) as [string, string];

  it('sends the chosen ones under the names typed, postcodes written properly', () => {
    const r = acceptItems(list, { [a]: { chosen: true, name: ' Bathford Primary ', postcode: 'ba17ub' } }, false);
    expect(r).toEqual({
      ok: true,
      items: [
        { name: 'Bathford Primary', address: 'Church St', postcode: 'BA1 7UB', meters: ['1'] },
        { name: 'Guildhall', address: null, postcode: null, meters: ['2', '3'] },
      ],
    });
  });

  it('dismisses as offered, and leaves out what is not chosen', () => {
    const r = acceptItems(list, { [a]: { chosen: false, name: 'x', postcode: '' } }, true);
    expect(r).toEqual({ ok: true, items: [{ name: 'Guildhall', meters: ['2', '3'], dismiss: true }] });
  });

  it('refuses a blank name or a postcode that is not one, per suggestion', () => {
    const r = acceptItems(
      list,
      { [a]: { chosen: true, name: '  ', postcode: '' }, [b]: { chosen: true, name: 'Guildhall', postcode: 'BA1' } },
      false,
    );
    expect(r).toEqual({
      ok: false,
      errors: { [a]: 'A site needs a name', [b]: '“BA1” is not a UK postcode (e.g. BA1 7UB)' },
    });
  });
});
