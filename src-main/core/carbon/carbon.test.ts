/**
 * The Carbon Intensity client against a local HTTP server replaying real recorded API responses
 * and errors (the internet is never reached), and emissions against an independent calculation.
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../app';
import { FIXTURES, importFiles, makeCore, writeTemp } from '../../../tests/helpers/core';
import { CarbonClient } from './client';

const CI = path.join(FIXTURES, 'carbon');
const read = (f: string) => fs.readFileSync(path.join(CI, f), 'utf8');
const NATIONAL = JSON.parse(read('carbon-intensity-national-2019-08-25T1230Z-pt24h.json')) as {
  data: { from: string; intensity: { forecast: number; actual: number; index: string } }[];
};

let server: http.Server | null = null;
let core: Core | null = null;
afterEach(async () => {
  await core?.stop();
  core = null;
  server?.closeAllConnections();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = null;
});

/** A replay server: route → [status, body]; records the paths asked for. */
async function replay(routes: (p: string) => [number, string] | 'hang'): Promise<{ url: string; paths: string[] }> {
  const paths: string[] = [];
  server = http.createServer((req, res) => {
    paths.push(req.url!);
    const r = routes(req.url!);
    if (r === 'hang') return; // never answers
    res.writeHead(r[0], { 'content-type': 'application/json' });
    res.end(r[1]);
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
  return { url: `http://127.0.0.1:${(server!.address() as { port: number }).port}`, paths };
}

const noSleep = async () => {};

describe('Carbon Intensity client', () => {
  it('reads national half-hours (forecast, actual, index) and regional forecasts from real responses', async () => {
    const { url } = await replay((p) =>
      p.startsWith('/regional')
        ? [200, read('carbon-intensity-regional-2019-08-25T1230Z-first-period.json')]
        : [200, read('carbon-intensity-national-2019-08-25T1230Z-pt24h.json')],
    );
    const c = new CarbonClient({ baseUrl: url, sleep: noSleep });
    const from = Date.parse('2019-08-25T12:30:00Z') / 1000;
    const nat = await c.nationalRange(from, from + 86400);
    expect(nat).toHaveLength(48);
    expect(nat[0]).toEqual({ ts: from, forecast: 183, actual: 178, index: 'moderate' });
    const reg = await c.regionalRange(from, from + 1800);
    expect(reg).toHaveLength(18);
    expect(reg.find((r) => r.regionId === 1)).toEqual({ regionId: 1, ts: from, forecast: 23, index: 'very low' });
  });

  it('splits ranges longer than 14 days into windows the API accepts', async () => {
    const { url, paths } = await replay(() => [200, '{"data":[]}']);
    const c = new CarbonClient({ baseUrl: url, sleep: noSleep });
    const from = Date.parse('2025-01-01T00:00:00Z') / 1000;
    await c.nationalRange(from, from + 31 * 86400);
    expect(paths).toEqual([
      '/intensity/2025-01-01T00:00Z/2025-01-15T00:00Z',
      '/intensity/2025-01-15T00:00Z/2025-01-29T00:00Z',
      '/intensity/2025-01-29T00:00Z/2025-02-01T00:00Z',
    ]);
  });

  it("turns the API's 400 errors into clear messages and does not retry them", async () => {
    const { url, paths } = await replay(() => [400, read('carbon-intensity-error-400-range-too-long.json')]);
    const c = new CarbonClient({ baseUrl: url, sleep: noSleep });
    await expect(c.current()).rejects.toThrow(
      /refused the request: The date range you have specified is greater than 31 days/,
    );
    expect(paths).toHaveLength(1);
    const bad = await replay(() => [400, read('carbon-intensity-error-400-bad-datetime.json')]);
    await expect(new CarbonClient({ baseUrl: bad.url, sleep: noSleep }).current()).rejects.toThrow(
      /valid datetime in ISO8601/,
    );
  });

  it('retries 5xx, HTML error pages and timeouts, then says the service is unavailable', async () => {
    let n = 0;
    const { url, paths } = await replay(() =>
      ++n < 3 ? [503, '<html>Service Unavailable</html>'] : [200, read('carbon-intensity-docs-example-intensity.json')],
    );
    const c = new CarbonClient({ baseUrl: url, sleep: noSleep, retries: 3 });
    expect(await c.current()).toEqual([
      { ts: Date.parse('2018-01-20T12:00:00Z') / 1000, forecast: 266, actual: 263, index: 'moderate' },
    ]);
    expect(paths).toHaveLength(3);
    const hang = await replay(() => 'hang');
    await expect(
      new CarbonClient({ baseUrl: hang.url, sleep: noSleep, retries: 1, timeoutMs: 200 }).current(),
    ).rejects.toThrow(/unavailable: no answer within 0.2 s \(after 2 attempts\)/);
    await expect(
      new CarbonClient({ baseUrl: 'http://127.0.0.1:9', sleep: noSleep, retries: 0 }).current(),
    ).rejects.toThrow(/unavailable: could not connect/);
  });

  it("reads the region-id / postcode shape, today's date endpoint, and refuses a bad postcode before asking", async () => {
    // the documented postcode shape, carrying the real first-period values of region 13 (London)
    const reg = JSON.parse(read('carbon-intensity-regional-2019-08-25T1230Z-first-period.json')) as {
      data: { from: string; to: string; regions: { regionid: number; intensity: unknown; generationmix: unknown }[] }[];
    };
    const london = reg.data[0]!.regions.find((r) => r.regionid === 13)!;
    const body = JSON.stringify({
      data: [
        {
          regionid: 13,
          dnoregion: 'UKPN London',
          shortname: 'London',
          postcode: 'SW1A',
          data: [
            {
              from: reg.data[0]!.from,
              to: reg.data[0]!.to,
              intensity: london.intensity,
              generationmix: london.generationmix,
            },
          ],
        },
      ],
    });
    const { url, paths } = await replay((p) =>
      p.includes('/postcode/') ? [200, body] : [200, read('carbon-intensity-national-2019-08-25T1230Z-pt24h.json')],
    );
    const c = new CarbonClient({ baseUrl: url, sleep: noSleep });
    const from = Date.parse('2019-08-25T12:30:00Z') / 1000;
    const pts = await c.postcodeRange('sw1a', from, from + 1800);
    expect(pts).toEqual([
      {
        regionId: 13,
        ts: from,
        forecast: (london.intensity as { forecast: number }).forecast,
        index: (london.intensity as { index: string }).index,
      },
    ]);
    expect(paths[0]).toBe('/regional/intensity/2019-08-25T12:30Z/2019-08-25T13:00Z/postcode/SW1A');
    expect(await c.date('2019-08-25')).toHaveLength(48);
    expect(paths[1]).toBe('/intensity/date/2019-08-25');
    await expect(c.postcodeRange('SW1A 1AA', from, from + 1800)).rejects.toThrow(/not an outward postcode/);
    expect(paths).toHaveLength(2);
  });

  it('rejects a 200 that is not the shape it expects instead of storing nonsense', async () => {
    const { url } = await replay(() => [200, '{"data":[{"from":"yesterday","intensity":{}}]}']);
    await expect(new CarbonClient({ baseUrl: url, sleep: noSleep }).current()).rejects.toThrow(/could not read/);
  });
});

describe('carbon storage and emissions', () => {
  it('stores fetched intensity, serves it offline with its age, and computes half-hourly emissions like an independent sum', async () => {
    const { url } = await replay(() => [200, read('carbon-intensity-national-2019-08-25T1230Z-pt24h.json')]);
    let now = Date.parse('2019-08-26T12:40:00Z');
    core = await makeCore({ clock: { now: () => now }, carbonApi: url });
    // the meter: 50 half-hours from 12:30Z, kWh = 1 + i/10, one missing
    const lines = ['MPAN,Timestamp,kWh'];
    for (let i = 0; i < 50; i++)
      lines.push(
        `1012477457919,${new Date(Date.UTC(2019, 7, 25, 12, 30) + i * 1800000).toISOString()},${i === 7 ? '' : (1 + i / 10).toFixed(1)}`,
      );
    await importFiles(core, [writeTemp('m.csv', lines.join('\n'))]);
    await core.scheduler.idle();
    // backfill over the meter's span (the replay answers with its 48 recorded half-hours)
    expect(await core.handlers['carbon.fetch']({ meter: '1012477457919' }, { role: 'admin', actor: 't' })).toEqual({
      national: 48,
      regional: 0,
    });
    expect(
      await core.handlers['carbon.fetch'](
        { from: '2019-08-25T12:30:00Z', to: '2019-08-26T12:30:00Z' },
        { role: 'admin', actor: 't' },
      ),
    ).toEqual({ national: 48, regional: 0 });
    // independent: Σ kWh × (actual ?? forecast) / 1000 over half-hours with both a value and an intensity
    const byTs = new Map(
      NATIONAL.data.map((d) => [Date.parse(d.from.replace('Z', ':00Z')), d.intensity.actual ?? d.intensity.forecast]),
    );
    let kwh = 0;
    let kg = 0;
    let withValue = 0;
    let covered = 0;
    for (let i = 0; i < 50; i++) {
      const t = Date.UTC(2019, 7, 25, 12, 30) + i * 1800000;
      if (i === 7) continue;
      const v = 1 + i / 10;
      kwh += v;
      withValue++;
      const ci = byTs.get(t);
      if (ci !== undefined) {
        kg += (v * ci) / 1000;
        covered++;
      }
    }
    const e = await core.handlers['emissions.meter'](
      { meter: '1012477457919', from: '2019-08-25', to: '2019-08-27' },
      { role: 'viewer', actor: 't' },
    );
    expect(e.method).toBe('halfhourly');
    expect(e.kwh).toBeCloseTo(kwh, 6);
    expect(e.kgco2).toBeCloseTo(kg, 6);
    expect(e.coverage).toBeCloseTo(covered / withValue, 4);
    expect(covered).toBe(47); // 48 intensity half-hours, one of them missing on the meter
    // annual factors: 2019 electricity 0.2556 kg/kWh
    const annual = await core.handlers['emissions.meter'](
      { meter: '1012477457919', from: '2019-08-25', to: '2019-08-27', method: 'annual' },
      { role: 'viewer', actor: 't' },
    );
    expect(annual.kgco2).toBeCloseTo(kwh * 0.2556, 6);
    expect(annual.coverage).toBe(1);
    // the user edits the table; the annual method follows it
    const table = await core.handlers['carbon.setFactor'](
      { year: 2019, fuel: 'electricity', kgPerKwh: 0.3, source: 'our auditor' },
      { role: 'admin', actor: 't' },
    );
    expect(table.find((f) => f.year === 2019 && f.fuel === 'electricity')).toEqual({
      year: 2019,
      fuel: 'electricity',
      kgPerKwh: 0.3,
      source: 'our auditor',
    });
    expect(
      (
        await core.handlers['emissions.meter'](
          { meter: '1012477457919', from: '2019-08-25', to: '2019-08-27', method: 'annual' },
          { role: 'viewer', actor: 't' },
        )
      ).kgco2,
    ).toBeCloseTo(kwh * 0.3, 6);

    // offline: the API is gone; the stored value is still served, with its age
    server!.closeAllConnections();
    await new Promise<void>((r) => server!.close(() => r()));
    server = null;
    now += 3 * 3600 * 1000;
    const cur = core.carbon.current();
    expect(cur).toMatchObject({ at: '2019-08-26T12:00:00Z', intensity: 194, kind: 'actual', index: 'moderate' });
    expect(cur!.ageSeconds).toBe(3 * 3600);
    core.carbon.client = new CarbonClient({ baseUrl: url, sleep: noSleep }); // (no real back-off waits in a test)
    await expect(core.carbon.refresh()).rejects.toThrow(/unavailable/);
    const hist = core.carbon.history(7);
    expect(hist.points).toHaveLength(48);
    expect(hist.average).toBeCloseTo(
      NATIONAL.data.reduce((s, d) => s + (d.intensity.actual ?? d.intensity.forecast), 0) / 48,
      1,
    );
  });

  it('the refresh also fetches the regions the sites are in', async () => {
    const reg = JSON.parse(read('carbon-intensity-regional-2019-08-25T1230Z-first-period.json')) as {
      data: { from: string; to: string; regions: { regionid: number; intensity: unknown }[] }[];
    };
    const east = reg.data[0]!.regions.find((r) => r.regionid === 10)!;
    const regional = JSON.stringify({
      data: [
        {
          regionid: 10,
          shortname: 'East England',
          data: [{ from: reg.data[0]!.from, to: reg.data[0]!.to, intensity: east.intensity }],
        },
      ],
    });
    const { url, paths } = await replay((p) =>
      p.includes('/regionid/10')
        ? [200, regional]
        : p.endsWith('/fw48h')
          ? [200, '{"data":[]}']
          : [200, read('carbon-intensity-national-2019-08-25T1230Z-pt24h.json')],
    );
    core = await makeCore({ clock: { now: () => Date.parse('2019-08-26T12:40:00Z') }, carbonApi: url });
    await importFiles(core, [writeTemp('e.csv', 'MPAN,Timestamp,kWh\n1012477457919,2019-08-25T12:30:00Z,1\n')]);
    const ctx = { role: 'admin' as const, actor: 't' };
    const site = await core.handlers['sites.create']({ name: 'Ipswich' }, ctx);
    await core.handlers['meters.update']({ meter: '1012477457919', siteId: site.id }, ctx);
    expect(await core.handlers['carbon.refresh']({}, ctx)).toEqual({ national: 48, regional: 1 });
    expect(paths.some((p) => p.endsWith('/regionid/10'))).toBe(true);
    const e = await core.handlers['emissions.meter'](
      { meter: '1012477457919', from: '2019-08-25', to: '2019-08-26', regional: true },
      ctx,
    );
    expect(e.kgco2).toBeCloseTo((east.intensity as { forecast: number }).forecast / 1000, 9);
  });

  it('gives 2018 data (before the factor table starts) the earliest factor, not nothing', async () => {
    core = await makeCore();
    await importFiles(core, [path.join(FIXTURES, 'public', 'wide-hh-imserv-row-per-day-energysparks.csv')]);
    const fuel = core.meters.meterRow('K0229111D6').fuel;
    const years = core.sqlite.prepare('SELECT year FROM emission_factors WHERE fuel = ?').pluck().all(fuel) as number[];
    const first = Math.min(...years);
    expect(first).toBeGreaterThan(2018);
    // the real file's day, 12/11/2018, summed from its CSV cells here
    const cells = fs
      .readFileSync(path.join(FIXTURES, 'public', 'wide-hh-imserv-row-per-day-energysparks.csv'), 'utf8')
      .trim()
      .split('\n')[1]!
      .split(',')
      .slice(3)
      .map(Number);
    const kwh = cells.reduce((a, b) => a + b, 0);
    const f = core.sqlite
      .prepare('SELECT kg_per_kwh FROM emission_factors WHERE fuel = ? AND year = ?')
      .pluck()
      .get(fuel, first) as number;
    const e = await core.handlers['emissions.meter'](
      { meter: 'K0229111D6', from: '2018-11-01', to: '2018-12-01', method: 'annual' },
      { role: 'viewer', actor: 't' },
    );
    expect(e.kwh).toBeCloseTo(kwh, 6);
    expect(e.kgco2).toBeCloseTo(kwh * f, 6);
    expect(e.kgco2).toBeGreaterThan(0);
    expect(e.coverage).toBe(1);
    expect(core.carbon.factorOf(fuel, 2018)?.year).toBe(first);
    // a year from the first on keeps its own factor, else the latest before it
    core.carbon.setFactor(first + 40, fuel, 0.5);
    const stored = [...years, first + 40];
    for (const y of [first, first + 1, first + 39, first + 41])
      expect(core.carbon.factorOf(fuel, y)?.year).toBe(Math.max(...stored.filter((x) => x <= y)));
  });

  it('finds the lowest-carbon window in the stored forecast', async () => {
    const now = Date.parse('2025-06-01T00:00:00Z');
    core = await makeCore({ clock: { now: () => now } });
    const t0 = now / 1000;
    const values = [200, 180, 150, 60, 55, 59, 58, 120, 220, 240];
    core.carbon.storeNational(values.map((v, i) => ({ ts: t0 + i * 1800, forecast: v, actual: null, index: null })));
    expect(core.carbon.bestWindow(2)).toEqual({
      from: '2025-06-01T01:30:00Z',
      to: '2025-06-01T03:30:00Z',
      average: 58,
    });
  });

  it("gives each site a region from its MPANs or the user, and computes regional emissions from that region's forecast", async () => {
    core = await makeCore();
    const lines = [
      'MPAN,Timestamp,kWh',
      '1012477457919,2025-06-01T00:00:00Z,2',
      '1012477457919,2025-06-01T00:30:00Z,4',
      '2700003645222,2025-06-01T00:00:00Z,1',
    ];
    await importFiles(core, [writeTemp('r.csv', lines.join('\n'))]);
    const ctx = { role: 'admin' as const, actor: 't' };
    const site = await core.handlers['sites.create']({ name: 'Depot' }, ctx);
    await core.handlers['meters.update']({ meter: '1012477457919', siteId: site.id }, ctx);
    await core.handlers['meters.update']({ meter: '2700003645222', siteId: site.id }, ctx); // an IDNO: no region of its own
    expect((await core.handlers['sites.get']({ id: site.id }, ctx)).site).toMatchObject({
      regionId: 10,
      regionSource: 'mpan',
    }); // East England
    const t0 = Date.parse('2025-06-01T00:00:00Z') / 1000;
    core.carbon.storeRegional([
      { regionId: 10, ts: t0, forecast: 100, index: 'moderate' },
      { regionId: 10, ts: t0 + 1800, forecast: 50, index: 'low' },
      { regionId: 13, ts: t0, forecast: 300, index: 'high' },
      { regionId: 13, ts: t0 + 1800, forecast: 300, index: 'high' },
    ]);
    const east = await core.handlers['emissions.meter'](
      { meter: '1012477457919', from: '2025-06-01', to: '2025-06-02', regional: true },
      ctx,
    );
    expect(east).toEqual({ kwh: 6, kgco2: (2 * 100 + 4 * 50) / 1000, method: 'halfhourly', coverage: 1 });
    // the user chooses London for the site
    expect(await core.handlers['sites.update']({ id: site.id, regionId: 13 }, ctx)).toMatchObject({
      regionId: 13,
      regionSource: 'user',
    });
    const london = await core.handlers['emissions.meter'](
      { meter: '2700003645222', from: '2025-06-01', to: '2025-06-02', regional: true },
      ctx,
    );
    expect(london.kgco2).toBeCloseTo(0.3, 9);
    // a meter with no region anywhere says so
    await core.handlers['meters.update']({ meter: '2700003645222', siteId: null }, ctx);
    expect(() =>
      core!.handlers['emissions.meter'](
        { meter: '2700003645222', from: '2025-06-01', to: '2025-06-02', regional: true },
        ctx,
      ),
    ).toThrow(/^No region is known/);
  });
});
