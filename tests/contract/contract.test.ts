/**
 * One contract suite, run against the in-memory and the HTTP transport: both hosts must answer
 * every call the same way, errors included.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { PushedEvent } from '../../src-shared/contract/events';
import type {
  DashboardMonth,
  DashboardSummary,
  ImportJob,
  MeterLatest,
  MeterSummary,
  Reading,
  Series,
  StoredFile,
} from '../../src-shared/contract/types';
import type { Core } from '../../src-main/core/app';
import { FIXTURES } from '../helpers/core';
import { TRANSPORTS, contractHost, type TestTransport } from '../helpers/transports';

const SAMPLE = fs.readFileSync(path.join(FIXTURES, 'csv', 'long-autumn-with-errors.csv'));

describe.each(TRANSPORTS)('contract over the %s transport', (_name, make) => {
  let core: Core;
  let t: TestTransport;
  afterEach(async () => {
    await t?.close();
    await core?.stop();
  });

  async function setup(role: 'viewer' | 'manager' | 'admin' = 'admin') {
    ({ core, t } = await contractHost(make, role));
  }

  /** Uploads, enqueues, and resolves with the finished job, watching pushed events only. */
  async function importViaEvents(
    content: Buffer,
    dryRun = false,
    opts: { reimport?: boolean; meter?: string; name?: string } = {},
  ): Promise<{ job: ImportJob; events: PushedEvent[] }> {
    const events: PushedEvent[] = [];
    let resolveDone!: (j: ImportJob) => void;
    const done = new Promise<ImportJob>((r) => (resolveDone = r));
    const off = await t.subscribe((e) => {
      events.push(e);
      if (e.event === 'imports.updated' && (e.payload.job.status === 'done' || e.payload.job.status === 'failed'))
        resolveDone(e.payload.job);
    });
    const up = await t.upload(opts.name ?? 'sample.csv', content);
    expect(up.ok).toBe(true);
    const { name: _n, ...enqueueOpts } = opts;
    const enq = await t.invoke('imports.enqueue', {
      fileIds: [(up as { value: StoredFile }).value.fileId],
      dryRun,
      ...enqueueOpts,
    });
    expect(enq).toMatchObject({ ok: true, value: { jobIds: [expect.any(Number)] } });
    const job = await done;
    off();
    return { job, events };
  }

  it('app.info answers with the version and the caller role', async () => {
    await setup('viewer');
    expect(await t.invoke('app.info', {})).toMatchObject({
      ok: true,
      value: { version: '9.9.9', host: 'server', role: 'viewer' },
    });
  });

  it('returns UNKNOWN_METHOD, INVALID_ARGS and NOT_FOUND as data', async () => {
    await setup();
    expect(await t.invoke('nope.nothing', {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
    expect(await t.invoke('__proto__', {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
    const bad = await t.invoke('readings.list', { meter: '1012477457919', from: 'yesterday', to: 5 });
    expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_ARGS' } });
    expect(JSON.stringify(bad)).toMatch(/from/);
    expect(await t.invoke('imports.list', { status: 'weird' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_ARGS' },
    });
    expect(await t.invoke('meters.list', { extra: 1 })).toMatchObject({ ok: false, error: { code: 'INVALID_ARGS' } });
    expect(await t.invoke('readings.series', { meter: '1012477457919' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND', message: expect.stringContaining('1012477457919') },
    });
    expect(await t.invoke('imports.get', { id: 999 })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await t.invoke('imports.enqueue', { fileIds: ['00000000-0000-0000-0000-000000000000'] })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
  });

  it('refuses a viewer what needs a manager, and lets a viewer read', async () => {
    await setup('viewer');
    expect(await t.invoke('imports.enqueue', { fileIds: ['00000000-0000-0000-0000-000000000000'] })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(await t.invoke('meters.list', {})).toEqual({ ok: true, value: [] });
    // uploading is an import step: the same manager role, however the file arrives
    expect(await t.upload('sample.csv', SAMPLE)).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', message: expect.stringContaining('manager') },
    });
    expect(core.sqlite.prepare('SELECT count(*) FROM stored_files').pluck().get()).toBe(0);
  });

  it('never takes a path on the host machine from a caller outside its process, whatever the role', async () => {
    await setup('admin');
    const r = await t.invoke('imports.enqueuePaths', { paths: [path.resolve('tests/fixtures/csv/long-dry-run.csv')] });
    expect(r).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', message: expect.stringContaining('upload the files instead') },
    });
    expect(core.sqlite.prepare('SELECT count(*) FROM stored_files').pluck().get()).toBe(0);
    // files.upload needs the bytes: called as a plain method it says how to send them
    expect(await t.invoke('files.upload', { name: 'a.csv' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_ARGS', message: expect.stringContaining('/upload') },
    });
  });

  it('imports.wait resolves with the jobs once they have run', async () => {
    await setup();
    const up = (await t.upload('sample.csv', SAMPLE)) as { value: StoredFile };
    const enq = (await t.invoke('imports.enqueue', { fileIds: [up.value.fileId] })) as { value: { jobIds: number[] } };
    const waited = await t.invoke('imports.wait', { jobIds: enq.value.jobIds });
    expect(waited).toMatchObject({
      ok: true,
      value: [{ id: enq.value.jobIds[0], status: 'done', readingsImported: expect.any(Number) }],
    });
    expect(await t.invoke('imports.wait', { jobIds: [999] })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
  });

  it('imports an uploaded file, pushes progress and updates, then serves the readings', async () => {
    await setup();
    const { job, events } = await importViaEvents(SAMPLE);
    expect(job).toMatchObject({
      status: 'done',
      rowsRead: 19,
      readingsImported: 14,
      rowsRejected: 5,
      file: 'sample.csv',
    });
    const statuses = events
      .filter((e) => e.event === 'imports.updated')
      .map((e) => (e.payload as { job: ImportJob }).job.status);
    expect(statuses).toEqual(['queued', 'running', 'done']);
    const progress = events.filter((e) => e.event === 'imports.progress');
    expect(progress.at(-1)!.payload).toMatchObject({ percent: 100, rowsRead: 19 });
    expect(events.some((e) => e.event === 'meters.changed')).toBe(true);

    const meters = (await t.invoke('meters.list', {})) as { ok: true; value: MeterSummary[] };
    expect(meters.value).toEqual([
      {
        mpan: '1012477457919',
        label: null,
        siteId: null,
        kind: 'mpan',
        fuel: 'electricity',
        site: null,
        firstReading: '2025-10-25T21:00:00Z',
        lastReading: '2025-10-26T02:30:00Z',
        readings: 12,
        supplier: null,
        capacityKva: null,
        lastCompleteDay: null,
        serial: null,
        tags: [],
      },
      {
        mpan: '2200012767323',
        label: null,
        siteId: null,
        kind: 'mpan',
        fuel: 'electricity',
        site: null,
        firstReading: '2025-10-25T23:00:00Z',
        lastReading: '2025-10-25T23:30:00Z',
        readings: 2,
        supplier: null,
        capacityKva: null,
        lastCompleteDay: null,
        serial: null,
        tags: [],
      },
    ]);
    const rows = (await t.invoke('readings.list', {
      meter: '1012477457919',
      from: '2025-10-26T00:00:00Z',
      to: '2025-10-26T01:30:00Z',
    })) as { ok: true; value: Reading[] };
    expect(rows.value).toEqual([
      { start: '2025-10-26T00:00:00Z', kwh: 1.1, quality: 'actual' },
      { start: '2025-10-26T00:30:00Z', kwh: 1.2, quality: 'actual' },
      { start: '2025-10-26T01:00:00Z', kwh: 1.3, quality: 'actual' },
    ]);
    const series = (await t.invoke('readings.series', { meter: '1012477457919' })) as { ok: true; value: Series };
    expect(series.value.ts).toHaveLength(12);
    expect(series.value.kwh[0]).toBe(0.5);
    const list = (await t.invoke('imports.list', {})) as { ok: true; value: ImportJob[] };
    expect(list.value).toHaveLength(1);
    const one = (await t.invoke('imports.get', { id: job.id })) as { ok: true; value: ImportJob };
    expect(one.value.errors).toHaveLength(5);
  });

  it('a second import of the same file reports every reading as a duplicate', async () => {
    await setup();
    await importViaEvents(SAMPLE);
    const { job } = await importViaEvents(SAMPLE, false, { reimport: true });
    expect(job).toMatchObject({ readingsImported: 0, duplicates: 14, rowsRejected: 5 });
  });

  it('a dry run previews and writes nothing', async () => {
    await setup();
    const { job } = await importViaEvents(SAMPLE, true);
    expect(job).toMatchObject({
      dryRun: true,
      readingsImported: 14,
      preview: { meters: ['1012477457919', '2200012767323'] },
    });
    expect(await t.invoke('meters.list', {})).toEqual({ ok: true, value: [] });
  });

  it('a file that cannot be read fails its job with a plain reason', async () => {
    await setup();
    const { job } = await importViaEvents(Buffer.from('just some text\nwith no header\n'));
    expect(job.status).toBe('failed');
    expect(job.lastError).toMatch(/^No header row/);
  });

  it('tariffs: a file of a year of half-hourly prices goes through, assignments need a manager, costs and analyses come back whole', async () => {
    await setup('manager');
    await importViaEvents(SAMPLE);
    const tariff = {
      id: 'flat',
      name: 'Flat',
      supplier: 'Acme',
      fuel: 'electricity',
      validFrom: '2025-01-01',
      standingChargePencePerDay: 40,
      vatRate: 0.05,
      rates: [{ pencePerKwh: 20 }],
    };
    // a manager cannot change tariffs (admin), but may assign them
    expect(await t.invoke('tariffs.import', { text: JSON.stringify({ tariffs: [tariff] }) })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    core.tariffStore.importFile(
      JSON.stringify({
        tariffs: [tariff, { ...tariff, id: 'agile', name: 'Agile', rates: undefined, halfHourlyPrices: [] }],
      }),
    );
    expect(
      await t.invoke('tariffs.assign', { meter: '1012477457919', tariff: 'flat', from: '2025-01-01' }),
    ).toMatchObject({ ok: true, value: [{ tariff: 'flat', from: '2025-01-01', to: null, assignedBy: 'tester' }] });
    const cost = (await t.invoke('cost.meter', { meter: '1012477457919', from: '2025-10-25', to: '2025-10-27' })) as {
      ok: true;
      value: { kwh: number; totalPence: number; missingHalfHours: number };
    };
    expect(cost.ok).toBe(true);
    expect(cost.value.totalPence).toBeCloseTo((cost.value.kwh * 20 + 2 * 40) * 1.05, 3);
    expect(cost.value.missingHalfHours).toBe(98 - 12);
    // a year of Octopus-style prices (17,520 rows, about 2 MB of JSON) through the transport, as an admin would send it
    const results = Array.from({ length: 17520 }, (_, i) => ({
      value_exc_vat: 10 + (i % 48) / 4,
      value_inc_vat: 0,
      valid_from: new Date(Date.parse('2025-01-01T00:00:00Z') + i * 1800000).toISOString(),
      valid_to: new Date(Date.parse('2025-01-01T00:30:00Z') + i * 1800000).toISOString(),
    }));
    const admin = await make(core, { role: 'admin', actor: 'boss' });
    try {
      expect(
        await admin.invoke('tariffs.importPrices', {
          id: 'agile',
          text: JSON.stringify({ count: 17520, next: null, previous: null, results }),
        }),
      ).toEqual({ ok: true, value: { prices: 17520, first: '2025-01-01T00:00:00Z', last: '2025-12-31T23:30:00Z' } });
      const a = (await admin.invoke('switching.analyse', { meter: '1012477457919', days: 2 })) as {
        ok: true;
        value: { id: number; alternatives: { tariff: string }[]; ranBy: string };
      };
      expect(a.value.alternatives.map((x) => x.tariff)).toEqual(['agile']);
      expect(await admin.invoke('switching.get', { id: a.value.id })).toEqual({ ok: true, value: a.value });
    } finally {
      await admin.close();
    }
  });

  it('latest views anchor on 2019 data (BANES, 13 Nov 2019), with an "as at" date, alike over every transport', async () => {
    await setup('manager');
    const { job } = await importViaEvents(
      fs.readFileSync(path.join(FIXTURES, 'public', 'wide-hh-banes-energysparks.csv')),
    );
    expect(job.status).toBe('done');
    await core.scheduler.idle();
    const d = (await t.invoke('dashboard.summary', {})) as { ok: true; value: DashboardSummary };
    expect(d.ok).toBe(true);
    expect(d.value.latestDay).toBe('2019-11-13');
    const day = d.value.fuels[0]!.periods.find((p) => p.kind === 'day')!;
    expect(day).toMatchObject({ label: '2019-11-13', completeness: 1 });
    expect(day.kwh).toBeGreaterThan(0);
    expect(await t.invoke('dashboard.summary', { asAt: '2019-11-12' })).toMatchObject({
      ok: true,
      value: { asAt: '2019-11-12', latestDay: null, fuels: [{ latestDay: null, periods: [] }] },
    });
    // the month in £ and CO2: five meters with readings and no tariff, named; CO2 by the 2019 annual factor
    const month = (await t.invoke('dashboard.month', {})) as { ok: true; value: DashboardMonth };
    expect(month.value).toMatchObject({ latestDay: '2019-11-13', from: '2019-11-01', to: '2019-11-14' });
    expect(month.value.costs![0]).toMatchObject({ fuel: 'electricity', priced: 0 });
    expect(month.value.costs![0]!.unpriced).toHaveLength(5);
    expect(month.value.emissions[0]).toMatchObject({ annualMeters: 5, halfHourlyMeters: 0, unavailable: 0 });
    expect(month.value.emissions[0]!.kgco2).toBeCloseTo(day.kwh * 0.2556, 3);
    expect(await t.invoke('dashboard.summary', { asAt: 'yesterday' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_ARGS' },
    });
    const list = (await t.invoke('meters.list', {})) as { ok: true; value: MeterSummary[] };
    const m = list.value[0]!;
    expect(m.lastCompleteDay).toBe('2019-11-13');
    const latest = (await t.invoke('totals.latest', { meter: m.mpan })) as { ok: true; value: MeterLatest };
    expect(latest.value.lastCompleteDay).toBe('2019-11-13');
    expect(latest.value.periods[0]!.previous!.current).toMatchObject({ period: '2019-11-13', completeness: 1 });
    // one day of data: no complete week, month or year has readings, said as null (not a 0 % period)
    expect(latest.value.periods.slice(1).map((p) => p.previous)).toEqual([null, null, null]);
    expect(await t.invoke('readings.quality', { meter: m.mpan })).toMatchObject({
      ok: true,
      value: { from: '2019-11-13', to: '2019-11-14', expectedHalfHours: 48, presentHalfHours: 48, missingHalfHours: 0 },
    });
  });
});
