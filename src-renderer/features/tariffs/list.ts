/** The Tariffs page's list: filtering by fuel, search and ended tariffs, and grouping by fuel. Pure. */
import type { Fuel, Tariff } from '../../../src-shared/contract/types';

export interface ListFilter {
  fuel: Fuel | 'all';
  showEnded: boolean;
  search: string;
}

export function filterTariffs(list: readonly Tariff[], f: ListFilter): Tariff[] {
  const q = f.search.trim().toLowerCase();
  return list.filter(
    (t) =>
      (f.fuel === 'all' || t.fuel === f.fuel) &&
      (f.showEnded || t.active) &&
      (q === '' ||
        t.name.toLowerCase().includes(q) ||
        t.supplier.toLowerCase().includes(q) ||
        t.id.toLowerCase().includes(q)),
  );
}

/** Electricity first, then gas; within a fuel, active before ended, then supplier and name. */
export function groupByFuel(list: readonly Tariff[]): { fuel: Fuel; tariffs: Tariff[] }[] {
  const out: { fuel: Fuel; tariffs: Tariff[] }[] = [];
  for (const fuel of ['electricity', 'gas'] as const) {
    const tariffs = list
      .filter((t) => t.fuel === fuel)
      .sort(
        (a, b) =>
          Number(b.active) - Number(a.active) ||
          a.supplier.localeCompare(b.supplier) ||
          a.name.localeCompare(b.name) ||
          a.id.localeCompare(b.id),
      );
    if (tariffs.length > 0) out.push({ fuel, tariffs });
  }
  return out;
}
