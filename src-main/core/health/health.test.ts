/**
 * The health checks and monitor on real cores (SQLite files in a temp folder) driven by a controllable
 * clock: each check's thresholds, the failing Carbon Intensity API as a local HTTP server answering 500,
 * the history of changes, the `health.changed` event, and GET /health (the desktop's side: src-main/electron/).
 */
import http from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HealthChange, HealthReport } from '../../../src-shared/contract/types';
import type { PushedEvent } from '../../../src-shared/contract/events';
import { callAsAdmin, importFiles, makeCore, writeTemp } from '../../../tests/helpers/core';
import type { Core, CoreOptions } from '../app';
import { createHttpHost, listen } from '../../server/http';

const MiB = 1024 * 1024;
const T0 = Date.parse('2025-06-02T12:00:00Z');
let now = T0;
let freeBytes = 50 * 1024 * MiB;
let core: Core | null = null;
let servers: http.Server[] = [];

beforeEach(() => {
  now = T0;
  freeBytes = 50 * 1024 * MiB;
});
afterEach(async () => {
  for (const s of servers) {
    s.closeAllConnections();
    await new Promise<void>((r) => s.close(() => r()));
  }
  servers = [];
  await core?.stop();
  core = null;
});

const sec = (): number => Math.floor(now / 1000);
const open = async (opts: Partial<CoreOptions> = {}): Promise<Core> =>
  (core = await makeCore({
    clock: { now: () => now },
    statfs: () => ({ bavail: freeBytes / 4096, bsize: 4096 }),
    ...opts,
  }));
const byName = (r: HealthReport, name: string) => r.checks.find((c) => c.name === name)!;
const check = async (name: string) => byName(await core!.health.check(), name);

/** A local API answering every request with `status` and `body`. */
async function api(status: number, body: string): Promise<string> {
  const s = http.createServer((_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(body);
  });
  servers.push(s);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  return `http://127.0.0.1:${(s.address() as { port: number }).port}`;
}

/** Inserts import job rows directly (a stored file to point at, then `n` jobs). */
async function addJobs(
  c: Core,
  n: number,
  job: { status: string; startedAt?: number; finishedAt?: number; dryRun?: boolean },
): Promise<void> {
  const { fileId } = await c.files.storePath(writeTemp('job.csv', 'MPAN,Timestamp,kWh\n'));
  const put = c.sqlite.prepare(
    'INSERT INTO import_jobs (batch_id, file_id, file_name, status, dry_run, created_at, started_at, finished_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  for (let i = 0; i < n; i++)
    put.run(
      'b',
      fileId,
      'job.csv',
      job.status,
      job.dryRun ? 1 : 0,
      sec(),
      job.startedAt ?? null,
      job.finishedAt ?? null,
    );
}

/** An MPAN core with its check digit (primes weighting, mod 11, mod 10), written independently of the app. */
function mpan(first12: string): string {
  const primes = [3, 5, 7, 13, 17, 19, 23, 29, 31, 37, 41, 43];
  const sum = [...first12].reduce((s, d, i) => s + Number(d) * primes[i]!, 0);
  return first12 + ((sum % 11) % 10);
}

/** Half-hourly rows for a meter from `fromIso`, `n` half-hours of 1 kWh. */
function rows(meter: string, fromIso: string, n: number): string {
  const t = Date.parse(fromIso);
  return Array.from(
    { length: n },
    (_, i) => `${meter},${new Date(t + i * 1800_000).toISOString().replace('.000Z', 'Z')},1`,
  ).join('\n');
}

describe('health checks', () => {
  it('are all ok on a fresh core, in the documented order', async () => {
    await open();
    const r = await callAsAdmin<HealthReport>(core!, 'health.check', {});
    expect(r.status).toBe('ok');
    expect(r.checkedAt).toBe('2025-06-02T12:00:00Z');
    expect(r.checks.map((c) => [c.name, c.status])).toEqual([
      ['database', 'ok'],
      ['disk', 'ok'],
      ['queue', 'ok'],
      ['stuck-jobs', 'ok'],
      ['failed-imports', 'ok'],
      ['rollup', 'ok'],
      ['carbon', 'ok'],
      ['stale-meters', 'ok'],
      ['updates', 'ok'],
    ]);
    for (const c of r.checks) {
      expect(c.action).toBe('');
      expect(c.label.length).toBeGreaterThan(0);
    }
    expect(byName(r, 'database').detail).toMatch(/^Integrity check passed \(integrity check just now\); database /);
    expect(byName(r, 'rollup').detail).toBe('No readings imported yet: nothing to roll up');
    expect(byName(r, 'updates').detail).toBe('Updates are installed by whoever runs this server/command line');
    // health.get answers the latest report without checking again
    now += 60_000;
    expect(await callAsAdmin<HealthReport>(core!, 'health.get', {})).toEqual(r);
  });

  it('database: runs quick_check at most every 6 hours, reusing (and saying) its last result in between', async () => {
    await open();
    const stored = () =>
      JSON.parse(
        core!.sqlite.prepare("SELECT value FROM settings WHERE key = 'healthQuickCheck'").pluck().get() as string,
      ) as { at: number; result: string };
    await check('database');
    expect(stored()).toEqual({ at: sec(), result: 'ok' });
    // a damaged result within 6 hours is reused: the check fails with it, without running quick_check again
    const ranAt = sec();
    core!.sqlite
      .prepare("UPDATE settings SET value = ? WHERE key = 'healthQuickCheck'")
      .run(
        JSON.stringify({ at: ranAt, result: '*** in database main *** Page 7: btreeInitPage() returns error code 11' }),
      );
    now += 5 * 3600_000 + 59 * 60_000;
    const damaged = await check('database');
    expect(damaged.status).toBe('fail');
    expect(damaged.detail).toContain('integrity check 5 h ago');
    expect(damaged.detail).toContain('Page 7: btreeInitPage()');
    expect(damaged.action).toMatch(/restore the database from a backup/);
    expect(stored().at).toBe(ranAt);
    // 6 hours after it ran, it runs again on the real (healthy) file
    now += 60_000;
    const again = await check('database');
    expect(again.status).toBe('ok');
    expect(stored()).toEqual({ at: sec(), result: 'ok' });
    expect(again.detail).toMatch(/write-ahead log \d/);
  });

  it('disk: warns under 1 GB free and fails under 200 MB (injected statfs)', async () => {
    await open();
    freeBytes = 500 * MiB;
    const warn = await check('disk');
    expect(warn).toMatchObject({ status: 'warn', value: 500 * MiB, label: 'Free disk space' });
    expect(warn.detail).toBe("Only 500.0 MB free on the data folder's disk (under 1.0 GB)");
    freeBytes = 100 * MiB;
    const fail = await check('disk');
    expect(fail.status).toBe('fail');
    expect(fail.detail).toContain('100.0 MB');
    expect(fail.action).toMatch(/Free space/);
    freeBytes = 1024 * MiB;
    expect((await check('disk')).status).toBe('ok');
  });

  it('queue: warns from 100 jobs waiting (queued or retrying)', async () => {
    await open();
    await addJobs(core!, 60, { status: 'queued' });
    await addJobs(core!, 39, { status: 'retrying' });
    await addJobs(core!, 5, { status: 'done', finishedAt: sec() });
    expect(await check('queue')).toMatchObject({ status: 'ok', value: 99, detail: '99 import jobs waiting' });
    await addJobs(core!, 1, { status: 'queued' });
    const q = await check('queue');
    expect(q).toMatchObject({ status: 'warn', value: 100 });
    expect(q.action).not.toBe('');
  });

  it('stuck-jobs: warns about a job running for over 60 minutes', async () => {
    await open();
    await addJobs(core!, 1, { status: 'running', startedAt: sec() - 59 * 60 });
    expect((await check('stuck-jobs')).status).toBe('ok');
    now += 2 * 60_000; // the job has now run 61 minutes
    const s = await check('stuck-jobs');
    expect(s.status).toBe('warn');
    expect(s.detail).toMatch(/^1 import has been running for over an hour: job \d+ \(job\.csv\) for 61 min$/);
  });

  it('failed-imports: the failed share of the last 24 hours, warn over 10 %, fail over 50 %', async () => {
    await open();
    const within = sec() - 3600;
    await addJobs(core!, 9, { status: 'done', finishedAt: within });
    await addJobs(core!, 1, { status: 'failed', finishedAt: within });
    // not counted: older than 24 hours, dry runs, cancelled and unfinished jobs
    await addJobs(core!, 20, { status: 'failed', finishedAt: sec() - 25 * 3600 });
    await addJobs(core!, 20, { status: 'failed', finishedAt: within, dryRun: true });
    await addJobs(core!, 5, { status: 'cancelled', finishedAt: within });
    await addJobs(core!, 5, { status: 'queued' });
    // 1 of 10 = 10 %: not over
    expect(await check('failed-imports')).toMatchObject({ status: 'ok', value: 10 });
    await addJobs(core!, 1, { status: 'failed', finishedAt: within }); // 2 of 11
    const warn = await check('failed-imports');
    expect(warn).toMatchObject({ status: 'warn', value: Math.round((2 / 11) * 1000) / 10 });
    expect(warn.detail).toBe('2 of 11 imports in the last 24 hours failed (18.2 %)');
    await addJobs(core!, 8, { status: 'failed', finishedAt: within }); // 10 of 19
    expect(await check('failed-imports')).toMatchObject({ status: 'fail', value: 52.6 });
    // a day later they have all left the window
    now += 24 * 3600_000;
    expect(await check('failed-imports')).toMatchObject({
      status: 'ok',
      detail: 'No imports finished in the last 24 hours',
    });
  });

  it('rollup: ok before any data, warns when the last successful run is over 26 hours old or never happened', async () => {
    await open();
    const m = mpan('120005000001');
    await importFiles(core!, [writeTemp('a.csv', `MPAN,Timestamp,kWh\n${rows(m, '2025-06-01T00:00:00Z', 48)}\n`)]);
    await core!.scheduler.idle();
    expect((await check('rollup')).detail).toBe('The last roll-up run finished just now');
    now += 26 * 3600_000;
    expect((await check('rollup')).status).toBe('ok');
    now += 60_000;
    const old = await check('rollup');
    expect(old.status).toBe('warn');
    expect(old.detail).toMatch(/^The last roll-up run finished 26 h ago \(over 26 h\)\.$/);
    // a failed run since is named
    core!.sqlite
      .prepare(
        "INSERT INTO scheduler_runs (task, trigger, started_at, finished_at, status, error) VALUES ('nightly-rollup', 'schedule', ?, ?, 'failed', 'disk I/O error')",
      )
      .run(sec(), sec());
    expect((await check('rollup')).detail).toContain('The latest run failed: disk I/O error.');
    core!.sqlite.prepare('DELETE FROM scheduler_runs').run();
    expect(await check('rollup')).toMatchObject({ status: 'warn', detail: 'The roll-ups have never run.' });
  });

  it('carbon: ok when recent, warns over 2 hours old while the API answers', async () => {
    await open({ carbonApi: await api(200, '{"data":[]}') });
    const half = sec() - (sec() % 1800);
    core!.carbon.storeNational([{ ts: half - 1800, forecast: 150, actual: 148, index: 'moderate' }]);
    const fresh = await check('carbon');
    expect(fresh).toMatchObject({ status: 'ok', value: sec() - (half - 1800) });
    now += 2 * 3600_000;
    const stale = await check('carbon');
    expect(stale.status).toBe('warn');
    expect(stale.detail).toMatch(/^The latest carbon intensity is 2 h old \(over 2 h\) while the API answers$/);
    // the check asked the API (a probe stores nothing) and found it answering
    expect(core!.carbon.lastAttempt()).toEqual({ at: sec(), ok: true, error: null });
    expect(core!.sqlite.prepare('SELECT count(*) FROM carbon_national').pluck().get()).toBe(1);
  });

  it('carbon: warns with the error when the Carbon Intensity API answers 500, whether polled or probed', async () => {
    await open({ carbonApi: await api(500, 'upstream broke') });
    core!.carbon.storeNational([{ ts: sec() - 3 * 3600, forecast: 150, actual: null, index: 'moderate' }]);
    // no fetch yet and the value is old: the check probes the API, which answers 500
    const probed = await check('carbon');
    expect(probed.status).toBe('warn');
    expect(probed.detail).toBe(
      'The Carbon Intensity API did not answer: the service had a problem (HTTP 500: upstream broke) (after 1 attempt). ' +
        'Stored values are shown meanwhile. The latest stored value is 3 h old.',
    );
    expect(probed.action).toMatch(/internet connection/);
    // a fresh value, but the last refresh failed: still a warning naming the API's error
    core!.carbon.storeNational([{ ts: sec() - 600, forecast: 140, actual: null, index: 'moderate' }]);
    await expect(callAsAdmin(core!, 'carbon.refresh', {})).rejects.toThrow(/HTTP 500/);
    const polled = await check('carbon');
    expect(polled.status).toBe('warn');
    expect(polled.detail).toMatch(/^The Carbon Intensity API did not answer: the service had a problem \(HTTP 500/);
    expect(polled.detail).toContain('(after 2 attempts)');
  });

  it('stale-meters: warns naming the count and up to 5 meters whose latest reading is 14 days old or more', async () => {
    await open();
    const ids = ['120005000001', '120005000002', '120005000003', '120005000004', '120005000005', '120005000006'].map(
      mpan,
    );
    const fresh = mpan('120005000007');
    // six meters end at 2025-06-01 00:00 (their last half-hour starts 23:30 on 31 May); one runs on to 16 June
    const body = [
      ...ids.map((m) => rows(m, '2025-05-31T00:00:00Z', 48)),
      rows(fresh, '2025-05-31T00:00:00Z', 48 * 17),
    ].join('\n');
    await importFiles(core!, [writeTemp('m.csv', `MPAN,Timestamp,kWh\n${body}\n`)]);
    expect((await check('stale-meters')).status).toBe('ok');
    // exactly 14 days after the six meters' last reading ended: stale
    now = Date.parse('2025-06-15T00:00:00Z');
    const s = await check('stale-meters');
    expect(s).toMatchObject({ status: 'warn', value: 6 });
    // the detail (public in GET /health) counts them; what to do (the Health page) names them
    expect(s.detail).toBe('6 meters have had no reading for 14 days or more');
    expect(s.action).toContain(`${[...ids].sort().slice(0, 5).join(', ')} and 1 more`);
    expect(s.action).not.toContain(fresh);
    now -= 60_000;
    expect((await check('stale-meters')).status).toBe('ok');
  });

  it("updates: the host's provider answers, with the action when it is not ok", async () => {
    let status: { status: 'ok' | 'warn'; detail: string } = { status: 'ok', detail: 'Up to date' };
    await open({ updateStatus: () => status });
    expect(await check('updates')).toMatchObject({ status: 'ok', detail: 'Up to date', action: '' });
    status = { status: 'warn', detail: 'The last check for updates failed: offline' };
    const u = await check('updates');
    expect(u).toMatchObject({ status: 'warn', detail: 'The last check for updates failed: offline' });
    expect(u.action).toMatch(/internet connection/);
  });

  it('a check that throws fails with its error; the overall status is the worst check', async () => {
    await open({
      statfs: () => {
        throw new Error('EACCES: permission denied');
      },
    });
    freeBytes = 500 * MiB;
    const r = await core!.health.check();
    expect(byName(r, 'disk')).toMatchObject({
      status: 'fail',
      detail: 'The check could not run: EACCES: permission denied',
    });
    expect(r.status).toBe('fail');
  });
});

describe('health monitor', () => {
  it('records the first state of each check, then only changes, and emits them with health.changed', async () => {
    await open();
    const seen: { report: HealthReport; changes: HealthChange[] }[] = [];
    core!.events.subscribe((e) => {
      if (e.event === 'health.changed') seen.push(e.payload as PushedEvent<'health.changed'>['payload']);
    });
    await core!.health.check();
    expect(seen[0]!.changes.map((c) => [c.check, c.status, c.previous])).toEqual(
      seen[0]!.report.checks.map((c) => [c.name, 'ok', null]),
    );
    now += 15 * 60_000;
    await core!.health.check();
    expect(seen[1]!.changes).toEqual([]);
    freeBytes = 300 * MiB;
    now += 15 * 60_000;
    await core!.health.check();
    freeBytes = 100 * MiB;
    now += 15 * 60_000;
    await core!.health.check();
    freeBytes = 10 * 1024 * MiB;
    now += 15 * 60_000;
    await core!.health.check();
    expect(seen.map((s) => s.changes.map((c) => `${c.check}:${c.previous}→${c.status}`))).toEqual([
      seen[0]!.changes.map((c) => `${c.check}:null→ok`),
      [],
      ['disk:ok→warn'],
      ['disk:warn→fail'],
      ['disk:fail→ok'],
    ]);
    expect(seen[2]!.changes[0]).toMatchObject({
      at: '2025-06-02T12:30:00Z',
      detail: expect.stringContaining('300.0 MB'),
    });
    const history = await callAsAdmin<HealthChange[]>(core!, 'health.history', { limit: 3 });
    expect(history.map((h) => [h.check, h.previous, h.status, h.at])).toEqual([
      ['disk', 'fail', 'ok', '2025-06-02T13:00:00Z'],
      ['disk', 'warn', 'fail', '2025-06-02T12:45:00Z'],
      ['disk', 'ok', 'warn', '2025-06-02T12:30:00Z'],
    ]);
    expect(core!.sqlite.prepare('SELECT count(*) FROM health_history').pluck().get()).toBe(9 + 3);
  });

  it('continues from the stored states after a restart (no second "first state")', async () => {
    const c1 = await open();
    await c1.health.check();
    await c1.stop();
    core = null;
    const c2 = await open({ dataDir: c1.dataDir });
    freeBytes = 500 * MiB;
    const changes: HealthChange[][] = [];
    c2.events.subscribe((e) => {
      if (e.event === 'health.changed') changes.push((e.payload as PushedEvent<'health.changed'>['payload']).changes);
    });
    await c2.health.check();
    expect(changes).toEqual([[expect.objectContaining({ check: 'disk', previous: 'ok', status: 'warn' })]]);
  });

  it('checks at start and stops cleanly, waiting for the run in progress', async () => {
    await open();
    freeBytes = 500 * MiB;
    core!.health.start();
    await core!.health.stop();
    expect(core!.health.latest()?.status).toBe('warn');
    expect(core!.sqlite.prepare('SELECT count(*) FROM health_history').pluck().get()).toBe(9);
  });
});

describe('GET /health', () => {
  async function host(): Promise<string> {
    await open();
    const server = createHttpHost(core!);
    servers.push(server);
    return listen(server, 0, '127.0.0.1');
  }

  it('answers 200 when ok or warn and 503 when a check fails, reusing a report for 60 s, without secrets', async () => {
    const url = await host();
    const secret = 'sk-live-TOPSECRET-0123456789';
    await callAsAdmin(core!, 'settings.update', { weatherApiKey: secret });
    const ok = await fetch(`${url}health`);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('cache-control')).toBe('no-store');
    const text = await ok.text();
    const body = JSON.parse(text) as { status: string; checkedAt: string; checks: Record<string, string>[] };
    expect(Object.keys(body)).toEqual(['status', 'checkedAt', 'checks']);
    expect(body.status).toBe('ok');
    expect(body.checks).toHaveLength(9);
    for (const c of body.checks) expect(Object.keys(c)).toEqual(['name', 'status', 'detail']);
    expect(text).not.toContain(secret);
    expect(text).not.toContain(core!.dataDir);

    freeBytes = 500 * MiB;
    now += 30_000; // within 60 s: the same report
    expect(((await (await fetch(`${url}health`)).json()) as { status: string }).status).toBe('ok');
    now += 31_000;
    const warn = await fetch(`${url}health`);
    expect([warn.status, ((await warn.json()) as { status: string }).status]).toEqual([200, 'warn']);
    freeBytes = 100 * MiB;
    now += 61_000;
    const fail = await fetch(`${url}health`);
    expect(fail.status).toBe(503);
    const failed = (await fail.json()) as { status: string; checks: { name: string; status: string }[] };
    expect(failed.status).toBe('fail');
    expect(failed.checks.find((c) => c.name === 'disk')!.status).toBe('fail');
  });

  it('keeps the Host check (DNS rebinding) as every other route does', async () => {
    const url = await host();
    const u = new URL(url);
    const status = await new Promise<number>((resolve, reject) => {
      http
        .get(
          { host: u.hostname, port: u.port, path: '/health', headers: { host: `evil.example:${u.port}` } },
          (res) => {
            res.resume();
            resolve(res.statusCode!);
          },
        )
        .on('error', reject);
    });
    expect(status).toBe(403);
  });
});
