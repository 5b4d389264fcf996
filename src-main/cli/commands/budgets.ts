/**
 * `eclectyc budgets …`: sites' monthly kWh and £ budgets, which the site and portfolio reports compare
 * consumption and cost with: list them, set one month, or import a CSV of many (all or nothing).
 */
import path from 'node:path';
import type { Budget } from '../../../src-shared/contract/types';
import { parseBudgetCsv } from '../../core/budgets/budget-csv';
import { call, out, readText, str, UsageError, withCore, type Command, type Opts } from '../command';
import { pounds, printTable } from '../format';

/** A positive whole number option (a site id, a year). */
function whole(o: Opts, name: string): number | undefined {
  const v = str(o, name);
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v.trim())) throw new UsageError(`--${name} is a whole number (not "${v}")`);
  return Number(v);
}

/** An amount option (kWh, £): a number of 0 or more; "none" clears it. */
function amount(o: Opts, name: string): number | null | undefined {
  const v = str(o, name);
  if (v === undefined) return undefined;
  if (v.trim().toLowerCase() === 'none') return null;
  const n = Number(v.replace(/^£/, '').replace(/,/g, ''));
  if (v.trim() === '' || !Number.isFinite(n) || n < 0)
    throw new UsageError(`--${name} is a number of 0 or more, or "none" to clear it (not "${v}")`);
  return n;
}

function printBudgets(list: Budget[], names: Map<number, string>): void {
  if (list.length === 0) return console.log('No budgets set. Set one with "budgets set" or "budgets import".');
  printTable(
    ['Site', 'Month', 'kWh', '£', 'Set by', 'Set at (UTC)'],
    list.map((b) => [
      `${b.siteId} ${names.get(b.siteId) ?? ''}`.trim(),
      b.month,
      b.kwh === null ? '—' : b.kwh.toLocaleString('en-GB'),
      b.pence === null ? '—' : pounds(b.pence),
      b.updatedBy,
      b.updatedAt.slice(0, 16).replace('T', ' '),
    ]),
  );
}

export const budgetsCommand: Command = {
  name: 'budgets',
  help: `  budgets list [--site ID] [--year YYYY]
                                    sites' monthly budgets (kWh and £)
  budgets set --site ID --month YYYY-MM [--kwh N|none] [--gbp N|none]
                                    set (or clear) a site's budget for a month
  budgets import FILE               budgets from a CSV (site id or site name, month, kWh, £): all or nothing`,
  options: {
    site: { type: 'string' },
    year: { type: 'string' },
    month: { type: 'string' },
    kwh: { type: 'string' },
    gbp: { type: 'string' },
  },
  async run(ctx, [sub, file, ...rest], o) {
    if (sub === 'list') {
      if (file !== undefined) throw new UsageError(`budgets list takes no arguments (got "${file}")`);
      const siteId = whole(o, 'site');
      const year = whole(o, 'year');
      return withCore(ctx, async (core) => {
        const list = await call(core, 'budgets.list', { siteId, year });
        const names = new Map((await call(core, 'sites.list', {})).map((s) => [s.id, s.name]));
        out(ctx, list, () => printBudgets(list, names));
        return 0;
      });
    }
    if (sub === 'set') {
      if (file !== undefined) throw new UsageError(`budgets set takes options only (got "${file}")`);
      const siteId = whole(o, 'site');
      const month = str(o, 'month');
      if (siteId === undefined || month === undefined)
        throw new UsageError('budgets set needs --site ID and --month YYYY-MM');
      const kwh = amount(o, 'kwh');
      const gbp = amount(o, 'gbp');
      if (kwh === undefined && gbp === undefined)
        throw new UsageError('budgets set needs --kwh N and/or --gbp N (or "none" to clear one)');
      return withCore(ctx, async (core) => {
        const current = (await call(core, 'budgets.list', { siteId })).find((b) => b.month === month.trim());
        const pence = gbp === undefined ? (current?.pence ?? null) : gbp === null ? null : Math.round(gbp * 100);
        const r = await call(core, 'budgets.set', {
          siteId,
          months: [{ month, kwh: kwh === undefined ? (current?.kwh ?? null) : kwh, pence }],
        });
        out(ctx, r, () =>
          console.log(
            r.length
              ? `Site ${siteId}, ${r[0]!.month}: ${r[0]!.kwh === null ? 'no kWh budget' : `${r[0]!.kwh.toLocaleString('en-GB')} kWh`}, ` +
                  `${r[0]!.pence === null ? 'no £ budget' : pounds(r[0]!.pence)}.`
              : `Site ${siteId}, ${month}: the budget is removed.`,
          ),
        );
        return 0;
      });
    }
    if (sub === 'import') {
      if (!file) throw new UsageError('budgets import needs a CSV FILE');
      if (rest.length) throw new UsageError(`budgets import takes one FILE (got "${rest[0]}" too)`);
      const text = readText(file);
      return withCore(ctx, async (core) => {
        const sites = await call(core, 'sites.list', {});
        const bySite = parseBudgetCsv(text, path.basename(file), sites);
        const set: Budget[] = [];
        for (const [siteId, months] of bySite) set.push(...(await call(core, 'budgets.set', { siteId, months })));
        const rows = [...bySite.values()].reduce((a, m) => a + m.length, 0);
        out(ctx, set, () =>
          console.log(
            `Set ${set.length} month${set.length === 1 ? '' : 's'} of budgets for ${bySite.size} site${bySite.size === 1 ? '' : 's'}` +
              (rows > set.length ? ` and removed ${rows - set.length}` : '') +
              ` from ${path.basename(file)}.`,
          ),
        );
        return 0;
      });
    }
    throw new UsageError(`budgets needs list, set or import${sub ? `, not "${sub}"` : ''}`);
  },
};
