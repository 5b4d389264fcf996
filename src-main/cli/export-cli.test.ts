/**
 * `eclectyc export` in real processes: the public fixtures imported, exported in both layouts to
 * files and imported by the CLI into empty data folders give back the same readings and flags; CSV
 * on stdout without --out; usage errors and an unknown meter leave no file behind.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, runCli } from '../../tests/helpers/cli';
import { makeCore, storedReadings, tempDir } from '../../tests/helpers/core';
import type { Core } from '../core/app';

const PUBLIC = '/work/shared/fixtures/public';
let cli: string;
let source: string;
const cores: Core[] = [];
afterEach(async () => {
  for (const c of cores.splice(0)) await c.stop();
});

/** The stored readings of a data folder, without the writing job. */
async function readingsIn(dataDir: string) {
  const c = await makeCore({ dataDir });
  cores.push(c);
  return storedReadings(c).map(([m, ts, kwh, q]) => [m, ts, kwh, q]);
}

beforeAll(async () => {
  cli = await buildCli();
  source = tempDir();
  const files = fs
    .readdirSync(PUBLIC)
    .filter((f) => f.endsWith('.csv'))
    .map((f) => path.join(PUBLIC, f));
  const r = runCli(cli, ['--data-dir', source, 'import', ...files]);
  expect(r.code, r.stderr).toBe(0);
}, 120_000);

describe('eclectyc export', () => {
  it.each(['long', 'wide'])('exports readings (%s) that the CLI imports back to the same readings', async (layout) => {
    const file = path.join(tempDir(), `r-${layout}.csv`);
    const args = ['--data-dir', source, 'export', 'readings', '--all', '--from', '2015-01-01', '--to', '2030-01-01'];
    const r = runCli(cli, [...args, '--layout', layout, '--out', file, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout) as { file: string; rows: number; bytes: number };
    expect(summary.file).toBe(file);
    expect(summary.bytes).toBe(fs.statSync(file).size);
    expect(fs.existsSync(`${file}.part`)).toBe(false);
    const target = tempDir();
    const back = runCli(cli, ['--data-dir', target, 'import', file]);
    expect(back.code, back.stderr).toBe(0);
    const before = await readingsIn(source);
    expect(before.length).toBeGreaterThan(400);
    expect(await readingsIn(target)).toEqual(before);
    // a row per reading in the long layout, a row per meter-day in the wide one
    expect(summary.rows).toBe(layout === 'long' ? before.length : before.length / 48);
  });

  it('writes CSV to stdout without --out', () => {
    const r = runCli(cli, [
      '--data-dir',
      source,
      'export',
      'days',
      '--meter',
      'K0229111D6',
      '--from',
      '2018-11-01',
      '--to',
      '2018-12-01',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.charCodeAt(0)).toBe(0xfeff);
    const rows = r.stdout.slice(1).split('\r\n');
    expect(rows[0]).toMatch(/^Meter,Date,kWh,Half-hours,/);
    expect(rows[1]).toMatch(/^K0229111D6,2018-11-12,/);
    expect(rows.at(-1)).toBe('');
  });

  it('refuses a bad command line (exit 2) and an unknown meter (exit 1) and leaves no file', () => {
    const dir = tempDir();
    const file = path.join(dir, 'x.csv');
    const base = ['--data-dir', source, 'export', 'readings', '--from', '2025-01-01', '--to', '2025-02-01'];
    const both = runCli(cli, [...base, '--all', '--meter', '1200050000009', '--out', file]);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/exactly one of --meter MPAN, --site ID or --all/);
    const layout = runCli(cli, [...base, '--all', '--layout', 'tall', '--out', file]);
    expect(layout.code).toBe(2);
    expect(layout.stderr).toMatch(/--layout must be long or wide, not "tall"/);
    for (const [flag, bad] of [
      ['--from', '01/03/2025'],
      ['--from', '1'],
      ['--to', 'March 1, 2025'],
    ]) {
      const args = ['--data-dir', source, 'export', 'readings', '--all', '--from', '2025-01-01', '--to', '2025-02-01'];
      args[args.indexOf(flag!) + 1] = bad!;
      const date = runCli(cli, [...args, '--out', file]);
      expect(date.code, bad).toBe(2);
      expect(date.stderr).toContain(`${flag} must be a date written YYYY-MM-DD (e.g. 2025-03-01), not "${bad}"`);
    }
    const unknown = runCli(cli, [...base, '--meter', '1200050000009', '--out', file]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/No meter 1200050000009/);
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});
