/** Contract methods of half-hourly readings: a meter's half-hours as rows, or as a chart series. */
import type { Handlers } from '../../../src-shared/contract/api';
import type { Services } from '../services';

export const readingsHandlers = (s: Services) =>
  ({
    'readings.list': (a) => s.meters.readings(a.meter, a.from, a.to),
    'readings.series': (a) => s.meters.series(a.meter, a.from, a.to),
    'readings.quality': (a) => s.totals.quality(a.meter, a.from, a.to),
  }) satisfies Partial<Handlers>;
