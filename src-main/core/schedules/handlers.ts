/** Contract methods of scheduled deliveries: list, read, save, remove and run them. */
import type { Handlers } from '../../../src-shared/contract/api';
import type { Services } from '../services';

export const scheduleHandlers = (s: Services) =>
  ({
    'schedules.list': () => s.schedules.list(),
    'schedules.get': (a) => s.schedules.get(a.id, a.runs),
    'schedules.save': (a) => s.schedules.save(a),
    'schedules.remove': (a) => s.schedules.remove(a.id),
    'schedules.run': (a) => s.schedules.run(a.id, 'manual'),
  }) satisfies Partial<Handlers>;
