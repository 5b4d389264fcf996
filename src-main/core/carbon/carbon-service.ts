/**
 * Grid carbon: fetches national and regional intensity into SQLite, answers from what is stored
 * (offline, values carry their age), polls every 30 minutes, and computes a meter's emissions
 * half-hour by half-hour (kWh × that half-hour's intensity: national actual, else forecast, or the
 * region's forecast) or with the annual UK Government factor for the period's year.
 */
import type Database from 'better-sqlite3';
import type { CarbonNow, EmissionFactor, Emissions, Fuel } from '../../../src-shared/contract/types';
import { AppError } from '../../../src-shared/contract/errors';
import { isoUtc } from '../../../src-shared/domain/london-time';
import { dateOfDay, dayStartUtc, localDayOf } from '../../../src-shared/domain/periods';
import type { Clock } from '../clock';
import type { Logger } from '../events';
import { ESTIMATED, KbnSum } from '../readings/codec';
import type { DayVectors, ReadingsStore } from '../readings/store';
import { CarbonClient, type NationalPoint, type RegionalPoint } from './client';

export const POLL_MINUTES = 30;

/** How the latest request to the Carbon Intensity API went: when (UTC seconds), and its error if it did not answer. */
export interface CarbonAttempt {
  at: number;
  ok: boolean;
  error: string | null;
}

export class CarbonService {
  client: CarbonClient;
  private timer: NodeJS.Timeout | null = null;
  /** Set by stopPolling(): a poll still waiting on the API stores nothing and is not repeated. */
  private pollStopped = false;
  private factorStmt: Database.Statement | null = null;
  private last: CarbonAttempt | null = null;

  constructor(
    private readonly sqlite: Database.Database,
    private readonly readings: ReadingsStore,
    private readonly clock: Clock,
    private readonly log: Logger,
    opts: { baseUrl?: string; fetch?: typeof fetch },
  ) {
    this.fetchImpl = opts.fetch;
    this.client = new CarbonClient({ baseUrl: opts.baseUrl, fetch: opts.fetch });
  }

  private readonly fetchImpl: typeof fetch | undefined;

  /** Points the client at another API base URL (Settings). */
  useBaseUrl(baseUrl: string): void {
    this.client = new CarbonClient({ baseUrl, fetch: this.fetchImpl });
  }

  private now(): number {
    return Math.floor(this.clock.now() / 1000);
  }

  /** The latest fetch, poll or probe's outcome (null before the first since the core started). */
  lastAttempt(): CarbonAttempt | null {
    return this.last;
  }

  /**
   * Runs requests to the API, recording the outcome: unavailable (no answer, 5xx, timeouts) is a failure; an
   * answer, even a refusal, shows the API is there; arguments refused before asking record nothing.
   */
  private async tracked<T>(work: () => Promise<T>): Promise<T> {
    try {
      const r = await work();
      this.last = { at: this.now(), ok: true, error: null };
      return r;
    } catch (e) {
      const code = e instanceof AppError ? e.code : null;
      if (code !== 'INVALID_ARGS')
        this.last = { at: this.now(), ok: code !== 'UNAVAILABLE' && code !== null, error: (e as Error).message };
      throw e;
    }
  }

  /** Asks the API for the current half-hour once, with a short timeout, storing nothing (the health check). */
  async probe(): Promise<CarbonAttempt> {
    await this.tracked(() => this.client.withRetries(0, 5000).current()).catch(() => undefined);
    return this.last!;
  }

  storeNational(points: NationalPoint[]): number {
    const put = this.sqlite.prepare(
      `INSERT INTO carbon_national (ts, forecast, actual, "index", fetched_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (ts) DO UPDATE SET forecast = coalesce(excluded.forecast, forecast), actual = coalesce(excluded.actual, actual), "index" = coalesce(excluded."index", "index"), fetched_at = excluded.fetched_at`,
    );
    const now = this.now();
    this.sqlite.transaction(() => points.forEach((p) => put.run(p.ts, p.forecast, p.actual, p.index, now)))();
    return points.length;
  }

  storeRegional(points: RegionalPoint[]): number {
    const put = this.sqlite.prepare(
      `INSERT INTO carbon_regional (region_id, ts, forecast, "index", fetched_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (region_id, ts) DO UPDATE SET forecast = excluded.forecast, "index" = excluded."index", fetched_at = excluded.fetched_at`,
    );
    const now = this.now();
    this.sqlite.transaction(() => points.forEach((p) => put.run(p.regionId, p.ts, p.forecast, p.index, now)))();
    return points.length;
  }

  /** Fetches national (and, with a region, that region's) intensity for [from, to) and stores it. */
  async fetch(from: number, to: number, regionId?: number): Promise<{ national: number; regional: number }> {
    if (to <= from) throw new AppError('INVALID_ARGS', '"to" must be after "from"');
    if (regionId !== undefined && (regionId < 1 || regionId > 18))
      throw new AppError('INVALID_ARGS', 'Region ids run from 1 to 17 (18 is GB)');
    return this.tracked(async () => {
      const national = this.storeNational(await this.client.nationalRange(from, to));
      const regional =
        regionId !== undefined ? this.storeRegional(await this.client.regionRange(regionId, from, to)) : 0;
      return { national, regional };
    });
  }

  /**
   * The poll: national values for the last 24 hours (actuals get filled in) and the next 48
   * (forecast), and the same span for every region a site is in. A refresh a person is waiting
   * for (`quick`) tries twice rather than four times, so offline answers fast.
   */
  async refresh(
    opts: { quick?: boolean; regions?: number[]; poll?: boolean } = {},
  ): Promise<{ national: number; regional: number }> {
    const now = this.now();
    const half = now - (now % 1800);
    const client = opts.quick ? this.client.withRetries(1) : this.client;
    /** The poll's answers arriving after polling stopped are dropped. */
    const wanted = (): boolean => !(opts.poll && this.pollStopped);
    return this.tracked(async () => {
      const past = await client.nationalRange(half - 86400, half + 1800);
      const ahead = await client.forecast48h(half);
      if (!wanted()) return { national: 0, regional: 0 };
      const national = this.storeNational([...past, ...ahead]);
      let regional = 0;
      for (const r of opts.regions ?? []) {
        const points = await client.regionRange(r, half - 86400, half + 48 * 3600);
        if (!wanted()) break;
        regional += this.storeRegional(points);
      }
      return { national, regional };
    });
  }

  /** Fetches and stores the forecasts of an outward postcode's region; returns the region too. */
  async fetchPostcode(
    outward: string,
    from: number,
    to: number,
  ): Promise<{ national: number; regional: number; regionId: number | null }> {
    const points = await this.tracked(() => this.client.postcodeRange(outward, from, to));
    return { national: 0, regional: this.storeRegional(points), regionId: points[0]?.regionId ?? null };
  }

  /** Backfills history for the span of a meter's data (what is missing only). */
  async backfill(meterId: number): Promise<{ national: number }> {
    const span = this.readings.spans([meterId]).get(meterId);
    if (!span) return { national: 0 };
    const have = this.sqlite
      .prepare('SELECT count(*) FROM carbon_national WHERE ts >= ? AND ts <= ?')
      .pluck()
      .get(span.first, span.last) as number;
    if (have >= (span.last - span.first) / 1800 + 1) return { national: 0 };
    return { national: (await this.fetch(span.first, span.last + 1800)).national };
  }

  /** Starts polling every 30 minutes (failures are logged; stored values keep being served). */
  startPolling(regions: () => number[] = () => []): void {
    this.pollStopped = false;
    const tick = async (): Promise<void> => {
      try {
        await this.refresh({ regions: regions(), poll: true });
      } catch (e) {
        if (!this.pollStopped) this.log.warn(`carbon intensity refresh failed: ${(e as Error).message}`);
      }
      if (this.pollStopped) return;
      this.timer = setTimeout(() => void tick(), POLL_MINUTES * 60 * 1000);
      this.timer.unref();
    };
    void tick();
  }

  /** Stops polling; a poll in flight is abandoned (it stores nothing: the database may be closing). */
  stopPolling(): void {
    this.pollStopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** The latest stored half-hour at or before now, with its age, trend and the next 48 hours. */
  current(): CarbonNow | null {
    const now = this.now();
    const row = this.sqlite
      .prepare(
        'SELECT ts, forecast, actual, "index" AS idx, fetched_at FROM carbon_national WHERE ts <= ? ORDER BY ts DESC LIMIT 1',
      )
      .get(now) as
      | { ts: number; forecast: number | null; actual: number | null; idx: string | null; fetched_at: number }
      | undefined;
    if (!row) return null;
    const value = row.actual ?? row.forecast;
    const next = this.sqlite
      .prepare('SELECT ts, forecast, "index" AS idx FROM carbon_national WHERE ts > ? AND ts <= ? ORDER BY ts')
      .all(row.ts, row.ts + 48 * 3600) as { ts: number; forecast: number | null; idx: string | null }[];
    const after = next[0]?.forecast ?? null;
    const trend =
      value === null || after === null ? null : after > value + 2 ? 'rising' : after < value - 2 ? 'falling' : 'steady';
    return {
      at: isoUtc(row.ts),
      intensity: value,
      index: row.idx,
      kind: row.actual !== null ? 'actual' : 'forecast',
      ageSeconds: Math.max(0, now - row.fetched_at),
      trend,
      next48h: next.map((n) => ({ at: isoUtc(n.ts), forecast: n.forecast, index: n.idx })),
    };
  }

  /**
   * A meter's emissions over local days [fromDay, toDay). Half-hourly: each half-hour's kWh times
   * its intensity (national actual, else forecast; or the region's forecast). Annual: kWh times the
   * UK Government factor of the year each day falls in, as factorOf picks it (gas always uses the annual factors).
   */
  emissions(
    meterId: number,
    fuel: Fuel,
    fromDay: number,
    toDay: number,
    method: 'halfhourly' | 'annual',
    regionId?: number,
  ): Emissions {
    const d = this.readings.readDays(meterId, fromDay, toDay);
    if (method === 'halfhourly' && fuel === 'electricity')
      return halfHourlyEmissions(d, this.intensities(fromDay, toDay, regionId), fromDay);
    return this.annualEmissions(d, fuel);
  }

  /**
   * Stored intensity (gCO2/kWh) of every half-hour of local days [fromDay, toDay), indexed from the
   * first day's start: national actual, else forecast; or a region's forecast. NaN where none is stored.
   */
  intensities(fromDay: number, toDay: number, regionId?: number): Float64Array {
    const fromTs = dayStartUtc(fromDay);
    const intensity = new Float64Array((dayStartUtc(toDay) - fromTs) / 1800).fill(NaN);
    const points = (
      regionId === undefined
        ? this.sqlite
            .prepare('SELECT ts, coalesce(actual, forecast) FROM carbon_national WHERE ts >= ? AND ts < ?')
            .raw()
            .all(fromTs, dayStartUtc(toDay))
        : this.sqlite
            .prepare('SELECT ts, forecast FROM carbon_regional WHERE region_id = ? AND ts >= ? AND ts < ?')
            .raw()
            .all(regionId, fromTs, dayStartUtc(toDay))
    ) as [number, number | null][];
    for (const [ts, g] of points) if (g !== null && ts % 1800 === 0) intensity[(ts - fromTs) / 1800] = g;
    return intensity;
  }

  /** Emissions of a meter's days by the annual factors, per calendar year of each local day. */
  annualEmissions(d: Pick<DayVectors, 'days' | 'offsets' | 'values' | 'quality'>, fuel: Fuel): Emissions {
    const years = new Map<number, { kwh: KbnSum; n: number }>();
    for (let i = 0; i < d.days.length; i++) {
      const year = dateOfDay(d.days[i]!).y;
      let y = years.get(year);
      if (!y) years.set(year, (y = { kwh: new KbnSum(), n: 0 }));
      for (let k = d.offsets[i]!; k < d.offsets[i + 1]!; k++) {
        if (d.quality[k]! > ESTIMATED) continue;
        y.kwh.add(d.values[k]!);
        y.n++;
      }
    }
    let kwh = 0;
    let kg = 0;
    let n = 0;
    let covered = 0;
    for (const [year, y] of years) {
      const f = this.factorFor(fuel, year);
      kwh += y.kwh.value;
      n += y.n;
      if (f !== undefined) {
        kg += y.kwh.value * f;
        covered += y.n;
      }
    }
    return {
      kwh: round(kwh),
      kgco2: round(kg),
      method: 'annual',
      coverage: n ? Math.round((covered / n) * 10000) / 10000 : 0,
    };
  }

  /**
   * The stored annual factor that applies to a fuel's year: that year's, else the latest one before it, else
   * (a year before the table starts, such as 2018 data against a table from 2019) the earliest one after it;
   * undefined only when the fuel has no factor at all. Every use of the annual method goes through here.
   */
  factorOf(fuel: Fuel, year: number): EmissionFactor | undefined {
    return (this.factorStmt ??= this.sqlite.prepare(
      `SELECT year, fuel, kg_per_kwh AS kgPerKwh, source FROM emission_factors WHERE fuel = ?
       ORDER BY year > ?, abs(year - ?) LIMIT 1`,
    )).get(fuel, year, year) as EmissionFactor | undefined;
  }

  /** The annual factor's value (kgCO2e/kWh) for a fuel's year, chosen as factorOf chooses it. */
  factorFor(fuel: Fuel, year: number): number | undefined {
    return this.factorOf(fuel, year)?.kgPerKwh;
  }

  factors(): EmissionFactor[] {
    return this.sqlite
      .prepare('SELECT year, fuel, kg_per_kwh AS kgPerKwh, source FROM emission_factors ORDER BY year DESC, fuel')
      .all() as EmissionFactor[];
  }

  setFactor(year: number, fuel: Fuel, kgPerKwh: number, source?: string): EmissionFactor[] {
    this.sqlite
      .prepare(
        'INSERT INTO emission_factors (year, fuel, kg_per_kwh, source) VALUES (?, ?, ?, ?) ON CONFLICT (year, fuel) DO UPDATE SET kg_per_kwh = excluded.kg_per_kwh, source = excluded.source',
      )
      .run(year, fuel, kgPerKwh, source || 'set by the user');
    return this.factors();
  }

  /** History for the last `days` days: points, the average, and the average by local time of day. */
  history(days: number): {
    points: { at: string; intensity: number | null }[];
    average: number | null;
    byTimeOfDay: { time: string; average: number }[];
  } {
    const to = this.now();
    const from = dayStartUtc(localDayOf(to) - days);
    const rows = this.sqlite
      .prepare('SELECT ts, coalesce(actual, forecast) AS v FROM carbon_national WHERE ts >= ? AND ts <= ? ORDER BY ts')
      .all(from, to) as { ts: number; v: number | null }[];
    const vals = rows.filter((r) => r.v !== null).map((r) => r.v!);
    const byTime = new Map<string, number[]>();
    const fmt = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/London',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    for (const r of rows) {
      if (r.v === null) continue;
      const k = fmt.format(new Date(r.ts * 1000));
      byTime.set(k, [...(byTime.get(k) ?? []), r.v]);
    }
    return {
      points: rows.map((r) => ({ at: isoUtc(r.ts), intensity: r.v })),
      average: vals.length ? Math.round((vals.reduce((s, v) => s + v, 0) / vals.length) * 10) / 10 : null,
      byTimeOfDay: [...byTime.entries()]
        .sort(([x], [y]) => x.localeCompare(y))
        .map(([time, v]) => ({ time, average: Math.round((v.reduce((s, x) => s + x, 0) / v.length) * 10) / 10 })),
    };
  }

  /** The lowest-carbon window of `hours` in the stored forecast from now. */
  bestWindow(hours: number): { from: string; to: string; average: number } | null {
    const now = this.now();
    const rows = this.sqlite
      .prepare('SELECT ts, forecast FROM carbon_national WHERE ts >= ? AND ts < ? ORDER BY ts')
      .all(now - (now % 1800), now + 48 * 3600) as { ts: number; forecast: number | null }[];
    const k = hours * 2;
    let best: { from: number; avg: number } | null = null;
    for (let i = 0; i + k <= rows.length; i++) {
      const win = rows.slice(i, i + k);
      if (win.some((w, j) => w.forecast === null || w.ts !== rows[i]!.ts + j * 1800)) continue;
      const avg = win.reduce((s, w) => s + w.forecast!, 0) / k;
      if (!best || avg < best.avg) best = { from: rows[i]!.ts, avg };
    }
    return best ? { from: isoUtc(best.from), to: isoUtc(best.from + k * 1800), average: Math.round(best.avg) } : null;
  }
}

const round = (v: number): number => Math.round(v * 1e6) / 1e6;

/**
 * Half-hourly emissions of a meter's days: each half-hour's kWh × its intensity (`intensity` indexed
 * by half-hour from the start of `fromDay`, as `intensities` gives it).
 */
export function halfHourlyEmissions(
  d: Pick<DayVectors, 'days' | 'offsets' | 'values' | 'quality'>,
  intensity: Float64Array,
  fromDay: number,
): Emissions {
  const fromTs = dayStartUtc(fromDay);
  const kwh = new KbnSum();
  const grams = new KbnSum();
  let n = 0;
  let covered = 0;
  for (let i = 0; i < d.days.length; i++) {
    const first = (dayStartUtc(d.days[i]!) - fromTs) / 1800 - d.offsets[i]!;
    for (let k = d.offsets[i]!; k < d.offsets[i + 1]!; k++) {
      if (d.quality[k]! > ESTIMATED) continue;
      const v = d.values[k]!;
      kwh.add(v);
      n++;
      const g = intensity[first + k]!;
      if (g === g) {
        grams.add(v * g);
        covered++;
      }
    }
  }
  return {
    kwh: round(kwh.value),
    kgco2: round(grams.value / 1000),
    method: 'halfhourly',
    coverage: n ? Math.round((covered / n) * 10000) / 10000 : 0,
  };
}
