/**
 * Crash safety with a real process: a worker importing a large file is killed (SIGKILL) at several
 * points, restarted, and the final data and counts must equal one clean import of the same file.
 */
import { spawn } from 'node:child_process';
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ReadingsStore } from '../../src-main/core/readings/store';
import { buildCli, runCli } from '../helpers/cli';
import { storedReadings, tempDir, writeTemp } from '../helpers/core';

let cli: string;
let file: string;
const ROWS = 150_000; // ~7 MB: seven 1 MB chunks

beforeAll(async () => {
  cli = await buildCli();
  const lines = ['MPAN,Timestamp,kWh,Quality'];
  const t0 = Date.parse('2024-01-01T00:00:00Z') / 1000;
  const mpans = ['1012477457919', '2200012767323', '2336533093112'];
  for (let i = 0; i < ROWS; i++) {
    const m = mpans[Math.floor(i / (ROWS / 3))]!;
    // every 1,000th row is bad, so rejected counts must survive the crashes too
    const v = i % 1000 === 999 ? '-1' : ((i * 7919) % 1000) / 100;
    lines.push(
      `${m},${new Date((t0 + (i % (ROWS / 3)) * 1800) * 1000).toISOString()},${v},${i % 10 === 0 ? 'E' : 'A'}`,
    );
  }
  file = writeTemp('big.csv', lines.join('\n') + '\n');
});

function snapshot(dataDir: string) {
  const db = new Database(path.join(dataDir, 'eclectyc.sqlite'), { readonly: true });
  try {
    const readings = storedReadings({ sqlite: db, readings: new ReadingsStore(db) });
    const job = db
      .prepare(
        'SELECT status, rows_read, readings_imported, duplicates, conflicts, rows_rejected, meters_created, errors FROM import_jobs',
      )
      .get();
    return { readings, job };
  } finally {
    db.close();
  }
}

/** Fraction of the file the job has committed, read without disturbing the writer. */
function committedFraction(dataDir: string, size: number): number {
  try {
    const db = new Database(path.join(dataDir, 'eclectyc.sqlite'), { readonly: true, fileMustExist: true });
    try {
      const r = db.prepare('SELECT bytes_done FROM import_jobs').pluck().get() as number | undefined;
      return (r ?? 0) / size;
    } finally {
      db.close();
    }
  } catch {
    return 0;
  }
}

/**
 * Starts `worker --once` and SIGKILLs it once the job has committed at least `at` of the file (0 = as soon as it
 * starts).
 */
async function killAt(dataDir: string, at: number): Promise<'killed' | 'finished'> {
  const size = fs.statSync(file).size;
  const child = spawn(process.execPath, [cli, 'worker', '--once', '--data-dir', dataDir, '--json'], {
    stdio: 'ignore',
  });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  for (;;) {
    const done = await Promise.race([
      exited.then(() => true),
      new Promise<boolean>((r) => setTimeout(() => r(false), 2)),
    ]);
    if (done) return 'finished';
    if (committedFraction(dataDir, size) >= at) {
      child.kill('SIGKILL');
      await exited;
      return 'killed';
    }
  }
}

describe('a worker killed mid-import', () => {
  it('resumes to exactly the data and counts of one clean import', async () => {
    const clean = tempDir();
    expect(runCli(cli, ['import', file, '--data-dir', clean, '--json']).code).toBe(0);
    const expected = snapshot(clean);
    expect(expected.readings).toHaveLength(ROWS - ROWS / 1000);

    const crashed = tempDir();
    expect(runCli(cli, ['import', file, '--detach', '--data-dir', crashed, '--json']).code).toBe(0);
    const outcomes: string[] = [];
    for (const at of [0, 0.2, 0.45, 0.7, 0.9]) outcomes.push(await killAt(crashed, at));
    expect(outcomes.filter((o) => o === 'killed').length).toBeGreaterThanOrEqual(3);
    // restart until the queue is empty
    expect(runCli(cli, ['worker', '--once', '--data-dir', crashed, '--json']).code).toBe(0);
    const after = snapshot(crashed);
    expect(after.job).toEqual(expected.job);
    expect(after.readings).toEqual(expected.readings);
  });
});
