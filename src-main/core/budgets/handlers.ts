/** budgets.*: sites' monthly kWh and £ budgets (docs/reports.md). */
import type { Handlers } from '../../../src-shared/contract/api';
import type { Services } from '../services';
import { BudgetStore } from './budget-store';

export function budgetHandlers(s: Services) {
  const store = new BudgetStore(s.sqlite, s.clock);
  return {
    'budgets.list': (a) => store.list(a.siteId, a.year),
    'budgets.set': (a, ctx) => store.set(a.siteId, a.months, ctx.actor),
  } satisfies Partial<Handlers>;
}
