/**
 * Sites' monthly budgets: kWh and pence for a UK calendar month (`YYYY-MM`), kept in the `budgets`
 * table. Setting is all or nothing: an unknown site refuses the whole request; a month whose kWh and
 * pence are both null is removed. The portfolio's budget for a month is the sum of its sites'.
 */
import type Database from 'better-sqlite3';
import { AppError } from '../../../src-shared/contract/errors';
import type { Budget } from '../../../src-shared/contract/types';
import type { Clock } from '../clock';

/** One month's figures to set; null clears a figure. */
export interface BudgetInput {
  month: string;
  kwh: number | null;
  pence: number | null;
}

type Row = {
  site_id: number;
  month: string;
  kwh: number | null;
  pence: number | null;
  updated_at: number;
  updated_by: string;
};

const toBudget = (r: Row): Budget => ({
  siteId: r.site_id,
  month: r.month,
  kwh: r.kwh,
  pence: r.pence,
  updatedAt: new Date(r.updated_at).toISOString(),
  updatedBy: r.updated_by,
});

/** Reads and writes the budgets table. */
export class BudgetStore {
  constructor(
    private readonly sqlite: Database.Database,
    private readonly clock: Clock,
  ) {}

  /** Budgets, by site then month; one site's (NOT_FOUND when there is no such site) and/or one calendar year. */
  list(siteId?: number, year?: number): Budget[] {
    if (siteId !== undefined) this.requireSite(siteId);
    const where: string[] = [];
    const params: (number | string)[] = [];
    if (siteId !== undefined) {
      where.push('site_id = ?');
      params.push(siteId);
    }
    if (year !== undefined) {
      where.push('month LIKE ?');
      params.push(`${year}-%`);
    }
    const rows = this.sqlite
      .prepare(`SELECT * FROM budgets ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY site_id, month`)
      .all(...params) as Row[];
    return rows.map(toBudget);
  }

  /** Sets a site's months in one transaction and returns the site's budgets for the months given that remain. */
  set(siteId: number, months: readonly BudgetInput[], actor: string): Budget[] {
    this.requireSite(siteId);
    const seen = new Set<string>();
    for (const m of months) {
      if (seen.has(m.month))
        throw new AppError('INVALID_ARGS', `Month ${m.month} is given twice; give each month once`);
      seen.add(m.month);
    }
    const now = this.clock.now();
    const upsert = this.sqlite.prepare(
      `INSERT INTO budgets (site_id, month, kwh, pence, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (site_id, month) DO UPDATE SET kwh = excluded.kwh, pence = excluded.pence,
       updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
    );
    const remove = this.sqlite.prepare('DELETE FROM budgets WHERE site_id = ? AND month = ?');
    this.sqlite.transaction(() => {
      for (const m of months) {
        if (m.kwh === null && m.pence === null) remove.run(siteId, m.month);
        else upsert.run(siteId, m.month, m.kwh, m.pence, now, actor);
      }
    })();
    return this.list(siteId).filter((b) => seen.has(b.month));
  }

  /** The summed budget of some sites (every site with `null`) for a month; null figures when none is set. */
  total(siteIds: readonly number[] | null, month: string): { kwh: number | null; pence: number | null } {
    const rows = (
      siteIds === null
        ? this.sqlite.prepare('SELECT * FROM budgets WHERE month = ?').all(month)
        : this.sqlite
            .prepare(
              `SELECT * FROM budgets WHERE month = ? AND site_id IN (${siteIds.map(() => '?').join(',') || 'NULL'})`,
            )
            .all(month, ...siteIds)
    ) as Row[];
    const sum = (k: 'kwh' | 'pence') => {
      const v = rows.filter((r) => r[k] !== null);
      return v.length ? v.reduce((a, r) => a + r[k]!, 0) : null;
    };
    return { kwh: sum('kwh'), pence: sum('pence') };
  }

  private requireSite(siteId: number): void {
    if (!this.sqlite.prepare('SELECT 1 FROM sites WHERE id = ?').get(siteId))
      throw new AppError('NOT_FOUND', `There is no site ${siteId}; see sites.list for the sites' ids`);
  }
}
