/**
 * The typed contract between the core and every host: method names, argument schemas (zod),
 * result types and the least role each method needs. Hosts and the renderer import only this.
 */
import { z } from 'zod';
import type { AppErrorPayload } from './errors';
import { tariffIdSchema, tariffSpecSchema } from '../domain/tariff-spec';
import type { CostResult, SwitchAnalysis, SwitchSummary, Tariff, TariffAssignment, AggregateResult, AppInfo, CarbonHistory, CarbonNow, EmissionFactor, Emissions, Comparison, DashboardSummary, Fuel, ImportJob, MeterSummary, PeriodTotal, Reading, Role, SchedulerRun, Series, Settings, SiteDetail, SiteSummary } from './types';

const isoInstant = z
  .string()
  .refine((s) => !Number.isNaN(Date.parse(s)), { message: 'expected an ISO 8601 date-time, e.g. 2025-01-01T00:00:00Z' });

const meterIdArg = z.string().trim().min(1, 'meter id is required').max(64);
const periodKind = z.enum(['day', 'week', 'month', 'year']);
/** A UK local date `YYYY-MM-DD`, or a date-time with an offset (its local date is used). */
const localDate = z.string().trim().refine((s) => /^\d{4}-\d{2}-\d{2}$/.test(s) || (/[T ]\d{2}:\d{2}/.test(s) && /(Z|[+-]\d{2}:?\d{2})$/.test(s) && !Number.isNaN(Date.parse(s))), {
  message: 'expected a date YYYY-MM-DD (UK local day) or a date-time with an offset',
});

/** Formats a user may force instead of detection (docs/formats.md). */
export const IMPORT_FORMATS = ['auto', 'long', 'settlement', 'lcl', 'smart-csv', 'wide', 'octopus-json', 'octopus-json-m3', 'n3rgy-json'] as const;

/** Argument schemas, one per method: dispatch() validates every call against these. */
export const schemas = {
  /** App version, data folder and the caller's role. */
  'app.info': z.object({}).strict(),
  /**
   * Queue stored files (see the hosts' upload) for import as one batch. Dry runs write nothing.
   * `format` forces a format instead of detecting it; `meter` names the meter for files without a
   * meter column; `onConflict` decides what happens to readings stored with a different value.
   */
  'imports.enqueue': z
    .object({
      fileIds: z.array(z.string().regex(/^[a-f0-9-]{36}$/, 'expected a stored file id')).min(1).max(500),
      dryRun: z.boolean().optional(),
      priority: z.enum(['high', 'normal', 'low']).optional(),
      onConflict: z.enum(['keep', 'replace']).optional(),
      format: z.enum(IMPORT_FORMATS).optional(),
      meter: meterIdArg.optional(),
      notes: z.string().max(2000).optional(),
      tags: z.array(z.string().trim().min(1).max(40)).max(20).optional(),
    })
    .strict(),
  /** Import jobs, newest first; filter by status, batch, or text in the file name, notes or tags. */
  'imports.list': z
    .object({
      status: z.enum(['queued', 'running', 'retrying', 'done', 'failed', 'cancelled']).optional(),
      batchId: z.string().uuid().optional(),
      search: z.string().max(200).optional(),
      limit: z.number().int().min(1).max(1000).optional(),
    })
    .strict(),
  /** One import job with its row errors. */
  'imports.get': z.object({ id: z.number().int().positive() }).strict(),
  /** Cancels a queued, retrying or running job and removes the readings it wrote. CONFLICT if it has finished. */
  'imports.cancel': z.object({ id: z.number().int().positive() }).strict(),
  /** Runs a failed, cancelled or retrying job again (now). CONFLICT if it is queued, running or done. */
  'imports.retry': z.object({ id: z.number().int().positive() }).strict(),
  /** Deletes finished jobs older than the retention period, and their stored files (readings stay). */
  'imports.cleanup': z.object({ days: z.number().int().min(0).max(3650).optional() }).strict(),
  /** Recomputes roll-ups: what changed since the last run, or everything with `full`. */
  'aggregation.run': z.object({ full: z.boolean().optional() }).strict(),
  /**
   * A meter's roll-ups per period over local days [from, to) (`YYYY-MM-DD`; a date-time with an
   * offset is also accepted). Periods that overlap the range are included whole.
   */
  'totals.list': z.object({ meter: meterIdArg, period: periodKind, from: localDate, to: localDate }).strict(),
  /** One period against the previous one (`previous`) or the same period a year earlier (`year-ago`). */
  'totals.compare': z.object({ meter: meterIdArg, period: periodKind, at: z.string().trim().min(4).max(20), basis: z.enum(['previous', 'year-ago']).optional() }).strict(),
  /** Portfolio and per-site totals by fuel for [from, to) per period (never adding gas to electricity). */
  'totals.site': z.object({ siteId: z.number().int().positive().nullable(), period: periodKind, from: localDate, to: localDate }).strict(),
  /** The dashboard: portfolio totals and trends, movers, completeness, last import and roll-up. */
  'dashboard.summary': z.object({}).strict(),
  /** Background runs (roll-ups), newest first. */
  'scheduler.runs': z.object({ limit: z.number().int().min(1).max(500).optional() }).strict(),
  /** Creates a site in the (default) organisation. */
  'sites.create': z.object({ name: z.string().trim().min(1, 'a site needs a name').max(120), postcode: z.string().trim().max(10).optional(), organisation: z.string().trim().min(1).max(120).optional() }).strict(),
  /** Changes a site: name, postcode, Carbon Intensity region (null = derive it from the meters' MPANs). */
  'sites.update': z
    .object({
      id: z.number().int().positive(),
      name: z.string().trim().min(1, 'a site needs a name').max(120).optional(),
      postcode: z.string().trim().max(10).nullable().optional(),
      regionId: z.number().int().min(1, 'regions run from 1 to 17').max(17, 'regions run from 1 to 17').nullable().optional(),
    })
    .strict(),
  /** A site with its meters. */
  'sites.get': z.object({ id: z.number().int().positive() }).strict(),
  /** Changes a meter: its site, label, plausibility ceiling, gas calorific value. */
  'meters.update': z
    .object({
      meter: meterIdArg,
      siteId: z.number().int().positive().nullable().optional(),
      label: z.string().trim().max(120).nullable().optional(),
      maxKwhPerHalfHour: z.number().positive().max(1e7).optional(),
      calorificValue: z.number().min(30, 'calorific values are 30–50 MJ/m³').max(50, 'calorific values are 30–50 MJ/m³').optional(),
      supplier: z.string().trim().max(120).nullable().optional(),
      capacityKva: z.number().positive('capacity must be above 0 kVA').max(1_000_000).nullable().optional(),
    })
    .strict(),
  /** The latest stored grid carbon intensity (national), its age and trend, and the next 48 hours. null until fetched. */
  'carbon.current': z.object({}).strict(),
  /** Fetches the last 24 h and next 48 h from the Carbon Intensity API now. UNAVAILABLE when offline. */
  'carbon.refresh': z.object({}).strict(),
  /** Fetches and stores intensity for [from, to) (split into the API's 14-day windows), optionally a region's too; or backfills what is missing over a meter's data span. */
  'carbon.fetch': z
    .object({
      from: isoInstant.optional(),
      to: isoInstant.optional(),
      meter: meterIdArg.optional(),
      region: z.number().int().min(1).max(18).optional(),
      postcode: z.string().trim().regex(/^[A-Za-z]{1,2}\d[A-Za-z\d]?$/, 'expected an outward postcode (the first half, e.g. RG41)').optional(),
    })
    .strict()
    .refine((a) => a.meter !== undefined || (a.from !== undefined && a.to !== undefined), { message: 'give from and to, or a meter whose span to backfill' }),
  /** Stored history for the last N days: points, average, average by UK time of day, and the best window to run loads. */
  'carbon.history': z.object({ days: z.number().int().min(1).max(366), windowHours: z.number().int().min(1).max(12).optional() }).strict(),
  /**
   * A meter's emissions over UK local days [from, to): half-hourly intensities (national; a
   * region's forecast with `region`, or the meter's own region with `regional`) or the annual UK
   * Government factor.
   */
  'emissions.meter': z
    .object({ meter: meterIdArg, from: localDate, to: localDate, method: z.enum(['halfhourly', 'annual']).optional(), region: z.number().int().min(1).max(18).optional(), regional: z.boolean().optional() })
    .strict(),
  /** The annual conversion factors used by the annual emissions method. */
  'carbon.factors': z.object({}).strict(),
  /** Sets (adds or changes) the factor for a year and fuel (admin); returns the whole table. */
  'carbon.setFactor': z
    .object({
      year: z.number().int().min(2000, 'years from 2000').max(2100, 'years up to 2100'),
      fuel: z.enum(['electricity', 'gas']),
      kgPerKwh: z.number().positive('a factor must be above 0').max(2, 'a factor above 2 kgCO2e/kWh is not plausible for grid electricity or gas'),
      source: z.string().trim().max(200).optional(),
    })
    .strict(),
  /** App settings. */
  'settings.get': z.object({}).strict(),
  /** Changes app settings (admin). */
  'settings.update': z
    .object({
      importRetentionDays: z.number().int().min(1, 'keep finished imports at least 1 day').max(3650).optional(),
      nightlyRunAt: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a time HH:MM, e.g. 01:30').optional(),
      carbonApi: z.string().url('expected a URL, e.g. https://api.carbonintensity.org.uk').refine((u) => /^https?:\/\//.test(u), 'expected an http(s) URL').optional(),
    })
    .strict(),
  /** Tariffs with their versions; `fuel` filters, `activeOnly` drops tariffs with no version valid today or later. */
  'tariffs.list': z.object({ fuel: z.enum(['electricity', 'gas']).optional(), activeOnly: z.boolean().optional() }).strict(),
  /** One tariff with its versions. */
  'tariffs.get': z.object({ id: tariffIdSchema }).strict(),
  /**
   * Adds or corrects one version of a tariff (the Settings form). A new validFrom adds a version
   * (the previous open-ended one ends there); the same validFrom replaces that version.
   */
  'tariffs.save': z.object({ tariff: tariffSpecSchema }).strict(),
  /** Imports a tariff file (docs/tariffs.md) given as its text; all or nothing. */
  'tariffs.import': z.object({ text: z.string().min(1, 'the file is empty').max(20_000_000, 'a tariff file over 20 MB is not plausible'), fileName: z.string().max(260).optional() }).strict(),
  /**
   * Imports half-hourly prices for a dynamic tariff: the Octopus unit-rates JSON (value_exc_vat)
   * or a CSV of start time and price (p/kWh, exclusive of VAT). Prices for the same half-hours are replaced.
   */
  'tariffs.importPrices': z.object({ id: tariffIdSchema, text: z.string().min(1, 'the file is empty').max(20_000_000, 'a prices file over 20 MB is too large: import it in parts (e.g. a year at a time)'), fileName: z.string().max(260).optional() }).strict(),
  /** Deletes a tariff that no meter is assigned to (CONFLICT otherwise: give it a validTo instead). */
  'tariffs.delete': z.object({ id: tariffIdSchema }).strict(),
  /** Puts a meter on a tariff from a UK local day until its next assignment. */
  'tariffs.assign': z.object({ meter: meterIdArg, tariff: tariffIdSchema, from: localDate, capacityKva: z.number().positive().max(1_000_000).optional() }).strict(),
  /** Removes the assignment starting on `from`. */
  'tariffs.unassign': z.object({ meter: meterIdArg, from: localDate }).strict(),
  /** A meter's tariff assignments, oldest first. */
  'tariffs.assignments': z.object({ meter: meterIdArg }).strict(),
  /**
   * What a meter's consumption over UK local days [from, to) costs: on the tariffs in force then
   * (assignments, else the supplier's default), or on one chosen tariff.
   */
  'cost.meter': z.object({ meter: meterIdArg, from: localDate, to: localDate, tariff: tariffIdSchema.optional() }).strict(),
  /**
   * Prices the meter's half-hours on every other active tariff for its fuel and region, ranks them
   * by saving and saves the analysis. Default: the last `days` (90) days of data. `whatIfPercent`
   * first moves that share of use from the most expensive band to the cheapest.
   */
  'switching.analyse': z
    .object({
      meter: meterIdArg,
      days: z.number().int().min(1).max(3660).optional(),
      from: localDate.optional(),
      to: localDate.optional(),
      whatIfPercent: z.number().min(0, 'the share moved is 0–100 %').max(100, 'the share moved is 0–100 %').optional(),
      save: z.boolean().optional(),
    })
    .strict()
    .refine((a) => (a.from === undefined) === (a.to === undefined), { message: 'give both from and to, or neither (then the last days of data are used)' })
    .refine((a) => !(a.days !== undefined && a.from !== undefined), { message: 'give days or from/to, not both' }),
  /** Saved analyses, newest first (one meter, or all). */
  'switching.history': z.object({ meter: meterIdArg.optional(), limit: z.number().int().min(1).max(5000).optional() }).strict(),
  /** One saved analysis in full. */
  'switching.get': z.object({ id: z.number().int().positive() }).strict(),
  /** The latest saved analysis per meter, best saving first. */
  'switching.portfolio': z.object({}).strict(),
  /** Analyses every meter with data (the last `days` days each) and saves the results; progress as events. */
  'switching.runAll': z.object({ days: z.number().int().min(1).max(3660).optional() }).strict(),
  /** Every meter with its site, reading count and first/last reading (UTC). */
  'meters.list': z.object({}).strict(),
  /** Sites with their organisation and meter count. */
  'sites.list': z.object({}).strict(),
  /** A meter's readings in [from, to) as rows, ordered by time. */
  'readings.list': z.object({ meter: meterIdArg, from: isoInstant, to: isoInstant }).strict(),
  /** A meter's half-hourly series for charts (whole history when from/to are omitted). */
  'readings.series': z.object({ meter: meterIdArg, from: isoInstant.optional(), to: isoInstant.optional() }).strict(),
} satisfies Record<string, z.ZodType>;

export type Method = keyof typeof schemas;
export type Args<M extends Method> = z.input<(typeof schemas)[M]>;

/** Result type of each method. */
export interface Results {
  'app.info': AppInfo;
  'imports.enqueue': { batchId: string; jobIds: number[] };
  'imports.list': ImportJob[];
  'imports.get': ImportJob;
  'imports.cancel': ImportJob;
  'imports.retry': ImportJob;
  'imports.cleanup': { jobsRemoved: number; filesRemoved: number };
  'aggregation.run': AggregateResult;
  'totals.list': PeriodTotal[];
  'totals.compare': Comparison;
  'totals.site': { fuel: Fuel; totals: PeriodTotal[] }[];
  'dashboard.summary': DashboardSummary;
  'scheduler.runs': SchedulerRun[];
  'sites.create': SiteSummary;
  'sites.get': SiteDetail;
  'sites.update': SiteSummary;
  'meters.update': MeterSummary;
  'carbon.current': CarbonNow | null;
  'carbon.refresh': { national: number; regional: number };
  'carbon.fetch': { national: number; regional: number; regionId?: number | null };
  'carbon.history': CarbonHistory;
  'emissions.meter': Emissions;
  'carbon.factors': EmissionFactor[];
  'carbon.setFactor': EmissionFactor[];
  'settings.get': Settings;
  'settings.update': Settings;
  'tariffs.list': Tariff[];
  'tariffs.get': Tariff;
  'tariffs.save': Tariff;
  'tariffs.import': { tariffs: number; versionsAdded: number; versionsReplaced: number; unchanged: number; prices: number; ids: string[] };
  'tariffs.importPrices': { prices: number; first: string; last: string };
  'tariffs.delete': { deleted: string };
  'tariffs.assign': TariffAssignment[];
  'tariffs.unassign': TariffAssignment[];
  'tariffs.assignments': TariffAssignment[];
  'cost.meter': CostResult;
  'switching.analyse': SwitchAnalysis;
  'switching.history': SwitchSummary[];
  'switching.get': SwitchAnalysis;
  'switching.portfolio': SwitchSummary[];
  'switching.runAll': { meters: number; analysed: number; failed: { meter: string; reason: string }[]; seconds: number };
  'meters.list': MeterSummary[];
  'sites.list': SiteSummary[];
  'readings.list': Reading[];
  'readings.series': Series;
}
export type Result<M extends Method> = Results[M];

/** The least role each method requires (viewer < manager < admin). */
export const METHODS = {
  'app.info': 'viewer',
  'imports.enqueue': 'manager',
  'imports.list': 'viewer',
  'imports.get': 'viewer',
  'imports.cancel': 'manager',
  'imports.retry': 'manager',
  'imports.cleanup': 'admin',
  'aggregation.run': 'manager',
  'totals.list': 'viewer',
  'totals.compare': 'viewer',
  'totals.site': 'viewer',
  'dashboard.summary': 'viewer',
  'scheduler.runs': 'viewer',
  'sites.create': 'manager',
  'sites.get': 'viewer',
  'sites.update': 'manager',
  'meters.update': 'manager',
  'carbon.current': 'viewer',
  'carbon.refresh': 'viewer',
  'carbon.fetch': 'manager',
  'carbon.history': 'viewer',
  'emissions.meter': 'viewer',
  'carbon.factors': 'viewer',
  'carbon.setFactor': 'admin',
  'settings.get': 'viewer',
  'settings.update': 'admin',
  'tariffs.list': 'viewer',
  'tariffs.get': 'viewer',
  'tariffs.save': 'admin',
  'tariffs.import': 'admin',
  'tariffs.importPrices': 'admin',
  'tariffs.delete': 'admin',
  'tariffs.assign': 'manager',
  'tariffs.unassign': 'manager',
  'tariffs.assignments': 'viewer',
  'cost.meter': 'manager',
  'switching.analyse': 'manager',
  'switching.history': 'manager',
  'switching.get': 'manager',
  'switching.portfolio': 'manager',
  'switching.runAll': 'manager',
  'meters.list': 'viewer',
  'sites.list': 'viewer',
  'readings.list': 'viewer',
  'readings.series': 'viewer',
} as const satisfies Record<Method, Role>;

/** What a handler receives beside its arguments. */
export interface CallContext {
  role: Role;
  actor: string;
}

export type Handlers = { [M in Method]: (args: z.output<(typeof schemas)[M]>, ctx: CallContext) => Promise<Result<M>> | Result<M> };

export type Reply<T> = { ok: true; value: T } | { ok: false; error: AppErrorPayload };

export function isMethod(m: string): m is Method {
  return Object.hasOwn(METHODS, m);
}
