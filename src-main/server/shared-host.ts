/**
 * The shared server's HTTP host (`eclectyc serve --database postgres://…`, docs/sync.md "Protocol"):
 * GET /health, POST /auth/token (a session token for `Authorization: Bearer`), POST /sync/push and
 * POST /sync/pull, over the PostgreSQL store, its accounts (postgres/accounts.ts) and its sync
 * engine (a `SharedSync`).
 *
 * - Everyone signs in: there is no local admin on a shared server. Sync calls need a bearer token
 *   (an API token or a session token) and are refused with 401 before their body is read.
 * - Bodies are JSON, validated with the contract's schemas (400 naming the field), optionally
 *   gzip-encoded both ways; a body over the limit is 413 (the compressed and the decompressed size
 *   are both limited, so a small gzip bomb is refused too), and bodies held in memory at once share
 *   a budget (503 and Retry-After beyond it).
 * - While PostgreSQL is unreachable, /health answers 503 `degraded` and sync calls 503 with
 *   Retry-After; the store's pool reconnects by itself once PostgreSQL is back.
 * - Errors answer `{ error: { code, message } }`, never a stack trace; no CORS headers, so a web
 *   page elsewhere cannot read an answer; headers and whole requests have time limits. It speaks
 *   plain HTTP: TLS belongs in front (a reverse proxy) when it is reached over a network.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { ZodError, type ZodType } from 'zod';
import { AppError, type AppErrorPayload, type ErrorCode } from '../../src-shared/contract/errors';
import {
  pullRequestSchema,
  pushRequestSchema,
  signInSchema,
  type SharedServerHealth,
  type SignedIn,
} from '../../src-shared/contract/sync';
import { ROLE_RANK } from '../../src-shared/contract/types';
import { isoUtc } from '../../src-shared/domain/london-time';
import { stderrLogger, type Logger } from '../core/events';
import { toAppError } from '../core/rpc/dispatch';
import { APP_VERSION } from '../version';
import { bearerToken, signInRefusal } from './auth';
import { apiHeaders } from './guard';
import { closeHttpHost, listen } from './http';
import {
  BodyBudget,
  Busy,
  BUSY_RETRY_AFTER,
  discardRest,
  LengthRequired,
  MAX_LOGIN_BODY,
  readBody,
  TooLarge,
} from './limits';
import { createSharedAccounts } from './postgres/accounts';
import type { SharedAccounts, SharedSync, SyncPrincipal } from './postgres/api';
import { isConnectionError, ServerStore } from './postgres/store';
import { createSharedSync } from './postgres/sync';

/** Largest sync request body, compressed or not (a push of 50 mutations of 2,000 float64 days fits). */
export const MAX_SYNC_BODY = 64 * 1024 * 1024;
/** Request bodies held in memory at once, across all requests. */
export const SYNC_BODY_BUDGET = 256 * 1024 * 1024;
/** Answers at least this long are gzipped when the client accepts gzip. */
export const GZIP_FROM_BYTES = 1024;
/** How long /health waits for PostgreSQL before calling it unreachable. */
export const HEALTH_TIMEOUT_MS = 3000;
/** Seconds a client is asked to wait while the database is unreachable. */
export const DATABASE_RETRY_AFTER = 5;
/** A request's headers must arrive within this… */
export const HEADERS_TIMEOUT_MS = 20_000;
/** …and the whole request (body included) within this. */
export const REQUEST_TIMEOUT_MS = 300_000;

const gzip = promisify(zlib.gzip);
const gunzip = promisify(zlib.gunzip) as (buf: Buffer, opts: zlib.ZlibOptions) => Promise<Buffer>;

/** The HTTP status of each error code. */
const STATUS: Record<ErrorCode, number> = {
  UNKNOWN_METHOD: 404,
  INVALID_ARGS: 400,
  BAD_INPUT: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  UNAVAILABLE: 503,
  INTERNAL: 500,
};

/** A request the host refuses: its status, what it says, and headers such as Retry-After. */
class Refusal extends Error {
  constructor(
    readonly status: number,
    readonly error: AppErrorPayload,
    readonly headers: Record<string, string> = {},
  ) {
    super(error.message);
  }
}

const DATABASE_DOWN: AppErrorPayload = {
  code: 'UNAVAILABLE',
  message: 'The shared server cannot reach its database just now; try again in a few seconds',
  details: { reason: 'database-unreachable' },
};

/** True when PostgreSQL could not be reached (refused, cut, starting up, or the pool timed out connecting). */
export function databaseDown(e: unknown): boolean {
  return isConnectionError(e) || (e instanceof Error && /timeout exceeded when trying to connect/i.test(e.message));
}

/** Whether the client accepts a gzip answer (`Accept-Encoding: gzip`, or `*`, with a q above 0). */
export function acceptsGzip(header: string | undefined): boolean {
  for (const part of (header ?? '').split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (name !== 'gzip' && name !== '*') continue;
    const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    if (q === undefined || Number(q) > 0) return true;
  }
  return false;
}

export interface SharedHostOptions {
  store: ServerStore;
  accounts: SharedAccounts;
  sync: SharedSync;
  /** Largest request body in bytes, compressed or decompressed (default MAX_SYNC_BODY). */
  maxBody?: number;
  /** Request bodies held in memory at once (default SYNC_BODY_BUDGET). */
  bodyBudget?: number;
  /** Where unexpected failures are logged (default stderr). */
  log?: Logger;
}

/** The shared server's request handler on a node:http server (not yet listening). */
export function createSharedHost(opts: SharedHostOptions): http.Server {
  const { store, accounts, sync } = opts;
  const log = opts.log ?? stderrLogger;
  const maxBody = opts.maxBody ?? MAX_SYNC_BODY;
  const budget = new BodyBudget(opts.bodyBudget ?? SYNC_BODY_BUDGET);
  /** The schema version last read, reported while the database cannot be asked. */
  let schemaVersion = 0;

  async function send(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ): Promise<void> {
    const json = Buffer.from(JSON.stringify(body), 'utf8');
    const zipped = json.length >= GZIP_FROM_BYTES && acceptsGzip(req.headers['accept-encoding']);
    const bytes = zipped ? await gzip(json) : json;
    res.writeHead(status, {
      ...apiHeaders(false),
      'content-type': 'application/json; charset=utf-8',
      'content-length': String(bytes.length),
      vary: 'accept-encoding',
      ...(zipped ? { 'content-encoding': 'gzip' } : {}),
      ...headers,
    });
    res.end(bytes);
  }

  /** The answer to any failure: refusals as they are, AppErrors by code, the database down as 503. */
  function refusalOf(e: unknown): Refusal {
    if (e instanceof Refusal) return e;
    if (e instanceof TooLarge) return new Refusal(413, toAppError(e));
    if (e instanceof LengthRequired) return new Refusal(411, toAppError(e));
    if (e instanceof Busy) return new Refusal(503, toAppError(e), { 'retry-after': String(BUSY_RETRY_AFTER) });
    if (databaseDown(e)) return new Refusal(503, DATABASE_DOWN, { 'retry-after': String(DATABASE_RETRY_AFTER) });
    if (e instanceof AppError || e instanceof ZodError) {
      const error = toAppError(e);
      return new Refusal(STATUS[error.code], error);
    }
    return new Refusal(500, toAppError(e, log));
  }

  /** The request body as JSON (gunzipped when sent so), its bytes counted against the budget while read. */
  async function jsonBody(req: http.IncomingMessage, limit: number): Promise<unknown> {
    const encoding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
    if (encoding !== 'gzip' && encoding !== 'identity')
      throw new Refusal(415, {
        code: 'BAD_INPUT',
        message: `The request body is encoded as "${encoding.slice(0, 40)}": send it as it is, or gzip-encoded`,
      });
    const read = await readBody(req, limit, budget);
    let held = read.reserved;
    try {
      let bytes = read.bytes;
      if (encoding === 'gzip') {
        try {
          bytes = await gunzip(read.bytes, { maxOutputLength: limit });
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw new TooLarge(limit);
          throw new Refusal(400, { code: 'BAD_INPUT', message: 'The request body is not valid gzip' });
        }
        if (!budget.take(bytes.length)) throw new Busy();
        held += bytes.length;
      }
      try {
        return JSON.parse(bytes.toString('utf8')) as unknown;
      } catch {
        throw new Refusal(400, { code: 'INVALID_ARGS', message: 'The request body is not valid JSON' });
      }
    } finally {
      budget.give(held);
    }
  }

  /** A body that passes `schema`, else 400 naming the field ("Required (mutations.0.seq)"). */
  async function validBody<T>(req: http.IncomingMessage, schema: ZodType<T>, limit: number): Promise<T> {
    const parsed = schema.safeParse(await jsonBody(req, limit));
    if (!parsed.success) throw new Refusal(400, toAppError(parsed.error));
    return parsed.data;
  }

  /** Who is calling; 401 without a valid bearer token (nothing of the body is read). */
  async function principal(req: http.IncomingMessage): Promise<SyncPrincipal> {
    const token = bearerToken(req);
    const who = token === null ? null : await accounts.fromBearer(token);
    if (!who)
      throw new Refusal(
        401,
        {
          code: 'UNAUTHENTICATED',
          message:
            token === null
              ? 'Sign in first (POST /auth/token), or send an API token: Authorization: Bearer …'
              : 'That token is not valid (expired, revoked or unknown): sign in again, or ask an admin for a new token',
        },
        { 'www-authenticate': 'Bearer' },
      );
    return who;
  }

  async function health(): Promise<{ status: number; body: SharedServerHealth }> {
    let head: number | null = null;
    let reachable = false;
    try {
      const [schema, latest] = await Promise.race([
        Promise.all([store.schemaVersion(), sync.head()]),
        new Promise<never>((_, reject) =>
          setTimeout(() => reject(new Error('health check timed out')), HEALTH_TIMEOUT_MS).unref(),
        ),
      ]);
      schemaVersion = schema;
      head = latest;
      reachable = true;
    } catch (e) {
      if (!databaseDown(e) && !(e instanceof Error && e.message === 'health check timed out'))
        log.error('health check failed', e);
    }
    return {
      status: reachable ? 200 : 503,
      body: {
        status: reachable ? 'ok' : 'degraded',
        database: 'postgres',
        databaseReachable: reachable,
        schemaVersion,
        head,
        appVersion: APP_VERSION,
      },
    };
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (path === '/health' && req.method === 'GET') {
      const h = await health();
      return send(req, res, h.status, h.body);
    }
    if (path === '/auth/token' && req.method === 'POST') {
      const { username, password } = await validBody(req, signInSchema, MAX_LOGIN_BODY);
      const r = await accounts.signIn(username, password, req.socket.remoteAddress ?? '');
      if (!r.ok) {
        const refused = signInRefusal(r.reason, r.retryAfter);
        throw new Refusal(refused.status, refused.error, refused.headers);
      }
      const answer: SignedIn = { token: r.token, expiresAt: isoUtc(r.expiresAt), user: r.principal };
      return send(req, res, 200, answer);
    }
    if (path === '/sync/push' && req.method === 'POST') {
      const who = await principal(req);
      if (ROLE_RANK[who.role] < ROLE_RANK.manager)
        throw new Refusal(403, {
          code: 'FORBIDDEN',
          message: `A viewer pulls only: pushing changes needs the manager role (${who.name} is a ${who.role})`,
        });
      const body = await validBody(req, pushRequestSchema, maxBody);
      return send(req, res, 200, await sync.push(who, body));
    }
    if (path === '/sync/pull' && req.method === 'POST') {
      const who = await principal(req);
      const body = await validBody(req, pullRequestSchema, maxBody);
      return send(req, res, 200, await sync.pull(who, body));
    }
    if (path === '/health' || path === '/auth/token' || path === '/sync/push' || path === '/sync/pull') {
      const allow = path === '/health' ? 'GET' : 'POST';
      throw new Refusal(405, { code: 'BAD_INPUT', message: `${path} takes ${allow}, not ${req.method}` }, { allow });
    }
    throw new Refusal(404, { code: 'NOT_FOUND', message: `${req.method} ${path.slice(0, 200)} not found` });
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch(async (e: unknown) => {
      if (res.headersSent) return void res.destroy();
      const r = refusalOf(e);
      // the answer first, then the rest of the body read and dropped (no reset before it is read)
      await send(req, res, r.status, { error: r.error }, r.headers).catch(() => res.destroy());
      discardRest(req);
    });
  });
  server.headersTimeout = HEADERS_TIMEOUT_MS;
  server.requestTimeout = REQUEST_TIMEOUT_MS;
  return server;
}

export interface SharedServerOptions {
  /** postgres://USER@HOST:PORT/DB */
  url: string;
  /** Address to listen on (default 127.0.0.1). */
  host?: string;
  /** Port (default 8788; 0 picks a free one). */
  port?: number;
  /** Largest request body in bytes (default MAX_SYNC_BODY). */
  maxBody?: number;
  /** Where unexpected failures are logged (default stderr). */
  log?: Logger;
}

export interface SharedServer {
  /** http://HOST:PORT/ */
  url: string;
  port: number;
  store: ServerStore;
  /** Stops answering (requests in flight get a moment), then closes the database pool. */
  close(): Promise<void>;
}

/** The default port of `eclectyc serve --database`. */
export const SHARED_SERVER_PORT = 8788;

/**
 * Opens the store (applying migrations; a newer schema is refused with the store's message) and
 * starts answering on host:port.
 */
export async function startSharedServer(opts: SharedServerOptions): Promise<SharedServer> {
  const store = await ServerStore.open({ url: opts.url });
  try {
    const server = createSharedHost({
      store,
      accounts: createSharedAccounts(store),
      sync: createSharedSync(store),
      ...(opts.maxBody !== undefined ? { maxBody: opts.maxBody } : {}),
      ...(opts.log ? { log: opts.log } : {}),
    });
    const url = await listen(server, opts.port ?? SHARED_SERVER_PORT, opts.host ?? '127.0.0.1');
    return {
      url,
      port: (server.address() as AddressInfo).port,
      store,
      async close() {
        await closeHttpHost(server, 500);
        await store.close();
      },
    };
  } catch (e) {
    await store.close();
    throw e;
  }
}
