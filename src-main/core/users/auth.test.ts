/**
 * Accounts on a real core and SQLite file: scrypt hashes checked against Node's scryptSync, sessions
 * and tokens found by the SHA-256 of what the caller holds, expiry and rate limits driven by a
 * clock the test moves, and the contract's users.* / tokens.* / auth.me through dispatch.
 */
import { createHash, scryptSync } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CallContext } from '../../../src-shared/contract/api';
import { dispatch } from '../rpc/dispatch';
import type { Core } from '../app';
import { makeCore } from '../../../tests/helpers/core';
import { DUMMY_HASH, hashPassword, verifyPassword } from './auth-service';

const HOUR = 3600 * 1000;
const PASSWORD = 'correct horse battery';
const admin: CallContext = { role: 'admin', actor: 'test' };

let now: number;
let core: Core;
beforeEach(async () => {
  now = Date.UTC(2025, 0, 6, 9);
  core = await makeCore({ clock: { now: () => now } });
});
afterEach(async () => {
  await core.stop();
});

async function call<T>(method: string, args: unknown, ctx: CallContext = admin): Promise<T> {
  const r = await dispatch(core.handlers, method, args, ctx);
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value as T;
}
const addUser = (username: string, role = 'viewer', password = PASSWORD) =>
  call('users.create', { username, role, password });
const hex256 = (s: string) => createHash('sha256').update(s).digest('hex');
const storedHash = (username: string) =>
  (core.sqlite.prepare('SELECT password_hash AS h FROM users WHERE username = ?').get(username) as { h: string }).h;
async function signIn(username: string, password = PASSWORD, ip = '10.0.0.1'): Promise<string> {
  const r = await core.auth.login(username, password, ip, 'test agent');
  if (!r.ok) throw new Error(`login failed: ${r.reason}`);
  return r.cookieValue;
}

describe('passwords', () => {
  it('hashes with scrypt in the stored form, verifies the password and refuses another', async () => {
    const h = await hashPassword(PASSWORD);
    const [tag, n, r, p, salt, key] = h.split('$');
    expect([tag, n, r, p]).toEqual(['scrypt', '32768', '8', '1']);
    const again = scryptSync(PASSWORD, Buffer.from(salt!, 'base64'), 32, { N: 32768, r: 8, p: 1, maxmem: 64 << 20 });
    expect(again.toString('base64')).toBe(key);
    expect(await verifyPassword(PASSWORD, h)).toBe(true);
    expect(await verifyPassword(PASSWORD + ' ', h)).toBe(false);
    expect(await verifyPassword(PASSWORD, 'not a hash')).toBe(false);
  });

  it('stores neither the password nor the same hash twice, and lists users without either', async () => {
    await addUser('anna', 'admin');
    await addUser('Ben', 'viewer');
    const a = storedHash('anna');
    const b = storedHash('Ben');
    expect(a).not.toContain(PASSWORD);
    expect(a).not.toBe(b);
    expect(a.split('$')[4]).not.toBe(b.split('$')[4]);
    const list = await call<Record<string, unknown>[]>('users.list', {});
    expect(list).toEqual([
      {
        username: 'anna',
        role: 'admin',
        disabled: false,
        createdAt: '2025-01-06T09:00:00Z',
        lastLoginAt: null,
        activeSessions: 0,
      },
      expect.objectContaining({ username: 'Ben', role: 'viewer' }),
    ]);
    expect(JSON.stringify(list)).not.toContain('scrypt');
  });

  it('treats user names case-insensitively: a second "ANNA" is refused, "ANNA" signs in as anna', async () => {
    await addUser('anna', 'admin');
    await expect(addUser('ANNA')).rejects.toThrow(/^CONFLICT: A user named "ANNA" exists already/);
    const r = await core.auth.login('ANNA', PASSWORD, '10.0.0.1');
    expect(r.ok && r.principal).toMatchObject({ name: 'anna', role: 'admin', via: 'session' });
  });
});

describe('sessions', () => {
  beforeEach(async () => {
    await addUser('anna', 'admin');
    await addUser('ben', 'manager');
  });

  it('gives a new random session on every sign-in, stored only as its SHA-256', async () => {
    expect(core.auth.hasUsers()).toBe(true);
    const r = await core.auth.login('ben', PASSWORD, '10.0.0.9', 'Firefox');
    if (!r.ok) throw new Error('login failed');
    expect(r.cookieValue).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(r.expiresAt).toBe(now / 1000 + 7 * 24 * 3600);
    const second = await signIn('ben');
    expect(second).not.toBe(r.cookieValue);
    const rows = core.sqlite.prepare('SELECT * FROM sessions ORDER BY created_at').all() as Record<string, unknown>[];
    expect(rows.map((s) => s.id_hash).sort()).toEqual([hex256(r.cookieValue), hex256(second)].sort());
    expect(JSON.stringify(rows)).not.toContain(r.cookieValue);
    expect(rows.find((s) => s.id_hash === hex256(r.cookieValue))).toMatchObject({
      ip: '10.0.0.9',
      user_agent: 'Firefox',
    });
    expect(core.auth.fromSession(r.cookieValue)).toEqual({
      name: 'ben',
      role: 'manager',
      via: 'session',
      id: hex256(r.cookieValue),
    });
    expect(core.auth.fromSession(second)?.name).toBe('ben');
    expect(core.auth.fromSession(r.cookieValue.slice(1) + 'A')).toBeNull();
    const ben = (await call<{ username: string; activeSessions: number; lastLoginAt: string }[]>('users.list', {}))[1]!;
    expect(ben).toMatchObject({ activeSessions: 2, lastLoginAt: '2025-01-06T09:00:00Z' });
  });

  it('ends after 12 hours idle, slides while in use, and ends 7 days after sign-in whatever', async () => {
    const idle = await signIn('ben');
    now += 12 * HOUR - 1000;
    expect(core.auth.fromSession(idle)).not.toBeNull();
    now += 12 * HOUR - 1000; // slid: 12 h less 1 s since the last request
    expect(core.auth.fromSession(idle)).not.toBeNull();
    now += 12 * HOUR;
    expect(core.auth.fromSession(idle)).toBeNull();

    const start = now;
    const busy = await signIn('ben');
    while (now + 6 * HOUR < start + 7 * 24 * HOUR) {
      now += 6 * HOUR;
      expect(core.auth.fromSession(busy)).not.toBeNull();
    }
    now = start + 7 * 24 * HOUR;
    expect(core.auth.fromSession(busy)).toBeNull();
  });

  it('records the last request at most once a minute', async () => {
    const c = await signIn('ben');
    const seen = () =>
      (core.sqlite.prepare('SELECT last_seen_at AS t FROM sessions WHERE id_hash = ?').get(hex256(c)) as { t: number })
        .t;
    const t0 = now / 1000;
    now += 59 * 1000;
    core.auth.fromSession(c);
    expect(seen()).toBe(t0);
    now += 1000;
    core.auth.fromSession(c);
    expect(seen()).toBe(t0 + 60);
  });

  it('signs out one session, leaving the other', async () => {
    const a = await signIn('ben');
    const b = await signIn('ben');
    core.auth.logout(a);
    core.auth.logout('no such cookie');
    core.auth.logout('');
    expect(core.auth.fromSession(a)).toBeNull();
    expect(core.auth.fromSession(b)?.name).toBe('ben');
  });

  it('signs a user out everywhere on a new password, a new role, disabling or removal; not others', async () => {
    const other = await signIn('anna');
    const s1 = await signIn('ben');
    await call('users.update', { username: 'ben', password: 'a brand new password' });
    expect(core.auth.fromSession(s1)).toBeNull();
    expect((await core.auth.login('ben', PASSWORD, '10.0.0.2')).ok).toBe(false);

    const s2 = await signIn('ben', 'a brand new password');
    await call('users.update', { username: 'BEN', role: 'viewer' });
    expect(core.auth.fromSession(s2)).toBeNull();
    expect(core.auth.fromSession(await signIn('ben', 'a brand new password'))?.role).toBe('viewer');

    const s3 = await signIn('ben', 'a brand new password');
    await call('users.update', { username: 'ben', disabled: true });
    expect(core.auth.fromSession(s3)).toBeNull();
    expect(await core.auth.login('ben', 'a brand new password', '10.0.0.2')).toEqual({ ok: false, reason: 'disabled' });
    await call('users.update', { username: 'ben', disabled: false });

    const s4 = await signIn('ben', 'a brand new password');
    await call('users.update', { username: 'ben', role: 'viewer' }); // the same role: nothing changes
    expect(core.auth.fromSession(s4)?.name).toBe('ben');
    expect(await call('users.remove', { username: 'ben' })).toEqual({ removed: true });
    expect(core.auth.fromSession(s4)).toBeNull();
    expect(core.sqlite.prepare('SELECT count(*) AS n FROM sessions WHERE user_id <> 1').get()).toEqual({ n: 0 });
    await expect(call('users.remove', { username: 'ben' })).rejects.toThrow(/^NOT_FOUND: No user is named "ben"/);
    expect(core.auth.fromSession(other)?.name).toBe('anna');
  });

  it("refuses a disabled user's existing session even if it was not revoked", async () => {
    const c = await signIn('ben');
    core.sqlite.prepare("UPDATE users SET disabled = 1 WHERE username = 'ben'").run();
    expect(core.auth.fromSession(c)).toBeNull();
  });
});

describe('sign-in rate limits', () => {
  beforeEach(async () => {
    await addUser('anna', 'admin');
  });

  it('locks an account after 5 failures in 15 minutes, even with the right password, until the window passes', async () => {
    const start = now;
    for (let i = 0; i < 5; i++) {
      expect(await core.auth.login('anna', 'wrong password', `10.0.1.${i}`)).toEqual({ ok: false, reason: 'invalid' });
      now += 60 * 1000;
    }
    // the first failure was 5 minutes ago: 10 minutes to go
    expect(await core.auth.login('Anna', PASSWORD, '10.0.2.1')).toEqual({
      ok: false,
      reason: 'rate-limited',
      retryAfter: 600,
    });
    now = start + 15 * 60 * 1000 - 1000;
    expect(await core.auth.login('anna', PASSWORD, '10.0.2.1')).toMatchObject({
      reason: 'rate-limited',
      retryAfter: 1,
    });
    now = start + 15 * 60 * 1000;
    expect((await core.auth.login('anna', PASSWORD, '10.0.2.1')).ok).toBe(true);
    // a success starts the account's count afresh
    for (let i = 0; i < 4; i++) await core.auth.login('anna', 'wrong password', '10.0.3.1');
    expect((await core.auth.login('anna', PASSWORD, '10.0.3.1')).ok).toBe(true);
  });

  it('counts attempts still being checked: 8 at once for one account get 5 answers and 3 refusals', async () => {
    const all = await Promise.all(
      Array.from({ length: 8 }, (_, i) => core.auth.login('anna', `wrong password ${i}`, `10.0.4.${i}`)),
    );
    expect(all.filter((r) => !r.ok && r.reason === 'invalid')).toHaveLength(5);
    expect(all.filter((r) => !r.ok && r.reason === 'rate-limited')).toHaveLength(3);
  });

  it('locks an address after 20 failures over any names; other addresses still sign in', async () => {
    for (let i = 0; i < 20; i++) {
      const r = await core.auth.login(`nobody${i % 4}`, 'wrong password', '192.0.2.7');
      expect(r).toEqual({ ok: false, reason: 'invalid' });
    }
    expect(await core.auth.login('anna', PASSWORD, '192.0.2.7')).toEqual({
      ok: false,
      reason: 'rate-limited',
      retryAfter: 900,
    });
    expect((await core.auth.login('anna', PASSWORD, '192.0.2.8')).ok).toBe(true);
    now += 15 * 60 * 1000;
    expect((await core.auth.login('anna', PASSWORD, '192.0.2.7')).ok).toBe(true);
  });

  it('checks an unknown name against a hash as costly as a real one (no shortcut tells names apart)', async () => {
    // the same scrypt parameters as every stored password: the same work whether the name exists or not
    const stored = await hashPassword('any password at all');
    expect(DUMMY_HASH.split('$').slice(0, 4)).toEqual(stored.split('$').slice(0, 4));
    expect(await verifyPassword('wrong password', DUMMY_HASH)).toBe(false);
    expect(await core.auth.login('nobody', 'wrong password', '10.9.9.9')).toEqual({ ok: false, reason: 'invalid' });
  });
});

describe('the last admin', () => {
  it('cannot be removed, disabled or demoted while no other enabled admin exists', async () => {
    await addUser('anna', 'admin');
    await addUser('ben', 'admin');
    await call('users.update', { username: 'ben', disabled: true });
    const refused = /^CONFLICT: "anna" is the last enabled admin and cannot be (removed|disabled|demoted)/;
    await expect(call('users.remove', { username: 'anna' })).rejects.toThrow(refused);
    await expect(call('users.update', { username: 'anna', disabled: true })).rejects.toThrow(/disabled: make another/);
    await expect(call('users.update', { username: 'anna', role: 'manager' })).rejects.toThrow(/demoted: make another/);
    expect((await call<{ role: string; disabled: boolean }[]>('users.list', {}))[0]).toMatchObject({
      role: 'admin',
      disabled: false,
    });
    await call('users.update', { username: 'ben', disabled: false });
    await call('users.update', { username: 'anna', role: 'manager' });
    await expect(call('users.remove', { username: 'ben' })).rejects.toThrow(
      /^CONFLICT: "ben" is the last enabled admin and cannot be removed/,
    );
    await call('users.update', { username: 'anna', role: 'admin' });
    expect(await call('users.remove', { username: 'ben' })).toEqual({ removed: true });
  });

  it('lets only an admin manage users and tokens', async () => {
    const r = await dispatch(core.handlers, 'users.list', {}, { role: 'manager', actor: 'm' });
    expect(r.ok ? null : r.error.code).toBe('FORBIDDEN');
    const t = await dispatch(
      core.handlers,
      'tokens.create',
      { name: 'x', role: 'admin' },
      { role: 'manager', actor: 'm' },
    );
    expect(t.ok ? null : t.error.code).toBe('FORBIDDEN');
  });
});

describe('API tokens', () => {
  it('are shown once, stored as their SHA-256, recognised until revoked, their last use recorded', async () => {
    const ctx: CallContext = { role: 'admin', actor: 'anna (session)', via: 'session', name: 'anna' };
    const made = await call<{ name: string; role: string; token: string }>(
      'tokens.create',
      { name: 'nightly export', role: 'viewer' },
      ctx,
    );
    expect(made.name).toBe('nightly export');
    expect(made.role).toBe('viewer');
    expect(made.token).toMatch(/^eclectyc_[A-Za-z0-9_-]{43}$/);
    const row = core.sqlite.prepare('SELECT * FROM api_tokens').get() as Record<string, unknown>;
    expect(row.token_hash).toBe(hex256(made.token));
    expect(JSON.stringify(row)).not.toContain(made.token.slice(9));
    const listed = await call<Record<string, unknown>[]>('tokens.list', {});
    expect(listed).toEqual([
      {
        name: 'nightly export',
        role: 'viewer',
        createdAt: '2025-01-06T09:00:00Z',
        createdBy: 'anna',
        lastUsedAt: null,
        revokedAt: null,
      },
    ]);
    expect(JSON.stringify(listed)).not.toContain(made.token.slice(9));

    now += 5 * 60 * 1000;
    expect(core.auth.fromToken(made.token)).toEqual({
      name: 'nightly export',
      role: 'viewer',
      via: 'token',
      id: String(row.id),
    });
    const lastUsed = async () => (await call<{ lastUsedAt: string }[]>('tokens.list', {}))[0]!.lastUsedAt;
    expect(await lastUsed()).toBe('2025-01-06T09:05:00Z');
    now += 30 * 1000;
    core.auth.fromToken(made.token);
    expect(await lastUsed()).toBe('2025-01-06T09:05:00Z');
    now += 30 * 1000;
    core.auth.fromToken(made.token);
    expect(await lastUsed()).toBe('2025-01-06T09:06:00Z');

    expect(core.auth.fromToken(made.token.slice(0, -1))).toBeNull();
    expect(core.auth.fromToken(made.token.slice(9))).toBeNull();
    await expect(call('tokens.create', { name: 'Nightly Export', role: 'admin' })).rejects.toThrow(
      /^CONFLICT: A token named "nightly export" exists already/,
    );
    expect(await call('tokens.revoke', { name: 'nightly export' })).toEqual({ revoked: true });
    expect(core.auth.fromToken(made.token)).toBeNull();
    expect(await call('tokens.revoke', { name: 'nightly export' })).toEqual({ revoked: false });
    expect((await call<{ revokedAt: string }[]>('tokens.list', {}))[0]!.revokedAt).toBe('2025-01-06T09:06:00Z');
    await expect(call('tokens.revoke', { name: 'other' })).rejects.toThrow(/^NOT_FOUND: No API token is named "other"/);

    // a revoked token's name can be given to a new token; the old one stays refused
    const again = await call<{ token: string }>('tokens.create', { name: 'nightly export', role: 'manager' });
    expect(core.auth.fromToken(again.token)?.role).toBe('manager');
    expect(core.auth.fromToken(made.token)).toBeNull();
  });
});

describe('auth.me', () => {
  it('is the local admin by default and the caller the host recognised otherwise', async () => {
    expect(await call('auth.me', {}, { role: 'admin', actor: 'anna (command line)' })).toEqual({
      name: null,
      role: 'admin',
      via: 'local',
      signInRequired: false,
    });
    const ctx: CallContext = { role: 'viewer', actor: 'ben', via: 'session', name: 'ben', signInRequired: true };
    expect(await call('auth.me', {}, ctx)).toEqual({
      name: 'ben',
      role: 'viewer',
      via: 'session',
      signInRequired: true,
    });
    const tok: CallContext = { role: 'manager', actor: 'ci', via: 'token', name: 'ci', signInRequired: true };
    expect(await call('auth.me', {}, tok)).toEqual({ name: 'ci', role: 'manager', via: 'token', signInRequired: true });
  });
});

describe('the first user', () => {
  it('must be an admin: once a user exists everyone signs in, and someone must manage the rest', async () => {
    await expect(addUser('viv', 'viewer')).rejects.toThrow(/^CONFLICT: The first user must be an admin/);
    expect(core.auth.hasUsers()).toBe(false);
    await addUser('anna', 'admin');
    await addUser('viv', 'viewer');
    expect(core.auth.listUsers().map((u) => u.username)).toEqual(['anna', 'viv']);
  });
});
