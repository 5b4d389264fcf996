/**
 * SCAFFOLDING ON THE alerts BRANCH ONLY — never merged to main. Methods of the contract whose
 * feature is being built in parallel; each feature removes its entries when its handlers land.
 */
import { AppError } from '../../src-shared/contract/errors';
import type { Handlers } from '../../src-shared/contract/api';

const pending = (): never => {
  throw new AppError('INTERNAL', 'Being built on this branch');
};

export const pendingHandlers = {
  'alerts.rules': pending,
  'alerts.saveRule': pending,
  'alerts.deleteRule': pending,
  'alerts.importRules': pending,
  'alerts.exportRules': pending,
  'alerts.list': pending,
  'alerts.get': pending,
  'alerts.counts': pending,
  'alerts.ack': pending,
  'alerts.resolve': pending,
  'alerts.snooze': pending,
  'alerts.check': pending,
  'health.get': pending,
  'health.check': pending,
  'health.history': pending,
} satisfies Partial<Handlers>;
