/**
 * Sites named in meter files (file_sites): the BANES and Sheffield fixtures' site names and
 * postcodes kept per meter (expected rows read from the CSVs here), numeric site ids skipped, long
 * and settlement files' name/address/postcode columns, first sightings kept over re-imports, dry
 * runs only previewing, and a cancelled or interrupted job leaving no row without its readings.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../app';
import { FIXTURES, importFiles, makeCore, writeTemp } from '../../../tests/helpers/core';
import { InterruptedError, runImport, type JobRow } from './run-import';

const PUBLIC = path.join(FIXTURES, 'public');
const BANES = path.join(PUBLIC, 'wide-hh-banes-energysparks.csv');
const SHEFFIELD = path.join(PUBLIC, 'wide-hh-sheffield-energysparks.csv');

type Row = [meter: string, name: string, address: string | null, postcode: string | null, job: number];

/** file_sites with each meter's identifier, in meter then name order. */
function fileSites(core: Core): Row[] {
  return core.sqlite
    .prepare(
      `SELECT m.identifier, s.name, s.address, s.postcode, s.job_id FROM file_sites s JOIN meters m ON m.id = s.meter_id
       ORDER BY m.identifier, s.name`,
    )
    .raw()
    .all() as Row[];
}

/** A quoted CSV row's cells, split by hand (BANES quotes every data cell; none holds a comma). */
const cells = (line: string): string[] => line.replace(/^"|"$/g, '').split('","');

/** A BANES location without the fuel words the export adds after the name ("… School Electrici"). */
function withoutFuel(location: string): string {
  const words = location.split(' ');
  const k = words.findIndex((w, i) => i > 0 && /^electri/i.test(w));
  return (k === -1 ? words : words.slice(0, k)).join(' ');
}

let core: Core | undefined;
afterEach(async () => {
  await core?.stop();
  core = undefined;
});

describe('sites named in meter files', () => {
  it("keeps BANES' locations and postcodes and Sheffield's site names per meter; numeric site ids are not names", async () => {
    core = await makeCore();
    const jobs = await importFiles(core, [
      BANES,
      SHEFFIELD,
      path.join(PUBLIC, 'wide-hh-imserv-row-per-day-energysparks.csv'),
      path.join(PUBLIC, 'row-per-reading-highlands-energysparks.csv'),
    ]);
    expect(jobs.map((j) => j!.status)).toEqual(['done', 'done', 'done', 'done']);
    const [banesJob, sheffieldJob] = jobs.map((j) => j!.id);

    const lines = fs.readFileSync(BANES, 'utf8').trim().split(/\r?\n/);
    const head = lines[0]!.split(',');
    // the meter is the MPAN in M1_Code1 (the ID column is a hash of the row)
    const [mpan, location, postcode] = ['M1_Code1', 'Location', 'PostCode'].map((h) => head.indexOf(h));
    const banes = lines.slice(1).map((l): Row => {
      const c = cells(l);
      return [c[mpan!]!, withoutFuel(c[location!]!), null, c[postcode!]!, banesJob!];
    });
    const sheffield = fs
      .readFileSync(SHEFFIELD, 'utf8')
      .trim()
      .split(/\r?\n/)
      .slice(1)
      .map((l): Row => [l.split(',')[1]!, l.split(',')[0]!, null, null, sheffieldJob!]);
    const expected = [...new Map([...banes, ...sheffield].map((r) => [`${r[0]} ${r[1]}`, r])).values()];
    expected.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    expect(expected).toHaveLength(6);
    expect(fileSites(core)).toEqual(expected);
    // the example, and a name the export cut short after the fuel word
    expect(fileSites(core)).toContainEqual([
      '2200012767323',
      'Bathford C of E Primary School',
      null,
      'BA1 7UB',
      banesJob,
    ]);
    expect(fileSites(core)).toContainEqual(['2000006183919', 'Freshford C of E Primary', null, 'BA2 7WE', banesJob]);
    expect(fileSites(core)).toContainEqual(['2336533093112', 'Mossbrook Primary Sch', null, null, sheffieldJob]);
    const seen = core.sqlite.prepare('SELECT DISTINCT seen_at, dismissed FROM file_sites').raw().all() as number[][];
    expect(seen.every(([at, dismissed]) => Math.abs(at! - Date.now() / 1000) < 600 && dismissed === 0)).toBe(true);
  });

  it('keeps the first sighting: a re-import, or a changed copy naming other details, adds nothing', async () => {
    core = await makeCore();
    const [first] = await importFiles(core, [BANES]);
    const before = fileSites(core);
    core.sqlite.prepare('UPDATE file_sites SET dismissed = 1 WHERE name = ?').run('St Nicholas C of E Primary School');
    const [again] = await importFiles(core, [BANES], false, { reimport: true });
    expect(again!.status).toBe('done');
    // another file (other bytes): the same meters and names, one postcode changed, values changed
    const changed = fs
      .readFileSync(BANES, 'utf8')
      .replace('"BA1 7UB"', '"BA1 9ZZ"')
      .replace(/"0\.969"/, '"0.97"');
    const [other] = await importFiles(core, [writeTemp('banes-again.csv', changed)], false, { reimport: true });
    expect(other!.status).toBe('done');
    expect(other!.conflicts).toBe(1);
    expect(fileSites(core)).toEqual(before);
    expect(before.every((r) => r[4] === first!.id)).toBe(true);
    expect(core.sqlite.prepare('SELECT count(*) FROM file_sites WHERE dismissed = 1').pluck().get()).toBe(1);
  });

  it('reads name, address parts and postcode from long and settlement files', async () => {
    core = await makeCore();
    const long = writeTemp(
      'long.csv',
      'MPAN,Site Name,Address Line 1,Town,Post Code,Timestamp,kWh\n' +
        '1200050000009,Riverside Depot,1 Mill Lane,Bath,ba17ub,2025-01-01T00:00:00Z,1\n' +
        '1200050000009,Riverside Depot,1 Mill Lane,Bath,ba17ub,2025-01-01T00:30:00Z,2\n' +
        '1200050000106,"  Old   Library ",,,not a postcode,2025-01-01T00:00:00Z,3\n' +
        '1200050000203,12345,,,BS1 4DJ,2025-01-01T00:00:00Z,3\n',
    );
    const settlement = writeTemp(
      'sett.csv',
      'MPAN Core,Site,Sett Date,Sett Period,kWh\n1200050000300,Town Hall Gas,2025-01-01,1,4\n',
    );
    const jobs = await importFiles(core, [long, settlement]);
    expect(jobs.map((j) => [j!.format, j!.status])).toEqual([
      ['long', 'done'],
      ['settlement', 'done'],
    ]);
    expect(fileSites(core)).toEqual([
      ['1200050000009', 'Riverside Depot', '1 Mill Lane, Bath', 'BA1 7UB', jobs[0]!.id],
      ['1200050000106', 'Old Library', null, null, jobs[0]!.id],
      ['1200050000300', 'Town Hall', null, null, jobs[1]!.id],
    ]);
  });

  it('a dry run writes nothing and previews the sites', async () => {
    core = await makeCore();
    const [job] = await importFiles(core, [SHEFFIELD], true);
    expect(job!.preview!.sites).toEqual([
      { meter: '2336533093112', name: 'Mossbrook Primary Sch', address: null, postcode: null },
    ]);
    expect(core.sqlite.prepare('SELECT count(*) FROM file_sites').pluck().get()).toBe(0);
  });
});

/** A wide file of `meters` meters × `days` days from 1 April 2024 (~230 bytes a row), each meter's site named. */
function bigWide(meters: number, days: number, firstMpan = 0): string {
  const P = [3, 5, 7, 13, 17, 19, 23, 29, 31, 37, 41, 43];
  const mpan = (i: number): string => {
    const s = String(1200050000000 + (firstMpan + i) * 10).slice(0, 12);
    let sum = 0;
    for (let k = 0; k < 12; k++) sum += +s[k]! * P[k]!;
    return s + ((sum % 11) % 10);
  };
  const slots = Array.from({ length: 48 }, (_, h) => `${String(h >> 1).padStart(2, '0')}:${h % 2 ? '30' : '00'}`);
  const lines = [`MPAN,Site Name,Postcode,Date,${slots.join(',')}`];
  for (let m = 0; m < meters; m++)
    for (let d = 0; d < days; d++) {
      const date = new Date(Date.UTC(2024, 3, 1 + d)).toISOString().slice(0, 10);
      const values = slots.map((_, h) => `${(h + m) % 10}.5`).join(',');
      lines.push(`${mpan(m)},School ${m},BA${1 + (m % 9)} 1AA,${date},${values}`);
    }
  return writeTemp('big-wide.csv', lines.join('\n') + '\n');
}

describe('file sites and failed or stopped jobs', () => {
  it('a cancelled job leaves none of its sites, also for a meter that was there before', async () => {
    core = await makeCore();
    await importFiles(core, [writeTemp('one.csv', 'MPAN,Timestamp,kWh\n1200050000009,2023-01-01T00:00:00Z,1\n')]);
    const f = await core.files.storePath(bigWide(60, 250));
    const { jobIds } = core.imports.enqueue([f.fileId]);
    let cancelled = false;
    core.events.subscribe((e) => {
      if (e.event === 'imports.progress' && !cancelled) {
        cancelled = true;
        core!.imports.cancel(jobIds[0]!);
      }
    });
    await core.imports.drain();
    expect(cancelled).toBe(true);
    expect(core.imports.get(jobIds[0]!).status).toBe('cancelled');
    expect(fileSites(core)).toEqual([]);
    expect(core.meters.list().map((m) => m.mpan)).toEqual(['1200050000009']);
  });

  it('a job stopped after a chunk holds sites only for meters with readings, and resumed equals a clean import', async () => {
    const file = bigWide(60, 250);
    const clean = await makeCore();
    await importFiles(clean, [file]);
    const want = fileSites(clean).map((r) => r.slice(0, 4));
    await clean.stop();
    expect(want).toHaveLength(60);

    core = await makeCore();
    const { jobIds } = core.imports.enqueue([(await core.files.storePath(file)).fileId]);
    const claim = (): JobRow => {
      core!.sqlite.prepare("UPDATE import_jobs SET status = 'running', owner = 'test' WHERE id = ?").run(jobIds[0]);
      return core!.sqlite
        .prepare(
          'SELECT j.*, f.path, f.bytes FROM import_jobs j JOIN stored_files f ON f.id = j.file_id WHERE j.id = ?',
        )
        .get(jobIds[0]) as JobRow;
    };
    let chunks = 0;
    await expect(
      runImport(core.sqlite, claim(), 'test', () => void chunks++, { shouldStop: () => chunks >= 1 }),
    ).rejects.toBeInstanceOf(InterruptedError);
    const part = fileSites(core);
    const withReadings = new Set(
      core.meters
        .list()
        .filter((m) => m.readings > 0)
        .map((m) => m.mpan),
    );
    expect(part.length).toBeGreaterThan(0);
    expect(part.length).toBeLessThan(60);
    expect(part.every((r) => withReadings.has(r[0]))).toBe(true);

    await runImport(core.sqlite, claim(), 'test', () => undefined);
    expect(fileSites(core).map((r) => r.slice(0, 4))).toEqual(want);
    expect(fileSites(core).every((r) => r[4] === jobIds[0])).toBe(true);
  });
});
