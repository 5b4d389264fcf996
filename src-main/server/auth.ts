/**
 * Who is calling the HTTP host: the session cookie a browser got at sign-in, or an API token in
 * `Authorization: Bearer …`. A loopback server with no user accounts yet opens as the local admin
 * (the first-run `npm run serve`); once a user exists, or on any other bind address, a request
 * without a valid session or token is refused. Also the cookie itself, as `/auth/login` sets it.
 */
import type http from 'node:http';
import type { CallContext } from '../../src-shared/contract/api';
import type { AppErrorPayload } from '../../src-shared/contract/errors';
import { localCaller } from '../core/rpc/caller';
import { SESSION_COOKIE, type AuthApi, type Principal } from '../core/users/auth-api';

/** The value of one cookie in the request, or null. */
export function cookie(req: http.IncomingMessage, name: string): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim() || null;
  }
  return null;
}

/** The token of an `Authorization: Bearer …` header, or null. */
export function bearerToken(req: http.IncomingMessage): string | null {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  return m ? m[1]! : null;
}

/** The caller of a request, and the key its event streams are counted under. */
export interface Caller {
  ctx: CallContext;
  key: string;
}

/** The context a recognised principal calls with: `anna (browser)`, `nightly-export (token)`. */
export function principalContext(p: Principal, signInRequired: boolean): CallContext {
  return {
    role: p.role,
    actor: `${p.name} (${p.via === 'session' ? 'browser' : 'token'})`,
    via: p.via,
    name: p.name,
    signInRequired,
  };
}

/**
 * Whether requests need a session or token: always, unless the server listens only on this
 * machine and no user account exists yet.
 */
export function signInRequired(auth: AuthApi | undefined, loopbackBind: boolean): boolean {
  return !loopbackBind || (auth?.hasUsers() ?? false);
}

/**
 * The caller behind a request, or null when it must sign in first. A token that is not valid is
 * refused even where no sign-in is needed: a script that sends one expects it to count.
 */
export function resolveCaller(
  req: http.IncomingMessage,
  auth: AuthApi | undefined,
  loopbackBind: boolean,
): Caller | null {
  const required = signInRequired(auth, loopbackBind);
  const token = bearerToken(req);
  if (token !== null) {
    const p = auth?.fromToken(token) ?? null;
    return p ? { ctx: principalContext(p, required), key: `token:${p.name}` } : null;
  }
  const session = cookie(req, SESSION_COOKIE);
  const p = session !== null ? (auth?.fromSession(session) ?? null) : null;
  if (p) return { ctx: principalContext(p, required), key: `session:${p.name}` };
  if (required) return null;
  return { ctx: { ...localCaller('local'), via: 'local', signInRequired: false }, key: 'local' };
}

/** The Set-Cookie header for a new session (Secure when the browser is on HTTPS). */
export function sessionCookie(value: string, maxAgeSec: number, secure: boolean): string {
  return (
    `${SESSION_COOKIE}=${value}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${Math.max(0, Math.floor(maxAgeSec))}` +
    (secure ? '; Secure' : '')
  );
}

/** The Set-Cookie header that makes the browser forget its session. */
export function clearedCookie(secure: boolean): string {
  return sessionCookie('', 0, secure);
}

/** "45 seconds", "15 minutes": how long to wait. */
function waitText(sec: number): string {
  return sec < 120 ? `${sec} seconds` : `${Math.ceil(sec / 60)} minutes`;
}

/**
 * How a refused sign-in is answered, by both hosts: one 401 for a wrong name or password, 403 for
 * a disabled account, 429 with Retry-After when there were too many attempts.
 */
export function signInRefusal(
  reason: 'invalid' | 'disabled' | 'rate-limited',
  retryAfter?: number,
): { status: number; error: AppErrorPayload; headers: Record<string, string> } {
  if (reason === 'rate-limited') {
    const wait = Math.max(1, Math.ceil(retryAfter ?? 60));
    return {
      status: 429,
      error: {
        code: 'UNAVAILABLE',
        message: `Too many sign-in attempts; try again in ${waitText(wait)}`,
        details: { reason: 'rate-limited', retryAfter: wait },
      },
      headers: { 'retry-after': String(wait) },
    };
  }
  if (reason === 'disabled')
    return {
      status: 403,
      error: { code: 'FORBIDDEN', message: 'This account is disabled; ask an admin to enable it' },
      headers: {},
    };
  return { status: 401, error: { code: 'UNAUTHENTICATED', message: 'Wrong user name or password' }, headers: {} };
}
