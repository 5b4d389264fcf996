/**
 * Undo from the command line, in real processes of the bundled CLI over real data folders: an import
 * rolled back by the id `import --json` gave leaves the readings of a folder that only imported the
 * first file; a meter deleted and put back, a site and a range of readings deleted, and the refusals.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCli, runCli } from '../../tests/helpers/cli';
import { tempDir } from '../../tests/helpers/core';
import { A, B, file, xRows, yRows } from '../../tests/helpers/undo';

let cli: string;
beforeAll(async () => {
  cli = await buildCli();
}, 120_000);

function json<T>(dir: string, ...args: string[]): { code: number | null; value: T; stderr: string } {
  const r = runCli(cli, ['--data-dir', dir, '--json', ...args]);
  return { code: r.code, value: JSON.parse(r.stdout) as T, stderr: r.stderr };
}

describe('eclectyc jobs rollback', () => {
  it('rolls back the job import --json named, as if it had never run, and says so in words', () => {
    const x = file('x.csv', xRows());
    const y = file('y.csv', yRows());
    const dir = tempDir();
    const first = json<{ files: { id: number; status: string }[] }>(dir, 'import', x);
    expect(first.code).toBe(0);
    const second = json<{ files: { id: number }[] }>(dir, 'import', y, '--on-conflict', 'replace');
    const id = second.value.files[0]!.id;
    expect(id).toBe(first.value.files[0]!.id + 1);
    const jobs = json<{ id: number; status: string }[]>(dir, 'jobs');
    expect(jobs.value.map((j) => j.id)).toEqual([id, id - 1]);

    const dry = json<{ dryRun: boolean; readingsRemoved: number }>(dir, 'jobs', 'rollback', String(id), '--dry-run');
    expect(dry).toMatchObject({ code: 0, value: { dryRun: true } });
    const done = json<{ job: { status: string }; readingsRemoved: number; metersRemoved: string[] }>(
      dir,
      'jobs',
      'rollback',
      String(id),
    );
    expect(done.code).toBe(0);
    expect(done.value).toMatchObject({ job: { status: 'rolled-back' }, readingsRemoved: dry.value.readingsRemoved });
    expect(done.value.metersRemoved).toEqual(['1200050000203']);

    // the same readings as a folder that only imported X
    const clean = tempDir();
    json(clean, 'import', x);
    for (const m of [A, B]) expect(json(dir, 'readings', m).value).toEqual(json(clean, 'readings', m).value);
    expect(json(dir, 'meters').value).toEqual(json(clean, 'meters').value);
    expect(json(dir, 'totals', A, '--period', 'week', '--from', '2024-10-01', '--to', '2024-12-01').value).toEqual(
      json(clean, 'totals', A, '--period', 'week', '--from', '2024-10-01', '--to', '2024-12-01').value,
    );

    const again = runCli(cli, ['--data-dir', dir, 'jobs', 'rollback', String(id)]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(new RegExp(`^eclectyc: Import job ${id} \\(y\\.csv\\) was already rolled back on`));
    expect(json(dir, 'jobs', 'rollback', String(id + 100)).value).toMatchObject({ error: { code: 'NOT_FOUND' } });
    expect(runCli(cli, ['--data-dir', dir, 'jobs', 'rollback', 'abc']).code).toBe(2);

    // the rolled-back file imports again, and the words of a roll-back
    expect(json<{ files: { id: number }[] }>(dir, 'import', y, '--on-conflict', 'replace').code).toBe(0);
    const human = runCli(cli, ['--data-dir', dir, 'jobs', 'rollback', String(id + 1)]);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(
      new RegExp(
        `^Rolled back import job ${id + 1} \\(y\\.csv\\): [\\d,]+ readings taken out, [\\d,]+ replaced values put back\\.`,
      ),
    );
  }, 60_000);
});

describe('eclectyc meters remove, sites remove, readings remove and trash', () => {
  it('deletes, lists and puts back exactly', () => {
    const dir = tempDir();
    json(dir, 'import', file('x.csv', xRows()));
    const site = json<{ id: number }>(dir, 'sites', 'add', 'Bathford School').value;
    runCli(cli, ['--data-dir', dir, 'sites', 'assign', String(site.id), B]);
    const meters = json<unknown[]>(dir, 'meters').value;
    const readings = json<unknown[]>(dir, 'readings', A).value;

    const dry = json<{ id: number; counts: { halfHours: number } }>(dir, 'meters', 'remove', A, '--dry-run');
    expect(dry.value).toMatchObject({ id: 0, counts: { halfHours: readings.length } });
    expect(json(dir, 'meters').value).toEqual(meters);
    const gone = runCli(cli, ['--data-dir', dir, 'meters', 'remove', A]);
    expect(gone.code).toBe(0);
    expect(gone.stdout).toBe(
      `Deleted: Meter ${A} with ${readings.length} readings over 7 days.\n  Undo with: eclectyc trash restore 1 (kept 30 days)\n`,
    );
    expect(json<{ mpan: string }[]>(dir, 'meters').value.map((m) => m.mpan)).toEqual([B]);

    const siteGone = json<{ id: number; label: string }>(dir, 'sites', 'remove', String(site.id));
    expect(siteGone.value).toMatchObject({ id: 2, label: 'Site "Bathford School"; its 1 meter stay, without a site' });
    const cut = json<{ id: number; counts: { days: number } }>(
      dir,
      'readings',
      'remove',
      B,
      '--from',
      '2024-10-20',
      '--to',
      '2024-10-22',
    );
    expect(cut.value).toMatchObject({ id: 3, counts: { days: 2, halfHours: 96 } });
    expect(runCli(cli, ['--data-dir', dir, 'readings', 'remove', B, '--from', '2024-10-20']).code).toBe(2);

    const trash = json<{ id: number; restoredAt: string | null }[]>(dir, 'trash');
    expect(trash.value.map((t) => [t.id, t.restoredAt])).toEqual([
      [3, null],
      [2, null],
      [1, null],
    ]);
    for (const id of ['3', '2', '1']) expect(json(dir, 'trash', 'restore', id).code).toBe(0);
    expect(json(dir, 'meters').value).toEqual(meters);
    expect(json(dir, 'readings', A).value).toEqual(readings);
    expect(json<{ meters: number }[]>(dir, 'sites', 'list').value).toMatchObject([{ id: site.id, meters: 1 }]);
    const twice = json(dir, 'trash', 'restore', '1');
    expect(twice).toMatchObject({ code: 1, value: { error: { code: 'CONFLICT' } } });
    expect(runCli(cli, ['--data-dir', dir, 'trash']).stdout).toMatch(/^Id {2}What/);
  }, 60_000);
});
