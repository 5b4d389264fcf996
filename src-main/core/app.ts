/**
 * createCore: the whole application minus any UI. Every host (Electron, headless server, CLI)
 * builds one core and talks to it through `handlers` (via dispatch) and `events`.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { CallContext, Handlers } from '../../src-shared/contract/api';
import { AppError } from '../../src-shared/contract/errors';
import type { AppInfo } from '../../src-shared/contract/types';
import { systemClock, type Clock } from './clock';
import { privateDir, privateTree } from './db/file-modes';
import { backupsDir, dbFile, importsDir } from './db/paths';
import { openDb } from './db/open';
import { createEventBus, stderrLogger, type Logger } from './events';
import { FileStore } from './imports/files';

import { ImportQueue } from './imports/queue';
import { MeterService } from './meters/meter-service';
import { SettingsStore } from './settings/settings-store';
import { AggregationService } from './aggregation/aggregation-service';
import { Scheduler } from './scheduler/scheduler';
import { TotalsService } from './aggregation/totals';
import { aggregationHandlers } from './aggregation/handlers';
import { carbonHandlers } from './carbon/handlers';
import { importHandlers } from './imports/handlers';
import { meterHandlers } from './meters/handlers';
import { readingsHandlers } from './readings/handlers';
import { AUDIT_REFUSED, auditList, withAudit } from './rpc/audit';
import { schedulerHandlers } from './scheduler/handlers';
import type { Services } from './services';
import { settingsHandlers } from './settings/handlers';
import { tariffHandlers } from './tariffs/handlers';
import { CarbonService } from './carbon/carbon-service';
import { TariffStore } from './tariffs/tariff-store';
import { CostService } from './tariffs/costing';
import { SwitchingService } from './tariffs/switching';
import { ReadingsStore } from './readings/store';
import { WeatherService } from './weather/weather-service';
import { AnalyticsService } from './analytics/analytics-service';
import { analyticsHandlers } from './analytics/handlers';
import { AlertService } from './alerts/alert-service';
import { alertHandlers } from './alerts/handlers';
import type { StatFs, UpdateStatus } from './health/checks';
import { healthHandlers } from './health/handlers';
import { HealthMonitor } from './health/monitor';
import { DeliveryService } from './notify/delivery';
import { notifyHandlers } from './notify/handlers';
import { FileSecretStore, type SecretCipher } from './notify/secrets';
import { AuthService } from './users/auth-service';
import { userHandlers } from './users/handlers';
import { registerHandlers } from './register/handlers';
import { undoHandlers } from './undo/handlers';
import { TrashService } from './undo/trash';
import { SourceService } from './sources/service';
import { sourceHandlers } from './sources/handlers';
import { budgetHandlers } from './budgets/handlers';
import { reportHandlers } from './reports/handlers';
import { scheduleHandlers } from './schedules/handlers';
import { ScheduleService, type ScheduleOptions as DeliveryScheduleOptions } from './schedules/service';
import type { RunnerOptions } from './sources/runner';
import type { ScheduleOptions } from './sources/schedule';
import { createEntitySync } from './sync/entities';
import { SyncEngine, type SyncEngineOptions } from './sync/engine';
import { syncHandlers } from './sync/handlers';

/** How often uploads never queued for import are looked for (each is removed 10 minutes after upload). */
const UNQUEUED_SWEEP_MS = 60_000;

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
  /**
   * The same bundled worker script where imports run inline (the CLI): large files are parsed on a thread of it while
   * the CLI stores them.
   */
  workerScript?: string | null;
  /** Carbon Intensity API base URL (default https://api.carbonintensity.org.uk). */
  carbonApi?: string;
  /** Open-Meteo historical weather API base URL (default: the setting, https://archive-api.open-meteo.com). */
  weatherApi?: string;
  /** Poll the Carbon Intensity API every 30 minutes while started (hosts with users; not tests). */
  carbonPolling?: boolean;
  /** Free space of the data folder's file system (default fs.statfsSync; tests simulate a full disk). */
  statfs?: StatFs;
  /** The auto-updater's state for the `updates` health check (the desktop app); without it, someone else updates. */
  updateStatus?: UpdateStatus;
  /** Encrypts notification and data source secrets at rest (the desktop app passes Electron's safeStorage). */
  secretCipher?: SecretCipher;
  /** Data sources' time limits and pauses (tests shorten them). */
  sources?: Omit<RunnerOptions, 'fetch'> & Omit<ScheduleOptions, 'watch'>;
  /** Scheduled deliveries' SFTP time limits and retry pauses (tests shorten them). */
  schedules?: DeliveryScheduleOptions;
  /** Sync with a shared server: time limit of a call, pull page size (tests shorten them). */
  sync?: Omit<SyncEngineOptions, 'fetch' | 'signal'>;
}

/** The core as hosts and tests hold it: every service, the merged handlers, and its lifecycle. */
export interface Core extends Omit<Services, 'app' | 'started' | 'siteRegions'> {
  dataDir: string;
  handlers: Handlers;
  /** Starts background services (the import queue, the scheduler, carbon polling, the health monitor). */
  start(): void;
  /** Stops background services and closes the database. */
  stop(): Promise<void>;
  /**
   * Resolves once roll-ups and alert checks in progress are done and the messages they raised are
   * sent (or queued for retry).
   */
  waitForDeliveries(): Promise<void>;
}

/** How long stop() waits for a delivery in flight (a slow webhook) before closing anyway. */
const DELIVERY_GRACE_MS = 1000;

/** Resolves when `p` settles or after `ms`, whichever is first. */
async function settleWithin(p: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([p.catch(() => undefined), new Promise<void>((r) => (timer = setTimeout(r, ms)))]);
  clearTimeout(timer);
}

/** Handlers that refuse calls (UNAVAILABLE) once the core is stopping: the database is closing. */
function whileOpen(handlers: Handlers, stopping: () => boolean): Handlers {
  const out: Record<string, (a: unknown, ctx: CallContext) => unknown> = {};
  for (const [m, h] of Object.entries(handlers) as [string, (a: unknown, ctx: CallContext) => unknown][])
    out[m] = (a, ctx) => {
      if (stopping()) throw new AppError('UNAVAILABLE', 'The app is shutting down; try again once it has started');
      return h(a, ctx);
    };
  // the audit log's record of refused calls (dispatch finds it here)
  (out as Record<symbol, unknown>)[AUDIT_REFUSED] = (handlers as unknown as Record<symbol, unknown>)[AUDIT_REFUSED];
  return out as Handlers;
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
  // the data folder and what is in it are the owner's only (an older version's looser files tightened)
  privateDir(opts.dataDir);
  privateTree(importsDir(opts.dataDir));
  privateTree(backupsDir(opts.dataDir));
  const { sqlite, backupPath } = await openDb(dbFile(opts.dataDir), opts.migrationsDir ?? findMigrationsDir());
  if (backupPath) log.info(`database backed up to ${backupPath} before migrating`);
  const readings = new ReadingsStore(sqlite);
  const events = createEventBus(log);
  const files = new FileStore(sqlite, importsDir(opts.dataDir));
  const imports = new ImportQueue(sqlite, files, events, clock, log, {
    dbPath: dbFile(opts.dataDir),
    threadScript: opts.importThread ?? null,
    parseWorker: opts.workerScript ?? opts.importThread ?? null,
  });
  const secrets = new FileSecretStore(opts.dataDir, { cipher: opts.secretCipher });
  const settings = new SettingsStore(sqlite, secrets);
  const delivery = new DeliveryService(sqlite, clock, settings, secrets, events, log, {
    fetch: opts.fetch,
    // a message sent after a restart (a retry, a held one, the digest) words its alert as the inbox does
    loadAlert: (id) => alerts.find(id),
  });
  const aggregation = new AggregationService(readings, clock, {
    workerScript: opts.workerScript ?? opts.importThread ?? null,
    dbPath: dbFile(opts.dataDir),
    log,
  });
  const scheduler = new Scheduler(sqlite, clock, settings, aggregation, events, log);
  const carbon = new CarbonService(sqlite, readings, clock, log, {
    baseUrl: opts.carbonApi ?? settings.get().carbonApi,
    fetch: opts.fetch,
  });
  /** The regions the portfolio's sites are in: polled with the national values. */
  const siteRegions = (): number[] => [
    ...new Set(
      meters
        .sites()
        .map((s) => s.regionId)
        .filter((r): r is number => r !== null),
    ),
  ];
  /** Set by stop(): events no longer start work, and calls are refused. */
  let stopped = false;
  // every finished import brings the roll-ups of the meter-days it touched up to date
  events.subscribe((e) => {
    if (
      !stopped &&
      e.event === 'imports.updated' &&
      !e.payload.job.dryRun &&
      (e.payload.job.status === 'done' || e.payload.job.status === 'cancelled')
    )
      void scheduler.afterImport();
  });
  const meters = new MeterService(sqlite, readings);
  const totals = new TotalsService(sqlite, readings, clock, meters);
  const tariffStore = new TariffStore(sqlite, clock);
  const costing = new CostService(tariffStore, meters, readings);
  const switching = new SwitchingService(sqlite, costing, tariffStore, meters, readings, clock, events, log);
  const weather = new WeatherService(
    sqlite,
    clock,
    () => ({ baseUrl: opts.weatherApi ?? settings.get().weatherApi, apiKey: settings.secret('weatherApiKey') }),
    { fetch: opts.fetch },
  );
  const analytics = new AnalyticsService(sqlite, readings, meters, totals, costing, carbon, weather, clock);
  const alerts = new AlertService(sqlite, readings, meters, analytics, costing, clock, events, log);
  alerts.deliverTo(delivery);
  const health = new HealthMonitor(
    { sqlite, clock, dataDir: opts.dataDir, readings, carbon, statfs: opts.statfs, updateStatus: opts.updateStatus },
    events,
    log,
  );
  const sources = new SourceService(
    { sqlite, files, imports, secrets, events, clock, log, readings, meters },
    { fetch: opts.fetch, watch: true, ...opts.sources },
  );
  const sync = new SyncEngine(
    {
      sqlite,
      readings,
      entities: createEntitySync(sqlite, () => clock.now()),
      secrets,
      events,
      clock,
      log,
      // what arrived is taken up as an import's readings are: the windows, the roll-ups, then the alert checks
      async afterPull(c) {
        if (c.readings || c.meters.length > 0 || c.types.includes('site'))
          events.emit('meters.changed', { meterIds: c.meters });
        if (c.types.includes('alertRule') || c.types.includes('alertState'))
          events.emit('alerts.changed', { counts: alerts.counts(), fired: [] });
        if (c.readings && !stopped) await scheduler.afterImport();
      },
    },
    { fetch: opts.fetch, ...opts.sync },
  );
  let started = false;
  const schedules = new ScheduleService(
    sqlite,
    () => services,
    () => handlers,
    opts.schedules,
  );
  const services: Services = {
    sqlite,
    clock,
    log,
    events,
    files,
    imports,
    readings,
    meters,
    settings,
    aggregation,
    totals,
    scheduler,
    carbon,
    tariffStore,
    costing,
    switching,
    weather,
    analytics,
    alerts,
    health,
    secrets,
    delivery,
    auth: new AuthService(sqlite, clock),
    sources,
    schedules,
    sync,
    app: {
      version: opts.version ?? '0.0.0',
      dataDir: opts.dataDir,
      host: opts.host ?? 'memory',
      fixedCarbonApi: !!opts.carbonApi,
    },
    started: () => started,
    siteRegions,
  };
  // every feature answers its own methods; the audit log is applied from the contract
  const handlers = whileOpen(
    withAudit(
      {
        ...settingsHandlers(services),
        ...importHandlers(services),
        ...readingsHandlers(services),
        ...aggregationHandlers(services),
        ...schedulerHandlers(services),
        ...meterHandlers(services),
        ...carbonHandlers(services),
        ...tariffHandlers(services),
        ...analyticsHandlers(services),
        ...alertHandlers(services),
        ...healthHandlers(services),
        ...notifyHandlers(services),
        ...userHandlers(services),
        ...registerHandlers(services),
        ...undoHandlers(services),
        ...sourceHandlers(services),
        ...budgetHandlers(services),
        ...reportHandlers(services, () => handlers),
        ...scheduleHandlers(services),
        ...syncHandlers(services),
        'audit.list': (a) => auditList(sqlite, a),
      } satisfies Handlers,
      sqlite,
      clock,
      // a change made here shows in the sync status (n changes waiting) without waiting for a sync
      () => sync.localChange(),
    ),
    () => stopped,
  );

  let retentionTimer: NodeJS.Timeout | null = null;
  let unqueuedTimer: NodeJS.Timeout | null = null;
  // uploads never queued (a browser closed between upload and import) do not stay on disk
  const removeUnqueued = (): void => {
    try {
      const r = files.removeUnqueued();
      if (r.filesRemoved > 0) log.info(`removed ${r.filesRemoved} uploaded file(s) never queued for import`);
    } catch (e) {
      log.error('removing uploads never queued failed', e);
    }
  };
  const runRetention = (): void => {
    try {
      const r = imports.cleanup(settings.get().importRetentionDays);
      if (r.jobsRemoved > 0)
        log.info(`retention: removed ${r.jobsRemoved} finished import job(s) and ${r.filesRemoved} stored file(s)`);
      const purged = new TrashService(sqlite, readings, meters, clock).purge();
      if (purged > 0) log.info(`retention: purged ${purged} deletion(s) older than the days they are kept for undo`);
    } catch (e) {
      log.error('retention clean-up failed', e);
    }
  };
  return {
    ...services,
    dataDir: opts.dataDir,
    handlers,
    start() {
      started = true;
      imports.start();
      scheduler.start();
      alerts.start();
      delivery.start();
      if (opts.carbonPolling) carbon.startPolling(siteRegions);
      runRetention();
      health.start();
      sources.start();
      schedules.start();
      sync.start();
      retentionTimer = setInterval(runRetention, 24 * 3600 * 1000);
      retentionTimer.unref();
      unqueuedTimer = setInterval(removeUnqueued, UNQUEUED_SWEEP_MS);
      unqueuedTimer.unref();
    },
    async waitForDeliveries() {
      await scheduler.idle();
      await alerts.idle();
      await delivery.idle();
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      if (retentionTimer) clearInterval(retentionTimer);
      if (unqueuedTimer) clearInterval(unqueuedTimer);
      // nothing new starts from here: no poll, roll-up, check or job; a poll or probe still
      // waiting on the network stores nothing when it answers
      carbon.stopPolling();
      // a sync in progress stops at its next step; what it applied stays
      await sync.stop();
      // sources first: a run in progress queues what it has taken before the queue stops
      await sources.stop();
      // a delivery in progress ends (its run recorded) before the database closes
      await schedules.stop();
      const scheduled = scheduler.stop();
      // a running import stops after the chunk it is committing and goes back to the queue
      await Promise.all([imports.stop(), scheduled, health.stop()]);
      // the checks in progress, then the messages they raised (those not sent stay queued for the next start)
      await alerts.stop();
      await settleWithin(delivery.stop(), DELIVERY_GRACE_MS);
      sqlite.close();
    },
  };
}
