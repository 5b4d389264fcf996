/**
 * Graceful shutdown of a real `eclectyc serve` process: SIGTERM or SIGINT with a browser's event
 * stream open, and in the middle of a large import, ends the process within 3 s; the import stops
 * after a committed chunk, goes back to the queue, and `worker --once` finishes it to exactly the
 * readings and counts of one clean import.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { ReadingsStore } from '../../src-main/core/readings/store';
import { buildCli, runCli } from '../helpers/cli';
import { tempDir } from '../helpers/core';

let cli: string;
let file: string;
const METERS = 10;
const PER_METER = 200_000; // 2 million rows, ~90 MB: many 1 MB chunks

/** A valid MPAN core from its first 12 digits (the check digit computed as the standard says). */
function mpan(first12: string): string {
  const primes = [3, 5, 7, 13, 17, 19, 23, 29, 31, 37, 41, 43];
  const sum = [...first12].reduce((s, d, i) => s + Number(d) * primes[i]!, 0);
  return first12 + ((sum % 11) % 10);
}

beforeAll(async () => {
  cli = await buildCli();
  file = path.join(tempDir('eclectyc-big-'), 'big.csv');
  const fd = fs.openSync(file, 'w');
  fs.writeSync(fd, 'MPAN,Timestamp,kWh,Quality\n');
  const t0 = Date.parse('2012-01-01T00:00:00Z');
  for (let m = 0; m < METERS; m++) {
    const id = mpan(`1200050${String(m).padStart(5, '0')}`);
    let lines = '';
    for (let i = 0; i < PER_METER; i++) {
      lines += `${id},${new Date(t0 + i * 1800_000).toISOString()},${((i * 7919 + m) % 1000) / 100},${i % 10 ? 'A' : 'E'}\n`;
      if (lines.length > 1 << 20) {
        fs.writeSync(fd, lines);
        lines = '';
      }
    }
    fs.writeSync(fd, lines);
  }
  fs.closeSync(fd);
}, 120_000);

function openDb(dataDir: string): Database.Database {
  return new Database(path.join(dataDir, 'eclectyc.sqlite'), { readonly: true, fileMustExist: true });
}

/** Every stored half-hour (meter, time, value, quality, writing job) as a count and a SHA-256. */
function fingerprint(dataDir: string) {
  const db = openDb(dataDir);
  try {
    const store = new ReadingsStore(db);
    const hash = crypto.createHash('sha256');
    let count = 0;
    for (const [id, identifier] of db.prepare('SELECT id, identifier FROM meters ORDER BY identifier').raw().all() as [
      number,
      string,
    ][]) {
      const d = store.readDays(id, 0, 60000, { writers: true });
      for (let i = 0; i < d.days.length; i++)
        for (let k = d.offsets[i]!; k < d.offsets[i + 1]!; k++) {
          if (d.quality[k] === 3) continue;
          count++;
          hash.update(
            `${identifier}|${d.days[i]}|${k - d.offsets[i]!}|${d.values[k]}|${d.quality[k]}|${d.writers![k]}\n`,
          );
        }
    }
    const job = db
      .prepare(
        'SELECT status, rows_read, readings_imported, duplicates, conflicts, rows_rejected, meters_created, errors FROM import_jobs',
      )
      .get();
    return { count, sha256: hash.digest('hex'), job };
  } finally {
    db.close();
  }
}

interface Served {
  child: ChildProcess;
  url: string;
  stderr: () => string;
  exited: Promise<number | null>;
}

async function serve(dataDir: string): Promise<Served> {
  const child = spawn(process.execPath, [cli, 'serve', '--port', '0', '--data-dir', dataDir, '--json'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes('\n')) resolve((JSON.parse(out.split('\n')[0]!) as { url: string }).url);
    });
    void exited.then(() => reject(new Error(`serve exited: ${err}`)));
  });
  return { child, url, stderr: () => err, exited };
}

/** Opens the event stream as a browser does and resolves once its first event has arrived. */
function openEvents(url: string): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    http
      .get(`${url}events`, (res) => {
        res.once('data', () => resolve(res));
        res.on('error', () => undefined);
      })
      .on('error', reject);
  });
}

/** Sends the signal and resolves with the milliseconds until the process exited, and its code. */
async function stopWith(s: Served, signal: NodeJS.Signals): Promise<{ ms: number; code: number | null }> {
  const t0 = performance.now();
  s.child.kill(signal);
  const code = await s.exited;
  return { ms: performance.now() - t0, code };
}

async function rpc(url: string, method: string, args: unknown): Promise<unknown> {
  const r = (await (await fetch(`${url}rpc/${method}`, { method: 'POST', body: JSON.stringify(args) })).json()) as {
    ok: boolean;
    value?: unknown;
    error?: unknown;
  };
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value;
}

describe('serve shut down by a signal', () => {
  it('exits within 3 s of SIGTERM and of SIGINT with an event stream open', async () => {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      const s = await serve(tempDir());
      const events = await openEvents(s.url);
      const ended = new Promise<void>((r) => events.once('close', () => r()));
      const { ms, code } = await stopWith(s, signal);
      await ended;
      console.log(`${signal} with an event stream open: exited after ${Math.round(ms)} ms`);
      expect(code).toBe(0);
      expect(ms).toBeLessThan(3000);
      expect(s.stderr()).toContain('Stopped in');
    }
  }, 60_000);

  it('mid-import: exits within 3 s, leaves the job queued, and worker --once finishes it exactly', async () => {
    const clean = tempDir();
    expect(runCli(cli, ['import', file, '--data-dir', clean, '--json']).code).toBe(0);
    const expected = fingerprint(clean);
    expect(expected.count).toBe(METERS * PER_METER);

    const dataDir = tempDir();
    const s = await serve(dataDir);
    const events = await openEvents(s.url);
    events.resume();
    const upload = (await (
      await fetch(`${s.url}upload?name=big.csv`, { method: 'POST', body: fs.readFileSync(file) })
    ).json()) as { ok: boolean; value: { fileId: string } };
    expect(upload.ok).toBe(true);
    await rpc(s.url, 'imports.enqueue', { fileIds: [upload.value.fileId] });
    const size = fs.statSync(file).size;
    // wait until a fifth of the file is committed: well inside the job
    for (;;) {
      const db = openDb(dataDir);
      const done = (db.prepare('SELECT bytes_done FROM import_jobs').pluck().get() as number | undefined) ?? 0;
      db.close();
      if (done >= size / 5) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const { ms, code } = await stopWith(s, 'SIGTERM');
    console.log(`SIGTERM mid-import: exited after ${Math.round(ms)} ms`);
    expect(code).toBe(0);
    expect(ms).toBeLessThan(3000);
    expect(s.stderr()).not.toMatch(/not open|TypeError|Error:/);
    expect(s.stderr()).toMatch(/import job 1 paused at \d+%/);

    const db = openDb(dataDir);
    const job = db.prepare('SELECT status, owner, bytes_done FROM import_jobs').get() as {
      status: string;
      owner: string | null;
      bytes_done: number;
    };
    const running = db.prepare("SELECT count(*) FROM scheduler_runs WHERE status = 'running'").pluck().get();
    db.close();
    expect(job.status).toBe('queued');
    expect(job.owner).toBeNull();
    expect(job.bytes_done).toBeLessThan(size); // it really stopped part-way
    expect(running).toBe(0);

    expect(runCli(cli, ['worker', '--once', '--data-dir', dataDir, '--json']).code).toBe(0);
    expect(fingerprint(dataDir)).toEqual(expected);
  }, 180_000);
});
