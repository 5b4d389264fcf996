/** Contract methods of roll-ups: running them, period totals, comparisons and the dashboard. */
import type { Handlers } from '../../../src-shared/contract/api';
import { AppError } from '../../../src-shared/contract/errors';
import type { Services } from '../services';
import { dashboardMonth } from './dashboard';
import { ROLE_RANK } from '../../../src-shared/contract/types';

export const aggregationHandlers = (s: Services) =>
  ({
    'aggregation.run': async (a) => {
      const run = a.full ? await s.scheduler.rebuild() : await s.scheduler.nightly('manual');
      if (run.status === 'failed') throw new AppError('INTERNAL', `The roll-up failed: ${run.error}`);
      const sm = run.summary as { metersTouched: number; daysTouched: number; seconds: number };
      return { metersTouched: sm.metersTouched, daysTouched: sm.daysTouched, seconds: sm.seconds };
    },
    'totals.list': (a) => s.totals.list(a.meter, a.period, a.from, a.to),
    'totals.compare': (a) => s.totals.compare(a.meter, a.period, a.at, a.basis),
    'totals.site': (a) => s.totals.site(a.siteId, a.period, a.from, a.to),
    'totals.latest': (a) => s.totals.latest(a.meter, a.asAt),
    'dashboard.summary': (a) =>
      s.totals.dashboard(s.imports.list({ limit: 1 })[0] ?? null, s.scheduler.lastRun(), a.asAt),
    'dashboard.month': (a, ctx) => dashboardMonth(s, a.asAt, ROLE_RANK[ctx.role] >= ROLE_RANK.manager),
  }) satisfies Partial<Handlers>;
