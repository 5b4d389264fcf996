/** Test tariffs and builders shared by the tariff modules' tests. */
import type { Tariff, TariffVersion } from '../../../src-shared/contract/types';
import { tariffSpecSchema, type TariffSpec } from '../../../src-shared/domain/tariff-spec';
import { economy7 } from '../../../tests/fixtures/tariffs';

export const E7: TariffSpec = tariffSpecSchema.parse(economy7());

export const BUSINESS = tariffSpecSchema.parse({
  id: 'biz-tou',
  name: 'Business ToU',
  supplier: 'Beta',
  fuel: 'electricity',
  validFrom: '2025-04-01',
  standingChargePencePerDay: 120,
  vatRate: 0.2,
  cclPencePerKwh: 'statutory',
  rates: [
    { name: 'Weekday peak', pencePerKwh: 35, from: '16:00', to: '19:00', days: ['weekday'] },
    { name: 'Weekday day', pencePerKwh: 25, from: '07:00', to: '16:00', days: ['weekday'] },
    { name: 'Weekday day', pencePerKwh: 25, from: '19:00', to: '23:00', days: ['weekday'] },
    { name: 'Night', pencePerKwh: 12, from: '23:00', to: '07:00', days: ['weekday'] },
    { name: 'Weekend', pencePerKwh: 15, days: ['weekend', 'holiday'] },
  ],
  capacityPencePerKvaPerDay: 3.5,
  regions: ['C', 10],
});

export function version(spec: TariffSpec, validTo: string | null = null, prices: TariffVersion['prices'] = null): TariffVersion {
  return { validFrom: spec.validFrom, validTo, spec, prices };
}

export function tariff(over: Partial<Tariff> & { versions: TariffVersion[] }): Tariff {
  return { id: 't', name: 'T', supplier: 'S', fuel: 'electricity', regions: null, isDefault: false, active: true, kind: 'single', ...over };
}
