/**
 * Schedules from the command line: the bundled CLI in real processes over one data folder — add a
 * folder export and an SFTP delivery (its password from an environment variable) to a real SFTP
 * server on 127.0.0.1, list them (no secret printed), run each now (the run printed as JSON, the file
 * delivered), refuse a command missing what to make, and remove one.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScheduleRun, ScheduleSummary } from '../../src-shared/contract/types';
import { buildCli } from '../../tests/helpers/cli';
import { tempDir } from '../../tests/helpers/core';
import { startSftpServer, type TestSftpServer } from '../../tests/helpers/sftp-server';

const MPAN = '1200050000203';
const PASSWORD = 'cli-Sftp-pw-99';
let cli: string;
let dataDir: string;
let server: TestSftpServer;
let root: string;

/** Runs the CLI without blocking this process (the SFTP server answers it meanwhile). */
function run(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [cli, '--data-dir', dataDir, ...args], {
      env: { ...process.env, SCHEDULE_SFTP_PW: PASSWORD },
    });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    p.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    p.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

beforeAll(async () => {
  cli = await buildCli();
  dataDir = tempDir();
  root = tempDir();
  server = await startSftpServer(root, [{ username: 'warehouse', password: PASSWORD }]);
  // the last three whole UTC days before today, so "last 7 days" has them
  const t0 = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate()) - 3 * 86_400_000;
  const lines = ['MPAN,Timestamp,kWh'];
  for (let i = 0; i < 48 * 3; i++) lines.push(`${MPAN},${new Date(t0 + i * 1_800_000).toISOString()},${1 + (i % 4)}`);
  const file = path.join(tempDir(), 'three-days.csv');
  fs.writeFileSync(file, lines.join('\n'));
  const imported = await run('import', file);
  expect(imported.code, imported.stdout + imported.stderr).toBe(0);
}, 120_000);

afterAll(async () => {
  await server?.close();
});

describe('eclectyc schedules', () => {
  it('adds, lists, runs and removes schedules; the SFTP password stays out of what it prints', async () => {
    const out = tempDir();
    const folder = await run(
      ...['schedules', 'add', '--name', 'Week to a share', '--export', 'readings', '--range', 'last-7-days'],
      ...['--meter', MPAN, '--every', 'weekly', '--weekday', 'mon', '--at', '06:30', '--folder', out, '--json'],
    );
    expect(folder.stderr).toBe('');
    expect(folder.code).toBe(0);
    const f = JSON.parse(folder.stdout) as ScheduleSummary;
    expect(f.cadence).toEqual({ every: 'weekly', weekday: 1, at: '06:30' });

    const sftp = await run(
      ...['schedules', 'add', '--name', 'Warehouse', '--export', 'days', '--range', 'last-7-days', '--all'],
      ...['--every', 'daily', '--at', '02:00', '--host', '127.0.0.1', '--port', String(server.port)],
      ...['--user', 'warehouse', '--remote-path', '/drop', '--password-env', 'SCHEDULE_SFTP_PW'],
    );
    expect(sftp.code).toBe(0);
    expect(sftp.stdout).toMatch(/^Added schedule 2 “Warehouse”: days export, last-7-days, portfolio, daily at 02:00/);

    const list = await run('schedules', 'list', '--json');
    const schedules = JSON.parse(list.stdout) as ScheduleSummary[];
    expect(schedules.map((s) => [s.name, s.secretsSet])).toEqual([
      ['Warehouse', ['password']],
      ['Week to a share', []],
    ]);
    const table = await run('schedules', 'list');
    expect(table.stdout).toContain('sftp://warehouse@127.0.0.1');
    for (const text of [list.stdout, table.stdout, sftp.stdout]) expect(text).not.toContain(PASSWORD);

    const r1 = await run('schedules', 'run', String(f.id));
    expect(r1.code).toBe(0);
    const run1 = JSON.parse(r1.stdout) as ScheduleRun;
    expect(run1).toMatchObject({ status: 'ok', trigger: 'manual', attempts: 1 });
    expect(fs.readdirSync(out)).toEqual([run1.fileName]);
    // 3 days of half-hours after the header
    expect(fs.readFileSync(path.join(out, run1.fileName!), 'utf8').trim().split('\r\n')).toHaveLength(1 + 48 * 3);

    const r2 = await run('schedules', 'run', '2');
    const run2 = JSON.parse(r2.stdout) as ScheduleRun;
    expect([r2.code, run2.status, run2.error]).toEqual([0, 'ok', null]);
    expect(fs.readdirSync(path.join(root, 'drop'))).toEqual([run2.fileName]);
    expect(server.logins).toEqual(['warehouse:password']);

    const removed = await run('schedules', 'remove', String(f.id));
    expect([removed.code, removed.stdout.trim()]).toEqual([0, `Removed schedule ${f.id} and its delivery log.`]);
    expect((JSON.parse((await run('schedules', 'list', '--json')).stdout) as unknown[]).length).toBe(1);
  });

  it('says what is missing from schedules add, with exit code 2', async () => {
    const r = await run('schedules', 'add', '--name', 'Half', '--all', '--every', 'daily', '--at', '07:00');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('schedules add needs one of --report month|year, --export TABLE or --digest week|month');
  });
});
