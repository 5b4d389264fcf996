/** Adding up emissions across a site's meters. */
import type { Emissions, Fuel } from '../../../src-shared/contract/types';

export type Method = 'halfhourly' | 'regional' | 'annual';

/** One fuel's emissions by one method, added up over meters. */
export interface SiteEmissions {
  fuel: Fuel;
  method: Method;
  kwh: number;
  kgco2: number;
  coverage: number;
}

/** Sums per-meter emissions into one figure per fuel and method (coverage weighted by kWh); fuels are never mixed. */
export function sumEmissions(parts: { fuel: Fuel; method: Method; e: Emissions }[]): SiteEmissions[] {
  const acc = new Map<string, { fuel: Fuel; method: Method; kwh: number; kgco2: number; covered: number }>();
  for (const p of parts) {
    const k = `${p.fuel}:${p.method}`;
    const a = acc.get(k) ?? { fuel: p.fuel, method: p.method, kwh: 0, kgco2: 0, covered: 0 };
    a.kwh += p.e.kwh;
    a.kgco2 += p.e.kgco2;
    a.covered += p.e.kwh * p.e.coverage;
    acc.set(k, a);
  }
  return [...acc.values()].map((a) => ({
    fuel: a.fuel,
    method: a.method,
    kwh: a.kwh,
    kgco2: a.kgco2,
    coverage: a.kwh > 0 ? a.covered / a.kwh : 0,
  }));
}

/**
 * Why a figure of CO2 is not available, or null when it is. A 0 that means "unknown" is never shown
 * as a number: no half-hour of the period had an intensity (half-hourly) or a factor (annual).
 */
export function emissionsUnavailable(
  e: Pick<Emissions, 'kwh' | 'kgco2' | 'coverage'> & { method: Emissions['method'] | Method },
): string | null {
  if (e.coverage > 0) return null;
  if (e.kwh === 0 && e.kgco2 === 0) return 'No readings in this period.';
  return e.method === 'annual'
    ? 'No annual conversion factor covers these years: add one in Carbon.'
    : 'No grid carbon intensity is stored for these dates: fetch it in Carbon.';
}
