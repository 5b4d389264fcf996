import { describe, expect, it } from 'vitest';
import {
  formatAgo,
  formatChangePercent,
  formatDuration,
  formatEnergy,
  formatMs,
  formatPeriodLabel,
  formatShare,
  formatSignedEnergy,
  formatUkDateTime,
} from './format';

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

describe('energy and change formatting', () => {
  it('uses thousands separators, one decimal when small and none when large', () => {
    expect(formatEnergy(87.44)).toBe('87.4');
    expect(formatEnergy(12345.6)).toBe('12,346');
    expect(formatEnergy(0)).toBe('0.0');
    expect(formatEnergy(null)).toBe('—');
    expect(formatSignedEnergy(-1234.5)).toBe('−1,235');
    expect(formatSignedEnergy(2.25)).toBe('+2.3');
  });
  it('signs percentages and shows shares', () => {
    expect(formatChangePercent(12.34)).toBe('+12.3 %');
    expect(formatChangePercent(-4)).toBe('−4.0 %');
    expect(formatChangePercent(null)).toBe('—');
    expect(formatShare(0.9612)).toBe('96.1 %');
    expect(formatShare(1)).toBe('100 %');
    expect(formatShare(0.5)).toBe('50 %');
  });
  it('reads period labels in UK style', () => {
    expect(formatPeriodLabel('2025-03-30')).toBe('Sun 30 Mar 2025');
    expect(formatPeriodLabel('2025-W13')).toBe('Week 13, 2025 (24 Mar – 30 Mar)');
    expect(formatPeriodLabel('2025-W01')).toBe('Week 1, 2025 (30 Dec – 5 Jan)');
    expect(formatPeriodLabel('2025-03')).toBe('March 2025');
    expect(formatPeriodLabel('2025')).toBe('2025');
    expect(formatPeriodLabel('2025-03-30', { short: true })).toBe('30 Mar');
    expect(formatPeriodLabel('2025-03', { short: true })).toBe('Mar 2025');
  });
  it('says how long ago and how long it took', () => {
    const now = Date.parse('2025-06-10T12:00:00Z');
    expect(formatAgo('2025-06-10T11:55:00Z', now)).toBe('5 min ago');
    expect(formatAgo('2025-06-08T12:00:00Z', now)).toBe('2 days ago');
    expect(formatMs(340)).toBe('340 ms');
    expect(formatMs(1234)).toBe('1.2 s');
  });
});
