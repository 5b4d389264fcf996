/** Contract methods of data sources: list, read, save, remove and run them; where a meter's data comes from. */
import type { Handlers } from '../../../src-shared/contract/api';
import type { Services } from '../services';

export const sourceHandlers = (s: Services) =>
  ({
    'sources.list': () => s.sources.list(),
    'sources.get': (a) => s.sources.get(a.id),
    'sources.save': (a) => s.sources.save(a),
    'sources.remove': (a) => s.sources.remove(a.id),
    'sources.run': (a) => s.sources.run(a),
    'meters.feed': (a) => s.sources.feed(a.meter),
  }) satisfies Partial<Handlers>;
