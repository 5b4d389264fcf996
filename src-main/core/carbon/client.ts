/**
 * Client for the GB Carbon Intensity API (NESO): national and regional intensity by UTC half-hour.
 * Ranges longer than the API allows (14 days for /intensity/{from}/{to}) are split into windows;
 * requests time out, transient failures (network, 5xx, 429) are retried with backoff, and the
 * API's error body (`{"error":{"code","message"}}`) becomes a message a person can act on.
 */
import { AppError } from '../../../src-shared/contract/errors';

export const DEFAULT_CARBON_API = 'https://api.carbonintensity.org.uk';
export const MAX_RANGE_DAYS = 14;

export interface NationalPoint {
  ts: number;
  forecast: number | null;
  actual: number | null;
  index: string | null;
}

export interface RegionalPoint {
  regionId: number;
  ts: number;
  forecast: number | null;
  index: string | null;
}

export interface CarbonClientOptions {
  baseUrl?: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
  retries?: number;
  /** Waits between retries (injected so tests do not sleep). */
  sleep?: (ms: number) => Promise<void>;
}

type Json = Record<string, unknown>;

/** `2025-01-01T00:30Z`: the API's time format (UTC, minutes). */
export const apiTime = (utc: number): string => new Date(utc * 1000).toISOString().slice(0, 16) + 'Z';

const parseApiTime = (s: unknown): number => {
  const t = typeof s === 'string' ? Date.parse(s) : NaN;
  if (Number.isNaN(t))
    throw new AppError(
      'UNAVAILABLE',
      `The Carbon Intensity API sent a time it could not read: ${String(s).slice(0, 40)}`,
    );
  return t / 1000;
};

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

export class CarbonClient {
  private readonly base: string;
  private readonly f: typeof fetch;
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly sleep: (ms: number) => Promise<void>;

  /** The same client with another number of retries (and, optionally, another timeout). */
  withRetries(retries: number, timeoutMs = this.timeoutMs): CarbonClient {
    return new CarbonClient({
      baseUrl: this.base,
      fetch: this.f,
      timeoutMs,
      retries,
      sleep: this.sleep,
    });
  }

  constructor(opts: CarbonClientOptions = {}) {
    this.base = (opts.baseUrl ?? DEFAULT_CARBON_API).replace(/\/+$/, '');
    this.f = opts.fetch ?? fetch;
    this.timeoutMs = opts.timeoutMs ?? 15_000;
    this.retries = opts.retries ?? 3;
    this.sleep = opts.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  /** GETs a path, with timeout and retries; returns the parsed body or throws AppError. */
  async get(path: string): Promise<Json> {
    let lastError = '';
    for (let attempt = 0; attempt <= this.retries; attempt++) {
      if (attempt > 0) await this.sleep(1000 * 2 ** (attempt - 1));
      let res: Response;
      try {
        res = await this.f(`${this.base}${path}`, {
          headers: { accept: 'application/json' },
          signal: AbortSignal.timeout(this.timeoutMs),
        });
      } catch (e) {
        const err = e as Error;
        lastError =
          err.name === 'TimeoutError'
            ? `no answer within ${this.timeoutMs / 1000} s`
            : `could not connect (${err.message})`;
        continue;
      }
      const text = await res.text();
      let body: unknown = null;
      try {
        body = text ? JSON.parse(text) : null;
      } catch {
        body = null;
      }
      const apiError = body && typeof body === 'object' && 'error' in body ? ((body as Json).error as Json) : null;
      if (res.ok && body && typeof body === 'object' && !apiError) return body as Json;
      const message =
        apiError && typeof apiError.message === 'string'
          ? apiError.message
          : `HTTP ${res.status}${text ? `: ${text.slice(0, 120)}` : ''}`;
      if (res.status >= 500 || res.status === 429) {
        lastError = `the service had a problem (${message})`;
        continue;
      }
      throw new AppError('BAD_INPUT', `The Carbon Intensity API refused the request: ${message}`);
    }
    throw new AppError(
      'UNAVAILABLE',
      `The Carbon Intensity API is unavailable: ${lastError} (after ${this.retries + 1} attempt${this.retries === 0 ? '' : 's'}). Stored values are shown meanwhile.`,
    );
  }

  private national(body: Json): NationalPoint[] {
    const data = Array.isArray(body.data) ? (body.data as Json[]) : [];
    return data.map((d) => {
      const i = (d.intensity ?? {}) as Json;
      return {
        ts: parseApiTime(d.from),
        forecast: num(i.forecast),
        actual: num(i.actual),
        index: typeof i.index === 'string' ? i.index : null,
      };
    });
  }

  /** The current half-hour. */
  async current(): Promise<NationalPoint[]> {
    return this.national(await this.get('/intensity'));
  }

  /** [from, to) in UTC seconds, split into windows the API accepts. */
  async nationalRange(from: number, to: number): Promise<NationalPoint[]> {
    const out: NationalPoint[] = [];
    for (let a = from; a < to; a += MAX_RANGE_DAYS * 86400) {
      const b = Math.min(to, a + MAX_RANGE_DAYS * 86400);
      out.push(...this.national(await this.get(`/intensity/${apiTime(a)}/${apiTime(b)}`)));
    }
    return out.filter((p) => p.ts >= from && p.ts < to);
  }

  /** The 48-hour forecast from `from`. */
  async forecast48h(from: number): Promise<NationalPoint[]> {
    return this.national(await this.get(`/intensity/${apiTime(from)}/fw48h`));
  }

  /** Regional forecasts for every region, [from, to) in windows. */
  async regionalRange(from: number, to: number): Promise<RegionalPoint[]> {
    const out: RegionalPoint[] = [];
    for (let a = from; a < to; a += MAX_RANGE_DAYS * 86400) {
      const b = Math.min(to, a + MAX_RANGE_DAYS * 86400);
      const body = await this.get(`/regional/intensity/${apiTime(a)}/${apiTime(b)}`);
      for (const period of (Array.isArray(body.data) ? body.data : []) as Json[]) {
        const ts = parseApiTime(period.from);
        for (const r of (Array.isArray(period.regions) ? period.regions : []) as Json[]) {
          const i = (r.intensity ?? {}) as Json;
          if (typeof r.regionid === 'number')
            out.push({
              regionId: r.regionid,
              ts,
              forecast: num(i.forecast),
              index: typeof i.index === 'string' ? i.index : null,
            });
        }
      }
    }
    return out.filter((p) => p.ts >= from && p.ts < to);
  }

  /** One region's forecasts (region id 1–17), [from, to) in windows. */
  async regionRange(regionId: number, from: number, to: number): Promise<RegionalPoint[]> {
    const out: RegionalPoint[] = [];
    for (let a = from; a < to; a += MAX_RANGE_DAYS * 86400) {
      const b = Math.min(to, a + MAX_RANGE_DAYS * 86400);
      out.push(
        ...this.nested(
          await this.get(`/regional/intensity/${apiTime(a)}/${apiTime(b)}/regionid/${regionId}`),
          regionId,
        ),
      );
    }
    return out.filter((p) => p.ts >= from && p.ts < to);
  }

  /**
   * The region of an outward postcode (`RG41`) and its forecasts for [from, to): the API answers in
   * the region-id shape (`data[0].regionid`, `data[0].data[]`).
   */
  async postcodeRange(outward: string, from: number, to: number): Promise<RegionalPoint[]> {
    const pc = outward.trim().toUpperCase();
    if (!/^[A-Z]{1,2}\d[A-Z\d]?$/.test(pc))
      throw new AppError('INVALID_ARGS', `"${outward}" is not an outward postcode (the first half, e.g. RG41)`);
    const out: RegionalPoint[] = [];
    for (let a = from; a < to; a += MAX_RANGE_DAYS * 86400) {
      const b = Math.min(to, a + MAX_RANGE_DAYS * 86400);
      out.push(...this.nested(await this.get(`/regional/intensity/${apiTime(a)}/${apiTime(b)}/postcode/${pc}`), null));
    }
    return out.filter((p) => p.ts >= from && p.ts < to);
  }

  /** Today's national half-hours (`/intensity/date`), or a given UTC date's (`YYYY-MM-DD`). */
  async date(day?: string): Promise<NationalPoint[]> {
    if (day !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(day))
      throw new AppError('INVALID_ARGS', `"${day}" is not a date YYYY-MM-DD`);
    return this.national(await this.get(day ? `/intensity/date/${day}` : '/intensity/date'));
  }

  /** Reads the region-id/postcode shape: `{ data: [{ regionid, data: [{ from, intensity }] }] }`. */
  private nested(body: Json, regionId: number | null): RegionalPoint[] {
    const region = (Array.isArray(body.data) ? (body.data as Json[])[0] : body.data) as Json | undefined;
    const id = regionId ?? (typeof region?.regionid === 'number' ? region.regionid : null);
    if (id === null)
      throw new AppError('UNAVAILABLE', 'The Carbon Intensity API did not say which region that postcode is in');
    return ((region && Array.isArray(region.data) ? region.data : []) as Json[]).map((d) => {
      const i = (d.intensity ?? {}) as Json;
      return {
        regionId: id,
        ts: parseApiTime(d.from),
        forecast: num(i.forecast),
        index: typeof i.index === 'string' ? i.index : null,
      };
    });
  }
}
