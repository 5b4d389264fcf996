/**
 * SCAFFOLDING ON THE base18 BRANCH ONLY — never merged to main. Methods of the contract whose
 * feature is being built in parallel; each feature removes its entries when its handlers land.
 */
import { AppError } from '../../src-shared/contract/errors';
import type { Handlers } from '../../src-shared/contract/api';

const pending = (): never => {
  throw new AppError('INTERNAL', 'Being built on this branch');
};

export const pendingHandlers = {
  // budgets and site/portfolio reports (helper: reports)
  'budgets.list': pending,
  'budgets.set': pending,
  // reports.make, the CLI, downloads, the Reports page (helper: surfaces)
  'reports.make': pending,
} satisfies Partial<Handlers>;
