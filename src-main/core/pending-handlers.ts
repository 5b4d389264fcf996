/**
 * SCAFFOLDING ON THE base19 BRANCH ONLY — never merged to main. Methods of the contract whose
 * feature is being built in parallel; each feature removes its entries when its handlers land.
 */
import { AppError } from '../../src-shared/contract/errors';
import type { Handlers } from '../../src-shared/contract/api';

const pending = (): never => {
  throw new AppError('INTERNAL', 'Being built on this branch');
};

export const pendingHandlers = {
  // desktop sync engine (helper: client)
  'sync.status': pending,
  'sync.connect': pending,
  'sync.disconnect': pending,
  'sync.configure': pending,
  'sync.now': pending,
  'sync.conflicts': pending,
  'sync.resolve': pending,
} satisfies Partial<Handlers>;
