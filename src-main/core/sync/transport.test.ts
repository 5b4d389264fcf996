/**
 * The desktop's HTTP client for the shared server against real HTTP servers on 127.0.0.1: bodies
 * travel gzip-encoded with the bearer token, and each way a call can fail becomes the failure the
 * engine acts on (offline, signed out, refused for the role, refused).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { SIGNED_OUT, SyncFailure, SyncTransport } from './transport';

const servers: http.Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await new Promise((r) => s.close(r));
});

interface Seen {
  headers: http.IncomingHttpHeaders;
  body: unknown;
}

/** A server answering every request with `status` and `answer`; what it received is in `seen`. */
async function serve(status: number, answer: unknown, seen: Seen[] = []): Promise<string> {
  const s = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const text = req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw).toString() : raw.toString();
      seen.push({ headers: req.headers, body: JSON.parse(text) });
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
    });
  });
  servers.push(s);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
}

const CLIENT = '8a7c2b5e-1f7d-4c8a-9a3b-2d5e6f708192';

async function failure(p: Promise<unknown>): Promise<SyncFailure> {
  try {
    await p;
  } catch (e) {
    if (e instanceof SyncFailure) return e;
    throw e;
  }
  throw new Error('the call did not fail');
}

describe('SyncTransport', () => {
  it('sends gzip-encoded JSON with the bearer token and reads the answer', async () => {
    const seen: Seen[] = [];
    const url = await serve(
      200,
      { results: [{ seq: 1, applied: true, version: 9, conflicts: 0, overrode: 0 }], head: 9 },
      seen,
    );
    const t = new SyncTransport(url);
    const req = {
      clientId: CLIENT,
      clientName: 'Laptop',
      mutations: [{ seq: 1, kind: 'resolve' as const, conflicts: [{ id: 2, keep: 'server' as const }] }],
    };
    const r = await t.push('tok-123', req);
    expect(r.head).toBe(9);
    expect(seen[0]!.headers['content-encoding']).toBe('gzip');
    expect(seen[0]!.headers['accept-encoding']).toContain('gzip');
    expect(seen[0]!.headers.authorization).toBe('Bearer tok-123');
    expect(seen[0]!.body).toEqual(req);
  });

  it('tells offline, signed out, refused for the role and a bad answer apart', async () => {
    const pull = (url: string, timeoutMs?: number) =>
      new SyncTransport(url, { timeoutMs }).pull('t', { clientId: CLIENT, cursor: '' });
    // a port nothing listens on any more
    const gone = http.createServer();
    await new Promise<void>((r) => gone.listen(0, '127.0.0.1', r));
    const port = (gone.address() as AddressInfo).port;
    await new Promise((r) => gone.close(r));
    const down = await failure(pull(`http://127.0.0.1:${port}`));
    expect(down.kind).toBe('offline');
    expect(down.message).toBe(`Could not reach the shared server at http://127.0.0.1:${port} (ECONNREFUSED)`);

    const signedOut = await failure(pull(await serve(401, { error: { code: 'UNAUTHENTICATED', message: 'x' } })));
    expect([signedOut.kind, signedOut.message]).toEqual(['signed-out', SIGNED_OUT]);

    const role = await failure(
      pull(await serve(403, { error: { code: 'FORBIDDEN', message: 'sam is a viewer and may only pull' } })),
    );
    expect([role.kind, role.message]).toEqual(['forbidden', 'sam is a viewer and may only pull']);

    const busy = await failure(pull(await serve(503, { error: { code: 'UNAVAILABLE', message: 'database down' } })));
    expect(busy.kind).toBe('offline');
    expect(busy.message).toContain('(503: database down); trying again later');

    const bad = await failure(pull(await serve(200, { days: 'no' })));
    expect([bad.kind, bad.message]).toEqual(['refused', "The shared server's answer to /sync/pull could not be read"]);

    // a server that takes the request and never answers
    const silent = http.createServer(() => undefined);
    servers.push(silent);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const slow = await failure(pull(`http://127.0.0.1:${(silent.address() as AddressInfo).port}`, 300));
    expect(slow.kind).toBe('offline');
    expect(slow.message).toContain('(no answer in time)');
    silent.closeAllConnections();
  });

  it('signs in with the password in the body and says when it was wrong', async () => {
    const seen: Seen[] = [];
    const url = await serve(401, { error: { code: 'UNAUTHENTICATED', message: 'Wrong user name or password' } }, seen);
    const f = await failure(new SyncTransport(url).signIn('sam', 'pw'));
    expect([f.kind, f.message]).toEqual(['signed-out', 'Wrong user name or password']);
    expect(seen[0]!.body).toEqual({ username: 'sam', password: 'pw' });
    expect(seen[0]!.headers.authorization).toBeUndefined();
  });
});
