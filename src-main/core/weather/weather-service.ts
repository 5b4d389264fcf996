/**
 * Daily weather per site, stored in `weather_days` for offline use: mean temperatures fetched from
 * Open-Meteo at the site's latitude and longitude, or mean temperatures / heating degree days from a
 * file the user imports. A day holds one source's values: the latest fetch or import of that day
 * replaces the row (an import in one transaction; a refused file changes nothing).
 */
import type Database from 'better-sqlite3';
import { AppError } from '../../../src-shared/contract/errors';
import { isoDay, localDayOf } from '../../../src-shared/domain/periods';
import type { Clock } from '../clock';
import type {
  WeatherCoverage,
  WeatherDay as WeatherListRow,
  WeatherFetchResult,
  WeatherImportResult,
} from '../../../src-shared/contract/types';
import { OpenMeteoClient, parseIsoDay } from './client';
import { parseWeatherCsv } from './csv';

/** The UK degree-day convention: heating degree days below 15.5 °C. */
export const DEFAULT_HDD_BASE = 15.5;
/** The longest range one fetch asks Open-Meteo for. */
export const MAX_FETCH_YEARS = 20;
export const OPEN_METEO_SOURCE = 'open-meteo';

export interface WeatherConfig {
  baseUrl: string;
  apiKey: string | null;
}

export interface WeatherDay {
  meanC: number | null;
  hdd: number | null;
  hddBase: number | null;
}

export class WeatherService {
  constructor(
    private readonly sqlite: Database.Database,
    private readonly clock: Clock,
    private readonly config: () => WeatherConfig,
    private readonly opts: { fetch?: typeof fetch; sleep?: (ms: number) => Promise<void> } = {},
  ) {}

  private site(siteId: number): { name: string; latitude: number | null; longitude: number | null } {
    const site = this.sqlite.prepare('SELECT name, latitude, longitude FROM sites WHERE id = ?').get(siteId) as
      { name: string; latitude: number | null; longitude: number | null } | undefined;
    if (!site) throw new AppError('NOT_FOUND', `No site ${siteId}`);
    return site;
  }

  private nowSeconds(): number {
    return Math.floor(this.clock.now() / 1000);
  }

  private upsert(): Database.Statement {
    return this.sqlite.prepare(
      `INSERT INTO weather_days (site_id, day, mean_c, hdd, hdd_base, source, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (site_id, day) DO UPDATE SET mean_c = excluded.mean_c, hdd = excluded.hdd, hdd_base = excluded.hdd_base,
         source = excluded.source, updated_at = excluded.updated_at`,
    );
  }

  /**
   * Imports a file of daily mean temperatures or heating degree days (at `hddBase` °C: the option,
   * else the base the header names, else 15.5) for a site, replacing the stored days it covers.
   */
  importCsv(siteId: number, text: string, fileName: string, opts: { hddBase?: number } = {}): WeatherImportResult {
    this.site(siteId);
    if (opts.hddBase !== undefined && (!Number.isFinite(opts.hddBase) || opts.hddBase < -20 || opts.hddBase > 40))
      throw new AppError('INVALID_ARGS', `A degree-day base of ${opts.hddBase} °C is not plausible (UK: 15.5)`);
    const file = parseWeatherCsv(text, fileName);
    const base = opts.hddBase ?? file.hddBase ?? DEFAULT_HDD_BASE;
    const source = `file:${fileName}`;
    const now = this.nowSeconds();
    const exists = this.sqlite.prepare('SELECT 1 FROM weather_days WHERE site_id = ? AND day = ?').pluck();
    const put = this.upsert();
    let replaced = 0;
    this.sqlite.transaction(() => {
      for (const r of file.rows) {
        if (exists.get(siteId, r.day)) replaced++;
        if (file.kind === 'temperature') put.run(siteId, r.day, r.value, null, null, source, now);
        else put.run(siteId, r.day, null, r.value, base, source, now);
      }
    })();
    return {
      siteId,
      kind: file.kind,
      days: file.rows.length,
      from: isoDay(file.rows[0]!.day),
      to: isoDay(file.rows[file.rows.length - 1]!.day),
      replaced,
    };
  }

  /**
   * Fetches the site's daily mean temperatures for local days [fromDay, toDay) from Open-Meteo and
   * stores them. The range is clipped to yesterday (UK); days Open-Meteo has no value for are
   * counted as missing and leave what is stored for them as it is.
   */
  async fetch(siteId: number, fromDay: number, toDay: number): Promise<WeatherFetchResult> {
    const site = this.site(siteId);
    if (!Number.isInteger(fromDay) || !Number.isInteger(toDay) || toDay <= fromDay)
      throw new AppError('INVALID_ARGS', 'The range must end after it starts');
    if (site.latitude === null || site.longitude === null)
      throw new AppError('BAD_INPUT', `Site "${site.name}" has no location: set its latitude and longitude`);
    const yesterday = localDayOf(this.nowSeconds()) - 1;
    const end = Math.min(toDay, yesterday + 1);
    if (end <= fromDay)
      throw new AppError(
        'INVALID_ARGS',
        `Open-Meteo has past days only: the range starts ${isoDay(fromDay)}, after yesterday (${isoDay(yesterday)})`,
      );
    if (end - fromDay > Math.round(MAX_FETCH_YEARS * 365.25))
      throw new AppError('INVALID_ARGS', `Fetch at most ${MAX_FETCH_YEARS} years of weather at a time`);
    const { baseUrl, apiKey } = this.config();
    const client = new OpenMeteoClient({ baseUrl, apiKey, fetch: this.opts.fetch, sleep: this.opts.sleep });
    const points = await client.daily(site.latitude, site.longitude, isoDay(fromDay), isoDay(end - 1));
    const now = this.nowSeconds();
    const put = this.upsert();
    const stored = new Set<number>();
    this.sqlite.transaction(() => {
      for (const p of points) {
        const day = parseIsoDay(p.date)!;
        if (p.meanC === null || stored.has(day)) continue;
        put.run(siteId, day, p.meanC, null, null, OPEN_METEO_SOURCE, now);
        stored.add(day);
      }
    })();
    return {
      siteId,
      days: stored.size,
      from: isoDay(fromDay),
      to: isoDay(end - 1),
      missing: end - fromDay - stored.size,
    };
  }

  /** The stored weather of a site's local days [fromDay, toDay), by day. */
  days(siteId: number, fromDay: number, toDay: number): Map<number, WeatherDay> {
    const rows = this.sqlite
      .prepare(
        'SELECT day, mean_c, hdd, hdd_base FROM weather_days WHERE site_id = ? AND day >= ? AND day < ? ORDER BY day',
      )
      .raw()
      .all(siteId, fromDay, toDay) as [number, number | null, number | null, number | null][];
    return new Map(rows.map(([day, meanC, hdd, hddBase]) => [day, { meanC, hdd, hddBase }]));
  }

  /** The first and last stored day of a site, how many days are stored and where they came from; null if none. */
  coverage(siteId: number): WeatherCoverage | null {
    const row = this.sqlite
      .prepare('SELECT min(day) AS first, max(day) AS last, count(*) AS days FROM weather_days WHERE site_id = ?')
      .get(siteId) as { first: number | null; last: number | null; days: number };
    if (row.first === null || row.last === null) return null;
    const sources = this.sqlite
      .prepare('SELECT DISTINCT source FROM weather_days WHERE site_id = ? ORDER BY source')
      .pluck()
      .all(siteId) as string[];
    return { first: isoDay(row.first), last: isoDay(row.last), days: row.days, sources };
  }

  /** The stored rows of a site's local days [fromDay, toDay), in day order, for the screens. */
  list(siteId: number, fromDay: number, toDay: number): WeatherListRow[] {
    const rows = this.sqlite
      .prepare(
        'SELECT day, mean_c, hdd, hdd_base, source FROM weather_days WHERE site_id = ? AND day >= ? AND day < ? ORDER BY day',
      )
      .raw()
      .all(siteId, fromDay, toDay) as [number, number | null, number | null, number | null, string][];
    return rows.map(([day, meanC, hdd, hddBase, source]) => ({ date: isoDay(day), meanC, hdd, hddBase, source }));
  }
}
