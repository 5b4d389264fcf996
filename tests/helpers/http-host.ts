/**
 * For the HTTP host's tests: a small in-memory AuthApi (users, sessions and tokens in maps, the
 * rate limit switched on by hand) and a raw request that can forge Host and Origin as an attacker's
 * page would, over HTTP or HTTPS, to any local address.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { Role } from '../../src-shared/contract/types';
import type { AuthApi, LoginResult, Principal } from '../../src-main/core/users/auth-api';

/** Accounts kept in maps: enough to drive the host's sign-in without the real service. */
export class MemoryAuth implements AuthApi {
  readonly users = new Map<string, { password: string; role: Role; disabled?: boolean }>();
  readonly sessions = new Map<string, Principal>();
  readonly tokens = new Map<string, Principal>();
  readonly attempts: { username: string; ip: string }[] = [];
  /** Seconds to wait, when sign-in is rate-limited; null when it is not. */
  limited: number | null = null;

  hasUsers(): boolean {
    return this.users.size > 0;
  }
  fromSession(v: string): Principal | null {
    return this.sessions.get(v) ?? null;
  }
  fromToken(t: string): Principal | null {
    return this.tokens.get(t) ?? null;
  }
  async login(username: string, password: string, ip: string): Promise<LoginResult> {
    this.attempts.push({ username, ip });
    if (this.limited !== null) return { ok: false, reason: 'rate-limited', retryAfter: this.limited };
    const u = this.users.get(username);
    if (!u || u.password !== password) return { ok: false, reason: 'invalid' };
    if (u.disabled) return { ok: false, reason: 'disabled' };
    const cookieValue = crypto.randomBytes(24).toString('base64url');
    const principal: Principal = { name: username, role: u.role, via: 'session', id: cookieValue.slice(0, 8) };
    this.sessions.set(cookieValue, principal);
    return { ok: true, principal, cookieValue, expiresAt: Math.floor(Date.now() / 1000) + 3600 };
  }
  logout(v: string): void {
    this.sessions.delete(v);
  }
  /** A user with a session already signed in; returns the cookie value. */
  signedIn(name: string, role: Role): string {
    this.users.set(name, { password: 'pw', role });
    const v = crypto.randomBytes(24).toString('base64url');
    this.sessions.set(v, { name, role, via: 'session', id: v.slice(0, 8) });
    return v;
  }
  /** An API token; returns it. */
  token(name: string, role: Role): string {
    const t = crypto.randomBytes(24).toString('base64url');
    this.tokens.set(t, { name, role, via: 'token', id: t.slice(0, 8) });
    return t;
  }
}

export interface RawAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/**
 * One request to `address:port`, with any headers (Host included) and body; `ca` makes it HTTPS.
 * `partial` sends only the first part of a body that declares a larger Content-Length.
 */
export function raw(
  address: string,
  port: number,
  opts: {
    method?: string;
    path?: string;
    headers?: Record<string, string>;
    body?: string | Buffer;
    ca?: Buffer;
    partial?: boolean;
  } = {},
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const o = { host: address, port, path: opts.path ?? '/', method: opts.method ?? 'GET', headers: opts.headers };
    const onAnswer = (res: http.IncomingMessage): void => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => {
        resolve({ status: res.statusCode!, headers: res.headers, body });
        if (opts.partial) req.destroy();
      });
    };
    const req = opts.ca
      ? https.request({ ...o, ca: opts.ca, servername: 'localhost' }, onAnswer)
      : http.request(o, onAnswer);
    req.on('error', reject);
    if (opts.partial) req.write(opts.body ?? '');
    else req.end(opts.body);
  });
}
