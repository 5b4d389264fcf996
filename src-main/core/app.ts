/**
 * createCore: the whole application minus any UI. Every host (Electron, headless server, CLI)
 * builds one core and talks to it through `handlers` (via dispatch) and `events`.
 */
import type Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import type { Handlers } from '../../src-shared/contract/api';
import type { AppInfo } from '../../src-shared/contract/types';
import { AppError } from '../../src-shared/contract/errors';
import { systemClock, type Clock } from './clock';
import { dbFile, importsDir } from './db/paths';
import { openDb } from './db/open';
import { createEventBus, stderrLogger, type EventBus, type Logger } from './events';
import { FileStore } from './imports/files';
import { ImportQueue } from './imports/queue';
import { MeterService } from './meters/meter-service';
import { SettingsStore } from './settings';
import { AggregationService } from './aggregation/aggregation-service';
import { Scheduler } from './aggregation/scheduler';
import { TotalsService, toLocalDay } from './aggregation/totals';
import { CarbonService } from './carbon/carbon-service';
import { TariffStore } from './tariffs/tariff-store';
import { TariffService } from './tariffs/tariff-service';
import { ReadingsStore } from './readings/store';

export interface CoreOptions {
  dataDir: string;
  /** Folder with drizzle's generated migrations (repo `drizzle/`, or resources when packaged). */
  migrationsDir?: string;
  clock?: Clock;
  fetch?: typeof fetch;
  log?: Logger;
  host?: AppInfo['host'];
  version?: string;
  /**
   * The bundled import worker-thread script (dist/import-worker.cjs). Hosts with a window or
   * clients to serve pass it so parsing never blocks them; without it imports run on the calling
   * thread, yielding between chunks (the CLI, tests).
   */
  importThread?: string | null;
  /** The same bundled worker script where imports run inline (the CLI): large files are parsed on a thread of it while the CLI stores them. */
  workerScript?: string | null;
  /** Carbon Intensity API base URL (default https://api.carbonintensity.org.uk). */
  carbonApi?: string;
  /** Poll the Carbon Intensity API every 30 minutes while started (hosts with users; not tests). */
  carbonPolling?: boolean;
}

export interface Core {
  dataDir: string;
  sqlite: Database.Database;
  handlers: Handlers;
  events: EventBus;
  files: FileStore;
  imports: ImportQueue;
  meters: MeterService;
  /** The one owner of half-hourly data. */
  readings: ReadingsStore;
  settings: SettingsStore;
  aggregation: AggregationService;
  totals: TotalsService;
  scheduler: Scheduler;
  carbon: CarbonService;
  tariffStore: TariffStore;
  tariffs: TariffService;
  log: Logger;
  /** Starts background services (the import queue). */
  start(): void;
  /** Stops background services and closes the database. */
  stop(): Promise<void>;
}

/** Finds drizzle/ by walking up from this file (works from src and from the bundled dist/). */
export function findMigrationsDir(from: string = typeof __dirname === 'string' ? __dirname : process.cwd()): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'drizzle');
    if (fs.existsSync(path.join(candidate, 'meta', '_journal.json'))) return candidate;
    if (path.dirname(dir) === dir) throw new Error(`drizzle migrations folder not found above ${from}`);
  }
}

export async function createCore(opts: CoreOptions): Promise<Core> {
  const log = opts.log ?? stderrLogger;
  const clock = opts.clock ?? systemClock;
  fs.mkdirSync(opts.dataDir, { recursive: true });
  const { sqlite, backupPath } = await openDb(dbFile(opts.dataDir), opts.migrationsDir ?? findMigrationsDir());
  if (backupPath) log.info(`database backed up to ${backupPath} before migrating`);
  const readings = new ReadingsStore(sqlite);
  const events = createEventBus(log);
  const files = new FileStore(sqlite, importsDir(opts.dataDir));
  const imports = new ImportQueue(sqlite, files, events, clock, log, { dbPath: dbFile(opts.dataDir), threadScript: opts.importThread ?? null, parseWorker: opts.workerScript ?? opts.importThread ?? null });
  const settings = new SettingsStore(sqlite);
  const aggregation = new AggregationService(readings, clock, { workerScript: opts.workerScript ?? opts.importThread ?? null, dbPath: dbFile(opts.dataDir), log });
  const totals = new TotalsService(sqlite, readings, clock);
  const scheduler = new Scheduler(sqlite, clock, settings, aggregation, events, log);
  const carbon = new CarbonService(sqlite, readings, clock, log, { baseUrl: opts.carbonApi ?? settings.get().carbonApi, fetch: opts.fetch });
  /** The regions the portfolio's sites are in: polled with the national values. */
  const siteRegions = (): number[] => [...new Set(meters.sites().map((s) => s.regionId).filter((r): r is number => r !== null))];
  // every finished import brings the roll-ups of the meter-days it touched up to date
  events.subscribe((e) => {
    if (e.event === 'imports.updated' && !e.payload.job.dryRun && (e.payload.job.status === 'done' || e.payload.job.status === 'cancelled')) void scheduler.afterImport();
  });
  const meters = new MeterService(sqlite, readings);
  const tariffStore = new TariffStore(sqlite, clock);
  const tariffs = new TariffService(sqlite, tariffStore, meters, readings, clock, events, log);
  const audit = sqlite.prepare('INSERT INTO audit_log (at, actor, action, details) VALUES (?, ?, ?, ?)');

  const handlers = {
    'app.info': (_a, ctx) => ({ version: opts.version ?? '0.0.0', dataDir: opts.dataDir, host: opts.host ?? 'memory', role: ctx.role }),
    'imports.enqueue': (a, ctx) => {
      const { fileIds, ...opts } = a;
      const r = imports.enqueue(fileIds, opts);
      audit.run(Math.floor(clock.now() / 1000), ctx.actor, a.dryRun ? 'imports.dry-run' : 'imports.enqueue', JSON.stringify({ batchId: r.batchId, jobIds: r.jobIds }));
      return r;
    },
    'imports.list': (a) => imports.list(a),
    'imports.get': (a) => imports.get(a.id),
    'imports.cancel': (a, ctx) => {
      audit.run(Math.floor(clock.now() / 1000), ctx.actor, 'imports.cancel', JSON.stringify({ id: a.id }));
      return imports.cancel(a.id);
    },
    'imports.retry': (a, ctx) => {
      audit.run(Math.floor(clock.now() / 1000), ctx.actor, 'imports.retry', JSON.stringify({ id: a.id }));
      return imports.retry(a.id);
    },
    'imports.cleanup': (a, ctx) => {
      const r = imports.cleanup(a.days ?? settings.get().importRetentionDays);
      audit.run(Math.floor(clock.now() / 1000), ctx.actor, 'imports.cleanup', JSON.stringify(r));
      return r;
    },
    'aggregation.run': async (a, ctx) => {
      audit.run(Math.floor(clock.now() / 1000), ctx.actor, a.full ? 'aggregation.rebuild' : 'aggregation.run', null);
      const run = a.full ? await scheduler.rebuild() : await scheduler.nightly('manual');
      if (run.status === 'failed') throw new AppError('INTERNAL', `the roll-up failed: ${run.error}`);
      const sm = run.summary as { metersTouched: number; daysTouched: number; seconds: number };
      return { metersTouched: sm.metersTouched, daysTouched: sm.daysTouched, seconds: sm.seconds };
    },
    'totals.list': (a) => totals.list(a.meter, a.period, a.from, a.to),
    'totals.compare': (a) => totals.compare(a.meter, a.period, a.at, a.basis),
    'totals.site': (a) => totals.site(a.siteId, a.period, a.from, a.to),
    'dashboard.summary': () => totals.dashboard(imports.list({ limit: 1 })[0] ?? null, scheduler.lastRun()),
    'scheduler.runs': (a) => scheduler.runs(a.limit),
    'sites.create': (a, ctx) => {
      audit.run(Math.floor(clock.now() / 1000), ctx.actor, 'sites.create', JSON.stringify(a));
      return meters.createSite(a.name, a.postcode, a.organisation);
    },
    'sites.get': (a) => meters.site(a.id),
    'sites.update': (a, ctx) => {
      audit.run(Math.floor(clock.now() / 1000), ctx.actor, 'sites.update', JSON.stringify(a));
      const { id, ...patch } = a;
      return meters.updateSite(id, patch);
    },
    'meters.update': (a, ctx) => {
      audit.run(Math.floor(clock.now() / 1000), ctx.actor, 'meters.update', JSON.stringify(a));
      const { meter, ...patch } = a;
      return meters.update(meter, patch);
    },
    'carbon.current': () => carbon.current(),
    'carbon.refresh': () => carbon.refresh({ quick: true, regions: siteRegions() }),
    'carbon.fetch': async (a) => {
      if (a.meter !== undefined) return { national: (await carbon.backfill(meters.meterRow(a.meter).id)).national, regional: 0 };
      const from = Math.floor(Date.parse(a.from!) / 1000);
      const to = Math.floor(Date.parse(a.to!) / 1000);
      if (a.postcode !== undefined) return carbon.fetchPostcode(a.postcode, from, to);
      return carbon.fetch(from, to, a.region);
    },
    'carbon.history': (a) => ({ ...carbon.history(a.days), bestWindow: carbon.bestWindow(a.windowHours ?? 3) }),
    'emissions.meter': (a) => {
      const m = meters.meterRow(a.meter);
      const from = toLocalDay(a.from);
      const to = toLocalDay(a.to);
      if (to <= from) throw new AppError('INVALID_ARGS', '"to" must be after "from"');
      let region = a.region;
      if (a.regional && region === undefined) {
        region = meters.regionOf(a.meter) ?? undefined;
        if (region === undefined) throw new AppError('BAD_INPUT', `no region is known for ${a.meter}: it is not an MPAN with a regional distributor and its site has no region; choose the site's region`);
      }
      return carbon.emissions(m.id, m.fuel, from, to, a.method ?? 'halfhourly', region);
    },
    'carbon.factors': () => carbon.factors(),
    'carbon.setFactor': (a, ctx) => {
      audit.run(Math.floor(clock.now() / 1000), ctx.actor, 'carbon.setFactor', JSON.stringify(a));
      return carbon.setFactor(a.year, a.fuel, a.kgPerKwh, a.source);
    },
    'settings.get': () => settings.get(),
    'settings.update': (a, ctx) => {
      audit.run(Math.floor(clock.now() / 1000), ctx.actor, 'settings.update', JSON.stringify(a));
      const updated = settings.update(a);
      if (a.carbonApi && !opts.carbonApi) carbon.useBaseUrl(a.carbonApi);
      if (a.nightlyRunAt && started) void scheduler.tick();
      return updated;
    },
    'tariffs.list': (a) => tariffStore
      .all(a.fuel)
      .filter((t) => !a.activeOnly || tariffStore.isActive(t))
      .map((t) => tariffStore.describe(t)),
    'tariffs.get': (a) => tariffStore.describe(tariffStore.get(a.id)),
    'tariffs.save': (a, ctx) => {
      const outcome = tariffStore.save(a.tariff);
      audit.run(Math.floor(clock.now() / 1000), ctx.actor, 'tariffs.save', JSON.stringify({ id: a.tariff.id, validFrom: a.tariff.validFrom, outcome }));
      return tariffStore.describe(tariffStore.get(a.tariff.id));
    },
    'tariffs.import': (a, ctx) => {
      const r = tariffStore.importFile(a.text, a.fileName);
      audit.run(Math.floor(clock.now() / 1000), ctx.actor, 'tariffs.import', JSON.stringify({ file: a.fileName ?? null, ...r }));
      return r;
    },
    'tariffs.importPrices': (a, ctx) => {
      const r = tariffStore.importPrices(a.id, a.text, a.fileName);
      audit.run(Math.floor(clock.now() / 1000), ctx.actor, 'tariffs.importPrices', JSON.stringify({ id: a.id, file: a.fileName ?? null, ...r }));
      return r;
    },
    'tariffs.delete': (a, ctx) => {
      tariffStore.delete(a.id);
      audit.run(Math.floor(clock.now() / 1000), ctx.actor, 'tariffs.delete', JSON.stringify({ id: a.id }));
      return { deleted: a.id };
    },
    'tariffs.assign': (a, ctx) => {
      const m = meters.meterRow(a.meter);
      sqlite.transaction(() => {
        tariffStore.assign(m.id, m.fuel, a.tariff, toLocalDay(a.from), ctx.actor);
        if (a.capacityKva !== undefined) meters.update(a.meter, { capacityKva: a.capacityKva });
      })();
      audit.run(Math.floor(clock.now() / 1000), ctx.actor, 'tariffs.assign', JSON.stringify(a));
      return tariffStore.assignments(m.id, m.identifier);
    },
    'tariffs.unassign': (a, ctx) => {
      const m = meters.meterRow(a.meter);
      tariffStore.unassign(m.id, toLocalDay(a.from));
      audit.run(Math.floor(clock.now() / 1000), ctx.actor, 'tariffs.unassign', JSON.stringify(a));
      return tariffStore.assignments(m.id, m.identifier);
    },
    'tariffs.assignments': (a) => {
      const m = meters.meterRow(a.meter);
      return tariffStore.assignments(m.id, m.identifier);
    },
    'cost.meter': (a) => tariffs.cost(a.meter, toLocalDay(a.from), toLocalDay(a.to), a.tariff),
    'switching.analyse': (a, ctx) =>
      tariffs.analyse(a.meter, { days: a.days, fromDay: a.from === undefined ? undefined : toLocalDay(a.from), toDay: a.to === undefined ? undefined : toLocalDay(a.to), whatIfPercent: a.whatIfPercent, save: a.save }, ctx.actor),
    'switching.history': (a) => tariffs.history(a.meter, a.limit),
    'switching.get': (a) => tariffs.get(a.id),
    'switching.portfolio': () => tariffs.portfolio(),
    'switching.runAll': (a, ctx) => {
      audit.run(Math.floor(clock.now() / 1000), ctx.actor, 'switching.runAll', JSON.stringify(a));
      return tariffs.runAll(a.days, ctx.actor);
    },
    'meters.list': () => meters.list(),
    'sites.list': () => meters.sites(),
    'readings.list': (a) => meters.readings(a.meter, a.from, a.to),
    'readings.series': (a) => meters.series(a.meter, a.from, a.to),
  } satisfies Handlers;

  let stopped = false;
  let started = false;
  let retentionTimer: NodeJS.Timeout | null = null;
  const runRetention = (): void => {
    try {
      const r = imports.cleanup(settings.get().importRetentionDays);
      if (r.jobsRemoved > 0) log.info(`retention: removed ${r.jobsRemoved} finished import job(s) and ${r.filesRemoved} stored file(s)`);
    } catch (e) {
      log.error('retention clean-up failed', e);
    }
  };
  return {
    dataDir: opts.dataDir,
    sqlite,
    handlers,
    events,
    files,
    imports,
    meters,
    readings,
    log,
    settings,
    aggregation,
    totals,
    scheduler,
    carbon,
    tariffStore,
    tariffs,
    start() {
      started = true;
      imports.start();
      scheduler.start();
      if (opts.carbonPolling) carbon.startPolling(siteRegions);
      runRetention();
      retentionTimer = setInterval(runRetention, 24 * 3600 * 1000);
      retentionTimer.unref();
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      if (retentionTimer) clearInterval(retentionTimer);
      carbon.stopPolling();
      await scheduler.stop();
      await imports.stop();
      sqlite.close();
    },
  };
}
