/** Contract methods of meters and sites. */
import type { Handlers } from '../../../src-shared/contract/api';
import type { Services } from '../services';
import { bulkUpdate } from './bulk';
import { mergeMeters } from './merge';
import { PortfolioTables } from './meter-table';

export const meterHandlers = (s: Services) => {
  const tables = new PortfolioTables(s);
  return {
    // the tables keep each meter's span between calls: a list of thousands of meters is read in milliseconds
    'meters.list': () => tables.summaries(),
    'meters.update': (a) => {
      const { meter, ...patch } = a;
      return s.meters.update(meter, patch);
    },
    'meters.merge': async (a) => {
      const r = mergeMeters(s.sqlite, s.readings, s.meters, a.from, a.into, a.onConflict);
      s.events.emit('meters.changed', { meterIds: [r.from, r.into] });
      await s.scheduler.afterImport(); // roll the portfolio's totals forward now, as an import does
      return r;
    },
    'sites.list': () => s.meters.sites(),
    'sites.create': (a) => {
      const { name, postcode, organisation, ...fields } = a;
      return s.meters.createSite(name, postcode, organisation, fields);
    },
    'sites.get': (a) => ({ ...s.meters.site(a.id), weather: s.weather.coverage(a.id) }),
    'sites.update': (a) => {
      const { id, ...patch } = a;
      return s.meters.updateSite(id, patch);
    },
    'meters.table': () => tables.meters(),
    'sites.table': () => tables.sites(),
    'meters.bulkUpdate': (a, ctx) => {
      const r = bulkUpdate(s, a, ctx.actor);
      s.events.emit('meters.changed', { meterIds: r.meters });
      return r;
    },
  } satisfies Partial<Handlers>;
};
