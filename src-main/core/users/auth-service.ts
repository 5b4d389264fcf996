/**
 * User accounts, sessions and API tokens over the `users`, `sessions` and `api_tokens` tables
 * (docs/security.md). Passwords are hashed with scrypt off the main thread and never logged or
 * returned; session cookies and tokens are random and stored only as their SHA-256; sign-in is
 * rate-limited per account and per address. The hosts reach it through `AuthApi`; the contract's
 * `users.*` and `tokens.*` handlers through the rest.
 */
import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import type Database from 'better-sqlite3';
import { AppError } from '../../../src-shared/contract/errors';
import type { CreatedToken, Role, TokenSummary, UserSummary } from '../../../src-shared/contract/types';
import { isoUtc } from '../../../src-shared/domain/london-time';
import type { Clock } from '../clock';
import type { AuthApi, LoginResult, Principal } from './auth-api';

/** scrypt's cost: N = 2^15, r = 8, p = 1 (32 MiB and about 0.1 s a hash), a 16-byte salt, a 32-byte hash. */
export const SCRYPT = { N: 2 ** 15, r: 8, p: 1, saltBytes: 16, keyBytes: 32 } as const;
/** A session ends after this long without a request (seconds)… */
export const SESSION_IDLE_S = 12 * 3600;
/** …and this long after sign-in whatever happens (seconds). */
export const SESSION_MAX_S = 7 * 24 * 3600;
/** A session's or token's last use is written at most this often (seconds). */
export const TOUCH_EVERY_S = 60;
/** Failed sign-ins counted over this window (seconds)… */
export const LOGIN_WINDOW_S = 15 * 60;
/** …at most this many for one user name… */
export const LOGIN_FAILURES_PER_ACCOUNT = 5;
/** …and this many from one address. */
export const LOGIN_FAILURES_PER_ADDRESS = 20;
/** The prefix of every API token (so a leaked one is recognisable). */
export const TOKEN_PREFIX = 'eclectyc_';

/** A hash in the stored form's shape that no password matches: unknown users cost one real scrypt too. */
export const DUMMY_HASH = [
  'scrypt',
  SCRYPT.N,
  SCRYPT.r,
  SCRYPT.p,
  Buffer.alloc(SCRYPT.saltBytes).toString('base64'),
  Buffer.alloc(SCRYPT.keyBytes, 1).toString('base64'),
].join('$');

/** SHA-256 (hex) of a session or token secret: the only form either is stored in. */
export const sha256 = (s: string): string => createHash('sha256').update(s, 'utf8').digest('hex');

function scryptAsync(password: string, salt: Buffer, N: number, r: number, p: number, len: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password, salt, len, { N, r, p, maxmem: 256 * N * r + 1024 * 1024 }, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  );
}

/** Hashes a password as `scrypt$N$r$p$saltBase64$hashBase64` with a fresh salt. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SCRYPT.saltBytes);
  const key = await scryptAsync(password, salt, SCRYPT.N, SCRYPT.r, SCRYPT.p, SCRYPT.keyBytes);
  return `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

/** Whether `password` matches a stored hash (compared in constant time; a malformed hash matches nothing). */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const m = /^scrypt\$(\d+)\$(\d+)\$(\d+)\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$/.exec(stored);
  if (!m) return false;
  const expected = Buffer.from(m[5]!, 'base64');
  const key = await scryptAsync(password, Buffer.from(m[4]!, 'base64'), +m[1]!, +m[2]!, +m[3]!, expected.length);
  return timingSafeEqual(key, expected);
}

interface UserRow {
  id: number;
  username: string;
  role: Role;
  passwordHash: string;
  disabled: number;
  createdAt: number;
  lastLoginAt: number | null;
}

interface TokenRow {
  id: number;
  name: string;
  role: Role;
  createdAt: number;
  createdBy: string;
  lastUsedAt: number | null;
  revokedAt: number | null;
}

/** Failed attempts' times (seconds) per key, forgotten once outside the window. */
export class FailureLog {
  private readonly times = new Map<string, number[]>();
  constructor(private readonly limit: number) {}

  /** Seconds until another attempt is allowed under `key`, or 0 when it is allowed now. */
  wait(key: string, now: number): number {
    const t = this.recent(key, now);
    return t.length < this.limit ? 0 : t[t.length - this.limit]! + LOGIN_WINDOW_S - now;
  }

  fail(key: string, now: number): void {
    const t = this.recent(key, now);
    t.push(now);
    this.times.set(key, t);
    if (this.times.size > 10_000) for (const k of [...this.times.keys()]) this.recent(k, now);
  }

  clear(key: string): void {
    this.times.delete(key);
  }

  /** Takes back one attempt counted at `at` (it turned out to succeed). */
  forgive(key: string, at: number): void {
    const t = this.times.get(key);
    const i = t?.indexOf(at) ?? -1;
    if (i >= 0) t!.splice(i, 1);
  }

  private recent(key: string, now: number): number[] {
    const t = (this.times.get(key) ?? []).filter((at) => at > now - LOGIN_WINDOW_S);
    if (t.length === 0) this.times.delete(key);
    else this.times.set(key, t);
    return t;
  }
}

/** Sign-in attempts limited per account and per address (both account stores use one each). */
export class SignInLimiter {
  private readonly byAccount = new FailureLog(LOGIN_FAILURES_PER_ACCOUNT);
  private readonly byAddress = new FailureLog(LOGIN_FAILURES_PER_ADDRESS);

  /**
   * Seconds to wait before `account` may try again from `ip`, or 0: the attempt is then counted
   * before the password is checked, so attempts in flight together are limited too.
   */
  attempt(account: string, ip: string, now: number): number {
    const wait = Math.max(this.byAccount.wait(account, now), this.byAddress.wait(ip, now));
    if (wait > 0) return wait;
    this.byAccount.fail(account, now);
    this.byAddress.fail(ip, now);
    return 0;
  }

  /** The attempt counted at `at` signed in: the account starts afresh and the address is forgiven it. */
  succeeded(account: string, ip: string, at: number): void {
    this.byAccount.clear(account);
    this.byAddress.forgive(ip, at);
  }
}

/** The refusals both account stores (the desktop's and the shared server's) word the same way. */
export const refusals = {
  userTaken: (username: string) =>
    new AppError('CONFLICT', `A user named "${username}" exists already (names ignore letter case)`),
  firstNotAdmin: (username: string) =>
    new AppError(
      'CONFLICT',
      `The first user must be an admin: add one with "eclectyc users add NAME --role admin", then ${username}`,
    ),
  noUser: (username: string) => new AppError('NOT_FOUND', `No user is named "${username}" (see users.list)`),
  lastAdmin: (username: string, what: 'removed' | 'demoted' | 'disabled') =>
    new AppError(
      'CONFLICT',
      `"${username}" is the last enabled admin and cannot be ${what}: make another user an admin first`,
    ),
  tokenTaken: (name: string) =>
    new AppError('CONFLICT', `A token named "${name}" exists already: revoke it first or choose another name`),
  noToken: (name: string) => new AppError('NOT_FOUND', `No API token is named "${name}" (see tokens.list)`),
};

/** A new API token: the prefix and 32 random bytes (base64url). */
export const newToken = (): string => TOKEN_PREFIX + randomBytes(32).toString('base64url');

/** A new session token (the browser's cookie value, or the shared server's bearer token). */
export const newSessionToken = (): string => randomBytes(32).toString('base64url');

const USER_COLUMNS = `id, username, role, password_hash AS passwordHash, disabled, created_at AS createdAt,
  last_login_at AS lastLoginAt`;
const TOKEN_COLUMNS = `id, name, role, created_at AS createdAt, created_by AS createdBy, last_used_at AS lastUsedAt,
  revoked_at AS revokedAt`;

export class AuthService implements AuthApi {
  private readonly limiter = new SignInLimiter();

  constructor(
    private readonly sqlite: Database.Database,
    private readonly clock: Clock,
  ) {}

  private now(): number {
    return Math.floor(this.clock.now() / 1000);
  }

  // ---------------------------------------------------------------- what the hosts call (AuthApi)

  hasUsers(): boolean {
    return this.sqlite.prepare('SELECT 1 FROM users LIMIT 1').get() !== undefined;
  }

  fromSession(cookieValue: string): Principal | null {
    if (!cookieValue) return null;
    const idHash = sha256(cookieValue);
    const row = this.sqlite
      .prepare(
        `SELECT s.last_seen_at AS lastSeenAt, u.username, u.role FROM sessions s JOIN users u ON u.id = s.user_id
         WHERE s.id_hash = ? AND s.revoked_at IS NULL AND s.expires_at > ? AND s.last_seen_at > ? AND u.disabled = 0`,
      )
      .get(idHash, this.now(), this.now() - SESSION_IDLE_S) as
      { lastSeenAt: number; username: string; role: Role } | undefined;
    if (!row) return null;
    if (this.now() - row.lastSeenAt >= TOUCH_EVERY_S)
      this.sqlite.prepare('UPDATE sessions SET last_seen_at = ? WHERE id_hash = ?').run(this.now(), idHash);
    return { name: row.username, role: row.role, via: 'session', id: idHash };
  }

  fromToken(token: string): Principal | null {
    if (!token.startsWith(TOKEN_PREFIX)) return null;
    const row = this.sqlite
      .prepare(`SELECT ${TOKEN_COLUMNS} FROM api_tokens WHERE token_hash = ? AND revoked_at IS NULL`)
      .get(sha256(token)) as TokenRow | undefined;
    if (!row) return null;
    if (row.lastUsedAt === null || this.now() - row.lastUsedAt >= TOUCH_EVERY_S)
      this.sqlite.prepare('UPDATE api_tokens SET last_used_at = ? WHERE id = ?').run(this.now(), row.id);
    return { name: row.name, role: row.role, via: 'token', id: String(row.id) };
  }

  async login(username: string, password: string, ip: string, userAgent?: string): Promise<LoginResult> {
    const account = username.trim().toLowerCase();
    const now = this.now();
    const wait = this.limiter.attempt(account, ip, now);
    if (wait > 0) return { ok: false, reason: 'rate-limited', retryAfter: wait };
    const user = this.findUser(account);
    const matches = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
    if (!user || !matches) return { ok: false, reason: 'invalid' };
    // re-read: the account may have been disabled, removed or given a new password meanwhile
    const current = this.findUser(account);
    if (!current || current.passwordHash !== user.passwordHash) return { ok: false, reason: 'invalid' };
    if (current.disabled) return { ok: false, reason: 'disabled' };
    this.limiter.succeeded(account, ip, now);
    // the clock may have moved while scrypt ran
    const after = this.now();
    const cookieValue = newSessionToken();
    const idHash = sha256(cookieValue);
    const expiresAt = after + SESSION_MAX_S;
    this.sqlite.transaction(() => {
      this.sqlite
        .prepare(
          `INSERT INTO sessions (id_hash, user_id, created_at, expires_at, last_seen_at, ip, user_agent)
           VALUES (?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(idHash, current.id, after, expiresAt, after, ip, userAgent?.slice(0, 512) ?? null);
      this.sqlite.prepare('UPDATE users SET last_login_at = ? WHERE id = ?').run(after, current.id);
      // expired and revoked sessions are no longer of use to anyone
      this.sqlite
        .prepare('DELETE FROM sessions WHERE revoked_at IS NOT NULL OR expires_at <= ? OR last_seen_at <= ?')
        .run(after, after - SESSION_IDLE_S);
    })();
    return {
      ok: true,
      principal: { name: current.username, role: current.role, via: 'session', id: idHash },
      cookieValue,
      expiresAt,
    };
  }

  logout(cookieValue: string): void {
    if (!cookieValue) return;
    this.sqlite
      .prepare('UPDATE sessions SET revoked_at = ? WHERE id_hash = ? AND revoked_at IS NULL')
      .run(this.now(), sha256(cookieValue));
  }

  // ---------------------------------------------------------------- users (the admin's methods)

  /** Every user, by name. */
  listUsers(): UserSummary[] {
    const rows = this.sqlite.prepare(`SELECT ${USER_COLUMNS} FROM users ORDER BY lower(username)`).all() as UserRow[];
    return rows.map((u) => this.summary(u));
  }

  /** Adds a user; a name already taken in any letter case is a CONFLICT. */
  async createUser(username: string, role: Role, password: string): Promise<UserSummary> {
    const hash = await hashPassword(password);
    if (this.findUser(username.toLowerCase())) throw refusals.userTaken(username);
    // once a user exists the server asks everyone to sign in: someone must be able to manage the rest
    if (role !== 'admin' && !this.hasUsers()) throw refusals.firstNotAdmin(username);
    const now = this.now();
    this.sqlite
      .prepare(
        'INSERT INTO users (username, role, password_hash, disabled, created_at, updated_at) VALUES (?, ?, ?, 0, ?, ?)',
      )
      .run(username, role, hash, now, now);
    return this.summary(this.mustFind(username));
  }

  /**
   * Changes a user's role, password or whether they may sign in. Each of these signs them out
   * everywhere; the last enabled admin is never demoted or disabled.
   */
  async updateUser(
    username: string,
    change: { role?: Role; password?: string; disabled?: boolean },
  ): Promise<UserSummary> {
    const hash = change.password === undefined ? undefined : await hashPassword(change.password);
    return this.sqlite.transaction(() => {
      const u = this.mustFind(username);
      const demoted = change.role !== undefined && change.role !== u.role;
      const disabling = change.disabled === true && !u.disabled;
      if ((demoted && change.role !== 'admin') || disabling) this.keepAnAdmin(u, demoted ? 'demoted' : 'disabled');
      const now = this.now();
      this.sqlite
        .prepare('UPDATE users SET role = ?, password_hash = ?, disabled = ?, updated_at = ? WHERE id = ?')
        .run(change.role ?? u.role, hash ?? u.passwordHash, (change.disabled ?? !!u.disabled) ? 1 : 0, now, u.id);
      if (demoted || disabling || hash !== undefined) this.revokeSessions(u.id);
      return this.summary(this.mustFind(username));
    })();
  }

  /** Removes a user and their sessions; the last enabled admin stays. */
  removeUser(username: string): { removed: boolean } {
    return this.sqlite.transaction(() => {
      const u = this.mustFind(username);
      this.keepAnAdmin(u, 'removed');
      this.sqlite.prepare('DELETE FROM sessions WHERE user_id = ?').run(u.id);
      this.sqlite.prepare('DELETE FROM users WHERE id = ?').run(u.id);
      return { removed: true };
    })();
  }

  // ---------------------------------------------------------------- API tokens

  /** Every token, by name, revoked ones included. */
  listTokens(): TokenSummary[] {
    const rows = this.sqlite
      .prepare(`SELECT ${TOKEN_COLUMNS} FROM api_tokens ORDER BY lower(name)`)
      .all() as TokenRow[];
    return rows.map((t) => ({
      name: t.name,
      role: t.role,
      createdAt: isoUtc(t.createdAt),
      createdBy: t.createdBy,
      lastUsedAt: t.lastUsedAt === null ? null : isoUtc(t.lastUsedAt),
      revokedAt: t.revokedAt === null ? null : isoUtc(t.revokedAt),
    }));
  }

  /**
   * Makes a token: `eclectyc_` and 32 random bytes (base64url), returned this once and stored as its
   * SHA-256. A revoked token's name may be used again (the new token replaces its row).
   */
  createToken(name: string, role: Role, createdBy: string): CreatedToken {
    const token = newToken();
    this.sqlite.transaction(() => {
      const same = this.sqlite
        .prepare('SELECT id, name, revoked_at AS revokedAt FROM api_tokens WHERE lower(name) = lower(?)')
        .get(name) as { id: number; name: string; revokedAt: number | null } | undefined;
      if (same && same.revokedAt === null) throw refusals.tokenTaken(same.name);
      if (same) this.sqlite.prepare('DELETE FROM api_tokens WHERE id = ?').run(same.id);
      this.sqlite
        .prepare('INSERT INTO api_tokens (name, role, token_hash, created_at, created_by) VALUES (?, ?, ?, ?, ?)')
        .run(name, role, sha256(token), this.now(), createdBy);
    })();
    return { name, role, token };
  }

  /** Revokes a token (false when it was revoked already); an unknown name is NOT_FOUND. */
  revokeToken(name: string): { revoked: boolean } {
    const row = this.sqlite
      .prepare('SELECT id, revoked_at AS revokedAt FROM api_tokens WHERE lower(name) = lower(?)')
      .get(name) as { id: number; revokedAt: number | null } | undefined;
    if (!row) throw refusals.noToken(name);
    if (row.revokedAt !== null) return { revoked: false };
    this.sqlite.prepare('UPDATE api_tokens SET revoked_at = ? WHERE id = ?').run(this.now(), row.id);
    return { revoked: true };
  }

  // ---------------------------------------------------------------- helpers

  private findUser(lowerName: string): UserRow | undefined {
    return this.sqlite.prepare(`SELECT ${USER_COLUMNS} FROM users WHERE lower(username) = ?`).get(lowerName) as
      UserRow | undefined;
  }

  private mustFind(username: string): UserRow {
    const u = this.findUser(username.toLowerCase());
    if (!u) throw refusals.noUser(username);
    return u;
  }

  /** Refuses to take away the last enabled admin. */
  private keepAnAdmin(u: UserRow, what: 'removed' | 'demoted' | 'disabled'): void {
    if (u.role !== 'admin' || u.disabled) return;
    const others = this.sqlite
      .prepare("SELECT count(*) AS n FROM users WHERE role = 'admin' AND disabled = 0 AND id <> ?")
      .get(u.id) as { n: number };
    if (others.n === 0) throw refusals.lastAdmin(u.username, what);
  }

  private revokeSessions(userId: number): void {
    this.sqlite
      .prepare('UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL')
      .run(this.now(), userId);
  }

  private summary(u: UserRow): UserSummary {
    const now = this.now();
    const { n } = this.sqlite
      .prepare(
        `SELECT count(*) AS n FROM sessions
         WHERE user_id = ? AND revoked_at IS NULL AND expires_at > ? AND last_seen_at > ?`,
      )
      .get(u.id, now, now - SESSION_IDLE_S) as { n: number };
    return {
      username: u.username,
      role: u.role,
      disabled: !!u.disabled,
      createdAt: isoUtc(u.createdAt),
      lastLoginAt: u.lastLoginAt === null ? null : isoUtc(u.lastLoginAt),
      activeSessions: u.disabled ? 0 : n,
    };
  }
}
