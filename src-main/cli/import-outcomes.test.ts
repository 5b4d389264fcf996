/**
 * The CLI's side of import outcomes: a file imported before is skipped with a warning on stderr
 * unless --reimport (stdout unchanged for files that are not duplicates), `meters merge`, and the
 * graded words for a header-only, a mostly rejected and a binary file.
 */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCli, runCli } from '../../tests/helpers/cli';
import { FIXTURES, tempDir, writeTemp } from '../../tests/helpers/core';

let cli: string;
const OCTOPUS = path.join(FIXTURES, 'public', 'octopus-consumption-electricity-2020-05.json');
const SAMPLE = path.join(FIXTURES, 'csv', 'long-autumn-with-errors.csv');

beforeAll(async () => {
  cli = await buildCli();
});

const run = (args: string[]) => runCli(cli, args);

describe('eclectyc import: files imported before', () => {
  it('skips a file already imported with a warning on stderr, imports the others, and takes --reimport', () => {
    const dataDir = tempDir();
    const first = run(['import', OCTOPUS, '--data-dir', dataDir]);
    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(first.stdout).toBe(
      `Imported ${OCTOPUS} (octopus-json format)\n` +
        '  rows read 99, readings imported 99, duplicates 0, conflicts 0, rows rejected 0\n' +
        '  created meters: 2700003645222\n',
    );

    const again = run(['import', OCTOPUS, SAMPLE, '--meter', '1012477457919', '--data-dir', dataDir]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(
      new RegExp(
        `^Warning: ${OCTOPUS.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} was already imported at \\S+Z into 2700003645222 \\(job 1\\); not imported again \\(use --reimport to import it anyway\\)\n$`,
      ),
    );
    expect(again.stdout).not.toMatch(/octopus/); // the other file was imported as asked
    expect(again.stdout).toMatch(/^Done with problems: .*long-autumn-with-errors\.csv \(long format\)/);
    const meters = JSON.parse(run(['meters', '--data-dir', dataDir, '--json']).stdout) as { mpan: string }[];
    expect(meters.map((m) => m.mpan)).toEqual(['1012477457919', '2200012767323', '2700003645222']);

    const json = run(['import', OCTOPUS, '--meter', '1012477457919', '--data-dir', dataDir, '--json']);
    expect(JSON.parse(json.stdout).files[0]).toMatchObject({
      status: 'skipped',
      alreadyImported: { jobId: 1, meters: ['2700003645222'] },
    });

    const forced = run(['import', OCTOPUS, '--meter', '1012477457919', '--reimport', '--data-dir', dataDir]);
    expect(forced).toMatchObject({ code: 0, stderr: '' });
    expect(forced.stdout).toMatch(/readings imported 99/);
  });

  it('meters merge FROM INTO counts the readings once and removes FROM', () => {
    const dataDir = tempDir();
    run(['import', OCTOPUS, '--data-dir', dataDir]);
    run(['import', OCTOPUS, '--meter', '1012477457919', '--reimport', '--data-dir', dataDir]);
    const merged = run(['meters', 'merge', '1012477457919', '2700003645222', '--data-dir', dataDir]);
    expect(merged).toMatchObject({ code: 0, stderr: '' });
    expect(merged.stdout).toBe(
      'Merged 1012477457919 into 2700003645222: 0 readings moved, 99 already in 2700003645222, 0 conflicts; ' +
        '1012477457919 was removed.\n',
    );
    const meters = JSON.parse(run(['meters', '--data-dir', dataDir, '--json']).stdout) as { mpan: string }[];
    expect(meters.map((m) => m.mpan)).toEqual(['2700003645222']);
    expect(run(['meters', 'merge', '1012477457919', '--data-dir', dataDir])).toMatchObject({ code: 2 });
  });
});

describe('eclectyc import: graded outcomes', () => {
  it('says "Nothing imported" for a header-only file, "Done with problems" for 6 of 7 rows rejected, and fails a binary file', () => {
    const dataDir = tempDir();
    const header = run(['import', writeTemp('header.csv', 'MPAN,Timestamp,kWh\n'), '--data-dir', dataDir]);
    expect(header.code).toBe(1);
    expect(header.stdout).toMatch(
      /^Nothing imported from .*header\.csv\. The file has a header \(line 1\) but no rows/,
    );

    const rows = ['abc', '-1', 'x', 'y', 'z', 'q', '1.5'].map(
      (v, i) => `1012477457919,2025-01-01T0${Math.floor(i / 2)}:${i % 2 ? '30' : '00'}:00Z,${v}`,
    );
    const mostly = run([
      'import',
      writeTemp('mostly.csv', ['MPAN,Timestamp,kWh', ...rows].join('\n')),
      '--data-dir',
      dataDir,
    ]);
    expect(mostly.code).toBe(0);
    expect(mostly.stdout.split('\n').slice(0, 3)).toEqual([
      expect.stringMatching(/^Done with problems: .*mostly\.csv \(long format\)$/),
      '  1 reading imported; 6 of 7 rows rejected.',
      '  rows read 7, readings imported 1, duplicates 0, conflicts 0, rows rejected 6',
    ]);
    const json = JSON.parse(
      run([
        'import',
        writeTemp('mostly2.csv', ['MPAN,Timestamp,kWh', ...rows].join('\n')),
        '--json',
        '--data-dir',
        dataDir,
        '--reimport',
      ]).stdout,
    );
    expect(json.files[0].outcome).toMatchObject({ grade: 'nothing-imported', tone: 'amber' });

    const bin = run([
      'import',
      writeTemp('photo.csv', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 1])),
      '--data-dir',
      dataDir,
    ]);
    expect(bin.code).toBe(1);
    expect(bin.stdout).toMatch(/^Could not import .*photo\.csv: The file contains binary data/);
    const jobs = JSON.parse(run(['jobs', '--json', '--data-dir', dataDir]).stdout) as {
      file: string;
      outcome: string;
    }[];
    expect(jobs.map((j) => [j.file, j.outcome])).toEqual([
      ['photo.csv', 'Failed'],
      ['mostly2.csv', 'Nothing imported'],
      ['mostly.csv', 'Done with problems'],
      ['header.csv', 'Nothing imported'],
    ]);
    const retry = run(['call', 'imports.retry', '--args', '{"id":4}', '--data-dir', dataDir]);
    expect(retry.code).toBe(1);
    expect(retry.stderr).toMatch(/Retrying cannot help: photo\.csv is not a text file/);
  });
});

describe('errors worded for the command line', () => {
  it('a meter with no tariff: the message, then the command that fixes it', () => {
    const dataDir = tempDir();
    run(['import', OCTOPUS, '--data-dir', dataDir]);
    const r = run(['cost', '2700003645222', '--from', '2020-05-05', '--to', '2020-05-07', '--data-dir', dataDir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'eclectyc: 2700003645222 has no tariff for 2020-05-05 and no supplier is set for it: assign a tariff from ' +
        "that date, or set the meter's supplier and mark one of that supplier's tariffs as its default\n" +
        'Assign one with: eclectyc tariffs assign 2700003645222 TARIFF_ID --from 2020-05-05\n',
    );
  });
});
