/**
 * `POST /download/export` on a real server on 127.0.0.1 with sign-in: a viewer downloads a year of
 * one meter's half-hours as a CSV attachment that re-imports into an empty database to the same
 * readings and flags; a request that cannot be answered gets a JSON error before any CSV, and the
 * sign-in and origin rules of /rpc apply.
 */
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../core/app';
import { importFiles, makeCore, storedReadings, writeTemp } from '../../tests/helpers/core';
import { MemoryAuth, raw } from '../../tests/helpers/http-host';
import { closeHttpHost, createHttpHost, listen, type HttpHost } from './http';

const MPAN = '1200050000203';
let core: Core;
let server: HttpHost;
let port: number;
let viewer: string;
/** Half-hours written: the whole of 2024 (UK local), a few estimated, a morning missing. */
let written = 0;

beforeAll(async () => {
  core = await makeCore();
  const lines = ['MPAN,Timestamp,kWh,Flag'];
  for (let t = Date.UTC(2024, 0, 1); t < Date.UTC(2024, 11, 31, 24); t += 1_800_000) {
    const i = (t - Date.UTC(2024, 0, 1)) / 1_800_000;
    if (i >= 5000 && i < 5006) continue;
    lines.push(`${MPAN},${new Date(t).toISOString()},${((i * 37) % 101) / 40},${i % 97 === 0 ? 'E' : 'A'}`);
    written++;
  }
  const [job] = await importFiles(core, [writeTemp('year.csv', lines.join('\n'))]);
  expect(job?.status).toBe('done');
  const auth = new MemoryAuth();
  viewer = auth.signedIn('vic', 'viewer');
  server = createHttpHost(core, { auth });
  port = Number(new URL(await listen(server, 0, '127.0.0.1')).port);
}, 120_000);
afterAll(async () => {
  await closeHttpHost(server);
  await core.stop();
});

/** A same-origin JSON POST signed in as the viewer. */
const signedIn = () => ({
  'content-type': 'application/json',
  origin: `http://127.0.0.1:${port}`,
  cookie: `eclectyc_session=${viewer}`,
});
const post = (body: unknown, headers: Record<string, string> = {}) =>
  raw('127.0.0.1', port, {
    method: 'POST',
    path: '/download/export',
    headers: { ...signedIn(), ...headers },
    body: JSON.stringify(body),
  });

const year = { what: 'readings', scope: { meter: MPAN }, from: '2024-01-01', to: '2025-01-01' };

describe('POST /download/export', () => {
  it('streams a year of readings as a CSV attachment that re-imports to the same readings', async () => {
    const r = await post(year);
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(r.headers['content-disposition']).toBe(
      `attachment; filename="eclectyc-readings-meter-${MPAN}-2024-01-01-to-2024-12-31.csv"`,
    );
    expect(r.headers['cache-control']).toBe('no-store');
    const lines = r.body.replace(/^\uFEFF/, '').split('\r\n');
    expect(lines[0]).toMatch(/^Meter,Start \(UTC\),Start \(UK local\),kWh,Quality/);
    const target = await makeCore();
    try {
      const [job] = await importFiles(target, [writeTemp('download.csv', r.body)]);
      expect(job?.status, JSON.stringify(job)).toBe('done');
      const strip = (c: Core) => storedReadings(c).map(([m, ts, kwh, q]) => [m, ts, kwh, q]);
      const back = strip(target);
      expect(back.filter(([, , kwh]) => kwh !== null)).toHaveLength(written);
      expect(back).toEqual(strip(core));
    } finally {
      await target.stop();
    }
  }, 60_000);

  it('streams the wide layout and the month totals too', async () => {
    const wide = await post({ ...year, layout: 'wide' });
    expect(wide.status).toBe(200);
    expect(wide.body.split('\r\n').filter((l) => l.startsWith(MPAN))).toHaveLength(366);
    const totals = await post({ ...year, what: 'totals', period: 'month' });
    expect(totals.status).toBe(200);
    expect(totals.body.split('\r\n').filter((l) => l.startsWith(MPAN))).toHaveLength(12);
  });

  it('answers a request it cannot make with a JSON error, not a CSV', async () => {
    const unknown = await post({ ...year, scope: { meter: '1200050000009' } });
    expect(unknown.status).toBe(404);
    expect(unknown.headers['content-type']).toMatch(/^application\/json/);
    expect(unknown.headers['content-disposition']).toBeUndefined();
    const e = (JSON.parse(unknown.body) as { error: { code: string; message: string } }).error;
    expect(e.code).toBe('NOT_FOUND');
    expect(e.message).toMatch(/^[A-Z].*1200050000009/);
    const backwards = await post({ ...year, from: '2025-01-01', to: '2024-01-01' });
    expect(backwards.status).toBe(400);
    expect(backwards.body).toContain('must be after');
    const notATable = await post({ ...year, what: 'invoices' });
    expect(notATable.status).toBe(400);
    expect((JSON.parse(notATable.body) as { error: { code: string } }).error.code).toBe('INVALID_ARGS');
  });

  it("keeps the tables' own roles: a viewer's costs export is refused before any CSV", async () => {
    const costs = await post({ ...year, what: 'costs' });
    expect(costs.status).toBe(403);
    expect((JSON.parse(costs.body) as { error: { code: string } }).error.code).toBe('FORBIDDEN');
  });

  it('carries on answering after a browser drops a download part-way', async () => {
    await new Promise<void>((resolve, reject) => {
      const req = http.request(
        { host: '127.0.0.1', port, method: 'POST', path: '/download/export', headers: signedIn() },
        (res) => {
          expect(res.statusCode).toBe(200);
          res.once('data', () => {
            req.destroy();
            resolve();
          });
        },
      );
      req.on('error', (e: NodeJS.ErrnoException) => (e.code === 'ECONNRESET' ? undefined : reject(e)));
      req.end(JSON.stringify(year));
    });
    const again = await post({ ...year, what: 'days' });
    expect(again.status).toBe(200);
    expect(again.body.split('\r\n').filter((l) => l.startsWith(MPAN))).toHaveLength(366);
  });

  it('keeps the rules of /rpc: signed in, same origin, POST only', async () => {
    expect((await post(year, { cookie: '' })).status).toBe(401);
    expect((await post(year, { origin: 'https://evil.example' })).status).toBe(403);
    const get = await raw('127.0.0.1', port, { path: '/download/export' });
    expect(get.status).toBe(405);
    expect(get.headers.allow).toBe('POST');
  });
});
