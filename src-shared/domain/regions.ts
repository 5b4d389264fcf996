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

/** The 14 distribution areas: MPAN distributor id, GSP group letter, area name, and its Carbon Intensity region. */
export const DISTRIBUTORS: readonly { id: number; gsp: string; name: string; region: number }[] = [
  { id: 10, gsp: 'A', name: 'Eastern', region: 10 },
  { id: 11, gsp: 'B', name: 'East Midlands', region: 9 },
  { id: 12, gsp: 'C', name: 'London', region: 13 },
  { id: 13, gsp: 'D', name: 'Merseyside & N Wales', region: 6 },
  { id: 14, gsp: 'E', name: 'West Midlands', region: 8 },
  { id: 15, gsp: 'F', name: 'North East', region: 4 },
  { id: 16, gsp: 'G', name: 'North West', region: 3 },
  { id: 17, gsp: 'P', name: 'North Scotland', region: 1 },
  { id: 18, gsp: 'N', name: 'South Scotland', region: 2 },
  { id: 19, gsp: 'J', name: 'South East', region: 14 },
  { id: 20, gsp: 'H', name: 'Southern', region: 12 },
  { id: 21, gsp: 'K', name: 'South Wales', region: 7 },
  { id: 22, gsp: 'L', name: 'South West', region: 11 },
  { id: 23, gsp: 'M', name: 'Yorkshire', region: 5 },
];

const BY_DISTRIBUTOR: Record<string, number> = Object.fromEntries(DISTRIBUTORS.map((d) => [String(d.id), d.region]));

/** The distributor id (10–23) of a 13-digit MPAN core, or null (IDNO, MPRN, other ids). */
export function distributorOf(identifier: string): number | null {
  if (!/^\d{13}$/.test(identifier)) return null;
  const d = Number(identifier.slice(0, 2));
  return d >= 10 && d <= 23 ? d : null;
}

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
