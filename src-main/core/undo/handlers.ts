/**
 * Contract methods of undo: rolling back a finished import, deleting a meter, a site or a meter's
 * readings (kept so the deletion can be undone), and the recently deleted list. After each change
 * the portfolio's roll-ups run as after an import, and alerts follow from them.
 */
import type { CallContext, Handlers } from '../../../src-shared/contract/api';
import { toLocalDay } from '../aggregation/totals';
import type { Services } from '../services';
import { ImportRollback } from './rollback';
import { TrashService } from './trash';

/** Import statuses whose writes were taken out again: their half-hours do not come back with a restore. */
const UNDONE = new Set(['rolled-back', 'cancelled', 'failed']);

export const undoHandlers = (s: Services) => {
  const trash = new TrashService(s.sqlite, s.readings, s.meters, s.clock);
  const rollback = new ImportRollback(s.sqlite, s.readings, s.imports, trash, s.clock);
  const status = s.sqlite.prepare('SELECT status FROM import_jobs WHERE id = ?').pluck();
  const undone = (jobId: number): boolean => UNDONE.has(status.get(jobId) as string);
  const who = (ctx: CallContext): string => ctx.name ?? ctx.actor;
  /** Tells the windows, then rolls the portfolio's totals forward now (alerts are judged again from there). */
  const follow = async (c: { meters: string[]; alertsChanged: boolean }): Promise<void> => {
    s.events.emit('meters.changed', { meterIds: c.meters });
    if (c.alertsChanged) s.events.emit('alerts.changed', { counts: s.alerts.counts(), fired: [] });
    await s.scheduler.afterImport();
  };
  return {
    'imports.rollback': async (a, ctx) => {
      const r = await rollback.rollback(a.id, who(ctx), a.dryRun === true);
      if (!r.result.dryRun) {
        s.events.emit('imports.updated', { job: r.result.job });
        await follow({ meters: r.result.meters, alertsChanged: r.alertsChanged });
      }
      return r.result;
    },
    'meters.remove': async (a, ctx) => {
      const c = trash.removeMeter(a.meter, who(ctx), a.dryRun === true);
      if (!a.dryRun) await follow(c);
      return c.entry;
    },
    'sites.remove': async (a, ctx) => {
      const c = trash.removeSite(a.id, a.withMeters === true, who(ctx), a.dryRun === true);
      if (!a.dryRun) await follow(c);
      return c.entry;
    },
    'readings.remove': async (a, ctx) => {
      const c = trash.removeReadings(a.meter, toLocalDay(a.from), toLocalDay(a.to), who(ctx), a.dryRun === true);
      if (!a.dryRun) await follow(c);
      return c.entry;
    },
    'trash.list': (a) => trash.list(a.limit),
    'trash.restore': async (a, ctx) => {
      const c = trash.restore(a.id, who(ctx), undone);
      await follow(c);
      return c.entry;
    },
  } satisfies Partial<Handlers>;
};
