import { describe, expect, it } from 'vitest';
import { normalisePostcode } from './postcode';

describe('normalisePostcode', () => {
  it('writes every valid shape with one space and capitals', () => {
    expect(normalisePostcode('ba1 7ub')).toBe('BA1 7UB');
    expect(normalisePostcode('BA17UB')).toBe('BA1 7UB');
    expect(normalisePostcode(' sw1a  1aa ')).toBe('SW1A 1AA');
    expect(normalisePostcode('M1 1AE')).toBe('M1 1AE');
    expect(normalisePostcode('W1A 0AX')).toBe('W1A 0AX');
    expect(normalisePostcode('EC1A 1BB')).toBe('EC1A 1BB');
    expect(normalisePostcode('GIR 0AA')).toBe('GIR 0AA');
  });

  it('refuses what is not a postcode', () => {
    for (const bad of ['', 'BA1', 'BA1 7U', '12345', 'BA1 7UBX', 'B@1 7UB', 'GIR 1AA', '1A1 7UB'])
      expect(normalisePostcode(bad), bad).toBeNull();
  });
});
