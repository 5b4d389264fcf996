import { describe, expect, it } from 'vitest';
import type { Budget } from '../../../src-shared/contract/types';
import { budgetChanges, budgetRows, budgetTotals, monthLabel } from './budget-editor';

const stored: Budget[] = [
  { siteId: 1, month: '2025-03', kwh: 3000, pence: 100050, updatedAt: '', updatedBy: 'a' },
  { siteId: 1, month: '2025-04', kwh: null, pence: 9000, updatedAt: '', updatedBy: 'a' },
];

describe('budget editor', () => {
  it('shows the twelve months of the year with the stored figures written as one types them', () => {
    const rows = budgetRows(2025, [...stored, { ...stored[0]!, month: '2025-05', kwh: 12500.25, pence: 1550000 }]);
    expect(rows).toHaveLength(12);
    expect(rows[0]).toEqual({ month: '2025-01', kwh: '', gbp: '' });
    expect(rows[2]).toEqual({ month: '2025-03', kwh: '3,000', gbp: '£1,000.50' });
    expect(rows[3]).toEqual({ month: '2025-04', kwh: '', gbp: '£90.00' });
    expect(rows[4]).toEqual({ month: '2025-05', kwh: '12,500.25', gbp: '£15,500.00' });
    expect(monthLabel('2025-12')).toBe('Dec 2025');
  });

  it('sends only the months that changed, £ as pence, an emptied month as both null', () => {
    const rows = budgetRows(2025, stored);
    expect(budgetChanges(rows, stored)).toEqual({ ok: true, months: [] });
    rows[0] = { month: '2025-01', kwh: '1,250.5', gbp: '£1,000.10' };
    rows[2] = { month: '2025-03', kwh: '', gbp: '' };
    rows[3] = { month: '2025-04', kwh: '', gbp: '90' };
    expect(budgetChanges(rows, stored)).toEqual({
      ok: true,
      months: [
        { month: '2025-01', kwh: 1250.5, pence: 100010 },
        { month: '2025-03', kwh: null, pence: null },
      ],
    });
    expect(budgetTotals(rows)).toEqual({ kwh: 1250.5, pence: 100010 + 9000 });
  });

  it('names each figure that is not an amount and sends nothing', () => {
    const rows = budgetRows(2025, []);
    rows[1] = { month: '2025-02', kwh: 'lots', gbp: '-5' };
    rows[4] = { month: '2025-05', kwh: '10', gbp: '' };
    expect(budgetChanges(rows, [])).toEqual({
      ok: false,
      errors: {
        '2025-02:kwh': 'Feb 2025: kWh is a number of 0 or more',
        '2025-02:gbp': 'Feb 2025: £ is an amount of 0 or more',
      },
    });
  });
});
