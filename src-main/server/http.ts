/**
 * The headless host: the same handlers over HTTP(S). POST /rpc/:method (JSON in, Reply out),
 * POST /upload (streamed file body → stored file id), POST /download/export (an export streamed as
 * a CSV attachment), GET /events (server-sent events), POST
 * /auth/login and /auth/logout (the session cookie), GET /health (for uptime monitors), and the built
 * renderer as static files, so the whole UI works in any browser. Who may call is settled in
 * auth.ts, which requests are answered at all in guard.ts, what a request may cost in limits.ts.
 */
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { CallContext, Reply } from '../../src-shared/contract/api';
import type { AppErrorPayload } from '../../src-shared/contract/errors';
import type { Core } from '../core/app';
import { writeAudit } from '../core/rpc/audit';
import { downloadExport } from './download';
import { dispatch, toAppError } from '../core/rpc/dispatch';
import { SESSION_COOKIE, type AuthApi } from '../core/users/auth-api';
import { CSP } from '../../src-shared/security/csp';
import { clearedCookie, cookie, resolveCaller, sessionCookie, signInRefusal, type Caller } from './auth';
import { allowedFor, apiHeaders, hostAllowed, isLoopback, originAllowed, securityHeaders, type Allowed } from './guard';
import {
  BodyBudget,
  Busy,
  BUSY_RETRY_AFTER,
  DEFAULT_BODY_BUDGET,
  DEFAULT_MAX_STREAMS,
  DEFAULT_MAX_UPLOAD,
  declaredLength,
  discardRest,
  MAX_LOGIN_BODY,
  MAX_RPC_BODY,
  meteredUpload,
  readBody,
  StreamCaps,
  LengthRequired,
  TooLarge,
} from './limits';

export interface HttpHostOptions {
  /** Built renderer (index.html and assets); omitted = API only. */
  staticDir?: string | null;
  /**
   * User accounts: who a session cookie or bearer token is, and sign-in. Without them only a
   * loopback server answers calls (as the local admin); elsewhere every call is refused with 401.
   */
  auth?: AuthApi;
  /** A fixed caller instead of sign-in (the contract suite runs every method as each role). */
  context?: (req: http.IncomingMessage) => CallContext;
  /** Serve HTTPS with this certificate and key (PEM). */
  tls?: { cert: string | Buffer; key: string | Buffer };
  /** The addresses people use to reach the server (its name, or an HTTPS proxy in front). */
  publicUrls?: readonly string[];
  /** Largest upload in bytes (default 2 GB). */
  maxUpload?: number;
  /** JSON bodies held in memory at once, in bytes (default 32 MB: one large tariff file at a time). */
  bodyBudget?: number;
  /** Open event streams per caller (default 8). */
  maxStreamsPerCaller?: number;
}

/** The server createHttpHost makes: HTTP, or HTTPS when given a certificate. */
export type HttpHost = http.Server | https.Server;

/** The address that streams an export as a CSV attachment (download.ts). */
export const DOWNLOAD = '/download/export';

/** The status of a download refused before its first byte (the JSON body says why). */
const DOWNLOAD_STATUS: Partial<Record<AppErrorPayload['code'], number>> = {
  INVALID_ARGS: 400,
  BAD_INPUT: 400,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  UNAVAILABLE: 503,
};

/** How often /events sends a ping: the page counts the connection lost after three missed. */
export const HEARTBEAT_MS = 4000;

/** Each host's open event streams, for closeHttpHost. */
const eventStreams = new WeakMap<http.Server, Set<http.ServerResponse>>();

/** GET /health reuses a report at most this old (uptime monitors may poll every few seconds). */
export const HEALTH_MAX_AGE_MS = 60_000;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

/** The request's path and query; null when the address is not valid (bad percent-encoding). */
function parseTarget(target: string | undefined): { url: URL; pathname: string } | null {
  try {
    const url = new URL(target?.startsWith('/') ? `http://local${target}` : (target ?? '/'));
    return { url, pathname: decodeURIComponent(url.pathname) };
  } catch {
    return null;
  }
}

/** Reads `{ "username", "password" }`; null when the body is not that. */
function credentials(body: unknown): { username: string; password: string } | null {
  if (typeof body !== 'object' || body === null) return null;
  const { username, password } = body as Record<string, unknown>;
  if (typeof username !== 'string' || typeof password !== 'string') return null;
  if (!username.trim() || !password || username.length > 200 || password.length > 1000) return null;
  return { username: username.trim(), password };
}

/** The headless host. Without `tls` it speaks HTTP. */
export function createHttpHost(core: Core, opts?: HttpHostOptions & { tls?: undefined }): http.Server;
export function createHttpHost(core: Core, opts: HttpHostOptions): HttpHost;
export function createHttpHost(core: Core, opts: HttpHostOptions = {}): HttpHost {
  const tls = !!opts.tls;
  const staticDir = opts.staticDir ? path.resolve(opts.staticDir) : null;
  const publicUrls = (opts.publicUrls ?? []).map((u) => new URL(u));
  const maxUpload = opts.maxUpload ?? DEFAULT_MAX_UPLOAD;
  const budget = new BodyBudget(opts.bodyBudget ?? DEFAULT_BODY_BUDGET);
  const streams = new StreamCaps(opts.maxStreamsPerCaller ?? DEFAULT_MAX_STREAMS);
  const clients = new Set<http.ServerResponse>();
  const unsubscribe = core.events.subscribe((e) => {
    const line = `data: ${JSON.stringify(e)}\n\n`;
    for (const c of clients) c.write(line);
  });

  const onRequest = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    void handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) fail(req, res, 500, toAppError(e, core.log));
      else res.destroy();
    });
  };
  const server: HttpHost = opts.tls
    ? https.createServer({ cert: opts.tls.cert, key: opts.tls.key }, onRequest)
    : http.createServer(onRequest);

  // what the server answers to is known once it listens (its address and port)
  let allowed: Allowed | null = null;
  const bound = (): AddressInfo => server.address() as AddressInfo;

  function send(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    res.writeHead(status, { ...apiHeaders(tls), 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(JSON.stringify(body));
  }

  /** A refusal: the answer first, then the rest of the body read and dropped (no reset). */
  function fail(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    status: number,
    error: AppErrorPayload,
    headers: Record<string, string> = {},
  ): void {
    send(res, status, { ok: false, error } satisfies Reply<never>, headers);
    discardRest(req);
  }

  /** Answers a body that could not be read: too large (413), the server busy (503), not JSON (400). */
  function refuseBody(req: http.IncomingMessage, res: http.ServerResponse, e: unknown): void {
    if (e instanceof TooLarge) return fail(req, res, 413, toAppError(e));
    if (e instanceof LengthRequired) return fail(req, res, 411, toAppError(e));
    if (e instanceof Busy) return fail(req, res, 503, toAppError(e), { 'retry-after': String(BUSY_RETRY_AFTER) });
    fail(req, res, 400, toAppError(e, core.log));
  }

  /** A JSON body within `limit`, its memory reserved until `release()`; null when refused (answered). */
  async function jsonBody(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    limit: number,
  ): Promise<{ value: unknown; release: () => void } | null> {
    let read;
    try {
      read = await readBody(req, limit, budget);
    } catch (e) {
      refuseBody(req, res, e);
      return null;
    }
    const release = (): void => budget.give(read.reserved);
    const text = read.bytes.toString('utf8');
    if (text.trim() === '') return { value: {}, release };
    try {
      return { value: JSON.parse(text) as unknown, release };
    } catch {
      release();
      fail(req, res, 400, { code: 'INVALID_ARGS', message: 'The request body is not valid JSON' });
      return null;
    }
  }

  function caller(req: http.IncomingMessage): Caller | null {
    if (opts.context) return { ctx: opts.context(req), key: 'fixed' };
    return resolveCaller(req, opts.auth, isLoopback(bound().address));
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const target = parseTarget(req.url);
    if (!target)
      return fail(req, res, 400, { code: 'BAD_INPUT', message: 'The address is not valid (bad percent-encoding)' });
    const { url, pathname } = target;
    allowed ??= allowedFor(bound(), tls, publicUrls);
    if (!hostAllowed(req, allowed))
      return fail(req, res, 403, {
        code: 'FORBIDDEN',
        message:
          'This server does not answer to that host name; start it with --public-url naming the address people use',
      });
    if (req.method === 'POST' && !originAllowed(req, allowed, cookie(req, SESSION_COOKIE) !== null))
      return fail(req, res, 403, { code: 'FORBIDDEN', message: 'A request from another origin was refused' });

    if (req.method === 'GET' && pathname === '/health') {
      // no sign-in: an uptime monitor reads it; 503 only when a check fails. Names, statuses and
      // details only (no actions, no values): the details name no secret and no path.
      const report = await core.health.fresh(HEALTH_MAX_AGE_MS);
      return send(res, report.status === 'fail' ? 503 : 200, {
        status: report.status,
        checkedAt: report.checkedAt,
        checks: report.checks.map((c) => ({ name: c.name, status: c.status, detail: c.detail })),
      });
    }
    if (req.method === 'POST' && pathname === '/auth/login') return login(req, res);
    if (req.method === 'POST' && pathname === '/auth/logout') {
      const value = cookie(req, SESSION_COOKIE);
      const who = value !== null ? opts.auth?.fromSession(value) : null;
      if (value !== null) opts.auth?.logout(value);
      if (who)
        writeAudit(core.sqlite, core.clock, {
          actor: `${who.name} (browser)`,
          action: 'auth.logout',
          details: null,
          outcome: 'ok',
        });
      discardRest(req);
      return send(res, 200, { ok: true, value: null }, { 'set-cookie': clearedCookie(secureCookie(req)) });
    }

    const api =
      (req.method === 'POST' && (pathname.startsWith('/rpc/') || pathname === '/upload' || pathname === DOWNLOAD)) ||
      (req.method === 'GET' && pathname === '/events');
    if (api) {
      // who is calling, before any work (the body is not read for a stranger)
      const who = caller(req);
      if (!who)
        return fail(req, res, 401, {
          code: 'UNAUTHENTICATED',
          message: 'Sign in first, or send an API token (Authorization: Bearer …)',
        });
      if (pathname === '/upload') {
        // the file's name as sent: refused when its percent-encoding is broken (not stored as "�")
        const raw = /(?:^|&)name=([^&]*)/.exec(url.search.slice(1))?.[1];
        try {
          if (raw !== undefined) decodeURIComponent(raw.replace(/\+/g, ' '));
        } catch {
          return fail(req, res, 400, {
            code: 'BAD_INPUT',
            message: 'The file name is not valid (bad percent-encoding)',
          });
        }
        return upload(req, res, url, who.ctx);
      }
      if (pathname === '/events') return events(req, res, who);
      const body = await jsonBody(req, res, MAX_RPC_BODY);
      if (!body) return;
      if (pathname === DOWNLOAD) {
        body.release();
        const error = await downloadExport(core, who.ctx, body.value, res, apiHeaders(tls));
        if (error) send(res, DOWNLOAD_STATUS[error.code] ?? 500, { ok: false, error } satisfies Reply<never>);
        return;
      }
      try {
        return send(res, 200, await dispatch(core.handlers, pathname.slice(5), body.value, who.ctx, core.log));
      } finally {
        body.release();
      }
    }

    // the API's addresses with another method: say which one they take (JSON, not the app's page)
    if (
      pathname.startsWith('/rpc/') ||
      pathname === '/upload' ||
      pathname === DOWNLOAD ||
      pathname.startsWith('/auth/')
    )
      return fail(
        req,
        res,
        405,
        { code: 'BAD_INPUT', message: `${pathname} takes POST, not ${req.method}` },
        {
          allow: 'POST',
        },
      );
    if ((req.method === 'GET' || req.method === 'HEAD') && staticDir) return serveStatic(pathname, res, staticDir, tls);
    fail(req, res, 404, { code: 'NOT_FOUND', message: `${req.method} ${url.pathname} not found` });
  }

  /** Whether the browser is on HTTPS (here, or at a proxy in front): the cookie is then Secure. */
  function secureCookie(req: http.IncomingMessage): boolean {
    return tls || (req.headers.origin ?? '').toLowerCase().startsWith('https://');
  }

  /** Last time a refused sign-in was written per name and address: a flood writes one row a minute. */
  const refusedWritten = new Map<string, number>();
  /** Every sign-in in the audit log with how it ended (refusals by their error code). */
  function auditSignIn(username: string, ip: string, outcome: 'ok' | 'invalid' | 'disabled' | 'rate-limited'): void {
    const code = { ok: 'ok', invalid: 'UNAUTHENTICATED', disabled: 'FORBIDDEN', 'rate-limited': 'UNAVAILABLE' }[
      outcome
    ];
    const key = `${username.toLowerCase()}|${ip}`;
    const now = core.clock.now();
    if (outcome === 'rate-limited' && now - (refusedWritten.get(key) ?? -Infinity) < 60_000) return;
    if (outcome === 'rate-limited') refusedWritten.set(key, now);
    if (refusedWritten.size > 10_000) refusedWritten.clear();
    writeAudit(core.sqlite, core.clock, {
      actor: `${username.slice(0, 64)} (browser)`,
      action: 'auth.login',
      details: { address: ip, ...(outcome === 'ok' ? {} : { reason: outcome }) },
      outcome: code,
    });
  }

  async function login(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const auth = opts.auth;
    if (!auth)
      return fail(req, res, 503, {
        code: 'UNAVAILABLE',
        message: 'Sign-in is not available: this server has no user accounts',
      });
    const body = await jsonBody(req, res, MAX_LOGIN_BODY);
    if (!body) return;
    body.release();
    const cred = credentials(body.value);
    if (!cred)
      return send(res, 400, {
        ok: false,
        error: { code: 'INVALID_ARGS', message: 'Send { "username", "password" } as JSON' },
      });
    const ip = req.socket.remoteAddress ?? '';
    const r = await auth.login(cred.username, cred.password, ip, req.headers['user-agent']);
    auditSignIn(cred.username, ip, r.ok ? 'ok' : r.reason);
    if (r.ok) {
      const maxAge = r.expiresAt - Date.now() / 1000;
      return send(
        res,
        200,
        { ok: true, value: { name: r.principal.name, role: r.principal.role } },
        { 'set-cookie': sessionCookie(r.cookieValue, maxAge, secureCookie(req)) },
      );
    }
    const refused = signInRefusal(r.reason, r.retryAfter);
    send(res, refused.status, { ok: false, error: refused.error }, refused.headers);
  }

  async function upload(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    url: URL,
    ctx: CallContext,
  ): Promise<void> {
    const declared = declaredLength(req);
    if (declared !== null && declared > maxUpload) return fail(req, res, 413, toAppError(new TooLarge(maxUpload)));
    // the contract's files.upload: the same role check as every other way in
    const body = meteredUpload(req, maxUpload);
    const reply = await dispatch(
      core.handlers,
      'files.upload',
      { name: url.searchParams.get('name') ?? 'upload.csv' },
      { ...ctx, body },
      core.log,
    );
    if (body.tooLarge) return fail(req, res, 413, toAppError(new TooLarge(maxUpload)));
    if (reply.ok) return send(res, 200, reply);
    fail(req, res, reply.error.code === 'FORBIDDEN' ? 403 : 200, reply.error);
  }

  function events(req: http.IncomingMessage, res: http.ServerResponse, who: Caller): void {
    if (!streams.take(who.key))
      return fail(
        req,
        res,
        429,
        {
          code: 'UNAVAILABLE',
          message: `Too many open event streams for this caller (at most ${streams.max}); close other tabs`,
        },
        { 'retry-after': '5' },
      );
    res.writeHead(200, { ...apiHeaders(tls), 'content-type': 'text/event-stream', connection: 'keep-alive' });
    // retry: how soon the browser reconnects itself; ping: a named event the page can see (a
    // comment line cannot be), so a silent connection is noticed within seconds
    res.write(`retry: 1000\nevent: ping\ndata: ${Date.now()}\n\n`);
    clients.add(res);
    const beat = setInterval(() => res.write(`event: ping\ndata: ${Date.now()}\n\n`), HEARTBEAT_MS);
    req.on('close', () => {
      clearInterval(beat);
      clients.delete(res);
      streams.give(who.key);
    });
  }

  eventStreams.set(server, clients);
  server.on('close', () => {
    unsubscribe();
    for (const c of clients) c.end();
  });
  return server;
}

/** A file of the built renderer; `pathname` is already decoded. */
function serveStatic(pathname: string, res: http.ServerResponse, root: string, tls: boolean): void {
  let rel = pathname;
  if (rel === '/' || !path.extname(rel)) rel = '/index.html'; // client-side routes fall back to the app
  const file = path.resolve(root, '.' + rel);
  if (!file.startsWith(root + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
    res.writeHead(404, { ...securityHeaders(tls), 'content-type': 'text/plain' });
    res.end('not found');
    return;
  }
  res.writeHead(200, {
    ...securityHeaders(tls),
    'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
    'content-security-policy': CSP,
    'cache-control': rel.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
  });
  fs.createReadStream(file).pipe(res);
}

/** Starts listening; resolves with the URL to open. */
export function listen(server: HttpHost, port: number, host: string): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const a = server.address() as AddressInfo;
      const h = a.family === 'IPv6' ? `[${a.address}]` : a.address;
      resolve(`${server instanceof https.Server ? 'https' : 'http'}://${h}:${a.port}/`);
    });
  });
}

/**
 * Stops the host: refuses new connections, ends the event streams (which `server.close()` alone
 * would wait on for ever) and idle keep-alive connections at once, and gives requests still being
 * answered `graceMs` before their connections are cut. Resolves when the last connection is gone.
 */
export function closeHttpHost(server: HttpHost, graceMs = 1000): Promise<void> {
  return new Promise((resolve) => {
    const cut = setTimeout(() => server.closeAllConnections(), graceMs);
    server.close(() => {
      clearTimeout(cut);
      resolve();
    });
    for (const c of eventStreams.get(server) ?? []) c.end();
    server.closeIdleConnections();
    // a stream just ended leaves its connection idle a moment later
    setImmediate(() => server.closeIdleConnections());
  });
}
