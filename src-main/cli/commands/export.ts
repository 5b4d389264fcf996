/**
 * `eclectyc export readings|days|totals|costs|emissions|alerts`: a table as CSV (UTF-8 with a BOM,
 * CRLF, formula-safe) for one meter, a site's meters or every meter, to a file or stdout, streamed
 * as it is produced. A file is written under a temporary name and renamed when complete.
 */
import { EXPORTS, runExport, type ExportRequest, type ExportScope, type ExportWhat } from '../../core/exports/export';
import { exportToFile } from '../../core/exports/file';
import { call, out, str, UsageError, withCore, type Command, type Opts } from '../command';
import { periodArg } from './totals';
import { parsePeriod } from '../../../src-shared/domain/periods';
import type { Call } from '../../core/exports/tables';

const USAGE =
  'export readings|days|totals|costs|emissions|alerts [--meter MPAN | --site ID | --all] --from DATE --to DATE';

/** The one scope option given (`usage`: the command's usage line, for the error). */
export function scopeArg(o: Opts, usage = USAGE): ExportScope {
  const meter = str(o, 'meter');
  const site = str(o, 'site');
  const given = [meter !== undefined, site !== undefined, o.all === true].filter(Boolean).length;
  if (given !== 1) throw new UsageError(`give exactly one of --meter MPAN, --site ID or --all: ${usage}`);
  if (meter !== undefined) return { meter };
  if (site !== undefined) {
    if (!/^[1-9]\d{0,9}$/.test(site)) throw new UsageError(`--site must be a site id (a whole number), not "${site}"`);
    return { siteId: Number(site) };
  }
  return { all: true };
}

/** The request the command line asks for. */
function requestOf(what: string | undefined, o: Opts): ExportRequest {
  if (!what || !(EXPORTS as readonly string[]).includes(what))
    throw new UsageError(`export needs what to export (${EXPORTS.join(', ')}): ${USAGE}`);
  const from = str(o, 'from');
  const to = str(o, 'to');
  if (!from || !to) throw new UsageError('export needs --from DATE and --to DATE (UK local days, to exclusive)');
  for (const [flag, text] of [
    ['--from', from],
    ['--to', to],
  ])
    if (parsePeriod('day', text!) === null)
      throw new UsageError(`${flag} must be a date written YYYY-MM-DD (e.g. 2025-03-01), not "${text}"`);
  const layout = str(o, 'layout');
  if (layout !== undefined && layout !== 'long' && layout !== 'wide')
    throw new UsageError(`--layout must be long or wide, not "${layout}"`);
  if (layout !== undefined && what !== 'readings') throw new UsageError('--layout applies to export readings only');
  const method = str(o, 'method');
  if (method !== undefined && method !== 'halfhourly' && method !== 'annual')
    throw new UsageError('--method must be halfhourly or annual');
  return {
    what: what as ExportWhat,
    scope: scopeArg(o),
    from,
    to,
    ...(layout ? { layout } : {}),
    ...(what === 'totals' ? { period: str(o, 'period') ? periodArg(str(o, 'period')) : 'month' } : {}),
    ...(method ? { method } : {}),
  };
}

export const exportCommand: Command = {
  name: 'export',
  help: `  ${USAGE}
          [--layout long|wide] [--period day|week|month|year] [--method halfhourly|annual] [--out FILE]
                                    a table as CSV for Excel (UK local days, to exclusive); stdout without --out`,
  options: {
    meter: { type: 'string' },
    site: { type: 'string' },
    all: { type: 'boolean' },
    from: { type: 'string' },
    to: { type: 'string' },
    layout: { type: 'string' },
    period: { type: 'string' },
    method: { type: 'string' },
    out: { type: 'string' },
  },
  async run(ctx, [what], o) {
    const req = requestOf(what, o);
    const file = str(o, 'out');
    return withCore(ctx, async (core) => {
      const viaCli: Call = (method, args) => call(core, method, args);
      const deps = { meters: core.meters, readings: core.readings, call: viaCli };
      if (!file) {
        await runExport(deps, req, process.stdout);
        return 0;
      }
      const saved = await exportToFile(deps, req, file);
      out(ctx, { file: saved.file, rows: saved.rows, bytes: saved.bytes }, () =>
        console.log(`Wrote ${saved.rows.toLocaleString('en-GB')} rows to ${saved.file}`),
      );
      return 0;
    });
  },
};
