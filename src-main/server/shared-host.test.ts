/**
 * The shared server's HTTP host over real HTTP on 127.0.0.1, against a real PostgreSQL 15
 * (tests/helpers/postgres.ts): health, sign-in, refusals (401, 400, 413, 415, 429, 403), gzip
 * both ways, a manager's push and pull round trip, and PostgreSQL restarted under the running
 * server (health degraded, then ok, and a pull succeeding without restarting the host).
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PullResponse, PushedDay, PushResponse, SignedIn } from '../../src-shared/contract/sync';
import { dayFromDate } from '../../src-shared/domain/periods';
import { startPostgres, type TestPostgres } from '../../tests/helpers/postgres';
import { silentLogger } from '../core/events';
import { packQuality, packValues } from '../core/readings/codec';
import { LOGIN_FAILURES_PER_ACCOUNT, LOGIN_WINDOW_S } from '../core/users/auth-service';
import { APP_VERSION } from '../version';
import { createSharedAccounts } from './postgres/accounts';
import { MIGRATIONS } from './postgres/migrations';
import { startSharedServer, type SharedServer } from './shared-host';

const MAX_BODY = 1024 * 1024;
const PW = 'a long enough password';
const SCHEMA = Math.max(...MIGRATIONS.map((m) => m.id));

let pgs: TestPostgres;
let server: SharedServer;
beforeAll(async () => {
  pgs = await startPostgres();
  server = await startSharedServer({ url: pgs.url, port: 0, maxBody: MAX_BODY, log: silentLogger });
  const accounts = createSharedAccounts(server.store);
  await accounts.createUser('anna', 'admin', PW);
  await accounts.createUser('max', 'manager', PW);
  await accounts.createUser('vic', 'viewer', PW);
  await accounts.createUser('rita', 'manager', PW);
}, 120_000);
afterAll(async () => {
  await server?.close();
  pgs?.stop();
});

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The body as sent (still gzipped when the server gzipped it). */
  raw: Buffer;
  json: () => unknown;
}

/** One request over a new connection; the body is sent as given (gzip it first to send it gzipped). */
function request(
  method: string,
  path: string,
  opts: { headers?: Record<string, string>; body?: Buffer | string; token?: string } = {},
): Promise<Answer> {
  const body = opts.body === undefined ? undefined : Buffer.from(opts.body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: server.port,
        method,
        path,
        agent: false,
        headers: {
          ...(body ? { 'content-type': 'application/json', 'content-length': String(body.length) } : {}),
          ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
          ...opts.headers,
        },
      },
      (res) => {
        const parts: Buffer[] = [];
        res.on('data', (c: Buffer) => parts.push(c));
        res.on('end', () => {
          const raw = Buffer.concat(parts);
          const text = () => (res.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw).toString('utf8');
          resolve({ status: res.statusCode!, headers: res.headers, raw, json: () => JSON.parse(text()) as unknown });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const post = (path: string, value: unknown, token?: string, headers?: Record<string, string>) =>
  request('POST', path, { body: JSON.stringify(value), ...(token ? { token } : {}), ...(headers ? { headers } : {}) });

async function signIn(username: string): Promise<string> {
  const r = await post('/auth/token', { username, password: PW });
  expect(r.status).toBe(200);
  return (r.json() as SignedIn).token;
}

const JUNE = dayFromDate(2025, 6, 2);
const M1 = '1200050000009';
const M2 = '1200050000106';

/** A 48-half-hour day packed as the desktop packs it: half-hour s holds base + s / 1000 kWh. */
function day(meter: string, d: number, base: number): PushedDay {
  const v = Float64Array.from({ length: 48 }, (_, s) => base + s / 1000);
  const q = new Uint8Array(48);
  return {
    meter,
    day: d,
    base: 0,
    vals: packValues(v, q, 0, 48).toString('base64'),
    quality: packQuality(q, 0, 48)?.toString('base64') ?? null,
    volumes: null,
  };
}

const pushBody = (clientId: string, seq: number, days: PushedDay[]) => ({
  clientId,
  clientName: 'Test laptop',
  mutations: [{ seq, kind: 'days', days }],
});

/** The health report expected with the database reachable or not. */
const healthy = (reachable: boolean, head: unknown) => ({
  status: reachable ? 'ok' : 'degraded',
  database: 'postgres',
  databaseReachable: reachable,
  schemaVersion: SCHEMA,
  head,
  appVersion: APP_VERSION,
});

describe('shared server host', () => {
  it('GET /health: ok with the schema and head, no CORS, not cached', async () => {
    const r = await request('GET', '/health');
    expect(r.status).toBe(200);
    expect(r.json()).toEqual(healthy(true, expect.any(Number)));
    expect(r.headers['access-control-allow-origin']).toBeUndefined();
    expect(r.headers['cache-control']).toBe('no-store');
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect((await request('POST', '/health')).status).toBe(405);
    const missing = await request('GET', '/rpc/meters.list');
    expect(missing.status).toBe(404);
    expect(missing.json()).toEqual({ error: { code: 'NOT_FOUND', message: 'GET /rpc/meters.list not found' } });
  });

  it('POST /auth/token: a session token that pulls; one 401 for a wrong name or password; 400 names the field', async () => {
    const before = Date.now();
    const r = await post('/auth/token', { username: 'MAX', password: PW });
    expect(r.status).toBe(200);
    const signed = r.json() as SignedIn;
    expect(signed.user).toEqual({ name: 'max', role: 'manager' });
    const expires = Date.parse(signed.expiresAt);
    expect(expires).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 + 7 * 86_400_000);
    expect(expires).toBeLessThanOrEqual(Date.now() + 7 * 86_400_000);
    const pull = await post('/sync/pull', { clientId: randomUUID(), cursor: '' }, signed.token);
    expect(pull.status).toBe(200);

    const wrong = await post('/auth/token', { username: 'max', password: 'not the password' });
    const nobody = await post('/auth/token', { username: 'nobody', password: PW });
    expect(wrong.status).toBe(401);
    expect(nobody.status).toBe(401);
    expect(wrong.json()).toEqual({ error: { code: 'UNAUTHENTICATED', message: 'Wrong user name or password' } });
    expect(nobody.raw.equals(wrong.raw)).toBe(true);

    const noPassword = await post('/auth/token', { username: 'max' });
    expect(noPassword.status).toBe(400);
    expect(noPassword.json()).toMatchObject({
      error: { code: 'INVALID_ARGS', message: expect.stringContaining('(password)') },
    });
    const notJson = await request('POST', '/auth/token', { body: '{"username":' });
    expect(notJson.status).toBe(400);
    expect(notJson.json()).toEqual({ error: { code: 'INVALID_ARGS', message: 'The request body is not valid JSON' } });
    expect((await request('GET', '/auth/token')).headers.allow).toBe('POST');
  });

  it('limits failed sign-ins: 429 with Retry-After, even for the right password', async () => {
    for (let i = 0; i < LOGIN_FAILURES_PER_ACCOUNT; i++)
      expect((await post('/auth/token', { username: 'rita', password: `wrong ${i}` })).status).toBe(401);
    const r = await post('/auth/token', { username: 'rita', password: PW });
    expect(r.status).toBe(429);
    const wait = Number(r.headers['retry-after']);
    expect(wait).toBeGreaterThan(LOGIN_WINDOW_S - 60);
    expect(wait).toBeLessThanOrEqual(LOGIN_WINDOW_S);
    expect(r.json()).toMatchObject({
      error: { code: 'UNAVAILABLE', message: 'Too many sign-in attempts; try again in 15 minutes' },
    });
  });

  it('sync calls need a valid bearer token: none, unknown, revoked are 401', async () => {
    const body = { clientId: randomUUID(), cursor: '' };
    const none = await post('/sync/pull', body);
    expect(none.status).toBe(401);
    expect(none.headers['www-authenticate']).toBe('Bearer');
    expect(none.json()).toMatchObject({ error: { code: 'UNAUTHENTICATED' } });
    expect((await post('/sync/push', pushBody(randomUUID(), 1, [day(M1, JUNE, 1)]), 'eclectyc_made_up')).status).toBe(
      401,
    );
    const accounts = createSharedAccounts(server.store);
    const t = await accounts.createToken('ci', 'viewer', 'anna');
    expect((await post('/sync/pull', body, t.token)).status).toBe(200);
    await accounts.revokeToken('ci');
    const revoked = await post('/sync/pull', body, t.token);
    expect(revoked.status).toBe(401);
    expect(revoked.json()).toMatchObject({
      error: { message: expect.stringContaining('not valid (expired, revoked') },
    });
  });

  it('bodies: 400 naming the field, 413 over the limit (plain or a gzip bomb), 415 an unknown encoding', async () => {
    const token = await signIn('max');
    const badId = await post('/sync/pull', { clientId: 'not-a-uuid', cursor: '' }, token);
    expect(badId.status).toBe(400);
    expect(badId.json()).toMatchObject({
      error: { code: 'INVALID_ARGS', message: expect.stringContaining('(clientId)') },
    });
    const badSeq = await post(
      '/sync/push',
      {
        ...pushBody(randomUUID(), 1, [day(M1, JUNE, 1)]),
        mutations: [{ seq: 'one', kind: 'days', days: [day(M1, JUNE, 1)] }],
      },
      token,
    );
    expect(badSeq.status).toBe(400);
    expect(badSeq.json()).toMatchObject({ error: { message: expect.stringContaining('(mutations.0.seq)') } });

    const big = JSON.stringify({ clientId: randomUUID(), cursor: 'x'.repeat(MAX_BODY) });
    const tooBig = await request('POST', '/sync/pull', { body: big, token });
    expect(tooBig.status).toBe(413);
    expect(tooBig.json()).toMatchObject({
      error: { code: 'BAD_INPUT', message: expect.stringContaining('larger than 1 MB') },
    });
    const bomb = gzipSync(Buffer.from(big));
    expect(bomb.length).toBeLessThan(MAX_BODY / 10);
    const zipped = await request('POST', '/sync/pull', { body: bomb, token, headers: { 'content-encoding': 'gzip' } });
    expect(zipped.status).toBe(413);
    const brotli = await request('POST', '/sync/pull', { body: '{}', token, headers: { 'content-encoding': 'br' } });
    expect(brotli.status).toBe(415);
    const notGzip = await request('POST', '/sync/pull', { body: '{}', token, headers: { 'content-encoding': 'gzip' } });
    expect(notGzip.status).toBe(400);
    expect(notGzip.json()).toEqual({ error: { code: 'BAD_INPUT', message: 'The request body is not valid gzip' } });
  });

  it("refuses a viewer's push with 403 and applies nothing", async () => {
    const token = await signIn('vic');
    const clientId = randomUUID();
    const before = await server.store.query<{ n: number }>('SELECT count(*)::int AS n FROM meter_days');
    const r = await post('/sync/push', pushBody(clientId, 1, [day(M2, JUNE, 5)]), token);
    expect(r.status).toBe(403);
    expect(r.json()).toMatchObject({
      error: { code: 'FORBIDDEN', message: expect.stringContaining('A viewer pulls only') },
    });
    const after = await server.store.query<{ n: number }>('SELECT count(*)::int AS n FROM meter_days');
    expect(after.rows[0]!.n).toBe(before.rows[0]!.n);
    const ledger = await server.store.query('SELECT 1 FROM mutations WHERE client_id = $1', [clientId]);
    expect(ledger.rowCount).toBe(0);
  });

  it("a manager's gzipped push, retried once, and another desktop's gzipped pull round trip byte for byte", async () => {
    const token = await signIn('max');
    const laptop = randomUUID();
    const days = Array.from({ length: 20 }, (_, i) => day(M1, JUNE + i, 10 + i));
    const body = gzipSync(Buffer.from(JSON.stringify(pushBody(laptop, 1, days))));
    const send = () =>
      request('POST', '/sync/push', {
        body,
        token,
        headers: { 'content-encoding': 'gzip', 'accept-encoding': 'gzip' },
      });
    const first = await send();
    expect(first.status).toBe(200);
    const pushed = first.json() as PushResponse;
    expect(pushed.results).toEqual([{ seq: 1, applied: true, version: expect.any(Number), conflicts: 0, overrode: 0 }]);
    const again = (await send()).json() as PushResponse;
    expect(again.results[0]).toMatchObject({ seq: 1, applied: false, version: pushed.results[0]!.version });

    const other = randomUUID();
    const zipped = await post('/sync/pull', { clientId: other, cursor: '' }, token, { 'accept-encoding': 'gzip' });
    expect(zipped.status).toBe(200);
    expect(zipped.headers['content-encoding']).toBe('gzip');
    const page = zipped.json() as PullResponse;
    expect(zipped.raw.length).toBeLessThan(Buffer.byteLength(JSON.stringify(page)));
    const got = page.days.filter((d) => d.meter === M1).sort((a, b) => a.day - b.day);
    expect(got.map(({ meter, day: d, vals, quality, volumes }) => ({ meter, day: d, vals, quality, volumes }))).toEqual(
      days.map(({ meter, day: d, vals, quality, volumes }) => ({ meter, day: d, vals, quality, volumes })),
    );
    // decoded independently of codec.ts: a uint16 day of 3 decimals, half-hour s is base + s/1000
    const packedDay = Buffer.from(got[3]!.vals, 'base64');
    expect(packedDay[0]).toBe(0x13);
    expect(packedDay.readUInt16LE(1 + 2 * 47) / 1000).toBe(13 + 47 / 1000);
    expect(page.head).toBeGreaterThanOrEqual(pushed.results[0]!.version);

    // without Accept-Encoding the same answer comes plain
    const plain = await post('/sync/pull', { clientId: other, cursor: '' }, token);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.json()).toEqual(page);
  });

  it('PostgreSQL restarted under the running server: health degraded, then ok; a pull succeeds afterwards', async () => {
    const token = await signIn('max');
    const pushed = await post('/sync/push', pushBody(randomUUID(), 1, [day(M2, JUNE + 100, 7)]), token);
    expect(pushed.status).toBe(200);
    const clientId = randomUUID();
    const before = (await post('/sync/pull', { clientId, cursor: '' }, token)).json() as PullResponse;
    expect(before.days.filter((d) => d.meter === M2).map((d) => d.day)).toEqual([JUNE + 100]);
    // the test server runs with synchronous_commit off: flush what is committed before the crash
    await server.store.query('CHECKPOINT');
    pgs.kill();
    try {
      const down = await request('GET', '/health');
      expect(down.status).toBe(503);
      expect(down.json()).toEqual(healthy(false, null));
      const pull = await post('/sync/pull', { clientId, cursor: '' }, token);
      expect(pull.status).toBe(503);
      expect(pull.headers['retry-after']).toBe('5');
      expect(pull.json()).toMatchObject({
        error: { code: 'UNAVAILABLE', message: expect.stringContaining('cannot reach its database') },
      });
    } finally {
      pgs.start();
    }
    const up = await request('GET', '/health');
    expect(up.status).toBe(200);
    expect(up.json()).toEqual(healthy(true, before.head));
    const after = await post('/sync/pull', { clientId, cursor: '' }, token);
    expect(after.status).toBe(200);
    expect(after.json()).toEqual(before);
  });
});
