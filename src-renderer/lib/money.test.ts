import { describe, expect, it } from 'vitest';
import {
  formatPounds,
  formatPoundsShort,
  formatRate,
  formatSavingPercent,
  formatSaving,
  formatVatRate,
  penceToPounds,
  roundPence,
  savingTone,
} from './money';

describe('money', () => {
  it('rounds pence half-up to the penny, away from zero for negatives', () => {
    expect(roundPence(2756.46)).toBe(2756);
    expect(roundPence(2756.5)).toBe(2757);
    expect(roundPence(2756.4999)).toBe(2756);
    expect(roundPence(0.5)).toBe(1);
    expect(roundPence(-0.5)).toBe(-1);
    expect(roundPence(-12.49)).toBe(-12);
    expect(roundPence(-0.4)).toBe(0);
    expect(Object.is(roundPence(-0.4), -0)).toBe(false);
    // 1.005 £ → 100.5p is not exactly representable; it must still round up
    expect(roundPence(1.005 * 100)).toBe(101);
  });

  it('shows pence as pounds with thousands separators and two decimals', () => {
    expect(formatPounds(123456)).toBe('£1,234.56');
    expect(formatPounds(2756.46)).toBe('£27.56');
    expect(formatPounds(2756.5)).toBe('£27.57');
    expect(formatPounds(5)).toBe('£0.05');
    expect(formatPounds(0)).toBe('£0.00');
    expect(formatPounds(99.5)).toBe('£1.00');
    expect(formatPounds(123456789)).toBe('£1,234,567.89');
    expect(formatPounds(-1230)).toBe('−£12.30');
    expect(formatPounds(-0.2)).toBe('£0.00');
    expect(formatPounds(null)).toBe('—');
    expect(formatPounds(Number.NaN)).toBe('—');
  });

  it('says a saving one way, in words, and converts to pounds for charts', () => {
    expect(formatSaving(1230)).toBe('saves £12.30');
    expect(formatSaving(-400)).toBe('costs £4.00 more');
    expect(formatSaving(0.3)).toBe('costs the same');
    expect(formatSaving(56, { capital: true })).toBe('Saves £0.56');
    expect(formatSaving(-56, { capital: true })).toBe('Costs £0.56 more');
    expect(formatSaving(null)).toBe('—');
    expect(penceToPounds(123456.5)).toBe(1234.57);
    expect(penceToPounds(-99.5)).toBe(-1);
    expect(savingTone(0.4)).toBe('even');
    expect(savingTone(0.5)).toBe('saving');
    expect(savingTone(-0.5)).toBe('extra');
  });

  it('writes unit rates, percentages, VAT and axis labels as people read them', () => {
    expect(formatRate(13.1)).toBe('13.1p');
    expect(formatRate(0.775)).toBe('0.775p');
    expect(formatRate(24)).toBe('24p');
    expect(formatRate(12.34567)).toBe('12.3457p');
    expect(formatRate(-2)).toBe('−2p');
    expect(formatRate(null)).toBe('—');
    expect(formatSavingPercent(12.345)).toBe('12.3 %');
    expect(formatSavingPercent(-4)).toBe('−4.0 %');
    expect(formatSavingPercent(-0.01)).toBe('0.0 %');
    expect(formatSavingPercent(null)).toBe('—');
    expect(formatVatRate(0.05)).toBe('5 %');
    expect(formatVatRate(0.2)).toBe('20 %');
    expect(formatVatRate(0)).toBe('0 %');
    expect(formatPoundsShort(950)).toBe('£950');
    expect(formatPoundsShort(1200)).toBe('£1.2k');
    expect(formatPoundsShort(12500)).toBe('£13k');
    expect(formatPoundsShort(1500000)).toBe('£1.5m');
    expect(formatPoundsShort(2.5)).toBe('£2.5');
    expect(formatPoundsShort(-300)).toBe('−£300');
  });
});
