/** Contract methods of tariffs: the catalogue, assignments, costs and switching analyses. */
import type { Handlers } from '../../../src-shared/contract/api';
import { toLocalDay } from '../aggregation/totals';
import type { Services } from '../services';

export const tariffHandlers = (s: Services) =>
  ({
    'tariffs.list': (a) =>
      s.tariffStore
        .all(a.fuel)
        .filter((t) => !a.activeOnly || s.tariffStore.isActive(t))
        .map((t) => s.tariffStore.describe(t)),
    'tariffs.get': (a) => s.tariffStore.describe(s.tariffStore.get(a.id)),
    'tariffs.save': (a) => {
      s.tariffStore.save(a.tariff);
      return s.tariffStore.describe(s.tariffStore.get(a.tariff.id));
    },
    'tariffs.import': (a) => s.tariffStore.importFile(a.text, a.fileName),
    'tariffs.importPrices': (a) => s.tariffStore.importPrices(a.id, a.text, a.fileName),
    'tariffs.delete': (a) => {
      s.tariffStore.delete(a.id);
      return { deleted: a.id };
    },
    'tariffs.assign': (a, ctx) => {
      const m = s.meters.meterRow(a.meter);
      s.sqlite.transaction(() => {
        s.tariffStore.assign(m.id, m.fuel, a.tariff, toLocalDay(a.from), ctx.actor);
        if (a.capacityKva !== undefined) s.meters.update(a.meter, { capacityKva: a.capacityKva });
      })();
      return s.tariffStore.assignments(m.id, m.identifier);
    },
    'tariffs.unassign': (a) => {
      const m = s.meters.meterRow(a.meter);
      s.tariffStore.unassign(m.id, toLocalDay(a.from));
      return s.tariffStore.assignments(m.id, m.identifier);
    },
    'tariffs.assignments': (a) => {
      const m = s.meters.meterRow(a.meter);
      return s.tariffStore.assignments(m.id, m.identifier);
    },
    'cost.meter': (a) => s.costing.cost(a.meter, toLocalDay(a.from), toLocalDay(a.to), a.tariff),
    'switching.analyse': (a, ctx) =>
      s.switching.analyse(
        a.meter,
        {
          days: a.days,
          fromDay: a.from === undefined ? undefined : toLocalDay(a.from),
          toDay: a.to === undefined ? undefined : toLocalDay(a.to),
          whatIfPercent: a.whatIfPercent,
          save: a.save,
        },
        ctx.actor,
      ),
    'switching.history': (a) => s.switching.history(a.meter, a.limit),
    'switching.get': (a) => s.switching.get(a.id),
    'switching.portfolio': () => s.switching.portfolio(),
    'switching.runAll': (a, ctx) => s.switching.runAll(a.days, ctx.actor),
  }) satisfies Partial<Handlers>;
