/**
 * A site's region derived from its MPANs is the same on every desktop: when its meters' distributors
 * tie, the lower MPAN decides — not the order this desktop happened to store the meters in (sync
 * gives each desktop its own local ids).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../app';
import type { SiteSummary } from '../../../src-shared/contract/types';
import { regionOfMpan } from '../../../src-shared/domain/regions';
import { callAsAdmin, makeCore } from '../../../tests/helpers/core';

const cores: Core[] = [];
afterEach(async () => {
  for (const c of cores.splice(0)) await c.stop();
});

/** A desktop with one site holding `mpans`, stored in that order. */
async function desktop(mpans: string[]): Promise<SiteSummary> {
  const core = await makeCore();
  cores.push(core);
  const site = await callAsAdmin<{ id: number }>(core, 'sites.create', { name: 'Lab' });
  for (const m of mpans)
    core.sqlite
      .prepare("INSERT INTO meters (identifier, kind, fuel, site_id) VALUES (?, 'mpan', 'electricity', ?)")
      .run(m, site.id);
  return (await callAsAdmin<SiteSummary[]>(core, 'sites.list', {})).find((s) => s.id === site.id)!;
}

describe('a site region from its MPANs', () => {
  it('breaks a tie between distributors by the lower MPAN, whatever order the meters were stored in', async () => {
    const east = '1200000000009'; // distributor 12
    const north = '2200000000001'; // distributor 22
    expect(regionOfMpan(east)).not.toBe(regionOfMpan(north));
    const a = await desktop([north, east]);
    const b = await desktop([east, north]);
    expect(a.regionSource).toBe('mpan');
    expect(a.regionId).toBe(regionOfMpan(east));
    expect(b.regionId).toBe(a.regionId);
  });
});
