/**
 * The desktop's HTTP client for the shared server (docs/sync.md, Protocol): sign-in, push and
 * pull as JSON, request bodies gzip-encoded and gzip asked for in answers, `Authorization: Bearer`,
 * a time limit on every call. Failures come back as SyncFailure, told apart by what the engine
 * does about them: offline (unreachable, timed out, 5xx: try again later), signed out (401), a
 * role the server refused (403), or a refusal of the request itself (another 4xx, a bad answer).
 */
import { promisify } from 'node:util';
import { gzip as gzipCb } from 'node:zlib';
import type { PullRequest, PullResponse, PushRequest, PushResponse, SignedIn } from '../../../src-shared/contract/sync';

const gzip = promisify(gzipCb);

/** How long one call may take before the server counts as unreachable. */
export const DEFAULT_TIMEOUT_MS = 120_000;

export const SIGNED_OUT = 'Signed out: sign in again in Settings → Shared server';

export type FailureKind = 'offline' | 'signed-out' | 'forbidden' | 'too-large' | 'refused';

/** A sync call that did not succeed, and why. */
export class SyncFailure extends Error {
  constructor(
    readonly kind: FailureKind,
    message: string,
    readonly status: number | null = null,
  ) {
    super(message);
    this.name = 'SyncFailure';
  }
}

export interface TransportOptions {
  fetch?: typeof fetch;
  timeoutMs?: number;
  /** Aborts calls in flight (the app stopping). */
  signal?: AbortSignal;
}

/** The server's base URL as stored: trimmed, without a trailing slash. */
export function normaliseServer(url: string): string {
  return url.trim().replace(/\/+$/, '');
}

/** The error message the server put in `{ error: { message } }`, if it did. */
function serverMessage(text: string): string | null {
  try {
    const m = (JSON.parse(text) as { error?: { message?: unknown } }).error?.message;
    return typeof m === 'string' && m ? m : null;
  } catch {
    return null;
  }
}

/** Why a fetch threw, in words (the network error's code when it has one). */
function networkReason(e: unknown): string {
  const err = e as Error & { cause?: { code?: string; message?: string } };
  if (err.name === 'TimeoutError' || err.name === 'AbortError') return 'no answer in time';
  return err.cause?.code ?? err.cause?.message ?? err.message;
}

export class SyncTransport {
  private readonly fetch: typeof fetch;
  private readonly timeoutMs: number;
  private readonly signal: AbortSignal | null;

  constructor(
    readonly server: string,
    opts: TransportOptions = {},
  ) {
    this.fetch = opts.fetch ?? fetch;
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.signal = opts.signal ?? null;
  }

  /** `POST /auth/token`: a session token for the account. */
  signIn(username: string, password: string): Promise<SignedIn> {
    return this.post<SignedIn>('/auth/token', null, { username, password });
  }

  /** `POST /sync/push`: numbered mutations, each applied once. */
  async push(token: string, req: PushRequest): Promise<PushResponse> {
    const r = await this.post<PushResponse>('/sync/push', token, req);
    if (!Array.isArray(r.results) || typeof r.head !== 'number') throw this.badAnswer('/sync/push');
    return r;
  }

  /** `POST /sync/pull`: one page after the cursor. */
  async pull(token: string, req: PullRequest): Promise<PullResponse> {
    const r = await this.post<PullResponse>('/sync/pull', token, req);
    if (
      !Array.isArray(r.entities) ||
      !Array.isArray(r.days) ||
      !Array.isArray(r.conflicts) ||
      !Array.isArray(r.activity) ||
      typeof r.cursor !== 'string'
    )
      throw this.badAnswer('/sync/pull');
    return r;
  }

  private badAnswer(path: string): SyncFailure {
    return new SyncFailure('refused', `The shared server's answer to ${path} could not be read`);
  }

  private async post<T>(path: string, token: string | null, body: unknown): Promise<T> {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'content-encoding': 'gzip',
      'accept-encoding': 'gzip',
    };
    if (token !== null) headers.authorization = `Bearer ${token}`;
    const payload = await gzip(Buffer.from(JSON.stringify(body)));
    let res: Response;
    let text: string;
    try {
      res = await this.fetch(this.server + path, {
        method: 'POST',
        headers,
        body: payload,
        signal: this.signal
          ? AbortSignal.any([this.signal, AbortSignal.timeout(this.timeoutMs)])
          : AbortSignal.timeout(this.timeoutMs),
      });
      text = await res.text();
    } catch (e) {
      throw new SyncFailure('offline', `Could not reach the shared server at ${this.server} (${networkReason(e)})`);
    }
    if (res.ok) {
      try {
        return JSON.parse(text) as T;
      } catch {
        throw this.badAnswer(path);
      }
    }
    const said = serverMessage(text);
    if (res.status === 401)
      throw new SyncFailure(
        'signed-out',
        path === '/auth/token' ? (said ?? 'Wrong user name or password') : SIGNED_OUT,
        401,
      );
    if (res.status === 403) throw new SyncFailure('forbidden', said ?? 'The shared server refused this account', 403);
    if (res.status === 413) throw new SyncFailure('too-large', said ?? 'Too large for the shared server', 413);
    if (res.status >= 500)
      throw new SyncFailure(
        'offline',
        `The shared server at ${this.server} is unavailable (${res.status}${said ? `: ${said}` : ''}); trying again later`,
        res.status,
      );
    throw new SyncFailure(
      'refused',
      `The shared server refused ${path} (${res.status}${said ? `: ${said}` : ''})`,
      res.status,
    );
  }
}
