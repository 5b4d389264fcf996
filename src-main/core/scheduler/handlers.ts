/** Contract methods of the scheduler: its log of background runs. */
import type { Handlers } from '../../../src-shared/contract/api';
import type { Services } from '../services';

export const schedulerHandlers = (s: Services) =>
  ({
    'scheduler.runs': (a) => s.scheduler.runs(a.limit),
  }) satisfies Partial<Handlers>;
