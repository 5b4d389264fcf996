/**
 * Data sources from the command line, in real processes of the bundled CLI over one data folder: a
 * watched folder and an SFTP pickup (a real SFTP server on 127.0.0.1) added with their secrets from
 * an environment variable, listed, run with --all (the imports waited for, the runs and their jobs
 * printed as JSON, files moved after import), run again (nothing taken twice), and removed; a secret
 * given on the command line itself is refused.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli } from '../../tests/helpers/cli';
import { tempDir } from '../../tests/helpers/core';
import { startSftpServer, type TestSftpServer } from '../../tests/helpers/sftp-server';

const A = '1200050000009';
const B = '1200050000106';
const PASSWORD = 'cli-Sftp-Pass-99';

let cli: string;
let dataDir: string;
let server: TestSftpServer;
let remote: string;

function run(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [cli, '--data-dir', dataDir, ...args], { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    p.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    p.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function put(file: string, mpan: string, kwh: number[]): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const rows = kwh.map(
    (v, i) => `${mpan},${new Date(Date.parse('2025-01-06T00:00:00Z') + i * 1800e3).toISOString()},${v}`,
  );
  fs.writeFileSync(file, `MPAN,Timestamp,kWh\n${rows.join('\n')}\n`);
  const old = new Date(Date.now() - 60_000);
  fs.utimesSync(file, old, old);
}

beforeAll(async () => {
  cli = await buildCli();
  dataDir = tempDir();
  remote = tempDir('eclectyc-sftp-');
  server = await startSftpServer(remote, [{ username: 'dc', password: PASSWORD }]);
}, 120_000);

afterAll(async () => {
  await server.close();
});

describe('eclectyc sources', () => {
  it('adds, lists, runs and removes sources', async () => {
    const drop = tempDir('eclectyc-drop-');
    const done = path.join(drop, 'done');
    let r = await run([
      'sources',
      'add',
      'folder',
      '--name',
      'DC drop',
      '--path',
      drop,
      '--pattern',
      '*.csv',
      '--done-folder',
      done,
      '--every',
      '30',
      '--json',
    ]);
    expect(r.code).toBe(0);
    const folder = JSON.parse(r.stdout) as { id: number; everyMinutes: number; config: Record<string, unknown> };
    expect(folder).toMatchObject({
      everyMinutes: 30,
      config: { kind: 'folder', path: drop, pattern: '*.csv', doneFolder: done },
    });

    // a secret on the command line itself is refused; one from an unset variable is too
    const sftpArgs = ['sources', 'add', 'sftp', '--name', 'X', '--host', 'h', '--user', 'u', '--remote-path', '/'];
    r = await run([...sftpArgs, '--password', PASSWORD]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("Unknown option '--password'");
    r = await run([...sftpArgs, '--password-env', 'NOPE_NOT_SET']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--password-env names NOPE_NOT_SET, but that environment variable is not set');

    r = await run(
      [
        'sources',
        'add',
        'sftp',
        '--name',
        'DC server',
        '--host',
        '127.0.0.1',
        '--port',
        String(server.port),
        '--user',
        'dc',
        '--remote-path',
        '/out',
        '--after',
        'delete',
        '--password-env',
        'DC_SFTP_PASSWORD',
        '--json',
      ],
      { DC_SFTP_PASSWORD: PASSWORD },
    );
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain(PASSWORD);
    const sftp = JSON.parse(r.stdout) as { id: number; secretsSet: string[] };
    expect(sftp.secretsSet).toEqual(['password']);

    put(path.join(drop, 'a.csv'), A, [1, 2, 3]);
    put(path.join(remote, 'out', 'b.csv'), B, [4, 5]);
    r = await run(['sources', 'run', '--all']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as {
      runs: {
        sourceId: number;
        status: string;
        itemsQueued: number;
        notes: string[];
        source: { name: string };
        jobs: { file: string; status: string; readingsImported: number; outcome: string }[];
      }[];
    };
    const byName = new Map(out.runs.map((x) => [x.source.name, x]));
    expect(byName.get('DC drop')).toMatchObject({
      status: 'ok',
      itemsQueued: 1,
      notes: [`Moved a.csv to ${path.join(done, 'a.csv')}`],
      jobs: [{ file: 'a.csv', status: 'done', readingsImported: 3, outcome: 'done' }],
    });
    expect(byName.get('DC server')!.notes[0]).toMatch(/^Pinned the server's host key SHA256:/);
    expect(byName.get('DC server')).toMatchObject({
      status: 'ok',
      itemsQueued: 1,
      jobs: [{ file: 'b.csv', status: 'done', readingsImported: 2 }],
    });
    expect(byName.get('DC server')!.notes[1]).toBe('Deleted b.csv from the server');
    expect(fs.readdirSync(path.join(remote, 'out'))).toEqual([]);
    expect(fs.readdirSync(done)).toEqual(['a.csv']);

    // each job says which source queued it; a file imported by hand says none
    const hand = path.join(tempDir('eclectyc-hand-'), 'c.csv');
    put(hand, '1200050000203', [7]);
    r = await run(['import', hand, '--json']);
    expect(JSON.parse(r.stdout)).toMatchObject({ files: [{ file: hand, sourceId: null, source: null }] });
    r = await run(['jobs', '--json']);
    const jobs = JSON.parse(r.stdout) as { file: string; sourceId: number | null; source: string | null }[];
    expect(jobs.map((j) => [j.file, j.sourceId, j.source]).sort()).toEqual([
      ['a.csv', folder.id, 'DC drop'],
      ['b.csv', sftp.id, 'DC server'],
      ['c.csv', null, null],
    ]);

    // the readings are there, as the CLI reads them back
    r = await run(['readings', A, '--json']);
    expect((JSON.parse(r.stdout) as { kwh: number }[]).map((x) => x.kwh)).toEqual([1, 2, 3]);

    // again: nothing new
    r = await run(['sources', 'run', String(folder.id)]);
    expect(JSON.parse(r.stdout)).toMatchObject({ runs: [{ itemsQueued: 0, jobs: [] }] });

    r = await run(['sources', 'list', '--json']);
    const list = JSON.parse(r.stdout) as { id: number; status: string; meters: string[] }[];
    expect(list.map((s) => [s.id, s.status, s.meters])).toEqual([
      [folder.id, 'ok', [A]],
      [sftp.id, 'ok', [B]],
    ]);
    r = await run(['sources', 'list']);
    expect(r.stdout).toMatch(/DC drop\s+watched folder/);

    r = await run(['sources', 'remove', String(sftp.id)]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`Removed data source ${sftp.id}; its imports and readings stay.\n`);
    expect(JSON.parse(fs.readFileSync(path.join(dataDir, 'secrets.json'), 'utf8'))).toEqual({});
    r = await run(['sources', 'run', 'x']);
    expect(r.code).toBe(2);
  }, 120_000);
});
