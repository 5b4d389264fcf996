/**
 * The core's services, as the feature folders' handlers receive them (createCore builds them once).
 * A feature's `handlers.ts` takes this and returns the contract methods it answers.
 */
import type Database from 'better-sqlite3';
import type { AggregationService } from './aggregation/aggregation-service';
import type { TotalsService } from './aggregation/totals';
import type { CarbonService } from './carbon/carbon-service';
import type { Clock } from './clock';
import type { EventBus, Logger } from './events';
import type { FileStore } from './imports/files';
import type { ImportQueue } from './imports/queue';
import type { MeterService } from './meters/meter-service';
import type { ReadingsStore } from './readings/store';
import type { Scheduler } from './scheduler/scheduler';
import type { SettingsStore } from './settings/settings-store';
import type { CostService } from './tariffs/costing';
import type { SwitchingService } from './tariffs/switching';
import type { TariffStore } from './tariffs/tariff-store';
import type { AnalyticsService } from './analytics/analytics-service';
import type { WeatherService } from './weather/weather-service';
import type { AppInfo } from '../../src-shared/contract/types';
import type { AlertService } from './alerts/alert-service';
import type { HealthMonitor } from './health/monitor';
import type { DeliveryService } from './notify/delivery';
import type { SecretStore } from './notify/secrets';
import type { AuthService } from './users/auth-service';
import type { SourceService } from './sources/service';
import type { ScheduleService } from './schedules/service';
import type { SyncEngine } from './sync/engine';

export interface Services {
  sqlite: Database.Database;
  clock: Clock;
  log: Logger;
  events: EventBus;
  files: FileStore;
  imports: ImportQueue;
  readings: ReadingsStore;
  meters: MeterService;
  settings: SettingsStore;
  aggregation: AggregationService;
  totals: TotalsService;
  scheduler: Scheduler;
  carbon: CarbonService;
  tariffStore: TariffStore;
  costing: CostService;
  switching: SwitchingService;
  weather: WeatherService;
  analytics: AnalyticsService;
  alerts: AlertService;
  health: HealthMonitor;
  /** Notification secrets (SMTP URL, Slack webhook, webhook signing secret). */
  secrets: SecretStore;
  /** Delivery of alerts on their channels (tray, email, Slack, webhook). */
  delivery: DeliveryService;
  /** User accounts, sessions and API tokens (the server's sign-in). */
  auth: AuthService;
  /** Data that arrives by itself: watched folders, SFTP pickups, smart-meter APIs. */
  sources: SourceService;
  /** Scheduled deliveries of reports, exports and digests (folder, email, SFTP). */
  schedules: ScheduleService;
  /** Sync with a shared server (push, pull, its timer). */
  sync: SyncEngine;
  /** What the host said about itself, for app.info and settings. */
  app: { version: string; dataDir: string; host: AppInfo['host']; fixedCarbonApi: boolean };
  /** True once background services run (the scheduler can be re-timed). */
  started(): boolean;
  /** The regions of the portfolio's sites (polled with the national carbon values). */
  siteRegions(): number[];
}
