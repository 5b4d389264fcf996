/** An energy figure for a tile, card or total, scaled by the one rule (lib/format scaleEnergy): `9,539 MWh`. */
import { scaleEnergy } from '../lib/format';

export function Energy({ kwh, numberClass }: { kwh: number | null | undefined; numberClass?: string }) {
  const s = scaleEnergy(kwh);
  return (
    <>
      <span className={numberClass}>{s.value}</span> <span className="unit">{s.unit}</span>
    </>
  );
}
