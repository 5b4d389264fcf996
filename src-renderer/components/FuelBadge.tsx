import type { Fuel } from '../../src-shared/contract/types';

export const FUEL_NAME: Record<Fuel, string> = { electricity: 'Electricity', gas: 'Gas' };

export function FuelBadge({ fuel }: { fuel: Fuel }) {
  return <span className={`fuel fuel-${fuel}`}>{FUEL_NAME[fuel]}</span>;
}
