import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../core/app';
import { makeCore, tempDir } from '../../tests/helpers/core';
import { MemoryAuth, raw } from '../../tests/helpers/http-host';
import { closeHttpHost, createHttpHost, listen, type HttpHost, type HttpHostOptions } from './http';

let core: Core | undefined;
let server: HttpHost | undefined;
afterEach(async () => {
  if (server) await closeHttpHost(server);
  await core?.stop();
  server = undefined;
  core = undefined;
});

/** A real host on `bind`; returns its port. */
async function start(bind: string, opts: HttpHostOptions = {}): Promise<number> {
  core = await makeCore({ host: 'server' });
  server = createHttpHost(core, opts);
  const url = await listen(server, 0, bind);
  return Number(new URL(url).port);
}

const json = (body: string): { ok: boolean; value?: unknown; error?: { code: string; message: string } } =>
  JSON.parse(body) as never;

const retentionDays = (): number => core!.settings.get().importRetentionDays;

describe('DNS rebinding: the Host header must name this server, whatever the bind address', () => {
  it('refuses a forged Host matching its Origin on a 0.0.0.0 bind, even with a signed-in session', async () => {
    const auth = new MemoryAuth();
    const cookie = auth.signedIn('anna', 'admin');
    const port = await start('0.0.0.0', { auth });
    const before = retentionDays();
    const attack = await raw('127.0.0.1', port, {
      method: 'POST',
      path: '/rpc/settings.update',
      headers: {
        host: `rebind.evil.example:${port}`,
        origin: `http://rebind.evil.example:${port}`,
        cookie: `eclectyc_session=${cookie}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ importRetentionDays: before + 7 }),
    });
    expect(attack.status).toBe(403);
    expect(json(attack.body).error?.code).toBe('FORBIDDEN');
    expect(retentionDays()).toBe(before);
    // nor does it answer the rebound page's reads (which need no Origin)
    const read = await raw('127.0.0.1', port, {
      path: '/events',
      headers: { host: `rebind.evil.example:${port}`, cookie: `eclectyc_session=${cookie}` },
    });
    expect(read.status).toBe(403);
    // the same call under this server's own name goes through
    const own = await raw('127.0.0.1', port, {
      method: 'POST',
      path: '/rpc/settings.update',
      headers: { origin: `http://127.0.0.1:${port}`, cookie: `eclectyc_session=${cookie}` },
      body: JSON.stringify({ importRetentionDays: before + 7 }),
    });
    expect(json(own.body).ok).toBe(true);
    expect(retentionDays()).toBe(before + 7);
  });

  it('refuses a forged Host on a 127.0.0.2 bind, where the local admin needs no sign-in', async () => {
    const port = await start('127.0.0.2');
    const before = retentionDays();
    const attack = await raw('127.0.0.2', port, {
      method: 'POST',
      path: '/rpc/settings.update',
      headers: { host: `rebind.evil.example:${port}`, origin: `http://rebind.evil.example:${port}` },
      body: JSON.stringify({ importRetentionDays: before + 1 }),
    });
    expect(attack.status).toBe(403);
    // reads are refused too: the page would otherwise read the data back
    const read = await raw('127.0.0.2', port, {
      method: 'GET',
      path: '/health',
      headers: { host: `rebind.evil.example:${port}` },
    });
    expect(read.status).toBe(403);
    expect(retentionDays()).toBe(before);
    const own = await raw('127.0.0.2', port, {
      method: 'POST',
      path: '/rpc/app.info',
      headers: { origin: `http://127.0.0.2:${port}` },
      body: '{}',
    });
    expect(json(own.body)).toMatchObject({ ok: true, value: { role: 'admin' } });
  });

  it('answers to the names given with --public-url (Host and Origin), and to no others', async () => {
    const auth = new MemoryAuth();
    const cookie = auth.signedIn('anna', 'manager');
    const port = await start('127.0.0.1', { auth, publicUrls: ['https://energy.example.org'] });
    const viaProxy = await raw('127.0.0.1', port, {
      method: 'POST',
      path: '/rpc/app.info',
      headers: {
        host: 'energy.example.org',
        origin: 'https://energy.example.org',
        cookie: `eclectyc_session=${cookie}`,
      },
      body: '{}',
    });
    expect(json(viaProxy.body)).toMatchObject({ ok: true, value: { role: 'manager' } });
    const otherName = await raw('127.0.0.1', port, { path: '/health', headers: { host: 'energy.example.net' } });
    expect(otherName.status).toBe(403);
  });
});

describe('cross-origin requests (CSRF)', () => {
  it('refuses a POST from another origin, a cross-site fetch, and a cookie-bearing POST naming no origin', async () => {
    const auth = new MemoryAuth();
    const cookie = auth.signedIn('anna', 'admin');
    const port = await start('127.0.0.1', { auth });
    const before = retentionDays();
    const post = (headers: Record<string, string>) =>
      raw('127.0.0.1', port, {
        method: 'POST',
        path: '/rpc/settings.update',
        headers: { cookie: `eclectyc_session=${cookie}`, ...headers },
        body: JSON.stringify({ importRetentionDays: before + 3 }),
      });
    expect((await post({ origin: 'https://evil.example' })).status).toBe(403);
    // another port on the same machine is another origin
    expect((await post({ origin: `http://127.0.0.1:${port + 1}` })).status).toBe(403);
    expect((await post({ origin: 'null' })).status).toBe(403);
    expect((await post({ 'sec-fetch-site': 'same-site', origin: `http://127.0.0.1:${port}` })).status).toBe(403);
    expect((await post({ referer: 'https://evil.example/page' })).status).toBe(403);
    expect((await post({})).status).toBe(403);
    expect(retentionDays()).toBe(before);
    const referred = await post({ referer: `http://localhost:${port}/settings` });
    expect(json(referred.body).ok).toBe(true);
    expect(retentionDays()).toBe(before + 3);
  });
});

describe('who is calling', () => {
  it('opens as the local admin on loopback with no users, marked as such', async () => {
    const port = await start('127.0.0.1', { auth: new MemoryAuth() });
    const r = await raw('127.0.0.1', port, { method: 'POST', path: '/rpc/sites.create', body: '{"name":"Depot"}' });
    expect(json(r.body).ok).toBe(true);
    const actor = core!.sqlite
      .prepare("SELECT actor FROM audit_log WHERE action = 'sites.create' AND outcome = 'ok'")
      .pluck()
      .get();
    expect(actor).toMatch(/\(browser\)$/);
  });

  it('refuses every call with 401 once a user exists, before reading the body', async () => {
    const auth = new MemoryAuth();
    auth.users.set('anna', { password: 'pw', role: 'admin' });
    const port = await start('127.0.0.1', { auth });
    const rpc = await raw('127.0.0.1', port, { method: 'POST', path: '/rpc/meters.list', body: '{}' });
    expect(rpc.status).toBe(401);
    expect(json(rpc.body)).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    expect(rpc.headers['cache-control']).toBe('no-store');
    // a body declared as 10 MB, of which only 100 bytes are sent: the answer comes without the rest
    const partial = await raw('127.0.0.1', port, {
      method: 'POST',
      path: '/upload?name=a.csv',
      headers: { 'content-length': String(10 * 1024 * 1024) },
      body: 'x'.repeat(100),
      partial: true,
    });
    expect(partial.status).toBe(401);
    expect((await raw('127.0.0.1', port, { path: '/events' })).status).toBe(401);
    expect(core!.sqlite.prepare('SELECT count(*) FROM stored_files').pluck().get()).toBe(0);
    // what stays public: the health check (and the app's own files)
    expect((await raw('127.0.0.1', port, { path: '/health' })).status).toBe(200);
  });

  it('requires sign-in on a non-loopback bind even with no users (and with no accounts at all)', async () => {
    const port = await start('0.0.0.0', {});
    const r = await raw('127.0.0.1', port, { method: 'POST', path: '/rpc/app.info', body: '{}' });
    expect(r.status).toBe(401);
  });

  it('takes the role of the session, and of a bearer token (no Origin needed, an unknown token refused)', async () => {
    const auth = new MemoryAuth();
    const viewer = auth.signedIn('vic', 'viewer');
    const token = auth.token('nightly-export', 'manager');
    const port = await start('0.0.0.0', { auth });
    const asViewer = await raw('127.0.0.1', port, {
      method: 'POST',
      path: '/rpc/sites.create',
      headers: { cookie: `eclectyc_session=${viewer}`, origin: `http://127.0.0.1:${port}` },
      body: '{"name":"Depot"}',
    });
    expect(json(asViewer.body).error?.code).toBe('FORBIDDEN');
    const asToken = await raw('127.0.0.1', port, {
      method: 'POST',
      path: '/rpc/sites.create',
      headers: { authorization: `Bearer ${token}` },
      body: '{"name":"Depot"}',
    });
    expect(json(asToken.body).ok).toBe(true);
    const actor = core!.sqlite
      .prepare("SELECT actor FROM audit_log WHERE action = 'sites.create' AND outcome = 'ok'")
      .pluck()
      .get();
    expect(actor).toBe('nightly-export (token)');
    const upload = await raw('127.0.0.1', port, {
      method: 'POST',
      path: '/upload?name=a.csv',
      headers: { authorization: `Bearer ${token}` },
      body: 'MPAN,Timestamp,kWh\n',
    });
    expect(json(upload.body)).toMatchObject({ ok: true, value: { bytes: 19 } });
    const stranger = await raw('127.0.0.1', port, {
      method: 'POST',
      path: '/rpc/app.info',
      headers: { authorization: 'Bearer not-a-token' },
      body: '{}',
    });
    expect(stranger.status).toBe(401);
  });

  it('refuses an unknown token on loopback with no users rather than opening as the admin', async () => {
    const port = await start('127.0.0.1', { auth: new MemoryAuth() });
    const r = await raw('127.0.0.1', port, {
      method: 'POST',
      path: '/rpc/app.info',
      headers: { authorization: 'Bearer wrong' },
      body: '{}',
    });
    expect(r.status).toBe(401);
  });
});

describe('signing in and out', () => {
  async function signIn(port: number, body: unknown, headers: Record<string, string> = {}) {
    return raw('127.0.0.1', port, {
      method: 'POST',
      path: '/auth/login',
      headers: { 'content-type': 'application/json', origin: `http://127.0.0.1:${port}`, ...headers },
      body: JSON.stringify(body),
    });
  }

  it('sets an HttpOnly, SameSite=Strict session cookie that then works, a new one each sign-in', async () => {
    const auth = new MemoryAuth();
    auth.users.set('anna', { password: 'correct horse', role: 'manager' });
    const port = await start('127.0.0.1', { auth });
    const r = await signIn(port, { username: 'anna', password: 'correct horse' });
    expect(r.status).toBe(200);
    expect(json(r.body)).toEqual({ ok: true, value: { name: 'anna', role: 'manager' } });
    const set = r.headers['set-cookie']![0]!;
    const attrs = set.split('; ');
    const value = /^eclectyc_session=([^;]+)$/.exec(attrs[0]!)![1]!;
    expect(attrs).toEqual(expect.arrayContaining(['HttpOnly', 'SameSite=Strict', 'Path=/']));
    expect(attrs).not.toContain('Secure');
    const maxAge = Number(attrs.find((a) => a.startsWith('Max-Age='))!.slice(8));
    expect(maxAge).toBeGreaterThan(3590);
    expect(maxAge).toBeLessThanOrEqual(3600);
    expect(auth.attempts).toEqual([{ username: 'anna', ip: '127.0.0.1' }]);

    const call = await raw('127.0.0.1', port, {
      method: 'POST',
      path: '/rpc/app.info',
      headers: { cookie: `other=1; eclectyc_session=${value}`, origin: `http://127.0.0.1:${port}` },
      body: '{}',
    });
    expect(json(call.body)).toMatchObject({ ok: true, value: { role: 'manager' } });
    const again = await signIn(port, { username: 'anna', password: 'correct horse' });
    expect(again.headers['set-cookie']![0]).not.toBe(set);

    const out = await raw('127.0.0.1', port, {
      method: 'POST',
      path: '/auth/logout',
      headers: { cookie: `eclectyc_session=${value}`, origin: `http://127.0.0.1:${port}` },
    });
    expect(out.status).toBe(200);
    expect(out.headers['set-cookie']![0]).toMatch(/^eclectyc_session=; HttpOnly; SameSite=Strict; Path=\/; Max-Age=0/);
    const after = await raw('127.0.0.1', port, {
      method: 'POST',
      path: '/rpc/app.info',
      headers: { cookie: `eclectyc_session=${value}`, origin: `http://127.0.0.1:${port}` },
      body: '{}',
    });
    expect(after.status).toBe(401);
  });

  it('answers a wrong password and an unknown name alike (401), a disabled account 403, a rate limit 429', async () => {
    const auth = new MemoryAuth();
    auth.users.set('anna', { password: 'right', role: 'admin' });
    auth.users.set('old', { password: 'right', role: 'viewer', disabled: true });
    const port = await start('127.0.0.1', { auth });
    const wrong = await signIn(port, { username: 'anna', password: 'wrong' });
    const unknown = await signIn(port, { username: 'nobody', password: 'wrong' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(json(wrong.body)).toEqual(json(unknown.body));
    expect(json(wrong.body).error).toEqual({ code: 'UNAUTHENTICATED', message: 'Wrong user name or password' });
    expect(wrong.headers['set-cookie']).toBeUndefined();
    expect((await signIn(port, { username: 'old', password: 'right' })).status).toBe(403);
    auth.limited = 900;
    const limited = await signIn(port, { username: 'anna', password: 'right' });
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toBe('900');
    expect(json(limited.body).error?.message).toBe('Too many sign-in attempts; try again in 15 minutes');
    expect((await signIn(port, { username: 'anna' })).status).toBe(400);
    expect((await signIn(port, { username: 'anna', password: 'x'.repeat(9000) })).status).toBe(413);
    // a sign-in posted from another site (login CSRF) is refused before it is tried
    const tries = auth.attempts.length;
    expect(
      (await signIn(port, { username: 'anna', password: 'right' }, { origin: 'https://evil.example' })).status,
    ).toBe(403);
    expect(auth.attempts.length).toBe(tries);
  });
});

describe('headers', () => {
  it('sends nosniff, no-referrer and DENY on every answer, no-store on API answers', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>app</title>');
    const port = await start('127.0.0.1', { staticDir: dir });
    const answers = [
      await raw('127.0.0.1', port, { path: '/' }),
      await raw('127.0.0.1', port, { path: '/missing.js' }),
      await raw('127.0.0.1', port, { path: '/health' }),
      await raw('127.0.0.1', port, { method: 'POST', path: '/rpc/app.info', body: '{}' }),
      await raw('127.0.0.1', port, { method: 'POST', path: '/nowhere' }),
    ];
    for (const a of answers) {
      expect(a.headers).toMatchObject({
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
        'x-frame-options': 'DENY',
      });
      expect(a.headers['strict-transport-security']).toBeUndefined();
    }
    for (const a of answers.slice(2)) expect(a.headers['cache-control']).toBe('no-store');
  });
});

const openssl = (() => {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe.runIf(openssl)('HTTPS', () => {
  it('serves over TLS with a self-signed certificate: HSTS, and a Secure session cookie', async () => {
    const dir = tempDir();
    const cert = path.join(dir, 'cert.pem');
    const key = path.join(dir, 'key.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        key,
        '-out',
        cert,
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
      ].concat(['-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1']),
      { stdio: 'ignore' },
    );
    const auth = new MemoryAuth();
    auth.users.set('anna', { password: 'pw', role: 'admin' });
    core = await makeCore({ host: 'server' });
    server = createHttpHost(core, { auth, tls: { cert: fs.readFileSync(cert), key: fs.readFileSync(key) } });
    const url = await listen(server, 0, '127.0.0.1');
    expect(url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/$/);
    const port = Number(new URL(url).port);
    const ca = fs.readFileSync(cert);
    const r = await raw('127.0.0.1', port, {
      ca,
      method: 'POST',
      path: '/auth/login',
      headers: { origin: `https://127.0.0.1:${port}` },
      body: JSON.stringify({ username: 'anna', password: 'pw' }),
    });
    expect(r.status).toBe(200);
    expect(r.headers['strict-transport-security']).toBe('max-age=31536000');
    expect(r.headers['set-cookie']![0]).toMatch(/; Secure$/);
    // a plain-HTTP origin is not this server's origin any more
    const plain = await raw('127.0.0.1', port, {
      ca,
      method: 'POST',
      path: '/auth/login',
      headers: { origin: `http://127.0.0.1:${port}` },
      body: JSON.stringify({ username: 'anna', password: 'pw' }),
    });
    expect(plain.status).toBe(403);
  });
});
