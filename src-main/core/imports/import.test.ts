import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../app';
import { FIXTURES, importFiles, makeCore, storedReadings, writeTemp } from '../../../tests/helpers/core';

const SAMPLE = path.join(FIXTURES, 'csv', 'long-autumn-with-errors.csv');
let core: Core;
afterEach(async () => {
  await core?.stop();
});

describe('long-format import', () => {
  it('imports good rows, rejects bad ones by line and column, and creates the meters', async () => {
    core = await makeCore();
    const [job] = await importFiles(core, [SAMPLE]);
    expect(job).toMatchObject({
      status: 'done',
      format: 'long',
      rowsRead: 19,
      readingsImported: 14,
      duplicates: 0,
      conflicts: 0,
      rowsRejected: 5,
    });
    expect(job!.metersCreated).toEqual(['1012477457919', '2200012767323']);
    expect(job!.errors.map((e) => [e.line, e.column])).toEqual([
      [16, 1],
      [17, 2],
      [18, 3],
      [19, 3],
      [20, 2],
    ]);
    expect(job!.errors[0]!.message).toMatch(/check digit/);
    expect(job!.errors[4]!.message).toMatch(/does not exist in UK time/);
  });

  it('stores local times as UTC interval starts across the autumn clock change', async () => {
    core = await makeCore();
    await importFiles(core, [SAMPLE]);
    const rows = core.meters.readings('1012477457919', '2025-10-25T00:00:00Z', '2025-10-27T00:00:00Z');
    expect(rows.map((r) => r.start)).toEqual([
      '2025-10-25T21:00:00Z',
      '2025-10-25T21:30:00Z',
      '2025-10-25T22:00:00Z',
      '2025-10-25T22:30:00Z',
      '2025-10-25T23:00:00Z',
      '2025-10-25T23:30:00Z',
      '2025-10-26T00:00:00Z',
      '2025-10-26T00:30:00Z',
      '2025-10-26T01:00:00Z',
      '2025-10-26T01:30:00Z',
      '2025-10-26T02:00:00Z',
      '2025-10-26T02:30:00Z',
    ]);
    expect(rows.map((r) => r.kwh)).toEqual([0.5, 0.6, 0.7, 0.8, 0.9, 1, 1.1, 1.2, 1.3, 1.4, 1.5, 1.6]);
    const other = core.meters.readings('2200012767323', '2025-01-01T00:00:00Z', '2026-01-01T00:00:00Z');
    expect(other).toEqual([
      { start: '2025-10-25T23:00:00Z', kwh: 1.25, quality: 'estimated' },
      { start: '2025-10-25T23:30:00Z', kwh: null, quality: 'missing' },
    ]);
  });

  it('reports every reading as a duplicate on a second import and changes nothing', async () => {
    core = await makeCore();
    await importFiles(core, [SAMPLE]);
    const before = storedReadings(core);
    const [again] = await importFiles(core, [SAMPLE], false, { reimport: true });
    expect(again).toMatchObject({
      status: 'done',
      readingsImported: 0,
      duplicates: 14,
      conflicts: 0,
      rowsRejected: 5,
      metersCreated: [],
    });
    expect(storedReadings(core)).toEqual(before);
  });

  it('reports a changed value as a conflict and keeps the stored value', async () => {
    core = await makeCore();
    await importFiles(core, [writeTemp('a.csv', 'MPAN,Timestamp,kWh\n1012477457919,2025-01-01T00:00:00Z,1.5\n')]);
    const [job] = await importFiles(core, [
      writeTemp('b.csv', 'MPAN,Timestamp,kWh\n1012477457919,2025-01-01T00:00:00Z,2.5\n'),
    ]);
    expect(job).toMatchObject({ readingsImported: 0, duplicates: 0, conflicts: 1 });
    expect(job!.errors[0]!.message).toMatch(/already stored as 1.5 kWh/);
    expect(core.meters.readings('1012477457919', '2025-01-01T00:00:00Z', '2025-01-02T00:00:00Z')[0]!.kwh).toBe(1.5);
  });

  it('dry run parses and previews but writes nothing', async () => {
    core = await makeCore();
    const [job] = await importFiles(core, [SAMPLE], true);
    expect(job).toMatchObject({
      status: 'done',
      dryRun: true,
      readingsImported: 14,
      rowsRejected: 5,
      metersCreated: [],
    });
    expect(job!.preview).toEqual({
      meters: ['1012477457919', '2200012767323'],
      firstReading: '2025-10-25T21:00:00Z',
      lastReading: '2025-10-26T02:30:00Z',
      sites: [],
    });
    expect(storedReadings(core)).toHaveLength(0);
    expect(core.sqlite.prepare('SELECT count(*) FROM meters').pluck().get()).toBe(0);
  });

  it('matches headers loosely, skips a sep= preamble and reads UK dates, BOM, CRLF and quotes (read times are interval ends)', async () => {
    core = await makeCore();
    const file = writeTemp(
      'loose.csv',
      '\uFEFFsep=,\r\n"Meter Code","Read Datetime","Consumption"\r\n"1712423842469","04/11/2019 00:30"," 1.9 "\r\n"1712423842469","04/11/2019 01:00","1.8"\r\n',
    );
    const [job] = await importFiles(core, [file]);
    expect(job).toMatchObject({ status: 'done', readingsImported: 2, rowsRejected: 0 });
    expect(
      core.meters
        .readings('1712423842469', '2019-11-01T00:00:00Z', '2019-12-01T00:00:00Z')
        .map((r) => [r.start, r.kwh]),
    ).toEqual([
      ['2019-11-04T00:00:00Z', 1.9],
      ['2019-11-04T00:30:00Z', 1.8],
    ]);
  });

  it('fails a file it cannot read at all with a plain reason and touches no data', async () => {
    core = await makeCore();
    await importFiles(core, [SAMPLE]);
    const count = storedReadings(core).length;
    const [bin] = await importFiles(core, [
      writeTemp('x.csv', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 1, 2, 3])),
    ]);
    expect(bin).toMatchObject({ status: 'failed' });
    expect(bin!.lastError).toMatch(/binary data/);
    const [nohead] = await importFiles(core, [writeTemp('y.csv', 'hello,world\n1,2\n')]);
    expect(nohead!.lastError).toMatch(/^No header row with a meter column/);
    expect(storedReadings(core)).toHaveLength(count);
  });

  it('names what it expected and a few column names, never quoting a row of the file', async () => {
    core = await makeCore();
    const secret = 'Jo Bloggs,1 Acacia Avenue,BA1 1AA,07700 900123,sort code 12-34-56,account 12345678,notes';
    const [job] = await importFiles(core, [writeTemp('people.csv', `${secret}\n`)]);
    expect(job).toMatchObject({ status: 'failed' });
    const msg = job!.lastError!;
    expect(msg).toMatch(/^No header row with a meter column \(e\.g\. MPAN/);
    expect(msg).toContain('the first row has 7 columns, none named as a meter, timestamp or kWh column');
    for (const held of ['Jo Bloggs', 'Acacia', 'BA1 1AA', '07700', '12-34-56', '12345678'])
      expect(msg).not.toContain(held);
    expect(msg).not.toContain(secret);
    expect(msg).not.toContain('notes');
    const [long] = await importFiles(core, [writeTemp('long.csv', `${'x'.repeat(300)},y\n`)]);
    expect(long!.lastError).not.toContain('xxxx');
    expect(long!.lastError!.length).toBeLessThan(700);
  });

  it('resumes an interrupted job from its last committed chunk with exact counts', async () => {
    // ~3 MB: several 1 MB chunks, so the job is interrupted part-way.
    const lines = ['MPAN,Timestamp,kWh'];
    const t0 = Date.parse('2024-01-01T00:00:00Z') / 1000;
    for (let i = 0; i < 60000; i++)
      lines.push(`1012477457919,${new Date((t0 + i * 1800) * 1000).toISOString()},${(i % 97) / 10}`);
    const file = writeTemp('big.csv', lines.join('\n') + '\n');
    let now = Date.parse('2025-01-01T00:00:00Z');
    core = await makeCore({ clock: { now: () => now } });
    const stored = await core.files.storePath(file);
    const { jobIds } = core.imports.enqueue([stored.fileId]);
    // Interrupt after the first chunk commits: make the next chunk's transaction fail.
    let chunks = 0;
    const realTx = core.sqlite.transaction.bind(core.sqlite);
    (core.sqlite as unknown as { transaction: typeof realTx }).transaction = ((fn: (...a: never[]) => unknown) => {
      const tx = realTx(fn);
      return ((...a: never[]) => {
        if (++chunks === 2) throw new Error('disk I/O error (simulated)');
        return tx(...a);
      }) as never;
    }) as typeof realTx;
    await core.imports.drain();
    const mid = core.imports.get(jobIds[0]!);
    expect(mid.status).toBe('retrying');
    expect(mid.lastError).toMatch(/simulated/);
    expect(mid.bytesDone).toBeGreaterThan(0);
    expect(mid.bytesDone).toBeLessThan(fs.statSync(file).size);
    const committed = storedReadings(core).length;
    expect(committed).toBe(mid.readingsImported);
    now += 60_000; // the first retry is due after one minute
    await core.imports.drain();
    const done = core.imports.get(jobIds[0]!);
    expect(done).toMatchObject({
      status: 'done',
      attempts: 2,
      rowsRead: 60000,
      readingsImported: 60000,
      duplicates: 0,
      rowsRejected: 0,
    });
    const all = storedReadings(core);
    expect([all.length, all.reduce((s, r) => s + (r[2] ?? 0), 0)]).toEqual([
      60000,
      expect.closeTo(
        lines.slice(1).reduce((s, l) => s + Number(l.split(',')[2]), 0),
        6,
      ),
    ]);
  });
});
