/**
 * Every supported layout, from real public files where they exist and from small files written
 * here for the cases they lack (clock-change days, units, encodings). Totals are checked against
 * the files' own totals or an independent sum.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../app';
import { FIXTURES, importFiles, makeCore, writeTemp } from '../../../tests/helpers/core';

const PUB = path.join(FIXTURES, 'public');
let core: Core;
afterEach(async () => {
  await core?.stop();
});

const total = (mpan: string, from = '2000-01-01T00:00:00Z', to = '2100-01-01T00:00:00Z'): number =>
  Math.round(core.meters.readings(mpan, from, to).reduce((s, r) => s + (r.kwh ?? 0), 0) * 1000) / 1000;

describe('real public files', () => {
  it("BANES wide export (end-labelled [00:30]…[24:00], quoted, `Nov 13 2019 12:00AM`): totals equal the file's Total Units", async () => {
    core = await makeCore();
    const [job] = await importFiles(core, [path.join(PUB, 'wide-hh-banes-energysparks.csv')]);
    expect(job).toMatchObject({
      status: 'done',
      format: 'wide-end-times',
      rowsRead: 5,
      readingsImported: 240,
      rowsRejected: 0,
    });
    expect(total('2200012767323')).toBe(226.103);
    expect(total('2200040922992')).toBe(376.7);
    const first = core.meters.readings('2200012767323', '2019-11-13T00:00:00Z', '2019-11-13T01:00:00Z');
    expect(first).toEqual([
      { start: '2019-11-13T00:00:00Z', kwh: 0.969, quality: 'actual' },
      { start: '2019-11-13T00:30:00Z', kwh: 1.162, quality: 'actual' },
    ]);
  });

  it('Sheffield wide export (kWh_1…kWh_48 beside empty kVArh columns)', async () => {
    core = await makeCore();
    const [job] = await importFiles(core, [path.join(PUB, 'wide-hh-sheffield-energysparks.csv')]);
    expect(job).toMatchObject({ status: 'done', format: 'wide-periods', readingsImported: 96, rowsRejected: 0 });
    const day = core.meters.readings('2336533093112', '2019-12-10T00:00:00Z', '2019-12-11T00:00:00Z');
    expect(day).toHaveLength(48);
    expect(day[0]).toEqual({ start: '2019-12-10T00:00:00Z', kwh: 6.25, quality: 'actual' });
  });

  it('IMServ row-per-day (start-labelled 00:00…23:30, DD/MM/YY, a meter serial as id)', async () => {
    core = await makeCore();
    const [job] = await importFiles(core, [path.join(PUB, 'wide-hh-imserv-row-per-day-energysparks.csv')]);
    expect(job).toMatchObject({
      status: 'done',
      format: 'wide-start-times',
      readingsImported: 48,
      metersCreated: ['K0229111D6'],
    });
    expect(core.meters.readings('K0229111D6', '2018-11-12T00:00:00Z', '2018-11-12T00:30:00Z')).toEqual([
      { start: '2018-11-12T00:00:00Z', kwh: 9.9, quality: 'actual' },
    ]);
  });

  it('Highlands row-per-reading (`sep=,`, ReadDatetime marks interval ends, 04 Nov 2019 00:30:00)', async () => {
    core = await makeCore();
    const [job] = await importFiles(core, [path.join(PUB, 'row-per-reading-highlands-energysparks.csv')]);
    expect(job).toMatchObject({ status: 'done', format: 'long', readingsImported: 48 });
    const rows = core.meters.readings('1712423842469', '2019-11-04T00:00:00Z', '2019-11-05T00:00:00Z');
    expect(rows).toHaveLength(48);
    expect(rows[0]).toEqual({ start: '2019-11-04T00:00:00Z', kwh: 1.9, quality: 'actual' });
  });

  it('Octopus consumption API JSON (newest first, +01:00 offsets; meter from the next URL)', async () => {
    core = await makeCore();
    const [job] = await importFiles(core, [path.join(PUB, 'octopus-consumption-electricity-2020-05.json')]);
    expect(job).toMatchObject({
      status: 'done',
      format: 'octopus-json',
      readingsImported: 99,
      metersCreated: ['2700003645222'],
    });
    // "2020-05-08T00:00:00+01:00" → 2020-05-07T23:00Z, 1.836 kWh
    expect(core.meters.readings('2700003645222', '2020-05-07T23:00:00Z', '2020-05-07T23:30:00Z')).toEqual([
      { start: '2020-05-07T23:00:00Z', kwh: 1.836, quality: 'actual' },
    ]);
    const doc = JSON.parse(fs.readFileSync(path.join(PUB, 'octopus-consumption-electricity-2020-05.json'), 'utf8')) as {
      results: { consumption: number }[];
    };
    expect(total('2700003645222')).toBe(Math.round(doc.results.reduce((s, r) => s + r.consumption, 0) * 1000) / 1000);
  });

  it('n3rgy JSON: the sandbox MPxN fails its check digit; with a meter chosen it imports (UTC interval ends)', async () => {
    core = await makeCore();
    const [bad] = await importFiles(core, [path.join(PUB, 'n3rgy-consumption-halfhour-energysparks.json')]);
    expect(bad!.errors[0]!.message).toMatch(/1234567891000 fails its check digit/);
    expect(bad!.readingsImported).toBe(0);
    const f = await core.files.storePath(path.join(PUB, 'n3rgy-consumption-halfhour-energysparks.json'));
    const { jobIds } = core.imports.enqueue([f.fileId], { meter: '1012477457919' });
    await core.imports.drain();
    const job = core.imports.get(jobIds[0]!);
    expect(job).toMatchObject({ status: 'done', format: 'n3rgy-json', rowsRejected: 0 });
    expect(job.readingsImported).toBeGreaterThan(0);
    // the first value is stamped 2012-04-27 09:00 (an interval end)
    expect(core.meters.readings('1012477457919', '2012-04-27T08:30:00Z', '2012-04-27T09:00:00Z')).toEqual([
      { start: '2012-04-27T08:30:00Z', kwh: 0.214, quality: 'actual' },
    ]);
  });
});

describe('clock-change days in every layout', () => {
  it('wide numbered periods: 46 on the spring day, 50 on the autumn day, period 47+ rejected in spring', async () => {
    core = await makeCore();
    const head = `MPAN,Settlement Date,${Array.from({ length: 50 }, (_, i) => `HH${i + 1}`).join(',')}`;
    const vals = (n: number) => Array.from({ length: 50 }, (_, i) => (i < n ? String(i + 1) : '')).join(',');
    const file = writeTemp(
      'periods.csv',
      [
        head,
        `1012477457919,30/03/2025,${vals(46)}`,
        `1012477457919,26/10/2025,${vals(50)}`,
        `1012477457919,29/03/2025,${vals(48)}`,
        `2200012767323,30/03/2025,${vals(47)}`,
      ].join('\n'),
    );
    const [job] = await importFiles(core, [file]);
    expect(job).toMatchObject({ format: 'wide-periods', readingsImported: 46 + 50 + 48 + 46, rowsRejected: 1 });
    expect(job!.errors[0]).toMatchObject({
      line: 5,
      column: 49,
      message: expect.stringMatching(/period 47 does not exist on 30\/03\/2025, which has 46/),
    });
    const spring = core.meters.readings('1012477457919', '2025-03-30T00:00:00Z', '2025-03-31T00:00:00Z');
    // local midnight is 00:00Z (GMT); period 3 starts at 01:00Z = 02:00 BST; the last (46) at 22:30Z = 23:30 BST
    expect(spring.slice(0, 3).map((r) => r.start)).toEqual([
      '2025-03-30T00:00:00Z',
      '2025-03-30T00:30:00Z',
      '2025-03-30T01:00:00Z',
    ]);
    expect(spring.filter((r) => r.start < '2025-03-30T23:00:00Z')).toHaveLength(46);
    const autumn = core.meters.readings('1012477457919', '2025-10-25T23:00:00Z', '2025-10-27T00:00:00Z');
    expect(autumn).toHaveLength(50);
    expect(autumn[0]).toMatchObject({ start: '2025-10-25T23:00:00Z', kwh: 1 });
    expect(autumn[49]).toMatchObject({ start: '2025-10-26T23:30:00Z', kwh: 50 });
  });

  it('wide time-labelled columns: the missing spring hour must be empty, the repeated autumn hour is its first occurrence', async () => {
    core = await makeCore();
    const cols = Array.from(
      { length: 48 },
      (_, i) => `${String(Math.floor(i / 2)).padStart(2, '0')}:${i % 2 ? '30' : '00'}`,
    );
    const row = (date: string, blanks: number[] = []) =>
      `1012477457919,${date},${cols.map((_, i) => (blanks.includes(i) ? '' : '1')).join(',')}`;
    const file = writeTemp(
      'times.csv',
      [
        `MPAN,Date,${cols.join(',')}`,
        row('30/03/2025', [2, 3]),
        row('26/10/2025'),
        `2200012767323,30/03/2025,${cols.map(() => '1').join(',')}`,
      ].join('\n'),
    );
    const [job] = await importFiles(core, [file]);
    expect(job).toMatchObject({ format: 'wide-start-times', readingsImported: 46 + 48 + 46, rowsRejected: 1 });
    expect(job!.errors.map((e) => e.message)).toEqual([
      expect.stringMatching(/01:00 does not exist on 30\/03\/2025/),
      expect.stringMatching(/01:30 does not exist/),
    ]);
    const autumn = core.meters
      .readings('1012477457919', '2025-10-25T23:00:00Z', '2025-10-26T23:59:00Z')
      .map((r) => r.start);
    expect(autumn).toContain('2025-10-26T00:00:00Z'); // 01:00 BST
    expect(autumn).not.toContain('2025-10-26T01:00:00Z'); // 01:00 GMT has no column
    expect(autumn).toHaveLength(48);
  });

  it('settlement-period rows (MPANCore, Sett Date, Sett Period) across both changes', async () => {
    core = await makeCore();
    const lines = ['MPANCore,Sett Date,Sett Period,Type,Meter Read'];
    for (let p = 1; p <= 50; p++) lines.push(`1012477457919,26/10/2025,${p},${p === 7 ? 'E' : 'A'},${p / 10}`);
    for (let p = 1; p <= 46; p++) lines.push(`1012477457919,2025-03-30,${p},A,1`);
    lines.push('1012477457919,2025-03-30,47,A,1');
    const [job] = await importFiles(core, [writeTemp('sett.csv', lines.join('\r\n'))]);
    expect(job).toMatchObject({ format: 'settlement', readingsImported: 96, rowsRejected: 1 });
    expect(job!.errors[0]!.message).toMatch(/not between 1 and 46/);
    const r = core.meters.readings('1012477457919', '2025-10-26T00:00:00Z', '2025-10-26T03:00:00Z');
    expect(r.map((x) => [x.start, x.kwh, x.quality])).toEqual([
      ['2025-10-26T00:00:00Z', 0.3, 'actual'],
      ['2025-10-26T00:30:00Z', 0.4, 'actual'],
      ['2025-10-26T01:00:00Z', 0.5, 'actual'],
      ['2025-10-26T01:30:00Z', 0.6, 'actual'],
      ['2025-10-26T02:00:00Z', 0.7, 'estimated'],
      ['2025-10-26T02:30:00Z', 0.8, 'actual'],
    ]);
  });
});

describe('smart-meter and research formats', () => {
  it('Low Carbon London (padded values, Null as missing, 7 fractional digits, household ids)', async () => {
    core = await makeCore();
    const file = writeTemp(
      'lcl.csv',
      'LCLid,stdorToU,DateTime,KWH/hh (per half hour) \r\nMAC000002,Std,2012-10-12 00:30:00.0000000, 0 \r\nMAC000002,Std,2012-10-12 01:00:00.0000000, 0.125 \r\nMAC000002,Std,2012-10-12 01:30:00.0000000,Null\r\n',
    );
    const [job] = await importFiles(core, [file]);
    expect(job).toMatchObject({ format: 'lcl', readingsImported: 3, rowsRejected: 0, metersCreated: ['MAC000002'] });
    expect(core.meters.readings('MAC000002', '2012-10-11T00:00:00Z', '2012-10-13T00:00:00Z')).toEqual([
      { start: '2012-10-11T23:30:00Z', kwh: 0, quality: 'actual' },
      { start: '2012-10-12T00:00:00Z', kwh: 0.125, quality: 'actual' },
      { start: '2012-10-12T00:30:00Z', kwh: null, quality: 'missing' },
    ]);
  });

  it('Octopus dashboard CSV (no meter column): asks for the meter, then imports with the chosen one', async () => {
    core = await makeCore();
    const csv =
      'Consumption (kwh), Estimated Cost Inc. Tax (p), Standing Charge Inc. Tax (p), Start, End\n0.25, 6.2, 0, 2024-06-01T00:00:00+01:00, 2024-06-01T00:30:00+01:00\n0E-20, 0, 0, 2024-06-01T00:30:00+01:00, 2024-06-01T01:00:00+01:00\n';
    const file = writeTemp('octopus.csv', csv);
    const [asks] = await importFiles(core, [file]);
    expect(asks).toMatchObject({ status: 'failed' });
    expect(asks!.lastError).toMatch(/choose the meter/);
    const f = await core.files.storePath(file);
    core.imports.enqueue([f.fileId], { meter: '1012477457919' });
    await core.imports.drain();
    expect(core.meters.readings('1012477457919', '2024-05-31T00:00:00Z', '2024-06-02T00:00:00Z')).toEqual([
      { start: '2024-05-31T23:00:00Z', kwh: 0.25, quality: 'actual' },
      { start: '2024-05-31T23:30:00Z', kwh: 0, quality: 'actual' },
    ]);
  });

  it('gas in m³ is converted with the calorific value and the volume kept; Wh become kWh', async () => {
    core = await makeCore();
    const gas = writeTemp('gas.csv', 'MPRN,Start,Consumption (m³)\n7654321,2025-01-01T00:00:00Z,100\n');
    await importFiles(core, [gas]);
    const meter = core.sqlite.prepare('SELECT id, fuel FROM meters').get() as { id: number; fuel: string };
    const day = core.readings.readDays(meter.id, 0, 60000, { volumes: true });
    const row = { kwh: day.values[0]!, volume_m3: day.volumes![0]!, fuel: meter.fuel };
    expect(row.volume_m3).toBe(100);
    expect(row.kwh).toBeCloseTo((100 * 1.02264 * 39.5) / 3.6, 9); // 1122.06 kWh
    expect(row.fuel).toBe('gas');
    const wh = writeTemp('wh.csv', 'Meter,Timestamp,Energy (Wh)\n1012477457919,2025-01-01T00:00:00Z,1500\n');
    await importFiles(core, [wh]);
    expect(core.meters.readings('1012477457919', '2025-01-01T00:00:00Z', '2025-01-02T00:00:00Z')[0]!.kwh).toBe(1.5);
  });
});

describe('encodings and hostile input', () => {
  it('reads UTF-16LE with a BOM', async () => {
    core = await makeCore();
    const text =
      '\uFEFFMPAN,Timestamp,kWh\r\n1012477457919,2025-01-01T00:00:00Z,1.25\r\n1012477457919,2025-01-01T00:30:00Z,\r\n';
    const [job] = await importFiles(core, [writeTemp('u16.csv', Buffer.from(text, 'utf16le'))]);
    expect(job).toMatchObject({ status: 'done', readingsImported: 2 });
    expect(
      core.meters.readings('1012477457919', '2025-01-01T00:00:00Z', '2025-01-02T00:00:00Z').map((r) => r.kwh),
    ).toEqual([1.25, null]);
  });

  it('rejects implausible values against the meter ceiling, and truncated rows, without losing good rows', async () => {
    core = await makeCore();
    const file = writeTemp(
      'hostile.csv',
      'MPAN,Timestamp,kWh\n1012477457919,2025-01-01T00:00:00Z,20000\n1012477457919,2025-01-01T00:30:00Z\n1012477457919,2025-01-01T01:00:00Z,1e3\n1012477457919,2025-01-01T01:15:00Z,1\n1012477457919,2025-01-01T01:30',
    );
    const [job] = await importFiles(core, [file]);
    expect(job).toMatchObject({ status: 'done', readingsImported: 1, rowsRejected: 4 });
    expect(job!.errors.map((e) => e.line)).toEqual([2, 3, 5, 6]);
    expect(job!.errors[0]!.message).toMatch(/plausible ceiling of 10000/);
    expect(job!.errors[2]!.message).toMatch(/half-hour/);
  });

  it('fails a file with a line of megabytes, or that is UTF-16 big-endian, with a plain reason', async () => {
    core = await makeCore();
    const huge = writeTemp('huge.csv', 'MPAN,Timestamp,kWh\n' + 'x'.repeat(3 * 1024 * 1024) + '\n');
    const [a] = await importFiles(core, [huge]);
    expect(a!.status).toBe('failed');
    expect(a!.lastError).toMatch(/line longer than/);
    const be = writeTemp('be.csv', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from('\u0000M\u0000P')]));
    const [b] = await importFiles(core, [be]);
    expect(b).toMatchObject({ status: 'failed' });
    expect(b!.lastError).toMatch(/big-endian/);
  });
});
