/**
 * The tariff file format (docs/tariffs.md) and its validation, shared by the importer, the
 * Settings form and the pricing engine so all three agree on what a valid tariff is.
 *
 * Times are wall-clock `HH:MM` (UK local unless `timeBasis` is `gmt`), `to` exclusive, wrapping past
 * midnight allowed, `from` = `to` meaning the whole day. A half-hour belongs to the rate whose
 * window contains its start. Every day type a tariff prices must be covered exactly once: gaps and
 * overlaps are rejected with the days and times involved.
 */
import { z } from 'zod';

export const DAY_KEYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun', 'holiday'] as const;
export type DayKey = (typeof DAY_KEYS)[number];
/** How each day type is written, everywhere: in messages, the tariff form and the band strip. */
export const DAY_LABELS: Record<DayKey, { short: string; name: string; plural: string }> = {
  mon: { short: 'Mon', name: 'Monday', plural: 'Mondays' },
  tue: { short: 'Tue', name: 'Tuesday', plural: 'Tuesdays' },
  wed: { short: 'Wed', name: 'Wednesday', plural: 'Wednesdays' },
  thu: { short: 'Thu', name: 'Thursday', plural: 'Thursdays' },
  fri: { short: 'Fri', name: 'Friday', plural: 'Fridays' },
  sat: { short: 'Sat', name: 'Saturday', plural: 'Saturdays' },
  sun: { short: 'Sun', name: 'Sunday', plural: 'Sundays' },
  holiday: { short: 'Hol', name: 'bank holidays', plural: 'bank holidays' },
};
const DAY_ALIASES: Record<string, readonly DayKey[]> = {
  all: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun', 'holiday'],
  weekday: ['mon', 'tue', 'wed', 'thu', 'fri'],
  weekdays: ['mon', 'tue', 'wed', 'thu', 'fri'],
  weekend: ['sat', 'sun'],
  weekends: ['sat', 'sun'],
  monday: ['mon'],
  tuesday: ['tue'],
  wednesday: ['wed'],
  thursday: ['thu'],
  friday: ['fri'],
  saturday: ['sat'],
  sunday: ['sun'],
  holidays: ['holiday'],
  'bank-holiday': ['holiday'],
  bankholiday: ['holiday'],
};

/** `HH:MM` → minutes after midnight (24:00 allowed). */
export function parseClock(s: string): number | null {
  const m = /^(\d{1,2}):(\d{2})$/.exec(s.trim());
  if (!m) return null;
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (min > 59 || h > 24 || (h === 24 && min !== 0)) return null;
  return h * 60 + min;
}

/** Minutes after midnight as `HH:MM`; 1440 (the end of the day) is `24:00`. */
export const fmtClock = (minutes: number): string =>
  `${String(minutes === 1440 ? 24 : Math.floor(minutes / 60) % 24).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

const clock = z
  .string({ message: 'expected a time HH:MM in quotes, e.g. "07:30"' })
  .refine((s) => parseClock(s) !== null, { message: 'expected a time HH:MM, e.g. 07:30 (24:00 allowed as an end)' });
const isoDate = z
  .string({ message: 'expected a date "YYYY-MM-DD"' })
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date YYYY-MM-DD')
  .refine(
    (s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s),
    'not a real calendar date',
  );
const pence = (what: string, min: number, max: number) =>
  z
    .number({ message: `${what} must be a number (pence)` })
    .finite()
    .min(min, `${what} must be at least ${min}`)
    .max(max, `${what} above ${max} is not plausible`);

const dayList = z
  .array(z.string())
  .min(1, 'name at least one day: mon…sun, holiday, weekday, weekend or all')
  .transform((list, ctx) => {
    const out = new Set<DayKey>();
    for (const raw of list) {
      const k = raw.trim().toLowerCase();
      const keys = (DAY_KEYS as readonly string[]).includes(k) ? [k as DayKey] : DAY_ALIASES[k];
      if (!keys) {
        ctx.addIssue({
          code: 'custom',
          message: `unknown day "${raw}": use mon, tue, wed, thu, fri, sat, sun, holiday, weekday, weekend or all`,
        });
        return z.NEVER;
      }
      for (const key of keys) out.add(key);
    }
    return DAY_KEYS.filter((d) => out.has(d));
  });

/** One time-of-use window and its price. Omitted from/to = the whole day; omitted days = every day. */
export const rateSchema = z
  .object({
    name: z.string().trim().min(1).max(60).optional(),
    pencePerKwh: pence('pencePerKwh', -1000, 1000),
    from: clock.optional(),
    to: clock.optional(),
    days: dayList.optional(),
  })
  .strict();

const halfHourPrice = z
  .object({
    start: z
      .string()
      .refine(
        (s) => !Number.isNaN(Date.parse(s)) && /[T ]\d{2}:\d{2}/.test(s),
        'expected an ISO 8601 date-time, e.g. 2025-01-01T00:00:00Z',
      ),
    pencePerKwh: pence('pencePerKwh', -1000, 1000),
  })
  .strict();

const cclStep = z.object({ from: isoDate, pencePerKwh: pence('CCL', 0, 100) }).strict();

/** GSP group letters (`A`…`P`, `_A`) or distributor ids 10–23, normalised to distributor ids. */
export const GSP_TO_DISTRIBUTOR: Record<string, number> = {
  A: 10,
  B: 11,
  C: 12,
  D: 13,
  E: 14,
  F: 15,
  G: 16,
  P: 17,
  N: 18,
  J: 19,
  H: 20,
  K: 21,
  L: 22,
  M: 23,
};
const region = z.union([z.number(), z.string()]).transform((r, ctx) => {
  const s = String(r).trim().toUpperCase().replace(/^_/, '');
  const id = /^\d+$/.test(s) ? Number(s) : GSP_TO_DISTRIBUTOR[s];
  if (id === undefined || id < 10 || id > 23) {
    ctx.addIssue({
      code: 'custom',
      message: `unknown region "${String(r)}": use a distributor id 10–23 (the MPAN's first two digits) or a GSP group letter A–P`,
    });
    return z.NEVER;
  }
  return id;
});

export const tariffIdSchema = z
  .string({ message: 'every tariff needs an id, e.g. "acme-e7-2025"' })
  .trim()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/,
    'a tariff id is 1–64 letters, digits, dots, dashes or underscores, e.g. acme-e7-2025',
  );

/** One tariff as written in a tariff file or sent by the Settings form. */
export const tariffSpecSchema = z
  .object({
    id: tariffIdSchema,
    name: z.string({ message: 'a tariff needs a name' }).trim().min(1, 'a tariff needs a name').max(120),
    supplier: z.string({ message: 'name the supplier' }).trim().min(1, 'name the supplier').max(120),
    fuel: z.enum(['electricity', 'gas'], { message: 'fuel is electricity or gas' }),
    validFrom: isoDate,
    validTo: isoDate.nullable().optional(),
    standingChargePencePerDay: pence('standingChargePencePerDay', 0, 1_000_000),
    vatRate: z.union([z.literal(0.05), z.literal(0.2), z.literal(0)], {
      message: 'vatRate is 0.05 (5 %), 0.2 (20 %) or 0',
    }),
    cclPencePerKwh: z
      .union([pence('cclPencePerKwh', 0, 100), z.literal('statutory'), z.array(cclStep).min(1)])
      .optional(),
    rates: z.array(rateSchema).max(48).optional(),
    halfHourlyPrices: z.array(halfHourPrice).nullable().optional(),
    duosRates: z.array(rateSchema).max(48).optional(),
    capacityPencePerKvaPerDay: pence('capacityPencePerKvaPerDay', 0, 100_000).optional(),
    regions: z.array(region).nullable().optional(),
    default: z.boolean().optional(),
    timeBasis: z.enum(['local', 'gmt']).optional(),
    notes: z.string().max(2000).nullable().optional(),
  })
  .strict()
  .superRefine((t, ctx) => {
    if (t.validTo && t.validTo <= t.validFrom)
      ctx.addIssue({
        code: 'custom',
        path: ['validTo'],
        message: `validTo (${t.validTo}, exclusive) must be after validFrom (${t.validFrom})`,
      });
    const dynamic = Array.isArray(t.halfHourlyPrices);
    if (!dynamic && (!t.rates || t.rates.length === 0))
      ctx.addIssue({
        code: 'custom',
        path: ['rates'],
        message: 'give at least one rate, or halfHourlyPrices for a dynamic tariff',
      });
    for (const [key, list] of [
      ['rates', t.rates],
      ['duosRates', t.duosRates],
    ] as const) {
      if (!list || list.length === 0) continue;
      for (const problem of bandProblems(list)) ctx.addIssue({ code: 'custom', path: [key], message: problem });
    }
    if (Array.isArray(t.cclPencePerKwh)) {
      const froms = t.cclPencePerKwh.map((s) => s.from);
      if (new Set(froms).size !== froms.length)
        ctx.addIssue({ code: 'custom', path: ['cclPencePerKwh'], message: 'two CCL rates start on the same date' });
    }
  });

export type TariffSpecInput = z.input<typeof tariffSpecSchema>;
export type TariffSpec = z.output<typeof tariffSpecSchema>;
export type RateSpec = z.output<typeof rateSchema>;

/** A tariff file: `{ "tariffs": [ … ] }` (a bare array or a single tariff object also accepted). */
export const tariffFileSchema = z
  .object({ tariffs: z.array(tariffSpecSchema).min(1, 'the file lists no tariffs').max(2000) })
  .strict();

/** A rate's window in minutes [from, to) with to > from possibly past 1440 (wrapping). */
function windowOf(r: RateSpec): [number, number] {
  const from = r.from === undefined ? 0 : parseClock(r.from)!;
  let to = r.to === undefined ? (r.from === undefined ? 1440 : from) : parseClock(r.to)!;
  if (to <= from) to += 1440;
  return [from, to];
}

export const rateDays = (r: RateSpec): readonly DayKey[] => r.days ?? DAY_KEYS;

/** Whether any rate names bank holidays: if none does, a bank holiday is priced as its weekday. */
export const pricesHolidays = (rates: readonly RateSpec[]): boolean =>
  rates.some((r) => rateDays(r).includes('holiday'));

/** The default display name of a rate (its window and days) when the file gives none. */
export function rateName(r: RateSpec, all: readonly RateSpec[], prefix = ''): string {
  if (r.name) return r.name;
  if (all.length === 1) return prefix ? `${prefix}unit rate` : 'Unit rate';
  const [from, to] = windowOf(r);
  const days = rateDays(r);
  const dayText =
    days.length === DAY_KEYS.length || (days.length === 7 && !days.includes('holiday') && !pricesHolidays(all))
      ? ''
      : ` ${days.join(',')}`;
  return `${prefix}${fmtClock(from)}–${fmtClock(to === 1440 ? 0 : to % 1440)}${dayText}`;
}

/** Gaps and overlaps in a list of rates, one message per problem (days with the same problem named together), or []. */
export function bandProblems(rates: readonly RateSpec[]): string[] {
  const days = pricesHolidays(rates) ? DAY_KEYS : DAY_KEYS.filter((d) => d !== 'holiday');
  const found = new Map<string, DayKey[]>(); // problem text with a {days} placeholder → days
  const note = (text: string, day: DayKey): void => {
    const list = found.get(text) ?? [];
    list.push(day);
    found.set(text, list);
  };
  for (const day of days) {
    const owner = new Int16Array(1440).fill(-1);
    let overlapAt: { a: number; b: number; start: number; end: number } | null = null;
    rates.forEach((r, i) => {
      if (!rateDays(r).includes(day)) return;
      const [from, to] = windowOf(r);
      for (let m = from; m < to; m++) {
        const mm = m % 1440;
        if (owner[mm] !== -1 && owner[mm] !== i) {
          if (!overlapAt) overlapAt = { a: owner[mm]!, b: i, start: mm, end: mm + 1 };
          else if (overlapAt.a === owner[mm] && overlapAt.b === i && overlapAt.end === mm) overlapAt.end = mm + 1;
        } else owner[mm] = i;
      }
    });
    if (overlapAt) {
      const o = overlapAt as { a: number; b: number; start: number; end: number };
      note(
        `rates ${o.a + 1} and ${o.b + 1} overlap {days} from ${fmtClock(o.start)} to ${fmtClock(o.end)}: each half-hour must belong to exactly one rate`,
        day,
      );
    }
    const gaps: string[] = [];
    for (let m = 0; m < 1440; m++) {
      if (owner[m] !== -1) continue;
      let e = m;
      while (e < 1440 && owner[e] === -1) e++;
      gaps.push(`${fmtClock(m)}–${fmtClock(e)}`);
      m = e;
    }
    if (gaps.length > 0) note(`no rate covers ${gaps.join(', ')} {days}: the rates must cover the whole day`, day);
  }
  return [...found.entries()]
    .slice(0, 10)
    .map(([text, list]) =>
      text.replace(
        '{days}',
        list.length === days.length && list.length >= 7
          ? 'on every day'
          : `on ${list.map((d) => DAY_LABELS[d].plural).join(', ')}`,
      ),
    );
}

/**
 * Rates compiled for pricing: `table[dayType * 48 + slot]` is the index of the rate that prices a
 * half-hour starting at wall-clock slot `slot` (0 = 00:00 … 47 = 23:30) on day type 0–6 (Monday–
 * Sunday) or 7 (bank holiday; a copy of the weekday's row when the tariff does not name holidays).
 */
export interface CompiledRates {
  names: string[];
  pence: number[];
  /** Row 7 is only meaningful when `holidays` is true. */
  table: Int16Array;
  holidays: boolean;
}

export function compileRates(rates: readonly RateSpec[], prefix = ''): CompiledRates {
  const table = new Int16Array(8 * 48).fill(-1);
  rates.forEach((r, i) => {
    const [from, to] = windowOf(r);
    for (const day of rateDays(r)) {
      const row = DAY_KEYS.indexOf(day);
      for (let slot = 0; slot < 48; slot++) {
        const start = slot * 30;
        if ((start >= from && start < to) || (start + 1440 >= from && start + 1440 < to)) table[row * 48 + slot] = i;
      }
    }
  });
  return {
    names: rates.map((r) => rateName(r, rates, prefix)),
    pence: rates.map((r) => r.pencePerKwh),
    table,
    holidays: pricesHolidays(rates),
  };
}
