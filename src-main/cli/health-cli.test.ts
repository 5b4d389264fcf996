/**
 * `eclectyc health` as a scheduler runs it: a real process on a bundled build over a data folder
 * prepared by a core, its --json shape, its table, and the exit codes 0 ok, 1 warn, 2 fail.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCli, runCli } from '../../tests/helpers/cli';
import { makeCore, tempDir, writeTemp } from '../../tests/helpers/core';

let cli: string;
beforeAll(async () => {
  cli = await buildCli();
});

/** A data folder with `n` import jobs of a status (finished now when done or failed). */
async function folderWith(jobs: { status: string; n: number }[]): Promise<string> {
  const dataDir = tempDir();
  const core = await makeCore({ dataDir });
  const { fileId } = await core.files.storePath(writeTemp('x.csv', 'MPAN,Timestamp,kWh\n'));
  const now = Math.floor(Date.now() / 1000);
  const put = core.sqlite.prepare(
    'INSERT INTO import_jobs (batch_id, file_id, file_name, status, created_at, finished_at) VALUES (?, ?, ?, ?, ?, ?)',
  );
  for (const j of jobs)
    for (let i = 0; i < j.n; i++)
      put.run('b', fileId, 'x.csv', j.status, now, j.status === 'done' || j.status === 'failed' ? now : null);
  await core.stop();
  return dataDir;
}

// a closed port: the carbon check never reaches the internet
const run = (dataDir: string, json = true) =>
  runCli(cli, ['health', '--data-dir', dataDir, '--carbon-api', 'http://127.0.0.1:9', ...(json ? ['--json'] : [])]);

describe('eclectyc health', () => {
  it('exits 0 with every check ok on a fresh data folder, in the documented JSON shape', async () => {
    const r = run(await folderWith([]));
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { status: string; checks: Record<string, string>[] };
    expect(Object.keys(out)).toEqual(['status', 'checks']);
    expect(out.status).toBe('ok');
    expect(out.checks.map((c) => c.name)).toEqual([
      'database',
      'disk',
      'queue',
      'stuck-jobs',
      'failed-imports',
      'rollup',
      'carbon',
      'stale-meters',
      'updates',
    ]);
    for (const c of out.checks) {
      expect(Object.keys(c)).toEqual(['name', 'label', 'status', 'detail']);
      expect(c.status).toBe('ok');
    }
  });

  it('exits 1 on a warning (100 jobs queued) and prints a table with the status word and the action', async () => {
    const dataDir = await folderWith([{ status: 'queued', n: 100 }]);
    const r = run(dataDir);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as { status: string; checks: Record<string, string>[] };
    expect(out.status).toBe('warn');
    const queue = out.checks.find((c) => c.name === 'queue')!;
    expect(queue).toMatchObject({
      status: 'warn',
      detail: '100 import jobs waiting (100 or more): the queue is backing up',
    });
    expect(queue.action).toMatch(/Imports page/);
    const human = run(dataDir, false);
    expect(human.code).toBe(1);
    expect(human.stdout).toMatch(/^Import queue\s+WARN\s+100 import jobs waiting .*Imports page/m);
    expect(human.stdout).toMatch(/^Database\s+OK\s+/m);
    expect(human.stdout).toContain('Overall: WARN');
  });

  it('exits 2 on a failure (over half the last day’s imports failed)', async () => {
    const r = run(
      await folderWith([
        { status: 'failed', n: 3 },
        { status: 'done', n: 2 },
      ]),
    );
    expect(r.code).toBe(2);
    const out = JSON.parse(r.stdout) as { status: string; checks: Record<string, string>[] };
    expect(out.status).toBe('fail');
    expect(out.checks.find((c) => c.name === 'failed-imports')).toMatchObject({
      status: 'fail',
      detail: '3 of 5 imports in the last 24 hours failed (60 %)',
    });
  });
});
