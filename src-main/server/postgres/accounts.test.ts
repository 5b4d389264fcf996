/**
 * The shared server's accounts against a real PostgreSQL 15 (tests/helpers/postgres.ts): sign-in,
 * one refusal for a wrong name or password, disabled accounts, the rate limit, session expiry on a
 * clock the test moves, API tokens and their revocation, and the last admin kept.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type TestPostgres } from '../../../tests/helpers/postgres';
import {
  LOGIN_FAILURES_PER_ACCOUNT,
  LOGIN_FAILURES_PER_ADDRESS,
  LOGIN_WINDOW_S,
  SESSION_IDLE_S,
  SESSION_MAX_S,
} from '../../core/users/auth-service';
import { createSharedAccounts } from './accounts';
import { ServerStore } from './store';

let pgs: TestPostgres;
const opened: ServerStore[] = [];
beforeAll(async () => {
  pgs = await startPostgres();
}, 120_000);
afterAll(async () => {
  await Promise.all(opened.map((s) => s.close()));
  pgs?.stop();
});

let databases = 0;
/** A store on a database of its own, and accounts over it on a clock the test moves. */
async function fresh() {
  const name = `accounts_${++databases}`;
  const admin = await ServerStore.open({ url: pgs.url.replace(/\/[^/]+$/, '/postgres'), migrations: [] });
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.close();
  const store = await ServerStore.open({ url: pgs.url.replace(/\/[^/]+$/, `/${name}`) });
  opened.push(store);
  const clock = { ms: Date.UTC(2026, 0, 15, 9, 0, 0) };
  const accounts = createSharedAccounts(store, { now: () => clock.ms });
  return { store, accounts, clock };
}

const PW = 'correct horse battery';
const hex = (s: string) => createHash('sha256').update(s).digest('hex');

describe('shared accounts on PostgreSQL', () => {
  it('signs in with the right password only, one answer for a wrong name or password', async () => {
    const { store, accounts, clock } = await fresh();
    await expect(accounts.createUser('sam', 'viewer', PW)).rejects.toThrow('The first user must be an admin');
    const anna = await accounts.createUser('Anna', 'admin', PW);
    expect(anna).toMatchObject({ username: 'Anna', role: 'admin', disabled: false, lastLoginAt: null });
    await expect(accounts.createUser('ANNA', 'viewer', PW)).rejects.toThrow(
      'A user named "ANNA" exists already (names ignore letter case)',
    );
    await accounts.createUser('sam', 'viewer', 'another long password');

    const ok = await accounts.signIn('anna', PW, '10.0.0.1');
    if (!ok.ok) throw new Error('expected a session');
    expect(ok.principal).toEqual({ name: 'Anna', role: 'admin' });
    expect(ok.expiresAt).toBe(clock.ms / 1000 + 7 * 24 * 3600);
    expect(await accounts.fromBearer(ok.token)).toEqual({ name: 'Anna', role: 'admin' });
    expect(await accounts.signIn('anna', 'wrong password!', '10.0.0.1')).toEqual({ ok: false, reason: 'invalid' });
    expect(await accounts.signIn('nobody', PW, '10.0.0.1')).toEqual({ ok: false, reason: 'invalid' });
    expect(await accounts.fromBearer('not-a-session')).toBeNull();
    expect(await accounts.fromBearer('')).toBeNull();

    // only hashes are stored: the session's SHA-256, a scrypt password hash
    const s = await store.query<{ id_hash: string }>('SELECT id_hash FROM sessions');
    expect(s.rows.map((r) => r.id_hash)).toEqual([hex(ok.token)]);
    const u = await store.query<{ password_hash: string }>("SELECT password_hash FROM users WHERE username = 'Anna'");
    expect(u.rows[0]!.password_hash).toMatch(/^scrypt\$32768\$8\$1\$/);
    const list = await accounts.listUsers();
    expect(list.map((x) => [x.username, x.role, x.activeSessions, x.lastLoginAt])).toEqual([
      ['Anna', 'admin', 1, '2026-01-15T09:00:00Z'],
      ['sam', 'viewer', 0, null],
    ]);
  });

  it('a disabled account cannot sign in and its sessions end; enabled again it can', async () => {
    const { accounts } = await fresh();
    await accounts.createUser('anna', 'admin', PW);
    await accounts.createUser('bob', 'manager', PW);
    const s = await accounts.signIn('bob', PW, '10.0.0.2');
    if (!s.ok) throw new Error('expected a session');
    expect(await accounts.fromBearer(s.token)).toEqual({ name: 'bob', role: 'manager' });
    await accounts.updateUser('bob', { disabled: true });
    expect(await accounts.fromBearer(s.token)).toBeNull();
    expect(await accounts.signIn('bob', PW, '10.0.0.2')).toEqual({ ok: false, reason: 'disabled' });
    await accounts.updateUser('bob', { disabled: false });
    // the old session stays ended; a new sign-in works
    expect(await accounts.fromBearer(s.token)).toBeNull();
    expect((await accounts.signIn('bob', PW, '10.0.0.2')).ok).toBe(true);
  });

  it('limits failed sign-ins per account and per address, and says how long to wait', async () => {
    const { accounts, clock } = await fresh();
    await accounts.createUser('anna', 'admin', PW);
    for (let i = 0; i < LOGIN_FAILURES_PER_ACCOUNT; i++)
      expect((await accounts.signIn('anna', `wrong ${i}`, `10.1.0.${i}`)).ok).toBe(false);
    // the right password from a fresh address is refused too: the account is limited
    const limited = await accounts.signIn('Anna', PW, '10.9.9.9');
    expect(limited).toEqual({ ok: false, reason: 'rate-limited', retryAfter: LOGIN_WINDOW_S });
    clock.ms += (LOGIN_WINDOW_S - 10) * 1000;
    expect(await accounts.signIn('anna', PW, '10.9.9.9')).toEqual({
      ok: false,
      reason: 'rate-limited',
      retryAfter: 10,
    });
    clock.ms += 11 * 1000;
    expect((await accounts.signIn('anna', PW, '10.9.9.9')).ok).toBe(true);

    // one address trying many names is limited on its own count
    const ip = '192.0.2.7';
    for (let i = 0; i < LOGIN_FAILURES_PER_ADDRESS; i++) await accounts.signIn(`guess${i}`, 'whatever', ip);
    expect((await accounts.signIn('anna', PW, ip)) as unknown).toMatchObject({ ok: false, reason: 'rate-limited' });
    expect((await accounts.signIn('anna', PW, '192.0.2.8')).ok).toBe(true);
  });

  it('a session ends after 12 hours idle, and 7 days after sign-in however busy', async () => {
    const { accounts, clock } = await fresh();
    await accounts.createUser('anna', 'admin', PW);
    const idle = await accounts.signIn('anna', PW, '10.0.0.1');
    if (!idle.ok) throw new Error('expected a session');
    clock.ms += (SESSION_IDLE_S - 60) * 1000;
    expect(await accounts.fromBearer(idle.token)).not.toBeNull();
    // that use moved its last-seen time on: another 12 hours less a minute is still fine…
    clock.ms += (SESSION_IDLE_S - 60) * 1000;
    expect(await accounts.fromBearer(idle.token)).not.toBeNull();
    // …but 12 hours without a request ends it
    clock.ms += SESSION_IDLE_S * 1000;
    expect(await accounts.fromBearer(idle.token)).toBeNull();

    const busy = await accounts.signIn('anna', PW, '10.0.0.1');
    if (!busy.ok) throw new Error('expected a session');
    const signedInAt = clock.ms;
    while (clock.ms + 6 * 3600_000 < signedInAt + SESSION_MAX_S * 1000) {
      clock.ms += 6 * 3600_000;
      expect(await accounts.fromBearer(busy.token)).not.toBeNull();
    }
    clock.ms = signedInAt + SESSION_MAX_S * 1000;
    expect(await accounts.fromBearer(busy.token)).toBeNull();
  });

  it('API tokens: shown once, stored hashed, last use recorded, refused once revoked, name reusable', async () => {
    const { store, accounts, clock } = await fresh();
    const t = await accounts.createToken('Nightly sync', 'manager', 'anna (command line)');
    expect(t.token).toMatch(/^eclectyc_[A-Za-z0-9_-]{43}$/);
    const stored = await store.query<{ token_hash: string }>('SELECT token_hash FROM api_tokens');
    expect(stored.rows).toEqual([{ token_hash: hex(t.token) }]);
    await expect(accounts.createToken('nightly SYNC', 'viewer', 'x')).rejects.toThrow(
      'A token named "Nightly sync" exists already: revoke it first or choose another name',
    );
    expect(await accounts.fromBearer(t.token)).toEqual({ name: 'Nightly sync', role: 'manager' });
    expect(await accounts.fromBearer(t.token.slice(0, -1) + (t.token.endsWith('A') ? 'B' : 'A'))).toBeNull();
    const [listed] = await accounts.listTokens();
    expect(listed).toEqual({
      name: 'Nightly sync',
      role: 'manager',
      createdAt: '2026-01-15T09:00:00Z',
      createdBy: 'anna (command line)',
      lastUsedAt: '2026-01-15T09:00:00Z',
      revokedAt: null,
    });
    clock.ms += 3600_000;
    expect(await accounts.revokeToken('nightly sync')).toEqual({ revoked: true });
    expect(await accounts.fromBearer(t.token)).toBeNull();
    expect(await accounts.revokeToken('Nightly sync')).toEqual({ revoked: false });
    expect((await accounts.listTokens())[0]!.revokedAt).toBe('2026-01-15T10:00:00Z');
    await expect(accounts.revokeToken('nope')).rejects.toThrow('No API token is named "nope" (see tokens.list)');
    const again = await accounts.createToken('Nightly sync', 'viewer', 'anna (command line)');
    expect(await accounts.fromBearer(again.token)).toEqual({ name: 'Nightly sync', role: 'viewer' });
    expect(await accounts.fromBearer(t.token)).toBeNull();
  });

  it('keeps the last enabled admin; a new password or role signs the user out everywhere', async () => {
    const { accounts } = await fresh();
    await accounts.createUser('anna', 'admin', PW);
    await accounts.createUser('bob', 'admin', PW);
    await accounts.updateUser('bob', { disabled: true });
    await expect(accounts.updateUser('anna', { role: 'manager' })).rejects.toThrow(
      '"anna" is the last enabled admin and cannot be demoted: make another user an admin first',
    );
    await expect(accounts.removeUser('anna')).rejects.toThrow('cannot be removed');
    await expect(accounts.updateUser('anna', { disabled: true })).rejects.toThrow('cannot be disabled');
    // two admins disabling each other at once: one of them stays
    await accounts.updateUser('bob', { disabled: false });
    const both = await Promise.allSettled([
      accounts.updateUser('anna', { disabled: true }),
      accounts.updateUser('bob', { disabled: true }),
    ]);
    expect(both.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const enabledAdmins = (await accounts.listUsers()).filter((u) => u.role === 'admin' && !u.disabled);
    expect(enabledAdmins).toHaveLength(1);

    await accounts.createUser('cara', 'manager', PW);
    const s = await accounts.signIn('cara', PW, '10.0.0.3');
    if (!s.ok) throw new Error('expected a session');
    await accounts.updateUser('cara', { password: 'a brand new password' });
    expect(await accounts.fromBearer(s.token)).toBeNull();
    expect(await accounts.signIn('cara', PW, '10.0.0.3')).toEqual({ ok: false, reason: 'invalid' });
    const s2 = await accounts.signIn('cara', 'a brand new password', '10.0.0.3');
    if (!s2.ok) throw new Error('expected a session');
    await accounts.updateUser('cara', { role: 'viewer' });
    expect(await accounts.fromBearer(s2.token)).toBeNull();
    expect(await accounts.removeUser('cara')).toEqual({ removed: true });
    await expect(accounts.removeUser('cara')).rejects.toThrow('No user is named "cara" (see users.list)');
    expect((await accounts.listUsers()).map((u) => u.username)).toEqual(['anna', 'bob']);
  });
});
