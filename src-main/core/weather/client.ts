/**
 * Client for Open-Meteo's historical weather API (`/v1/archive`): daily mean 2 m temperatures for a
 * location, as UK local days. Ranges longer than MAX_WINDOW_DAYS are split into windows; requests
 * time out, transient failures (network, 5xx, 429) are retried with backoff, a used-up daily quota
 * is not retried, and the API's `{"error":true,"reason":…}` becomes a message a person can act on.
 * A key (Open-Meteo's commercial `customer-` hosts) is sent as `apikey`.
 */
import { AppError } from '../../../src-shared/contract/errors';
import { dayFromDate, isoDay } from '../../../src-shared/domain/periods';

export const DEFAULT_OPEN_METEO_API = 'https://archive-api.open-meteo.com';
/** Most days asked for in one request. */
export const MAX_WINDOW_DAYS = 366;

export interface DailyMean {
  /** `YYYY-MM-DD`, a UK local day. */
  date: string;
  /** Mean temperature in °C, or null where Open-Meteo has none (yet). */
  meanC: number | null;
}

export interface OpenMeteoClientOptions {
  baseUrl?: string;
  /** Open-Meteo customer API key, sent as `apikey`; null for the free API. */
  apiKey?: string | null;
  fetch?: typeof fetch;
  timeoutMs?: number;
  retries?: number;
  /** Waits between retries (injected so tests do not sleep). */
  sleep?: (ms: number) => Promise<void>;
}

type Json = Record<string, unknown>;

/** The day of a `YYYY-MM-DD` date, or null when it is not a real calendar date. */
export function parseIsoDay(s: unknown): number | null {
  const m = typeof s === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(s) : null;
  if (!m) return null;
  const day = dayFromDate(+m[1]!, +m[2]!, +m[3]!);
  return isoDay(day) === s ? day : null;
}

/** Quota refusals that retrying within seconds cannot lift (Open-Meteo also has a per-minute one). */
const LONG_LIMIT = /\b(hourly|daily|monthly|yearly) API request limit/i;

const unreadable = (what: string): AppError =>
  new AppError('UNAVAILABLE', `Open-Meteo sent a response it could not read: ${what}`);

export class OpenMeteoClient {
  private readonly base: string;
  private readonly apiKey: string | null;
  private readonly f: typeof fetch;
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(opts: OpenMeteoClientOptions = {}) {
    this.base = (opts.baseUrl || DEFAULT_OPEN_METEO_API).replace(/\/+$/, '');
    this.apiKey = opts.apiKey?.trim() || null;
    this.f = opts.fetch ?? fetch;
    this.timeoutMs = opts.timeoutMs ?? 20_000;
    // three attempts: a hung server is given up on within about a minute, not a minute and a half
    this.retries = opts.retries ?? 2;
    this.sleep = opts.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  /**
   * Daily mean temperatures at (lat, lon) for the UK days `fromIso` to `toIsoInclusive`, in date
   * order, one request per window of at most MAX_WINDOW_DAYS days.
   */
  async daily(lat: number, lon: number, fromIso: string, toIsoInclusive: string): Promise<DailyMean[]> {
    if (!Number.isFinite(lat) || lat < -90 || lat > 90)
      throw new AppError('INVALID_ARGS', `Latitude ${lat} is not between -90 and 90`);
    if (!Number.isFinite(lon) || lon < -180 || lon > 180)
      throw new AppError('INVALID_ARGS', `Longitude ${lon} is not between -180 and 180`);
    const from = parseIsoDay(fromIso);
    const to = parseIsoDay(toIsoInclusive);
    if (from === null) throw new AppError('INVALID_ARGS', `"${fromIso}" is not a date YYYY-MM-DD`);
    if (to === null) throw new AppError('INVALID_ARGS', `"${toIsoInclusive}" is not a date YYYY-MM-DD`);
    if (to < from)
      throw new AppError('INVALID_ARGS', `The range ends (${toIsoInclusive}) before it starts (${fromIso})`);
    const out: DailyMean[] = [];
    for (let a = from; a <= to; a += MAX_WINDOW_DAYS) {
      const b = Math.min(to, a + MAX_WINDOW_DAYS - 1);
      const query =
        `latitude=${lat}&longitude=${lon}&start_date=${isoDay(a)}&end_date=${isoDay(b)}` +
        `&daily=temperature_2m_mean&timezone=Europe%2FLondon` +
        (this.apiKey ? `&apikey=${encodeURIComponent(this.apiKey)}` : '');
      for (const p of readDaily(await this.get(`/v1/archive?${query}`))) {
        const day = parseIsoDay(p.date)!;
        if (day >= a && day <= b) out.push(p);
      }
    }
    return out;
  }

  /** GETs a path, with timeout and retries; returns the parsed body or throws AppError. */
  async get(path: string): Promise<Json> {
    let lastError = '';
    for (let attempt = 0; attempt <= this.retries; attempt++) {
      if (attempt > 0) await this.sleep(1000 * 2 ** (attempt - 1));
      let res: Response;
      let text: string;
      try {
        res = await this.f(`${this.base}${path}`, {
          headers: { accept: 'application/json' },
          signal: AbortSignal.timeout(this.timeoutMs),
        });
        text = await res.text();
      } catch (e) {
        const err = e as Error;
        lastError =
          err.name === 'TimeoutError' || err.name === 'AbortError'
            ? `no answer within ${this.timeoutMs / 1000} s`
            : `could not connect (${(err.cause as Error | undefined)?.message ?? err.message})`;
        continue;
      }
      let body: unknown = null;
      try {
        body = text ? JSON.parse(text) : null;
      } catch {
        body = null;
      }
      const obj = body && typeof body === 'object' && !Array.isArray(body) ? (body as Json) : null;
      const reason = obj && obj.error === true && typeof obj.reason === 'string' ? obj.reason : null;
      if (res.ok && !reason) {
        if (!obj) throw unreadable(`expected JSON, found "${text.slice(0, 60)}"`);
        return obj;
      }
      const message = reason ?? `HTTP ${res.status}${text ? `: ${text.slice(0, 120)}` : ''}`;
      if (res.status === 429 && reason && LONG_LIMIT.test(reason))
        throw new AppError(
          'UNAVAILABLE',
          `Open-Meteo's request limit is used up: ${reason} Try again later, or set an Open-Meteo API key in Settings for a higher limit.`,
        );
      if (res.status >= 500 || res.status === 429) {
        lastError = `the service had a problem (${message})`;
        continue;
      }
      throw new AppError('BAD_INPUT', `Open-Meteo refused the request: ${message}`);
    }
    throw new AppError(
      'UNAVAILABLE',
      `Open-Meteo is unavailable: ${lastError} (after ${this.retries === 0 ? '1 attempt' : `${this.retries + 1} attempts`}). Stored temperatures are used meanwhile.`,
    );
  }
}

/** Reads `daily.time[]` and `daily.temperature_2m_mean[]` (equal lengths, ISO dates, numbers or null). */
function readDaily(body: Json): DailyMean[] {
  const daily = body.daily as Json | undefined;
  if (!daily || typeof daily !== 'object') throw unreadable('it has no "daily" values');
  const { time, temperature_2m_mean: mean } = daily;
  if (!Array.isArray(time) || !Array.isArray(mean))
    throw unreadable('"daily" lacks the "time" or "temperature_2m_mean" list');
  if (time.length !== mean.length) throw unreadable(`${time.length} dates but ${mean.length} temperatures in "daily"`);
  return time.map((date, i) => {
    if (parseIsoDay(date) === null) throw unreadable(`daily.time[${i}] is "${String(date).slice(0, 40)}", not a date`);
    const v = mean[i];
    if (v !== null && (typeof v !== 'number' || !Number.isFinite(v)))
      throw unreadable(`daily.temperature_2m_mean[${i}] is ${JSON.stringify(v)?.slice(0, 40)}, not a number`);
    return { date: date as string, meanC: v as number | null };
  });
}
