/**
 * What the shared server's HTTP host needs from the PostgreSQL side, kept apart so the host, the
 * sync engine and the accounts can be built and tested on their own: `SharedSync` (sync.ts) answers
 * pushes and pulls; `SharedAccounts` (accounts.ts) says who a bearer token belongs to and signs in.
 */
import type { Role } from '../../../src-shared/contract/types';
import type { PullRequest, PullResponse, PushRequest, PushResponse } from '../../../src-shared/contract/sync';

/** Who a sync call is from: a user (session token) or an API token, with its role on the server. */
export interface SyncPrincipal {
  name: string;
  role: Role;
}

export interface SharedSync {
  /** Applies a push's mutations in order, each once (a viewer is refused before anything applies). */
  push(who: SyncPrincipal, req: PushRequest): Promise<PushResponse>;
  /** One page of everything after `req.cursor`. */
  pull(who: SyncPrincipal, req: PullRequest): Promise<PullResponse>;
  /** The latest version given out (0 on an empty server). */
  head(): Promise<number>;
}

export type SignInResult =
  | { ok: true; token: string; expiresAt: number; principal: SyncPrincipal }
  /** Wrong name or password (one message for both), a disabled account, or too many attempts. */
  | { ok: false; reason: 'invalid' | 'disabled' | 'rate-limited'; retryAfter?: number };

export interface SharedAccounts {
  /** The principal behind a bearer token (an API token or a session token), or null. */
  fromBearer(token: string): Promise<SyncPrincipal | null>;
  /** Signs in (rate-limited per account and per address) and opens a session; its token is returned once. */
  signIn(username: string, password: string, ip: string): Promise<SignInResult>;
}
