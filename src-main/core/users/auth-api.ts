/**
 * What the hosts need from user accounts (implemented by `users/auth-service.ts`): who a request
 * is from (its session cookie or bearer token), signing in and out. Kept apart so the HTTP host and
 * the accounts can be read (and tested) on their own.
 */
import type { Role } from '../../../src-shared/contract/types';

/** A caller the server recognised. */
export interface Principal {
  /** The user's name, or the token's name. */
  name: string;
  role: Role;
  via: 'session' | 'token';
  /** The session's or token's row (for revocation, SSE caps and the audit log). */
  id: string;
}

/** The session cookie's name. */
export const SESSION_COOKIE = 'eclectyc_session';

export type LoginResult =
  | { ok: true; principal: Principal; cookieValue: string; expiresAt: number }
  /** Wrong name or password (one message for both), or too many attempts: try again after `retryAfter` s. */
  | { ok: false; reason: 'invalid' | 'disabled' | 'rate-limited'; retryAfter?: number };

export interface AuthApi {
  /** Whether any user account exists (a loopback server with none opens as the local admin). */
  hasUsers(): boolean;
  /** The principal behind a session cookie value (valid, not expired, not revoked), or null. */
  fromSession(cookieValue: string): Principal | null;
  /** The principal behind a bearer token (not revoked; its last use recorded), or null. */
  fromToken(token: string): Principal | null;
  /** Signs in (rate-limited per account and per address); a new session each time. */
  login(username: string, password: string, ip: string, userAgent?: string): Promise<LoginResult>;
  /** Ends the session behind a cookie value (no error when there is none). */
  logout(cookieValue: string): void;
}
