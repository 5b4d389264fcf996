/**
 * The weather API's settings through the contract: the base URL and the API key reach Open-Meteo's
 * requests (a local HTTP server stands in for it), and the key is stored but never sent back.
 */
import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { Settings, SiteSummary, WeatherFetchResult } from '../../../src-shared/contract/types';
import { callAsAdmin, makeCore } from '../../../tests/helpers/core';
import type { Core } from '../app';

let server: http.Server | null = null;
let core: Core | null = null;
afterEach(async () => {
  await core?.stop();
  server?.closeAllConnections();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = null;
  core = null;
});

describe('weather settings', () => {
  it('fetches from the configured server with the stored key, which settings.get never returns', async () => {
    const asked: URL[] = [];
    server = http.createServer((req, res) => {
      const url = new URL(req.url!, 'http://x');
      asked.push(url);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          daily_units: { time: 'iso8601', temperature_2m_mean: '°C' },
          daily: { time: ['2024-01-01', '2024-01-02'], temperature_2m_mean: [4.5, null] },
        }),
      );
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
    const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    core = await makeCore();
    const secret = 'key-3f9a1c0b';
    const s = await callAsAdmin<Settings>(core, 'settings.update', { weatherApi: base, weatherApiKey: secret });
    expect(s.weatherApi).toBe(base);
    expect(s.weatherApiKeySet).toBe(true);
    expect(JSON.stringify(s)).not.toContain(secret);
    expect(JSON.stringify(await callAsAdmin<Settings>(core, 'settings.get', {}))).not.toContain(secret);
    const audit = core.sqlite.prepare("SELECT details FROM audit_log WHERE action = 'settings.update'").pluck().all();
    expect(audit).toHaveLength(1);
    expect(String(audit[0])).toContain('(replaced)');
    expect(String(audit[0])).not.toContain(secret);

    const site = await callAsAdmin<SiteSummary>(core, 'sites.create', {
      name: 'Depot',
      latitude: 52.1,
      longitude: -1.5,
    });
    const r = await callAsAdmin<WeatherFetchResult>(core, 'weather.fetch', {
      siteId: site.id,
      from: '2024-01-01',
      to: '2024-01-03',
    });
    expect(r).toMatchObject({ days: 1, missing: 1 });
    expect(asked).toHaveLength(1);
    expect(asked[0]!.pathname).toBe('/v1/archive');
    expect(asked[0]!.searchParams.get('apikey')).toBe(secret);
    expect(asked[0]!.searchParams.get('latitude')).toBe('52.1');
    expect(asked[0]!.searchParams.get('longitude')).toBe('-1.5');

    // removing the key: no apikey on the next request
    const cleared = await callAsAdmin<Settings>(core, 'settings.update', { weatherApiKey: null });
    expect(cleared.weatherApiKeySet).toBe(false);
    await callAsAdmin(core, 'weather.fetch', { siteId: site.id, from: '2024-01-01', to: '2024-01-03' });
    expect(asked[1]!.searchParams.has('apikey')).toBe(false);
  });
});
