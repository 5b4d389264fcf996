/**
 * Runs an export to a stream: which meters (one, a site's, or all), which local days, which table,
 * which layout. Readings and day totals stream from the readings store; period totals, costs,
 * emissions and alerts are read through the contract, meter by meter. The CLI writes an export to a
 * file or stdout; a server route can stream it as a download.
 */
import type { Writable } from 'node:stream';
import { AppError } from '../../../src-shared/contract/errors';
import type { MeterRow, MeterService } from '../meters/meter-service';
import type { ReadingsStore } from '../readings/store';
import { dispatch } from '../rpc/dispatch';
import type { CallContext, Handlers } from '../../../src-shared/contract/api';
import { EXPORT_TABLES } from '../../../src-shared/contract/exports';
import { isoDay, parsePeriod, type PeriodKind } from '../../../src-shared/domain/periods';
import { writeCsv, type Row } from './csv';
import { dayTotals, readingsLong, readingsWide } from './readings';
import { alertRows, costRows, emissionsRows, totalsRows, type Call } from './tables';

/** What an export covers: one meter (identifier), one site's meters, or every meter. */
export type ExportScope = { meter: string } | { siteId: number } | { all: true };

/** The tables that can be exported. */
export const EXPORTS = EXPORT_TABLES;
export type ExportWhat = (typeof EXPORTS)[number];

/**
 * An export's request: table, scope, UK local days [from, to) as `YYYY-MM-DD`; the readings layout
 * (default long), the totals' period (default month) and the emissions method (default halfhourly).
 */
export interface ExportRequest {
  what: ExportWhat;
  scope: ExportScope;
  from: string;
  to: string;
  layout?: 'long' | 'wide';
  period?: PeriodKind;
  method?: 'halfhourly' | 'annual';
}

/** What an export reads: meters, the readings store, and the contract as the exporting user. */
export interface ExportDeps {
  meters: MeterService;
  readings: ReadingsStore;
  call: Call;
}

/** The meters of a scope, in identifier order (NOT_FOUND for an unknown meter or site, or a site with none). */
export function scopeMeters(meters: MeterService, scope: ExportScope): MeterRow[] {
  if ('meter' in scope) return [meters.meterRow(scope.meter)];
  const rows = meters.analysisRows();
  if ('all' in scope) return rows;
  const mine = rows.filter((r) => r.siteId === scope.siteId);
  if (mine.length === 0)
    throw new AppError(
      'NOT_FOUND',
      meters.sites().some((s) => s.id === scope.siteId)
        ? `Site ${scope.siteId} has no meters; attach meters to it first`
        : `Site ${scope.siteId} does not exist; check the site id`,
    );
  return mine;
}

/** The local day of an export's `from` or `to`: a real calendar date written `YYYY-MM-DD`, nothing else. */
function exportDay(name: 'from' | 'to', text: string): number {
  const day = parsePeriod('day', text);
  if (day === null)
    throw new AppError('INVALID_ARGS', `"${name}" (${text}) is not a date; expected YYYY-MM-DD, e.g. 2025-03-01`);
  return day;
}

/** The local days [fromDay, toDay) of a request (INVALID_ARGS when they are not dates or `to` is not after `from`). */
export function exportDays(from: string, to: string): { fromDay: number; toDay: number } {
  const fromDay = exportDay('from', from);
  const toDay = exportDay('to', to);
  if (!(toDay > fromDay)) throw new AppError('INVALID_ARGS', `"to" (${to}) must be after "from" (${from})`);
  return { fromDay, toDay };
}

/** A `Call` through dispatch as `caller` (roles and validation apply); a failed reply throws as an AppError. */
export function callAs(handlers: Handlers, caller: CallContext): Call {
  return async (method, args) => {
    const r = await dispatch(handlers, method, args, caller);
    if (!r.ok) throw new AppError(r.error.code, r.error.message);
    return r.value as never;
  };
}

/** The rows of an export, header first, produced as they are written. */
function rowsOf(deps: ExportDeps, req: ExportRequest): Iterable<Row> | AsyncIterable<Row> {
  const { fromDay, toDay } = exportDays(req.from, req.to);
  if (req.what === 'alerts') {
    const s = req.scope;
    const filter = 'meter' in s ? { meter: deps.meters.meterRow(s.meter).identifier } : 'siteId' in s ? s : {};
    return alertRows(deps.call, filter, fromDay, toDay);
  }
  const meters = scopeMeters(deps.meters, req.scope);
  const from = isoDay(fromDay);
  const to = isoDay(toDay);
  switch (req.what) {
    case 'readings':
      return req.layout === 'wide'
        ? readingsWide(deps.readings, meters, fromDay, toDay)
        : readingsLong(deps.readings, meters, fromDay, toDay);
    case 'days':
      return dayTotals(deps.readings, meters, fromDay, toDay);
    case 'totals':
      return totalsRows(deps.call, meters, req.period ?? 'month', from, to);
    case 'costs':
      return costRows(deps.call, meters, from, to);
    case 'emissions':
      return emissionsRows(deps.call, meters, req.method ?? 'halfhourly', from, to);
  }
}

/**
 * Writes an export to `out`; resolves with the rows written, the header included. A bad request
 * (unknown meter, dates that are not dates) fails before anything is written.
 */
export async function runExport(deps: ExportDeps, req: ExportRequest, out: Writable): Promise<number> {
  return writeCsv(out, rowsOf(deps, req));
}
