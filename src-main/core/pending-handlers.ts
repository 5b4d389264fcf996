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
  // schedules, delivery, digests (helper: schedules)
  'schedules.list': pending,
  'schedules.get': pending,
  'schedules.save': pending,
  'schedules.remove': pending,
  'schedules.run': pending,
} satisfies Partial<Handlers>;
