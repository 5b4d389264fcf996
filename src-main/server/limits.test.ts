import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../core/app';
import type { Logger } from '../core/events';
import { buildCli } from '../../tests/helpers/cli';
import { makeCore, tempDir } from '../../tests/helpers/core';
import { MemoryAuth, raw } from '../../tests/helpers/http-host';
import { closeHttpHost, createHttpHost, listen, type HttpHost, type HttpHostOptions } from './http';
import { parseSize } from './limits';

let core: Core | undefined;
let server: HttpHost | undefined;
const open: http.ClientRequest[] = [];
afterEach(async () => {
  for (const r of open.splice(0)) r.destroy();
  if (server) await closeHttpHost(server);
  await core?.stop();
  server = undefined;
  core = undefined;
});

const errors: unknown[][] = [];
const recording: Logger = { info: () => {}, warn: () => {}, error: (...a: unknown[]) => errors.push(a) } as Logger;

async function start(opts: HttpHostOptions = {}): Promise<number> {
  core = await makeCore({ host: 'server', log: recording });
  server = createHttpHost(core, opts);
  return Number(new URL(await listen(server, 0, '127.0.0.1')).port);
}

/** Sends `body` in 64 KB pieces without a Content-Length (chunked), as a streaming client does. */
function chunked(port: number, p: string, body: Buffer): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: p, method: 'POST' }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode!, body: text }));
    });
    req.on('error', reject);
    let at = 0;
    const next = (): void => {
      while (at < body.length) {
        const piece = body.subarray(at, at + 65536);
        at += piece.length;
        if (!req.write(piece)) return void req.once('drain', next);
      }
      req.end();
    };
    next();
  });
}

/** A request that sends its headers and `first` bytes of a body declared as `length`, then waits. */
function heldOpen(port: number, p: string, length: number, first: number): http.ClientRequest {
  const req = http.request({
    host: '127.0.0.1',
    port,
    path: p,
    method: 'POST',
    headers: { 'content-length': String(length) },
  });
  req.on('error', () => {});
  req.write(Buffer.alloc(first, 0x20));
  open.push(req);
  return req;
}

const code = (body: string): { code: string; message: string; details?: unknown } =>
  (JSON.parse(body) as { error: { code: string; message: string; details?: unknown } }).error;

describe('body limits', () => {
  it('answers a /rpc body over 24 MB with 413 and JSON, a chunked one with 411, and keeps serving', async () => {
    const port = await start();
    const big = Buffer.alloc(25 * 1024 * 1024, 0x20);
    const declared = await raw('127.0.0.1', port, { method: 'POST', path: '/rpc/meters.list', body: big });
    expect(declared.status).toBe(413);
    expect(code(declared.body)).toMatchObject({ code: 'BAD_INPUT', details: { reason: 'too-large', limit: 24 << 20 } });
    expect(code(declared.body).message).toMatch(/larger than 24 MB/);
    // a JSON body in chunks (no length to reserve from the memory budget first) is refused outright
    const streamed = await chunked(port, '/rpc/meters.list', big);
    expect(streamed.status).toBe(411);
    expect(code(streamed.body)).toMatchObject({ code: 'BAD_INPUT', details: { reason: 'length-required' } });
    const small = await chunked(port, '/rpc/meters.list', Buffer.from('{}'));
    expect(small.status).toBe(411);
    const after = await raw('127.0.0.1', port, { method: 'POST', path: '/rpc/meters.list', body: '{}' });
    expect(JSON.parse(after.body)).toEqual({ ok: true, value: [] });
    expect(errors).toEqual([]);
  });

  it('caps uploads while they stream (413), leaving no file behind', async () => {
    const port = await start({ maxUpload: 1024 * 1024 });
    const tooBig = Buffer.alloc(3 * 1024 * 1024, 0x41);
    const declared = await raw('127.0.0.1', port, { method: 'POST', path: '/upload?name=a.csv', body: tooBig });
    expect(declared.status).toBe(413);
    const streamed = await chunked(port, '/upload?name=a.csv', tooBig);
    expect(streamed.status).toBe(413);
    expect(code(streamed.body).message).toMatch(/larger than 1 MB/);
    expect(core!.sqlite.prepare('SELECT count(*) FROM stored_files').pluck().get()).toBe(0);
    const dir = path.join(core!.dataDir, 'imports');
    expect(fs.existsSync(dir) ? fs.readdirSync(dir) : []).toEqual([]);
    // exactly the cap is accepted
    const fits = await chunked(port, '/upload?name=a.csv', tooBig.subarray(0, 1024 * 1024));
    expect(JSON.parse(fits.body)).toMatchObject({ ok: true, value: { bytes: 1024 * 1024 } });
    expect(errors).toEqual([]);
  });

  it('answers a malformed address with 400, no stack trace in the log', async () => {
    const port = await start({ staticDir: tempDir() });
    for (const p of ['/%E0%A4%A', '/rpc/%E0%A4%A', '/assets/%zz.js']) {
      const post = p.startsWith('/rpc');
      const r = await raw('127.0.0.1', port, {
        method: post ? 'POST' : 'GET',
        path: p,
        ...(post ? { body: '{}' } : {}),
      });
      expect(r.status).toBe(400);
      expect(code(r.body).code).toBe('BAD_INPUT');
    }
    // an upload whose file name is broken percent-encoding is refused, not stored as "�%A"
    const badName = await raw('127.0.0.1', port, { method: 'POST', path: '/upload?name=%E0%A4%A', body: 'x' });
    expect(badName.status).toBe(400);
    expect(code(badName.body).message).toMatch(/file name is not valid/);
    // the API's addresses with the wrong method answer JSON, not the app's page
    const get = await raw('127.0.0.1', port, { method: 'GET', path: '/rpc/app.info' });
    expect(get.status).toBe(405);
    expect(code(get.body)).toMatchObject({ code: 'BAD_INPUT', message: '/rpc/app.info takes POST, not GET' });
    expect(errors).toEqual([]);
  });

  it('refuses new bodies with 503 and Retry-After while the memory budget is spent, and frees it after', async () => {
    const port = await start({ bodyBudget: 1024 * 1024 });
    const first = heldOpen(port, '/rpc/meters.list', 800 * 1024, 1024);
    // the first body's size is reserved as soon as its headers are read
    let second = await raw('127.0.0.1', port, {
      method: 'POST',
      path: '/rpc/meters.list',
      body: Buffer.alloc(400 * 1024, 0x20),
    });
    for (let i = 0; second.status !== 503 && i < 20; i++) {
      await new Promise((r) => setTimeout(r, 20));
      second = await raw('127.0.0.1', port, {
        method: 'POST',
        path: '/rpc/meters.list',
        body: Buffer.alloc(400 * 1024, 0x20),
      });
    }
    expect(second.status).toBe(503);
    expect(second.headers['retry-after']).toBe('2');
    expect(code(second.body)).toMatchObject({ code: 'UNAVAILABLE', details: { reason: 'busy' } });
    const answered = new Promise<number>((r) => first.on('response', (res) => (res.resume(), r(res.statusCode!))));
    first.end(Buffer.alloc(800 * 1024 - 1024, 0x20));
    expect(await answered).toBe(200);
    const third = await raw('127.0.0.1', port, {
      method: 'POST',
      path: '/rpc/meters.list',
      body: Buffer.alloc(400 * 1024, 0x20),
    });
    expect(third.status).toBe(200);
  });

  // the server in a process of its own (as `eclectyc serve` runs), so its memory is measured alone:
  // the kernel's high-water mark of its resident memory (VmHWM), not samples of this process
  it.runIf(process.platform === 'linux')(
    'keeps 40 concurrent 23 MB bodies under 300 MB of the server’s memory (Linux: /proc)',
    async () => {
      const cli = await buildCli();
      const dataDir = tempDir();
      const child = spawn(process.execPath, [
        cli,
        'serve',
        '--port',
        '0',
        '--json',
        '--data-dir',
        dataDir,
        '--carbon-api',
        'http://127.0.0.1:9',
      ]);
      try {
        const url = await new Promise<string>((resolve, reject) => {
          let out = '';
          child.stdout.on('data', (c: Buffer) => {
            out += c.toString();
            const m = /"url":"([^"]+)"/.exec(out);
            if (m) resolve(m[1]!);
          });
          child.on('exit', (code) => reject(new Error(`serve exited (${code})`)));
        });
        const port = Number(new URL(url).port);
        const kb = (field: string): number =>
          Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'))![1]);
        const base = kb('VmRSS');
        // a year of half-hourly prices, repeated: numbers, as a tariff import sends them
        const prices = Array.from({ length: 17520 }, (_, i) => +(20 + 10 * Math.sin(i / 7)).toFixed(3));
        let text = '{"prices":[' + prices.join(',');
        while (text.length < 23 * 1024 * 1024) text += ',' + prices.join(',');
        const body = Buffer.from(text + ']}');
        const agent = new http.Agent({ keepAlive: false, maxSockets: 64 });
        const answers = await Promise.all(
          Array.from(
            { length: 40 },
            () =>
              new Promise<{ status: number; retryAfter: string | undefined }>((resolve, reject) => {
                const req = http.request(
                  { host: '127.0.0.1', port, path: '/rpc/meters.list', method: 'POST', agent },
                  (res) => {
                    res.resume();
                    res.on('end', () => resolve({ status: res.statusCode!, retryAfter: res.headers['retry-after'] }));
                  },
                );
                req.on('error', reject);
                req.end(body);
              }),
          ),
        );
        agent.destroy();
        const grewMb = (kb('VmHWM') - base) / 1024;
        expect(grewMb, `the server's resident memory peaked ${grewMb.toFixed(0)} MB above idle`).toBeLessThan(300);
        expect(answers.filter((x) => x.status === 200).length).toBeGreaterThan(0);
        for (const x of answers) {
          expect([200, 503]).toContain(x.status);
          if (x.status === 503) expect(x.retryAfter).toBe('2');
        }
      } finally {
        child.kill('SIGTERM');
      }
    },
    60_000,
  );
});

describe('event streams', () => {
  it('caps open streams per caller (429), counts closed ones out, and leaves other callers alone', async () => {
    const auth = new MemoryAuth();
    const anna = auth.signedIn('anna', 'viewer');
    const bob = auth.signedIn('bob', 'viewer');
    const port = await start({ auth, maxStreamsPerCaller: 2 });
    const stream = (cookie: string): Promise<{ status: number; req: http.ClientRequest; res: http.IncomingMessage }> =>
      new Promise((resolve, reject) => {
        const req = http.get(
          { host: '127.0.0.1', port, path: '/events', headers: { cookie: `eclectyc_session=${cookie}` } },
          (res) => resolve({ status: res.statusCode!, req, res }),
        );
        req.on('error', reject);
        open.push(req);
      });
    const a1 = await stream(anna);
    const a2 = await stream(anna);
    expect([a1.status, a2.status]).toEqual([200, 200]);
    const a3 = await stream(anna);
    expect(a3.status).toBe(429);
    expect(a3.res.headers['retry-after']).toBe('5');
    expect((await stream(bob)).status).toBe(200);
    const closed = new Promise((r) => a1.res.on('close', r));
    a1.req.destroy();
    await closed;
    let again = await stream(anna);
    for (let i = 0; again.status !== 200 && i < 20; i++) {
      await new Promise((r) => setTimeout(r, 20));
      again = await stream(anna);
    }
    expect(again.status).toBe(200);
  });
});

describe('parseSize', () => {
  it('reads sizes as people write them', () => {
    expect(parseSize('2GB')).toBe(2 * 1024 ** 3);
    expect(parseSize('500 mb')).toBe(500 * 1024 * 1024);
    expect(parseSize('1.5G')).toBe(1536 * 1024 * 1024);
    expect(parseSize('800k')).toBe(800 * 1024);
    expect(parseSize('1048576')).toBe(1048576);
    expect(parseSize('lots')).toBeNull();
    expect(parseSize('0')).toBeNull();
    expect(parseSize('-1GB')).toBeNull();
  });
});
