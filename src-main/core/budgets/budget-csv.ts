/**
 * Budgets from a CSV file (`eclectyc budgets import`): a header naming the site (`site id` or `site`,
 * `site name`), `month` (YYYY-MM), `kWh` and `£` (or `gbp`, `pounds`) columns, one row per site and
 * month. Every row is checked before anything is set: the first problems are reported by line and
 * column, and none of the file is kept. A row with neither kWh nor £ removes that month's budget.
 */
import { AppError } from '../../../src-shared/contract/errors';
import { splitCsv, sniffDelimiter } from '../imports/csv';
import type { BudgetInput } from './budget-store';

/** A site as the file may name it. */
export interface NamedSite {
  id: number;
  name: string;
}

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
const MAX_PROBLEMS = 10;
/** What budgets.set takes for one site at a time. */
const MAX_MONTHS = 240;

const norm = (h: string): string => h.trim().toLowerCase().replace(/\s+/g, ' ');
const COLUMNS = {
  site: ['site id', 'site_id', 'siteid', 'site', 'site name', 'site_name'],
  month: ['month'],
  kwh: ['kwh', 'budget kwh', 'kwh budget'],
  gbp: ['£', 'gbp', 'pounds', 'budget £', '£ budget', 'cost £', 'cost'],
} as const;

/** Parses the file's text into each site's months (kWh, pence), or throws BAD_INPUT naming each problem. */
export function parseBudgetCsv(text: string, file: string, sites: readonly NamedSite[]): Map<number, BudgetInput[]> {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const headerLine = lines[0] ?? '';
  const delim = sniffDelimiter(headerLine);
  const header = splitCsv(headerLine, delim).map(norm);
  const col = (names: readonly string[]): number => header.findIndex((h) => names.includes(h));
  const at = { site: col(COLUMNS.site), month: col(COLUMNS.month), kwh: col(COLUMNS.kwh), gbp: col(COLUMNS.gbp) };
  const absent = [
    at.site < 0 && '"site id" or "site name"',
    at.month < 0 && '"month"',
    at.kwh < 0 && at.gbp < 0 && '"kWh" or "£"',
  ].filter(Boolean);
  if (absent.length)
    throw new AppError(
      'BAD_INPUT',
      `The header (line 1) of ${file} needs ${absent.join(', ')} columns (found: ${header.join(', ') || 'nothing'})`,
    );
  const byId = new Map(sites.map((s) => [s.id, s]));
  const byName = new Map(sites.map((s) => [norm(s.name), s]));
  const problems: string[] = [];
  const out = new Map<number, BudgetInput[]>();
  const seen = new Set<string>();
  const problem = (line: number, column: string, what: string): void => {
    problems.push(`line ${line}, column "${column}": ${what}`);
  };
  const amount = (raw: string, line: number, column: string, pounds: boolean): number | null => {
    const t = raw.trim().replace(/^£/, '').replace(/,/g, '');
    if (t === '') return null;
    const v = Number(t);
    if (!Number.isFinite(v) || v < 0) {
      problem(line, column, `"${raw.trim()}" is not an amount of ${pounds ? 'pounds' : 'kWh'} (a number, 0 or more)`);
      return null;
    }
    return pounds ? Math.round(v * 100) : v;
  };
  for (let i = 1; i < lines.length; i++) {
    const line = i + 1;
    if (lines[i]!.trim() === '') continue;
    const f = splitCsv(lines[i]!, delim);
    const cell = (c: number): string => (c < 0 ? '' : (f[c] ?? '').trim());
    const siteText = cell(at.site);
    const site = /^\d+$/.test(siteText) ? byId.get(Number(siteText)) : byName.get(norm(siteText));
    if (!site)
      problem(
        line,
        header[at.site]!,
        siteText === '' ? 'no site is given' : `there is no site "${siteText}" (give a site's id or its name)`,
      );
    const month = cell(at.month);
    if (!MONTH.test(month))
      problem(line, header[at.month]!, `"${month}" is not a month; expected YYYY-MM, e.g. 2025-03`);
    const kwh = at.kwh < 0 ? null : amount(cell(at.kwh), line, header[at.kwh]!, false);
    const pence = at.gbp < 0 ? null : amount(cell(at.gbp), line, header[at.gbp]!, true);
    if (!site || !MONTH.test(month)) continue;
    const key = `${site.id} ${month}`;
    if (seen.has(key)) problem(line, header[at.month]!, `${site.name} ${month} is given twice`);
    seen.add(key);
    const list = out.get(site.id) ?? [];
    list.push({ month, kwh, pence });
    out.set(site.id, list);
  }
  for (const [id, months] of out)
    if (months.length > MAX_MONTHS)
      problems.push(
        `${byId.get(id)!.name} has ${months.length} months; give at most ${MAX_MONTHS} per site in one file`,
      );
  if (problems.length)
    throw new AppError(
      'BAD_INPUT',
      `Nothing was set from ${file}; ${problems.length} problem${problems.length === 1 ? '' : 's'}: ` +
        problems.slice(0, MAX_PROBLEMS).join('; ') +
        (problems.length > MAX_PROBLEMS ? `; and ${problems.length - MAX_PROBLEMS} more` : ''),
    );
  if (out.size === 0) throw new AppError('BAD_INPUT', `There are no budget rows under the header of ${file}`);
  return out;
}
