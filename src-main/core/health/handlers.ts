/** Contract methods of system health: the latest report, a check now, and the checks' changes of state. */
import type { Handlers } from '../../../src-shared/contract/api';
import type { Services } from '../services';

export const healthHandlers = (s: Services) =>
  ({
    'health.get': () => s.health.latest() ?? s.health.check(),
    'health.check': () => s.health.check(),
    'health.history': (a) => s.health.history(a.limit),
  }) satisfies Partial<Handlers>;
