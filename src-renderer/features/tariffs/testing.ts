/** Test tariffs and builders shared by the tariff modules' tests. */
import type { Tariff, TariffVersion } from '../../../src-shared/contract/types';
import { tariffSpecSchema, type TariffSpec } from '../../../src-shared/domain/tariff-spec';
import { BUSINESS_TOU_RATES, economy7 } from '../../../tests/fixtures/tariffs';

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
  rates: BUSINESS_TOU_RATES,
  capacityPencePerKvaPerDay: 3.5,
  regions: ['C', 10],
});

export function version(
  spec: TariffSpec,
  validTo: string | null = null,
  prices: TariffVersion['prices'] = null,
): TariffVersion {
  return { validFrom: spec.validFrom, validTo, spec, prices };
}

export function tariff(over: Partial<Tariff> & { versions: TariffVersion[] }): Tariff {
  return {
    id: 't',
    name: 'T',
    supplier: 'S',
    fuel: 'electricity',
    regions: null,
    isDefault: false,
    active: true,
    kind: 'single',
    ...over,
  };
}
