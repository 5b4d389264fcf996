/**
 * Deleting meters, sites and readings, and putting them back, through a real core: a deletion
 * leaves roll-ups as if what went had never been imported, and a restore gives back exactly what
 * went (the same ids, the same half-hours with the imports that wrote them).
 */
import { describe, expect, it } from 'vitest';
import type { Core } from '../app';
import type {
  Alert,
  AlertCheckResult,
  SiteSummary,
  TariffAssignment,
  TrashEntry,
} from '../../../src-shared/contract/types';
import { flatTariff } from '../../../tests/fixtures/tariffs';
import { storedReadings } from '../../../tests/helpers/core';
import { dispatch } from '../rpc/dispatch';
import {
  A,
  B,
  base,
  callAsAdmin,
  coresPerTest,
  days,
  file,
  importAll,
  importFile,
  Oct,
  rollback,
  state,
  xRows,
  yRows,
} from '../../../tests/helpers/undo';
import { TrashService, TRASH_DAYS } from './trash';

let now = Date.parse('2024-11-05T12:00:00Z');
const core = coresPerTest(() => ({ clock: { now: () => now } }));

async function failure(c: Core, method: string, args: unknown): Promise<{ code: string; message: string }> {
  const r = await dispatch(c.handlers, method, args, { role: 'admin', actor: 'test', inProcess: true });
  if (r.ok) throw new Error(`${method} succeeded`);
  return r.error;
}

/** X imported; A on a site with a closure, on a tariff, with open alerts. */
async function portfolio(): Promise<{ c: Core; site: SiteSummary; x: string; jobId: number }> {
  const c = await core();
  const x = file('x.csv', xRows());
  const j = await importFile(c, x);
  const site = await callAsAdmin<SiteSummary>(c, 'sites.create', { name: 'Bathford School', postcode: 'BA1 7UB' });
  await callAsAdmin(c, 'meters.update', { meter: A, siteId: site.id, label: 'Boiler house' });
  await callAsAdmin(c, 'sites.addClosure', {
    siteId: site.id,
    from: '2024-10-21',
    to: '2024-10-23',
    note: 'Half term',
  });
  await callAsAdmin(c, 'tariffs.save', { tariff: flatTariff({ id: 'flat', validFrom: '2024-01-01' }) });
  await callAsAdmin(c, 'tariffs.assign', { meter: A, tariff: 'flat', from: '2024-10-01' });
  await callAsAdmin(c, 'alerts.saveRule', { rule: { id: 'big', kind: 'daily-kwh-above', all: true, kwh: 10 } });
  const checked = await callAsAdmin<AlertCheckResult>(c, 'alerts.check', { at: '2024-10-28T12:00:00Z' });
  expect(checked.fired.filter((a) => a.meter === A).length).toBeGreaterThan(0);
  await c.waitForDeliveries();
  return { c, site, x, jobId: j.id };
}

/** Everything a restore must give back besides the readings' state. */
async function extras(c: Core) {
  return {
    assignments: await callAsAdmin<TariffAssignment[]>(c, 'tariffs.assignments', { meter: A }).catch(() => null),
    alerts: await callAsAdmin<Alert[]>(c, 'alerts.list', {}),
    sites: await callAsAdmin<SiteSummary[]>(c, 'sites.list', {}),
    closures: c.sqlite.prepare('SELECT * FROM site_closures ORDER BY id').all(),
    ids: c.sqlite.prepare('SELECT id, identifier, site_id, label FROM meters ORDER BY id').all(),
  };
}

describe('meters.remove and trash.restore', () => {
  it('says what would go, deletes it as if never imported, and puts back exactly what went', async () => {
    const { c, jobId } = await portfolio();
    const before = { ...(await state(c, { writers: true })), ...(await extras(c)) };
    const readings = storedReadings(c);
    const ofA = readings.filter((r) => r[0] === A);
    const alertsOfA = (await callAsAdmin<Alert[]>(c, 'alerts.list', {})).filter((a) => a.meter === A).length;

    const dry = await callAsAdmin<TrashEntry>(c, 'meters.remove', { meter: A, dryRun: true });
    expect(dry).toMatchObject({
      id: 0,
      kind: 'meter',
      counts: { sites: 0, meters: 1, days: 7, halfHours: ofA.length, tariffAssignments: 1, alerts: alertsOfA },
    });
    expect(dry.label).toBe(
      `Meter ${A} (Boiler house) with ${ofA.length.toLocaleString('en-GB')} readings over 7 days, 1 tariff assignment and ${alertsOfA} alerts`,
    );
    expect(storedReadings(c)).toEqual(readings);
    expect(await callAsAdmin(c, 'trash.list', {})).toEqual([]);

    const gone = await callAsAdmin<TrashEntry>(c, 'meters.remove', { meter: A });
    expect(gone).toMatchObject({ id: 1, kind: 'meter', label: dry.label, counts: dry.counts, restoredAt: null });
    expect([dry.meters, gone.meters]).toEqual([[A], [A]]);
    expect(storedReadings(c)).toEqual(readings.filter((r) => r[0] !== A));
    expect((await callAsAdmin<Alert[]>(c, 'alerts.list', {})).filter((a) => a.meter === A)).toEqual([]);
    expect(await failure(c, 'tariffs.assignments', { meter: A })).toMatchObject({ code: 'NOT_FOUND' });
    await c.waitForDeliveries();
    // the roll-ups are those of a portfolio that only ever had B (B's writer is job 1 in both)
    const onlyB = await core();
    await importFile(
      onlyB,
      file(
        'x.csv',
        xRows().filter((r) => r.meter === B),
      ),
    );
    expect(await state(c, { writers: true })).toEqual(await state(onlyB, { writers: true }));
    expect(await callAsAdmin(c, 'trash.list', {})).toEqual([gone]);

    const back = await callAsAdmin<TrashEntry>(c, 'trash.restore', { id: gone.id });
    expect(back).toMatchObject({ id: gone.id, restoredBy: 'test' });
    await c.waitForDeliveries();
    expect({ ...(await state(c, { writers: true })), ...(await extras(c)) }).toEqual(before);
    expect(await failure(c, 'trash.restore', { id: gone.id })).toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(/^Deletion 1 \(Meter .*\) was already put back on 5 Nov 2024 by test$/),
    });
    // the imports that wrote it can still be rolled back
    await rollback(c, jobId);
    expect(storedReadings(c)).toEqual([]);
  });

  it('refuses to restore over a meter created since, and over readings imported since, saying which', async () => {
    const { c, x } = await portfolio();
    const gone = await callAsAdmin<TrashEntry>(c, 'meters.remove', { meter: A });
    const q = await callAsAdmin<{ jobIds: number[] }>(c, 'imports.enqueuePaths', { paths: [x], reimport: true });
    await callAsAdmin(c, 'imports.wait', { jobIds: q.jobIds });
    expect(await failure(c, 'trash.restore', { id: gone.id })).toMatchObject({
      code: 'CONFLICT',
      message: `A meter ${A} has been created since it was deleted (by an import or by hand): delete or merge that meter first, then put this one back`,
    });

    const cut = await callAsAdmin<TrashEntry>(c, 'readings.remove', { meter: B, from: '2024-10-22', to: '2024-10-24' });
    expect(cut.label).toBe(`96 readings of meter ${B} from 22 Oct 2024 to 23 Oct 2024 (2 days)`);
    const y = await importFile(
      c,
      file(
        'y.csv',
        days(B, Oct(23), Oct(23), (ts) => base(ts)),
      ),
    );
    expect(await failure(c, 'trash.restore', { id: cut.id })).toMatchObject({
      code: 'CONFLICT',
      message:
        `Readings of meter ${B} were imported over 23 Oct 2024 since they were deleted (import job ${y.id}, y.csv): ` +
        'roll that import back or delete those readings first, then put these back',
    });
    await rollback(c, y.id);
    await callAsAdmin(c, 'trash.restore', { id: cut.id });
    expect(storedReadings(c).filter((r) => r[0] === B)).toEqual(
      xRows()
        .filter((r) => r.meter === B)
        .map((r) => [B, r.ts, r.kwh, r.est ? 1 : 0, 1]),
    );
  });
});

describe('readings.remove', () => {
  it('deletes a range as if never imported, and restores it with the imports that wrote it', async () => {
    const a = await core();
    const x = file('x.csv', xRows());
    await importFile(a, x);
    const y = await importFile(a, file('y.csv', yRows()), 'replace');
    const before = storedReadings(a);
    const dry = await callAsAdmin<TrashEntry>(a, 'readings.remove', {
      meter: A,
      from: '2024-10-27',
      to: '2024-11-03',
      dryRun: true,
    });
    const inRange = before.filter((r) => r[0] === A && r[1] >= Date.parse('2024-10-27') / 1000 - 3600);
    // 27 Oct has 50 half-hours (the clock went back), so 7 days hold 338
    expect(dry.counts).toMatchObject({ days: 7, halfHours: inRange.length });
    expect(inRange.length).toBe(338);
    const cut = await callAsAdmin<TrashEntry>(a, 'readings.remove', { meter: A, from: '2024-10-27', to: '2024-11-03' });
    expect([dry.meters, cut.meters, (await callAsAdmin<TrashEntry[]>(a, 'trash.list', {}))[0]!.meters]).toEqual([
      [A],
      [A],
      [A],
    ]);
    await a.waitForDeliveries();
    expect(storedReadings(a)).toEqual(before.filter((r) => !inRange.includes(r)));
    const totals = await callAsAdmin<{ period: string; kwh: number; halfHours: number; missing: number }[]>(
      a,
      'totals.list',
      {
        meter: A,
        period: 'month',
        from: '2024-10-01',
        to: '2024-12-01',
      },
    );
    const octKwh = before
      .filter((r) => r[0] === A && r[1] < Date.parse('2024-10-27') / 1000 - 3600)
      .reduce((s, r) => s + (r[2] ?? 0), 0);
    const withValues = before.filter((r) => r[0] === A && !inRange.includes(r) && r[2] !== null).length;
    expect(totals.map((t) => [t.period, t.halfHours - t.missing])).toEqual([
      ['2024-10', withValues],
      ['2024-11', 0],
    ]);
    expect(totals[0]!.kwh).toBeCloseTo(octKwh, 6);

    await callAsAdmin(a, 'trash.restore', { id: cut.id });
    expect(storedReadings(a)).toEqual(before);
    // Y, restored with its writers, rolls back as it would have: X alone remains
    await rollback(a, y.id);
    await a.waitForDeliveries();
    const b = await importAll(await core(), [x]);
    expect(await state(a, { writers: true })).toEqual(await state(b, { writers: true }));
  });

  it('restores readings whose import was rolled back meanwhile without bringing its values back', async () => {
    const a = await core();
    const x = file('x.csv', xRows());
    await importFile(a, x);
    const y = await importFile(a, file('y.csv', yRows()), 'replace');
    const cut = await callAsAdmin<TrashEntry>(a, 'readings.remove', { meter: A, from: '2024-10-24', to: '2024-10-29' });
    await rollback(a, y.id);
    await callAsAdmin(a, 'trash.restore', { id: cut.id });
    await a.waitForDeliveries();
    const b = await importAll(await core(), [x]);
    expect(await state(a, { writers: true })).toEqual(await state(b, { writers: true }));
  });

  it('refuses a range with nothing in it, in words', async () => {
    const a = await core();
    await importFile(a, file('x.csv', xRows()));
    expect(await failure(a, 'readings.remove', { meter: A, from: '2023-01-01', to: '2023-02-01' })).toEqual({
      code: 'NOT_FOUND',
      message: `Meter ${A} has no readings from 1 Jan 2023 to 31 Jan 2023: there is nothing to delete`,
    });
    expect(await failure(a, 'readings.remove', { meter: A, from: '2024-10-24', to: '2024-10-24' })).toMatchObject({
      code: 'INVALID_ARGS',
      message: expect.stringMatching(/^The range ends/),
    });
  });
});

describe('sites.remove', () => {
  it('keeps the meters (without a site) unless asked, and a restore puts the site and its meters back', async () => {
    const { c, site } = await portfolio();
    const before = { ...(await state(c, { writers: true })), ...(await extras(c)) };
    const dry = await callAsAdmin<TrashEntry>(c, 'sites.remove', { id: site.id, dryRun: true });
    expect(dry).toMatchObject({ label: 'Site "Bathford School" (BA1 7UB); its 1 meter stay, without a site' });
    const gone = await callAsAdmin<TrashEntry>(c, 'sites.remove', { id: site.id });
    expect(await callAsAdmin(c, 'sites.list', {})).toEqual([]);
    expect(c.sqlite.prepare('SELECT site_id FROM meters WHERE identifier = ?').pluck().get(A)).toBeNull();
    expect(storedReadings(c)).toEqual(before.readings);
    await callAsAdmin(c, 'trash.restore', { id: gone.id });
    await c.waitForDeliveries();
    expect({ ...(await state(c, { writers: true })), ...(await extras(c)) }).toEqual(before);

    const all = await callAsAdmin<TrashEntry>(c, 'sites.remove', { id: site.id, withMeters: true });
    expect(all.counts).toMatchObject({ sites: 1, meters: 1, days: 7, tariffAssignments: 1 });
    expect(all.label).toMatch(/^Site "Bathford School" \(BA1 7UB\) and its 1 meter with [\d,]+ readings over 7 days/);
    expect(storedReadings(c).filter((r) => r[0] === A)).toEqual([]);
    await callAsAdmin(c, 'trash.restore', { id: all.id });
    await c.waitForDeliveries();
    expect({ ...(await state(c, { writers: true })), ...(await extras(c)) }).toEqual(before);
  });
});

describe('the trash is kept for a while', () => {
  it(`purges deletions after ${TRASH_DAYS} days, with the readings kept for them`, async () => {
    const c = await core();
    await importFile(c, file('x.csv', xRows()));
    const gone = await callAsAdmin<TrashEntry>(c, 'meters.remove', { meter: A });
    const trash = new TrashService(c.sqlite, c.readings, c.meters, { now: () => now });
    now += (TRASH_DAYS - 1) * 86400_000;
    expect(trash.purge()).toBe(0);
    now += 2 * 86400_000;
    expect(trash.purge()).toBe(1);
    expect(await failure(c, 'trash.restore', { id: gone.id })).toMatchObject({ code: 'NOT_FOUND' });
    expect(c.sqlite.prepare('SELECT count(*) FROM readings_trash').pluck().get()).toBe(0);
  });

  it('cleans up rolled-back import jobs, and their files, with the other finished jobs after the retention period', async () => {
    const c = await core();
    const j = await importFile(c, file('x.csv', xRows()));
    await rollback(c, j.id);
    expect(await callAsAdmin(c, 'imports.cleanup', { days: 30 })).toMatchObject({ jobsRemoved: 0 });
    now += 31 * 86400_000;
    expect(await callAsAdmin(c, 'imports.cleanup', { days: 30 })).toEqual({ jobsRemoved: 1, filesRemoved: 1 });
    expect(await failure(c, 'imports.get', { id: j.id })).toMatchObject({ code: 'NOT_FOUND' });
  });
});
