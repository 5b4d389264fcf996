/**
 * Weather: the Open-Meteo client against a local HTTP server (the internet is never reached),
 * fetching into a real migrated SQLite file and reading back, and weather files imported all or
 * nothing. tests/fixtures/open-meteo-archive-2024-01.json is made in Open-Meteo's documented
 * `/v1/archive` response shape (daily=temperature_2m_mean, timezone=Europe/London) for London
 * 51.5072,-0.1276 in January 2024 with plausible temperatures, since the API cannot be reached here.
 */
import type Database from 'better-sqlite3';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../src-shared/contract/errors';
import { FIXTURES, MIGRATIONS, tempDir } from '../../../tests/helpers/core';
import { openDb } from '../db/open';
import { OpenMeteoClient } from './client';
import { parseWeatherCsv } from './csv';
import { WeatherService } from './weather-service';

const FIXTURE = fs.readFileSync(path.join(FIXTURES, 'open-meteo-archive-2024-01.json'), 'utf8');
const JANUARY = JSON.parse(FIXTURE) as { daily: { time: string[]; temperature_2m_mean: (number | null)[] } };
const LONDON = { lat: 51.5072, lon: -0.1276 };

/** Days since 1970-01-01 of a `YYYY-MM-DD`, by Date.parse (independent of the code under test). */
const dayOf = (iso: string): number => Date.parse(`${iso}T00:00:00Z`) / 86400000;
const isoOf = (day: number): string => new Date(day * 86400000).toISOString().slice(0, 10);

let servers: http.Server[] = [];
afterEach(async () => {
  for (const s of servers) {
    s.closeAllConnections();
    await new Promise<void>((r) => s.close(() => r()));
  }
  servers = [];
});

/** A replay server: request URL → [status, body] or 'hang'; records the URLs asked for. */
async function replay(route: (url: URL) => [number, string] | 'hang'): Promise<{ url: string; asked: string[] }> {
  const asked: string[] = [];
  const server = http.createServer((req, res) => {
    asked.push(req.url!);
    const r = route(new URL(req.url!, 'http://x'));
    if (r === 'hang') return; // never answers
    res.writeHead(r[0], { 'content-type': 'application/json' });
    res.end(r[1]);
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, asked };
}

/** An Open-Meteo success body for the query's start_date…end_date, temperatures from `value`. */
function generated(url: URL, value: (iso: string) => number | null = (iso) => (dayOf(iso) % 23) / 2 - 3): string {
  const time: string[] = [];
  for (let d = dayOf(url.searchParams.get('start_date')!); d <= dayOf(url.searchParams.get('end_date')!); d++)
    time.push(isoOf(d));
  return JSON.stringify({
    latitude: 51.49384,
    longitude: -0.16302109,
    generationtime_ms: 0.2,
    utc_offset_seconds: 0,
    timezone: 'Europe/London',
    timezone_abbreviation: 'GMT',
    elevation: 23,
    daily_units: { time: 'iso8601', temperature_2m_mean: '°C' },
    daily: { time, temperature_2m_mean: time.map(value) },
  });
}

const noSleep = async (): Promise<void> => {};

/** The AppError a promise or call rejects with. */
async function failure(p: Promise<unknown> | (() => unknown)): Promise<AppError> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    return e as AppError;
  }
  throw new Error('expected a failure');
}

describe('Open-Meteo client', () => {
  it('asks /v1/archive for the daily mean in UK days and reads the response', async () => {
    const { url, asked } = await replay(() => [200, FIXTURE]);
    const c = new OpenMeteoClient({ baseUrl: `${url}/`, sleep: noSleep });
    const got = await c.daily(LONDON.lat, LONDON.lon, '2024-01-01', '2024-01-31');
    expect(asked).toEqual([
      '/v1/archive?latitude=51.5072&longitude=-0.1276&start_date=2024-01-01&end_date=2024-01-31&daily=temperature_2m_mean&timezone=Europe%2FLondon',
    ]);
    expect(got).toEqual(JANUARY.daily.time.map((date, i) => ({ date, meanC: JANUARY.daily.temperature_2m_mean[i] })));
    expect(got).toHaveLength(31);
    expect(got[15]).toEqual({ date: '2024-01-16', meanC: -0.4 });

    const keyed = new OpenMeteoClient({ baseUrl: url, apiKey: 'ab c&d', sleep: noSleep });
    await keyed.daily(LONDON.lat, LONDON.lon, '2024-01-01', '2024-01-31');
    expect(asked[1]).toMatch(/&timezone=Europe%2FLondon&apikey=ab%20c%26d$/);
  });

  it('splits long ranges into windows of at most 366 days', async () => {
    const { url, asked } = await replay((u) => [200, generated(u)]);
    const got = await new OpenMeteoClient({ baseUrl: url, sleep: noSleep }).daily(1, 2, '2020-01-01', '2022-12-31');
    expect(
      asked.map((p) => {
        const q = new URL(p, 'http://x').searchParams;
        return [q.get('start_date'), q.get('end_date')];
      }),
    ).toEqual([
      ['2020-01-01', '2020-12-31'], // 366 days (a leap year)
      ['2021-01-01', '2022-01-01'], // 366
      ['2022-01-02', '2022-12-31'], // the rest
    ]);
    expect(got).toHaveLength(366 + 365 + 365);
    expect(got.every((p, i) => p.date === isoOf(dayOf('2020-01-01') + i))).toBe(true);
  });

  it("turns a 400 into BAD_INPUT carrying Open-Meteo's reason, without retrying", async () => {
    const reason = "Parameter 'start_date' is out of allowed range from 1940-01-01 to 2026-11-20";
    const { url, asked } = await replay(() => [400, JSON.stringify({ error: true, reason })]);
    const e = await failure(
      new OpenMeteoClient({ baseUrl: url, sleep: noSleep }).daily(1, 2, '1900-01-01', '1900-01-02'),
    );
    expect(e.code).toBe('BAD_INPUT');
    expect(e.message).toBe(`Open-Meteo refused the request: ${reason}`);
    expect(asked).toHaveLength(1);
  });

  it('retries a 5xx with backoff and succeeds; gives up as UNAVAILABLE after the last attempt', async () => {
    let n = 0;
    const { url, asked } = await replay(() =>
      ++n === 1 ? [500, '{"error":true,"reason":"Internal server error"}'] : [200, FIXTURE],
    );
    const waits: number[] = [];
    const c = new OpenMeteoClient({ baseUrl: url, sleep: async (ms) => void waits.push(ms) });
    expect(await c.daily(LONDON.lat, LONDON.lon, '2024-01-01', '2024-01-31')).toHaveLength(31);
    expect(asked).toHaveLength(2);
    expect(waits).toEqual([1000]);

    const down = await replay(() => [503, '<html>Service Unavailable</html>']);
    waits.length = 0;
    const e = await failure(
      new OpenMeteoClient({ baseUrl: down.url, retries: 2, sleep: async (ms) => void waits.push(ms) }).daily(
        1,
        2,
        '2024-01-01',
        '2024-01-02',
      ),
    );
    expect(e.code).toBe('UNAVAILABLE');
    expect(e.message).toMatch(/^Open-Meteo is unavailable: the service had a problem \(HTTP 503: <html>/);
    expect(e.message).toMatch(/\(after 3 attempts\)/);
    expect(down.asked).toHaveLength(3);
    expect(waits).toEqual([1000, 2000]);
  });

  it('does not retry a used-up daily limit and says to try later or set an API key; retries a per-minute 429', async () => {
    const daily = await replay(() => [
      429,
      '{"error":true,"reason":"Daily API request limit exceeded. Please try again tomorrow."}',
    ]);
    const e = await failure(
      new OpenMeteoClient({ baseUrl: daily.url, sleep: noSleep }).daily(1, 2, '2024-01-01', '2024-01-02'),
    );
    expect(e.code).toBe('UNAVAILABLE');
    expect(e.message).toMatch(/Daily API request limit exceeded\. Please try again tomorrow\./);
    expect(e.message).toMatch(/set an Open-Meteo API key in Settings/);
    expect(daily.asked).toHaveLength(1);

    let n = 0;
    const minute = await replay((u) =>
      ++n === 1
        ? [429, '{"error":true,"reason":"Minutely API request limit exceeded. Please try again in one minute."}']
        : [200, generated(u)],
    );
    expect(
      await new OpenMeteoClient({ baseUrl: minute.url, sleep: noSleep }).daily(1, 2, '2024-01-01', '2024-01-02'),
    ).toHaveLength(2);
    expect(minute.asked).toHaveLength(2);
  });

  it('refuses a 200 it cannot read instead of storing nonsense', async () => {
    const bodies: [string, RegExp][] = [
      ['<html>maintenance</html>', /expected JSON, found "<html>maintenance/],
      ['{"latitude":51.5}', /no "daily" values/],
      ['{"daily":{"time":["2024-01-01","2024-01-02"],"temperature_2m_mean":[5.1]}}', /2 dates but 1 temperatures/],
      [
        '{"daily":{"time":["01/01/2024"],"temperature_2m_mean":[5.1]}}',
        /daily\.time\[0\] is "01\/01\/2024", not a date/,
      ],
      [
        '{"daily":{"time":["2024-01-01"],"temperature_2m_mean":["5.1"]}}',
        /temperature_2m_mean\[0\] is "5\.1", not a number/,
      ],
    ];
    for (const [body, why] of bodies) {
      const { url, asked } = await replay(() => [200, body]);
      const e = await failure(
        new OpenMeteoClient({ baseUrl: url, sleep: noSleep }).daily(1, 2, '2024-01-01', '2024-01-02'),
      );
      expect(e.code).toBe('UNAVAILABLE');
      expect(e.message).toMatch(/^Open-Meteo sent a response it could not read: /);
      expect(e.message).toMatch(why);
      expect(asked).toHaveLength(1);
    }
  });

  it('times out a server that never answers, and says when it cannot connect', async () => {
    const hang = await replay(() => 'hang');
    const e = await failure(
      new OpenMeteoClient({ baseUrl: hang.url, retries: 1, timeoutMs: 200, sleep: noSleep }).daily(
        1,
        2,
        '2024-01-01',
        '2024-01-02',
      ),
    );
    expect(e.code).toBe('UNAVAILABLE');
    expect(e.message).toMatch(/unavailable: no answer within 0.2 s \(after 2 attempts\)/);
    expect(hang.asked).toHaveLength(2);
    // a port nothing listens on: open one, then close it
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', () => r()));
    const port = (closed.address() as { port: number }).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const refused = await failure(
      new OpenMeteoClient({ baseUrl: `http://127.0.0.1:${port}`, retries: 0, sleep: noSleep }).daily(
        1,
        2,
        '2024-01-01',
        '2024-01-02',
      ),
    );
    expect(refused.message).toMatch(/unavailable: could not connect \(.*ECONNREFUSED.*\) \(after 1 attempt\)/);
  });

  it('refuses impossible arguments before asking', async () => {
    const { url, asked } = await replay(() => [200, FIXTURE]);
    const c = new OpenMeteoClient({ baseUrl: url, sleep: noSleep });
    expect((await failure(c.daily(1, 2, '2024-02-30', '2024-03-01'))).message).toBe(
      '"2024-02-30" is not a date YYYY-MM-DD',
    );
    expect((await failure(c.daily(1, 2, '2024-03-02', '2024-03-01'))).message).toMatch(
      /ends \(2024-03-01\) before it starts/,
    );
    expect((await failure(c.daily(91, 2, '2024-03-01', '2024-03-01'))).code).toBe('INVALID_ARGS');
    expect(asked).toHaveLength(0);
  });
});

describe('WeatherService', () => {
  let sqlite: Database.Database;
  let london: number;
  let depot: number;
  let now = Date.parse('2024-03-01T12:00:00Z');
  let config = { baseUrl: 'http://127.0.0.1:9', apiKey: null as string | null };
  let service: WeatherService;

  beforeEach(async () => {
    sqlite = (await openDb(path.join(tempDir(), 'db.sqlite'), MIGRATIONS)).sqlite;
    const org = sqlite.prepare("INSERT INTO organisations (name) VALUES ('Acme Schools')").run().lastInsertRowid;
    london = Number(
      sqlite
        .prepare('INSERT INTO sites (organisation_id, name, latitude, longitude) VALUES (?, ?, ?, ?)')
        .run(org, 'Westminster', LONDON.lat, LONDON.lon).lastInsertRowid,
    );
    depot = Number(
      sqlite.prepare("INSERT INTO sites (organisation_id, name) VALUES (?, 'Depot')").run(org).lastInsertRowid,
    );
    now = Date.parse('2024-03-01T12:00:00Z');
    config = { baseUrl: 'http://127.0.0.1:9', apiKey: null };
    service = new WeatherService(sqlite, { now: () => now }, () => config, { sleep: noSleep });
  });
  afterEach(() => sqlite.close());

  const stored = () =>
    sqlite
      .prepare('SELECT site_id, day, mean_c, hdd, hdd_base, source, updated_at FROM weather_days ORDER BY site_id, day')
      .all();

  it("fetches a site's temperatures at its location, stores them and reads them back", async () => {
    const { url, asked } = await replay(() => [200, FIXTURE]);
    config = { baseUrl: url, apiKey: 'secret' };
    const r = await service.fetch(london, dayOf('2024-01-01'), dayOf('2024-02-01'));
    expect(r).toEqual({ siteId: london, days: 31, from: '2024-01-01', to: '2024-01-31', missing: 0 });
    const q = new URL(asked[0]!, 'http://x').searchParams;
    expect([q.get('latitude'), q.get('longitude'), q.get('start_date'), q.get('end_date'), q.get('apikey')]).toEqual([
      '51.5072',
      '-0.1276',
      '2024-01-01',
      '2024-01-31',
      'secret',
    ]);
    const days = service.days(london, dayOf('2024-01-01'), dayOf('2024-02-01'));
    expect(days.size).toBe(31);
    JANUARY.daily.time.forEach((iso, i) =>
      expect(days.get(dayOf(iso))).toEqual({ meanC: JANUARY.daily.temperature_2m_mean[i], hdd: null, hddBase: null }),
    );
    expect(service.days(london, dayOf('2024-01-10'), dayOf('2024-01-12')).size).toBe(2); // [from, to)
    expect(service.coverage(london)).toEqual({
      first: '2024-01-01',
      last: '2024-01-31',
      days: 31,
      sources: ['open-meteo'],
    });
    expect(service.coverage(depot)).toBeNull();
    expect(service.list(london, dayOf('2024-01-15'), dayOf('2024-01-17'))).toEqual([
      { date: '2024-01-15', meanC: 0.6, hdd: null, hddBase: null, source: 'open-meteo' },
      { date: '2024-01-16', meanC: -0.4, hdd: null, hddBase: null, source: 'open-meteo' },
    ]);
    expect((stored()[0] as { updated_at: number }).updated_at).toBe(now / 1000);
  });

  it('counts null temperatures as missing and leaves what is stored for those days', async () => {
    service.importCsv(london, 'date,meanTemperatureC\n2024-01-30,6.5\n', 'own.csv');
    const { url } = await replay((u) => [200, generated(u, (iso) => (iso >= '2024-01-29' ? null : 4.25))]);
    config = { baseUrl: url, apiKey: null };
    expect(await service.fetch(london, dayOf('2024-01-25'), dayOf('2024-02-01'))).toEqual({
      siteId: london,
      days: 4,
      from: '2024-01-25',
      to: '2024-01-31',
      missing: 3,
    });
    expect(service.list(london, 0, 100000)).toEqual([
      ...['2024-01-25', '2024-01-26', '2024-01-27', '2024-01-28'].map((date) => ({
        date,
        meanC: 4.25,
        hdd: null,
        hddBase: null,
        source: 'open-meteo',
      })),
      { date: '2024-01-30', meanC: 6.5, hdd: null, hddBase: null, source: 'file:own.csv' },
    ]);
  });

  it('clips the range to yesterday (UK) and refuses ranges after it or over 20 years', async () => {
    const { url, asked } = await replay((u) => [200, generated(u)]);
    config = { baseUrl: url, apiKey: null };
    now = Date.parse('2024-06-30T23:30:00Z'); // 00:30 BST on 1 July: yesterday is 30 June
    const r = await service.fetch(london, dayOf('2024-06-01'), dayOf('2024-08-01'));
    expect(r).toMatchObject({ from: '2024-06-01', to: '2024-06-30', days: 30, missing: 0 });
    expect(new URL(asked[0]!, 'http://x').searchParams.get('end_date')).toBe('2024-06-30');
    const after = await failure(service.fetch(london, dayOf('2024-07-01'), dayOf('2024-07-05')));
    expect(after.code).toBe('INVALID_ARGS');
    expect(after.message).toMatch(/after yesterday \(2024-06-30\)/);
    const long = await failure(service.fetch(london, dayOf('2000-01-01'), dayOf('2020-01-03')));
    expect(long.message).toBe('Fetch at most 20 years of weather at a time');
    expect(asked).toHaveLength(1);
    // exactly 20 years is allowed, fetched in windows
    await service.fetch(london, dayOf('2001-01-01'), dayOf('2021-01-01'));
    expect(asked).toHaveLength(1 + Math.ceil((dayOf('2021-01-01') - dayOf('2001-01-01')) / 366));
  });

  it('says which site has no location, and that an unknown site does not exist', async () => {
    const { url, asked } = await replay(() => [200, FIXTURE]);
    config = { baseUrl: url, apiKey: null };
    const e = await failure(service.fetch(depot, dayOf('2024-01-01'), dayOf('2024-02-01')));
    expect([e.code, e.message]).toEqual(['BAD_INPUT', 'Site "Depot" has no location: set its latitude and longitude']);
    const none = await failure(service.fetch(999, dayOf('2024-01-01'), dayOf('2024-02-01')));
    expect([none.code, none.message]).toEqual(['NOT_FOUND', 'No site 999']);
    const imp = await failure(() => service.importCsv(999, 'date,temp\n2024-01-01,5\n', 't.csv'));
    expect([imp.code, imp.message]).toEqual(['NOT_FOUND', 'No site 999']);
    expect(asked).toHaveLength(0);
    expect(stored()).toEqual([]);
  });

  it('an Open-Meteo failure stores nothing', async () => {
    const { url } = await replay(() => [400, '{"error":true,"reason":"Latitude must be in range of -90 to 90°."}']);
    config = { baseUrl: url, apiKey: null };
    await expect(service.fetch(london, dayOf('2024-01-01'), dayOf('2024-02-01'))).rejects.toThrow(/Latitude must be/);
    expect(stored()).toEqual([]);
  });

  it('imports a temperature file, then a degree-day file over part of it (UK dates, BOM, CRLF, semicolons)', () => {
    const temps = ['date,meanTemperatureC', '2024-01-01,8.1', '2024-01-02,-1.5', '', '2024-01-03,3'].join('\n');
    expect(service.importCsv(london, temps, 'temps.csv')).toEqual({
      siteId: london,
      kind: 'temperature',
      days: 3,
      from: '2024-01-01',
      to: '2024-01-03',
      replaced: 0,
    });
    const hdd = '\uFEFF"Date";"Heating Degree Days"\r\n03/01/2024;"12,5"\r\n4/1/2024;10\r\n\r\n';
    expect(service.importCsv(london, hdd, 'dd.csv')).toEqual({
      siteId: london,
      kind: 'hdd',
      days: 2,
      from: '2024-01-03',
      to: '2024-01-04',
      replaced: 1,
    });
    expect(service.list(london, dayOf('2024-01-01'), dayOf('2024-01-05'))).toEqual([
      { date: '2024-01-01', meanC: 8.1, hdd: null, hddBase: null, source: 'file:temps.csv' },
      { date: '2024-01-02', meanC: -1.5, hdd: null, hddBase: null, source: 'file:temps.csv' },
      { date: '2024-01-03', meanC: null, hdd: 12.5, hddBase: 15.5, source: 'file:dd.csv' },
      { date: '2024-01-04', meanC: null, hdd: 10, hddBase: 15.5, source: 'file:dd.csv' },
    ]);
    expect(service.coverage(london)).toEqual({
      first: '2024-01-01',
      last: '2024-01-04',
      days: 4,
      sources: ['file:dd.csv', 'file:temps.csv'],
    });
    // the base: the option, else the header's, else 15.5
    service.importCsv(london, 'Date,HDD 18.5,% Estimated\n2024-01-05,7.25,0\n', 'base-in-header.csv');
    service.importCsv(london, 'day,hdd\n2024-01-06,2\n', 'opt.csv', { hddBase: 12 });
    expect(service.days(london, dayOf('2024-01-05'), dayOf('2024-01-07'))).toEqual(
      new Map([
        [dayOf('2024-01-05'), { meanC: null, hdd: 7.25, hddBase: 18.5 }],
        [dayOf('2024-01-06'), { meanC: null, hdd: 2, hddBase: 12 }],
      ]),
    );
  });

  it('a file with one bad row leaves the stored days untouched', async () => {
    const { url } = await replay(() => [200, FIXTURE]);
    config = { baseUrl: url, apiKey: null };
    await service.fetch(london, dayOf('2024-01-01'), dayOf('2024-02-01'));
    const before = stored();
    const lines = ['date,temp'];
    for (let d = 1; d <= 31; d++) lines.push(`2024-01-${String(d).padStart(2, '0')},${d === 20 ? '7..2' : 5}`);
    const e = await failure(() => service.importCsv(london, lines.join('\n'), 'jan.csv'));
    expect(e.details).toEqual({
      errors: [
        {
          line: 21,
          column: 2,
          message:
            'jan.csv line 21, column 2 (temp): expected a mean temperature in °C between -50 and 60, found "7..2"',
        },
      ],
    });
    expect(stored()).toEqual(before);
    expect(() => service.importCsv(london, 'date,hdd\n2024-01-01,5\n', 'ok.csv', { hddBase: NaN })).toThrow(
      /not plausible/,
    );
  });
});

describe('weather files', () => {
  it('accepts the common header spellings, case-insensitively', () => {
    const temperature = [
      'date,meanTemperatureC',
      'Date,Mean_Temperature_C',
      'day,temperature',
      'DATE,Temp',
      'date,tmean',
      'date,Mean Temp (°C)',
      'time,temperature_2m_mean (°C)',
      'date,Temperature [C]',
    ];
    for (const h of temperature) expect(parseWeatherCsv(`${h}\n2024-01-01,5\n`, 'f.csv').kind, h).toBe('temperature');
    const hdd = [
      'date,hdd',
      'Date,HDD',
      'date,Heating Degree Days',
      'day,degree days',
      'date,heating_degree_days',
      'date,HDD (°C)',
    ];
    for (const h of hdd) expect(parseWeatherCsv(`${h}\n2024-01-01,5\n`, 'f.csv').kind, h).toBe('hdd');
    // columns in any order, others ignored
    expect(parseWeatherCsv('site,tmean,note,date\nA,4.5,x,2024-02-29\n', 'f.csv')).toEqual({
      kind: 'temperature',
      rows: [{ day: dayOf('2024-02-29'), value: 4.5 }],
    });
  });

  it("reads Open-Meteo's own CSV download (location lines before the header) and sorts by day", () => {
    const text = [
      'latitude,longitude,elevation,utc_offset_seconds,timezone,timezone_abbreviation',
      '51.49384,-0.16302109,23.0,0,Europe/London,GMT',
      '',
      'time,temperature_2m_mean (°C)',
      '2024-01-02,9.4',
      '2024-01-01,8.1',
      '2024-01-01,8.1',
    ].join('\n');
    expect(parseWeatherCsv(text, 'open-meteo.csv')).toEqual({
      kind: 'temperature',
      rows: [
        { day: dayOf('2024-01-01'), value: 8.1 },
        { day: dayOf('2024-01-02'), value: 9.4 },
      ],
    });
  });

  it('lists every bad row with its line, column and what was expected', async () => {
    const text = [
      'date,meanTemperatureC', // 1
      '2024-01-01,5.5', // 2
      '2024-13-01,5', // 3 no such month
      '31/02/2024,5', // 4 no such day
      '2024-01-04,warm', // 5
      '2024-01-05,', // 6 empty
      '2024-01-06,75', // 7 out of range
      '2024-01-01,6', // 8 a second value for 1 January
      '2024-01-07,"5', // 9 quote left open
      '01-08-2024,-51', // 10 two problems
    ].join('\n');
    const e = await failure(() => parseWeatherCsv(text, 'temps.csv'));
    expect(e.code).toBe('BAD_INPUT');
    const errors = (e.details as { errors: { line: number; column: number; message: string }[] }).errors;
    expect(errors.map((x) => [x.line, x.column])).toEqual([
      [3, 1],
      [4, 1],
      [5, 2],
      [6, 2],
      [7, 2],
      [8, 1],
      [9, 2],
      [10, 1],
      [10, 2],
    ]);
    expect(errors.map((x) => x.message)).toEqual([
      'temps.csv line 3, column 1 (date): expected a date YYYY-MM-DD or DD/MM/YYYY, found "2024-13-01"',
      'temps.csv line 4, column 1 (date): expected a date YYYY-MM-DD or DD/MM/YYYY, found "31/02/2024"',
      'temps.csv line 5, column 2 (meanTemperatureC): expected a mean temperature in °C between -50 and 60, found "warm"',
      'temps.csv line 6, column 2 (meanTemperatureC): expected a mean temperature in °C between -50 and 60, found ""',
      'temps.csv line 7, column 2 (meanTemperatureC): expected a mean temperature in °C between -50 and 60, found "75"',
      'temps.csv line 8, column 1 (date): expected one value per day (line 2 gives 2024-01-01 the value 5.5, this line 6), found "2024-01-01"',
      'temps.csv line 9, column 2 (meanTemperatureC): expected a closing quote ("), found ""5"',
      'temps.csv line 10, column 1 (date): expected a date YYYY-MM-DD or DD/MM/YYYY, found "01-08-2024"',
      'temps.csv line 10, column 2 (meanTemperatureC): expected a mean temperature in °C between -50 and 60, found "-51"',
    ]);
    expect(e.message).toBe(
      ['temps.csv was not imported (nothing was stored): 9 problems', ...errors.map((x) => x.message)].join('\n'),
    );
    const hdd = await failure(() =>
      parseWeatherCsv('date;hdd\n2024-01-01;-0,5\n2024-01-02;81\n2024-01-03;80\n', 'dd.csv'),
    );
    expect((hdd.details as { errors: unknown[] }).errors).toEqual([
      {
        line: 2,
        column: 2,
        message: 'dd.csv line 2, column 2 (hdd): expected heating degree days between 0 and 80, found "-0,5"',
      },
      {
        line: 3,
        column: 2,
        message: 'dd.csv line 3, column 2 (hdd): expected heating degree days between 0 and 80, found "81"',
      },
    ]);
  });

  it('lists the first 10 problems and says how many more', async () => {
    const lines = ['date,temp'];
    for (let i = 0; i < 14; i++) lines.push(`2024-01-${String(i + 1).padStart(2, '0')},x${i}`);
    const e = await failure(() => parseWeatherCsv(lines.join('\n'), 'many.csv'));
    const shown = e.message.split('\n');
    expect(shown[0]).toBe('many.csv was not imported (nothing was stored): 14 problems');
    expect(shown.slice(1, 11)).toEqual(
      Array.from(
        { length: 10 },
        (_, i) =>
          `many.csv line ${i + 2}, column 2 (temp): expected a mean temperature in °C between -50 and 60, found "x${i}"`,
      ),
    );
    expect(shown[11]).toBe('… and 4 more');
    expect((e.details as { errors: unknown[] }).errors).toHaveLength(14);
  });

  it('explains which headers are accepted when a file is empty or has none', async () => {
    for (const [text, start] of [
      ['', 'empty.csv is empty: expected a first line "date,meanTemperatureC" or "date,hdd"'],
      ['\uFEFF\r\n  \r\n', 'empty.csv is empty: expected a first line "date,meanTemperatureC" or "date,hdd"'],
      [
        'when,kwh\n2024-01-01,5\n',
        'empty.csv has no header this app recognises (line 1 is "when,kwh"): expected a first line',
      ],
      ['2024-01-01,5\n2024-01-02,6\n', 'empty.csv has no header this app recognises (line 1 is "2024-01-01,5")'],
    ]) {
      const e = await failure(() => parseWeatherCsv(text!, 'empty.csv'));
      expect(e.code).toBe('BAD_INPUT');
      expect(e.message.startsWith(start!), e.message).toBe(true);
      expect(e.message).toMatch(/meanTemperatureC, mean_temperature_c, temperature, temp, tmean, "mean temp \(°C\)"/);
      expect(e.message).toMatch(/\(hdd, "heating degree days", "degree days"\)/);
    }
    expect((await failure(() => parseWeatherCsv('date,hdd\n\n', 'h.csv'))).message).toBe(
      'h.csv has a header but no days: expected one line per day after line 1',
    );
    expect((await failure(() => parseWeatherCsv('date,temp,hdd\n2024-01-01,5,10\n', 'b.csv'))).message).toMatch(
      /has both a temperature and a degree-day column/,
    );
  });
  it('says a binary file is not a text file, without quoting its bytes', async () => {
    // an .xlsx starts with a zip header; read as UTF-8 its bytes become NULs and replacement characters
    const zip = Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00, 0x08, 0x00, 0x00, 0x00, 0xff, 0xfe, 0x9c]);
    for (const text of [
      zip.toString('utf8'),
      Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x81, 0x82, 0x83]).toString('utf8'),
    ]) {
      const e = await failure(() => parseWeatherCsv(text, 'temps.xlsx'));
      expect(e.code).toBe('BAD_INPUT');
      expect(e.message).toMatch(/^temps\.xlsx is not a text file .*save it as CSV/);
      expect(e.message).not.toContain('\uFFFD');
      expect(e.message).not.toContain('\u0000');
    }
  });
});
