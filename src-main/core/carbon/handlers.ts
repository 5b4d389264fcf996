/** Contract methods of grid carbon: intensity now and in history, fetching, emissions, factors. */
import type { Handlers } from '../../../src-shared/contract/api';
import { AppError } from '../../../src-shared/contract/errors';
import { toLocalDay } from '../aggregation/totals';
import type { Services } from '../services';

export const carbonHandlers = (s: Services) =>
  ({
    'carbon.current': () => s.carbon.current(),
    'carbon.refresh': () => s.carbon.refresh({ quick: true, regions: s.siteRegions() }),
    'carbon.fetch': async (a) => {
      if (a.meter !== undefined)
        return { national: (await s.carbon.backfill(s.meters.meterRow(a.meter).id)).national, regional: 0 };
      const from = Math.floor(Date.parse(a.from!) / 1000);
      const to = Math.floor(Date.parse(a.to!) / 1000);
      if (a.postcode !== undefined) return s.carbon.fetchPostcode(a.postcode, from, to);
      return s.carbon.fetch(from, to, a.region);
    },
    'carbon.history': (a) => ({ ...s.carbon.history(a.days), bestWindow: s.carbon.bestWindow(a.windowHours ?? 3) }),
    'emissions.meter': (a) => {
      const m = s.meters.meterRow(a.meter);
      const from = toLocalDay(a.from);
      const to = toLocalDay(a.to);
      if (to <= from) throw new AppError('INVALID_ARGS', '"to" must be after "from"');
      let region = a.region;
      if (a.regional && region === undefined) {
        region = s.meters.regionOf(a.meter) ?? undefined;
        if (region === undefined)
          throw new AppError(
            'BAD_INPUT',
            `No region is known for ${a.meter}: it is not an MPAN with a regional distributor and its site has no region; choose the site's region`,
          );
      }
      return s.carbon.emissions(m.id, m.fuel, from, to, a.method ?? 'halfhourly', region);
    },
    'carbon.factors': () => s.carbon.factors(),
    'carbon.setFactor': (a) => s.carbon.setFactor(a.year, a.fuel, a.kgPerKwh, a.source),
  }) satisfies Partial<Handlers>;
