/**
 * SCAFFOLDING ON THE base17 BRANCH ONLY — never merged to main. Methods of the contract whose
 * feature is being built in parallel; each feature removes its entries when its handlers land.
 */
import { AppError } from '../../src-shared/contract/errors';
import type { Handlers } from '../../src-shared/contract/api';

const pending = (): never => {
  throw new AppError('INTERNAL', 'Being built on this branch');
};

export const pendingHandlers = {
  // tables (helper: tables)
  'meters.table': pending,
  'sites.table': pending,
  'meters.bulkUpdate': pending,
} satisfies Partial<Handlers>;
