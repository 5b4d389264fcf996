/**
 * Registers from the command line: the bundled CLI in real processes over one data folder — a dry
 * run, a register with errors (exit code 1, nothing written), the good register, export to standard
 * output and to an XLSX file that imports again unchanged, then site suggestions accepted.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { dbFile } from '../core/db/paths';
import { buildCli, runCli } from '../../tests/helpers/cli';
import { tempDir, writeTemp } from '../../tests/helpers/core';

const A = '1200050000009';
const B = '1200050000106';
const GAS = '7000123';

let cli: string;
let dataDir: string;
const run = (...args: string[]) => runCli(cli, ['--data-dir', dataDir, '--carbon-api', 'http://127.0.0.1:9', ...args]);
const count = (table: 'sites' | 'meters'): number => {
  const db = new Database(dbFile(dataDir), { readonly: true });
  try {
    return db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
  } finally {
    db.close();
  }
};

beforeAll(async () => {
  cli = await buildCli();
  dataDir = tempDir('eclectyc-register-cli-');
}, 120_000);
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

const GOOD = `Site,Post code,MPAN,Fuel,Meter name\r\nGuildhall,ba1 5aw,${A},elec,Main\r\nGuildhall,,${GAS},,Boiler\r\nPump Room,BA1 1LZ,,,\r\n`;

describe('eclectyc register', () => {
  it('previews with --dry-run, refuses a register with errors (exit 1), then imports the good one', () => {
    const file = writeTemp('register.csv', GOOD);
    const dry = run('register', 'import', file, '--dry-run');
    expect(dry.code).toBe(0);
    expect(JSON.parse(dry.stdout)).toEqual({
      dryRun: true,
      sitesCreated: 2,
      sitesUpdated: 0,
      metersCreated: 2,
      metersUpdated: 0,
      errors: [],
    });
    expect(count('sites')).toBe(0);

    const bad = writeTemp('bad.csv', `Site,MPAN\nGuildhall,1200050000008\nPump Room,${B}\n`);
    const refused = run('register', 'import', bad);
    expect(refused.code).toBe(1);
    // what it reports is what it stored: nothing
    expect(JSON.parse(refused.stdout)).toEqual({
      sitesCreated: 0,
      sitesUpdated: 0,
      metersCreated: 0,
      metersUpdated: 0,
      errors: [
        { line: 2, column: 'MPAN', message: 'MPAN 1200050000008 fails its check digit (expected 9 as the last digit)' },
      ],
    });
    expect(refused.stderr).toMatch(/1 problem\(s\); nothing was imported/);
    expect([count('sites'), count('meters')]).toEqual([0, 0]);

    const done = run('register', 'import', file, '--verbose');
    expect(done.code).toBe(0);
    const r = JSON.parse(done.stdout) as { sitesCreated: number; metersCreated: number; changes: { key: string }[] };
    expect([r.sitesCreated, r.metersCreated]).toEqual([2, 2]);
    expect(r.changes.map((c) => c.key)).toEqual(['Guildhall', A, GAS, 'Pump Room']);
    expect([count('sites'), count('meters')]).toEqual([2, 2]);
  });

  it('exports CSV to standard output and XLSX to a file that imports again with nothing to change', () => {
    const csv = run('register', 'export');
    expect(csv.code).toBe(0);
    expect(csv.stdout.split('\r\n')).toEqual([
      '\uFEFFsite,address,postcode,latitude,longitude,floorArea,openingHours,meter,fuel,label,supplier,capacityKva,tariff,tariffFrom,serial',
      `Guildhall,,BA1 5AW,,,,,${A},electricity,Main,,,,,`,
      `Guildhall,,BA1 5AW,,,,,${GAS},gas,Boiler,,,,,`,
      'Pump Room,,BA1 1LZ,,,,,,,,,,,,',
      '',
    ]);
    const out = path.join(tempDir('eclectyc-register-out-'), 'portfolio.xlsx');
    const x = run('register', 'export', '--out', out, '--json');
    expect(x.code).toBe(0);
    expect(JSON.parse(x.stdout)).toEqual({ file: out, format: 'xlsx', sites: 2, meters: 2 });
    expect(fs.readFileSync(out).subarray(0, 2).toString()).toBe('PK');
    const again = run('register', 'import', out, '--dry-run', '--verbose');
    expect(again.code).toBe(0);
    const r = JSON.parse(again.stdout) as { changes: { action: string }[]; sitesCreated: number };
    expect(r.changes.map((c) => c.action)).toEqual(['unchanged', 'unchanged', 'unchanged', 'unchanged']);
    expect(run('register', 'export', '--format', 'xlsx').code).toBe(2);
  });

  it('lists site suggestions from meter files and accepts them', () => {
    const db = new Database(dbFile(dataDir));
    db.prepare("INSERT INTO meters (identifier, kind, fuel) VALUES (?, 'mpan', 'electricity')").run(B);
    db.prepare(
      "INSERT INTO file_sites (meter_id, name, postcode, seen_at) SELECT id, 'Bathford C of E Primary School', 'BA1 7UB', 1700000000 FROM meters WHERE identifier = ?",
    ).run(B);
    db.close();
    const list = run('sites', 'suggestions', '--json');
    expect(JSON.parse(list.stdout)).toEqual([
      { name: 'Bathford C of E Primary School', address: null, postcode: 'BA1 7UB', meters: [B], existingSiteId: null },
    ]);
    expect(run('sites', 'accept-suggestions').code).toBe(2);
    const accepted = run('sites', 'accept-suggestions', '--all');
    expect(accepted.code).toBe(0);
    expect(accepted.stdout).toBe('Created 1 site(s) and put 1 meter(s) on 1 site(s).\n');
    expect(run('register', 'export').stdout).toContain(`Bathford C of E Primary School,,BA1 7UB,,,,,${B},electricity,`);
    expect(run('sites', 'suggestions').stdout).toMatch(/^No site suggestions/);
  });
});
