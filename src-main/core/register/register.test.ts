/**
 * Site and meter registers through the contract on a real core (a migrated SQLite file in a temp
 * folder): good files in CSV (comma, semicolon, BOM, CRLF, Windows-1252) and XLSX creating the sites
 * and meters the test counts itself, every kind of error by line and column with the database left
 * exactly as it was, updates listed field by field, dry runs, and export → import round trips.
 */
import fs from 'node:fs';
import path from 'node:path';
import writeExcelFile from 'write-excel-file/node';
import { afterEach, describe, expect, it } from 'vitest';
import type { RegisterExport, RegisterImportResult } from '../../../src-shared/contract/types';
import { dispatch } from '../rpc/dispatch';
import type { Core } from '../app';
import { flatTariff } from '../../../tests/fixtures/tariffs';
import { callAsAdmin, importFiles, makeCore, writeTemp } from '../../../tests/helpers/core';

const PRIMES = [3, 5, 7, 13, 17, 19, 23, 29, 31, 37, 41, 43];
/** A valid MPAN core from a 12-digit number: the check digit is Σ digit×prime mod 11 mod 10. */
function mpan(n: number): string {
  const body = String(n).padStart(12, '0');
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(body[i]) * PRIMES[i]!;
  return body + String((sum % 11) % 10);
}
/** The same MPAN with its last digit wrong. */
const badCheck = (m: string): string => m.slice(0, 12) + String((Number(m[12]) + 1) % 10);

let cores: Core[] = [];
afterEach(async () => {
  for (const c of cores) await c.stop();
  cores = [];
});
async function core(now = Date.parse('2025-06-15T12:00:00Z')): Promise<Core> {
  const c = await makeCore({ clock: { now: () => now } });
  cores.push(c);
  await callAsAdmin(c, 'tariffs.save', { tariff: flatTariff() });
  await callAsAdmin(c, 'tariffs.save', {
    tariff: flatTariff({ id: 'acme-gas-2025', name: 'Acme Business Gas', fuel: 'gas', cclPencePerKwh: 0.2 }),
  });
  return c;
}

const importRegister = (c: Core, file: string | Buffer, opts: { dryRun?: boolean; fileName?: string } = {}) =>
  callAsAdmin<RegisterImportResult>(c, 'register.import', {
    content: Buffer.from(file).toString('base64'),
    fileName: opts.fileName ?? 'register.csv',
    ...(opts.dryRun ? { dryRun: true } : {}),
  });

/** Everything a register can write, row by row. */
function snapshot(c: Core) {
  const all = (sql: string) => c.sqlite.prepare(sql).all();
  return {
    organisations: all('SELECT * FROM organisations ORDER BY id'),
    sites: all('SELECT * FROM sites ORDER BY id'),
    meters: all('SELECT * FROM meters ORDER BY id'),
    tariffs: all('SELECT meter_id, from_day, tariff_id FROM tariff_assignments ORDER BY meter_id, from_day'),
  };
}

interface SiteRow {
  name: string;
  address: string | null;
  postcode: string | null;
  latitude: number | null;
  longitude: number | null;
  floor_area_m2: number | null;
  opening_hours: string | null;
}
interface MeterRow {
  identifier: string;
  kind: string;
  fuel: string;
  site: string | null;
  label: string | null;
  supplier: string | null;
  capacity_kva: number | null;
  serial: string | null;
  mpan_top_line: string | null;
}
const sitesOf = (c: Core) =>
  c.sqlite
    .prepare(
      'SELECT name, address, postcode, latitude, longitude, floor_area_m2, opening_hours FROM sites ORDER BY name',
    )
    .all() as SiteRow[];
const metersOf = (c: Core) =>
  c.sqlite
    .prepare(
      `SELECT m.identifier, m.kind, m.fuel, s.name AS site, m.label, m.supplier, m.capacity_kva, m.serial, m.mpan_top_line
       FROM meters m LEFT JOIN sites s ON s.id = m.site_id ORDER BY m.identifier`,
    )
    .all() as MeterRow[];
const assignmentsOf = (c: Core) =>
  c.sqlite
    .prepare(
      `SELECT m.identifier, a.tariff_id AS tariff, a.from_day AS fromDay FROM tariff_assignments a
       JOIN meters m ON m.id = a.meter_id ORDER BY m.identifier, a.from_day`,
    )
    .all() as { identifier: string; tariff: string; fromDay: number }[];
const dayOf = (iso: string): number => Date.parse(`${iso}T00:00:00Z`) / 86400000;

/** A portfolio of `n` sites: site i has (i % 3) + 1 meters, every third of them gas; two sites have none. */
function portfolio(n: number) {
  const lines: string[][] = [];
  const sites = new Set<string>();
  const meters = new Set<string>();
  for (let i = 1; i <= n; i++) {
    const name = `School ${i}`;
    sites.add(name);
    const site = [name, `${i} High Street`, 'Bath', `ba${(i % 9) + 1} ${i % 10}ab`, '51.38', '-2.36', String(1000 + i)];
    for (let k = 0; k < (i % 3) + 1; k++) {
      const gas = k === 2;
      const id = gas ? String(7_000_000 + i * 10 + k) : mpan(120005000000 + i * 10 + k);
      meters.add(id);
      lines.push([
        ...site,
        id,
        gas ? '' : 'Elec',
        `Meter ${k + 1}`,
        'Acme',
        gas ? '' : '100',
        gas ? '' : 'Acme Business Fixed',
        '',
        `S${i}${k}`,
      ]);
    }
  }
  for (const name of ['Depot', 'Library']) {
    sites.add(name);
    lines.push([name, '', '', '', '', '', '', '', '', '', '', '', '', '', '']);
  }
  const loose = [mpan(990000000001), mpan(990000000002)];
  for (const id of loose) {
    meters.add(id);
    lines.push(['', '', '', '', '', '', '', id, 'electricity', 'Car park', '', '', '', '', '']);
  }
  const header = [
    'Site Name',
    'Address Line 1',
    'Town',
    'Post Code',
    'Lat',
    'Lng',
    'GIA (m²)',
    'MPAN',
    'Utility',
    'Meter name',
    'Supplier',
    'Agreed capacity',
    'Tariff',
    'Tariff from',
    'MSN',
  ];
  return { header, lines, sites, meters };
}

const csv = (rows: string[][], delimiter = ',', eol = '\r\n'): string =>
  rows.map((r) => r.map((c) => (/[",;\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(delimiter)).join(eol) + eol;

describe('register.import: good files', () => {
  it('creates the sites and meters a register lists, reading common spellings of every column', async () => {
    const c = await core();
    const p = portfolio(12);
    // "Town" is not a register column: left out and listed
    const r = await importRegister(c, '\uFEFF' + csv([p.header, ...p.lines]));
    expect(r.errors).toEqual([]);
    expect(r.ignoredColumns).toEqual(['Town']);
    expect(r.sitesCreated).toBe(p.sites.size);
    expect(r.metersCreated).toBe(p.meters.size);
    expect([r.sitesUpdated, r.metersUpdated]).toEqual([0, 0]);

    const sites = sitesOf(c);
    expect(sites.map((s) => s.name).sort()).toEqual([...p.sites].sort());
    const s7 = sites.find((s) => s.name === 'School 7')!;
    expect(s7).toMatchObject({
      address: '7 High Street',
      postcode: 'BA8 7AB',
      latitude: 51.38,
      longitude: -2.36,
      floor_area_m2: 1007,
      opening_hours: null,
    });
    expect(sites.find((s) => s.name === 'Depot')).toMatchObject({ address: null, postcode: null, latitude: null });

    const meters = metersOf(c);
    expect(meters.map((m) => m.identifier).sort()).toEqual([...p.meters].sort());
    const gas = meters.find((m) => m.identifier === String(7_000_000 + 5 * 10 + 2))!;
    expect(gas).toMatchObject({ kind: 'mprn', fuel: 'gas', site: 'School 5', label: 'Meter 3', capacity_kva: null });
    const elec = meters.find((m) => m.identifier === mpan(120005000000 + 5 * 10))!;
    expect(elec).toMatchObject({
      kind: 'mpan',
      fuel: 'electricity',
      site: 'School 5',
      supplier: 'Acme',
      capacity_kva: 100,
      serial: 'S50',
    });
    expect(meters.filter((m) => m.site === null).map((m) => m.label)).toEqual(['Car park', 'Car park']);
    // every electricity meter on the tariff from today (no readings yet), none of the gas ones
    const today = dayOf('2025-06-15');
    const onTariff = assignmentsOf(c);
    expect(onTariff.length).toBe(meters.filter((m) => m.fuel === 'electricity' && m.site !== null).length);
    expect(new Set(onTariff.map((a) => `${a.tariff}@${a.fromDay}`))).toEqual(new Set([`acme-flat-2025@${today}`]));
  });

  it('reads semicolons, a decimal comma, Windows-1252 text, full MPANs and the "S" form, and quoted lines', async () => {
    const c = await core();
    const m1 = mpan(120005000001);
    const m2 = mpan(120005000002);
    const text =
      'Building;Address;Postcode;Latitude;Longitude;Floor area (m2);Opening hours;Supply number;Fuel;Description;kVA\n' +
      `St Mary\u2019s Hall;"Church Lane;\nWidcombe";ba2 6aw;51,375;-2,351;"2.400,5";"mon-fri 07:30-17:00; sat 09:00-12:00";S 01 801 100 ${m1.slice(0, 2)} ${m1.slice(2, 6)} ${m1.slice(6, 10)} ${m1.slice(10)};Electricity;Hall;150,5\n` +
      `St Mary\u2019s Hall;;;;;;;01801100${m2};;Kitchen;\n`;
    // Excel's plain "CSV" is Windows-1252: the curly apostrophe is byte 0x92
    const bytes = Buffer.from(text.replace(/\u2019/g, '\u0000'), 'latin1');
    bytes.forEach((b, i) => {
      if (b === 0) bytes[i] = 0x92;
    });
    const r = await importRegister(c, bytes);
    expect(r.errors).toEqual([]);
    expect([r.sitesCreated, r.metersCreated]).toEqual([1, 2]);
    const [site] = sitesOf(c);
    expect(site).toMatchObject({
      name: 'St Mary\u2019s Hall',
      address: 'Church Lane;\nWidcombe',
      postcode: 'BA2 6AW',
      latitude: 51.375,
      longitude: -2.351,
      floor_area_m2: 2400.5,
    });
    expect(JSON.parse(site!.opening_hours!)).toEqual([
      [[450, 1020]],
      [[450, 1020]],
      [[450, 1020]],
      [[450, 1020]],
      [[450, 1020]],
      [[540, 720]],
      [],
    ]);
    const meters = metersOf(c);
    expect(meters.map((m) => [m.identifier, m.mpan_top_line, m.label, m.capacity_kva])).toEqual([
      [m1, '01801100', 'Hall', 150.5],
      [m2, '01801100', 'Kitchen', null],
    ]);
  });

  it('reads "2,400" in a comma-separated file as 2400', async () => {
    const c = await core();
    const r = await importRegister(c, 'site,floorArea\nA,"2,400"\nB,2.4\n');
    expect(r.errors).toEqual([]);
    expect(sitesOf(c).map((s) => s.floor_area_m2)).toEqual([2400, 2.4]);
  });
});

/** A register's header in the export's own column names. */
const HEADER =
  'site,address,postcode,latitude,longitude,floorArea,openingHours,meter,fuel,label,supplier,capacityKva,tariff,tariffFrom,serial';
/** A line of that header from the values given by column name. */
function line(v: Partial<Record<string, string>>): string {
  return HEADER.split(',')
    .map((c) => {
      const x = v[c] ?? '';
      return /[",\n]/.test(x) ? `"${x.replace(/"/g, '""')}"` : x;
    })
    .join(',');
}

/** A gas meter (MPRN 7000001) with readings, imported from a meter file. */
async function gasMeterWithReadings(c: Core): Promise<string> {
  const rows = ['MPRN,Timestamp,kWh'];
  for (let h = 0; h < 48; h++) rows.push(`7000001,${new Date(Date.UTC(2025, 0, 6, 0, h * 30)).toISOString()},2.5`);
  const [job] = await importFiles(c, [writeTemp('gas.csv', rows.join('\n') + '\n')]);
  expect(job!.status).toBe('done');
  return '7000001';
}

describe('register.import: problems by line and column, and nothing written', () => {
  it('reports every kind of problem with its line, column and a message saying what was expected', async () => {
    const c = await core();
    const gas = await gasMeterWithReadings(c);
    const m = (i: number) => mpan(120005000100 + i);
    const file = [
      HEADER,
      line({ site: 'S2', meter: badCheck(m(2)) }),
      line({ site: 'S3', meter: '12345' }),
      line({ site: 'S4', postcode: 'BA1 7U' }),
      line({ site: 'S5', latitude: '40.1', longitude: '-2.36' }),
      line({ site: 'S6', latitude: '-2.36', longitude: '51.38' }),
      line({ site: 'S7', floorArea: '0' }),
      line({ site: 'S8', openingHours: 'mon-fri 9-5' }),
      line({ site: 'S9', meter: m(9), fuel: 'water' }),
      line({ site: 'S10', meter: m(10), capacityKva: '-5' }),
      line({ site: 'S11', meter: m(11), tariff: 'Nope Tariff' }),
      line({ site: 'S12', meter: m(12), tariff: 'acme-gas-2025' }),
      line({ site: 'S13', meter: m(13), tariff: 'acme-flat-2025', tariffFrom: '31/02/2025' }),
      line({ site: 'S14', meter: m(14), tariffFrom: '01/04/2025' }),
      line({ site: 'S15', label: 'Main' }),
      line({ meter: m(16), address: '1 Mill Lane' }),
      line({ site: 'S17', meter: m(17), label: 'One' }),
      line({ site: 'S17', meter: m(17), label: 'Two' }),
      line({ site: 'S19', postcode: 'BA1 1AA' }),
      line({ site: 's19 ', postcode: 'BA2 2BB' }),
      line({ site: 'S21', address: '1 Mill Lane' }),
      line({ site: 'S21', address: '2 Mill Lane' }),
      line({ site: 'S23', meter: m(23), fuel: 'gas' }),
      line({ site: 'S24', meter: gas, fuel: 'electricity' }),
      line({ site: 'S25', meter: '1.20005E+12' }),
      line({ site: 'S26', latitude: '51.38' }),
      line({ site: 'S27', meter: 'HH-ABC-9' }),
      line({ site: 'X'.repeat(121) }),
      line({ site: 'S29', meter: m(29), label: 'Fine' }),
      'S30,"never closed',
    ].join('\n');
    const before = JSON.stringify(snapshot(c));
    const r = await importRegister(c, file);
    const at = (l: number) => r.errors.filter((e) => e.line === l).map((e) => [e.column, e.message]);
    expect(at(2)).toEqual([
      ['meter', expect.stringMatching(/^MPAN \d{13} fails its check digit \(expected \d as the last digit\)$/)],
    ]);
    expect(at(3)).toEqual([
      [
        'meter',
        '"12345" is not an MPAN (13 digits, or 21 with its top line) or an MPRN (6 to 10 digits): it has 5 digits',
      ],
    ]);
    expect(at(4)).toEqual([['postcode', '"BA1 7U" is not a UK postcode: expected e.g. BA1 7UB']]);
    expect(at(5)).toEqual([['latitude', 'The latitude 40.1 is outside the UK: expected 49 to 61, e.g. 51.38']]);
    expect(at(6)).toEqual([
      ['latitude', 'The latitude -2.36 is outside the UK (49 to 61): are latitude and longitude swapped?'],
    ]);
    expect(at(7)).toEqual([['floorArea', '"0" is not a floor area: expected square metres above 0, e.g. 2400']]);
    expect(at(8)).toEqual([['openingHours', '"9" is not a time: use 24-hour HH:MM, e.g. 08:00']]);
    expect(at(9)).toEqual([['fuel', '"water" is not a fuel: expected electricity or gas']]);
    expect(at(10)).toEqual([
      ['capacityKva', '"-5" is not a capacity: expected kVA above 0 (up to 1,000,000), e.g. 200'],
    ]);
    expect(at(11)).toEqual([
      ['tariff', 'No tariff "Nope Tariff": add it on the Tariffs page first, or give the id of one there'],
    ]);
    expect(at(12)).toEqual([['tariff', `The tariff "acme-gas-2025" is for gas and meter ${m(12)} is electricity`]]);
    expect(at(13)).toEqual([
      ['tariffFrom', '"31/02/2025" is not a date: expected DD/MM/YYYY or YYYY-MM-DD, e.g. 01/04/2024'],
    ]);
    expect(at(14)).toEqual([['tariffFrom', 'A tariff start date needs a tariff on the same line']]);
    expect(at(15)).toEqual([['label', 'A label needs a meter on the same line']]);
    expect(at(16)).toEqual([['address', 'An address needs a site name on the same line']]);
    expect(at(17)).toEqual([]);
    expect(at(18)).toEqual([['label', `Meter ${m(17)} has the label "One" on line 17; this line gives "Two"`]]);
    expect(at(20)).toEqual([
      ['postcode', 'Site "S19" has the postcode "BA1 1AA" on line 19; this line gives "BA2 2BB"'],
    ]);
    expect(at(22)).toEqual([
      ['address', 'Site "S21" has the address "1 Mill Lane" on line 21; this line gives "2 Mill Lane"'],
    ]);
    expect(at(23)).toEqual([
      ['fuel', `${m(23)} is an MPAN, the number of an electricity meter: a gas meter is named by its MPRN`],
    ]);
    expect(at(24)).toEqual([
      [
        'fuel',
        `Meter ${gas} has readings as gas: its fuel cannot change to electricity (check the line, or remove the meter's readings first)`,
      ],
    ]);
    expect(at(25)).toEqual([
      [
        'meter',
        'The meter "1.20005E+12" was turned into a number by a spreadsheet and lost its digits: format the column as text and type the MPAN or MPRN again',
      ],
    ]);
    expect(at(26)).toEqual([['latitude', "A site's location needs its longitude too: give both, or neither"]]);
    expect(at(27)).toEqual([
      [
        'fuel',
        'Give the fuel (electricity or gas) of meter HH-ABC-9: its id is neither an MPAN nor an MPRN, so it does not say',
      ],
    ]);
    expect(at(28)).toEqual([['site', 'A site name is at most 120 characters']]);
    expect(at(29)).toEqual([]);
    expect(at(30)).toEqual([
      [null, 'A quoted field opened in column 2 is never closed on this line; the row was not read'],
    ]);
    expect(r.errors.map((e) => e.line)).toEqual([
      2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 18, 20, 22, 23, 24, 25, 26, 27, 28, 30,
    ]);
    for (const e of r.errors) expect(e.message).toMatch(/^[A-Z0-9"]/);
    // all or nothing: the good lines (29 among them) were not written either
    expect(JSON.stringify(snapshot(c))).toBe(before);
    expect(r.dryRun).toBe(false);
  });
  it('says what is wrong with opening hours in one sentence, with one pair of brackets at most', async () => {
    const c = await core();
    const r = await importRegister(
      c,
      [HEADER, line({ site: 'A', openingHours: 'mon-fri' }), line({ site: 'B', openingHours: 'mon 18:00-08:00' })].join(
        '\n',
      ),
    );
    expect(r.errors).toEqual([
      {
        line: 2,
        column: 'openingHours',
        message: '"mon-fri" needs days and times, e.g. "mon-fri 08:00-18:00", with ";" between groups',
      },
      {
        line: 3,
        column: 'openingHours',
        message:
          'The range 18:00-08:00 must end after it starts: a site open overnight is two ranges, e.g. "mon 22:00-24:00; tue 00:00-06:00"',
      },
    ]);
    for (const e of r.errors) expect(e.message.match(/\(/g)?.length ?? 0).toBeLessThanOrEqual(1);
  });
});

describe('register.import: an electricity and a gas meter column, one line per site', () => {
  it("makes each meter cell a meter of the line's site, with its fuel's details or else the line's", async () => {
    const c = await core();
    const [e1, e2, e3] = [mpan(120005000201), mpan(120005000202), mpan(120005000203)];
    const file = [
      'Site,Postcode,Elec MPAN,Gas MPRN,Supplier,Gas supplier,Elec serial,Gas meter serial,Agreed capacity,Tariff,Fuel',
      `Town Hall,BA1 1AA,${e1},7000101,Acme,GasCo,E-1,G-1,200,acme-flat-2025,`,
      `Library,BA2 2BB,${e2},,Acme,,,,,,electricity`,
      'Depot,BA3 3CC,,7000202,Acme,,,,,,',
      `Pool,BA4 4DD,${e3},7000303,Acme,,,,90,acme-gas-2025,`,
    ].join('\r\n');
    const r = await importRegister(c, file);
    expect(r.errors).toEqual([]);
    expect(r).toMatchObject({ sitesCreated: 4, metersCreated: 6 });
    const row = (
      identifier: string,
      fuel: string,
      site: string,
      supplier: string,
      capacity: number | null,
      serial: string | null,
    ) => expect.objectContaining({ identifier, fuel, site, supplier, capacity_kva: capacity, serial });
    expect(metersOf(c)).toEqual([
      row(e1, 'electricity', 'Town Hall', 'Acme', 200, 'E-1'),
      row(e2, 'electricity', 'Library', 'Acme', null, null),
      row(e3, 'electricity', 'Pool', 'Acme', 90, null),
      row('7000101', 'gas', 'Town Hall', 'GasCo', null, 'G-1'),
      row('7000202', 'gas', 'Depot', 'Acme', null, null),
      row('7000303', 'gas', 'Pool', 'Acme', null, null),
    ]);
    // a line's tariff goes to the meter of its fuel
    expect(assignmentsOf(c).map((a) => [a.identifier, a.tariff])).toEqual([
      [e1, 'acme-flat-2025'],
      ['7000303', 'acme-gas-2025'],
    ]);
    // export still writes one meter per line
    const e = await callAsAdmin<RegisterExport>(c, 'register.export', {});
    expect(e.content.trim().split('\r\n')).toHaveLength(1 + 6);
  });

  it("refuses a line's own tariff that fits none of its meters, rather than dropping it", async () => {
    const c = await core();
    const before = JSON.stringify(snapshot(c));
    const r = await importRegister(
      c,
      [
        'Site,Elec MPAN,Gas MPRN,Tariff,Gas tariff',
        `Market,${mpan(120005000204)},7000404,acme-gas-2025,acme-gas-2025`,
      ].join('\n'),
    );
    expect(r.errors).toEqual([
      {
        line: 2,
        column: 'Tariff',
        message:
          'The tariff "acme-gas-2025" (a gas tariff) is taken by no meter on this line: give it to a gas meter in a ' +
          'column that names the fuel (e.g. "Gas tariff"), or leave the cell blank',
      },
    ]);
    // nothing was created, and the counts say so (the lines' site and meters are listed as asked for)
    expect([r.sitesCreated, r.sitesUpdated, r.metersCreated, r.metersUpdated]).toEqual([0, 0, 0, 0]);
    expect(r.changes.filter((ch) => ch.action === 'create').length).toBeGreaterThan(0);
    expect(JSON.stringify(snapshot(c))).toBe(before);
  });

  it('reads other spellings and reports each problem in the column that holds it', async () => {
    const c = await core();
    const good = mpan(120005000301);
    const file = [
      'Site,Electricity MPAN,Gas meter point,Electricity supplier,Fuel',
      `A,${badCheck(good)},7000404,,`,
      `B,7000505,${good},,`,
      `C,${mpan(120005000303)},,${'x'.repeat(121)},`,
      `D,${mpan(120005000302)},,,gas`,
      `E,,,Acme,`,
    ].join('\n');
    const before = JSON.stringify(snapshot(c));
    const r = await importRegister(c, file);
    expect(r.errors).toEqual([
      {
        line: 2,
        column: 'Electricity MPAN',
        message: expect.stringMatching(/^MPAN \d{13} fails its check digit \(expected \d as the last digit\)$/),
      },
      {
        line: 3,
        column: 'Electricity MPAN',
        message:
          '7000505 has the shape of an MPRN (6 to 10 digits), the number of a gas meter: an electricity meter is named by its 13-digit MPAN',
      },
      {
        line: 3,
        column: 'Gas meter point',
        message: `${good} is an MPAN, the number of an electricity meter: a gas meter is named by its MPRN`,
      },
      { line: 4, column: 'Electricity supplier', message: "A supplier's name is at most 120 characters" },
      {
        line: 5,
        column: 'Fuel',
        message: 'The fuel "gas" does not match the column "Electricity MPAN", which holds electricity meters',
      },
      { line: 6, column: 'Electricity supplier', message: '"Electricity supplier" needs a meter on the same line' },
    ]);
    expect(JSON.stringify(snapshot(c))).toBe(before);
  });
});

describe('register.import: the header', () => {
  it('refuses a column given twice and a file with no site or meter column, at line 1', async () => {
    const c = await core();
    const before = JSON.stringify(snapshot(c));
    const twice = await importRegister(c, `Site,MPAN,MPRN,Site name,postcode,Post Code\nA,${mpan(1)},,,,\n`);
    expect(twice.errors).toEqual([
      { line: 1, column: 'Site name', message: '"Site" and "Site name" are the same column (site): keep one of them' },
      {
        line: 1,
        column: 'Post Code',
        message: 'The column "Post Code" appears twice (columns 5 and 6): keep one of them',
      },
    ]);
    const none = await importRegister(c, 'Name,Reference\nTown Hall,42\n');
    expect(none.errors).toEqual([
      {
        line: 1,
        column: null,
        message: expect.stringMatching(
          /^No site or meter column found: the first line should name the columns, e\.g\. site,address/,
        ),
      },
    ]);
    expect(JSON.stringify(snapshot(c))).toBe(before);
  });

  it('refuses a register with a header and no rows, writing nothing', async () => {
    const c = await core();
    const before = JSON.stringify(snapshot(c));
    for (const file of ['site,postcode,meter\r\n', 'Council register\n\nsite,meter\n,\n,\n']) {
      const r = await importRegister(c, file);
      expect(r).toMatchObject({ sitesCreated: 0, sitesUpdated: 0, metersCreated: 0, metersUpdated: 0 });
      expect(r.errors).toEqual([
        {
          line: file.startsWith('site') ? 1 : 3,
          column: null,
          message: 'The register has no sites or meters below its header',
        },
      ]);
    }
    expect(JSON.stringify(snapshot(c))).toBe(before);
  });

  it('refuses a half-hourly meter file picked as a register instead of making sites of its rows', async () => {
    const c = await core();
    const banes = fs.readFileSync(path.join('tests', 'fixtures', 'public', 'wide-hh-banes-energysparks.csv'), 'utf8');
    const r = await importRegister(c, banes);
    expect(r.errors).toEqual([
      {
        line: 1,
        column: null,
        message: expect.stringMatching(
          /^This looks like a file of half-hourly meter readings \(48 half-hour columns\), not a register: import it/,
        ),
      },
    ]);
    const numbered = ['MPAN,Date', ...Array.from({ length: 48 }, (_, i) => `kWh_${i + 1}`)].join(',');
    const sheffield = await importRegister(c, `${numbered}\n${mpan(1)},01/01/2025${',1'.repeat(48)}\n`);
    expect(sheffield.errors.map((e) => e.message)).toEqual([expect.stringMatching(/^This looks like a file of/)]);
    expect(sitesOf(c)).toEqual([]);
  });

  it('skips title lines above the header and counts lines as the file does', async () => {
    const c = await core();
    const r = await importRegister(
      c,
      'Council register\r\nExported 01/06/2025\r\n\r\nSite,Postcode\r\nA,BA1 1AA\r\nB,nope\r\n',
    );
    expect(r.errors).toEqual([
      { line: 6, column: 'Postcode', message: '"nope" is not a UK postcode: expected e.g. BA1 7UB' },
    ]);
  });

  it('refuses what is not a register with a clear error, writing nothing', async () => {
    const c = await core();
    const call = (bytes: Buffer, fileName: string) =>
      dispatch(
        c.handlers,
        'register.import',
        { content: bytes.toString('base64'), fileName },
        { role: 'admin', actor: 't' },
      );
    const empty = await call(Buffer.alloc(0), 'empty.csv');
    expect(empty).toEqual({ ok: false, error: { code: 'BAD_INPUT', message: 'empty.csv is empty' } });
    const xls = await call(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 1, 2, 3, 4]), 'old.xls');
    expect(xls).toEqual({
      ok: false,
      error: {
        code: 'BAD_INPUT',
        message: 'old.xls is an old Excel (.xls) workbook: save it as .xlsx or CSV and import it again',
      },
    });
    const zip = await call(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0]), 'broken.xlsx');
    expect(zip).toMatchObject({
      ok: false,
      error: {
        code: 'BAD_INPUT',
        message: expect.stringMatching(/^broken\.xlsx could not be read as an Excel workbook/),
      },
    });
    const neither = await dispatch(c.handlers, 'register.import', { dryRun: true }, { role: 'admin', actor: 't' });
    expect(neither).toMatchObject({ ok: false, error: { code: 'INVALID_ARGS' } });
    expect(sitesOf(c)).toEqual([]);
  });
});

describe('register.import: updates, dry runs and tariffs', () => {
  const initial = (m: (i: number) => string) =>
    [
      HEADER,
      line({ site: 'School A', postcode: 'BA1 1AA', meter: m(1), label: 'Main', supplier: 'Acme' }),
      line({ site: 'School A', meter: m(2), label: 'Kitchen' }),
      line({ site: 'School B', meter: m(3), label: 'Boiler house', capacityKva: '60' }),
      line({ site: 'School C', meter: m(4) }),
    ].join('\n');
  const update = (m: (i: number) => string) =>
    [
      HEADER,
      line({ site: 'School A', postcode: 'ba1 2bb', floorArea: '1850', meter: m(1), label: 'Main incomer' }),
      line({ site: 'school b', meter: m(2), label: 'Kitchen' }),
      line({ site: 'School B', meter: m(3), label: 'Boiler house', capacityKva: '60' }),
      line({ site: 'School C', meter: m(4), tariff: 'Acme Business Fixed', tariffFrom: '01/04/2025' }),
      line({ site: 'School C', meter: m(5), label: 'New PV' }),
    ].join('\n');

  it('lists each change with its value before and after; the same file again changes nothing', async () => {
    const c = await core();
    const m = (i: number) => mpan(120005000200 + i);
    expect((await importRegister(c, initial(m))).errors).toEqual([]);
    const preview = await importRegister(c, update(m), { dryRun: true });
    const before = JSON.stringify(snapshot(c));
    const r = await importRegister(c, update(m));
    expect({ ...preview, dryRun: false }).toEqual(r);
    expect(JSON.stringify(snapshot(c))).not.toBe(before);
    expect([r.sitesCreated, r.sitesUpdated, r.metersCreated, r.metersUpdated]).toEqual([0, 1, 1, 3]);
    expect(r.changes).toEqual([
      {
        line: 2,
        entity: 'site',
        key: 'School A',
        action: 'update',
        fields: [
          { field: 'postcode', from: 'BA1 1AA', to: 'BA1 2BB' },
          { field: 'floorArea', from: null, to: '1850' },
        ],
      },
      {
        line: 2,
        entity: 'meter',
        key: m(1),
        action: 'update',
        fields: [{ field: 'label', from: 'Main', to: 'Main incomer' }],
      },
      { line: 3, entity: 'site', key: 'School B', action: 'unchanged', fields: [] },
      {
        line: 3,
        entity: 'meter',
        key: m(2),
        action: 'update',
        fields: [{ field: 'site', from: 'School A', to: 'School B' }],
      },
      { line: 4, entity: 'meter', key: m(3), action: 'unchanged', fields: [] },
      { line: 5, entity: 'site', key: 'School C', action: 'unchanged', fields: [] },
      {
        line: 5,
        entity: 'meter',
        key: m(4),
        action: 'update',
        fields: [{ field: 'tariff', from: null, to: 'acme-flat-2025 from 2025-04-01' }],
      },
      {
        line: 6,
        entity: 'meter',
        key: m(5),
        action: 'create',
        fields: [
          { field: 'fuel', from: null, to: 'electricity' },
          { field: 'site', from: null, to: 'School C' },
          { field: 'label', from: null, to: 'New PV' },
        ],
      },
    ]);
    expect(sitesOf(c).map((s) => s.name)).toEqual(['School A', 'School B', 'School C']);
    expect(metersOf(c).map((x) => [x.identifier, x.site, x.label])).toEqual([
      [m(1), 'School A', 'Main incomer'],
      [m(2), 'School B', 'Kitchen'],
      [m(3), 'School B', 'Boiler house'],
      [m(4), 'School C', null],
      [m(5), 'School C', 'New PV'],
    ]);
    // a blank cell leaves the stored value: m(1)'s supplier stays
    expect(metersOf(c)[0]!.supplier).toBe('Acme');
    expect(assignmentsOf(c)).toEqual([{ identifier: m(4), tariff: 'acme-flat-2025', fromDay: dayOf('2025-04-01') }]);

    const again = await importRegister(c, update(m));
    expect([again.sitesCreated, again.sitesUpdated, again.metersCreated, again.metersUpdated]).toEqual([0, 0, 0, 0]);
    expect(again.changes.every((x) => x.action === 'unchanged' && x.fields.length === 0)).toBe(true);
  });

  it('puts a meter on a tariff from its first stored day, then a new tariff from today; the same again is unchanged', async () => {
    const c = await core();
    await callAsAdmin(c, 'tariffs.save', {
      tariff: flatTariff({ id: 'acme-night-2025', name: 'Acme Night Saver', rates: [{ pencePerKwh: 20 }] }),
    });
    const m = mpan(120005000301);
    const rows = ['MPAN,Timestamp,kWh'];
    for (let h = 0; h < 96; h++) rows.push(`${m},${new Date(Date.UTC(2025, 1, 3, 0, h * 30)).toISOString()},1.25`);
    await importFiles(c, [writeTemp('hh.csv', rows.join('\n') + '\n')]);
    const first = await importRegister(c, [HEADER, line({ meter: m, tariff: 'acme-flat-2025' })].join('\n'));
    expect(first.changes[0]!.fields).toEqual([{ field: 'tariff', from: null, to: 'acme-flat-2025 from 2025-02-03' }]);
    const same = await importRegister(c, [HEADER, line({ meter: m, tariff: 'ACME BUSINESS FIXED' })].join('\n'));
    expect(same.changes[0]).toMatchObject({ action: 'unchanged', fields: [] });
    const next = await importRegister(c, [HEADER, line({ meter: m, tariff: 'Acme Night Saver' })].join('\n'));
    expect(next.changes[0]!.fields).toEqual([
      { field: 'tariff', from: 'acme-flat-2025 from 2025-02-03', to: 'acme-night-2025 from 2025-06-15' },
    ]);
    expect(assignmentsOf(c)).toEqual([
      { identifier: m, tariff: 'acme-flat-2025', fromDay: dayOf('2025-02-03') },
      { identifier: m, tariff: 'acme-night-2025', fromDay: dayOf('2025-06-15') },
    ]);
  });

  it('takes a register uploaded with files.upload, previews it, imports it and lets the upload go', async () => {
    const c = await core();
    const { Readable } = await import('node:stream');
    const text = [HEADER, line({ site: 'Guildhall', postcode: 'BA1 5AW', meter: mpan(120005000401) })].join('\n');
    const stored = await c.files.store('register.csv', Readable.from([Buffer.from(text)]));
    const preview = await callAsAdmin<RegisterImportResult>(c, 'register.import', {
      fileId: stored.fileId,
      dryRun: true,
    });
    expect([preview.sitesCreated, preview.metersCreated, sitesOf(c).length]).toEqual([1, 1, 0]);
    const done = await callAsAdmin<RegisterImportResult>(c, 'register.import', { fileId: stored.fileId });
    expect([done.sitesCreated, done.metersCreated, sitesOf(c).length]).toEqual([1, 1, 1]);
    expect(c.files.get(stored.fileId)).toBeUndefined();
    const gone = await dispatch(
      c.handlers,
      'register.import',
      { fileId: stored.fileId },
      { role: 'admin', actor: 't' },
    );
    expect(gone).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND', message: expect.stringMatching(/choose the file again$/) },
    });
  });

  it('is for managers: a viewer may export and see suggestions but not import', async () => {
    const c = await core();
    const viewer = { role: 'viewer' as const, actor: 'v' };
    const imp = await dispatch(c.handlers, 'register.import', { content: 'YQ==', dryRun: true }, viewer);
    expect(imp).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await dispatch(c.handlers, 'register.export', {}, viewer)).toMatchObject({ ok: true });
    expect(await dispatch(c.handlers, 'sites.suggestions', {}, viewer)).toEqual({ ok: true, value: [] });
  });
});

describe('register.import: XLSX', () => {
  it('reads the sheet named like "register", below its title rows, with numbers and dates as Excel keeps them', async () => {
    const c = await core();
    const m1 = mpan(120005000501);
    const header = [
      'Site name',
      'Post code',
      'Latitude',
      'Longitude',
      'MPAN / MPRN',
      'Fuel',
      'kVA',
      'Tariff',
      'Tariff start',
    ];
    const rows = (postcode: string) => [
      [{ value: 'Portfolio register 2025', type: String }],
      [],
      header.map((h) => ({ value: h, type: String })),
      [
        'Guildhall',
        postcode,
        51.3813,
        -2.3591,
        Number(m1),
        'Electricity',
        250,
        'acme-flat-2025',
        { value: new Date(Date.UTC(2025, 3, 1)), format: 'dd/mm/yyyy' },
      ],
      ['Guildhall', null, null, null, 7000042, null, null, null, null],
      ['Pump Room', 'BA1 1LZ', null, null, null, null, null, null, null],
    ];
    const workbook = (postcode: string) =>
      writeExcelFile([
        { sheet: 'Notes', data: [[{ value: 'Read me', type: String }]] },
        { sheet: 'Meter Register', data: rows(postcode) as never },
      ]).toBuffer();
    const bad = await importRegister(c, await workbook('BA1 5A'), { fileName: 'register.xlsx' });
    expect(bad.errors).toEqual([
      { line: 4, column: 'Post code', message: '"BA1 5A" is not a UK postcode: expected e.g. BA1 7UB' },
    ]);
    expect(sitesOf(c)).toEqual([]);
    const good = await importRegister(c, await workbook('ba1 5aw'), { fileName: 'register.xlsx' });
    expect(good.errors).toEqual([]);
    expect([good.sitesCreated, good.metersCreated]).toEqual([2, 2]);
    expect(sitesOf(c).map((s) => [s.name, s.postcode, s.latitude])).toEqual([
      ['Guildhall', 'BA1 5AW', 51.3813],
      ['Pump Room', 'BA1 1LZ', null],
    ]);
    expect(metersOf(c).map((x) => [x.identifier, x.fuel, x.site, x.capacity_kva])).toEqual([
      [m1, 'electricity', 'Guildhall', 250],
      ['7000042', 'gas', 'Guildhall', null],
    ]);
    expect(assignmentsOf(c)).toEqual([{ identifier: m1, tariff: 'acme-flat-2025', fromDay: dayOf('2025-04-01') }]);
  });
});

describe('register.export', () => {
  /** A portfolio with every column used: opening hours, a formula-like label, tariffs from a date. */
  async function source(): Promise<{ c: Core; sites: number; meters: number }> {
    const c = await core();
    const p = portfolio(8);
    const extra = [
      [
        'Leisure Centre',
        '1 Pool Road',
        '',
        'BA2 4QJ',
        '',
        '',
        '',
        mpan(120005000601),
        'electricity',
        '=HYPERLINK("http://x")',
        '-',
        '',
        'acme-flat-2025',
        '2025-03-01',
        '',
      ],
    ];
    expect((await importRegister(c, csv([p.header, ...p.lines, ...extra]))).errors).toEqual([]);
    const hours =
      'Site,Opening hours\nSchool 3,"mon-fri 07:00-19:00; sat 09:00-13:00"\nLeisure Centre,daily 06:00-22:00\n';
    expect((await importRegister(c, hours)).errors).toEqual([]);
    return { c, sites: p.sites.size + 1, meters: p.meters.size + 1 };
  }

  it('writes CSV with a BOM, CRLF, the import columns, numbers as numbers and formula-like text made inert', async () => {
    const { c, sites, meters } = await source();
    const e = await callAsAdmin<RegisterExport>(c, 'register.export', {});
    expect(e).toMatchObject({ fileName: 'register-2025-06-15.csv', encoding: 'utf8', sites, meters });
    expect(e.content.startsWith(`\uFEFF${HEADER}\r\n`)).toBe(true);
    expect(e.content.endsWith('\r\n')).toBe(true);
    expect(e.content.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    const lines = e.content.slice(1).split('\r\n').slice(1, -1);
    // a line per meter, and one per site without meters (Depot and Library)
    expect(lines.length).toBe(meters + 2);
    const leisure = lines.find((l) => l.startsWith('Leisure Centre,'))!;
    expect(leisure).toBe(
      `Leisure Centre,1 Pool Road,BA2 4QJ,,,,mon-sun 06:00-22:00,${mpan(120005000601)},electricity,"'=HYPERLINK(""http://x"")",'-,,acme-flat-2025,2025-03-01,`,
    );
    expect(lines.find((l) => l.startsWith('School 3,'))).toMatch(
      /^School 3,3 High Street,BA4 3AB,51\.38,-2\.36,1003,"mon-fri 07:00-19:00; sat 09:00-13:00",\d{13},/,
    );
  });

  for (const format of ['csv', 'xlsx'] as const)
    it(`round trip (${format}): an export imported into an empty portfolio gives the same sites, meters and tariffs`, async () => {
      const { c: a } = await source();
      const e = await callAsAdmin<RegisterExport>(a, 'register.export', { format });
      const b = await core();
      const bytes = Buffer.from(e.content, e.encoding === 'base64' ? 'base64' : 'utf8');
      const r = await importRegister(b, bytes, { fileName: e.fileName });
      expect(r.errors).toEqual([]);
      expect([r.sitesCreated, r.metersCreated]).toEqual([e.sites, e.meters]);
      expect(sitesOf(b)).toEqual(sitesOf(a));
      expect(metersOf(b)).toEqual(metersOf(a).map((m) => ({ ...m, mpan_top_line: null })));
      expect(assignmentsOf(b)).toEqual(assignmentsOf(a));
      const again = await callAsAdmin<RegisterExport>(b, 'register.export', { format: 'csv' });
      expect(again.content).toBe((await callAsAdmin<RegisterExport>(a, 'register.export', { format: 'csv' })).content);
    });
});
