/** JSON-safe domain types shared by core, hosts and renderer (ISO strings, never Date). */
import type { TariffSpec } from '../domain/tariff-spec';
import type { ErrorCode } from './errors';
import type { ImportFailureKind, ImportOutcome } from '../domain/import-outcome';

export type { ImportFailureKind, ImportOutcome } from '../domain/import-outcome';

export type Role = 'viewer' | 'manager' | 'admin';
export const ROLE_RANK: Record<Role, number> = { viewer: 0, manager: 1, admin: 2 };

export type Fuel = 'electricity' | 'gas';
export type Quality = 'actual' | 'estimated' | 'missing';

export type ImportStatus = 'queued' | 'running' | 'retrying' | 'done' | 'failed' | 'cancelled' | 'rolled-back';
export type Priority = 'high' | 'normal' | 'low';

export interface RowError {
  /** 1-based line number in the file. */
  line: number;
  /** 1-based column, when the problem is in one field. */
  column?: number;
  /** The offending value, truncated. */
  value?: string;
  message: string;
}

export interface ImportJob {
  id: number;
  batchId: string;
  /** The stored copy of the file (re-import it, e.g. after a dry run, with imports.enqueue). */
  fileId: string;
  file: string;
  format: string | null;
  status: ImportStatus;
  priority: Priority;
  dryRun: boolean;
  attempts: number;
  bytes: number;
  bytesDone: number;
  rowsRead: number;
  readingsImported: number;
  duplicates: number;
  conflicts: number;
  rowsRejected: number;
  metersCreated: string[];
  errors: RowError[];
  lastError: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  /** When and by whom the job was rolled back (`imports.rollback`); null otherwise. */
  rolledBackAt: string | null;
  rolledBackBy: string | null;
  /** The data source whose run queued the job (sources.*), or null for a file imported by hand. */
  sourceId: number | null;
  /** That source's name now; null for a file imported by hand or a source since removed. */
  source: string | null;
  /** Dry runs: what would be imported. */
  preview: ImportPreview | null;
  onConflict: 'keep' | 'replace';
  notes: string | null;
  tags: string[];
  /** When a retrying job runs next (UTC). */
  nextAttemptAt: string | null;
  /** Why a failed (or retrying) job failed; null otherwise. */
  failureKind: ImportFailureKind | null;
  /** The graded outcome (src-shared/domain/import-outcome.ts): what every host says about the job. */
  outcome: ImportOutcome;
}

export interface ImportPreview {
  meters: string[];
  firstReading: string | null;
  lastReading: string | null;
  /** Sites the file names for its meters (site name or address, postcode), the first 200. */
  sites: { meter: string; name: string; address: string | null; postcode: string | null }[];
}

export interface ImportProgress {
  jobId: number;
  percent: number;
  rowsRead: number;
  rowsPerSecond: number;
  etaSeconds: number | null;
}

export interface MeterSummary {
  mpan: string;
  label: string | null;
  siteId: number | null;
  kind: 'mpan' | 'mprn' | 'other';
  fuel: Fuel;
  site: string | null;
  firstReading: string | null;
  lastReading: string | null;
  readings: number;
  /** The meter's supplier (its default tariff prices days without an assignment). */
  supplier: string | null;
  /** Agreed supply capacity in kVA (for tariffs with a capacity charge). */
  capacityKva: number | null;
  /** The latest UK local day with at least 40 present half-hours (`YYYY-MM-DD`): what "latest" views anchor on. */
  lastCompleteDay: string | null;
  /** The meter's serial number, when a register or a smart-meter source gave it. */
  serial: string | null;
  /** The user's own labels ("school", "leased"), sorted. */
  tags: string[];
}

/** A meter `switching.runAll` could not analyse: the error's message, code and structured details. */
export interface SwitchRunFailure {
  meter: string;
  reason: string;
  code: ErrorCode;
  details?: unknown;
}

/** What `meters.merge` did. */
export interface MeterMergeResult {
  /** The meter merged (now removed) and the one that holds its readings. */
  from: string;
  into: string;
  /** Half-hours new to `into`, and those it already held with the same value. */
  moved: number;
  duplicates: number;
  /** Half-hours both meters held with different values: all counted, the first 200 listed. */
  conflictCount: number;
  conflicts: {
    /** UTC start of the half-hour. */
    start: string;
    /** kWh each meter held (null = listed as missing). */
    from: number | null;
    into: number | null;
    /** Whose value the merged meter holds. */
    kept: 'from' | 'into';
  }[];
  /** Settings `from` had and `into` did not, now `into`'s. */
  carried: ('site' | 'label' | 'supplier' | 'capacity')[];
  /** Tariff assignments moved (when `into` had none), or dropped (when it had its own). */
  tariffAssignmentsMoved: number;
  tariffAssignmentsDropped: number;
}

export interface SiteSummary {
  id: number;
  /** The site's id on every desktop and the shared server (32 hex digits). */
  uid: string;
  name: string;
  organisation: string;
  postcode: string | null;
  /** Postal address (lines joined with ", "). */
  address: string | null;
  meters: number;
  /** Carbon Intensity region (1–17): chosen by the user, else from its meters' MPAN distributor ids. */
  regionId: number | null;
  regionSource: 'user' | 'mpan' | null;
  latitude: number | null;
  longitude: number | null;
  floorAreaM2: number | null;
  /** On-site generation: baseload from the 22:00–02:00 half-hours. */
  generation: boolean;
  /** Opening hours as text (`mon-fri 08:00-18:00; sat 09:00-12:30`, or `closed`). */
  openingHours: string;
  /** True when the site has no hours of its own (the default Monday–Friday 08:00–18:00 applies). */
  openingHoursDefault: boolean;
}

export interface Reading {
  /** Interval start, ISO 8601 UTC. */
  start: string;
  kwh: number | null;
  quality: Quality;
}

/** A compact series for charts: parallel arrays, epoch seconds UTC. */
export interface Series {
  meter: string;
  ts: number[];
  kwh: (number | null)[];
}

export interface StoredFile {
  fileId: string;
  name: string;
  bytes: number;
  sha256: string;
}

/** What `imports.enqueuePaths` did with each path, in the order given. */
export interface EnqueuedPaths {
  /** Null when no file could be copied, so nothing was queued. */
  batchId: string | null;
  jobIds: number[];
  files: { path: string; fileId: string | null; jobId: number | null; error?: string }[];
}

/** An earlier import of the same bytes, named in the duplicate warning (`details.files[].earlier`). */
export interface EarlierImport {
  jobId: number;
  file: string;
  finishedAt: string | null;
  meters: string[];
}

/**
 * The details of the CONFLICT `imports.enqueue` answers for files imported before; from
 * `imports.enqueuePaths` also every stored file's id and what happened to each path.
 */
export interface AlreadyImported {
  reason: 'already-imported';
  files: { fileId: string; file: string; sha256: string; earlier: EarlierImport }[];
  /** Every file of the refused call, in order (queue them with imports.enqueue and reimport to go ahead). */
  fileIds: string[];
  paths?: EnqueuedPaths['files'];
}

export interface AppInfo {
  version: string;
  dataDir: string;
  host: 'desktop' | 'server' | 'cli' | 'memory';
  role: Role;
}

export interface Settings {
  /** Finished import jobs and their stored files are deleted after this many days (readings stay). */
  importRetentionDays: number;
  /** Local time of the nightly roll-up, `HH:MM` (Europe/London). */
  nightlyRunAt: string;
  /** Base URL of the Carbon Intensity API. */
  carbonApi: string;
  /** Base URL of Open-Meteo's historical weather API (its free tier is for non-commercial use). */
  weatherApi: string;
  /** Whether an Open-Meteo API key is stored (the key itself is never sent back). */
  weatherApiKeySet: boolean;
  /** The SMTP server as a URL with its password masked (`smtps://alerts:****@mail.example.org:465`), or null. */
  'notify.email.smtpUrl': string | null;
  /** The sender's address, e.g. `Eclectyc Energy <alerts@example.org>`. */
  'notify.email.from': string | null;
  /** Recipients, comma-separated. */
  'notify.email.to': string | null;
  /** The Slack incoming webhook with its secret path masked (`https://hooks.slack.com/services/****`), or null. */
  'notify.slack.webhookUrl': string | null;
  /** A generic webhook that receives each alert as signed JSON, or null. */
  'notify.webhook.url': string | null;
  /** Whether the webhook's signing secret is set (the secret itself is never sent back). */
  'notify.webhook.secretSet': boolean;
  /** Quiet hours `HH:MM-HH:MM` (UK local): messages wait until they end. Null: none. */
  'notify.quietHours': string | null;
  /** A daily digest at `HH:MM` (UK local) bundling the day's alerts instead of one message each. Null: off. */
  'notify.digestAt': string | null;
  /** Messages per channel per hour; alerts beyond it wait and go out bundled in one message. */
  'notify.rateLimitPerHour': number;
  /** The address people open the app at (server mode), for links in messages; null: the desktop app. */
  'notify.appUrl': string | null;
}

export type PeriodKind = 'day' | 'week' | 'month' | 'year';

/** One period's roll-up for a meter (or a site/portfolio total for one fuel). */
export interface PeriodTotal {
  /** Label: local date `2025-03-30`, ISO week `2025-W13`, month `2025-03` or year `2025`. */
  period: string;
  /** UTC instant the period starts (local midnight). */
  start: string;
  kwh: number;
  /** Smallest and largest half-hour (kWh), and the mean of the half-hours with values. */
  min: number | null;
  max: number | null;
  mean: number | null;
  /**
   * Baseload in kW: each complete day's (≥ 40 present half-hours) mean of its 8 lowest half-hours × 2, averaged
   * over the period's complete days; null without one, and for sums of several meters.
   */
  baseload: number | null;
  peak: number | null;
  /** UTC start of the peak half-hour. */
  peakAt: string | null;
  /** Half-hours the period has on the UK clock (46/48/50 for a day). */
  halfHours: number;
  /** Half-hours without a value (absent or flagged missing). */
  missing: number;
  /** Share of the period's half-hours that have values, 0–1. */
  completeness: number;
  /** kWh per day with data (weeks, months, years). */
  averageDaily: number | null;
}

export interface Comparison {
  meter: string;
  kind: PeriodKind;
  basis: 'previous' | 'year-ago';
  current: PeriodTotal;
  previous: PeriodTotal;
  changeKwh: number;
  /** null when the previous period used nothing. */
  changePercent: number | null;
  /** Both periods at least 90 % complete: a trend may be drawn. */
  comparable: boolean;
}

export interface AggregateResult {
  metersTouched: number;
  daysTouched: number;
  seconds: number;
}

export interface FuelTotals {
  fuel: Fuel;
  meters: number;
  /**
   * The fuel's anchor day: the median of its meters' last complete days, never after the summary's
   * `asAt`; null when none of its meters has a complete day (then `periods` is empty).
   */
  latestDay: string | null;
  /**
   * The anchor day against the day before; the week, month and year containing it, up to it, against
   * the same number of days at the start of the previous one. `toDate` is the last day counted when
   * the period goes on after the anchor (null when the anchor is its last day).
   */
  periods: {
    kind: PeriodKind;
    label: string;
    toDate: string | null;
    kwh: number;
    previousKwh: number;
    changePercent: number | null;
    completeness: number;
    previousCompleteness: number;
    comparable: boolean;
  }[];
}

export interface Mover {
  id: string;
  name: string;
  fuel: Fuel;
  kwh: number;
  previousKwh: number;
  changeKwh: number;
  changePercent: number | null;
}

/** A meter missing half-hours over the dashboard's completeness window. */
export interface MeterBehind {
  meter: string;
  name: string;
  fuel: Fuel;
  /** Its latest day with at least 40 present half-hours, or null when it has none. */
  lastCompleteDay: string | null;
  expectedHalfHours: number;
  missingHalfHours: number;
}

/** One fuel's cost over the dashboard's month: priced meters, and the meters that could not be priced. */
export interface FuelCost {
  fuel: Fuel;
  /** Including VAT, over the meters that could be priced. */
  totalPence: number;
  kwh: number;
  priced: number;
  /** Meters with no tariff for some day of the month (no assignment and no supplier default): not priced. */
  unpriced: { meter: string; name: string }[];
}

/** One fuel's emissions over the dashboard's month. */
export interface FuelEmissions {
  fuel: Fuel;
  /** null when no meter's kWh could be converted (no intensity and no annual factor). */
  kgco2: number | null;
  kwh: number;
  /** Meters on half-hourly grid intensity (≥ 95 % of their half-hours have one) and on the annual factors. */
  halfHourlyMeters: number;
  annualMeters: number;
  /** Meters with readings but neither an intensity nor a factor for their days. */
  unavailable: number;
}

export interface DashboardSummary {
  /** Today's UK local date. */
  today: string;
  /** The last day the summary may use: the caller's `asAt`, else yesterday. */
  asAt: string;
  /** The portfolio's anchor (median of the meters' last complete days, at most `asAt`); null without one. */
  latestDay: string | null;
  fuels: FuelTotals[];
  /** Week-on-week movers (the last complete week up to the anchor vs the one before), largest change first. */
  movers: { meters: Mover[]; sites: Mover[]; week: string | null };
  /** Share of expected half-hours present over the 30 days up to the anchor, across all meters. */
  completeness30d: number | null;
  /**
   * The 30-day window of `completeness30d` (`to` exclusive), and the meters missing half-hours in it, longest
   * behind first (no complete day, then the earliest last complete day, then the most missing).
   */
  completenessWindow: { from: string; to: string } | null;
  behind: MeterBehind[];
  /** The month of the month tile, to the anchor (`to` exclusive): dashboard.month prices it. */
  month: { label: string; from: string; to: string } | null;
  /** kWh per month for the 13 months up to the anchor's, by fuel (completeness beside each). */
  trend: { fuel: Fuel; months: { month: string; kwh: number; completeness: number }[] }[];
  meters: number;
  lastImport: ImportJob | null;
  lastAggregation: SchedulerRun | null;
}

/** The dashboard's month (the one containing the anchor, up to it) in £ and CO2 by fuel. */
export interface DashboardMonth {
  asAt: string;
  latestDay: string;
  label: string;
  from: string;
  /** Exclusive. */
  to: string;
  /** null for a viewer: costs are for managers. */
  costs: FuelCost[] | null;
  emissions: FuelEmissions[];
}

/** A meter's latest periods, anchored on its last complete day. */
export interface MeterLatest {
  meter: string;
  /** The last day that could be used: the caller's `asAt`, else yesterday. */
  asAt: string;
  /** The meter's last complete day up to `asAt`; null when it has none. */
  lastCompleteDay: string | null;
  /**
   * Per kind, the latest complete period up to the anchor that has readings, against the one before and a
   * year earlier; both null when no complete period of that kind has readings.
   */
  periods: { kind: PeriodKind; previous: Comparison | null; yearAgo: Comparison | null }[];
}

/** A meter's half-hours over UK local days [from, to), by the one definition (data-quality.ts). */
export interface MeterQuality {
  meter: string;
  from: string;
  /** Exclusive. */
  to: string;
  expectedHalfHours: number;
  presentHalfHours: number;
  missingHalfHours: number;
  estimatedHalfHours: number;
  completeness: number;
  kwh: number;
  lastCompleteDay: string | null;
}

export interface SchedulerRun {
  id: number;
  task: string;
  trigger: 'schedule' | 'catch-up' | 'import' | 'manual';
  startedAt: string;
  finishedAt: string | null;
  durationMs: number | null;
  status: 'running' | 'done' | 'failed';
  summary: Record<string, unknown> | null;
  error: string | null;
}

export interface SiteDetail {
  site: SiteSummary;
  meters: MeterSummary[];
  closures: SiteClosure[];
  weather: WeatherCoverage | null;
}

export interface CarbonNow {
  at: string;
  intensity: number | null;
  index: string | null;
  kind: 'actual' | 'forecast';
  ageSeconds: number;
  trend: 'rising' | 'falling' | 'steady' | null;
  next48h: { at: string; forecast: number | null; index: string | null }[];
}

export interface Emissions {
  kwh: number;
  kgco2: number;
  method: 'halfhourly' | 'annual';
  /** Share of the half-hours with readings that had an intensity or a factor, 0–1. */
  coverage: number;
}

export interface CarbonHistory {
  points: { at: string; intensity: number | null }[];
  average: number | null;
  byTimeOfDay: { time: string; average: number }[];
  bestWindow: { from: string; to: string; average: number } | null;
}

/** A UK Government GHG conversion factor (kgCO2e per kWh) for one year and fuel. */
export interface EmissionFactor {
  year: number;
  fuel: Fuel;
  kgPerKwh: number;
  source: string | null;
}

/* ---------------------------------------------------------------- tariffs and costs */

/** One effective-dated version of a tariff's prices (docs/tariffs.md). Dates are UK local days. */
export interface TariffVersion {
  validFrom: string;
  /** Exclusive; null = open-ended (a later version still ends it at its validFrom). */
  validTo: string | null;
  /** The version exactly as stored (the tariff file's fields, normalised). */
  spec: TariffSpec;
  /** Dynamic tariffs: how many half-hourly prices are stored and their span (UTC). */
  prices: { count: number; first: string | null; last: string | null } | null;
}

/** What importing a tariff file did (all or nothing). */
export interface TariffImportResult {
  tariffs: number;
  versionsAdded: number;
  versionsReplaced: number;
  unchanged: number;
  prices: number;
  ids: string[];
}

export interface Tariff {
  id: string;
  name: string;
  supplier: string;
  fuel: Fuel;
  /** Distributor ids (10–23) the tariff is sold in; null = everywhere. */
  regions: number[] | null;
  /** The supplier's default tariff for this fuel (used for days a meter has no assignment). */
  isDefault: boolean;
  /** Has a version valid today or later. */
  active: boolean;
  kind: 'single' | 'time-of-use' | 'dynamic';
  versions: TariffVersion[];
}

export interface TariffAssignment {
  meter: string;
  tariff: string;
  tariffName: string;
  /** First UK local day the assignment applies; it lasts until the meter's next assignment. */
  from: string;
  /** Exclusive: the next assignment's first day, or null. */
  to: string | null;
  assignedBy: string;
  assignedAt: string;
}

export interface CostBand {
  name: string;
  kind: 'energy' | 'duos';
  kwh: number;
  pence: number;
  /** The band's rate when it is one rate over the whole period, else null (dynamic, or changed). */
  pencePerKwh: number | null;
}

/** A stretch of days priced on one tariff version with one CCL rate: reproducible by hand. */
export interface CostPeriod {
  tariff: string;
  versionFrom: string;
  basis: 'assignment' | 'supplier-default' | 'chosen';
  from: string;
  /** Exclusive. */
  to: string;
  days: number;
  kwh: number;
  bands: CostBand[];
  unitCostPence: number;
  standingChargePencePerDay: number;
  standingChargePence: number;
  cclPencePerKwh: number;
  cclPence: number;
  capacityKva: number | null;
  capacityPence: number;
  vatRate: number;
  vatPence: number;
  totalPence: number;
}

export interface CostResult {
  meter: string;
  from: string;
  /** Exclusive. */
  to: string;
  /** The tariff id; several ids joined by ", " when the meter changed tariff in the period. */
  tariff: string;
  tariffName: string;
  kwh: number;
  /** All unit charges: energy bands plus DUoS bands (the sum of `bands`). */
  unitCostPence: number;
  duosPence: number;
  standingChargePence: number;
  cclPence: number;
  capacityPence: number;
  vatPence: number;
  totalPence: number;
  bands: CostBand[];
  /** Half-hours of the period with no reading (or a reading flagged missing): not priced. */
  missingHalfHours: number;
  expectedHalfHours: number;
  /** Half-hours with a reading but no price (a dynamic tariff without a price for them): not priced. */
  unpricedHalfHours: number;
  periods: CostPeriod[];
  /** Plain-language notes: fallbacks used, missing data, versions stretched to cover the period. */
  notes: string[];
}

export interface SwitchAlternative {
  tariff: string;
  name: string;
  supplier: string;
  totalPence: number;
  /** Positive = cheaper than the current tariff. */
  savingPence: number;
  savingPercent: number | null;
  cost: CostResult;
}

export interface WhatIf {
  percent: number;
  /** The tariff whose bands defined "most expensive" and "cheapest". */
  referenceTariff: string;
  fromBand: string;
  toBand: string;
  movedKwh: number;
}

export interface SwitchAnalysis {
  id: number;
  meter: string;
  from: string;
  to: string;
  ranAt: string;
  ranBy: string;
  /** What was asked: a number of days of data (the default 90) or explicit dates, and the what-if share. */
  inputs: { days: number | null; from: string | null; to: string | null; whatIfPercent: number | null };
  current: CostResult & { basis: 'assignment' | 'supplier-default' };
  alternatives: SwitchAlternative[];
  /** Tariffs not compared, and why (other fuel, other region, no prices for the period…). */
  skipped: { tariff: string; reason: string }[];
  whatIf: WhatIf | null;
  warning: string;
}

export interface SwitchSummary {
  id: number;
  meter: string;
  meterLabel: string | null;
  from: string;
  to: string;
  ranAt: string;
  ranBy: string;
  /** The tariff id(s) the period was priced on (", "-joined when it changed), and their names. */
  currentTariff: string;
  currentTariffName: string;
  currentPence: number;
  bestTariff: string | null;
  bestTariffName: string | null;
  bestSavingPence: number;
  bestSavingPercent: number | null;
  whatIfPercent: number | null;
}

// ------------------------------------------------------------------ analytics (docs/analytics.md)

/** A closure of a site (school holiday, shutdown): UK local days `from` to `to`, `to` exclusive. */
export interface SiteClosure {
  id: number;
  siteId: number;
  from: string;
  to: string;
  note: string | null;
}

/** What weather a site has stored. */
export interface WeatherCoverage {
  first: string;
  last: string;
  days: number;
  sources: string[];
}

export interface WeatherDay {
  date: string;
  meanC: number | null;
  hdd: number | null;
  hddBase: number | null;
  source: string;
}

export interface WeatherImportResult {
  siteId: number;
  kind: 'temperature' | 'hdd';
  days: number;
  /** First and last (inclusive) day of the file, `YYYY-MM-DD`. */
  from: string;
  to: string;
  /** Days that already had stored weather, now replaced by the file's. */
  replaced: number;
}

export interface WeatherFetchResult {
  siteId: number;
  /** Days stored with a temperature. */
  days: number;
  /** First and last (inclusive) day asked for, `YYYY-MM-DD`, after clipping to yesterday. */
  from: string;
  to: string;
  /** Days of the range Open-Meteo has no temperature for (nothing was stored for them). */
  missing: number;
}

/** How a meter's half-hours split against its site's opening hours (kWh). */
export interface HoursSplit {
  inHoursKwh: number;
  outOfHoursKwh: number;
  weekendKwh: number;
  holidayKwh: number;
}

/** One local day of a meter's analysis. */
export interface AnalysisDay extends HoursSplit {
  date: string;
  kwh: number;
  expected: number;
  present: number;
  estimated: number;
  /** kW; null on days with fewer than 40 present half-hours. */
  baseloadKw: number | null;
  peakKw: number | null;
  /** How the day is treated: open (has opening hours), weekend, or holiday (bank holiday or closure). */
  kind: 'open' | 'weekend' | 'holiday';
}

/** `analytics.meter`: baseload, peak, load factor and the hours split over [from, to). */
export interface MeterAnalysis extends HoursSplit {
  meter: string;
  fuel: Fuel;
  from: string;
  /** Exclusive. */
  to: string;
  site: { id: number; name: string; floorAreaM2: number | null; generation: boolean } | null;
  /** The opening hours used (the site's, else the default), as text. */
  openingHours: string;
  openingHoursDefault: boolean;
  kwh: number;
  presentHalfHours: number;
  expectedHalfHours: number;
  /** Mean of the days' baseloads (kW); null when no day had ≥ 40 present half-hours. */
  baseloadKw: number | null;
  baseloadDays: number;
  /** 'lowest-8' (the day's 8 lowest half-hours) or 'overnight' (22:00–02:00, sites with generation). */
  baseloadMethod: 'lowest-8' | 'overnight';
  /** Baseload kWh (kW × hours of the days counted) ÷ those days' kWh. */
  baseloadShare: number | null;
  baseloadKwPerM2: number | null;
  /** Trend: the last 7 days of the range vs the same 7 days a year earlier and vs the 4 weeks before. */
  baseloadTrend: {
    lastWeekFrom: string;
    lastWeekKw: number | null;
    yearAgoKw: number | null;
    previous4WeeksKw: number | null;
  };
  peakKw: number | null;
  /** UTC ISO start of the peak half-hour. */
  peakAt: string | null;
  capacityKva: number | null;
  /** peak kW ÷ agreed capacity (kVA, taken at unity power factor). */
  peakShareOfCapacity: number | null;
  /** kWh ÷ hours of present half-hours. */
  meanKw: number | null;
  loadFactor: number | null;
  /** 1 − in-hours ÷ total. */
  outOfHoursShare: number | null;
  /**
   * What the out-of-hours, weekend and holiday use cost at the meter's tariff (unit, DUoS unit and
   * CCL charges with VAT).
   */
  outOfHoursPence: number | null;
  /** Why there is no £ figure (no tariff…), or null. */
  costNote: string | null;
  days: AnalysisDay[];
  /**
   * Mean kWh per wall-clock half-hour (48, 00:00 first) on open days and on other days, and which
   * slots are open on a typical open day.
   */
  profile: { open: (number | null)[]; closed: (number | null)[]; openSlots: boolean[] };
}

export interface QualityRun {
  /** ISO UTC start of the run's first half-hour. */
  from: string;
  /** ISO UTC end (exclusive). */
  to: string;
  halfHours: number;
}

/** `analytics.quality`: data quality over [from, to). */
export interface QualityReport {
  meter: string;
  from: string;
  to: string;
  expectedHalfHours: number;
  presentHalfHours: number;
  missingHalfHours: number;
  estimatedHalfHours: number;
  completeness: number;
  gaps: QualityRun[];
  zeroRuns: QualityRun[];
  negatives: { start: string; kwh: number }[];
  outliers: { start: string; kwh: number; zscore: number }[];
  /** ISO UTC start of the latest half-hour with a value (any date), or null. */
  lastReading: string | null;
  /** No reading for 14 days or more before the as-at day. */
  stale: boolean;
  zeroRunMin: number;
  /** Per local day of the range: for the calendar. */
  days: { date: string; expected: number; present: number; estimated: number }[];
}

export interface ExceptionDay {
  date: string;
  actualKwh: number;
  expectedKwh: number;
  /** actual − expected (negative: less than usual). */
  excessKwh: number;
  bandKwh: number;
  /** The excess priced at the meter's average variable rate (p/kWh) over the range, or null. */
  excessPence: number | null;
  /** Same weekdays the expectation used (4–8). */
  weeks: number;
}

/** `analytics.exceptions`: days outside the band of their weekday's last 8 weeks. */
export interface ExceptionsReport {
  meter: string;
  from: string;
  to: string;
  exceptions: ExceptionDay[];
  /** Complete days checked (with at least 4 comparable weekdays). */
  checkedDays: number;
  /** Days not checked: incomplete, or too little history. */
  uncheckedDays: number;
  /** Average variable rate used for £ (p/kWh), or null. */
  ratePencePerKwh: number | null;
}

export interface BaselineFlag {
  code: string;
  message: string;
}

/** A fitted degree-day model (src-shared/domain/baseline.ts). */
export interface BaselineStats {
  intercept: number;
  slope: number;
  /** Null when no base temperature gave varying degree days (an intercept-only model). */
  baseTemperature: number | null;
  days: number;
  r2: number;
  cvrmse: number;
  nmbe: number;
}

export interface BaselineResult extends BaselineStats {
  meter: string;
  from: string;
  to: string;
  site: { id: number; name: string } | null;
  coolingSlope: number | null;
  coolingBaseTemperature: number | null;
  /** Degree days were imported at a fixed base: no base-temperature search. */
  fixedBase: boolean;
  split: { open: BaselineStats; closed: BaselineStats } | null;
  flags: BaselineFlag[];
  notes: string[];
  /** Baseline days for the scatter: HDD at the model's base, kWh, and the model's prediction. */
  points: { date: string; hdd: number; kwh: number; predictedKwh: number; open: boolean }[];
}

export interface CusumResult {
  meter: string;
  model: BaselineResult;
  from: string;
  to: string;
  days: { date: string; actualKwh: number; expectedKwh: number; cusumKwh: number }[];
  /** Σ(expected − actual) kWh: positive = energy saved against the baseline. */
  avoidedKwh: number;
  avoidedPence: number | null;
  avoidedKgCo2: number | null;
  /** Reporting days left out (incomplete, or no weather). */
  skippedDays: number;
}

/** One meter's row in the portfolio league tables. */
export interface LeagueRow {
  meter: string;
  label: string | null;
  fuel: Fuel;
  site: { id: number; name: string } | null;
  floorAreaM2: number | null;
  kwh: number;
  baseloadKw: number | null;
  baseloadKwPerM2: number | null;
  /** Baseload of the last 7 days vs the 4 weeks before (−0.1 = 10 % lower); null without both. */
  baseloadChange: number | null;
  outOfHoursShare: number | null;
  outOfHoursKwh: number;
  /** Exception days in the range, and their excess kWh (actual − expected, summed). */
  exceptions: number;
  exceptionExcessKwh: number;
  /** Exception days in the last 7 days of the range ("this week"). */
  exceptionsLastWeek: number;
  completeness: number;
  missingHalfHours: number;
  gaps: number;
  zeroRuns: number;
  negatives: number;
  outliers: number;
  lastReading: string | null;
  stale: boolean;
}

/** `analytics.portfolio`: every meter over [from, to). */
export interface PortfolioAnalysis {
  from: string;
  to: string;
  /** The last day of the range, and why it was chosen. */
  anchor: string | null;
  rows: LeagueRow[];
  elapsedMs: number;
}

// ------------------------------------------------------------------ alerts, notifications, health

export type AlertSeverity = 'info' | 'warning' | 'critical';
export type AlertChannel = 'tray' | 'email' | 'slack' | 'webhook';
export type AlertStatus = 'open' | 'acknowledged' | 'resolved';
export const ALERT_KINDS = [
  'daily-kwh-above',
  'halfhour-kw-above',
  'out-of-hours-share-above',
  'baseload-increase',
  'exception',
  'data-missing',
  'zero-run',
  'cost-above',
  'capacity-share-above',
  'import-failed',
  'health',
  'carbon-intensity-below',
  'carbon-intensity-above',
] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

/**
 * An alert rule as a rule file holds it (docs/alerts.md): its id, kind, scope (`meter`, `site` or
 * `all`), severity, channels, and the kind's parameters by name beside them — `kwh`; `kw` and
 * `consecutive`; `share`; `percent` and `compare`; `direction`; `days` and/or `halfHours`; `gbp` and
 * `per`; `check` and `level`; `gco2` and `halfHours`.
 */
export interface AlertRule {
  id: string;
  kind: AlertKind;
  name?: string;
  meter?: string;
  site?: number;
  all?: true;
  severity: AlertSeverity;
  channels: AlertChannel[];
  enabled: boolean;
  /** The kind's parameters, as named above. */
  [param: string]: unknown;
}

export interface AlertRuleImportResult {
  created: number;
  updated: number;
  /** Rules not in the file that `replace` removed. */
  removed: number;
  rules: AlertRule[];
}

/** One problem in a rule file: which rule (its id and place in the file), which field, what was expected. */
export interface AlertRuleProblem {
  index: number;
  rule: string | null;
  field: string | null;
  message: string;
}

export interface AlertDelivery {
  id: number;
  alertId: number | null;
  channel: AlertChannel;
  kind: 'alert' | 'digest' | 'test';
  /** queued → sent; retrying after a failure; failed once retries are spent; held for quiet hours or the digest. */
  status: 'queued' | 'sent' | 'retrying' | 'failed' | 'held';
  attempts: number;
  createdAt: string;
  nextAt: string | null;
  sentAt: string | null;
  error: string | null;
}

export interface Alert {
  id: number;
  rule: string;
  kind: AlertKind;
  /** What it is about: a meter's MPAN/MPRN, a health check's name, a job, a region. */
  subject: string;
  /** A person's name for the subject ("1200050000009 · Main school, Bath"). */
  subjectLabel: string;
  severity: AlertSeverity;
  status: AlertStatus;
  firedAt: string;
  /** The period it covers: `YYYY-MM-DD` (a UK local day), `YYYY-Www`, `YYYY-MM`, or `from/to` instants. */
  period: string;
  /** The period in words ("Mon 6 Jan 2025", "Week 2, 2025 (6–12 Jan)"). */
  periodLabel: string;
  message: string;
  value: number | null;
  threshold: number | null;
  unit: string | null;
  /** The app route that shows it (a chart of the meter over the period, the Health page, the job). */
  link: string | null;
  meter: string | null;
  siteId: number | null;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  note: string | null;
  resolvedAt: string | null;
  /** Who resolved it; null when resolved automatically because the condition cleared. */
  resolvedBy: string | null;
  snoozedUntil: string | null;
  channels: AlertChannel[];
}

export interface AlertDetail extends Alert {
  deliveries: AlertDelivery[];
}

export interface AlertCounts {
  /** Open, not snoozed: the badge. */
  open: number;
  acknowledged: number;
  snoozed: number;
  bySeverity: Record<AlertSeverity, number>;
  /** When every rule was last judged over every meter (a check on demand or the schedule), or null. */
  lastCheckAt: string | null;
}

export interface AlertCheckResult {
  at: string;
  rules: number;
  /** Alerts that fired for the first time in this evaluation. */
  fired: Alert[];
  /** Alerts resolved automatically because their condition cleared. */
  resolved: number;
  /** Alerts already open that still hold (nothing sent again). */
  unchanged: number;
}

export type HealthStatus = 'ok' | 'warn' | 'fail';
/** The health checks by name (docs/health.md), as `health` alert rules name them. */
export const HEALTH_CHECKS = [
  'database',
  'disk',
  'queue',
  'stuck-jobs',
  'failed-imports',
  'rollup',
  'carbon',
  'stale-meters',
  'updates',
] as const;

export interface HealthCheck {
  name: string;
  /** The check in words ("Free disk space"). */
  label: string;
  status: HealthStatus;
  /** What was found, in words a person understands. */
  detail: string;
  /** What to do about it (empty when ok). */
  action: string;
  value?: number | null;
}

export interface HealthReport {
  status: HealthStatus;
  checkedAt: string;
  checks: HealthCheck[];
}

export interface HealthChange {
  id: number;
  check: string;
  status: HealthStatus;
  previous: HealthStatus | null;
  detail: string;
  at: string;
}

/** The result of "send a test" on a channel. */
export interface NotifyTestResult {
  channel: AlertChannel;
  ok: boolean;
  message: string;
}

// ------------------------------------------------------------------ users, tokens, the audit log

/** Who is calling, as the server sees them (`auth.me`). */
export interface Me {
  /** The signed-in user's name, the token's name, or null for the local admin (desktop, CLI, loopback). */
  name: string | null;
  role: Role;
  /** How they came in. */
  via: 'local' | 'session' | 'token';
  /** Whether this server needs sign-in (users exist, or it listens beyond this machine). */
  signInRequired: boolean;
}

export interface UserSummary {
  username: string;
  role: Role;
  disabled: boolean;
  createdAt: string;
  lastLoginAt: string | null;
  /** Sessions signed in and not expired. */
  activeSessions: number;
}

export interface TokenSummary {
  name: string;
  role: Role;
  createdAt: string;
  createdBy: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** A new API token: `token` is shown this once and stored only hashed. */
export interface CreatedToken {
  name: string;
  role: Role;
  token: string;
}

/** One audit-log entry: who did what, when, and how it ended. */
export interface AuditRecord {
  id: number;
  at: string;
  actor: string;
  action: string;
  details: unknown;
  /** 'ok', or the error code the call ended with. */
  outcome: string;
}

// ---------------------------------------------------------------- portfolio (registers, tables, undo, sources)

/** One problem in a register file: its line (1 = the header), the column's header, what was expected. */
export interface RegisterError {
  line: number;
  column: string | null;
  message: string;
}

/** What a register line creates or changes (the preview, and the record of what was done). */
export interface RegisterChange {
  line: number;
  entity: 'site' | 'meter';
  /** The site's name or the meter's MPAN/MPRN. */
  key: string;
  action: 'create' | 'update' | 'unchanged';
  /** The fields it sets or changes, with the value before (null when new) and after. */
  fields: { field: string; from: string | null; to: string | null }[];
}

/**
 * What `register.import` did, or (dry run) would do. Nothing is written when there are errors, and then
 * the four counts are 0; `changes` still lists what the lines ask for.
 */
export interface RegisterImportResult {
  dryRun: boolean;
  sitesCreated: number;
  sitesUpdated: number;
  metersCreated: number;
  metersUpdated: number;
  /** Every problem (the first 5,000), by line. */
  errors: RegisterError[];
  /** Line by line (the first 5,000). */
  changes: RegisterChange[];
  /** Headers of columns the register does not read (left out, not an error). */
  ignoredColumns: string[];
}

/** A register file for download: CSV text, or an XLSX workbook as base64. */
export interface RegisterExport {
  fileName: string;
  contentType: string;
  encoding: 'utf8' | 'base64';
  content: string;
  sites: number;
  meters: number;
}

/** A site that meter files named (the BANES export's Location and PostCode), offered for creation. */
export interface SiteSuggestion {
  name: string;
  address: string | null;
  postcode: string | null;
  /** The meters whose files named it and that have no site yet. */
  meters: string[];
  /** A site with that name already exists: accepting assigns the meters to it. */
  existingSiteId: number | null;
}

/** What accepting site suggestions did. */
export interface SiteSuggestionResult {
  sitesCreated: number;
  metersAssigned: number;
  sites: SiteSummary[];
}

/** A meter as the portfolio table shows it: its summary and this month's and last year's figures. */
export interface MeterRow extends MeterSummary {
  /** The tariff assigned today (UK local), if any. */
  tariff: { id: string; name: string } | null;
  /**
   * Share (0–1) of the half-hours received over the 30 days to the portfolio's latest complete day
   * (`TablePeriod.completenessFrom/To`); null for a meter with no readings at all.
   */
  completeness: number | null;
  /** kWh this month to date and over the same days a year earlier (null when nothing was stored then). */
  kwhMonth: number | null;
  kwhMonthLastYear: number | null;
  /**
   * Pence (VAT included) over the same two ranges, priced as the Costs page prices them (its assignments,
   * else its supplier's default tariff); null when nothing was stored then, or no tariff prices it.
   */
  costMonthPence: number | null;
  costMonthLastYearPence: number | null;
  /** Open alerts (not acknowledged, resolved or snoozed). */
  openAlerts: number;
  /** The data source (watched folder, SFTP, API) whose import last wrote its readings, if any. */
  source: { id: number; name: string } | null;
}

/** A site as the sites table shows it: its meters' figures summed (gas and electricity kWh together). */
export interface SiteRow extends SiteSummary {
  kwhMonth: number | null;
  kwhMonthLastYear: number | null;
  /** The priced meters' pence; null when none of its meters with readings could be priced. */
  costMonthPence: number | null;
  costMonthLastYearPence: number | null;
  /** Meters with readings in either range that no tariff prices (left out of the pence). */
  unpricedMeters: number;
  /** Open alerts about the site or its meters. */
  openAlerts: number;
  /** The latest reading of any of its meters (UTC). */
  lastReading: string | null;
}

/**
 * The period the tables' figures cover (UK local dates, `to` exclusive): this month to the portfolio's
 * latest complete day (the dashboard's anchor), the same days a year earlier, and the 30 days completeness counts.
 */
export interface TablePeriod {
  from: string;
  to: string;
  lastYearFrom: string;
  lastYearTo: string;
  completenessFrom: string;
  completenessTo: string;
}

/** What `meters.bulkUpdate` changed. */
export interface BulkUpdateResult {
  updated: number;
  meters: string[];
}

/** Something deleted by hand and kept so it can be put back. */
export interface TrashEntry {
  id: number;
  kind: 'meter' | 'site' | 'readings';
  /** What was (or, for a dry run, would be) deleted, in words. */
  label: string;
  createdAt: string;
  createdBy: string;
  restoredAt: string | null;
  restoredBy: string | null;
  /** What went with it. */
  counts: { sites: number; meters: number; days: number; halfHours: number; tariffAssignments: number; alerts: number };
  /** The meters deleted with it, or whose readings were (MPAN/MPRN). */
  meters: string[];
}

/** What rolling back a finished import did (or, for a dry run, would do). */
export interface RollbackResult {
  job: ImportJob;
  dryRun: boolean;
  /** Half-hours it had added, now gone. */
  readingsRemoved: number;
  /** Half-hours it had overwritten, now holding their earlier values again. */
  valuesRestored: number;
  /**
   * Later imports that gave some of the same half-hours (duplicates, or conflicts that kept its value): their files
   * are read again and their values take those half-hours, as if it had never run. `readings`: how many (null in a
   * dry run: the files are not read); `error`: why a file could not be read again (its copy is no longer kept).
   */
  laterImports: { jobId: number; file: string; readings: number | null; error: string | null }[];
  /** Meters whose readings changed. */
  meters: string[];
  /** Meters the import had created that were left with no readings: deleted (see `trash.list` to put one back). */
  metersRemoved: string[];
  /**
   * The smart-meter API source (Octopus, n3rgy) that fetched the import, set to fetch its days again from `from`
   * (YYYY-MM-DD) on its next run: its cursor goes back to the day before (never forward); null for any other import.
   */
  refetch: { sourceId: number; source: string; from: string } | null;
}

export type SourceKind = 'folder' | 'sftp' | 'octopus' | 'n3rgy';

/** A source's state: waiting for its next run, running, last run ok, last run failed, overdue, switched off. */
export type SourceStatus = 'idle' | 'running' | 'ok' | 'failed' | 'behind' | 'disabled';

/** A data source (watched folder, SFTP pickup, Octopus or n3rgy API) as lists show it. Never carries a secret. */
export interface SourceSummary {
  id: number;
  name: string;
  kind: SourceKind;
  /** The kind's settings (path, host, pattern, MPAN…), secrets left out. */
  config: Record<string, unknown>;
  /** Which of the kind's secrets are set (`password`, `privateKey`, `passphrase`, `apiKey`). */
  secretsSet: string[];
  everyMinutes: number;
  enabled: boolean;
  status: SourceStatus;
  lastRunAt: string | null;
  lastOkAt: string | null;
  nextRunAt: string | null;
  lastError: string | null;
  /** When it last brought a new file or new readings. */
  lastReceivedAt: string | null;
  /** API sources: the last UK day fetched completely. */
  cursor: string | null;
  /** Meters it has brought readings for. */
  meters: string[];
}

/** One run of a source. */
export interface SourceRun {
  id: number;
  sourceId: number;
  /** On its schedule, by hand, once after the app was asleep or closed, or on a change in its watched folder. */
  trigger: 'schedule' | 'manual' | 'catch-up' | 'watch';
  status: 'running' | 'ok' | 'failed';
  startedAt: string;
  finishedAt: string | null;
  itemsFound: number;
  itemsQueued: number;
  jobIds: number[];
  /** Why it failed, in words. */
  error: string | null;
  /** What it did besides queueing imports: a host key pinned on first use, files moved or deleted after import. */
  notes: string[];
}

/** One file or fetched window a source took in. */
export interface SourceItem {
  key: string;
  sha256: string;
  bytes: number;
  seenAt: string;
  jobId: number | null;
}

export interface SourceDetail extends SourceSummary {
  runs: SourceRun[];
  items: SourceItem[];
}

/** Where a meter's data comes from: the sources that fed it, when it last received data, when more is due. */
export interface MeterFeed {
  meter: string;
  sources: { id: number; name: string; kind: SourceKind; status: SourceStatus; nextRunAt: string | null }[];
  /** The last import that wrote its readings: by hand or from a source. */
  lastImport: { jobId: number; file: string; finishedAt: string | null; sourceId: number | null } | null;
  lastReceivedAt: string | null;
  /** The earliest next run of its sources; null when none is scheduled. */
  nextDueAt: string | null;
}

/** A site's budget for one UK calendar month (`YYYY-MM`): kWh and pence, either may be unset. */
export interface Budget {
  siteId: number;
  month: string;
  kwh: number | null;
  pence: number | null;
  updatedAt: string;
  updatedBy: string;
}

/** What a report covers: one meter, one site, or the whole portfolio. */
export type ReportScope = { meter: string } | { siteId: number } | { all: true };

/** A report made now: the file's name, type and content (base64 for PDF, the text itself for HTML). */
export interface ReportFile {
  title: string;
  fileName: string;
  contentType: 'application/pdf' | 'text/html; charset=utf-8';
  encoding: 'base64' | 'utf8';
  data: string;
  bytes: number;
}

/**
 * What a schedule makes. A report covers the last whole month (monthly) or the last whole calendar year
 * (annual) before it runs; an export the days given by `range` before the run's UK local day; a digest
 * the last whole week (Monday–Sunday) or month, with the portfolio's (or site's) report attached.
 */
export type ScheduleWhat =
  | { kind: 'report'; scope: ReportScope; period: 'month' | 'year'; format: 'pdf' | 'html' }
  | {
      kind: 'export';
      table: 'readings' | 'days' | 'totals' | 'costs' | 'emissions' | 'alerts';
      scope: ReportScope;
      range: 'yesterday' | 'last-7-days' | 'last-month';
      layout?: 'long' | 'wide';
    }
  | { kind: 'digest'; scope: ReportScope; period: 'week' | 'month' };

/** When a schedule runs, UK local time `HH:MM`. `weekday` 1 = Monday … 7 = Sunday; `day` 1–28. */
export type ScheduleCadence =
  | { every: 'daily'; at: string }
  | { every: 'weekly'; weekday: number; at: string }
  | { every: 'monthly'; day: number; at: string };

/** Where a schedule delivers (secrets are set through `schedules.save`, never returned). */
export type ScheduleDestination =
  | { kind: 'folder'; path: string }
  | { kind: 'email'; to: string[] }
  | {
      kind: 'sftp';
      host: string;
      port?: number;
      username: string;
      /** The remote folder the file is uploaded to. */
      path: string;
    };

/** One run of a schedule: the delivery log's line. */
export interface ScheduleRun {
  id: number;
  scheduleId: number;
  trigger: 'schedule' | 'manual' | 'catch-up';
  status: 'running' | 'ok' | 'failed';
  /** When it was due (UTC ISO): the period it covers follows from it. */
  dueAt: string;
  startedAt: string;
  finishedAt: string | null;
  attempts: number;
  fileName: string | null;
  bytes: number | null;
  /** Where it went, in words. */
  target: string | null;
  error: string | null;
  notes: string[];
}

/** A schedule as listed. */
export interface ScheduleSummary {
  id: number;
  name: string;
  what: ScheduleWhat;
  cadence: ScheduleCadence;
  destination: ScheduleDestination;
  /** SFTP: the pinned host key fingerprint (null until the first connection). */
  hostKey: string | null;
  /** Which secrets are set (`password`, `privateKey`, `passphrase`). */
  secretsSet: string[];
  enabled: boolean;
  nextRunAt: string | null;
  lastRun: ScheduleRun | null;
  createdAt: string;
  updatedAt: string;
}

/** This desktop's link to a shared server (Settings → Shared server; docs/sync.md). */
export interface SyncStatus {
  /** Whether a shared server is set up on this desktop. */
  configured: boolean;
  server: string | null;
  /** Who this desktop signed in as, and that account's role on the server. */
  user: { name: string; role: Role } | null;
  /** A name people recognise for this desktop in conflicts and the activity log. */
  clientName: string;
  /**
   * off: no server; synced: nothing waiting; waiting: local changes not yet on the server;
   * syncing: a sync is running; offline: the server could not be reached (since `offlineSince`);
   * error: the server refused (signed out, role, a bad answer: `lastError`).
   */
  state: 'off' | 'synced' | 'waiting' | 'syncing' | 'offline' | 'error';
  /**
   * Changes made here that the next sync sends (meter-days, entity rows, decisions): not those the
   * account may not send (`heldCount`). State `waiting` when there are any.
   */
  waiting: number;
  /**
   * Changes made here that stay here because the account's role may not send them: everything on
   * a viewer's desktop, tariffs, their prices and shared settings on a manager's (why: `held`).
   */
  heldCount: number;
  lastSyncAt: string | null;
  offlineSince: string | null;
  lastError: string | null;
  /**
   * Why changes made here are not shared, in words: the account's role may not send them
   * (`heldCount` of them: "2 changes need an administrator’s account to be shared: tariff ‘Acme
   * Business Fixed’ and its prices from 1 Jan 2025"), or the server refused part of the last push
   * (then they count in `waiting`); null when neither.
   */
  held: string | null;
  /** The server version this desktop has pulled up to. */
  version: number;
  /** Site uids whose readings this desktop keeps; null = every site. */
  keptSites: string[] | null;
  /** Readings conflicts open (listed on the conflicts page). */
  openConflicts: number;
  /** Minutes between automatic syncs. */
  everyMinutes: number;
}

/** What one sync did (`sync.now`, `eclectyc sync`). */
export interface SyncRunResult {
  /** Meter-days, entity rows and decisions the server applied from this desktop. */
  pushed: number;
  /** Meter-days and entity rows applied here from the server. */
  pulled: number;
  /** Readings conflicts raised by this sync's pushes, plus open ones pulled. */
  conflicts: number;
  /** The server version this desktop has now pulled up to. */
  version: number;
}
