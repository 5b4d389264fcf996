/**
 * The `eclectyc` command line: automation, cron and benchmarks over the same core and contract.
 * Every command takes --data-dir (default: the desktop app's folder) and --json (machine output on
 * stdout; human text otherwise). Logs and errors go to stderr.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { isMethod, type Args, type Method, type Result } from '../../src-shared/contract/api';
import { AppError, type AppErrorPayload } from '../../src-shared/contract/errors';
import type { ImportJob } from '../../src-shared/contract/types';
import { createCore, type Core } from '../core/app';
import { localCaller } from '../core/rpc/caller';
import { defaultDataDir } from '../core/db/paths';
import { silentLogger, stderrLogger } from '../core/events';
import { dispatch } from '../core/rpc/dispatch';
import { createHttpHost, listen } from '../server/http';
import { APP_VERSION } from '../version';
import { printTable, formatKwh } from './format';

const HELP = `eclectyc ${APP_VERSION} — Eclectyc Energy command line

Usage: eclectyc <command> [options]

Commands:
  import FILE... [--dry-run] [--meter ID] [--format F] [--priority high|normal|low]
         [--on-conflict keep|replace] [--notes TEXT] [--tags a,b] [--detach]
                                    import half-hourly files (one batch) and print a summary
  meters                            list meters with their first/last reading and count
  readings MPAN [--from ISO] [--to ISO]
                                    a meter's half-hours, from inclusive, to exclusive (UTC)
  jobs [--status S]                 import jobs (queued, running, retrying, done, failed, cancelled)
  aggregate [--full]                bring roll-ups up to date (--full: recompute everything)
  totals MPAN --period day|week|month|year --from DATE --to DATE
                                    roll-ups per period (UK local days, to exclusive)
  compare MPAN --period P --at PERIOD [--basis previous|year-ago]
                                    a period against the previous one or the same one a year earlier
  worker [--once]                   process queued and interrupted imports (--once: until empty)
  carbon fetch [--from ISO --to ISO] [--region ID | --postcode OUTWARD] [--meter MPAN]
                                    store GB grid carbon intensity (default: the last 24 hours;
                                    --meter: backfill what is missing over that meter's data)
  carbon current                    the latest grid carbon intensity (refreshed when over an hour old)
  emissions MPAN --from DATE --to DATE [--method halfhourly|annual] [--region ID | --regional]
                                    a meter's emissions in kgCO2 (UK local days, to exclusive)
  tariffs import FILE               import a tariff file (docs/tariffs.md); all or nothing
  tariffs list [--fuel electricity|gas]
                                    tariffs with their current version
  tariffs prices TARIFF_ID FILE     import half-hourly prices for a dynamic tariff
                                    (Octopus unit-rates JSON, or CSV of start,pencePerKwh)
  tariffs assign MPAN TARIFF_ID --from DATE [--kva N]
                                    put a meter on a tariff from a UK local day
  tariffs assignments MPAN          a meter's tariffs over time
  cost MPAN --from DATE --to DATE [--tariff ID]
                                    what the meter's use cost (UK local days, to exclusive)
  switch MPAN [--days 90 | --from DATE --to DATE] [--what-if PERCENT]
                                    price every other tariff on the same half-hours, best first
                                    (saved to the analysis history)
  serve [--port N] [--host H]       run the app in a browser (default http://127.0.0.1:8787/)
  call METHOD [--args JSON | --args-file FILE]
                                    any method of the app's contract (docs/cli.md lists them),
                                    its result printed as JSON

Options (every command):
  --data-dir DIR   data folder (default: ${defaultDataDir()})
  --json           machine-readable JSON on stdout
  --carbon-api URL Carbon Intensity API base URL (default https://api.carbonintensity.org.uk)
  -h, --help       this help;  -v, --version  the version

Docs: docs/cli.md`;

class UsageError extends Error {}

/** A contract call that failed (not found, conflict, invalid arguments…): exit code 1, the error's code kept. */
class CallFailed extends Error {
  constructor(readonly error: AppErrorPayload) {
    super(error.message);
  }
}

interface Ctx {
  json: boolean;
  dataDir: string;
  carbonApi?: string;
}

function out(ctx: Ctx, value: unknown, human: () => void): void {
  if (ctx.json) process.stdout.write(JSON.stringify(value, null, 2) + '\n');
  else human();
}

async function withCore<T>(ctx: Ctx, fn: (core: Core) => Promise<T>, host: 'cli' | 'server' = 'cli'): Promise<T> {
  const worker = path.join(__dirname, 'import-worker.cjs');
  const core = await createCore({
    dataDir: ctx.dataDir,
    host,
    version: APP_VERSION,
    log: ctx.json ? silentLogger : stderrLogger,
    workerScript: fs.existsSync(worker) ? worker : null,
    ...(ctx.carbonApi ? { carbonApi: ctx.carbonApi } : {}),
  });
  try {
    return await fn(core);
  } finally {
    await core.stop();
  }
}

async function call<M extends Method>(core: Core, method: M, args: Args<M>): Promise<Result<M>> {
  const r = await dispatch(core.handlers, method, args, localCaller('cli'), core.log);
  if (!r.ok) throw new CallFailed(r.error);
  return r.value as Result<M>;
}

function fileSummary(j: ImportJob) {
  return {
    file: j.file,
    format: j.format,
    rowsRead: j.rowsRead,
    readingsImported: j.readingsImported,
    duplicates: j.duplicates,
    conflicts: j.conflicts,
    rowsRejected: j.rowsRejected,
    metersCreated: j.metersCreated,
    status: j.status,
    ...(j.lastError ? { error: j.lastError } : {}),
    ...(j.preview ? { preview: j.preview } : {}),
    errors: j.errors.map((e) => ({ line: e.line, ...(e.column ? { column: e.column } : {}), ...(e.value !== undefined ? { value: e.value } : {}), message: e.message })),
  };
}

interface ImportOpts {
  dryRun: boolean;
  detach: boolean;
  meter?: string;
  format?: string;
  priority?: string;
  onConflict?: string;
  notes?: string;
  tags?: string;
}

async function cmdImport(ctx: Ctx, files: string[], o: ImportOpts): Promise<number> {
  const dryRun = o.dryRun;
  if (files.length === 0) throw new UsageError('import needs at least one FILE');
  return withCore(ctx, async (core) => {
    const results: ReturnType<typeof fileSummary>[] = [];
    const stored: { fileId: string; file: string }[] = [];
    let failed = false;
    for (const f of files) {
      try {
        const s = await core.files.storePath(path.resolve(f));
        stored.push({ fileId: s.fileId, file: f });
      } catch (e) {
        failed = true;
        results.push({ file: f, format: null, rowsRead: 0, readingsImported: 0, duplicates: 0, conflicts: 0, rowsRejected: 0, metersCreated: [], status: 'failed', error: (e as Error).message, errors: [] });
      }
    }
    if (stored.length > 0) {
      const enqueue = call(core, 'imports.enqueue', {
        fileIds: stored.map((s) => s.fileId),
        dryRun,
        ...(o.meter ? { meter: o.meter } : {}),
        ...(o.format ? { format: o.format as never } : {}),
        ...(o.priority ? { priority: o.priority as never } : {}),
        ...(o.onConflict ? { onConflict: o.onConflict as never } : {}),
        ...(o.notes ? { notes: o.notes } : {}),
        ...(o.tags ? { tags: o.tags.split(',').map((t) => t.trim()).filter(Boolean) } : {}),
      });
      // copies made for a batch that could not be queued are not left behind
      const { jobIds, batchId } = await enqueue.catch((e: unknown) => {
        for (const s of stored) core.files.forget(s.fileId);
        throw e;
      });
      if (o.detach) {
        out(ctx, { batchId, jobIds }, () => console.log(`Queued ${jobIds.length} file(s) as batch ${batchId} (jobs ${jobIds.join(', ')}). Run "eclectyc worker" or open the app to process them.`));
        return failed ? 1 : 0;
      }
      const mine = new Set(jobIds);
      await core.imports.drain((id) => mine.has(id));
      jobIds.forEach((id, i) => {
        const j = core.imports.get(id);
        if (j.status !== 'done') failed = true;
        results.push({ ...fileSummary(j), file: stored[i]!.file });
      });
    }
    out(ctx, { files: results }, () => {
      for (const r of results) {
        const head = dryRun ? 'Dry run (nothing written)' : 'Imported';
        if (r.status !== 'done') {
          console.log(`Could not import ${r.file}: ${r.error ?? "unknown error"}`);
          continue;
        }
        console.log(`${head} ${r.file} (${r.format ?? '?'} format)`);
        console.log(`  rows read ${r.rowsRead}, readings ${dryRun ? 'to import' : 'imported'} ${r.readingsImported}, duplicates ${r.duplicates}, conflicts ${r.conflicts}, rows rejected ${r.rowsRejected}`);
        if (r.metersCreated.length) console.log(`  created meters: ${r.metersCreated.join(', ')}`);
        if (r.preview) console.log(`  meters: ${r.preview.meters.join(', ') || 'none'}; readings from ${r.preview.firstReading ?? '-'} to ${r.preview.lastReading ?? '-'}`);
        for (const e of r.errors.slice(0, 20)) console.log(`  line ${e.line}${e.column ? `, column ${e.column}` : ''}: ${e.message}`);
        if (r.errors.length > 20) console.log(`  … and ${r.errors.length - 20} more (use --json for all)`);
      }
    });
    return failed ? 1 : 0;
  });
}

async function cmdMeters(ctx: Ctx): Promise<number> {
  return withCore(ctx, async (core) => {
    const list = await call(core, 'meters.list', {});
    const value = list.map((m) => ({ mpan: m.mpan, fuel: m.fuel, site: m.site, firstReading: m.firstReading, lastReading: m.lastReading, readings: m.readings }));
    out(ctx, value, () => {
      if (list.length === 0) return console.log('No meters yet. Import a file with: eclectyc import FILE');
      printTable(['Meter', 'Fuel', 'Site', 'First reading (UTC)', 'Last reading (UTC)', 'Readings'], value.map((m) => [m.mpan, m.fuel, m.site ?? '—', m.firstReading ?? '—', m.lastReading ?? '—', String(m.readings)]));
    });
    return 0;
  });
}

async function cmdReadings(ctx: Ctx, meter: string | undefined, from: string | undefined, to: string | undefined): Promise<number> {
  if (!meter) throw new UsageError('readings needs an MPAN (or meter id)');
  return withCore(ctx, async (core) => {
    const rows = await call(core, 'readings.list', { meter, from: from ?? '1970-01-01T00:00:00Z', to: to ?? '2100-01-01T00:00:00Z' });
    out(ctx, rows, () => {
      if (rows.length === 0) return console.log(`No readings for ${meter} in that range.`);
      printTable(['Start (UTC)', 'kWh', 'Quality'], rows.map((r) => [r.start, formatKwh(r.kwh), r.quality]));
    });
    return 0;
  });
}

async function cmdJobs(ctx: Ctx, status: string | undefined): Promise<number> {
  return withCore(ctx, async (core) => {
    const jobs = await call(core, 'imports.list', status ? { status: status as ImportJob['status'] } : {});
    const value = jobs.map((j) => ({ id: j.id, status: j.status, priority: j.priority, attempts: j.attempts, file: j.file, rowsRead: j.rowsRead, readingsImported: j.readingsImported, duplicates: j.duplicates, rowsRejected: j.rowsRejected, lastError: j.lastError }));
    out(ctx, value, () => {
      if (value.length === 0) return console.log('No import jobs.');
      printTable(['Id', 'Status', 'File', 'Rows', 'Imported', 'Duplicates', 'Rejected', 'Last error'], value.map((j) => [String(j.id), j.status, j.file, String(j.rowsRead), String(j.readingsImported), String(j.duplicates), String(j.rowsRejected), j.lastError ?? '']));
    });
    return 0;
  });
}

async function cmdWorker(ctx: Ctx, once: boolean): Promise<number> {
  return withCore(ctx, async (core) => {
    if (once) {
      await core.imports.drain();
      const left = core.imports.list({ status: 'retrying' }).length;
      out(ctx, { done: true, retrying: left }, () => console.log(`Queue empty${left ? ` (${left} job(s) waiting to retry)` : ''}.`));
      return 0;
    }
    core.start();
    console.error('Worker running; press Ctrl+C to stop.');
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    return 0;
  });
}

async function cmdAggregate(ctx: Ctx, full: boolean): Promise<number> {
  return withCore(ctx, async (core) => {
    const r = await call(core, 'aggregation.run', { full });
    out(ctx, r, () => console.log(`${full ? 'Rebuilt' : 'Updated'} roll-ups: ${r.metersTouched} meter(s), ${r.daysTouched} day(s) in ${r.seconds.toFixed(2)} s.`));
    return 0;
  });
}

const PERIODS = ['day', 'week', 'month', 'year'] as const;
function periodArg(p: string | undefined): (typeof PERIODS)[number] {
  if (!p) throw new UsageError('--period is required: day, week, month or year');
  if (!(PERIODS as readonly string[]).includes(p)) throw new UsageError(`--period must be day, week, month or year, not "${p}"`);
  return p as (typeof PERIODS)[number];
}

async function cmdTotals(ctx: Ctx, meter: string | undefined, period: string | undefined, from: string | undefined, to: string | undefined): Promise<number> {
  if (!meter) throw new UsageError('totals needs an MPAN (or meter id)');
  if (!from || !to) throw new UsageError('totals needs --from DATE and --to DATE (UK local days, to exclusive)');
  const kind = periodArg(period);
  return withCore(ctx, async (core) => {
    const rows = await call(core, 'totals.list', { meter, period: kind, from, to });
    const value = rows.map((r) => ({ period: r.period, kwh: r.kwh, min: r.min, max: r.max, mean: r.mean, baseload: r.baseload, peak: r.peak, peakAt: r.peakAt, halfHours: r.halfHours, missing: r.missing, completeness: r.completeness, ...(kind !== 'day' ? { averageDaily: r.averageDaily } : {}) }));
    out(ctx, value, () =>
      printTable(
        ['Period', 'kWh', 'Min', 'Max', 'Baseload', 'Peak at (UTC)', 'Half-hours', 'Missing', 'Complete'],
        value.map((r) => [r.period, r.kwh.toFixed(3), fmt(r.min), fmt(r.max), fmt(r.baseload), r.peakAt ?? '—', String(r.halfHours), String(r.missing), `${(r.completeness * 100).toFixed(1)} %`]),
      ),
    );
    return 0;
  });
}

const fmt = (v: number | null): string => (v === null ? '—' : v.toFixed(3));

async function cmdCompare(ctx: Ctx, meter: string | undefined, period: string | undefined, at: string | undefined, basis: string | undefined): Promise<number> {
  if (!meter) throw new UsageError('compare needs an MPAN (or meter id)');
  if (!at) throw new UsageError('compare needs --at PERIOD, e.g. 2025-03-30, 2025-W13, 2025-03 or 2025');
  if (basis && basis !== 'previous' && basis !== 'year-ago') throw new UsageError('--basis must be previous or year-ago');
  const kind = periodArg(period);
  return withCore(ctx, async (core) => {
    const c = await call(core, 'totals.compare', { meter, period: kind, at, ...(basis ? { basis: basis as 'previous' | 'year-ago' } : {}) });
    const value = {
      meter: c.meter,
      period: c.current.period,
      comparedWith: c.previous.period,
      basis: c.basis,
      kwh: c.current.kwh,
      previousKwh: c.previous.kwh,
      changeKwh: c.changeKwh,
      changePercent: c.changePercent,
      completeness: c.current.completeness,
      previousCompleteness: c.previous.completeness,
      comparable: c.comparable,
    };
    out(ctx, value, () => {
      const pct = c.changePercent === null ? 'n/a' : `${c.changePercent > 0 ? '+' : ''}${c.changePercent.toFixed(1)} %`;
      console.log(`${c.meter} ${c.current.period}: ${c.current.kwh.toFixed(3)} kWh vs ${c.previous.period}: ${c.previous.kwh.toFixed(3)} kWh → ${c.changeKwh >= 0 ? '+' : ''}${c.changeKwh.toFixed(3)} kWh (${pct})`);
      if (!c.comparable) console.log(`Not comparable: data is ${(c.current.completeness * 100).toFixed(0)} % / ${(c.previous.completeness * 100).toFixed(0)} % complete (90 % needed).`);
    });
    return 0;
  });
}

async function cmdCarbon(ctx: Ctx, sub: string | undefined, from: string | undefined, to: string | undefined, region: string | undefined, meter: string | undefined, postcode: string | undefined): Promise<number> {
  return withCore(ctx, async (core) => {
    if (sub === 'current') {
      let now = await call(core, 'carbon.current', {});
      if (!now || now.ageSeconds > 3600) {
        try {
          await call(core, 'carbon.refresh', {});
          now = await call(core, 'carbon.current', {});
        } catch (e) {
          if (!now) throw e;
          console.error(`eclectyc: could not refresh (${(e as Error).message}); showing the stored value`);
        }
      }
      out(ctx, now, () => {
        if (!now) return console.log('No carbon intensity stored yet.');
        console.log(`${now.intensity ?? '—'} gCO2/kWh (${now.index ?? 'no index'}, ${now.kind}) for the half-hour from ${now.at}; ${now.trend ?? 'trend unknown'}; fetched ${Math.round(now.ageSeconds / 60)} min ago`);
      });
      return 0;
    }
    if (sub === 'fetch') {
      if (meter) {
        const r = await call(core, 'carbon.fetch', { meter });
        out(ctx, r, () => console.log(r.national ? `Backfilled ${r.national} half-hours over ${meter}'s data.` : `Intensity is already stored for all of ${meter}'s data.`));
        return 0;
      }
      const t = Math.floor(Date.now() / 1000);
      const a = from ?? new Date((t - 86400) * 1000).toISOString();
      const b = to ?? new Date((t + 1800) * 1000).toISOString();
      const regionId = region === undefined ? undefined : Number(region);
      if (regionId !== undefined && !Number.isInteger(regionId)) throw new UsageError('--region must be a region id from 1 to 17');
      const r = await call(core, 'carbon.fetch', { from: a, to: b, ...(regionId !== undefined ? { region: regionId } : {}), ...(postcode ? { postcode } : {}) });
      out(ctx, r, () =>
        console.log(
          postcode
            ? `Stored ${r.regional} regional half-hours for ${postcode.toUpperCase()} (region ${r.regionId ?? '?'}) from ${a} to ${b}.`
            : `Stored ${r.national} national${regionId !== undefined ? ` and ${r.regional} regional` : ''} half-hours from ${a} to ${b}.`,
        ),
      );
      return 0;
    }
    throw new UsageError('carbon needs a subcommand: fetch or current');
  });
}

async function cmdEmissions(ctx: Ctx, meter: string | undefined, from: string | undefined, to: string | undefined, method: string | undefined, region: string | undefined, regional: boolean): Promise<number> {
  if (!meter) throw new UsageError('emissions needs an MPAN (or meter id)');
  if (!from || !to) throw new UsageError('emissions needs --from DATE and --to DATE (UK local days, to exclusive)');
  if (method && method !== 'halfhourly' && method !== 'annual') throw new UsageError('--method must be halfhourly or annual');
  return withCore(ctx, async (core) => {
    const r = await call(core, 'emissions.meter', { meter, from, to, ...(method ? { method: method as 'halfhourly' | 'annual' } : {}), ...(region ? { region: Number(region) } : {}), ...(regional ? { regional } : {}) });
    out(ctx, r, () => console.log(`${meter} ${from} to ${to}: ${r.kwh.toFixed(3)} kWh, ${r.kgco2.toFixed(3)} kgCO2 (${r.method}; ${(r.coverage * 100).toFixed(1)} % of half-hours covered)`));
    return 0;
  });
}

const pounds = (pence: number): string => `£${(Math.round(pence) / 100).toLocaleString('en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

async function cmdTariffs(ctx: Ctx, sub: string | undefined, args: string[], o: { fuel?: string; from?: string; kva?: string }): Promise<number> {
  return withCore(ctx, async (core) => {
    if (sub === 'import') {
      const file = args[0];
      if (!file) throw new UsageError('tariffs import needs a FILE');
      const text = readText(file);
      const r = await call(core, 'tariffs.import', { text, fileName: path.basename(file) });
      out(ctx, r, () => console.log(`Imported ${r.tariffs} tariff(s) from ${file}: ${r.versionsAdded} version(s) added, ${r.versionsReplaced} replaced, ${r.unchanged} unchanged${r.prices ? `, ${r.prices} half-hourly prices` : ''}.`));
      return 0;
    }
    if (sub === 'list') {
      if (o.fuel && o.fuel !== 'electricity' && o.fuel !== 'gas') throw new UsageError('--fuel must be electricity or gas');
      const list = await call(core, 'tariffs.list', o.fuel ? { fuel: o.fuel as 'electricity' | 'gas' } : {});
      out(ctx, list, () => {
        if (list.length === 0) return console.log('No tariffs yet. Import some with: eclectyc tariffs import FILE');
        printTable(
          ['Id', 'Name', 'Supplier', 'Fuel', 'Kind', 'Valid from', 'Standing p/day', 'Active'],
          list.map((t) => {
            const v = t.versions[t.versions.length - 1]!;
            return [t.id, t.name, t.supplier + (t.isDefault ? ' (default)' : ''), t.fuel, t.kind, v.validFrom, String(v.spec.standingChargePencePerDay), t.active ? 'yes' : 'no'];
          }),
        );
      });
      return 0;
    }
    if (sub === 'prices') {
      const [id, file] = args;
      if (!id || !file) throw new UsageError('tariffs prices needs TARIFF_ID and FILE');
      const r = await call(core, 'tariffs.importPrices', { id, text: readText(file), fileName: path.basename(file) });
      out(ctx, r, () => console.log(`Stored ${r.prices} half-hourly prices for ${id} from ${r.first} to ${r.last}.`));
      return 0;
    }
    if (sub === 'assign') {
      const [meter, tariff] = args;
      if (!meter || !tariff) throw new UsageError('tariffs assign needs MPAN and TARIFF_ID');
      if (!o.from) throw new UsageError('tariffs assign needs --from DATE (the first UK local day on the tariff)');
      const kva = o.kva === undefined ? undefined : Number(o.kva);
      if (kva !== undefined && !(kva > 0)) throw new UsageError('--kva must be a capacity above 0');
      const r = await call(core, 'tariffs.assign', { meter, tariff, from: o.from, ...(kva !== undefined ? { capacityKva: kva } : {}) });
      out(ctx, r, () => printAssignments(r));
      return 0;
    }
    if (sub === 'assignments') {
      const meter = args[0];
      if (!meter) throw new UsageError('tariffs assignments needs an MPAN');
      const r = await call(core, 'tariffs.assignments', { meter });
      out(ctx, r, () => (r.length === 0 ? console.log(`${meter} has no tariff assigned.`) : printAssignments(r)));
      return 0;
    }
    throw new UsageError('tariffs needs a subcommand: import, list, prices, assign or assignments');
  });
}

function printAssignments(list: Result<'tariffs.assignments'>): void {
  printTable(['Tariff', 'Name', 'From', 'Until (exclusive)'], list.map((a) => [a.tariff, a.tariffName, a.from, a.to ?? '—']));
}

function readText(file: string): string {
  try {
    return fs.readFileSync(path.resolve(file), 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
}

async function cmdCost(ctx: Ctx, meter: string | undefined, from: string | undefined, to: string | undefined, tariff: string | undefined): Promise<number> {
  if (!meter) throw new UsageError('cost needs an MPAN (or meter id)');
  if (!from || !to) throw new UsageError('cost needs --from DATE and --to DATE (UK local days, to exclusive)');
  return withCore(ctx, async (core) => {
    const c = await call(core, 'cost.meter', { meter, from, to, ...(tariff ? { tariff } : {}) });
    const value = {
      tariff: c.tariff,
      kwh: c.kwh,
      unitCostPence: c.unitCostPence,
      standingChargePence: c.standingChargePence,
      cclPence: c.cclPence,
      vatPence: c.vatPence,
      totalPence: c.totalPence,
      bands: c.bands.map((b) => ({ name: b.name, kwh: b.kwh, pence: b.pence, kind: b.kind, pencePerKwh: b.pencePerKwh })),
      missingHalfHours: c.missingHalfHours,
      meter: c.meter,
      from: c.from,
      to: c.to,
      tariffName: c.tariffName,
      duosPence: c.duosPence,
      capacityPence: c.capacityPence,
      expectedHalfHours: c.expectedHalfHours,
      unpricedHalfHours: c.unpricedHalfHours,
      periods: c.periods,
      notes: c.notes,
    };
    out(ctx, value, () => {
      console.log(`${c.meter} ${c.from} to ${c.to} (exclusive) on ${c.tariffName} (${c.tariff}): ${c.kwh.toFixed(3)} kWh`);
      printTable(['Charge', 'kWh', 'Rate', 'Cost'], [
        ...c.bands.map((b) => [b.name, b.kwh.toFixed(3), b.pencePerKwh === null ? 'varies' : `${b.pencePerKwh} p/kWh`, pounds(b.pence)]),
        ...c.periods.map((p) => [`Standing charge ${p.from}…`, '', `${p.days} d × ${p.standingChargePencePerDay} p`, pounds(p.standingChargePence)]),
        ...(c.cclPence ? [['Climate Change Levy', c.kwh.toFixed(3), '', pounds(c.cclPence)]] : []),
        ...(c.capacityPence ? [['Capacity charge', '', '', pounds(c.capacityPence)]] : []),
        ['VAT', '', c.periods.map((p) => `${p.vatRate * 100} %`).filter((v, i, a) => a.indexOf(v) === i).join(', '), pounds(c.vatPence)],
        ['Total', '', '', pounds(c.totalPence)],
      ]);
      for (const n of c.notes) console.log(`Note: ${n}`);
    });
    return 0;
  });
}

async function cmdSwitch(ctx: Ctx, meter: string | undefined, o: { days?: string; from?: string; to?: string; whatIf?: string }): Promise<number> {
  if (!meter) throw new UsageError('switch needs an MPAN (or meter id)');
  if ((o.from === undefined) !== (o.to === undefined)) throw new UsageError('give both --from and --to, or --days');
  if (o.days !== undefined && o.from !== undefined) throw new UsageError('give --days or --from/--to, not both');
  const days = o.days === undefined ? undefined : Number(o.days);
  if (days !== undefined && !(Number.isInteger(days) && days > 0)) throw new UsageError('--days must be a whole number of days above 0');
  const whatIf = o.whatIf === undefined ? undefined : Number(o.whatIf);
  if (whatIf !== undefined && !(whatIf >= 0 && whatIf <= 100)) throw new UsageError('--what-if must be a percentage from 0 to 100');
  return withCore(ctx, async (core) => {
    const a = await call(core, 'switching.analyse', { meter, ...(days !== undefined ? { days } : {}), ...(o.from ? { from: o.from, to: o.to } : {}), ...(whatIf !== undefined ? { whatIfPercent: whatIf } : {}) });
    const value = {
      id: a.id,
      meter: a.meter,
      from: a.from,
      to: a.to,
      current: { tariff: a.current.tariff, tariffName: a.current.tariffName, basis: a.current.basis, kwh: a.current.kwh, unitCostPence: a.current.unitCostPence, standingChargePence: a.current.standingChargePence, cclPence: a.current.cclPence, vatPence: a.current.vatPence, totalPence: a.current.totalPence, missingHalfHours: a.current.missingHalfHours, notes: a.current.notes },
      alternatives: a.alternatives.map((x) => ({ tariff: x.tariff, name: x.name, supplier: x.supplier, totalPence: x.totalPence, savingPence: x.savingPence, savingPercent: x.savingPercent })),
      skipped: a.skipped,
      whatIf: a.whatIf,
      warning: a.warning,
    };
    out(ctx, value, () => {
      console.log(`${a.meter} ${a.from} to ${a.to} (exclusive): now ${pounds(a.current.totalPence)} on ${a.current.tariffName}${a.current.basis === 'supplier-default' ? " (the supplier's default: no tariff assigned)" : ''}`);
      if (a.whatIf) console.log(`What-if: ${a.whatIf.percent} % of use moved from ${a.whatIf.fromBand} to ${a.whatIf.toBand} (${a.whatIf.movedKwh.toFixed(1)} kWh, bands of ${a.whatIf.referenceTariff}).`);
      if (a.alternatives.length === 0) console.log('No other active tariff for this fuel and region to compare with.');
      else printTable(['#', 'Tariff', 'Supplier', 'Total', 'Saving', 'Saving %'], a.alternatives.map((x, i) => [String(i + 1), `${x.name} (${x.tariff})`, x.supplier, pounds(x.totalPence), pounds(x.savingPence), x.savingPercent === null ? '—' : `${x.savingPercent.toFixed(1)} %`]));
      for (const s of a.skipped) console.log(`Not compared: ${s.tariff}: ${s.reason}`);
      for (const n of a.current.notes) console.log(`Note: ${n}`);
      console.log(a.warning);
    });
    return 0;
  });
}

async function cmdServe(ctx: Ctx, port: number, host: string): Promise<number> {
  // Imports run on a worker thread so the server keeps answering while a big file goes in.
  const thread = path.join(__dirname, 'import-worker.cjs');
  const core = await createCore({ dataDir: ctx.dataDir, host: 'server', version: APP_VERSION, log: stderrLogger, importThread: fs.existsSync(thread) ? thread : null, carbonPolling: true, ...(ctx.carbonApi ? { carbonApi: ctx.carbonApi } : {}) });
  const staticDir = path.join(__dirname, 'renderer');
  const server = createHttpHost(core, { staticDir });
  const url = await listen(server, port, host);
  core.start();
  if (ctx.json) process.stdout.write(JSON.stringify({ url, dataDir: ctx.dataDir }) + '\n');
  else {
    console.log(`Eclectyc Energy is running at ${url}`);
    console.log(`Data folder: ${ctx.dataDir}`);
    if (host !== '127.0.0.1' && host !== 'localhost' && host !== '::1') console.log('Warning: listening beyond this machine; anyone who can reach it has full access.');
    console.log('Press Ctrl+C to stop.');
  }
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await new Promise<void>((r) => server.close(() => r()));
  server.closeAllConnections();
  await core.stop();
  return 0;
}

/** Any contract method, its arguments as JSON: the result is printed as JSON. */
async function cmdCall(ctx: Ctx, method: string | undefined, argsText: string | undefined, argsFile: string | undefined): Promise<number> {
  if (!method) throw new UsageError('call needs a METHOD, e.g. eclectyc call meters.list (docs/cli.md lists them)');
  if (!isMethod(method)) throw new UsageError(`unknown method "${method}"; docs/cli.md lists the methods`);
  if (argsText !== undefined && argsFile !== undefined) throw new UsageError('give --args or --args-file, not both');
  let text = argsText;
  if (argsFile !== undefined) {
    try {
      text = fs.readFileSync(argsFile, 'utf8');
    } catch {
      throw new UsageError(`--args-file ${argsFile}: no such file`);
    }
  }
  let args: unknown = {};
  if (text !== undefined && text.trim() !== '') {
    try {
      args = JSON.parse(text);
    } catch (e) {
      throw new UsageError(`the arguments are not valid JSON (${(e as Error).message})`);
    }
  }
  return withCore(ctx, async (core) => {
    const value = await call(core, method, args as Args<Method>);
    process.stdout.write(JSON.stringify(value ?? null, null, 2) + '\n');
    return 0;
  });
}

export async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        'data-dir': { type: 'string' },
        json: { type: 'boolean', default: false },
        'dry-run': { type: 'boolean', default: false },
        detach: { type: 'boolean', default: false },
        meter: { type: 'string' },
        format: { type: 'string' },
        priority: { type: 'string' },
        'on-conflict': { type: 'string' },
        notes: { type: 'string' },
        tags: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        status: { type: 'string' },
        once: { type: 'boolean', default: false },
        full: { type: 'boolean', default: false },
        period: { type: 'string' },
        at: { type: 'string' },
        basis: { type: 'string' },
        region: { type: 'string' },
        regional: { type: 'boolean', default: false },
        postcode: { type: 'string' },
        method: { type: 'string' },
        fuel: { type: 'string' },
        kva: { type: 'string' },
        tariff: { type: 'string' },
        days: { type: 'string' },
        'what-if': { type: 'string' },
        'carbon-api': { type: 'string' },
        args: { type: 'string' },
        'args-file': { type: 'string' },
        port: { type: 'string' },
        host: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
        version: { type: 'boolean', short: 'v', default: false },
      },
    });
  } catch (e) {
    console.error(`eclectyc: ${(e as Error).message}\nRun "eclectyc --help" for usage.`);
    return 2;
  }
  const { values: o, positionals } = parsed;
  if (o.version) {
    console.log(APP_VERSION);
    return 0;
  }
  const [cmd, ...rest] = positionals;
  if (o.help || !cmd) {
    console.log(HELP);
    return cmd || o.help ? 0 : 2;
  }
  const ctx: Ctx = { json: o.json, dataDir: path.resolve(o['data-dir'] ?? defaultDataDir()), ...(o['carbon-api'] ? { carbonApi: o['carbon-api'] } : {}) };
  try {
    switch (cmd) {
      case 'import':
        return await cmdImport(ctx, rest, {
          dryRun: o['dry-run'],
          detach: o.detach,
          meter: o.meter,
          format: o.format,
          priority: o.priority,
          onConflict: o['on-conflict'],
          notes: o.notes,
          tags: o.tags,
        });
      case 'meters':
        return await cmdMeters(ctx);
      case 'readings':
        return await cmdReadings(ctx, rest[0], o.from, o.to);
      case 'jobs':
        return await cmdJobs(ctx, o.status);
      case 'worker':
        return await cmdWorker(ctx, o.once);
      case 'aggregate':
        return await cmdAggregate(ctx, o.full);
      case 'totals':
        return await cmdTotals(ctx, rest[0], o.period, o.from, o.to);
      case 'compare':
        return await cmdCompare(ctx, rest[0], o.period, o.at, o.basis);
      case 'carbon':
        return await cmdCarbon(ctx, rest[0], o.from, o.to, o.region, o.meter, o.postcode);
      case 'emissions':
        return await cmdEmissions(ctx, rest[0], o.from, o.to, o.method, o.region, o.regional);
      case 'tariffs':
        return await cmdTariffs(ctx, rest[0], rest.slice(1), { fuel: o.fuel, from: o.from, kva: o.kva });
      case 'cost':
        return await cmdCost(ctx, rest[0], o.from, o.to, o.tariff);
      case 'switch':
        return await cmdSwitch(ctx, rest[0], { days: o.days, from: o.from, to: o.to, whatIf: o['what-if'] });
      case 'call':
        return await cmdCall(ctx, rest[0], o.args, o['args-file']);
      case 'serve': {
        const port = o.port === undefined ? 8787 : Number(o.port);
        if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be a number from 0 to 65535, not "${o.port}"`);
        return await cmdServe(ctx, port, o.host ?? '127.0.0.1');
      }
      default:
        throw new UsageError(`unknown command "${cmd}"`);
    }
  } catch (e) {
    // 2: the command line was wrong; 1: the operation failed (its error code kept in --json)
    const error: Omit<AppErrorPayload, 'code'> & { code: AppErrorPayload['code'] | 'USAGE' } =
      e instanceof CallFailed ? e.error : e instanceof AppError ? { code: e.code, message: e.message, ...(e.details !== undefined ? { details: e.details } : {}) } : { code: e instanceof UsageError ? 'USAGE' : 'INTERNAL', message: e instanceof Error ? e.message : String(e) };
    if (ctx.json) process.stdout.write(JSON.stringify({ error }) + '\n');
    console.error(`eclectyc: ${error.message}`);
    if (e instanceof UsageError) console.error('Run with --help for usage.');
    return e instanceof UsageError ? 2 : 1;
  }
}

if (typeof require !== 'undefined' && require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
