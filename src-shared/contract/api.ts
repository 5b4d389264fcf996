/**
 * The typed contract between the core and every host: method names, argument schemas (zod),
 * result types and the least role each method needs. Hosts and the renderer import only this.
 */
import { z } from 'zod';
import type { ReadingConflict, SyncActivity } from './sync';
import type { AppErrorPayload } from './errors';
import { tariffIdSchema, tariffSpecSchema } from '../domain/tariff-spec';
import { OpeningHoursError, parseOpeningHours } from '../domain/opening-hours';
import type {
  Budget,
  ReportFile,
  ScheduleRun,
  ScheduleSummary,
  SyncRunResult,
  SyncStatus,
  EnqueuedPaths,
  TariffImportResult,
  StoredFile,
  CostResult,
  SwitchAnalysis,
  SwitchSummary,
  SwitchRunFailure,
  Tariff,
  TariffAssignment,
  AggregateResult,
  AppInfo,
  CarbonHistory,
  CarbonNow,
  EmissionFactor,
  Emissions,
  Comparison,
  DashboardMonth,
  DashboardSummary,
  Fuel,
  ImportJob,
  MeterLatest,
  MeterMergeResult,
  MeterQuality,
  MeterSummary,
  PeriodTotal,
  Reading,
  Role,
  SchedulerRun,
  Series,
  Settings,
  SiteDetail,
  SiteSummary,
  SiteClosure,
  WeatherDay,
  WeatherFetchResult,
  WeatherImportResult,
  MeterAnalysis,
  QualityReport,
  ExceptionsReport,
  BaselineResult,
  CusumResult,
  PortfolioAnalysis,
  Alert,
  AlertCheckResult,
  AlertCounts,
  AlertDelivery,
  AlertDetail,
  AlertRule,
  AlertRuleImportResult,
  HealthChange,
  HealthReport,
  NotifyTestResult,
  AuditRecord,
  CreatedToken,
  Me,
  TokenSummary,
  UserSummary,
  BulkUpdateResult,
  MeterFeed,
  MeterRow,
  RegisterExport,
  RegisterImportResult,
  RollbackResult,
  SiteRow,
  SiteSuggestion,
  SiteSuggestionResult,
  SourceDetail,
  SourceRun,
  SourceSummary,
  TablePeriod,
  TrashEntry,
} from './types';

const isoInstant = z.string().refine((s) => !Number.isNaN(Date.parse(s)), {
  message: 'expected an ISO 8601 date-time, e.g. 2025-01-01T00:00:00Z',
});

const meterIdArg = z.string().trim().min(1, 'meter id is required').max(64);
const periodKind = z.enum(['day', 'week', 'month', 'year']);
/** A UK local date `YYYY-MM-DD`, or a date-time with an offset (its local date is used). */
const localDate = z
  .string()
  .trim()
  .refine(
    (s) =>
      /^\d{4}-\d{2}-\d{2}$/.test(s) ||
      (/[T ]\d{2}:\d{2}/.test(s) && /(Z|[+-]\d{2}:?\d{2})$/.test(s) && !Number.isNaN(Date.parse(s))),
    {
      message: 'expected a date YYYY-MM-DD (UK local day) or a date-time with an offset',
    },
  );

/** Opening hours in their text form (src-shared/domain/opening-hours.ts), checked as they arrive. */
const openingHoursArg = z
  .string()
  .trim()
  .min(1, 'opening hours cannot be empty: give days and times (e.g. "mon-fri 08:00-18:00"), or "closed"')
  .max(500)
  .superRefine((text, ctx) => {
    try {
      parseOpeningHours(text);
    } catch (e) {
      if (!(e instanceof OpeningHoursError)) throw e;
      ctx.addIssue({ code: 'custom', message: e.message });
    }
  });

/** What a site can be given besides its name: location, floor area, generation, opening hours (null = default). */
/** A tag on a meter: a short label of letters, digits, spaces and - _ . / & */
export const tagArg = z
  .string()
  .trim()
  .min(1, 'a tag cannot be empty')
  .max(40, 'a tag is at most 40 characters')
  .regex(/^[\p{L}\p{N}][\p{L}\p{N} _./&-]*$/u, 'a tag is letters, digits, spaces and - _ . / &');

const siteFields = {
  address: z.string().trim().max(300, 'an address is at most 300 characters').nullable().optional(),
  latitude: z
    .number()
    .min(49, 'latitude must be in the UK (49 to 61)')
    .max(61, 'latitude must be in the UK (49 to 61)')
    .nullable()
    .optional(),
  longitude: z
    .number()
    .min(-9, 'longitude must be in the UK (−9 to 2)')
    .max(2, 'longitude must be in the UK (−9 to 2)')
    .nullable()
    .optional(),
  floorAreaM2: z.number().positive('floor area must be above 0 m²').max(10_000_000).nullable().optional(),
  generation: z.boolean().optional(),
  openingHours: openingHoursArg.nullable().optional(),
};

/** A meter and a range of UK local days, `to` exclusive (the analyses' arguments). */
const meterRange = { meter: meterIdArg, from: localDate, to: localDate };
const baseTemperature = z
  .number()
  .min(10, 'base temperatures run from 10 to 20 °C')
  .max(20, 'base temperatures run from 10 to 20 °C');

/** Settings keys whose values are secrets: kept out of answers, logs and the audit log. */
export const SECRET_SETTINGS = [
  'weatherApiKey',
  'notify.email.smtpUrl',
  'notify.slack.webhookUrl',
  'notify.webhook.secret',
] as const;

/** An arguments object with each secret setting replaced by "(replaced)" or "(removed)". */
export function redactSecrets<T extends object>(a: T): T {
  const out = { ...a } as Record<string, unknown>;
  for (const k of SECRET_SETTINGS)
    if (out[k] !== undefined) out[k] = out[k] === null || out[k] === '' ? '(removed)' : '(replaced)';
  return out as T;
}

const hhmm = /^([01]\d|2[0-3]):[0-5]\d$/;
const emailAddress = /^[^\s@<>,;]+@[^\s@<>,;]+\.[^\s@<>,;]+$/;
/** `a@x.org` or `Name <a@x.org>`. */
const isMailbox = (t: string): boolean => {
  const m = /^(.*)<([^<>]+)>$/.exec(t.trim());
  return emailAddress.test((m ? m[2]! : t).trim());
};
/** A URL's user name and password are valid percent-encoding (write `%25` for a `%` in a password). */
const decodable = (u: URL): boolean => {
  try {
    decodeURIComponent(u.username);
    decodeURIComponent(u.password);
    return true;
  } catch {
    return false;
  }
};
const nullableText = (max: number) => z.string().trim().max(max).nullable().optional();
const httpUrl = (example: string) =>
  z
    .string()
    .trim()
    .url(`expected a URL, e.g. ${example}`)
    .refine((u) => /^https?:\/\//i.test(u), `expected an http(s) URL, e.g. ${example}`);

/** settings.update's notification keys (docs/alerts.md); null or "" clears a key. */
const notifySettingsArgs = {
  'notify.email.smtpUrl': z
    .string()
    .trim()
    .max(1000)
    .refine(
      (u) => u === '' || (/^smtps?:\/\/[^/]+/i.test(u) && URL.canParse(u) && decodable(new URL(u))),
      'expected an SMTP server as smtp://user:password@host:587 or smtps://user:password@host:465 ' +
        '(percent-encode special characters in the user and password: %40 for @, %25 for %)',
    )
    .nullable()
    .optional(),
  'notify.email.from': nullableText(320).refine(
    (t) => t == null || t === '' || isMailbox(t),
    'expected an email address, e.g. alerts@example.org or Eclectyc Energy <alerts@example.org>',
  ),
  'notify.email.to': nullableText(4000).refine(
    (t) => t == null || t === '' || t.split(',').every((x) => isMailbox(x)),
    'expected email addresses separated by commas, e.g. anna@example.org, facilities@example.org',
  ),
  'notify.slack.webhookUrl': httpUrl('https://hooks.slack.com/services/T000/B000/XXXX')
    .or(z.literal(''))
    .nullable()
    .optional(),
  'notify.webhook.url': httpUrl('https://example.org/hooks/energy').or(z.literal('')).nullable().optional(),
  'notify.webhook.secret': nullableText(500),
  'notify.quietHours': nullableText(20).refine(
    (t) => t == null || t === '' || (t.split('-').length === 2 && t.split('-').every((x) => hhmm.test(x.trim()))),
    'expected quiet hours as HH:MM-HH:MM, e.g. 22:00-07:00',
  ),
  'notify.digestAt': nullableText(10).refine(
    (t) => t == null || t === '' || hhmm.test(t),
    "expected the digest's time as HH:MM, e.g. 08:00 (or nothing to send each alert on its own)",
  ),
  'notify.rateLimitPerHour': z
    .number()
    .int('expected a whole number of messages')
    .min(1, 'allow at least 1 message an hour')
    .max(10000)
    .optional(),
  'notify.appUrl': httpUrl('http://energy.example.org:8080').or(z.literal('')).nullable().optional(),
};

const roleArg = z.enum(['viewer', 'manager', 'admin'], { message: 'expected a role: viewer, manager or admin' });
const usernameArg = z
  .string()
  .trim()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._@-]{1,63}$/,
    'expected a user name of 2 to 64 letters, digits, ".", "_", "@" or "-", starting with a letter or digit',
  );
const passwordArg = z
  .string()
  .min(12, 'a password needs at least 12 characters')
  .max(1024, 'a password is at most 1024 characters');

/** Declares a method's result type (nothing at run time). */
const returns = <T>(): T => undefined as T;

/** An audit-log entry for a call: the action (default: the method's name) and its details. */
export interface AuditEntry {
  action?: string;
  details: unknown;
}

/** One method of the contract. `audit`: `true` logs the arguments; a function picks what to log. */
export interface MethodSpec<S extends z.ZodType = z.ZodType, R = unknown> {
  args: S;
  result: R;
  role: Role;
  /** `null` from the function: nothing worth logging happened (e.g. no file could be queued). */
  audit?: true | ((args: z.output<S>, result: R) => AuditEntry | null);
  /**
   * Takes paths on this machine: callable only by a host in this process (the desktop app, the
   * command line), never over HTTP, where a path would name a file on the server.
   */
  localOnly?: true;
  /** Takes a file's bytes beside its arguments (the caller's `body`): HTTP's POST /upload. */
  body?: true;
}

const method = <S extends z.ZodType, R>(m: MethodSpec<S, R>): MethodSpec<S, R> => m;

/** Formats a user may force instead of detection (docs/formats.md). */
export const IMPORT_FORMATS = [
  'auto',
  'long',
  'settlement',
  'lcl',
  'smart-csv',
  'wide',
  'octopus-json',
  'octopus-json-m3',
  'n3rgy-json',
] as const;

/** Most files one import batch takes. */
export const MAX_BATCH_FILES = 500;

/** How a batch is imported: the options `imports.enqueue` and `imports.enqueuePaths` share. */
const importOptions = z.object({
  dryRun: z.boolean().optional(),
  priority: z.enum(['high', 'normal', 'low']).optional(),
  onConflict: z.enum(['keep', 'replace']).optional(),
  format: z.enum(IMPORT_FORMATS).optional(),
  meter: meterIdArg.optional(),
  notes: z.string().max(2000).optional(),
  tags: z.array(z.string().trim().min(1).max(40)).max(20).optional(),
  /**
   * Import files whose bytes (SHA-256) were imported before. Without it, such a batch is refused
   * with CONFLICT, details `{ reason: 'already-imported', files: [{ fileId, file, sha256, earlier:
   * { jobId, file, finishedAt, meters } }], fileIds }`, so the user can confirm first.
   */
  reimport: z.boolean().optional(),
});

const storedFileId = z.string().regex(/^[a-f0-9-]{36}$/, 'expected a stored file id');
const pathArg = z
  .string()
  .trim()
  .min(1, 'a path is required')
  .max(4096)
  .refine((p) => !p.includes('\0'), 'a path cannot contain a NUL character');
/** A file-name pattern: `*` and `?` wildcards, matched against the name only (`*.csv`, `HH_*.txt`). */
const namePattern = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .refine((p) => !p.includes('/') && !p.includes('\\'), 'a pattern matches file names, without folders');
/** What a file-fed source does with what it imports (the import's options). */
const feedImport = {
  pattern: namePattern.optional(),
  format: z.enum(IMPORT_FORMATS).optional(),
  meter: meterIdArg.optional(),
  onConflict: z.enum(['keep', 'replace']).optional(),
};

/** Each kind of source's settings. Secrets (passwords, keys, API keys) never go here: see `sources.save`. */
export const sourceConfigSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('folder'),
      /** The folder the data collector's files land in (a shared drive). */
      path: pathArg,
      recursive: z.boolean().optional(),
      /** Move each file here after a successful import / a failed one (null: leave it). */
      doneFolder: pathArg.nullable().optional(),
      failedFolder: pathArg.nullable().optional(),
      ...feedImport,
    })
    .strict(),
  z
    .object({
      kind: z.literal('sftp'),
      host: z.string().trim().min(1, 'the SFTP host is required').max(255),
      port: z.number().int().min(1).max(65535).optional(),
      username: z.string().trim().min(1, 'the SFTP user name is required').max(120),
      /** The remote folder to pick files up from. */
      path: z.string().trim().min(1).max(1024),
      /** The server's host key fingerprint `SHA256:…` (as ssh-keygen -l prints it): pinned on first use when absent. */
      hostKey: z
        .string()
        .trim()
        .regex(/^SHA256:[A-Za-z0-9+/]{43}=?$/, 'a host key fingerprint looks like SHA256: and 43 base64 characters')
        .nullable()
        .optional(),
      /** After a successful import: leave the file, delete it, or move it to `moveTo` on the server. */
      afterImport: z.enum(['keep', 'delete', 'move']).optional(),
      moveTo: z.string().trim().min(1).max(1024).nullable().optional(),
      ...feedImport,
    })
    .strict(),
  z
    .object({
      kind: z.literal('octopus'),
      fuel: z.enum(['electricity', 'gas']),
      /** MPAN (electricity) or MPRN (gas). */
      meter: meterIdArg,
      serial: z.string().trim().min(1, 'the meter serial number is required').max(40),
      /** The first UK day to fetch on the first run (default: 13 months ago). */
      from: localDate.optional(),
      /** Gas readings in m³ (SMETS2) or kWh (SMETS1). */
      gasUnit: z.enum(['kWh', 'm3']).optional(),
      /** Another API address (a proxy, or a test server). */
      baseUrl: z.string().url().max(500).optional(),
    })
    .strict(),
  z
    .object({
      kind: z.literal('n3rgy'),
      fuel: z.enum(['electricity', 'gas']),
      /** MPAN or MPRN. */
      meter: meterIdArg,
      from: localDate.optional(),
      baseUrl: z.string().url().max(500).optional(),
    })
    .strict(),
]);

const sourceSecrets = z
  .object({
    password: z.string().max(500).nullable().optional(),
    privateKey: z.string().max(20_000).nullable().optional(),
    passphrase: z.string().max(500).nullable().optional(),
    apiKey: z.string().max(500).nullable().optional(),
  })
  .strict();

/** A UK calendar month `YYYY-MM`. */
const monthArg = z
  .string()
  .trim()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'expected a month YYYY-MM, e.g. 2025-03');

/** One meter (MPAN/MPRN), one site, or every meter. */
export const reportScopeSchema = z.union([
  z.object({ meter: meterIdArg }).strict(),
  z.object({ siteId: z.number().int().positive() }).strict(),
  z.object({ all: z.literal(true) }).strict(),
]);

const clockTime = z
  .string()
  .trim()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a UK local time HH:MM, e.g. 07:30');

/** What a schedule makes (see ScheduleWhat). */
export const scheduleWhatSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('report'),
      scope: reportScopeSchema,
      period: z.enum(['month', 'year']),
      format: z.enum(['pdf', 'html']),
    })
    .strict(),
  z
    .object({
      kind: z.literal('export'),
      table: z.enum(['readings', 'days', 'totals', 'costs', 'emissions', 'alerts']),
      scope: reportScopeSchema,
      range: z.enum(['yesterday', 'last-7-days', 'last-month']),
      layout: z.enum(['long', 'wide']).optional(),
    })
    .strict(),
  z.object({ kind: z.literal('digest'), scope: reportScopeSchema, period: z.enum(['week', 'month']) }).strict(),
]);

/** When a schedule runs (see ScheduleCadence). */
export const scheduleCadenceSchema = z.discriminatedUnion('every', [
  z.object({ every: z.literal('daily'), at: clockTime }).strict(),
  z
    .object({
      every: z.literal('weekly'),
      weekday: z
        .number()
        .int()
        .min(1, 'weekday is 1 (Monday) to 7 (Sunday)')
        .max(7, 'weekday is 1 (Monday) to 7 (Sunday)'),
      at: clockTime,
    })
    .strict(),
  z
    .object({
      every: z.literal('monthly'),
      day: z
        .number()
        .int()
        .min(1, 'a monthly schedule runs on day 1 to 28')
        .max(28, 'a monthly schedule runs on day 1 to 28 (every month has them)'),
      at: clockTime,
    })
    .strict(),
]);

/** Where a schedule delivers (see ScheduleDestination). */
export const scheduleDestinationSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('folder'), path: pathArg }).strict(),
  z
    .object({
      kind: z.literal('email'),
      to: z
        .array(z.string().trim().email('each recipient must be an email address'))
        .min(1, 'give at least one recipient')
        .max(50),
    })
    .strict(),
  z
    .object({
      kind: z.literal('sftp'),
      host: z.string().trim().min(1, 'the SFTP host is required').max(255),
      port: z.number().int().min(1).max(65535).optional(),
      username: z.string().trim().min(1, 'the SFTP user name is required').max(120),
      path: z.string().trim().min(1, 'the remote folder is required').max(1024),
    })
    .strict(),
]);

/** An SFTP destination's secrets: a source's, without the API key. */
const scheduleSecrets = sourceSecrets.omit({ apiKey: true });

/**
 * Every method, one entry each: its argument schema (dispatch() validates every call against it),
 * its result type, the least role it needs (viewer < manager < admin), and whether a call is
 * written to the audit log (and with what details). A new method is one entry here and one handler
 * in its feature folder.
 */
export const contract = {
  /** App version, data folder and the caller's role. */
  'app.info': method({
    args: z.object({}).strict(),
    result: returns<AppInfo>(),
    role: 'viewer',
  }),
  /**
   * Queue stored files (see the hosts' upload) for import as one batch. Dry runs write nothing.
   * `format` forces a format instead of detecting it; `meter` names the meter for files without a
   * meter column; `onConflict` decides what happens to readings stored with a different value.
   */
  'imports.enqueue': method({
    args: importOptions
      .extend({
        fileIds: z
          .array(z.string().regex(/^[a-f0-9-]{36}$/, 'expected a stored file id'))
          .min(1)
          .max(MAX_BATCH_FILES),
      })
      .strict(),
    result: returns<{ batchId: string; jobIds: number[] }>(),
    role: 'manager',
    audit: (a, r) => ({
      action: a.dryRun ? 'imports.dry-run' : 'imports.enqueue',
      details: { batchId: r.batchId, jobIds: r.jobIds },
    }),
  }),
  /**
   * Files on this machine (dropped on the window, picked, or named on the command line): each is
   * copied into the data folder, then all that could be copied are queued as one batch with the
   * same options as `imports.enqueue`. A file that cannot be read is reported, not fatal; if the
   * batch cannot be queued, no copy is left behind.
   */
  'imports.enqueuePaths': method({
    args: importOptions
      .extend({
        paths: z
          .array(
            z
              .string()
              .min(1)
              .max(4096)
              .refine((p) => !p.includes('\0'), 'a path cannot contain a NUL character'),
          )
          .min(1)
          .max(MAX_BATCH_FILES, `one import takes at most ${MAX_BATCH_FILES} files; import them in smaller groups`),
      })
      .strict(),
    result: returns<EnqueuedPaths>(),
    role: 'manager',
    localOnly: true,
    audit: (a, r) =>
      r.batchId === null
        ? null
        : {
            action: a.dryRun ? 'imports.dry-run' : 'imports.enqueue',
            details: { batchId: r.batchId, jobIds: r.jobIds },
          },
  }),
  /** Stores one uploaded file (its bytes are the call's body) for `imports.enqueue`. */
  'files.upload': method({
    args: z.object({ name: z.string().trim().min(1, 'the file needs a name').max(255) }).strict(),
    result: returns<StoredFile>(),
    role: 'manager',
    body: true,
    audit: (a, r) => ({ details: { name: a.name, fileId: r.fileId, bytes: r.bytes, sha256: r.sha256 } }),
  }),
  /**
   * Waits until the given jobs (all due jobs if none are given) have run — done, failed, cancelled
   * or waiting to retry — and returns them. Where no queue runs in the background (the command
   * line) they run in the caller's process.
   */
  'imports.wait': method({
    args: z.object({ jobIds: z.array(z.number().int().positive()).max(500).optional() }).strict(),
    result: returns<ImportJob[]>(),
    role: 'viewer',
  }),
  /** Import jobs, newest first; filter by status, batch, or text in the file name, notes or tags. */
  'imports.list': method({
    args: z
      .object({
        status: z.enum(['queued', 'running', 'retrying', 'done', 'failed', 'cancelled', 'rolled-back']).optional(),
        batchId: z.string().uuid().optional(),
        search: z.string().max(200).optional(),
        limit: z.number().int().min(1).max(1000).optional(),
      })
      .strict(),
    result: returns<ImportJob[]>(),
    role: 'viewer',
  }),
  /** One import job with its row errors. */
  'imports.get': method({
    args: z.object({ id: z.number().int().positive() }).strict(),
    result: returns<ImportJob>(),
    role: 'viewer',
  }),
  /** Cancels a queued, retrying or running job and removes the readings it wrote. CONFLICT if it has finished. */
  'imports.cancel': method({
    args: z.object({ id: z.number().int().positive() }).strict(),
    result: returns<ImportJob>(),
    role: 'manager',
    audit: true,
  }),
  /** Runs a failed, cancelled or retrying job again (now). CONFLICT if it is queued, running or done. */
  'imports.retry': method({
    args: z.object({ id: z.number().int().positive() }).strict(),
    result: returns<ImportJob>(),
    role: 'manager',
    audit: true,
  }),
  /**
   * Deletes finished jobs older than the retention period (or `days`) and their stored files, and
   * uploads never queued (older than a minute at the least); readings stay.
   */
  'imports.cleanup': method({
    args: z.object({ days: z.number().int().min(0).max(3650).optional() }).strict(),
    result: returns<{ jobsRemoved: number; filesRemoved: number }>(),
    role: 'admin',
    audit: (_a, r) => ({ details: r }),
  }),
  /** Recomputes roll-ups: what changed since the last run, or everything with `full`. */
  'aggregation.run': method({
    args: z.object({ full: z.boolean().optional() }).strict(),
    result: returns<AggregateResult>(),
    role: 'manager',
    audit: (a) => ({ action: a.full ? 'aggregation.rebuild' : 'aggregation.run', details: null }),
  }),
  /**
   * A meter's roll-ups per period over local days [from, to) (`YYYY-MM-DD`; a date-time with an
   * offset is also accepted). Periods that overlap the range are included whole.
   */
  'totals.list': method({
    args: z.object({ meter: meterIdArg, period: periodKind, from: localDate, to: localDate }).strict(),
    result: returns<PeriodTotal[]>(),
    role: 'viewer',
  }),
  /** One period against the previous one (`previous`) or the same period a year earlier (`year-ago`). */
  'totals.compare': method({
    args: z
      .object({
        meter: meterIdArg,
        period: periodKind,
        at: z.string().trim().min(4).max(20),
        basis: z.enum(['previous', 'year-ago']).optional(),
      })
      .strict(),
    result: returns<Comparison>(),
    role: 'viewer',
  }),
  /**
   * The dashboard's month (containing the anchor, up to it) by fuel: its cost on the tariffs assigned (meters without
   * a tariff named; managers only, null for viewers) and its emissions; null without an anchor.
   */
  'dashboard.month': method({
    args: z.object({ asAt: localDate.optional() }).strict(),
    result: returns<DashboardMonth | null>(),
    role: 'viewer',
  }),
  /**
   * A meter's latest complete day, week, month and year with readings, up to its last complete day (at most `asAt`,
   * default yesterday), each against the one before and a year earlier.
   */
  'totals.latest': method({
    args: z.object({ meter: meterIdArg, asAt: localDate.optional() }).strict(),
    result: returns<MeterLatest>(),
    role: 'viewer',
  }),
  /** Portfolio and per-site totals by fuel for [from, to) per period (never adding gas to electricity). */
  'totals.site': method({
    args: z
      .object({ siteId: z.number().int().positive().nullable(), period: periodKind, from: localDate, to: localDate })
      .strict(),
    result: returns<{ fuel: Fuel; totals: PeriodTotal[] }[]>(),
    role: 'viewer',
  }),
  /**
   * The dashboard: portfolio totals and trends, movers, completeness and the meters behind, a 13-month trend, last
   * import and roll-up — anchored on the data (the median of the meters' last complete days), never after `asAt`
   * (default yesterday).
   */
  'dashboard.summary': method({
    args: z.object({ asAt: localDate.optional() }).strict(),
    result: returns<DashboardSummary>(),
    role: 'viewer',
  }),
  /** Background runs (roll-ups), newest first. */
  'scheduler.runs': method({
    args: z.object({ limit: z.number().int().min(1).max(500).optional() }).strict(),
    result: returns<SchedulerRun[]>(),
    role: 'viewer',
  }),
  /** Creates a site in the (default) organisation. */
  'sites.create': method({
    args: z
      .object({
        name: z.string().trim().min(1, 'a site needs a name').max(120),
        postcode: z.string().trim().max(10).optional(),
        organisation: z.string().trim().min(1).max(120).optional(),
        ...siteFields,
      })
      .strict(),
    result: returns<SiteSummary>(),
    role: 'manager',
    audit: true,
  }),
  /** Changes a site: name, postcode, Carbon Intensity region (null = derive it from the meters' MPANs). */
  'sites.update': method({
    args: z
      .object({
        id: z.number().int().positive(),
        name: z.string().trim().min(1, 'a site needs a name').max(120).optional(),
        postcode: z.string().trim().max(10).nullable().optional(),
        regionId: z
          .number()
          .int()
          .min(1, 'regions run from 1 to 17')
          .max(17, 'regions run from 1 to 17')
          .nullable()
          .optional(),
        ...siteFields,
      })
      .strict(),
    result: returns<SiteSummary>(),
    role: 'manager',
    audit: true,
  }),
  /** A site with its meters. */
  'sites.get': method({
    args: z.object({ id: z.number().int().positive() }).strict(),
    result: returns<SiteDetail>(),
    role: 'viewer',
  }),
  /** Changes a meter: its site, label, plausibility ceiling, gas calorific value. */
  'meters.update': method({
    args: z
      .object({
        meter: meterIdArg,
        siteId: z.number().int().positive().nullable().optional(),
        label: z.string().trim().max(120).nullable().optional(),
        maxKwhPerHalfHour: z.number().positive().max(1e7).optional(),
        calorificValue: z
          .number()
          .min(30, 'calorific values are 30–50 MJ/m³')
          .max(50, 'calorific values are 30–50 MJ/m³')
          .optional(),
        supplier: z.string().trim().max(120).nullable().optional(),
        capacityKva: z.number().positive('capacity must be above 0 kVA').max(1_000_000).nullable().optional(),
        serial: z.string().trim().max(40).nullable().optional(),
        /** Replaces the meter's tags. */
        tags: z.array(tagArg).max(50).optional(),
      })
      .strict(),
    result: returns<MeterSummary>(),
    role: 'manager',
    audit: true,
  }),
  /**
   * Merges meter `from` into meter `into` (two meters that are one, such as the same file imported
   * with and without a meter id): its readings move through the readings store's merge (duplicates
   * counted once), its site, label, supplier, capacity and tariff assignments move where `into` has
   * none, and `from` is removed. Half-hours the two hold with different values are conflicts: without
   * `onConflict` a merge that meets any is refused (CONFLICT, details list them); `keep` keeps
   * `into`'s values, `replace` takes `from`'s; either way every conflict is reported.
   */
  'meters.merge': method({
    args: z.object({ from: meterIdArg, into: meterIdArg, onConflict: z.enum(['keep', 'replace']).optional() }).strict(),
    result: returns<MeterMergeResult>(),
    role: 'manager',
    audit: (a, r) => ({
      details: {
        from: a.from,
        into: a.into,
        onConflict: a.onConflict ?? null,
        moved: r.moved,
        duplicates: r.duplicates,
        conflicts: r.conflictCount,
      },
    }),
  }),
  /**
   * The latest stored grid carbon intensity (national), its age and trend, and the next 48 hours. null until fetched.
   */
  'carbon.current': method({
    args: z.object({}).strict(),
    result: returns<CarbonNow | null>(),
    role: 'viewer',
  }),
  /** Fetches the last 24 h and next 48 h from the Carbon Intensity API now. UNAVAILABLE when offline. */
  'carbon.refresh': method({
    args: z.object({}).strict(),
    result: returns<{ national: number; regional: number }>(),
    role: 'viewer',
    audit: (_a, r) => ({ details: r }),
  }),
  /**
   * Fetches and stores intensity for [from, to) (split into the API's 14-day windows), optionally a region's too; or
   * backfills what is missing over a meter's data span.
   */
  'carbon.fetch': method({
    args: z
      .object({
        from: isoInstant.optional(),
        to: isoInstant.optional(),
        meter: meterIdArg.optional(),
        region: z.number().int().min(1).max(18).optional(),
        postcode: z
          .string()
          .trim()
          .regex(/^[A-Za-z]{1,2}\d[A-Za-z\d]?$/, 'expected an outward postcode (the first half, e.g. RG41)')
          .optional(),
      })
      .strict()
      .refine((a) => a.meter !== undefined || (a.from !== undefined && a.to !== undefined), {
        message: 'give from and to, or a meter whose span to backfill',
      }),
    result: returns<{ national: number; regional: number; regionId?: number | null }>(),
    role: 'manager',
    audit: (a, r) => ({ details: { ...a, ...r } }),
  }),
  /**
   * Stored history for the last N days: points, average, average by UK time of day, and the best window to run loads.
   */
  'carbon.history': method({
    args: z
      .object({ days: z.number().int().min(1).max(366), windowHours: z.number().int().min(1).max(12).optional() })
      .strict(),
    result: returns<CarbonHistory>(),
    role: 'viewer',
  }),
  /**
   * A meter's emissions over UK local days [from, to): half-hourly intensities (national; a
   * region's forecast with `region`, or the meter's own region with `regional`) or the annual UK
   * Government factor.
   */
  'emissions.meter': method({
    args: z
      .object({
        meter: meterIdArg,
        from: localDate,
        to: localDate,
        method: z.enum(['halfhourly', 'annual']).optional(),
        region: z.number().int().min(1).max(18).optional(),
        regional: z.boolean().optional(),
      })
      .strict(),
    result: returns<Emissions>(),
    role: 'viewer',
  }),
  /** The annual conversion factors used by the annual emissions method. */
  'carbon.factors': method({
    args: z.object({}).strict(),
    result: returns<EmissionFactor[]>(),
    role: 'viewer',
  }),
  /** Sets (adds or changes) the factor for a year and fuel (admin); returns the whole table. */
  'carbon.setFactor': method({
    args: z
      .object({
        year: z.number().int().min(2000, 'years from 2000').max(2100, 'years up to 2100'),
        fuel: z.enum(['electricity', 'gas']),
        kgPerKwh: z
          .number()
          .positive('a factor must be above 0')
          .max(2, 'a factor above 2 kgCO₂e/kWh is not plausible for grid electricity or gas'),
        source: z.string().trim().max(200).optional(),
      })
      .strict(),
    result: returns<EmissionFactor[]>(),
    role: 'admin',
    audit: true,
  }),
  /** App settings. */
  'settings.get': method({
    args: z.object({}).strict(),
    result: returns<Settings>(),
    role: 'viewer',
  }),
  /** Changes app settings (admin). */
  'settings.update': method({
    args: z
      .object({
        importRetentionDays: z.number().int().min(1, 'keep finished imports at least 1 day').max(3650).optional(),
        nightlyRunAt: z
          .string()
          .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a time HH:MM, e.g. 01:30')
          .optional(),
        carbonApi: z
          .string()
          .url('expected a URL, e.g. https://api.carbonintensity.org.uk')
          .refine((u) => /^https?:\/\//.test(u), 'expected an http(s) URL')
          .optional(),
        weatherApi: z
          .string()
          .url('expected a URL, e.g. https://archive-api.open-meteo.com')
          .refine((u) => /^https?:\/\//.test(u), 'expected an http(s) URL')
          .optional(),
        /** An Open-Meteo API key (commercial use); null or "" removes it. */
        weatherApiKey: z.string().trim().max(200).nullable().optional(),
        ...notifySettingsArgs,
      })
      .strict(),
    result: returns<Settings>(),
    role: 'admin',
    // secrets never reach the audit log: only whether they were replaced or removed
    audit: (a) => ({ details: redactSecrets(a) }),
  }),
  /** Tariffs with their versions; `fuel` filters, `activeOnly` drops tariffs with no version valid today or later. */
  'tariffs.list': method({
    args: z.object({ fuel: z.enum(['electricity', 'gas']).optional(), activeOnly: z.boolean().optional() }).strict(),
    result: returns<Tariff[]>(),
    role: 'viewer',
  }),
  /** One tariff with its versions. */
  'tariffs.get': method({
    args: z.object({ id: tariffIdSchema }).strict(),
    result: returns<Tariff>(),
    role: 'viewer',
  }),
  /**
   * Adds or corrects one version of a tariff (the Settings form). A new validFrom adds a version
   * (the previous open-ended one ends there); the same validFrom replaces that version.
   */
  'tariffs.save': method({
    args: z.object({ tariff: tariffSpecSchema }).strict(),
    result: returns<Tariff>(),
    role: 'admin',
    audit: (a) => ({ details: { id: a.tariff.id, validFrom: a.tariff.validFrom } }),
  }),
  /** Imports a tariff file (docs/tariffs.md) given as its text; all or nothing. */
  'tariffs.import': method({
    args: z
      .object({
        text: z.string().min(1, 'the file is empty').max(20_000_000, 'a tariff file over 20 MB is not plausible'),
        fileName: z.string().max(260).optional(),
      })
      .strict(),
    result: returns<TariffImportResult>(),
    role: 'admin',
    audit: (a, r) => ({ details: { file: a.fileName ?? null, ...r } }),
  }),
  /**
   * Imports half-hourly prices for a dynamic tariff: the Octopus unit-rates JSON (value_exc_vat)
   * or a CSV of start time and price (p/kWh, exclusive of VAT). Prices for the same half-hours are replaced.
   */
  'tariffs.importPrices': method({
    args: z
      .object({
        id: tariffIdSchema,
        text: z
          .string()
          .min(1, 'the file is empty')
          .max(20_000_000, 'a prices file over 20 MB is too large: import it in parts (e.g. a year at a time)'),
        fileName: z.string().max(260).optional(),
      })
      .strict(),
    result: returns<{ prices: number; first: string; last: string }>(),
    role: 'admin',
    audit: (a, r) => ({ details: { id: a.id, file: a.fileName ?? null, ...r } }),
  }),
  /** Deletes a tariff that no meter is assigned to (CONFLICT otherwise: give it a validTo instead). */
  'tariffs.delete': method({
    args: z.object({ id: tariffIdSchema }).strict(),
    result: returns<{ deleted: string }>(),
    role: 'admin',
    audit: true,
  }),
  /** Puts a meter on a tariff from a UK local day until its next assignment. */
  'tariffs.assign': method({
    args: z
      .object({
        meter: meterIdArg,
        tariff: tariffIdSchema,
        from: localDate,
        capacityKva: z.number().positive().max(1_000_000).optional(),
      })
      .strict(),
    result: returns<TariffAssignment[]>(),
    role: 'manager',
    audit: true,
  }),
  /** Removes the assignment starting on `from`. */
  'tariffs.unassign': method({
    args: z.object({ meter: meterIdArg, from: localDate }).strict(),
    result: returns<TariffAssignment[]>(),
    role: 'manager',
    audit: true,
  }),
  /** A meter's tariff assignments, oldest first. */
  'tariffs.assignments': method({
    args: z.object({ meter: meterIdArg }).strict(),
    result: returns<TariffAssignment[]>(),
    role: 'viewer',
  }),
  /**
   * What a meter's consumption over UK local days [from, to) costs: on the tariffs in force then
   * (assignments, else the supplier's default), or on one chosen tariff.
   */
  'cost.meter': method({
    args: z.object({ meter: meterIdArg, from: localDate, to: localDate, tariff: tariffIdSchema.optional() }).strict(),
    result: returns<CostResult>(),
    role: 'manager',
  }),
  /**
   * Prices the meter's half-hours on every other active tariff for its fuel and region, ranks them
   * by saving and saves the analysis. Default: the last `days` (90) days of data. `whatIfPercent`
   * first moves that share of use from the most expensive band to the cheapest.
   */
  'switching.analyse': method({
    args: z
      .object({
        meter: meterIdArg,
        days: z.number().int().min(1).max(3660).optional(),
        from: localDate.optional(),
        to: localDate.optional(),
        whatIfPercent: z
          .number()
          .min(0, 'the share moved is 0–100 %')
          .max(100, 'the share moved is 0–100 %')
          .optional(),
        save: z.boolean().optional(),
      })
      .strict()
      .refine((a) => (a.from === undefined) === (a.to === undefined), {
        message: 'give both from and to, or neither (then the last days of data are used)',
      })
      .refine((a) => !(a.days !== undefined && a.from !== undefined), { message: 'give days or from/to, not both' }),
    result: returns<SwitchAnalysis>(),
    role: 'manager',
    audit: (a, r) => ({
      action: a.save === false ? 'switching.preview' : 'switching.analyse',
      details: { ...a, analysis: r.id ?? null },
    }),
  }),
  /** Saved analyses, newest first (one meter, or all). */
  'switching.history': method({
    args: z.object({ meter: meterIdArg.optional(), limit: z.number().int().min(1).max(5000).optional() }).strict(),
    result: returns<SwitchSummary[]>(),
    role: 'manager',
  }),
  /** One saved analysis in full. */
  'switching.get': method({
    args: z.object({ id: z.number().int().positive() }).strict(),
    result: returns<SwitchAnalysis>(),
    role: 'manager',
  }),
  /** The latest saved analysis per meter, best saving first. */
  'switching.portfolio': method({
    args: z.object({}).strict(),
    result: returns<SwitchSummary[]>(),
    role: 'manager',
  }),
  /** Analyses every meter with data (the last `days` days each) and saves the results; progress as events. */
  'switching.runAll': method({
    args: z.object({ days: z.number().int().min(1).max(3660).optional() }).strict(),
    result: returns<{
      meters: number;
      analysed: number;
      /** Meters that could not be analysed, each with the error's message, code and details (e.g. no tariff). */
      failed: SwitchRunFailure[];
      seconds: number;
    }>(),
    role: 'manager',
    audit: true,
  }),
  /** Every meter with its site, reading count and first/last reading (UTC). */
  'meters.list': method({
    args: z.object({}).strict(),
    result: returns<MeterSummary[]>(),
    role: 'viewer',
  }),
  /** Sites with their organisation and meter count. */
  'sites.list': method({
    args: z.object({}).strict(),
    result: returns<SiteSummary[]>(),
    role: 'viewer',
  }),
  /** Adds a closure to a site: UK local days `from` to `to` (exclusive), such as a school holiday or a shutdown. */
  'sites.addClosure': method({
    args: z
      .object({
        siteId: z.number().int().positive(),
        from: localDate,
        to: localDate,
        note: z.string().trim().max(200, 'a note is at most 200 characters').optional(),
      })
      .strict(),
    result: returns<SiteClosure>(),
    role: 'manager',
    audit: true,
  }),
  /** Removes one of a site's closures (NOT_FOUND when the site has no closure with that id). */
  'sites.removeClosure': method({
    args: z.object({ siteId: z.number().int().positive(), id: z.number().int().positive() }).strict(),
    result: returns<{ removed: boolean }>(),
    role: 'manager',
    audit: true,
  }),
  /**
   * Imports a site's daily weather from a CSV's text (`date,meanTemperatureC`, or `date,hdd` as
   * degree-day services export it, at `hddBase` °C, default 15.5): all rows or none.
   */
  'weather.import': method({
    args: z
      .object({
        siteId: z.number().int().positive(),
        fileName: z.string().trim().min(1).max(255),
        text: z.string().max(5_000_000, 'a weather file is at most 5 MB (about 100 years of days)'),
        hddBase: z
          .number()
          .min(0, 'a degree-day base temperature is 0 to 25 °C (UK degree days use 15.5)')
          .max(25, 'a degree-day base temperature is 0 to 25 °C (UK degree days use 15.5)')
          .optional(),
      })
      .strict(),
    result: returns<WeatherImportResult>(),
    role: 'manager',
    audit: (a, r) => ({ details: { siteId: a.siteId, fileName: a.fileName, days: r.days, kind: r.kind } }),
  }),
  /** Fetches a site's daily mean temperatures from Open-Meteo (the site needs a location). UNAVAILABLE when offline. */
  'weather.fetch': method({
    args: z.object({ siteId: z.number().int().positive(), from: localDate, to: localDate }).strict(),
    result: returns<WeatherFetchResult>(),
    role: 'manager',
    audit: true,
  }),
  /** A site's stored weather over [from, to). */
  'weather.list': method({
    args: z.object({ siteId: z.number().int().positive(), from: localDate, to: localDate }).strict(),
    result: returns<WeatherDay[]>(),
    role: 'viewer',
  }),
  /** Baseload, peak, load factor and the in-hours/out-of-hours/weekend/holiday split of a meter over [from, to). */
  'analytics.meter': method({
    args: z.object(meterRange).strict(),
    result: returns<MeterAnalysis>(),
    role: 'viewer',
  }),
  /**
   * Data quality of a meter over [from, to): gaps, zero runs (at least `zeroRun` half-hours,
   * default 4), negatives, outliers.
   */
  'analytics.quality': method({
    args: z
      .object({
        ...meterRange,
        zeroRun: z
          .number()
          .int('a zero run is a whole number of half-hours')
          .min(2, 'a zero run is at least 2 half-hours')
          .max(336, 'a zero run is at most 336 half-hours (a week)')
          .optional(),
      })
      .strict(),
    result: returns<QualityReport>(),
    role: 'viewer',
  }),
  /** Daily exceptions of a meter over [from, to) against the same weekday over the previous 8 weeks. */
  'analytics.exceptions': method({
    args: z.object(meterRange).strict(),
    result: returns<ExceptionsReport>(),
    role: 'viewer',
  }),
  /** A degree-day baseline model (daily kWh = a + b·HDD) fitted over [from, to) with the site's weather. */
  'analytics.baseline': method({
    args: z
      .object({ ...meterRange, baseTemperature: baseTemperature.optional(), splitOpenClosed: z.boolean().optional() })
      .strict(),
    result: returns<BaselineResult>(),
    role: 'viewer',
  }),
  /** CUSUM of actual against the baseline model over the reporting period [from, to). */
  'analytics.cusum': method({
    args: z
      .object({
        ...meterRange,
        baselineFrom: localDate,
        baselineTo: localDate,
        baseTemperature: baseTemperature.optional(),
        splitOpenClosed: z.boolean().optional(),
      })
      .strict(),
    result: returns<CusumResult>(),
    role: 'viewer',
  }),
  /**
   * Every meter's baseload, out-of-hours share, exceptions and data quality over [from, to) (default:
   * the 4 weeks to the portfolio's latest complete day, capped at `asAt`; `to` alone: the 4 weeks
   * before it): the league tables.
   */
  'analytics.portfolio': method({
    args: z.object({ from: localDate.optional(), to: localDate.optional(), asAt: localDate.optional() }).strict(),
    result: returns<PortfolioAnalysis>(),
    role: 'viewer',
  }),
  /** Every alert rule. */
  'alerts.rules': method({
    args: z.object({}).strict(),
    result: returns<AlertRule[]>(),
    role: 'viewer',
  }),
  /**
   * Creates or replaces one rule (as a rule file holds it: `id`, `kind`, `meter` | `site` | `all`,
   * `severity`, `channels` and the kind's parameters). Refused with INVALID_ARGS, details
   * `{ problems: AlertRuleProblem[] }`, naming each field that is wrong. `previousId` renames a rule.
   */
  'alerts.saveRule': method({
    args: z
      .object({
        rule: z.record(z.string(), z.unknown()),
        previousId: z.string().trim().min(1).max(64).optional(),
      })
      .strict(),
    result: returns<AlertRule>(),
    role: 'manager',
    audit: true,
  }),
  /** Removes a rule (its alerts stay in the inbox's history). */
  'alerts.deleteRule': method({
    args: z.object({ id: z.string().trim().min(1).max(64) }).strict(),
    result: returns<{ removed: boolean }>(),
    role: 'manager',
    audit: true,
  }),
  /**
   * Imports a rule file's text (`{ "rules": [ … ] }`), all or nothing: rules with a known id are
   * replaced, new ones created; `replace` also removes rules the file does not name. A file with any
   * problem changes nothing and is refused with INVALID_ARGS, details `{ problems: AlertRuleProblem[] }`.
   */
  'alerts.importRules': method({
    args: z
      .object({
        text: z.string().max(5 * 1024 * 1024, 'a rule file is at most 5 MB'),
        replace: z.boolean().optional(),
        dryRun: z.boolean().optional(),
      })
      .strict(),
    result: returns<AlertRuleImportResult>(),
    role: 'manager',
    audit: (a, r) => ({ details: { replace: a.replace ?? false, dryRun: a.dryRun ?? false, ...r, rules: undefined } }),
  }),
  /** The rules as a rule file (`{ "rules": [ … ] }`), ready to import elsewhere. */
  'alerts.exportRules': method({
    args: z.object({}).strict(),
    result: returns<{ rules: AlertRule[] }>(),
    role: 'viewer',
  }),
  /** Alerts, newest first, filtered (snoozed ones only with `includeSnoozed`). */
  'alerts.list': method({
    args: z
      .object({
        status: z.enum(['open', 'acknowledged', 'resolved']).optional(),
        severity: z.enum(['info', 'warning', 'critical']).optional(),
        rule: z.string().trim().min(1).max(64).optional(),
        kind: z.string().trim().min(1).max(64).optional(),
        meter: meterIdArg.optional(),
        siteId: z.number().int().positive().optional(),
        includeSnoozed: z.boolean().optional(),
        limit: z.number().int().min(1).max(5000).optional(),
      })
      .strict(),
    result: returns<Alert[]>(),
    role: 'viewer',
  }),
  /** One alert with its delivery log. */
  'alerts.get': method({
    args: z.object({ id: z.number().int().positive() }).strict(),
    result: returns<AlertDetail>(),
    role: 'viewer',
  }),
  /** Counts for the badge: open (not snoozed), acknowledged, snoozed, open by severity. */
  'alerts.counts': method({
    args: z.object({}).strict(),
    result: returns<AlertCounts>(),
    role: 'viewer',
  }),
  /** Acknowledges an open alert (who and when are recorded, with the note). */
  'alerts.ack': method({
    args: z.object({ id: z.number().int().positive(), note: z.string().trim().max(2000).optional() }).strict(),
    result: returns<Alert>(),
    role: 'manager',
    audit: true,
  }),
  /** Resolves an alert by hand (it stays resolved until its condition is seen again in a new period). */
  'alerts.resolve': method({
    args: z.object({ id: z.number().int().positive(), note: z.string().trim().max(2000).optional() }).strict(),
    result: returns<Alert>(),
    role: 'manager',
    audit: true,
  }),
  /** Snoozes an alert until a UK local day (it leaves the badge until then); null wakes it. */
  'alerts.snooze': method({
    args: z.object({ id: z.number().int().positive(), until: localDate.nullable() }).strict(),
    result: returns<Alert>(),
    role: 'manager',
    audit: true,
  }),
  /**
   * Evaluates every enabled rule now (or as at `at`), opens the alerts that fire, resolves those
   * whose condition cleared, and queues their delivery.
   */
  'alerts.check': method({
    args: z.object({ at: isoInstant.optional() }).strict(),
    result: returns<AlertCheckResult>(),
    role: 'manager',
    audit: (a, r) => ({ details: { at: r.at, fired: r.fired.length, resolved: r.resolved, explicitAt: !!a.at } }),
  }),
  /** Sends a test message on one channel with the saved settings, and says what happened. */
  'notify.test': method({
    args: z.object({ channel: z.enum(['tray', 'email', 'slack', 'webhook']) }).strict(),
    result: returns<NotifyTestResult>(),
    role: 'admin',
    audit: true,
  }),
  /** Delivery attempts, newest first (one alert's with `alertId`). */
  'notify.deliveries': method({
    args: z
      .object({ alertId: z.number().int().positive().optional(), limit: z.number().int().min(1).max(1000).optional() })
      .strict(),
    result: returns<AlertDelivery[]>(),
    role: 'viewer',
  }),
  /** The latest health report (checked now when there is none yet). */
  'health.get': method({
    args: z.object({}).strict(),
    result: returns<HealthReport>(),
    role: 'viewer',
  }),
  /** Runs every health check now. */
  'health.check': method({
    args: z.object({}).strict(),
    result: returns<HealthReport>(),
    role: 'viewer',
  }),
  /** Health checks' changes of state, newest first. */
  'health.history': method({
    args: z.object({ limit: z.number().int().min(1).max(1000).optional() }).strict(),
    result: returns<HealthChange[]>(),
    role: 'viewer',
  }),
  /** Who is calling (name, role, how) and whether this server asks people to sign in. */
  'auth.me': method({
    args: z.object({}).strict(),
    result: returns<Me>(),
    role: 'viewer',
  }),
  /** The server's users (admin). */
  'users.list': method({
    args: z.object({}).strict(),
    result: returns<UserSummary[]>(),
    role: 'admin',
  }),
  /** Adds a user (admin). The password is hashed (scrypt) and never stored, logged or returned. */
  'users.create': method({
    args: z.object({ username: usernameArg, role: roleArg, password: passwordArg }).strict(),
    result: returns<UserSummary>(),
    role: 'admin',
    audit: (a) => ({ details: { username: a.username, role: a.role } }),
  }),
  /**
   * Changes a user's role, password or whether they may sign in (admin). A new password, a
   * disabled account or a new role signs the user out everywhere.
   */
  'users.update': method({
    args: z
      .object({
        username: usernameArg,
        role: roleArg.optional(),
        password: passwordArg.optional(),
        disabled: z.boolean().optional(),
      })
      .strict(),
    result: returns<UserSummary>(),
    role: 'admin',
    audit: (a) => ({
      details: { ...a, password: a.password === undefined ? undefined : '(changed)' },
    }),
  }),
  /** Removes a user and their sessions (admin). The last enabled admin cannot be removed or demoted. */
  'users.remove': method({
    args: z.object({ username: usernameArg }).strict(),
    result: returns<{ removed: boolean }>(),
    role: 'admin',
    audit: true,
  }),
  /** API tokens: name, role, when made and last used, revoked (admin). */
  'tokens.list': method({
    args: z.object({}).strict(),
    result: returns<TokenSummary[]>(),
    role: 'admin',
  }),
  /** Makes an API token for `Authorization: Bearer …` (admin); the token is returned this once. */
  'tokens.create': method({
    args: z
      .object({
        name: z
          .string()
          .trim()
          .regex(
            /^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$/,
            'expected a name of letters, digits, spaces, ".", "_" or "-" (at most 64)',
          ),
        role: roleArg,
      })
      .strict(),
    result: returns<CreatedToken>(),
    role: 'admin',
    audit: (a) => ({ details: { name: a.name, role: a.role } }),
  }),
  /** Revokes an API token (admin): it is refused from then on. */
  'tokens.revoke': method({
    args: z.object({ name: z.string().trim().min(1).max(64) }).strict(),
    result: returns<{ revoked: boolean }>(),
    role: 'admin',
    audit: true,
  }),
  /** The audit log, newest first (admin): every state-changing call and upload, with its outcome. */
  'audit.list': method({
    args: z
      .object({
        since: localDate.optional(),
        actor: z.string().trim().min(1).max(200).optional(),
        action: z.string().trim().min(1).max(100).optional(),
        outcome: z.enum(['ok', 'failed']).optional(),
        limit: z.number().int().min(1).max(5000).optional(),
      })
      .strict(),
    result: returns<AuditRecord[]>(),
    role: 'admin',
  }),
  /** A meter's readings in [from, to) as rows, ordered by time. */
  'readings.list': method({
    args: z.object({ meter: meterIdArg, from: isoInstant, to: isoInstant }).strict(),
    result: returns<Reading[]>(),
    role: 'viewer',
  }),
  /**
   * A meter's expected, present, missing and estimated half-hours over UK local days [from, to) (default: the days
   * it has data), and its last complete day.
   */
  'readings.quality': method({
    args: z.object({ meter: meterIdArg, from: localDate.optional(), to: localDate.optional() }).strict(),
    result: returns<MeterQuality>(),
    role: 'viewer',
  }),
  /** A meter's half-hourly series for charts (whole history when from/to are omitted). */
  'readings.series': method({
    args: z.object({ meter: meterIdArg, from: isoInstant.optional(), to: isoInstant.optional() }).strict(),
    result: returns<Series>(),
    role: 'viewer',
  }),

  // ---------------------------------------------------------------- registers
  /**
   * Imports a site and meter register (CSV or XLSX): a stored file from `files.upload` (`fileId`), or
   * the file's bytes as base64 (`content`, with its `fileName`; the desktop app and the CLI). One line
   * per meter (or per site without meters), columns `site`, `address`, `postcode`, `latitude`,
   * `longitude`, `floorArea`, `openingHours`, `meter`, `fuel`, `label`, `supplier`, `capacityKva`,
   * `tariff`, `tariffFrom`, `serial` (common spellings accepted; docs/registers.md). All or nothing:
   * any error (by line and column) and nothing is written. `dryRun` previews what would be created
   * or changed (its uploaded file is kept for the import that follows).
   */
  'register.import': method({
    args: z
      .object({
        fileId: storedFileId.optional(),
        content: z
          .base64('expected the file as base64')
          .max(28_000_000, 'a register over 20 MB is not plausible: split it')
          .optional(),
        fileName: z.string().trim().min(1).max(260).optional(),
        dryRun: z.boolean().optional(),
      })
      .strict()
      .refine((a) => (a.fileId === undefined) !== (a.content === undefined), {
        message: 'give the register as fileId (an uploaded file) or as content (base64), one of them',
      }),
    result: returns<RegisterImportResult>(),
    role: 'manager',
    audit: (a, r) =>
      a.dryRun || r.errors.length
        ? null
        : {
            details: {
              file: a.fileName ?? a.fileId,
              sitesCreated: r.sitesCreated,
              sitesUpdated: r.sitesUpdated,
              metersCreated: r.metersCreated,
              metersUpdated: r.metersUpdated,
            },
          },
  }),
  /** The portfolio's sites and meters as a register (the columns `register.import` reads), CSV or XLSX. */
  'register.export': method({
    args: z.object({ format: z.enum(['csv', 'xlsx']).optional() }).strict(),
    result: returns<RegisterExport>(),
    role: 'viewer',
  }),
  /** Sites that meter files named (their meters have no site yet), grouped by name and postcode. */
  'sites.suggestions': method({
    args: z.object({}).strict(),
    result: returns<SiteSuggestion[]>(),
    role: 'viewer',
  }),
  /** Creates the suggested sites (or uses an existing one of that name) and assigns their meters; or dismisses them. */
  'sites.acceptSuggestions': method({
    args: z
      .object({
        items: z
          .array(
            z
              .object({
                name: z.string().trim().min(1, 'a site needs a name').max(120),
                address: z.string().trim().max(300).nullable().optional(),
                postcode: z.string().trim().max(10).nullable().optional(),
                meters: z.array(meterIdArg).min(1).max(5000),
                dismiss: z.boolean().optional(),
              })
              .strict(),
          )
          .min(1)
          .max(5000),
      })
      .strict(),
    result: returns<SiteSuggestionResult>(),
    role: 'manager',
    audit: (_a, r) => ({ details: { sitesCreated: r.sitesCreated, metersAssigned: r.metersAssigned } }),
  }),
  // ---------------------------------------------------------------- tables and bulk edits
  /** Every meter with this month's and last year's kWh and £, completeness, tariff, open alerts and source. */
  'meters.table': method({
    args: z.object({}).strict(),
    result: returns<{ period: TablePeriod | null; rows: MeterRow[] }>(),
    role: 'viewer',
  }),
  /** Every site with this month's and last year's kWh and £, open alerts and latest reading. */
  'sites.table': method({
    args: z.object({}).strict(),
    result: returns<{ period: TablePeriod | null; rows: SiteRow[] }>(),
    role: 'viewer',
  }),
  /**
   * Changes many meters at once, all or nothing: assign a site, set the supplier or capacity, add or
   * remove tags, assign a tariff from a UK date.
   */
  'meters.bulkUpdate': method({
    args: z
      .object({
        meters: z.array(meterIdArg).min(1, 'select at least one meter').max(10_000),
        siteId: z.number().int().positive().nullable().optional(),
        supplier: z.string().trim().max(120).nullable().optional(),
        capacityKva: z.number().positive('capacity must be above 0 kVA').max(1_000_000).nullable().optional(),
        addTags: z.array(tagArg).max(50).optional(),
        removeTags: z.array(tagArg).max(50).optional(),
        tariff: z.object({ tariffId: tariffIdSchema, from: localDate }).strict().optional(),
      })
      .strict(),
    result: returns<BulkUpdateResult>(),
    role: 'manager',
    audit: (a, r) => ({
      details: {
        meters: r.updated,
        siteId: a.siteId,
        supplier: a.supplier,
        capacityKva: a.capacityKva,
        addTags: a.addTags,
        removeTags: a.removeTags,
        tariff: a.tariff,
      },
    }),
  }),
  // ---------------------------------------------------------------- undo
  /**
   * Rolls back a finished import, as if it had never run: every half-hour it added removed, every value it replaced
   * restored, later imports' values kept (and put where they gave the same half-hours); roll-ups, analyses and
   * alerts follow. `dryRun` says what would change. CONFLICT unless the job is done (not a dry run).
   */
  'imports.rollback': method({
    args: z.object({ id: z.number().int().positive(), dryRun: z.boolean().optional() }).strict(),
    result: returns<RollbackResult>(),
    role: 'manager',
    audit: (a, r) =>
      a.dryRun
        ? null
        : {
            details: {
              id: a.id,
              readingsRemoved: r.readingsRemoved,
              valuesRestored: r.valuesRestored,
              metersRemoved: r.metersRemoved,
            },
          },
  }),
  /** Deletes a meter with its readings, tariff assignments and alerts (kept for undo). `dryRun` says what would go. */
  'meters.remove': method({
    args: z.object({ meter: meterIdArg, dryRun: z.boolean().optional() }).strict(),
    result: returns<TrashEntry>(),
    role: 'manager',
    audit: (a, r) => (a.dryRun ? null : { details: { meter: a.meter, trashId: r.id, counts: r.counts } }),
  }),
  /** Deletes a site; its meters stay, without a site, unless `withMeters` (kept for undo). `dryRun`: what would go. */
  'sites.remove': method({
    args: z
      .object({ id: z.number().int().positive(), withMeters: z.boolean().optional(), dryRun: z.boolean().optional() })
      .strict(),
    result: returns<TrashEntry>(),
    role: 'manager',
    audit: (a, r) => (a.dryRun ? null : { details: { id: a.id, trashId: r.id, counts: r.counts } }),
  }),
  /** Deletes a meter's readings over UK local days [from, to) (kept for undo). `dryRun` says what would go. */
  'readings.remove': method({
    args: z.object({ ...meterRange, dryRun: z.boolean().optional() }).strict(),
    result: returns<TrashEntry>(),
    role: 'manager',
    audit: (a, r) =>
      a.dryRun ? null : { details: { meter: a.meter, from: a.from, to: a.to, trashId: r.id, counts: r.counts } },
  }),
  /** Things deleted by hand, newest first (restored ones included, marked). */
  'trash.list': method({
    args: z.object({ limit: z.number().int().min(1).max(500).optional() }).strict(),
    result: returns<TrashEntry[]>(),
    role: 'viewer',
  }),
  /** Puts a deletion back exactly as it was. CONFLICT if already restored or if what it needs is taken. */
  'trash.restore': method({
    args: z.object({ id: z.number().int().positive() }).strict(),
    result: returns<TrashEntry>(),
    role: 'manager',
    audit: true,
  }),
  // ---------------------------------------------------------------- sources
  /** Data sources (watched folders, SFTP pickups, Octopus and n3rgy APIs) with their status. */
  'sources.list': method({
    args: z.object({}).strict(),
    result: returns<SourceSummary[]>(),
    role: 'viewer',
  }),
  /** One source with its recent runs and the items it took in. */
  'sources.get': method({
    args: z.object({ id: z.number().int().positive() }).strict(),
    result: returns<SourceDetail>(),
    role: 'viewer',
  }),
  /**
   * Adds (no `id`) or changes a source. `secrets` sets (a string) or clears (null) the kind's secrets,
   * stored as other secrets are and never returned.
   */
  'sources.save': method({
    args: z
      .object({
        id: z.number().int().positive().optional(),
        name: z.string().trim().min(1, 'a source needs a name').max(120),
        config: sourceConfigSchema,
        everyMinutes: z
          .number()
          .int()
          .min(5, 'a source runs at most every 5 minutes')
          .max(7 * 24 * 60, 'a source runs at least once a week')
          .optional(),
        enabled: z.boolean().optional(),
        secrets: sourceSecrets.optional(),
      })
      .strict(),
    result: returns<SourceSummary>(),
    role: 'admin',
    audit: (a, r) => ({ details: { id: r.id, name: a.name, kind: a.config.kind, enabled: r.enabled } }),
  }),
  /** Removes a source (its imports and readings stay). */
  'sources.remove': method({
    args: z.object({ id: z.number().int().positive() }).strict(),
    result: returns<{ removed: boolean }>(),
    role: 'admin',
    audit: true,
  }),
  /**
   * Runs a source now (or every enabled source with `all`) and returns the runs once their imports are
   * queued; a source already running (here or in another program) gives its run in progress.
   */
  'sources.run': method({
    args: z.object({ id: z.number().int().positive().optional(), all: z.boolean().optional() }).strict(),
    result: returns<SourceRun[]>(),
    role: 'manager',
    audit: (a, r) => ({ details: { id: a.id ?? null, all: !!a.all, runs: r.map((x) => x.id) } }),
  }),
  /** Where a meter's data comes from: the sources that fed it (or are set up for it), its last import, next due. */
  'meters.feed': method({
    args: z.object({ meter: meterIdArg }).strict(),
    result: returns<MeterFeed>(),
    role: 'viewer',
  }),
  /** Sites' monthly budgets (kWh and pence); one site's, or every site's, optionally one calendar year. */
  'budgets.list': method({
    args: z
      .object({ siteId: z.number().int().positive().optional(), year: z.number().int().min(1990).max(2100).optional() })
      .strict(),
    result: returns<Budget[]>(),
    role: 'viewer',
  }),
  /**
   * Sets a site's budgets for the months given (null clears a figure; both null removes the month).
   * All or nothing.
   */
  'budgets.set': method({
    args: z
      .object({
        siteId: z.number().int().positive(),
        months: z
          .array(
            z
              .object({
                month: monthArg,
                kwh: z.number().nonnegative().finite().nullable(),
                pence: z.number().int().nonnegative().nullable(),
              })
              .strict(),
          )
          .min(1)
          .max(240),
      })
      .strict(),
    result: returns<Budget[]>(),
    role: 'manager',
    audit: (a) => ({ details: { siteId: a.siteId, months: a.months.map((m) => m.month) } }),
  }),
  /**
   * Makes a report now: a meter, site or portfolio monthly report (`month`), or an annual SECR-style
   * summary (`year`); as PDF (base64) or self-contained HTML.
   */
  'reports.make': method({
    args: z
      .object({
        scope: reportScopeSchema,
        month: monthArg.optional(),
        year: z.number().int().min(1990, 'reports cover years from 1990').max(2100, 'years up to 2100').optional(),
        format: z.enum(['pdf', 'html']),
      })
      .strict()
      .refine((a) => (a.month === undefined) !== (a.year === undefined), {
        message: 'give either a month (YYYY-MM) for a monthly report or a year for an annual one',
      }),
    result: returns<ReportFile>(),
    role: 'viewer',
  }),
  /** Scheduled deliveries, each with its last run. */
  'schedules.list': method({
    args: z.object({}).strict(),
    result: returns<ScheduleSummary[]>(),
    role: 'viewer',
  }),
  /** A schedule and its delivery log (latest first). */
  'schedules.get': method({
    args: z.object({ id: z.number().int().positive(), runs: z.number().int().min(1).max(500).optional() }).strict(),
    result: returns<ScheduleSummary & { runs: ScheduleRun[] }>(),
    role: 'viewer',
  }),
  /**
   * Adds (no `id`) or changes a schedule. `secrets` sets (a string) or clears (null) the SFTP password,
   * key and passphrase, kept as other secrets are and never returned; `forgetHostKey` unpins the SFTP
   * server's key (the next connection pins the one it offers).
   */
  'schedules.save': method({
    args: z
      .object({
        id: z.number().int().positive().optional(),
        name: z.string().trim().min(1, 'a schedule needs a name').max(120),
        what: scheduleWhatSchema,
        cadence: scheduleCadenceSchema,
        destination: scheduleDestinationSchema,
        enabled: z.boolean().optional(),
        secrets: scheduleSecrets.optional(),
        forgetHostKey: z.boolean().optional(),
      })
      .strict(),
    result: returns<ScheduleSummary>(),
    role: 'admin',
    audit: (a, r) => ({
      details: { id: r.id, name: a.name, what: a.what.kind, destination: a.destination.kind, enabled: r.enabled },
    }),
  }),
  /** Removes a schedule and its delivery log. */
  'schedules.remove': method({
    args: z.object({ id: z.number().int().positive() }).strict(),
    result: returns<{ removed: boolean }>(),
    role: 'admin',
    audit: true,
  }),
  /** Runs a schedule now (as if due now) and returns the finished run. */
  'schedules.run': method({
    args: z.object({ id: z.number().int().positive() }).strict(),
    result: returns<ScheduleRun>(),
    role: 'manager',
    audit: (a, r) => ({ details: { id: a.id, run: r.id, status: r.status } }),
  }),
  /** This desktop's link to a shared server: state, changes waiting, last sync. */
  'sync.status': method({
    args: z.object({}).strict(),
    result: returns<SyncStatus>(),
    role: 'viewer',
  }),
  /**
   * Links this desktop to a shared server: signs in there (the password is not kept; the session
   * token goes to the secret store) and syncs. `sites` limits the readings kept here (site uids).
   */
  'sync.connect': method({
    args: z
      .object({
        server: z.string().url().max(500),
        username: z.string().min(1).max(100),
        password: z.string().min(1).max(1000),
        clientName: z.string().min(1).max(100).optional(),
        sites: z.array(z.string().min(1).max(64)).max(100_000).nullable().optional(),
      })
      .strict(),
    result: returns<SyncStatus>(),
    role: 'admin',
    localOnly: true,
    audit: (a) => ({ details: { server: a.server, username: a.username } }),
  }),
  /** Stops syncing (signs out of the server); local data stays. */
  'sync.disconnect': method({
    args: z.object({}).strict(),
    result: returns<SyncStatus>(),
    role: 'admin',
    localOnly: true,
    audit: true,
  }),
  /** Which sites' readings this desktop keeps (null = all) and how often it syncs. */
  'sync.configure': method({
    args: z
      .object({
        sites: z.array(z.string().min(1).max(64)).max(100_000).nullable().optional(),
        everyMinutes: z.number().int().min(1).max(1440).optional(),
        clientName: z.string().min(1).max(100).optional(),
      })
      .strict(),
    result: returns<SyncStatus>(),
    role: 'admin',
    localOnly: true,
    audit: true,
  }),
  /** Syncs now: pushes what is waiting, then pulls everything since the last sync. */
  'sync.now': method({
    args: z.object({}).strict(),
    result: returns<SyncRunResult>(),
    role: 'viewer',
  }),
  /** Readings conflicts (open first) and edits replaced by a later one elsewhere. */
  'sync.conflicts': method({
    args: z.object({ status: z.enum(['open', 'all']).optional() }).strict(),
    result: returns<{ conflicts: ReadingConflict[]; replaced: SyncActivity[] }>(),
    role: 'viewer',
  }),
  /** Decides readings conflicts: keep the server's value, or apply the value that was pushed. */
  'sync.resolve': method({
    args: z
      .object({ ids: z.array(z.number().int().positive()).min(1).max(1000), keep: z.enum(['server', 'pushed']) })
      .strict(),
    result: returns<{ queued: number }>(),
    role: 'manager',
    audit: (a) => ({ details: { ids: a.ids, keep: a.keep } }),
  }),
};

export type Method = keyof typeof contract;
/** What a caller passes to a method (before validation). */
export type Args<M extends Method> = z.input<(typeof contract)[M]['args']>;
/** What a method returns. */
export type Result<M extends Method> = (typeof contract)[M]['result'];

/** What a handler receives beside its arguments. */
export interface CallContext {
  role: Role;
  actor: string;
  /** The caller runs in this process (desktop app, command line): it may call `localOnly` methods. */
  inProcess?: boolean;
  /** The bytes of an uploaded file, for a method whose contract entry has `body`. */
  body?: AsyncIterable<Uint8Array>;
  /** How the caller came in: the local admin (desktop, CLI, loopback browser), a session or a token. */
  via?: 'local' | 'session' | 'token';
  /** The signed-in user's or token's name (absent for the local admin). */
  name?: string;
  /** Whether the host asks people to sign in (for auth.me). */
  signInRequired?: boolean;
}

export type Handlers = {
  [M in Method]: (args: z.output<(typeof contract)[M]['args']>, ctx: CallContext) => Promise<Result<M>> | Result<M>;
};

export type Reply<T> = { ok: true; value: T } | { ok: false; error: AppErrorPayload };

export function isMethod(m: string): m is Method {
  return Object.hasOwn(contract, m);
}
