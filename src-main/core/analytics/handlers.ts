/** Contract methods of the analyses, site closures and weather. */
import type { Handlers } from '../../../src-shared/contract/api';
import type { Services } from '../services';
import { toLocalDay } from '../aggregation/totals';

export const analyticsHandlers = (s: Services) =>
  ({
    'sites.addClosure': (a) => s.meters.addClosure(a.siteId, toLocalDay(a.from), toLocalDay(a.to), a.note),
    'sites.removeClosure': (a) => s.meters.removeClosure(a.siteId, a.id),
    'weather.import': (a) =>
      s.weather.importCsv(a.siteId, a.text, a.fileName, a.hddBase !== undefined ? { hddBase: a.hddBase } : {}),
    'weather.fetch': (a) => s.weather.fetch(a.siteId, toLocalDay(a.from), toLocalDay(a.to)),
    'weather.list': (a) => s.weather.list(a.siteId, toLocalDay(a.from), toLocalDay(a.to)),
    'analytics.meter': (a) => s.analytics.meter(a.meter, a.from, a.to),
    'analytics.quality': (a) => s.analytics.quality(a.meter, a.from, a.to, a.zeroRun),
    'analytics.exceptions': (a) => s.analytics.exceptions(a.meter, a.from, a.to),
    'analytics.baseline': (a) => s.analytics.baseline(a),
    'analytics.cusum': (a) => s.analytics.cusum(a),
    'analytics.portfolio': (a) => s.analytics.portfolio(a),
  }) satisfies Partial<Handlers>;
