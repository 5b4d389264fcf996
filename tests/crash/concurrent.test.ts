/**
 * Two writers in one data folder, as real processes: two CLI imports at once (each parsing on a
 * thread of its own and committing chunk by chunk) both finish on their first attempt, with exactly
 * the readings and counts each would have had alone.
 */
import { spawn } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { ReadingsStore } from '../../src-main/core/readings/store';
import Database from 'better-sqlite3';
import path from 'node:path';
import { buildCli, runCli } from '../helpers/cli';
import { storedReadings, tempDir, writeTemp } from '../helpers/core';

let cli: string;
const files: string[] = [];
const ROWS = 120_000; // ~6 MB each: several chunks, parsed on a thread of their own

beforeAll(async () => {
  cli = await buildCli();
  ['1012477457919', '2200012767323'].forEach((mpan, k) => {
    const lines = ['MPAN,Timestamp,kWh'];
    for (let i = 0; i < ROWS; i++)
      lines.push(
        `${mpan},${new Date(Date.UTC(2023, 0, 1) + i * 1800000).toISOString()},${(((i + k) * 31) % 500) / 100}`,
      );
    files.push(writeTemp(`meter-${k}.csv`, lines.join('\n') + '\n'));
  });
});

function importAsync(dataDir: string, file: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, 'import', file, '--data-dir', dataDir, '--json']);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('two imports into one data folder at once', () => {
  it('both finish on their first attempt, exactly as they would alone', async () => {
    const dataDir = tempDir();
    // create the database first, so both processes open an existing one
    expect(runCli(cli, ['jobs', '--data-dir', dataDir, '--json']).code).toBe(0);
    const [a, b] = await Promise.all(files.map((f) => importAsync(dataDir, f)));
    for (const r of [a!, b!]) {
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout).files[0]).toMatchObject({
        status: 'done',
        rowsRead: ROWS,
        readingsImported: ROWS,
        duplicates: 0,
        conflicts: 0,
        rowsRejected: 0,
      });
    }
    const jobs = JSON.parse(runCli(cli, ['jobs', '--data-dir', dataDir, '--json']).stdout) as {
      status: string;
      attempts: number;
    }[];
    expect(jobs.map((j) => [j.status, j.attempts])).toEqual([
      ['done', 1],
      ['done', 1],
    ]);
    const db = new Database(path.join(dataDir, 'eclectyc.sqlite'), { readonly: true });
    try {
      const stored = storedReadings({ sqlite: db, readings: new ReadingsStore(db) });
      expect(stored).toHaveLength(2 * ROWS);
      expect(new Set(stored.map((r) => r[0]))).toEqual(new Set(['1012477457919', '2200012767323']));
    } finally {
      db.close();
    }
  });
});
