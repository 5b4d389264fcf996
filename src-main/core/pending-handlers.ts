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
  // registers (helper: registers)
  'register.import': pending,
  'register.export': pending,
  'sites.suggestions': pending,
  'sites.acceptSuggestions': pending,
  // undo (helper: undo)
  'imports.rollback': pending,
  'meters.remove': pending,
  'sites.remove': pending,
  'readings.remove': pending,
  'trash.list': pending,
  'trash.restore': pending,
  // sources (helper: sources)
  'sources.list': pending,
  'sources.get': pending,
  'sources.save': pending,
  'sources.remove': pending,
  'sources.run': pending,
  'meters.feed': pending,
} satisfies Partial<Handlers>;
