import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../core/app';
import { makeCore, REPO, tempDir } from '../../tests/helpers/core';
import { CSP } from '../../src-shared/security/csp';
import { createHttpHost, listen } from './http';

let core: Core;
let server: http.Server;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  await core?.stop();
});

/** A raw request, so Host and Origin can be set as an attacker's page would. */
function raw(
  url: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string; path?: string },
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: u.hostname, port: u.port, path: opts.path ?? '/', method: opts.method ?? 'GET', headers: opts.headers },
      (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

async function start(staticDir?: string): Promise<string> {
  core = await makeCore();
  server = createHttpHost(core, { staticDir: staticDir ?? null });
  return listen(server, 0, '127.0.0.1');
}

describe('headless HTTP host', () => {
  it('binds where told and prints a loopback URL', async () => {
    const url = await start();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
  });

  it('refuses cross-site POSTs and foreign Host headers (CSRF, DNS rebinding)', async () => {
    const url = await start();
    const port = new URL(url).port;
    const evil = await raw(url, {
      method: 'POST',
      path: '/rpc/meters.list',
      headers: { origin: 'https://evil.example', 'content-type': 'application/json' },
      body: '{}',
    });
    expect(evil.status).toBe(403);
    const rebound = await raw(url, {
      method: 'POST',
      path: '/rpc/meters.list',
      headers: { host: `evil.example:${port}` },
      body: '{}',
    });
    expect(rebound.status).toBe(403);
    const ok = await raw(url, {
      method: 'POST',
      path: '/rpc/meters.list',
      headers: { origin: `http://127.0.0.1:${port}` },
      body: '{}',
    });
    expect(JSON.parse(ok.body)).toEqual({ ok: true, value: [] });
  });

  it('answers malformed JSON with INVALID_ARGS', async () => {
    const url = await start();
    const r = await raw(url, { method: 'POST', path: '/rpc/meters.list', body: '{not json' });
    expect(r.status).toBe(400);
    expect(JSON.parse(r.body)).toMatchObject({
      ok: false,
      error: { code: 'INVALID_ARGS', message: expect.stringMatching(/not valid JSON/) },
    });
  });

  it('serves the renderer with a strict CSP, falls back to index.html, and never leaves its folder', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>app</title>');
    fs.mkdirSync(path.join(dir, 'assets'));
    fs.writeFileSync(path.join(dir, 'assets', 'a.js'), 'console.log(1)');
    fs.writeFileSync(path.join(path.dirname(dir), 'secret.txt'), 'secret');
    const url = await start(dir);
    const index = await raw(url, { path: '/' });
    expect(index.status).toBe(200);
    expect(index.headers['content-security-policy']).toMatch(/script-src 'self'/);
    expect(index.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
    expect((await raw(url, { path: '/meters/123' })).body).toContain('<title>app</title>');
    expect((await raw(url, { path: '/assets/a.js' })).headers['content-type']).toMatch(/javascript/);
    expect((await raw(url, { path: '/../secret.txt' })).body).not.toContain('secret');
    expect((await raw(url, { path: '/%2e%2e/secret.txt' })).body).not.toContain('secret');
  });

  it('streams uploads into the data folder with their checksum', async () => {
    const url = await start();
    const r = await fetch(`${url}upload?name=${encodeURIComponent('../../evil name.csv')}`, {
      method: 'POST',
      body: 'MPAN,Timestamp,kWh\n',
    });
    const reply = (await r.json()) as {
      ok: true;
      value: { fileId: string; name: string; bytes: number; sha256: string };
    };
    const sha256 = crypto.createHash('sha256').update('MPAN,Timestamp,kWh\n').digest('hex');
    expect(reply.value).toMatchObject({ name: 'evil name.csv', bytes: 19, sha256 });
    const stored = core.files.get(reply.value.fileId)!;
    expect(path.dirname(stored.path)).toBe(path.join(core.dataDir, 'imports'));
    expect(fs.readFileSync(stored.path, 'utf8')).toBe('MPAN,Timestamp,kWh\n');
  });

  it('serves the same CSP the renderer declares in its meta tag (frame-ancestors only works as a header)', () => {
    const html = fs.readFileSync(path.join(REPO, 'src-renderer', 'index.html'), 'utf8');
    const meta = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)![1]!;
    expect(meta.split('; ')).toEqual(CSP.split('; ').filter((d) => !d.startsWith('frame-ancestors')));
  });
});
