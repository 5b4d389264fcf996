/**
 * The shared server's accounts on PostgreSQL (migration 4): users, sessions and API tokens with the
 * desktop's semantics (src-main/core/users/auth-service.ts) — scrypt password hashes, sessions and
 * tokens stored only as the SHA-256 of their secret, roles viewer | manager | admin, disabled
 * accounts, revocation, idle and absolute session expiry, sign-in rate-limited per account and per
 * address, the same refusals in the same words. The HTTP host uses `fromBearer` and `signIn`; the
 * CLI (`users … --database`, `tokens … --database`) the rest.
 *
 * Changes to users run under one transaction-level advisory lock, so two admins acting at once can
 * never both take away the last enabled admin. `store.transaction` may run a body again after a
 * cut connection, so each body is safe to repeat: a create finds its own row (same fresh hash) and
 * counts as done.
 */
import type { Handlers } from '../../../src-shared/contract/api';
import type { CreatedToken, Role, TokenSummary, UserSummary } from '../../../src-shared/contract/types';
import { isoUtc } from '../../../src-shared/domain/london-time';
import {
  DUMMY_HASH,
  hashPassword,
  newSessionToken,
  newToken,
  refusals,
  SESSION_IDLE_S,
  SESSION_MAX_S,
  sha256,
  SignInLimiter,
  TOKEN_PREFIX,
  TOUCH_EVERY_S,
  verifyPassword,
} from '../../core/users/auth-service';
import type { SharedAccounts, SignInResult, SyncPrincipal } from './api';
import type { Client, ServerStore } from './store';

/** Arbitrary constant key of the advisory lock that serialises changes to users ("ECUS"). */
const ACCOUNTS_LOCK = 0x45_43_55_53;

/** The shared server's accounts: what the host needs, and what `users`/`tokens --database` manage. */
export interface SharedAccountsAdmin extends SharedAccounts {
  /** Every user, by name. */
  listUsers(): Promise<UserSummary[]>;
  /** Adds a user; a name taken in any letter case is a CONFLICT; the first user must be an admin. */
  createUser(username: string, role: Role, password: string): Promise<UserSummary>;
  /** A new role, password or disabled state; each signs the user out everywhere. The last admin stays. */
  updateUser(username: string, change: { role?: Role; password?: string; disabled?: boolean }): Promise<UserSummary>;
  /** Removes a user and their sessions; the last enabled admin stays. */
  removeUser(username: string): Promise<{ removed: boolean }>;
  /** Every token, by name, revoked ones included. */
  listTokens(): Promise<TokenSummary[]>;
  /** Makes a token (`eclectyc_…`), returned this once and stored as its SHA-256. */
  createToken(name: string, role: Role, createdBy: string): Promise<CreatedToken>;
  /** Revokes a token (false when it was revoked already); an unknown name is NOT_FOUND. */
  revokeToken(name: string): Promise<{ revoked: boolean }>;
}

export interface SharedAccountsOptions {
  /** The clock in ms since 1970 (tests move it to expire sessions; default Date.now). */
  now?: () => number;
}

interface UserRow {
  id: string;
  username: string;
  role: Role;
  password_hash: string;
  disabled: boolean;
  created_at: Date;
  last_login_at: Date | null;
}

const USER_COLUMNS = 'id, username, role, password_hash, disabled, created_at, last_login_at';

const iso = (d: Date): string => isoUtc(Math.floor(d.getTime() / 1000));
const isoOrNull = (d: Date | null): string | null => (d === null ? null : iso(d));

/** Accounts over `store` (its migrations applied: migration 4 holds the tables). */
export function createSharedAccounts(store: ServerStore, opts: SharedAccountsOptions = {}): SharedAccountsAdmin {
  const clock = opts.now ?? Date.now;
  /** The clock, in whole seconds, as a timestamp PostgreSQL stores. */
  const at = (offsetS = 0): Date => new Date((Math.floor(clock() / 1000) + offsetS) * 1000);
  const limiter = new SignInLimiter();

  /** The user of that name in any letter case (on the pool, or inside a transaction). */
  const findUser = async (c: Client | ServerStore, name: string): Promise<UserRow | undefined> => {
    const q = {
      name: 'accounts-find-user',
      text: `SELECT ${USER_COLUMNS} FROM users WHERE lower(username) = lower($1)`,
      values: [name],
    };
    return ('release' in c ? await c.query<UserRow>(q) : await c.query<UserRow>(q)).rows[0];
  };

  const mustFind = async (c: Client, name: string): Promise<UserRow> => {
    const u = await findUser(c, name);
    if (!u) throw refusals.noUser(name);
    return u;
  };

  /** Refuses to take away the last enabled admin (under ACCOUNTS_LOCK). */
  const keepAnAdmin = async (c: Client, u: UserRow, what: 'removed' | 'demoted' | 'disabled'): Promise<void> => {
    if (u.role !== 'admin' || u.disabled) return;
    const r = await c.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM users WHERE role = 'admin' AND NOT disabled AND id <> $1",
      [u.id],
    );
    if (r.rows[0]!.n === 0) throw refusals.lastAdmin(u.username, what);
  };

  /** A change to users: one at a time across every server on the database. */
  const changeUsers = <T>(fn: (c: Client) => Promise<T>): Promise<T> =>
    store.transaction(async (c) => {
      await c.query('SELECT pg_advisory_xact_lock($1)', [ACCOUNTS_LOCK]);
      return fn(c);
    });

  const summary = async (c: Client, u: UserRow): Promise<UserSummary> => {
    const now = at();
    const r = await c.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM sessions
       WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > $2 AND last_seen_at > $3`,
      [u.id, now, at(-SESSION_IDLE_S)],
    );
    return {
      username: u.username,
      role: u.role,
      disabled: u.disabled,
      createdAt: iso(u.created_at),
      lastLoginAt: isoOrNull(u.last_login_at),
      activeSessions: u.disabled ? 0 : r.rows[0]!.n,
    };
  };

  async function fromSession(token: string): Promise<SyncPrincipal | null> {
    const idHash = sha256(token);
    const r = await store.query<{ last_seen_at: Date; username: string; role: Role }>({
      name: 'accounts-from-session',
      text: `SELECT s.last_seen_at, u.username, u.role FROM sessions s JOIN users u ON u.id = s.user_id
             WHERE s.id_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > $2 AND s.last_seen_at > $3
               AND NOT u.disabled`,
      values: [idHash, at(), at(-SESSION_IDLE_S)],
    });
    const row = r.rows[0];
    if (!row) return null;
    if (at().getTime() - row.last_seen_at.getTime() >= TOUCH_EVERY_S * 1000)
      await store.query({
        name: 'accounts-touch-session',
        text: 'UPDATE sessions SET last_seen_at = $2 WHERE id_hash = $1',
        values: [idHash, at()],
      });
    return { name: row.username, role: row.role };
  }

  async function fromToken(token: string): Promise<SyncPrincipal | null> {
    const r = await store.query<{ id: string; name: string; role: Role; last_used_at: Date | null }>({
      name: 'accounts-from-token',
      text: 'SELECT id, name, role, last_used_at FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL',
      values: [sha256(token)],
    });
    const row = r.rows[0];
    if (!row) return null;
    if (row.last_used_at === null || at().getTime() - row.last_used_at.getTime() >= TOUCH_EVERY_S * 1000)
      await store.query({
        name: 'accounts-touch-token',
        text: 'UPDATE api_tokens SET last_used_at = $2 WHERE id = $1',
        values: [row.id, at()],
      });
    return { name: row.name, role: row.role };
  }

  return {
    fromBearer(token) {
      if (!token) return Promise.resolve(null);
      return token.startsWith(TOKEN_PREFIX) ? fromToken(token) : fromSession(token);
    },

    async signIn(username, password, ip): Promise<SignInResult> {
      const account = username.trim().toLowerCase();
      const now = Math.floor(clock() / 1000);
      const wait = limiter.attempt(account, ip, now);
      if (wait > 0) return { ok: false, reason: 'rate-limited', retryAfter: wait };
      const user = await findUser(store, account);
      const matches = await verifyPassword(password, user?.password_hash ?? DUMMY_HASH);
      if (!user || !matches) return { ok: false, reason: 'invalid' };
      const token = newSessionToken();
      const idHash = sha256(token);
      const opened = await store.transaction(async (c) => {
        // re-read: the account may have been disabled, removed or given a new password meanwhile
        const current = await findUser(c, account);
        if (!current || current.password_hash !== user.password_hash) return 'invalid' as const;
        if (current.disabled) return 'disabled' as const;
        const after = at();
        const expires = at(SESSION_MAX_S);
        await c.query(
          `INSERT INTO sessions (id_hash, user_id, created_at, expires_at, last_seen_at, ip)
           VALUES ($1, $2, $3, $4, $3, $5) ON CONFLICT (id_hash) DO NOTHING`,
          [idHash, current.id, after, expires, ip.slice(0, 100)],
        );
        await c.query('UPDATE users SET last_login_at = $2 WHERE id = $1', [current.id, after]);
        // expired and revoked sessions are no longer of use to anyone
        await c.query('DELETE FROM sessions WHERE revoked_at IS NOT NULL OR expires_at <= $1 OR last_seen_at <= $2', [
          after,
          at(-SESSION_IDLE_S),
        ]);
        return { name: current.username, role: current.role, expiresAt: expires.getTime() / 1000 };
      });
      if (typeof opened === 'string') return { ok: false, reason: opened };
      limiter.succeeded(account, ip, now);
      return { ok: true, token, expiresAt: opened.expiresAt, principal: { name: opened.name, role: opened.role } };
    },

    async listUsers() {
      return store.transaction(async (c) => {
        const { rows } = await c.query<UserRow>(`SELECT ${USER_COLUMNS} FROM users ORDER BY lower(username)`);
        // one query at a time: a pooled client runs queries in turn (pg deprecates queuing them)
        const out: UserSummary[] = [];
        for (const u of rows) out.push(await summary(c, u));
        return out;
      });
    },

    async createUser(username, role, password) {
      const hash = await hashPassword(password);
      return changeUsers(async (c) => {
        const same = await findUser(c, username);
        // a retried body that had committed finds its own row (the hash's salt is fresh)
        if (same && same.password_hash === hash) return summary(c, same);
        if (same) throw refusals.userTaken(username);
        // on a shared server everyone signs in: someone must be able to manage the rest
        const any = await c.query('SELECT 1 FROM users LIMIT 1');
        if (role !== 'admin' && any.rowCount === 0) throw refusals.firstNotAdmin(username);
        const { rows } = await c.query<UserRow>(
          `INSERT INTO users (username, role, password_hash, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)
           RETURNING ${USER_COLUMNS}`,
          [username, role, hash, at()],
        );
        return summary(c, rows[0]!);
      });
    },

    async updateUser(username, change) {
      const hash = change.password === undefined ? undefined : await hashPassword(change.password);
      return changeUsers(async (c) => {
        const u = await mustFind(c, username);
        const demoted = change.role !== undefined && change.role !== u.role;
        const disabling = change.disabled === true && !u.disabled;
        if ((demoted && change.role !== 'admin') || disabling)
          await keepAnAdmin(c, u, demoted ? 'demoted' : 'disabled');
        const now = at();
        const { rows } = await c.query<UserRow>(
          `UPDATE users SET role = $2, password_hash = $3, disabled = $4, updated_at = $5 WHERE id = $1
           RETURNING ${USER_COLUMNS}`,
          [u.id, change.role ?? u.role, hash ?? u.password_hash, change.disabled ?? u.disabled, now],
        );
        if (demoted || disabling || hash !== undefined)
          await c.query('UPDATE sessions SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL', [u.id, now]);
        return summary(c, rows[0]!);
      });
    },

    async removeUser(username) {
      return changeUsers(async (c) => {
        const u = await mustFind(c, username);
        await keepAnAdmin(c, u, 'removed');
        // sessions go with the user (ON DELETE CASCADE)
        await c.query('DELETE FROM users WHERE id = $1', [u.id]);
        return { removed: true };
      });
    },

    async listTokens() {
      const { rows } = await store.query<{
        name: string;
        role: Role;
        created_at: Date;
        created_by: string;
        last_used_at: Date | null;
        revoked_at: Date | null;
      }>('SELECT name, role, created_at, created_by, last_used_at, revoked_at FROM api_tokens ORDER BY lower(name)');
      return rows.map((t) => ({
        name: t.name,
        role: t.role,
        createdAt: iso(t.created_at),
        createdBy: t.created_by,
        lastUsedAt: isoOrNull(t.last_used_at),
        revokedAt: isoOrNull(t.revoked_at),
      }));
    },

    async createToken(name, role, createdBy) {
      const token = newToken();
      const hash = sha256(token);
      await store.transaction(async (c) => {
        const same = (
          await c.query<{ id: string; name: string; token_hash: string; revoked_at: Date | null }>(
            'SELECT id, name, token_hash, revoked_at FROM api_tokens WHERE lower(name) = lower($1) FOR UPDATE',
            [name],
          )
        ).rows[0];
        if (same?.token_hash === hash) return;
        if (same && same.revoked_at === null) throw refusals.tokenTaken(same.name);
        // a revoked token's name may be used again: the new token replaces its row
        if (same) await c.query('DELETE FROM api_tokens WHERE id = $1', [same.id]);
        await c.query(
          'INSERT INTO api_tokens (name, role, token_hash, created_at, created_by) VALUES ($1, $2, $3, $4, $5)',
          [name, role, hash, at(), createdBy],
        );
      });
      return { name, role, token };
    },

    async revokeToken(name) {
      return store.transaction(async (c) => {
        const row = (
          await c.query<{ id: string; revoked_at: Date | null }>(
            'SELECT id, revoked_at FROM api_tokens WHERE lower(name) = lower($1) FOR UPDATE',
            [name],
          )
        ).rows[0];
        if (!row) throw refusals.noToken(name);
        if (row.revoked_at !== null) return { revoked: false };
        await c.query('UPDATE api_tokens SET revoked_at = $2 WHERE id = $1', [row.id, at()]);
        return { revoked: true };
      });
    },
  };
}

/**
 * The contract's `users.*` and `tokens.*` methods over the shared server's accounts, so that
 * `eclectyc users … --database URL` validates, refuses and answers exactly as it does on a data folder.
 */
export const sharedAccountHandlers = (a: SharedAccountsAdmin) =>
  ({
    'users.list': () => a.listUsers(),
    'users.create': (x) => a.createUser(x.username, x.role, x.password),
    'users.update': (x) => a.updateUser(x.username, { role: x.role, password: x.password, disabled: x.disabled }),
    'users.remove': (x) => a.removeUser(x.username),
    'tokens.list': () => a.listTokens(),
    'tokens.create': (x, ctx) => a.createToken(x.name, x.role, ctx.name ?? ctx.actor),
    'tokens.revoke': (x) => a.revokeToken(x.name),
  }) satisfies Partial<Handlers>;
