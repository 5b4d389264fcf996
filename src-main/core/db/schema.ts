/**
 * The SQLite schema (drizzle). drizzle-kit generates the SQL migrations in /drizzle from this file.
 * Half-hourly data lives in `meter_days` (one row per meter per UK local day, half-hours packed)
 * and `day_stats` (each day's summary); only src-main/core/readings/ reads or writes them.
 */
import { sql } from 'drizzle-orm';
import { blob, index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

const createdAt = () =>
  integer('created_at')
    .notNull()
    .default(sql`(unixepoch())`);

export const organisations = sqliteTable('organisations', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  name: text('name').notNull().unique(),
  createdAt: createdAt(),
});

export const sites = sqliteTable(
  'sites',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    organisationId: integer('organisation_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'restrict' }),
    name: text('name').notNull(),
    /** Postal address (lines joined with ", "), as a register or a meter file gives it. */
    address: text('address'),
    postcode: text('postcode'),
    /** Carbon Intensity region chosen by the user (else derived from the site's MPANs). */
    regionId: integer('region_id'),
    /** WGS84 location, for weather (Open-Meteo) and maps. */
    latitude: real('latitude'),
    longitude: real('longitude'),
    /** Gross internal floor area in m², for kW/m² and kWh/m² league tables. */
    floorAreaM2: real('floor_area_m2'),
    /** On-site generation (solar PV…): baseload uses the 22:00–02:00 half-hours, not the day's lowest. */
    generation: integer('generation', { mode: 'boolean' }).notNull().default(false),
    /**
     * JSON opening hours (src-shared/domain/opening-hours.ts): per weekday (Monday first) a list of
     * [fromMinute, toMinute) local ranges; NULL = the default, Monday–Friday 08:00–18:00.
     */
    openingHours: text('opening_hours'),
    /** The site's id everywhere (32 hex digits; given on insert by a trigger): how it syncs. */
    uid: text('uid'),
    createdAt: createdAt(),
  },
  (t) => [index('sites_organisation_idx').on(t.organisationId), uniqueIndex('sites_uid_idx').on(t.uid)],
);

/** Date ranges a site is closed (school holidays, shutdowns): local days [fromDay, toDay). */
export const siteClosures = sqliteTable(
  'site_closures',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    siteId: integer('site_id')
      .notNull()
      .references(() => sites.id, { onDelete: 'cascade' }),
    fromDay: integer('from_day').notNull(),
    toDay: integer('to_day').notNull(),
    note: text('note'),
  },
  (t) => [index('site_closures_site_idx').on(t.siteId, t.fromDay)],
);

/**
 * A site's daily weather (UK local days): the mean temperature (°C) from Open-Meteo or an imported
 * file, or heating degree days as a degree-day service exports them (at `hddBase` °C).
 */
export const weatherDays = sqliteTable(
  'weather_days',
  {
    siteId: integer('site_id')
      .notNull()
      .references(() => sites.id, { onDelete: 'cascade' }),
    day: integer('day').notNull(),
    meanC: real('mean_c'),
    hdd: real('hdd'),
    hddBase: real('hdd_base'),
    /** 'open-meteo' or 'file:NAME'. */
    source: text('source').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.siteId, t.day] })],
);

export const meters = sqliteTable(
  'meters',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** MPAN core (13 digits), MPRN, or the id a file uses. */
    identifier: text('identifier').notNull().unique(),
    kind: text('kind', { enum: ['mpan', 'mprn', 'other'] }).notNull(),
    fuel: text('fuel', { enum: ['electricity', 'gas'] }).notNull(),
    /** Top line of a 21-character full MPAN, when a file gave one. */
    mpanTopLine: text('mpan_top_line'),
    siteId: integer('site_id').references(() => sites.id, { onDelete: 'set null' }),
    label: text('label'),
    /** Largest plausible kWh in one half-hour; readings above it are rejected. */
    maxKwhPerHalfHour: real('max_kwh_per_half_hour').notNull().default(10000),
    /** Gas calorific value in MJ/m³, used to convert volumes to kWh. */
    calorificValue: real('calorific_value').notNull().default(39.5),
    /** The meter's supplier: its default tariff prices days with no assignment. */
    supplier: text('supplier'),
    /** Agreed supply capacity (kVA), for capacity charges. */
    capacityKva: real('capacity_kva'),
    /** The meter's serial number (Octopus and registers give it; an MPAN can have several over time). */
    serial: text('serial'),
    /** JSON: string[] — the user's own labels for grouping and filtering ("school", "leased"). */
    tags: text('tags').notNull().default('[]'),
    createdAt: createdAt(),
  },
  (t) => [index('meters_site_idx').on(t.siteId)],
);

/**
 * The readings store (src-main/core/readings/ owns these tables; no other module names them).
 * One row per meter per UK local day (`day` = days since 1970-01-01 of the Europe/London date):
 * the day's 46/48/50 half-hours packed (codec.ts: values, per-half-hour quality, gas volumes, and
 * which import job wrote each half-hour). `job_id` is the writer of the whole day, or 0 when
 * `writers` lists one per half-hour.
 */
export const meterDays = sqliteTable(
  'meter_days',
  {
    meterId: integer('meter_id')
      .notNull()
      .references(() => meters.id, { onDelete: 'cascade' }),
    day: integer('day').notNull(),
    vals: blob('vals', { mode: 'buffer' }).notNull(),
    quality: blob('quality', { mode: 'buffer' }),
    volumes: blob('volumes', { mode: 'buffer' }),
    jobId: integer('job_id').notNull().default(0),
    writers: blob('writers', { mode: 'buffer' }),
  },
  (t) => [primaryKey({ columns: [t.meterId, t.day] })],
);

/**
 * Each stored meter-day's summary, computed as the day is written: narrow rows, so portfolio
 * totals over a year read 40-byte rows, not the packed half-hours. `seq` is the change number of
 * the write (one per import chunk), indexed for "what changed since".
 */
export const dayStats = sqliteTable(
  'day_stats',
  {
    meterId: integer('meter_id')
      .notNull()
      .references(() => meters.id, { onDelete: 'cascade' }),
    day: integer('day').notNull(),
    halfHours: integer('half_hours').notNull(),
    kwh: real('kwh').notNull(),
    present: integer('present').notNull(),
    estimated: integer('estimated').notNull(),
    missing: integer('missing').notNull(),
    min: real('min'),
    max: real('max'),
    peakSlot: integer('peak_slot'),
    seq: integer('seq').notNull(),
  },
  (t) => [primaryKey({ columns: [t.meterId, t.day] }), index('day_stats_seq_idx').on(t.seq)],
);

/** What an import overwrote (a conflict resolved with "replace"), so undoing the job restores it. */
export const readingsUndo = sqliteTable(
  'readings_undo',
  {
    jobId: integer('job_id').notNull(),
    meterId: integer('meter_id').notNull(),
    day: integer('day').notNull(),
    slot: integer('slot').notNull(),
    kwh: real('kwh'),
    quality: integer('quality').notNull(),
    volume: real('volume'),
    priorJob: integer('prior_job').notNull(),
  },
  (t) => [primaryKey({ columns: [t.jobId, t.meterId, t.day, t.slot] })],
);

/** The meter-day ranges each import job wrote (one row per meter per chunk): what undoing it visits. */
export const readingsJobSpans = sqliteTable(
  'readings_job_spans',
  {
    jobId: integer('job_id').notNull(),
    meterId: integer('meter_id').notNull(),
    fromDay: integer('from_day').notNull(),
    toDay: integer('to_day').notNull(),
  },
  (t) => [primaryKey({ columns: [t.jobId, t.meterId, t.fromDay, t.toDay] })],
);

/** Meter-days removed (an import undone), with the change number of the removal: "what changed since" sees them. */
export const readingsRemoved = sqliteTable(
  'readings_removed',
  {
    meterId: integer('meter_id').notNull(),
    day: integer('day').notNull(),
    seq: integer('seq').notNull(),
  },
  (t) => [primaryKey({ columns: [t.meterId, t.day] }), index('readings_removed_seq_idx').on(t.seq)],
);

/**
 * The portfolio's day totals per fuel (kWh, half-hours with a value, meters with data), rolled up
 * from day_stats by the roll-up run: a dashboard's year to date reads 365 rows, not 365,000.
 * Current while readings_meta `portfolio` equals `seq`.
 */
export const fuelDays = sqliteTable(
  'fuel_days',
  {
    fuel: text('fuel', { enum: ['electricity', 'gas'] }).notNull(),
    day: integer('day').notNull(),
    kwh: real('kwh').notNull(),
    present: integer('present').notNull(),
    meters: integer('meters').notNull(),
  },
  (t) => [primaryKey({ columns: [t.fuel, t.day] })],
);

/**
 * The store's counters: `seq` (the last change number given out), `rolled` (reported by the last roll-up run),
 * `portfolio` (fuel_days is current up to it).
 */
export const readingsMeta = sqliteTable('readings_meta', {
  key: text('key').primaryKey(),
  value: integer('value').notNull(),
});

/** Files copied into the data folder's imports/ directory, kept with their checksum. */
export const storedFiles = sqliteTable(
  'stored_files',
  {
    id: text('id').primaryKey(),
    originalName: text('original_name').notNull(),
    path: text('path').notNull(),
    bytes: integer('bytes').notNull(),
    sha256: text('sha256').notNull(),
    /**
     * Where the file was copied from and its stat (device, inode, size, mtime, ctime): an unchanged file is known
     * without hashing it again.
     */
    source: text('source'),
    createdAt: createdAt(),
  },
  (t) => [index('stored_files_sha256_idx').on(t.sha256), index('stored_files_source_idx').on(t.source)],
);

export const importJobs = sqliteTable(
  'import_jobs',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    batchId: text('batch_id').notNull(),
    fileId: text('file_id')
      .notNull()
      .references(() => storedFiles.id, { onDelete: 'cascade' }),
    fileName: text('file_name').notNull(),
    format: text('format'),
    status: text('status', { enum: ['queued', 'running', 'retrying', 'done', 'failed', 'cancelled', 'rolled-back'] })
      .notNull()
      .default('queued'),
    priority: integer('priority').notNull().default(1),
    dryRun: integer('dry_run', { mode: 'boolean' }).notNull().default(false),
    /** What to do with a reading stored with a different value: keep the stored one, or replace it. */
    onConflict: text('on_conflict', { enum: ['keep', 'replace'] })
      .notNull()
      .default('keep'),
    /** User overrides: a format name instead of detection, a meter id for files without one. */
    formatOverride: text('format_override'),
    meterOverride: text('meter_override'),
    notes: text('notes'),
    /** JSON: string[] */
    tags: text('tags').notNull().default('[]'),
    cancelRequested: integer('cancel_requested', { mode: 'boolean' }).notNull().default(false),
    /** Which process runs the job ("host:pid:nonce") and when it last committed: a dead owner's job is taken over. */
    owner: text('owner'),
    heartbeatAt: integer('heartbeat_at'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: integer('next_attempt_at'),
    /** Resume point: byte offset of the next unread line and its 1-based line number. */
    bytesDone: integer('bytes_done').notNull().default(0),
    lineDone: integer('line_done').notNull().default(0),
    rowsRead: integer('rows_read').notNull().default(0),
    readingsImported: integer('readings_imported').notNull().default(0),
    duplicates: integer('duplicates').notNull().default(0),
    conflicts: integer('conflicts').notNull().default(0),
    rowsRejected: integer('rows_rejected').notNull().default(0),
    /** JSON: RowError[] (first 1,000 kept). */
    errors: text('errors').notNull().default('[]'),
    /** JSON: identifiers of meters this job created. */
    metersCreated: text('meters_created').notNull().default('[]'),
    /** JSON: dry-run preview. */
    preview: text('preview'),
    lastError: text('last_error'),
    /**
     * Why a failed job failed (src-shared/domain/import-outcome.ts): a file that is not a meter file, binary,
     * malformed or empty (retrying cannot help), or a transient problem (disk, lock, I/O; retrying can).
     */
    failureKind: text('failure_kind'),
    /**
     * The store's change number when the job finished (a later import of the same file checks nothing changed since).
     */
    lastSeq: integer('last_seq'),
    /**
     * What the job's result depended on besides the file (parser version, options, its meters' settings): equal keys
     * and an unchanged store mean a re-import of the same file can reuse the result.
     */
    reuseKey: text('reuse_key'),
    /** The source whose run queued the job (watched folder, SFTP, smart-meter API); null for files given by hand. */
    sourceId: integer('source_id'),
    /** When and by whom a finished job was rolled back (its readings removed, the values it replaced back). */
    rolledBackAt: integer('rolled_back_at'),
    rolledBackBy: text('rolled_back_by'),
    createdAt: createdAt(),
    startedAt: integer('started_at'),
    finishedAt: integer('finished_at'),
  },
  (t) => [
    index('import_jobs_status_idx').on(t.status, t.priority, t.createdAt),
    index('import_jobs_source_idx').on(t.sourceId),
  ],
);

/** Sensitive actions: who did what, when. */
export const auditLog = sqliteTable('audit_log', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  at: integer('at').notNull(),
  actor: text('actor').notNull(),
  action: text('action').notNull(),
  details: text('details'),
  /** 'ok', or the error code the call ended with (written after the outcome). */
  outcome: text('outcome').notNull().default('ok'),
});

export const settings = sqliteTable('settings', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});

/** Every scheduled or manual background run: what, when, how long, what it touched. */
export const schedulerRuns = sqliteTable(
  'scheduler_runs',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    task: text('task').notNull(),
    trigger: text('trigger').notNull(),
    startedAt: integer('started_at').notNull(),
    finishedAt: integer('finished_at'),
    durationMs: integer('duration_ms'),
    status: text('status', { enum: ['running', 'done', 'failed'] }).notNull(),
    /** JSON summary: meters and days touched, snapshots written… */
    summary: text('summary'),
    error: text('error'),
  },
  (t) => [index('scheduler_runs_task_idx').on(t.task, t.startedAt)],
);

/** GB national carbon intensity per UTC half-hour (gCO2/kWh), from the Carbon Intensity API. */
export const carbonNational = sqliteTable('carbon_national', {
  ts: integer('ts').primaryKey(),
  forecast: integer('forecast'),
  actual: integer('actual'),
  index: text('index'),
  fetchedAt: integer('fetched_at').notNull(),
});

/** Regional forecast intensity per region (1–17, 18 = GB) per UTC half-hour. */
export const carbonRegional = sqliteTable(
  'carbon_regional',
  {
    regionId: integer('region_id').notNull(),
    ts: integer('ts').notNull(),
    forecast: integer('forecast'),
    index: text('index'),
    fetchedAt: integer('fetched_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.regionId, t.ts] })],
);

/** UK Government GHG conversion factors by year (kgCO2e per kWh), editable by the user. */
export const emissionFactors = sqliteTable(
  'emission_factors',
  {
    year: integer('year').notNull(),
    fuel: text('fuel', { enum: ['electricity', 'gas'] }).notNull(),
    kgPerKwh: real('kg_per_kwh').notNull(),
    source: text('source'),
  },
  (t) => [primaryKey({ columns: [t.year, t.fuel] })],
);

/** Tariffs (docs/tariffs.md): identity here, prices in effective-dated versions. */
export const tariffs = sqliteTable('tariffs', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  supplier: text('supplier').notNull(),
  fuel: text('fuel', { enum: ['electricity', 'gas'] }).notNull(),
  /** JSON number[] of distributor ids, or NULL = everywhere. */
  regions: text('regions'),
  isDefault: integer('is_default', { mode: 'boolean' }).notNull().default(false),
  createdAt: createdAt(),
  updatedAt: integer('updated_at').notNull(),
});

/** One version of a tariff's prices, valid over UK local days [valid_from, valid_to). */
export const tariffVersions = sqliteTable(
  'tariff_versions',
  {
    tariffId: text('tariff_id')
      .notNull()
      .references(() => tariffs.id, { onDelete: 'cascade' }),
    validFrom: integer('valid_from').notNull(),
    validTo: integer('valid_to'),
    /** JSON: the normalised tariff spec of this version. */
    spec: text('spec').notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.tariffId, t.validFrom] })],
);

/** Half-hourly prices of dynamic tariffs (p/kWh exclusive of VAT) by UTC half-hour start. */
export const tariffPrices = sqliteTable(
  'tariff_prices',
  {
    tariffId: text('tariff_id')
      .notNull()
      .references(() => tariffs.id, { onDelete: 'cascade' }),
    ts: integer('ts').notNull(),
    pence: real('pence').notNull(),
  },
  (t) => [primaryKey({ columns: [t.tariffId, t.ts] })],
);

/** Which tariff a meter is on from a UK local day until its next assignment. */
export const tariffAssignments = sqliteTable(
  'tariff_assignments',
  {
    meterId: integer('meter_id')
      .notNull()
      .references(() => meters.id, { onDelete: 'cascade' }),
    fromDay: integer('from_day').notNull(),
    tariffId: text('tariff_id')
      .notNull()
      .references(() => tariffs.id, { onDelete: 'restrict' }),
    assignedBy: text('assigned_by').notNull(),
    assignedAt: integer('assigned_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.meterId, t.fromDay] })],
);

/** Saved switching analyses: inputs, every alternative, who ran it and when. */
export const switchingAnalyses = sqliteTable(
  'switching_analyses',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    meterId: integer('meter_id')
      .notNull()
      .references(() => meters.id, { onDelete: 'cascade' }),
    ranAt: integer('ran_at').notNull(),
    ranBy: text('ran_by').notNull(),
    fromDay: integer('from_day').notNull(),
    toDay: integer('to_day').notNull(),
    currentTariff: text('current_tariff').notNull(),
    currentPence: real('current_pence').notNull(),
    bestTariff: text('best_tariff'),
    bestSavingPence: real('best_saving_pence').notNull(),
    bestSavingPercent: real('best_saving_percent'),
    whatIfPercent: real('what_if_percent'),
    /** The whole SwitchAnalysis (inputs, current, alternatives, skipped) as deflated JSON. */
    result: blob('result', { mode: 'buffer' }).notNull(),
  },
  (t) => [index('switching_analyses_meter_idx').on(t.meterId, t.ranAt)],
);

/**
 * Alert rules (docs/alerts.md): a kind, its scope (one meter, a site's meters, every meter, or the
 * system), its parameters as JSON, a severity and the channels it is delivered on.
 */
export const alertRules = sqliteTable('alert_rules', {
  /** The rule's own id, as in a rule file ("r1"). */
  id: text('id').primaryKey(),
  kind: text('kind').notNull(),
  name: text('name'),
  /** Exactly one of meter, site or all (system kinds: all). */
  meter: text('meter'),
  siteId: integer('site_id'),
  params: text('params').notNull(),
  severity: text('severity', { enum: ['info', 'warning', 'critical'] }).notNull(),
  channels: text('channels').notNull(),
  enabled: integer('enabled', { mode: 'boolean' }).notNull().default(true),
  /**
   * Bumped when the rule is re-created under an id used before, or its kind changes: its alerts
   * from then on are new ones (the earlier generation's stay as history).
   */
  generation: integer('generation').notNull().default(1),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
});

/**
 * Alerts: one per rule, subject and period, whatever is re-imported or re-evaluated. Alerts outlive
 * their rule (the history stays), so rule_id is not a foreign key.
 */
export const alerts = sqliteTable(
  'alerts',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    ruleId: text('rule_id').notNull(),
    /** The rule's generation when the alert fired. */
    ruleGeneration: integer('rule_generation').notNull().default(1),
    kind: text('kind').notNull(),
    /** A meter identifier, a check name, a job id, a region: what the alert is about. */
    subject: text('subject').notNull(),
    /** The period it covers: a local day, week (YYYY-Www), month, or an instant range. */
    period: text('period').notNull(),
    severity: text('severity', { enum: ['info', 'warning', 'critical'] }).notNull(),
    status: text('status', { enum: ['open', 'acknowledged', 'resolved'] }).notNull(),
    firedAt: integer('fired_at').notNull(),
    message: text('message').notNull(),
    value: real('value'),
    threshold: real('threshold'),
    unit: text('unit'),
    /** The renderer route that shows it (e.g. #/meters/…?view=analysis&from=…). */
    link: text('link'),
    meterId: integer('meter_id'),
    siteId: integer('site_id'),
    acknowledgedAt: integer('acknowledged_at'),
    acknowledgedBy: text('acknowledged_by'),
    note: text('note'),
    resolvedAt: integer('resolved_at'),
    /** Null when resolved automatically (the condition cleared). */
    resolvedBy: text('resolved_by'),
    snoozedUntil: integer('snoozed_until'),
    /** The channels still to deliver it on (JSON), set when it fires. */
    channels: text('channels').notNull(),
  },
  (t) => [
    uniqueIndex('alerts_rule_subject_period_idx').on(t.ruleId, t.ruleGeneration, t.subject, t.period),
    index('alerts_status_idx').on(t.status, t.firedAt),
  ],
);

/** Every delivery attempt of an alert (or a digest, a test) on a channel. */
export const alertDeliveries = sqliteTable(
  'alert_deliveries',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** Null for a test message or a digest. */
    alertId: integer('alert_id'),
    channel: text('channel').notNull(),
    /** queued, sent, failed (given up), retrying, held (quiet hours / rate limit → digest). */
    status: text('status').notNull(),
    attempts: integer('attempts').notNull().default(0),
    createdAt: integer('created_at').notNull(),
    nextAt: integer('next_at'),
    sentAt: integer('sent_at'),
    error: text('error'),
    /** What kind of message: alert, digest, test. */
    kind: text('kind').notNull().default('alert'),
    /** For a digest: the alert ids it carried (JSON). */
    payload: text('payload'),
  },
  (t) => [
    index('alert_deliveries_alert_idx').on(t.alertId),
    index('alert_deliveries_status_idx').on(t.status, t.nextAt),
  ],
);

/** Health checks' state changes (ok → warn → fail → ok…), and the latest state of each check. */
export const healthHistory = sqliteTable(
  'health_history',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    check: text('check').notNull(),
    status: text('status', { enum: ['ok', 'warn', 'fail'] }).notNull(),
    previous: text('previous'),
    detail: text('detail').notNull(),
    at: integer('at').notNull(),
  },
  (t) => [index('health_history_check_idx').on(t.check, t.at)],
);

/** People who sign in to the server (docs/security.md); the desktop app is one local admin. */
export const users = sqliteTable('users', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  username: text('username').notNull().unique(),
  role: text('role', { enum: ['viewer', 'manager', 'admin'] }).notNull(),
  /** scrypt: `scrypt$N$r$p$salt$hash` (base64). */
  passwordHash: text('password_hash').notNull(),
  disabled: integer('disabled', { mode: 'boolean' }).notNull().default(false),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
  lastLoginAt: integer('last_login_at'),
});

/** Signed-in sessions: the cookie carries a random id, stored only as its SHA-256. */
export const sessions = sqliteTable(
  'sessions',
  {
    idHash: text('id_hash').primaryKey(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: integer('created_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
    lastSeenAt: integer('last_seen_at').notNull(),
    revokedAt: integer('revoked_at'),
    ip: text('ip'),
    userAgent: text('user_agent'),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
);

/** API tokens for automation: shown once, stored as their SHA-256. */
export const apiTokens = sqliteTable('api_tokens', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  name: text('name').notNull().unique(),
  role: text('role', { enum: ['viewer', 'manager', 'admin'] }).notNull(),
  tokenHash: text('token_hash').notNull().unique(),
  createdAt: integer('created_at').notNull(),
  createdBy: text('created_by').notNull(),
  lastUsedAt: integer('last_used_at'),
  revokedAt: integer('revoked_at'),
});

/**
 * Site details meter files carry (the BANES export's Location and PostCode, a siteRef column): kept
 * per meter and offered as sites instead of being dropped. `dismissed` when the user said no.
 */
export const fileSites = sqliteTable(
  'file_sites',
  {
    meterId: integer('meter_id')
      .notNull()
      .references(() => meters.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    address: text('address'),
    postcode: text('postcode'),
    /** The import job that first saw it. */
    jobId: integer('job_id'),
    seenAt: integer('seen_at').notNull(),
    dismissed: integer('dismissed', { mode: 'boolean' }).notNull().default(false),
  },
  (t) => [primaryKey({ columns: [t.meterId, t.name] })],
);

/**
 * Data that arrives by itself: a watched folder, an SFTP pickup, or a smart-meter API (Octopus,
 * n3rgy). `config` is JSON (kind-specific, never a secret: passwords, keys and API keys live with the
 * other secrets under `source.ID.*`). Each run is recorded in source_runs and queues import jobs.
 */
export const sources = sqliteTable('sources', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  name: text('name').notNull(),
  kind: text('kind', { enum: ['folder', 'sftp', 'octopus', 'n3rgy'] }).notNull(),
  config: text('config').notNull(),
  /** Minutes between scheduled runs. */
  everyMinutes: integer('every_minutes').notNull().default(60),
  enabled: integer('enabled', { mode: 'boolean' }).notNull().default(true),
  /** Which process runs it now ("host:pid:nonce") and since when: a dead owner's run is taken over. */
  owner: text('owner'),
  runningSince: integer('running_since'),
  lastRunAt: integer('last_run_at'),
  lastOkAt: integer('last_ok_at'),
  nextRunAt: integer('next_run_at'),
  lastError: text('last_error'),
  /** API sources: the last UK local day fetched completely (`YYYY-MM-DD`); the next run asks from there. */
  cursor: text('cursor'),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
});

/** Each run of a source: when, why, what it found and queued, how it ended. */
export const sourceRuns = sqliteTable(
  'source_runs',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    sourceId: integer('source_id')
      .notNull()
      .references(() => sources.id, { onDelete: 'cascade' }),
    /** 'schedule', 'manual', 'catch-up' (after sleep or a restart). */
    trigger: text('trigger').notNull(),
    status: text('status', { enum: ['running', 'ok', 'failed'] }).notNull(),
    startedAt: integer('started_at').notNull(),
    finishedAt: integer('finished_at'),
    itemsFound: integer('items_found').notNull().default(0),
    itemsQueued: integer('items_queued').notNull().default(0),
    /** JSON: number[] — the import jobs this run queued. */
    jobIds: text('job_ids').notNull().default('[]'),
    error: text('error'),
    /** JSON: string[] — what the run did besides queueing imports (a host key pinned, files moved or deleted). */
    notes: text('notes').notNull().default('[]'),
  },
  (t) => [index('source_runs_source_idx').on(t.sourceId, t.startedAt)],
);

/**
 * What each source has taken in, once each by content (SHA-256): a file seen again unchanged, or the
 * same bytes under another name, is not imported twice; a changed file (new bytes) is. For API
 * sources `key` names the fetched window (`electricity:2024-05-01..2024-05-08`).
 */
export const sourceItems = sqliteTable(
  'source_items',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    sourceId: integer('source_id')
      .notNull()
      .references(() => sources.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    sha256: text('sha256').notNull(),
    bytes: integer('bytes').notNull(),
    /** The file's modification time (ms) when seen, for listing only. */
    mtime: integer('mtime'),
    jobId: integer('job_id'),
    seenAt: integer('seen_at').notNull(),
  },
  (t) => [
    uniqueIndex('source_items_hash_idx').on(t.sourceId, t.sha256),
    index('source_items_key_idx').on(t.sourceId, t.key),
  ],
);

/**
 * Things deleted by hand (a meter, a site, a meter's readings over a range), kept so the deletion can
 * be undone: `payload` is JSON of the rows removed outside the readings store; the half-hours
 * themselves are kept by the readings store (readings_trash*).
 */
export const trash = sqliteTable('trash', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  kind: text('kind', { enum: ['meter', 'site', 'readings'] }).notNull(),
  /** What was deleted, in words ("Meter 1200050000009 (Boiler house)…"). */
  label: text('label').notNull(),
  payload: text('payload').notNull(),
  createdAt: integer('created_at').notNull(),
  createdBy: text('created_by').notNull(),
  restoredAt: integer('restored_at'),
  restoredBy: text('restored_by'),
});

/** The readings store's copy of meter-days deleted by hand (rows as meter_days holds them), for undo. */
export const readingsTrash = sqliteTable(
  'readings_trash',
  {
    trashId: integer('trash_id')
      .notNull()
      .references(() => trash.id, { onDelete: 'cascade' }),
    meterId: integer('meter_id').notNull(),
    day: integer('day').notNull(),
    vals: blob('vals', { mode: 'buffer' }).notNull(),
    quality: blob('quality', { mode: 'buffer' }),
    volumes: blob('volumes', { mode: 'buffer' }),
    jobId: integer('job_id').notNull().default(0),
    writers: blob('writers', { mode: 'buffer' }),
  },
  (t) => [primaryKey({ columns: [t.trashId, t.meterId, t.day] })],
);

/** readings_undo rows set aside with deleted readings (the imports that wrote them stay undoable after a restore). */
export const readingsTrashUndo = sqliteTable(
  'readings_trash_undo',
  {
    trashId: integer('trash_id')
      .notNull()
      .references(() => trash.id, { onDelete: 'cascade' }),
    jobId: integer('job_id').notNull(),
    meterId: integer('meter_id').notNull(),
    day: integer('day').notNull(),
    slot: integer('slot').notNull(),
    kwh: real('kwh'),
    quality: integer('quality').notNull(),
    volume: real('volume'),
    priorJob: integer('prior_job').notNull(),
  },
  (t) => [primaryKey({ columns: [t.trashId, t.jobId, t.meterId, t.day, t.slot] })],
);

/**
 * Monthly budgets per site: kWh and pence for a UK calendar month (`YYYY-MM`). The portfolio's budget
 * is the sum of its sites'. No foreign key: a deleted site's budgets stay, and come back with it from
 * the trash.
 */
export const budgets = sqliteTable(
  'budgets',
  {
    siteId: integer('site_id').notNull(),
    month: text('month').notNull(),
    kwh: real('kwh'),
    pence: integer('pence'),
    updatedAt: integer('updated_at').notNull(),
    updatedBy: text('updated_by').notNull(),
  },
  (t) => [primaryKey({ columns: [t.siteId, t.month] })],
);

/**
 * Scheduled deliveries: what to make (a report, an export or an email digest, as JSON), when (daily,
 * weekly on a weekday or monthly on a day, at a UK local time, as JSON), and where to send it (a folder,
 * email recipients or an SFTP server, as JSON; secrets in the secret store). An SFTP server's host key
 * is pinned here on first use.
 */
export const schedules = sqliteTable('schedules', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  name: text('name').notNull(),
  /** JSON: ScheduleWhat. */
  what: text('what').notNull(),
  /** JSON: ScheduleCadence. */
  cadence: text('cadence').notNull(),
  /** JSON: ScheduleDestination (without secrets and the pinned host key). */
  destination: text('destination').notNull(),
  /** SFTP: the server's host key fingerprint `SHA256:…`, pinned on first use. */
  hostKey: text('host_key'),
  enabled: integer('enabled', { mode: 'boolean' }).notNull().default(true),
  /** Which process runs it now and since when: a dead owner's run is taken over. */
  owner: text('owner'),
  runningSince: integer('running_since'),
  /** The next due time (ms, UTC); null when disabled. */
  nextRunAt: integer('next_run_at'),
  lastRunAt: integer('last_run_at'),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
});

/** The delivery log: each run of a schedule, its attempts, what it sent where, how it ended. */
export const scheduleRuns = sqliteTable(
  'schedule_runs',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    scheduleId: integer('schedule_id')
      .notNull()
      .references(() => schedules.id, { onDelete: 'cascade' }),
    /** 'schedule', 'manual', 'catch-up'. */
    trigger: text('trigger').notNull(),
    status: text('status', { enum: ['running', 'ok', 'failed'] }).notNull(),
    /** The time it was due (ms): the period it reports on follows from it. */
    dueAt: integer('due_at').notNull(),
    startedAt: integer('started_at').notNull(),
    finishedAt: integer('finished_at'),
    attempts: integer('attempts').notNull().default(0),
    fileName: text('file_name'),
    bytes: integer('bytes'),
    /** Where it went, in words (`sftp://host:22/out/x.pdf`, `folder C:\\Reports`, `email a@b, c@d`). */
    target: text('target'),
    error: text('error'),
    /** JSON: string[] — attempts that failed and were retried, a host key pinned. */
    notes: text('notes').notNull().default('[]'),
  },
  (t) => [index('schedule_runs_schedule_idx').on(t.scheduleId, t.startedAt)],
);

/**
 * Sync with a shared server (src-main/core/sync/, docs/sync.md): the connection's state as keys
 * (server URL, client id, pull cursor, mutation counter, readings change number pushed up to…).
 */
export const syncState = sqliteTable('sync_state', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});

/** Mutations made and numbered but not yet acknowledged by the server: sent again, unchanged, until they are. */
export const syncOutbox = sqliteTable('sync_outbox', {
  seq: integer('seq').primaryKey(),
  kind: text('kind', { enum: ['days', 'entities', 'resolve'] }).notNull(),
  /** How many days, rows or conflicts it carries. */
  items: integer('items').notNull(),
  /** The mutation as sent (JSON, gzip). */
  body: blob('body', { mode: 'buffer' }).notNull(),
  createdAt: integer('created_at').notNull(),
});

/** The server version of each meter-day as this desktop last had it (the `base` of a pushed day). */
export const syncDays = sqliteTable(
  'sync_days',
  {
    meterId: integer('meter_id')
      .notNull()
      .references(() => meters.id, { onDelete: 'cascade' }),
    day: integer('day').notNull(),
    version: integer('version').notNull(),
  },
  (t) => [primaryKey({ columns: [t.meterId, t.day] })],
);

/** Readings change numbers written by pulls: those days came from the server and are not pushed back. */
export const syncPulledSeqs = sqliteTable('sync_pulled_seqs', {
  seq: integer('seq').primaryKey(),
});

/**
 * Each entity field group as the server last had it (its canonical JSON's hash and version): a
 * local value that differs is a change to push, with `version` as its base.
 */
export const syncShadow = sqliteTable(
  'sync_shadow',
  {
    type: text('type').notNull(),
    key: text('key').notNull(),
    grp: text('grp').notNull(),
    hash: text('hash').notNull(),
    version: integer('version').notNull(),
  },
  (t) => [primaryKey({ columns: [t.type, t.key, t.grp] })],
);

/** Readings conflicts the server raised (src-shared/contract/sync.ts ReadingConflict), as pulled. */
export const syncConflicts = sqliteTable(
  'sync_conflicts',
  {
    id: integer('id').primaryKey(),
    status: text('status').notNull(),
    /** The whole ReadingConflict as JSON. */
    data: text('data').notNull(),
    version: integer('version').notNull(),
  },
  (t) => [index('sync_conflicts_status_idx').on(t.status)],
);

/** The server's activity entries (edits replaced by later ones), as pulled. */
export const syncActivity = sqliteTable('sync_activity', {
  id: integer('id').primaryKey(),
  /** The whole SyncActivity as JSON. */
  data: text('data').notNull(),
  version: integer('version').notNull(),
});
