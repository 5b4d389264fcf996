/**
 * `eclectyc budgets` in a real process on a bundled build: set and clear a month, list by site and year,
 * import a CSV by site name and id (all or nothing: a file with problems sets nothing and names each
 * problem by line and column), and an unknown site refused.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCli, runCli } from '../../tests/helpers/cli';
import { makeCore, tempDir, writeTemp } from '../../tests/helpers/core';
import type { Budget } from '../../src-shared/contract/types';

let cli: string;
let dataDir: string;
let bath: number;
let wells: number;

beforeAll(async () => {
  cli = await buildCli();
  dataDir = tempDir();
  const core = await makeCore({ dataDir });
  bath = core.meters.createSite('Bath School').id;
  wells = core.meters.createSite('Wells Library').id;
  await core.stop();
}, 60_000);

const run = (...args: string[]) => runCli(cli, ['--data-dir', dataDir, ...args]);
const list = (...args: string[]) => JSON.parse(run('budgets', 'list', '--json', ...args).stdout) as Budget[];

describe('eclectyc budgets', () => {
  it('sets a month, keeps a figure left out, clears one with none and removes the month when both are clear', () => {
    let r = run('budgets', 'set', '--site', String(bath), '--month', '2025-03', '--kwh', '3000', '--gbp', '1,000.50');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('3,000 kWh, £1,000.50');
    r = run('budgets', 'set', '--site', String(bath), '--month', '2025-03', '--kwh', '3200');
    expect(list('--site', String(bath)).map((b) => [b.month, b.kwh, b.pence])).toEqual([['2025-03', 3200, 100050]]);
    run('budgets', 'set', '--site', String(bath), '--month', '2025-03', '--gbp', 'none');
    expect(list('--site', String(bath)).map((b) => [b.kwh, b.pence])).toEqual([[3200, null]]);
    r = run('budgets', 'set', '--site', String(bath), '--month', '2025-03', '--kwh', 'none');
    expect(r.stdout).toContain('the budget is removed');
    expect(list('--site', String(bath))).toEqual([]);
  });

  it('refuses an unknown site and a bad amount', () => {
    const r = run('budgets', 'set', '--site', '999', '--month', '2025-03', '--kwh', '1', '--json');
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).toMatch(/There is no site 999/);
    const bad = run('budgets', 'set', '--site', String(bath), '--month', '2025-03', '--kwh', 'lots');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--kwh is a number of 0 or more');
  });

  it('imports a CSV by site name or id, all or nothing', () => {
    const bad = writeTemp(
      'budgets.csv',
      [
        'site name,month,kWh,£',
        'Bath School,2026-01,3000,1000',
        'Wels Library,2026-01,1500,500',
        `${wells},2026-13,1,1`,
      ].join('\r\n'),
    );
    let r = run('budgets', 'import', bad, '--json');
    expect(r.code).toBe(1);
    const msg = r.stdout + r.stderr;
    expect(msg).toContain('Nothing was set from budgets.csv; 2 problems');
    expect(msg).toContain('line 3, column "site name": there is no site "Wels Library"');
    expect(msg).toContain('line 4, column "month": "2026-13" is not a month');
    expect(list('--year', '2026')).toEqual([]);

    const good = writeTemp(
      'budgets.csv',
      [
        'Site name,Month,kWh,£',
        'Bath School,2026-01,3000,"£1,000.25"',
        `${wells},2026-01,1500,`,
        'bath school,2026-02,,90',
      ].join('\n'),
    );
    r = run('budgets', 'import', good);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Set 3 months of budgets for 2 sites from budgets.csv.');
    expect(list('--year', '2026').map((b) => [b.siteId, b.month, b.kwh, b.pence])).toEqual([
      [bath, '2026-01', 3000, 100025],
      [bath, '2026-02', null, 9000],
      [wells, '2026-01', 1500, null],
    ]);
    expect(run('budgets', 'list', '--year', '2026').stdout).toMatch(/Bath School +2026-01 +3,000 +£1,000\.25/);
  });
});
