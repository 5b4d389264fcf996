/**
 * Rolling back finished imports through a real core (real SQLite files, the real queue): a rollback
 * leaves every stored reading, day summary and roll-up exactly as a fresh import of the files that
 * remain would (compared with a second database that only imported those), across a clock change.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { MeterSummary } from '../../../src-shared/contract/types';
import { dayFromDate, dayStartUtc } from '../../../src-shared/domain/periods';
import { dispatch } from '../rpc/dispatch';
import { FIXTURES, storedReadings } from '../../../tests/helpers/core';
import {
  A,
  B,
  base,
  C,
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

const core = coresPerTest();

describe('imports.rollback', () => {
  it('leaves readings, day summaries and every roll-up as an import of X alone, after Y replaced and added', async () => {
    const a = await core();
    const x = file('x.csv', xRows());
    const y = file('y.csv', yRows());
    const jx = await importFile(a, x);
    const jy = await importFile(a, y, 'replace');
    expect(jy.conflicts).toBeGreaterThan(0);
    expect(jy.metersCreated).toEqual([C]);

    // the dry run says what will change, and writes nothing
    const before = storedReadings(a);
    const preview = await rollback(a, jy.id, true);
    expect(storedReadings(a)).toEqual(before);
    // independently: Y's half-hours outside X's (new) and the overlapping ones it changed (replaced)
    const xKeys = new Map(xRows().map((r) => [`${r.meter} ${r.ts}`, r]));
    const yAll = yRows();
    const added = yAll.filter((r) => !xKeys.has(`${r.meter} ${r.ts}`)).length;
    const changed = yAll.filter((r) => {
      const old = xKeys.get(`${r.meter} ${r.ts}`);
      return old && r.kwh !== null && old.kwh !== r.kwh;
    }).length;
    expect(preview).toMatchObject({
      dryRun: true,
      readingsRemoved: added,
      valuesRestored: changed,
      metersRemoved: [C],
    });
    expect(preview.meters).toEqual([A, B, C]);

    const r = await rollback(a, jy.id);
    expect(r).toMatchObject({ dryRun: false, readingsRemoved: added, valuesRestored: changed, metersRemoved: [C] });
    expect(r.job).toMatchObject({ status: 'rolled-back', rolledBackBy: 'test', outcome: { grade: 'rolled-back' } });
    expect(r.job.rolledBackAt).not.toBeNull();
    expect(r.job.outcome.summary).toMatch(/^Rolled back: the [\d,]+ readings it added were taken out and the/);
    await a.waitForDeliveries();

    const b = await importAll(await core(), [x]);
    expect(b.imports.get(jx.id).file).toBe('x.csv'); // same job id for X in both, so even the writers compare
    expect(await state(a, { writers: true })).toEqual(await state(b, { writers: true }));

    // the rolled-back file is not refused as already imported, and imports as it did the first time
    const again = await importFile(a, y, 'replace');
    expect(again).toMatchObject({ readingsImported: jy.readingsImported, conflicts: jy.conflicts });
    const c = await importAll(await core(), [x, [y, 'replace']]);
    expect(await state(a, { writers: false })).toEqual(await state(c, { writers: false }));
  });

  it('rolls back an earlier import that a later one (keep) repeated: the later values stay, as in an import of Y alone', async () => {
    const a = await core();
    const x = file('x.csv', xRows());
    const y = file('y.csv', yRows());
    const jx = await importFile(a, x);
    const jy = await importFile(a, y, 'keep');
    expect(jy.duplicates).toBeGreaterThan(0);
    const r = await rollback(a, jx.id);
    // every X half-hour Y also gave now holds Y's value; the rest of X's are gone
    const yKeys = new Set(yRows().map((x) => `${x.meter} ${x.ts}`));
    const shared = xRows().filter((x) => yKeys.has(`${x.meter} ${x.ts}`)).length;
    expect(r.laterImports).toEqual([{ jobId: jy.id, file: 'y.csv', readings: shared, error: null }]);
    expect(r.readingsRemoved).toBe(xRows().length - shared);
    expect(r.valuesRestored).toBe(0);
    await a.waitForDeliveries();
    const b = await importAll(await core(), [y]);
    expect(await state(a, { writers: false })).toEqual(await state(b, { writers: false }));
    // and Y, now the writer of those half-hours, rolls back to nothing
    await rollback(a, jy.id);
    expect(storedReadings(a)).toEqual([]);
    expect((await callAsAdmin<MeterSummary[]>(a, 'meters.list', {})).map((m) => m.mpan)).toEqual([]);
  });

  it('rolls back the middle of three imports as if only the first and last had run', async () => {
    const a = await core();
    const x = file('x.csv', xRows());
    const y = file('y.csv', yRows());
    // Z replaces part of the overlap again, and repeats the rest of Y
    const z = file(
      'z.csv',
      days(A, Oct(25), Oct(28), (ts, i) => (i % 4 === 0 ? base(ts) + 9 : i % 3 === 0 ? base(ts) + 5 : base(ts))),
    );
    await importFile(a, x);
    const jy = await importFile(a, y, 'replace');
    await importFile(a, z, 'replace');
    await rollback(a, jy.id);
    await a.waitForDeliveries();
    const b = await importAll(await core(), [x, [z, 'replace']]);
    expect(await state(a, { writers: false })).toEqual(await state(b, { writers: false }));
  });

  it("undoes one bad row that stretched a meter's chart: its first and last readings are as before", async () => {
    const a = await core();
    const good = days(A, dayFromDate(2020, 3, 2), dayFromDate(2020, 3, 8), (ts) => base(ts));
    await importFile(a, file('march-2020.csv', good));
    const was = (await callAsAdmin<MeterSummary[]>(a, 'meters.list', {}))[0]!;
    const more = days(A, dayFromDate(2020, 3, 9), dayFromDate(2020, 3, 10), (ts) => base(ts));
    // the typo: 2025 for 2020
    const bad = file('april-2020.csv', [
      ...more,
      { meter: A, ts: dayStartUtc(dayFromDate(2025, 3, 9)), kwh: 1, est: false },
    ]);
    const j = await importFile(a, bad);
    const stretched = (await callAsAdmin<MeterSummary[]>(a, 'meters.list', {}))[0]!;
    expect(stretched.lastReading!.slice(0, 4)).toBe('2025');
    await rollback(a, j.id);
    const now = (await callAsAdmin<MeterSummary[]>(a, 'meters.list', {}))[0]!;
    expect(now).toMatchObject({ firstReading: was.firstReading, lastReading: was.lastReading, readings: was.readings });
    const series = await callAsAdmin<{ ts: number[] }>(a, 'readings.series', { meter: A });
    expect(series.ts.length).toBe(good.length);
    expect(series.ts[series.ts.length - 1]).toBe(good[good.length - 1]!.ts);
  });

  it('takes out the site names its file carried (BANES Location and PostCode), as a cancelled import does', async () => {
    const a = await core();
    // the meter was there before (an earlier file), so it stays after the roll-back
    const meter = '2200012767323';
    await importFile(a, file('earlier.csv', days(meter, dayFromDate(2019, 1, 7), dayFromDate(2019, 1, 7), base)));
    const banes = path.join(FIXTURES, 'public', 'wide-hh-banes-energysparks.csv');
    const j = await importFile(a, banes);
    const names = () => a.sqlite.prepare('SELECT count(*) FROM file_sites WHERE job_id = ?').pluck().get(j.id);
    expect(names()).toBeGreaterThan(0);
    await rollback(a, j.id);
    expect(names()).toBe(0);
    expect((await callAsAdmin<MeterSummary[]>(a, 'meters.list', {})).map((m) => m.mpan)).toEqual([meter]);
    expect(await callAsAdmin(a, 'sites.suggestions', {})).toEqual([]);
  });

  it('refuses, in words, jobs that are not finished imports', async () => {
    const a = await core();
    const x = file('x.csv', xRows());
    const dry = await callAsAdmin<{ jobIds: number[] }>(a, 'imports.enqueuePaths', { paths: [x], dryRun: true });
    await callAsAdmin(a, 'imports.wait', { jobIds: dry.jobIds });
    const fail = async (id: number) => {
      const r = await dispatch(a.handlers, 'imports.rollback', { id }, { role: 'admin', actor: 'test' });
      if (r.ok) throw new Error('rolled back');
      return r.error;
    };
    expect(await fail(dry.jobIds[0]!)).toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(/^Import job \d+ \(x\.csv\) was a dry run: it wrote nothing/),
    });
    const j = await importFile(a, x);
    await rollback(a, j.id);
    expect(await fail(j.id)).toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(/^Import job \d+ \(x\.csv\) was already rolled back on \d+ \w+ \d{4} by test$/),
    });
    expect(await fail(999)).toMatchObject({ code: 'NOT_FOUND', message: expect.stringMatching(/^No import job 999/) });
    // nor can a rolled-back job be retried or cancelled: its file is imported again instead
    const retry = await dispatch(a.handlers, 'imports.retry', { id: j.id }, { role: 'admin', actor: 'test' });
    expect(retry).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', message: expect.stringMatching(/^Import job/) },
    });
    const viewer = await dispatch(a.handlers, 'imports.rollback', { id: j.id }, { role: 'viewer', actor: 'v' });
    expect(viewer).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });
});

describe('meters.merge keeps provenance', () => {
  it("a merged meter's imports can still be rolled back, each giving back what it overwrote", async () => {
    // P: meter B's own readings, overlapping A's first two days with other values (B keeps its own)
    const p = file(
      'p.csv',
      days(B, Oct(15), Oct(21), (ts) => base(ts) + 0.5),
    );
    const x = file(
      'x.csv',
      days(A, Oct(20), Oct(26), (ts) => base(ts)),
    );
    const y = file(
      'y.csv',
      days(A, Oct(23), Oct(29), (ts, i) => (i % 2 ? base(ts) + 7 : base(ts))),
    );
    const a = await core();
    await importFile(a, p);
    const jx = await importFile(a, x);
    const jy = await importFile(a, y, 'replace');
    await callAsAdmin(a, 'meters.merge', { from: A, into: B, onConflict: 'keep' });
    const r = await rollback(a, jy.id);
    expect(r.meters).toEqual([B]);
    expect(r.valuesRestored).toBe(days(A, Oct(23), Oct(26), () => 0).filter((_, i) => i % 2).length);
    await a.waitForDeliveries();
    // the same as merging A into B without Y ever imported: X's values are back where Y replaced them
    const b = await importAll(await core(), [p, x]);
    await callAsAdmin(b, 'meters.merge', { from: A, into: B, onConflict: 'keep' });
    await b.waitForDeliveries();
    expect(await state(a, { writers: true })).toEqual(await state(b, { writers: true }));
    // and X, rolled back too, leaves B with its own readings alone
    await rollback(a, jx.id);
    await a.waitForDeliveries();
    const c = await importAll(await core(), [p]);
    expect(await state(a, { writers: true })).toEqual(await state(c, { writers: true }));
  });
});

describe('alerts follow a roll-back', () => {
  it('resolves the alerts the rolled-back readings raised, and raises them again when the file comes back', async () => {
    const a = await core();
    await callAsAdmin(a, 'alerts.saveRule', { rule: { id: 'big-day', kind: 'daily-kwh-above', all: true, kwh: 800 } });
    await importFile(
      a,
      file(
        'x.csv',
        days(A, Oct(20), Oct(26), (ts) => base(ts)),
      ),
    );
    // one day of Y (960 kWh) is above the rule's 800 kWh; X's days are not
    const y = file(
      'y.csv',
      days(A, Oct(27), Oct(28), (ts) => (ts >= dayStartUtc(Oct(28)) ? 20 : base(ts))),
    );
    const jy = await importFile(a, y);
    await a.waitForDeliveries();
    const open = async () =>
      (await callAsAdmin<{ period: string; status: string }[]>(a, 'alerts.list', { rule: 'big-day' })).map((x) => [
        x.period,
        x.status,
      ]);
    expect(await open()).toEqual([['2024-10-28', 'open']]);
    await rollback(a, jy.id);
    await a.waitForDeliveries();
    expect(await open()).toEqual([['2024-10-28', 'resolved']]);
    await importFile(a, y);
    await a.waitForDeliveries();
    expect(await open()).toEqual([['2024-10-28', 'open']]);
  });
});
