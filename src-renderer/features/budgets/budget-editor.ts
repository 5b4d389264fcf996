/**
 * The site page's budget editor, as pure logic: the twelve months of a year with their kWh and £ as
 * the user edits them (text), read from the stored budgets, and checked into what `budgets.set` takes —
 * only the months that changed, an emptied month removed. Amounts accept `1,250.5` and `£1,250.50`.
 */
import type { Budget } from '../../../src-shared/contract/types';
import { formatPounds } from '../../lib/money';

/** One month's row as edited: the text in its two inputs. */
export interface BudgetRow {
  month: string;
  kwh: string;
  gbp: string;
}

/** What budgets.set takes for one month. */
export interface BudgetMonth {
  month: string;
  kwh: number | null;
  pence: number | null;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `2025-03` as `Mar 2025`. */
export function monthLabel(month: string): string {
  return `${MONTHS[Number(month.slice(5, 7)) - 1]} ${month.slice(0, 4)}`;
}

/** A stored kWh as one would type it: `12,500`, `1,250.5`. */
const kwhText = (v: number | null): string =>
  v === null ? '' : v.toLocaleString('en-GB', { maximumFractionDigits: 3 });
/** Stored pence as one would type the pounds: `£15,500.00`. */
const gbpText = (p: number | null): string => (p === null ? '' : formatPounds(p));

/** The year's twelve rows from the site's stored budgets, written as typed (empty inputs where none is set). */
export function budgetRows(year: number, stored: readonly Budget[]): BudgetRow[] {
  const by = new Map(stored.map((b) => [b.month, b]));
  return MONTHS.map((_, i) => {
    const month = `${year}-${String(i + 1).padStart(2, '0')}`;
    const b = by.get(month);
    return { month, kwh: kwhText(b?.kwh ?? null), gbp: gbpText(b?.pence ?? null) };
  });
}

/** An amount typed in an input: null when empty, NaN when it is not a number of 0 or more. */
function amount(text: string): number | null {
  const t = text.trim().replace(/^£/, '').replace(/,/g, '');
  if (t === '') return null;
  const v = Number(t);
  return Number.isFinite(v) && v >= 0 ? v : NaN;
}

/**
 * The months whose figures differ from the stored ones, ready for budgets.set; or the problems, keyed
 * `MONTH:kwh` / `MONTH:gbp`, with a message each.
 */
export function budgetChanges(
  rows: readonly BudgetRow[],
  stored: readonly Budget[],
): { ok: true; months: BudgetMonth[] } | { ok: false; errors: Record<string, string> } {
  const by = new Map(stored.map((b) => [b.month, b]));
  const errors: Record<string, string> = {};
  const months: BudgetMonth[] = [];
  for (const r of rows) {
    const kwh = amount(r.kwh);
    const pounds = amount(r.gbp);
    if (Number.isNaN(kwh)) errors[`${r.month}:kwh`] = `${monthLabel(r.month)}: kWh is a number of 0 or more`;
    if (Number.isNaN(pounds)) errors[`${r.month}:gbp`] = `${monthLabel(r.month)}: £ is an amount of 0 or more`;
    if (Number.isNaN(kwh) || Number.isNaN(pounds)) continue;
    const pence = pounds === null ? null : Math.round(pounds * 100);
    const b = by.get(r.month);
    if ((b?.kwh ?? null) !== kwh || (b?.pence ?? null) !== pence) months.push({ month: r.month, kwh, pence });
  }
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, months };
}

/** The year's totals of the rows as typed (figures that are not numbers left out). */
export function budgetTotals(rows: readonly BudgetRow[]): { kwh: number; pence: number } {
  let kwh = 0;
  let pence = 0;
  for (const r of rows) {
    const k = amount(r.kwh);
    const g = amount(r.gbp);
    if (k !== null && !Number.isNaN(k)) kwh += k;
    if (g !== null && !Number.isNaN(g)) pence += Math.round(g * 100);
  }
  return { kwh, pence };
}
