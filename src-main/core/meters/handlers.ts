/** Contract methods of meters and sites. */
import type { Handlers } from '../../../src-shared/contract/api';
import type { Services } from '../services';

export const meterHandlers = (s: Services) =>
  ({
    'meters.list': () => s.meters.list(),
    'meters.update': (a) => {
      const { meter, ...patch } = a;
      return s.meters.update(meter, patch);
    },
    'sites.list': () => s.meters.sites(),
    'sites.create': (a) => s.meters.createSite(a.name, a.postcode, a.organisation),
    'sites.get': (a) => s.meters.site(a.id),
    'sites.update': (a) => {
      const { id, ...patch } = a;
      return s.meters.updateSite(id, patch);
    },
  }) satisfies Partial<Handlers>;
