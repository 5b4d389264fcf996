import { describe, expect, it } from 'vitest';
import { REGION_NAMES, regionOfMpan } from './regions';

describe('regions', () => {
  it('maps MPAN distributor ids to Carbon Intensity regions, and IDNOs and MPRNs to none', () => {
    expect(regionOfMpan('1012477457919')).toBe(10); // EELC → East England
    expect(regionOfMpan('2200012767323')).toBe(11); // SWEB → South West England
    expect(regionOfMpan('1712423842469')).toBe(1); // HYDE → North Scotland
    expect(regionOfMpan('2700003645222')).toBeNull(); // IDNO
    expect(regionOfMpan('7654321')).toBeNull();
    expect(REGION_NAMES[13]).toBe('London');
  });
});
