/**
 * For the smart-meter API clients' tests: a replay server on 127.0.0.1 that answers each request from
 * a route and records what it was asked (URL and headers), and the fetched documents imported through
 * the real queue as the sources runner imports them (the document's meter; m³ gas as octopus-json-m3).
 */
import http from 'node:http';
import { afterEach, expect } from 'vitest';
import { AppError } from '../../src-shared/contract/errors';
import type { FetchedDocument } from '../../src-main/core/sources/api-source';
import type { Core } from '../../src-main/core/app';
import { writeTemp } from './core';

export interface Answer {
  status: number;
  body: string;
  headers?: Record<string, string>;
}

export interface Asked {
  url: URL;
  headers: http.IncomingHttpHeaders;
}

let servers: http.Server[] = [];
afterEach(async () => {
  for (const s of servers) {
    s.closeAllConnections();
    await new Promise<void>((r) => s.close(() => r()));
  }
  servers = [];
});

/** A server answering from `route` ('hang' never answers); `asked` lists the requests in order. */
export async function replay(
  route: (url: URL, n: number, origin: string) => Answer | 'hang',
): Promise<{ origin: string; asked: Asked[] }> {
  const asked: Asked[] = [];
  let origin = '';
  const server = http.createServer((req, res) => {
    const url = new URL(req.url!, origin);
    asked.push({ url, headers: req.headers });
    const a = route(url, asked.length, origin);
    if (a === 'hang') return;
    res.writeHead(a.status, { 'content-type': 'application/json', ...a.headers });
    res.end(a.body);
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return { origin, asked };
}

/** A JSON answer. */
export const ok = (body: unknown): Answer => ({ status: 200, body: JSON.stringify(body) });

/** The AppError a promise rejects with. */
export async function failure(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    return e as AppError;
  }
  throw new Error('expected a failure');
}

/** Records the waits asked for instead of sleeping. */
export function waits(): { sleep: (ms: number) => Promise<void>; waited: number[] } {
  const waited: number[] = [];
  return { sleep: async (ms) => void waited.push(ms), waited };
}

/** Imports fetched documents as the sources runner does and returns the finished jobs. */
export async function importDocuments(core: Core, docs: FetchedDocument[]) {
  const jobs = [];
  for (const d of docs) {
    const { jobIds } = await core.imports.enqueuePaths([writeTemp(d.name, d.bytes)], {
      meter: d.meter,
      ...(d.volume ? { format: 'octopus-json-m3' } : {}),
    });
    await core.imports.drain((id) => jobIds.includes(id));
    jobs.push(...jobIds.map((id) => core.imports.get(id)));
  }
  return jobs;
}
