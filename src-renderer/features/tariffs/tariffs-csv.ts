/** The tariffs list as CSV columns (table-export.ts): each tariff as shown, its prices today in pence. */
import type { Tariff } from '../../../src-shared/contract/types';
import { FUEL_NAME } from '../../components/FuelBadge';
import type { CsvColumn } from '../../components/table-export';
import { KIND_LABEL, regionText } from './text';
import { currentVersion, unitRatesText } from './versions';

/** The list's columns on UK day `today` (`YYYY-MM-DD`): the version in force then (or the next) gives the prices. */
export function tariffCsvColumns(today: string): CsvColumn<Tariff>[] {
  const now = (t: Tariff) => currentVersion(t, today);
  return [
    { header: 'Fuel', value: (t) => FUEL_NAME[t.fuel] },
    { header: 'Tariff', value: (t) => t.name },
    { header: 'Tariff id', value: (t) => t.id },
    { header: 'State', value: (t) => (t.active ? 'Active' : 'Ended') },
    { header: 'Supplier default', value: (t) => (t.isDefault ? 'yes' : 'no') },
    { header: 'Supplier', value: (t) => t.supplier },
    { header: 'Type', value: (t) => KIND_LABEL[t.kind] },
    { header: 'Sold in', value: (t) => regionText(t.regions, 14) },
    { header: 'Standing charge (p/day)', value: (t) => now(t)?.spec.standingChargePencePerDay },
    { header: 'VAT rate', value: (t) => now(t)?.spec.vatRate },
    { header: 'Unit rates now', value: (t) => unitRatesText(t, now(t)) || null },
    { header: 'Prices from', value: (t) => now(t)?.validFrom },
  ];
}
