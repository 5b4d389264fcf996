/**
 * Import outcomes through the contract, over the in-memory transport and a real HTTP server: a file
 * imported before is refused unless re-import is asked for, two meters that are one can be merged
 * (totals counted once, conflicts reported), and every job is graded the same way for every host
 * (header only, mostly rejected, binary — no retry where it cannot help). Errors carry a code and
 * structured details each host words itself (a meter with no tariff).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Reply } from '../../src-shared/contract/api';
import type {
  AlreadyImported,
  ImportJob,
  MeterMergeResult,
  MeterSummary,
  PeriodTotal,
  Reading,
  StoredFile,
} from '../../src-shared/contract/types';
import type { Core } from '../../src-main/core/app';
import { FIXTURES } from '../helpers/core';
import { economy7 } from '../fixtures/tariffs';
import { TRANSPORTS, contractHost, type TestTransport } from '../helpers/transports';

const OCTOPUS = fs.readFileSync(path.join(FIXTURES, 'public', 'octopus-consumption-electricity-2020-05.json'));
/** The meter the Octopus export names (in its `next` link) when no meter is chosen. */
const OCTOPUS_METER = '2700003645222';
const CHOSEN = '1012477457919';

describe.each(TRANSPORTS)('import outcomes over the %s transport', (_name, make) => {
  let core: Core;
  let t: TestTransport;
  afterEach(async () => {
    await t?.close();
    await core?.stop();
  });

  async function setup(role: 'viewer' | 'manager' | 'admin' = 'admin') {
    ({ core, t } = await contractHost(make, role));
  }

  async function ok<T>(reply: Promise<Reply<unknown>>): Promise<T> {
    const r = await reply;
    if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
    return r.value as T;
  }

  const upload = async (name: string, content: Buffer | string): Promise<string> =>
    (await ok<StoredFile>(t.upload(name, content))).fileId;

  async function runJob(fileId: string, opts: Record<string, unknown> = {}): Promise<ImportJob> {
    const { jobIds } = await ok<{ jobIds: number[] }>(t.invoke('imports.enqueue', { fileIds: [fileId], ...opts }));
    const [job] = await ok<ImportJob[]>(t.invoke('imports.wait', { jobIds }));
    return job!;
  }

  const portfolioKwh = async (): Promise<number> => {
    const byFuel = await ok<{ fuel: string; totals: PeriodTotal[] }[]>(
      t.invoke('totals.site', { siteId: null, period: 'month', from: '2020-05-01', to: '2020-06-01' }),
    );
    return byFuel.flatMap((f) => f.totals).reduce((s, p) => s + p.kwh, 0);
  };

  it('refuses a file already imported with CONFLICT naming the earlier import, unless reimport is asked for', async () => {
    await setup();
    const first = await runJob(await upload('octopus.json', OCTOPUS));
    expect(first).toMatchObject({ status: 'done', readingsImported: 99, metersCreated: [OCTOPUS_METER] });

    const again = await upload('octopus (1).json', OCTOPUS);
    const refused = await t.invoke('imports.enqueue', { fileIds: [again], meter: CHOSEN });
    expect(refused.ok).toBe(false);
    const error = (refused as { ok: false; error: { code: string; message: string; details: AlreadyImported } }).error;
    expect(error.code).toBe('CONFLICT');
    expect(error.message).toMatch(/^octopus \(1\)\.json was already imported on .* into meter 2700003645222/);
    expect(error.details).toMatchObject({
      reason: 'already-imported',
      files: [
        {
          fileId: again,
          file: 'octopus (1).json',
          sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
          earlier: { jobId: first.id, file: 'octopus.json', meters: [OCTOPUS_METER], finishedAt: expect.any(String) },
        },
      ],
    });
    // nothing was queued, no meter made
    expect(await ok<ImportJob[]>(t.invoke('imports.list', {}))).toHaveLength(1);
    expect((await ok<MeterSummary[]>(t.invoke('meters.list', {}))).map((m) => m.mpan)).toEqual([OCTOPUS_METER]);
    // a dry run is never refused: it writes nothing
    expect(await runJob(again, { meter: CHOSEN, dryRun: true })).toMatchObject({ status: 'done', dryRun: true });
    // asked for explicitly, it goes through
    const second = await runJob(again, { meter: CHOSEN, reimport: true });
    expect(second).toMatchObject({ status: 'done', readingsImported: 99, metersCreated: [CHOSEN] });
  });

  it('meters.merge moves one meter into another: totals are no longer double-counted, site and tariffs move, it is audited', async () => {
    await setup();
    const fileId = await upload('octopus.json', OCTOPUS);
    await runJob(fileId);
    await runJob(fileId, { meter: CHOSEN, reimport: true });
    const single = (
      await ok<PeriodTotal[]>(
        t.invoke('totals.list', { meter: OCTOPUS_METER, period: 'month', from: '2020-05-01', to: '2020-06-01' }),
      )
    )[0]!.kwh;
    expect(await portfolioKwh()).toBeCloseTo(2 * single, 9); // the same 99 readings counted twice
    const site = await ok<{ id: number }>(t.invoke('sites.create', { name: 'Town Hall' }));
    await ok(t.invoke('meters.update', { meter: CHOSEN, siteId: site.id, label: 'Main incomer' }));
    await ok(t.invoke('tariffs.save', { tariff: economy7({ validFrom: '2020-01-01' }) }));
    await ok(t.invoke('tariffs.assign', { meter: CHOSEN, tariff: 'acme-e7-2025', from: '2020-05-01' }));

    const merged = await ok<MeterMergeResult>(t.invoke('meters.merge', { from: CHOSEN, into: OCTOPUS_METER }));
    expect(merged).toEqual({
      from: CHOSEN,
      into: OCTOPUS_METER,
      moved: 0,
      duplicates: 99,
      conflictCount: 0,
      conflicts: [],
      carried: ['site', 'label'],
      tariffAssignmentsMoved: 1,
      tariffAssignmentsDropped: 0,
    });
    const meters = await ok<MeterSummary[]>(t.invoke('meters.list', {}));
    expect(meters).toHaveLength(1);
    expect(meters[0]).toMatchObject({ mpan: OCTOPUS_METER, siteId: site.id, label: 'Main incomer', readings: 99 });
    expect(await portfolioKwh()).toBeCloseTo(single, 9);
    expect(
      await ok<{ tariff: string; from: string }[]>(t.invoke('tariffs.assignments', { meter: OCTOPUS_METER })),
    ).toEqual([expect.objectContaining({ tariff: 'acme-e7-2025', from: '2020-05-01' })]);
    const audit = core.sqlite.prepare("SELECT actor, details FROM audit_log WHERE action = 'meters.merge'").all() as {
      actor: string;
      details: string;
    }[];
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0]!.details)).toMatchObject({ from: CHOSEN, into: OCTOPUS_METER, duplicates: 99 });
    // the merged meter is gone
    expect(await t.invoke('meters.merge', { from: CHOSEN, into: OCTOPUS_METER })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
  });

  it('meters.merge reports conflicting half-hours and never overwrites them silently', async () => {
    await setup();
    await runJob(await upload('octopus.json', OCTOPUS));
    const [a, b] = await ok<Reading[]>(
      t.invoke('readings.list', { meter: OCTOPUS_METER, from: '2020-05-04T00:00:00Z', to: '2020-05-08T00:00:00Z' }),
    );
    const other = '2200012767323';
    const csv = `MPAN,Timestamp,kWh\n${other},${a!.start},${a!.kwh}\n${other},${b!.start},${b!.kwh! + 1}\n${other},2020-05-20T00:00:00Z,2\n`;
    await runJob(await upload('other.csv', csv));

    const refused = await t.invoke('meters.merge', { from: other, into: OCTOPUS_METER });
    expect(refused).toMatchObject({
      ok: false,
      error: {
        code: 'CONFLICT',
        details: {
          reason: 'merge-conflicts',
          conflictCount: 1,
          conflicts: [{ start: b!.start, from: b!.kwh! + 1, into: b!.kwh }],
        },
      },
    });
    // refused: no value was kept, so the conflicts do not say one was
    if (!refused.ok) expect((refused.error.details as { conflicts: object[] }).conflicts[0]).not.toHaveProperty('kept');
    expect(await ok<MeterSummary[]>(t.invoke('meters.list', {}))).toHaveLength(2); // nothing changed

    const kept = await ok<MeterMergeResult>(
      t.invoke('meters.merge', { from: other, into: OCTOPUS_METER, onConflict: 'keep' }),
    );
    expect(kept).toMatchObject({ moved: 1, duplicates: 1, conflictCount: 1 });
    expect(kept.conflicts).toEqual([{ start: b!.start, from: b!.kwh! + 1, into: b!.kwh, kept: 'into' }]);
    const after = await ok<Reading[]>(
      t.invoke('readings.list', { meter: OCTOPUS_METER, from: b!.start, to: '2020-05-21T00:00:00Z' }),
    );
    expect(after[0]).toEqual(b); // the stored value stayed
    expect(after.at(-1)).toEqual({ start: '2020-05-20T00:00:00Z', kwh: 2, quality: 'actual' });
  });

  it('meters.merge needs a manager and refuses a meter merged into itself or another fuel', async () => {
    await setup('viewer');
    expect(await t.invoke('meters.merge', { from: CHOSEN, into: OCTOPUS_METER })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    await t.close();
    t = await make(core, { role: 'manager', actor: 'tester' });
    await runJob(await upload('octopus.json', OCTOPUS));
    expect(await t.invoke('meters.merge', { from: OCTOPUS_METER, into: OCTOPUS_METER })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_ARGS', message: expect.stringMatching(/^Both meters are/) },
    });
  });

  it('grades a header-only file "nothing imported" and a mostly rejected one "done with problems"', async () => {
    await setup();
    const header = await runJob(await upload('header.csv', 'MPAN,Timestamp,kWh\n'));
    expect(header).toMatchObject({ status: 'failed', failureKind: 'empty' });
    expect(header.outcome).toEqual({
      grade: 'nothing-imported',
      tone: 'amber',
      label: 'Nothing imported',
      summary: 'The file has no rows of readings.',
      retry: false,
    });
    expect(header.lastError).toMatch(/^The file has a header \(line 1\) but no rows/);
    expect(await t.invoke('imports.retry', { id: header.id })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', message: expect.stringMatching(/^Retrying cannot help: header\.csv has no rows/) },
    });

    const rows = ['abc', '-1', 'x', 'y', 'z', 'q', '1.5'].map(
      (v, i) => `${CHOSEN},2025-01-01T0${Math.floor(i / 2)}:${i % 2 ? '30' : '00'}:00Z,${v}`,
    );
    const mostly = await runJob(await upload('mostly.csv', ['MPAN,Timestamp,kWh', ...rows].join('\n') + '\n'));
    expect(mostly).toMatchObject({ status: 'done', rowsRead: 7, readingsImported: 1, rowsRejected: 6 });
    expect(mostly.outcome).toMatchObject({
      grade: 'done-with-problems',
      tone: 'amber',
      summary: '1 reading imported; 6 of 7 rows rejected.',
    });
  });

  it('a binary file failed for good: no retry is offered and imports.retry refuses with a clear reason', async () => {
    await setup();
    const bin = await runJob(await upload('photo.csv', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 13, 1, 2])));
    expect(bin).toMatchObject({ status: 'failed', failureKind: 'binary' });
    expect(bin.outcome).toMatchObject({ grade: 'failed', tone: 'red', label: 'Failed', retry: false });
    expect(await t.invoke('imports.retry', { id: bin.id })).toEqual({
      ok: false,
      error: {
        code: 'CONFLICT',
        message: 'Retrying cannot help: photo.csv is not a text file, so it is not a meter file.',
        details: { reason: 'retry-cannot-help', jobId: bin.id, failureKind: 'binary' },
      },
    });
  });

  it('a meter with no tariff fails with NOT_FOUND and structured details, and no command-line hint in the message', async () => {
    await setup();
    await runJob(await upload('octopus.json', OCTOPUS));
    const cost = await t.invoke('cost.meter', { meter: OCTOPUS_METER, from: '2020-05-05', to: '2020-05-07' });
    expect(cost).toMatchObject({
      ok: false,
      error: {
        code: 'NOT_FOUND',
        message: expect.stringMatching(/^2700003645222 has no tariff for 2020-05-05 and no supplier is set for it: /),
        details: {
          reason: 'no-tariff',
          meter: OCTOPUS_METER,
          from: '2020-05-05',
          firstAssignment: null,
          supplier: null,
        },
      },
    });
    expect((cost as { error: { message: string } }).error.message).not.toMatch(/tariffs assign/);
    const run = await ok<{ failed: unknown[] }>(t.invoke('switching.runAll', {}));
    expect(run.failed).toEqual([
      {
        meter: OCTOPUS_METER,
        code: 'NOT_FOUND',
        reason: expect.stringMatching(/has no tariff/),
        details: expect.objectContaining({ reason: 'no-tariff', meter: OCTOPUS_METER }),
      },
    ]);
  });
});
