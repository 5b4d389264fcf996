import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, signInFailure, signOut, waitText } from './session';

describe('a refused sign-in in words', () => {
  it('tells a wrong password, a lockout with its wait, and a disabled account apart', () => {
    expect(signInFailure(401, null)).toBe('That user name and password do not match');
    expect(signInFailure(429, '240')).toBe('Too many attempts: try again in 4 minutes');
    expect(signInFailure(429, '61')).toBe('Too many attempts: try again in 2 minutes');
    expect(signInFailure(429, '45')).toBe('Too many attempts: try again in 45 seconds');
    expect(signInFailure(429, null)).toBe('Too many attempts: wait a few minutes and try again');
    expect(signInFailure(403, null)).toBe('This account is disabled: ask an administrator');
    expect(signInFailure(500, null)).toMatch(/HTTP 500/);
  });

  it('rounds waits up', () => {
    expect([waitText(0), waitText(1), waitText(59), waitText(60), waitText(60.5), waitText(3600)]).toEqual([
      '1 second',
      '1 second',
      '59 seconds',
      '1 minute',
      '2 minutes',
      '60 minutes',
    ]);
  });
});

describe('signing in and out over HTTP', () => {
  let server: Server;
  let base = '';
  const seen: { url: string; body: string }[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        seen.push({ url: req.url ?? '', body });
        if (req.url?.endsWith('/auth/logout')) return void res.writeHead(204).end();
        const { username, password } = JSON.parse(body) as { username: string; password: string };
        if (username === 'locked') return void res.writeHead(429, { 'retry-after': '240' }).end();
        if (username === 'ana' && password === 'right password')
          return void res
            .writeHead(200, { 'content-type': 'application/json', 'set-cookie': 'eclectyc_session=x; HttpOnly' })
            .end(JSON.stringify({ ok: true, value: { name: 'ana', role: 'viewer' } }));
        res.writeHead(401, { 'content-type': 'application/json' }).end('{"ok":false}');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/app/`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('posts the name and password as JSON and reads who signed in', async () => {
    const r = await signIn('ana', 'right password', { baseUrl: base, fetch });
    expect(r).toEqual({ ok: true, name: 'ana', role: 'viewer' });
    expect(seen.at(-1)).toEqual({ url: '/app/auth/login', body: '{"username":"ana","password":"right password"}' });
  });

  it('gives the refusal in words', async () => {
    expect(await signIn('ana', 'wrong', { baseUrl: base, fetch })).toEqual({
      ok: false,
      message: 'That user name and password do not match',
    });
    expect(await signIn('locked', 'x', { baseUrl: base, fetch })).toEqual({
      ok: false,
      message: 'Too many attempts: try again in 4 minutes',
    });
  });

  it('says when the server cannot be reached, and signs out', async () => {
    const r = await signIn('ana', 'x', { baseUrl: 'http://127.0.0.1:1/', fetch });
    expect(r.ok).toBe(false);
    expect(r.ok ? '' : r.message).toMatch(/^Cannot reach the Eclectyc server/);
    await signOut({ baseUrl: base, fetch });
    expect(seen.at(-1)?.url).toBe('/app/auth/logout');
  });
});
