/**
 * Carbon Intensity API regions and the MPAN distributor ids that map to them
 * (fixtures/reference/carbon-intensity-regions.csv). IDNOs (24–38) can sit in any region, so
 * they map to none: a site with only IDNO meters needs its region chosen.
 */
export const REGION_NAMES: Record<number, string> = {
  1: 'North Scotland',
  2: 'South Scotland',
  3: 'North West England',
  4: 'North East England',
  5: 'Yorkshire',
  6: 'North Wales & Merseyside',
  7: 'South Wales',
  8: 'West Midlands',
  9: 'East Midlands',
  10: 'East England',
  11: 'South West England',
  12: 'South England',
  13: 'London',
  14: 'South East England',
  15: 'England',
  16: 'Scotland',
  17: 'Wales',
};

const BY_DISTRIBUTOR: Record<string, number> = { '10': 10, '11': 9, '12': 13, '13': 6, '14': 8, '15': 4, '16': 3, '17': 1, '18': 2, '19': 14, '20': 12, '21': 7, '22': 11, '23': 5 };

/** The region of an MPAN core's distributor (its first two digits), or null (IDNO, MPRN, other ids). */
export function regionOfMpan(core: string): number | null {
  if (!/^\d{13}$/.test(core)) return null;
  return BY_DISTRIBUTOR[core.slice(0, 2)] ?? null;
}

/** The distributor (10–23) whose home area is a Carbon Intensity region 1–14, or null (15–17 are whole nations). */
export function distributorOfRegion(regionId: number): number | null {
  for (const [dist, region] of Object.entries(BY_DISTRIBUTOR)) if (region === regionId) return Number(dist);
  return null;
}
