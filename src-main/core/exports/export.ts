/**
 * Runs an export to a stream: which meters (one, a site's, or all), which local days, which table,
 * which layout. The CLI writes it to a file or stdout; a server route can stream it as a download.
 */
import type { Writable } from 'node:stream';
import { AppError } from '../../../src-shared/contract/errors';
import type { MeterRow, MeterService } from '../meters/meter-service';
import type { ReadingsStore } from '../readings/store';
import { toLocalDay } from '../aggregation/totals';
import { writeCsv } from './csv';
import { dayTotals, readingsLong, readingsWide } from './readings';

/** What an export covers: one meter (identifier), one site's meters, or every meter. */
export type ExportScope = { meter: string } | { siteId: number } | { all: true };

/** The tables the store exports directly. */
export type StoreExport = 'readings' | 'days';

/** An export's request: table, scope, UK local days [from, to) as `YYYY-MM-DD`, and the readings layout. */
export interface ExportRequest {
  what: StoreExport;
  scope: ExportScope;
  from: string;
  to: string;
  layout?: 'long' | 'wide';
}

/** The meters of a scope, in identifier order (NOT_FOUND for an unknown meter or a site with none). */
export function scopeMeters(meters: MeterService, scope: ExportScope): MeterRow[] {
  if ('meter' in scope) return [meters.meterRow(scope.meter)];
  const rows = meters.analysisRows();
  if ('all' in scope) return rows;
  const mine = rows.filter((r) => r.siteId === scope.siteId);
  if (mine.length === 0) throw new AppError('NOT_FOUND', `Site ${scope.siteId} has no meters; check the site id`);
  return mine;
}

/** The local days [fromDay, toDay) of a request (INVALID_ARGS when they are not dates or `to` is not after `from`). */
export function exportDays(from: string, to: string): { fromDay: number; toDay: number } {
  const fromDay = toLocalDay(from);
  const toDay = toLocalDay(to);
  for (const [name, text, day] of [
    ['from', from, fromDay],
    ['to', to, toDay],
  ] as const)
    if (!Number.isFinite(day))
      throw new AppError('INVALID_ARGS', `"${name}" (${text}) is not a date; expected YYYY-MM-DD`);
  if (!(toDay > fromDay)) throw new AppError('INVALID_ARGS', `"to" (${to}) must be after "from" (${from})`);
  return { fromDay, toDay };
}

/** Writes a readings or day-totals export to `out`; resolves with the rows written, the header included. */
export async function exportFromStore(
  deps: { meters: MeterService; readings: ReadingsStore },
  req: ExportRequest,
  out: Writable,
): Promise<number> {
  const { fromDay, toDay } = exportDays(req.from, req.to);
  const meters = scopeMeters(deps.meters, req.scope);
  const rows =
    req.what === 'days'
      ? dayTotals(deps.readings, meters, fromDay, toDay)
      : req.layout === 'wide'
        ? readingsWide(deps.readings, meters, fromDay, toDay)
        : readingsLong(deps.readings, meters, fromDay, toDay);
  return writeCsv(out, rows);
}
