import { describe, expect, it } from 'vitest';
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

describe('signing in and out (the host played by the test; the real one in tests/e2e/users.spec.ts)', () => {
  const seen: { url: string; init: RequestInit | undefined }[] = [];
  /** The host's answers: ana with the right password signs in, "locked" is rate-limited. */
  const host = (async (url: string, init?: RequestInit) => {
    seen.push({ url, init });
    if (url.endsWith('/auth/logout')) return new Response(null, { status: 204 });
    const { username, password } = JSON.parse(String(init?.body)) as { username: string; password: string };
    if (username === 'locked') return new Response(null, { status: 429, headers: { 'retry-after': '240' } });
    if (username === 'ana' && password === 'right password')
      return new Response(JSON.stringify({ ok: true, value: { name: 'ana', role: 'viewer' } }), { status: 200 });
    return new Response('{"ok":false}', { status: 401 });
  }) as typeof fetch;
  const base = 'http://127.0.0.1:4000/app/';

  it('posts the name and password as JSON, same origin, and reads who signed in', async () => {
    const r = await signIn('ana', 'right password', { baseUrl: base, fetch: host });
    expect(r).toEqual({ ok: true, name: 'ana', role: 'viewer' });
    expect(seen.at(-1)?.url).toBe('http://127.0.0.1:4000/app/auth/login');
    expect(seen.at(-1)?.init).toMatchObject({
      method: 'POST',
      credentials: 'same-origin',
      body: '{"username":"ana","password":"right password"}',
    });
  });

  it('gives the refusal in words', async () => {
    expect(await signIn('ana', 'wrong', { baseUrl: base, fetch: host })).toEqual({
      ok: false,
      message: 'That user name and password do not match',
    });
    expect(await signIn('locked', 'x', { baseUrl: base, fetch: host })).toEqual({
      ok: false,
      message: 'Too many attempts: try again in 4 minutes',
    });
  });

  it('says when the server cannot be reached, and signs out', async () => {
    const down = (async () => {
      throw new TypeError('fetch failed');
    }) as typeof fetch;
    expect(await signIn('ana', 'x', { baseUrl: base, fetch: down })).toEqual({
      ok: false,
      message: 'Cannot reach the Eclectyc server (fetch failed)',
    });
    await signOut({ baseUrl: base, fetch: host });
    expect(seen.at(-1)?.url).toBe('http://127.0.0.1:4000/app/auth/logout');
    await expect(signOut({ baseUrl: base, fetch: down })).resolves.toBeUndefined();
  });
});
