import { describe, expect, it } from 'vitest';
import { formatDuration, formatUkDateTime } from './format';

describe('formatUkDateTime', () => {
  it('shows UK local time across the autumn clock change', () => {
    expect(formatUkDateTime('2025-10-26T00:30:00Z')).toBe('26 Oct 2025 01:30');
    expect(formatUkDateTime('2025-10-26T01:30:00Z')).toBe('26 Oct 2025 01:30');
    expect(formatUkDateTime('2025-10-26T00:30:00Z', { zone: true })).toBe('26 Oct 2025 01:30 BST');
    expect(formatUkDateTime('2025-10-26T01:30:00Z', { zone: true })).toBe('26 Oct 2025 01:30 GMT');
  });
  it('shows midnight as 00:00 and null as a dash', () => {
    expect(formatUkDateTime('2025-01-01T00:00:00Z')).toBe('1 Jan 2025 00:00');
    expect(formatUkDateTime(null)).toBe('—');
  });
});

describe('formatDuration', () => {
  it('reads naturally', () => {
    expect(formatDuration(4.2)).toBe('4 s');
    expect(formatDuration(185)).toBe('3 min 05 s');
    expect(formatDuration(3720)).toBe('1 h 02 min');
    expect(formatDuration(null)).toBe('—');
  });
});
