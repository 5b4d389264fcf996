/**
 * When sources run by themselves: due runs on a fake clock, one catch-up after a long sleep or a
 * restart (not one per missed interval), statuses (behind, disabled), the lease that keeps two
 * programs on one data folder from running a source at once (and a dead holder's lease taken over),
 * and a watched folder run promptly after a file lands while the app runs.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../app';
import type { SourceRun, SourceSummary } from '../../../src-shared/contract/types';
import { callAsAdmin, makeCore, tempDir } from '../../../tests/helpers/core';

const MPAN = '1200050000300';
const HOUR = 3600_000;

const cores: Core[] = [];
afterEach(async () => {
  for (const c of cores.splice(0)) await c.stop();
});

async function core(opts: Parameters<typeof makeCore>[0] = {}): Promise<Core> {
  const c = await makeCore(opts);
  cores.push(c);
  return c;
}

function drop(dir: string, name: string, kwh: number, age = 60_000): void {
  const file = path.join(dir, name);
  fs.writeFileSync(file, `MPAN,Timestamp,kWh\n${MPAN},2025-05-01T00:00:00Z,${kwh}\n`);
  const t = new Date(Date.now() - age);
  fs.utimesSync(file, t, t);
}

const status = async (c: Core, id: number): Promise<SourceSummary['status']> =>
  (await callAsAdmin<SourceSummary[]>(c, 'sources.list', {})).find((s) => s.id === id)!.status;

const runRows = (c: Core, id: number) =>
  c.sqlite.prepare('SELECT id, trigger, status, error FROM source_runs WHERE source_id = ? ORDER BY id').all(id) as {
    id: number;
    trigger: string;
    status: string;
    error: string | null;
  }[];

async function until<T>(f: () => T | undefined | null | false, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = f();
    if (v) return v;
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('the schedule', () => {
  it('runs sources when due, once as a catch-up after a long sleep, and not when switched off', async () => {
    let now = Date.parse('2025-06-02T08:00:00Z');
    const c = await core({ clock: { now: () => now }, sources: { lookAgainMs: 10 } });
    const dir = tempDir('eclectyc-drop-');
    const src = await callAsAdmin<SourceSummary>(c, 'sources.save', {
      name: 'Hourly',
      config: { kind: 'folder', path: dir },
      everyMinutes: 60,
    });
    const off = await callAsAdmin<SourceSummary>(c, 'sources.save', {
      name: 'Off',
      config: { kind: 'folder', path: dir },
      enabled: false,
    });
    // a new source is due at once
    expect(src.nextRunAt).toBe('2025-06-02T08:00:00Z');
    let runs = await c.sources.schedule.tick();
    expect(runs.map((r) => [r.sourceId, r.trigger, r.status])).toEqual([[src.id, 'schedule', 'ok']]);
    expect((await callAsAdmin<SourceSummary[]>(c, 'sources.list', {})).find((s) => s.id === src.id)).toMatchObject({
      status: 'ok',
      lastRunAt: '2025-06-02T08:00:00Z',
      nextRunAt: '2025-06-02T09:00:00Z',
    });

    now += HOUR / 2;
    expect(await c.sources.schedule.tick()).toEqual([]);
    now += HOUR / 2;
    runs = await c.sources.schedule.tick();
    expect(runs.map((r) => r.trigger)).toEqual(['schedule']);

    // the laptop sleeps for ten hours: the source is behind, then runs once, as a catch-up
    now += 10 * HOUR;
    expect(await status(c, src.id)).toBe('behind');
    runs = await c.sources.schedule.tick();
    expect(runs.map((r) => [r.sourceId, r.trigger])).toEqual([[src.id, 'catch-up']]);
    expect(await c.sources.schedule.tick()).toEqual([]);
    expect(await status(c, src.id)).toBe('ok');
    expect(runRows(c, src.id).map((r) => r.trigger)).toEqual(['schedule', 'schedule', 'catch-up']);
    expect(runRows(c, off.id)).toEqual([]);
    expect(await status(c, off.id)).toBe('disabled');

    // switched on again: due at once
    const on = await callAsAdmin<SourceSummary>(c, 'sources.save', {
      id: off.id,
      name: 'Off',
      config: { kind: 'folder', path: dir },
      enabled: true,
    });
    expect(on.nextRunAt).toBe(new Date(now).toISOString().replace('.000Z', 'Z'));
    expect((await c.sources.schedule.tick()).map((r) => r.sourceId)).toEqual([off.id]);
  });

  it('catches up once at the next start after the app was closed past a run', async () => {
    const dataDir = tempDir();
    let now = Date.parse('2025-06-02T08:00:00Z');
    const first = await makeCore({ dataDir, clock: { now: () => now } });
    const dir = tempDir('eclectyc-drop-');
    drop(dir, 'a.csv', 2);
    const src = await callAsAdmin<SourceSummary>(first, 'sources.save', {
      name: 'Daily',
      config: { kind: 'folder', path: dir },
      everyMinutes: 24 * 60,
    });
    await first.sources.schedule.tick();
    await first.stop();

    // three days later the app starts: one catch-up run, and its import runs on the started queue
    now += 3 * 24 * HOUR;
    drop(dir, 'b.csv', 3);
    const c = await core({ dataDir, clock: { now: () => now }, sources: { lookAgainMs: 10 } });
    c.start();
    const rows = await until(() =>
      runRows(c, src.id).length === 2 && runRows(c, src.id)[1]!.status === 'ok' ? runRows(c, src.id) : null,
    );
    expect(rows.map((r) => r.trigger)).toEqual(['schedule', 'catch-up']);
    const [run] = (await callAsAdmin<{ runs: SourceRun[] }>(c, 'sources.get', { id: src.id })).runs;
    expect(run).toMatchObject({ itemsFound: 2, itemsQueued: 1 });
    await until(() => c.imports.get(run!.jobIds[0]!).status === 'done');
  });

  it('runs a watched folder soon after a file lands while the app runs', async () => {
    const c = await core({ sources: { lookAgainMs: 10, debounceMs: 100 } });
    const dir = tempDir('eclectyc-drop-');
    const src = await callAsAdmin<SourceSummary>(c, 'sources.save', {
      name: 'Watched',
      config: { kind: 'folder', path: dir },
      everyMinutes: 24 * 60,
    });
    await callAsAdmin(c, 'sources.run', { id: src.id }); // the first run: next one tomorrow
    c.start();
    drop(dir, 'landed.csv', 5);
    const watched = await until(() =>
      (c.sources.get(src.id).runs as SourceRun[]).find((r) => r.trigger === 'watch' && r.itemsQueued === 1),
    );
    await until(() => c.imports.get(watched.jobIds[0]!).status === 'done');
    expect(c.imports.get(watched.jobIds[0]!).readingsImported).toBe(1);
  });
});

describe('the lease', () => {
  it('keeps two programs on one data folder from running a source at once', async () => {
    const dataDir = tempDir();
    const desktop = await core({ dataDir, sources: { lookAgainMs: 800 } });
    const cli = await core({ dataDir, sources: { lookAgainMs: 10 } });
    const dir = tempDir('eclectyc-drop-');
    const src = await callAsAdmin<SourceSummary>(desktop, 'sources.save', {
      name: 'Shared',
      config: { kind: 'folder', path: dir },
    });
    drop(dir, 'fresh.csv', 1, 0); // just written: the desktop's run looks at it twice, 800 ms apart
    const running = callAsAdmin<SourceRun[]>(desktop, 'sources.run', { id: src.id });
    const started = await until(() => runRows(cli, src.id).find((r) => r.status === 'running'));
    expect(await status(cli, src.id)).toBe('running');
    // the other program is given the run in progress rather than starting its own
    const [theirs] = await callAsAdmin<SourceRun[]>(cli, 'sources.run', { id: src.id });
    expect(theirs).toMatchObject({ id: started.id, status: 'running' });
    expect(await cli.sources.schedule.tick()).toEqual([expect.objectContaining({ id: started.id })]);
    await expect(callAsAdmin(cli, 'sources.remove', { id: src.id })).rejects.toThrow(
      'CONFLICT: The source "Shared" is running now; remove it once the run has ended',
    );
    const [mine] = await running;
    expect(mine).toMatchObject({ id: started.id, status: 'ok', itemsQueued: 1 });
    expect(runRows(cli, src.id).length).toBe(1);
    // the lease is free again
    const [next] = await callAsAdmin<SourceRun[]>(cli, 'sources.run', { id: src.id });
    expect(next!.id).toBeGreaterThan(started.id);
  });

  it('takes over from a holder that died, and waits for a live one on another computer', async () => {
    const c = await core({ sources: { lookAgainMs: 10 } });
    const dir = tempDir('eclectyc-drop-');
    const src = await callAsAdmin<SourceSummary>(c, 'sources.save', {
      name: 'Orphan',
      config: { kind: 'folder', path: dir },
    });
    const now = Math.floor(Date.now() / 1000);
    const hold = (owner: string, since: number) => {
      c.sqlite.prepare('UPDATE sources SET owner = ?, running_since = ? WHERE id = ?').run(owner, since, src.id);
      c.sqlite
        .prepare(
          "INSERT INTO source_runs (source_id, trigger, status, started_at) VALUES (?, 'schedule', 'running', ?)",
        )
        .run(src.id, since);
    };
    // a program on this computer that has exited
    const dead = spawnSync(process.execPath, ['-e', '']).pid;
    hold(`${os.hostname()}:${dead}:dead`, now);
    expect(await status(c, src.id)).not.toBe('running');
    const [run] = await callAsAdmin<SourceRun[]>(c, 'sources.run', { id: src.id });
    expect(run!.status).toBe('ok');
    expect(runRows(c, src.id)[0]).toMatchObject({
      status: 'failed',
      error: 'The run was interrupted (the program running it stopped); the next run carries on',
    });

    // another computer's program, renewed a minute ago: left alone; silent for eleven minutes: taken over
    c.sqlite.prepare("DELETE FROM source_runs WHERE status = 'running'").run();
    c.sqlite
      .prepare('UPDATE sources SET owner = ?, running_since = ? WHERE id = ?')
      .run('elsewhere:42:x', now - 60, src.id);
    await expect(callAsAdmin(c, 'sources.run', { id: src.id })).rejects.toThrow(
      `CONFLICT: Data source ${src.id} is being run by another program; try again shortly`,
    );
    c.sqlite.prepare('UPDATE sources SET running_since = ? WHERE id = ?').run(now - 11 * 60, src.id);
    expect((await callAsAdmin<SourceRun[]>(c, 'sources.run', { id: src.id }))[0]!.status).toBe('ok');
  });
});
