/**
 * SCAFFOLDING ON THE users BRANCH ONLY — never merged to main. Methods of the contract whose
 * feature is being built in parallel; each feature removes its entries when its handlers land.
 */
import { AppError } from '../../src-shared/contract/errors';
import type { Handlers } from '../../src-shared/contract/api';

const pending = (): never => {
  throw new AppError('INTERNAL', 'Being built on this branch');
};

export const pendingHandlers = {
  'auth.me': pending,
  'users.list': pending,
  'users.create': pending,
  'users.update': pending,
  'users.remove': pending,
  'tokens.list': pending,
  'tokens.create': pending,
  'tokens.revoke': pending,
} satisfies Partial<Handlers>;
