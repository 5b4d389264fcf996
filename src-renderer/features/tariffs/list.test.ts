import { describe, expect, it } from 'vitest';
import { filterTariffs, groupByFuel } from './list';
import { tariff } from './testing';

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
