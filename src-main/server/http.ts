/**
 * The headless host: the same handlers over HTTP. POST /rpc/:method (JSON in, Reply out),
 * POST /upload (streamed file body → stored file id), GET /events (server-sent events), GET /health
 * (for uptime monitors), and the built renderer as static files, so the whole UI works in any browser.
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { CallContext, Reply } from '../../src-shared/contract/api';
import type { Core } from '../core/app';
import { localCaller } from '../core/rpc/caller';
import { dispatch, toAppError } from '../core/rpc/dispatch';
import { CSP } from '../../src-shared/security/csp';

export interface HttpHostOptions {
  /** Built renderer (index.html and assets); omitted = API only. */
  staticDir?: string | null;
  /** Who is calling. Until users exist the local user is admin. */
  context?: (req: http.IncomingMessage) => CallContext;
}

/** How often /events sends a ping: the page counts the connection lost after three missed. */
export const HEARTBEAT_MS = 4000;

/** Each host's open event streams, for closeHttpHost. */
const eventStreams = new WeakMap<http.Server, Set<http.ServerResponse>>();

/** GET /health reuses a report at most this old (uptime monitors may poll every few seconds). */
export const HEALTH_MAX_AGE_MS = 60_000;

/** Largest /rpc body: a tariff file or a year of half-hourly prices (Octopus JSON) fits well inside. */
const MAX_JSON = 24 * 1024 * 1024;

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

function send(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  res.end(text);
}

function readJson(req: http.IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_JSON) {
        reject(new Error('request body larger than 24 MB'));
        req.destroy();
      } else parts.push(c);
    });
    req.on('end', () => {
      const text = Buffer.concat(parts).toString('utf8');
      if (text.trim() === '') return resolve({});
      try {
        resolve(JSON.parse(text));
      } catch {
        reject(new Error('request body is not valid JSON'));
      }
    });
    req.on('error', reject);
  });
}

/**
 * Rejects requests whose Host is not this server (DNS rebinding) and cross-site POSTs (CSRF):
 * a web page elsewhere must not be able to drive a local server.
 */
function sameOrigin(req: http.IncomingMessage, server: http.Server): boolean {
  const addr = server.address() as AddressInfo | null;
  if (!addr) return false;
  const host = req.headers.host ?? '';
  const loopback = addr.address === '127.0.0.1' || addr.address === '::1';
  if (loopback && !new RegExp(`^(127\\.0\\.0\\.1|localhost|\\[::1\\]):${addr.port}$`).test(host)) return false;
  const origin = req.headers.origin;
  if (req.method === 'POST' && origin !== undefined && origin !== `http://${host}`) return false;
  return true;
}

export function createHttpHost(core: Core, opts: HttpHostOptions = {}): http.Server {
  const context = opts.context ?? (() => localCaller('local'));
  const staticDir = opts.staticDir ? path.resolve(opts.staticDir) : null;
  const clients = new Set<http.ServerResponse>();
  const unsubscribe = core.events.subscribe((e) => {
    const line = `data: ${JSON.stringify(e)}\n\n`;
    for (const c of clients) c.write(line);
  });

  const server = http.createServer((req, res) => {
    void handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) send(res, 500, { ok: false, error: toAppError(e, core.log) } satisfies Reply<never>);
      else res.destroy();
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (!sameOrigin(req, server))
      return send(res, 403, {
        ok: false,
        error: { code: 'FORBIDDEN', message: 'request from another origin refused' },
      });
    const url = new URL(req.url ?? '/', 'http://local');
    if (req.method === 'GET' && url.pathname === '/health') {
      // no sign-in: an uptime monitor reads it; 503 only when a check fails. Names, statuses and
      // details only (no actions, no values): the details name no secret and no path.
      const report = await core.health.fresh(HEALTH_MAX_AGE_MS);
      return send(res, report.status === 'fail' ? 503 : 200, {
        status: report.status,
        checkedAt: report.checkedAt,
        checks: report.checks.map((c) => ({ name: c.name, status: c.status, detail: c.detail })),
      });
    }

    const ctx = context(req);

    if (req.method === 'POST' && url.pathname.startsWith('/rpc/')) {
      let body: unknown;
      try {
        body = await readJson(req);
      } catch (e) {
        return send(res, 400, { ok: false, error: { code: 'INVALID_ARGS', message: (e as Error).message } });
      }
      const method = decodeURIComponent(url.pathname.slice(5));
      return send(res, 200, await dispatch(core.handlers, method, body, ctx, core.log));
    }

    if (req.method === 'POST' && url.pathname === '/upload') {
      // the contract's files.upload: the same role check as every other way in
      const reply = await dispatch(
        core.handlers,
        'files.upload',
        { name: url.searchParams.get('name') ?? 'upload.csv' },
        { ...ctx, body: req },
        core.log,
      );
      if (!reply.ok) req.resume(); // a refused upload's bytes are read and dropped, so the reply can be sent
      return send(res, reply.ok || reply.error.code !== 'FORBIDDEN' ? 200 : 403, reply);
    }

    if (req.method === 'GET' && url.pathname === '/events') {
      res.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-store',
        connection: 'keep-alive',
      });
      // retry: how soon the browser reconnects itself; ping: a named event the page can see (a
      // comment line cannot be), so a silent connection is noticed within seconds
      res.write(`retry: 1000\nevent: ping\ndata: ${Date.now()}\n\n`);
      clients.add(res);
      const beat = setInterval(() => res.write(`event: ping\ndata: ${Date.now()}\n\n`), HEARTBEAT_MS);
      req.on('close', () => {
        clearInterval(beat);
        clients.delete(res);
      });
      return;
    }

    if ((req.method === 'GET' || req.method === 'HEAD') && staticDir) return serveStatic(url.pathname, res, staticDir);
    send(res, 404, { ok: false, error: { code: 'NOT_FOUND', message: `${req.method} ${url.pathname} not found` } });
  }

  eventStreams.set(server, clients);
  server.on('close', () => {
    unsubscribe();
    for (const c of clients) c.end();
  });
  return server;
}

function serveStatic(pathname: string, res: http.ServerResponse, root: string): void {
  let rel = decodeURIComponent(pathname);
  if (rel === '/' || !path.extname(rel)) rel = '/index.html'; // client-side routes fall back to the app
  const file = path.resolve(root, '.' + rel);
  if (!file.startsWith(root + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found');
    return;
  }
  res.writeHead(200, {
    'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
    'content-security-policy': CSP,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'x-frame-options': 'DENY',
    'cache-control': rel.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
  });
  fs.createReadStream(file).pipe(res);
}

/** Starts listening; resolves with the URL to open. */
export function listen(server: http.Server, port: number, host: string): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const a = server.address() as AddressInfo;
      const h = a.family === 'IPv6' ? `[${a.address}]` : a.address;
      resolve(`http://${h}:${a.port}/`);
    });
  });
}

/**
 * Stops the host: refuses new connections, ends the event streams (which `server.close()` alone
 * would wait on for ever) and idle keep-alive connections at once, and gives requests still being
 * answered `graceMs` before their connections are cut. Resolves when the last connection is gone.
 */
export function closeHttpHost(server: http.Server, graceMs = 1000): Promise<void> {
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
