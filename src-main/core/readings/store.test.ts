/**
 * The readings store through a real core: small CSVs imported by the real queue into a temporary
 * SQLite file, then read back (and undone) through the store.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../app';
import { makeCore, writeTemp } from '../../../tests/helpers/core';
import { dayFromDate, dayStartUtc, localDayOf } from '../../../src-shared/domain/periods';
import { ACTUAL, ESTIMATED, MISSING, NOT_RECEIVED } from './codec';

const A = '1012477457919';
const B = '2200012767323';
const C = '2336533093112';

let core: Core;
afterEach(async () => {
  await core?.stop();
});

/** A long-format file: [mpan, UTC ISO start, kWh ('' = missing), quality?]. */
function csv(name: string, rows: [string, string, string, string?][]): string {
  return writeTemp(
    name,
    ['MPAN,Timestamp,kWh,Quality', ...rows.map(([m, t, v, q]) => `${m},${t},${v},${q ?? 'A'}`)].join('\n') + '\n',
  );
}

async function importOne(file: string, onConflict: 'keep' | 'replace' = 'keep') {
  const { fileId } = await core.files.storePath(file);
  const { jobIds } = core.imports.enqueue([fileId], { onConflict });
  await core.imports.drain((id) => id === jobIds[0]);
  const job = core.imports.get(jobIds[0]!);
  expect(job.status).toBe('done');
  return job;
}

const meterId = (mpan: string): number =>
  core.sqlite.prepare('SELECT id FROM meters WHERE identifier = ?').pluck().get(mpan) as number;
const ts = (iso: string): number => Date.parse(iso) / 1000;

/** The stored half-hour starting at `iso`: value (null = missing), quality and writing job; null when not received. */
function at(mpan: string, iso: string): { kwh: number | null; quality: number; job: number } | null {
  const t = ts(iso);
  const day = localDayOf(t);
  const d = core.readings.readDays(meterId(mpan), day, day + 1, { writers: true });
  if (d.days.length === 0) return null;
  const k = (t - dayStartUtc(day)) / 1800;
  if (d.quality[k] === NOT_RECEIVED) return null;
  const v = d.values[k]!;
  return { kwh: v === v ? v : null, quality: d.quality[k]!, job: d.writers![k]! };
}

/** A day's day_stats row (without its change number) — SQL directly, as the tests may. */
function stats(mpan: string, day: number): Record<string, unknown> | undefined {
  return core.sqlite
    .prepare(
      'SELECT half_hours, kwh, present, estimated, missing, min, max, peak_slot FROM day_stats WHERE meter_id = ? AND day = ?',
    )
    .get(meterId(mpan), day) as Record<string, unknown> | undefined;
}

const undo = (jobId: number) => core.sqlite.transaction(() => core.readings.undoJob(jobId))();
const JAN15 = dayFromDate(2025, 1, 15);

describe('ReadingsStore.merge through imports', () => {
  it('merges a later file into a stored day, half-hour by half-hour, each attributed to its job', async () => {
    core = await makeCore();
    const j1 = await importOne(
      csv('a.csv', [
        [A, '2025-01-15T00:00:00Z', '1.5'],
        [A, '2025-01-15T00:30:00Z', '2.25'],
      ]),
    );
    expect(j1).toMatchObject({ readingsImported: 2, duplicates: 0, conflicts: 0 });
    const j2 = await importOne(
      csv('b.csv', [
        [A, '2025-01-15T00:30:00Z', '2.25'],
        [A, '2025-01-15T01:00:00Z', '0.75', 'E'],
        [A, '2025-01-15T23:30:00Z', '4'],
      ]),
    );
    expect(j2).toMatchObject({ readingsImported: 2, duplicates: 1, conflicts: 0 });

    const d = core.readings.readDays(meterId(A), JAN15 - 1, JAN15 + 2, { writers: true });
    expect(Array.from(d.days)).toEqual([JAN15]); // one stored row for the day, not one per file
    expect(Array.from(d.offsets)).toEqual([0, 48]);
    const received = [0, 1, 2, 47];
    expect(Array.from(d.quality).map((q, i) => (received.includes(i) ? q : q === NOT_RECEIVED ? 'nr' : q))).toEqual(
      Array.from({ length: 48 }, (_, i) => (i === 2 ? ESTIMATED : received.includes(i) ? ACTUAL : 'nr')),
    );
    expect(received.map((i) => d.values[i])).toEqual([1.5, 2.25, 0.75, 4]);
    expect(received.map((i) => d.writers![i])).toEqual([j1.id, j1.id, j2.id, j2.id]);
    expect(Number.isNaN(d.values[3]!)).toBe(true);
    expect(core.sqlite.prepare('SELECT count(*) FROM meter_days').pluck().get()).toBe(1);
    expect(stats(A, JAN15)).toEqual({
      half_hours: 48,
      kwh: 8.5,
      present: 4,
      estimated: 1,
      missing: 0,
      min: 0.75,
      max: 4,
      peak_slot: 47,
    });
    const s = core.readings.summaries([meterId(A)], JAN15, JAN15 + 1);
    expect([s.count, s.kwh[0], s.peakTs[0]]).toEqual([1, 8.5, ts('2025-01-15T23:30:00Z')]);
    expect(core.readings.total([meterId(A)], JAN15, JAN15 + 1)).toEqual({ kwh: 8.5, present: 4 });
  });

  it('tells duplicates (same value, or missing again) from conflicts (a different value, or a value for a missing one) and keeps what is stored', async () => {
    core = await makeCore();
    await importOne(
      csv('a.csv', [
        [A, '2025-01-15T00:00:00Z', '1.5'],
        [A, '2025-01-15T00:30:00Z', ''],
        [A, '2025-01-15T01:00:00Z', '2'],
        [A, '2025-01-15T01:30:00Z', ''],
      ]),
    );
    const seq = core.readings.currentSeq();
    const before = stats(A, JAN15);
    const same = await importOne(
      csv('b.csv', [
        [A, '2025-01-15T00:00:00Z', '1.500'],
        [A, '2025-01-15T00:30:00Z', ''],
      ]),
    );
    expect(same).toMatchObject({ readingsImported: 0, duplicates: 2, conflicts: 0 });
    // only duplicates: nothing was written
    expect(core.readings.changedSince(seq)).toEqual([]);
    const diff = await importOne(
      csv('c.csv', [
        [A, '2025-01-15T01:00:00Z', '3'],
        [A, '2025-01-15T01:30:00Z', '5'],
        [A, '2025-01-15T00:00:00Z', ''],
      ]),
    );
    expect(diff).toMatchObject({ readingsImported: 0, duplicates: 0, conflicts: 3 });
    expect(diff.errors.map((e) => e.message)).toEqual([
      expect.stringMatching(/already stored as 2 kWh/),
      expect.stringMatching(/already stored as missing kWh/),
      expect.stringMatching(/already stored as 1.5 kWh/),
    ]);
    expect(at(A, '2025-01-15T00:00:00Z')).toMatchObject({ kwh: 1.5, quality: ACTUAL });
    expect(at(A, '2025-01-15T00:30:00Z')).toMatchObject({ kwh: null, quality: MISSING });
    expect(at(A, '2025-01-15T01:00:00Z')).toMatchObject({ kwh: 2, quality: ACTUAL });
    expect(at(A, '2025-01-15T01:30:00Z')).toMatchObject({ kwh: null, quality: MISSING });
    expect(stats(A, JAN15)).toEqual(before);
    expect(core.readings.changedSince(seq)).toEqual([]);
  });

  it('replace overwrites a conflict; undoing the job brings back the value (and flag, and writer) it overwrote', async () => {
    core = await makeCore();
    const j1 = await importOne(
      csv('a.csv', [
        [A, '2025-01-15T00:00:00Z', '1.5'],
        [A, '2025-01-15T00:30:00Z', ''],
        [A, '2025-01-15T01:00:00Z', '2', 'E'],
      ]),
    );
    const original = stats(A, JAN15);
    const j2 = await importOne(
      csv('b.csv', [
        [A, '2025-01-15T00:00:00Z', '9'],
        [A, '2025-01-15T00:30:00Z', '3'],
        [A, '2025-01-15T01:00:00Z', '2'],
        [A, '2025-01-15T01:30:00Z', '7'],
      ]),
      'replace',
    );
    expect(j2).toMatchObject({ readingsImported: 1, duplicates: 1, conflicts: 2 });
    expect(j2.errors[0]!.message).toMatch(/replaced it/);
    expect(at(A, '2025-01-15T00:00:00Z')).toEqual({ kwh: 9, quality: ACTUAL, job: j2.id });
    expect(at(A, '2025-01-15T00:30:00Z')).toEqual({ kwh: 3, quality: ACTUAL, job: j2.id });
    expect(at(A, '2025-01-15T01:00:00Z')).toEqual({ kwh: 2, quality: ESTIMATED, job: j1.id }); // a duplicate is not rewritten
    expect(stats(A, JAN15)).toMatchObject({ kwh: 21, present: 4, estimated: 1, missing: 0, max: 9 });

    const seq = core.readings.currentSeq();
    expect(undo(j2.id)).toEqual({ meterIds: [meterId(A)], days: 1, removed: 1, restored: 2 });
    expect(at(A, '2025-01-15T00:00:00Z')).toEqual({ kwh: 1.5, quality: ACTUAL, job: j1.id });
    expect(at(A, '2025-01-15T00:30:00Z')).toEqual({ kwh: null, quality: MISSING, job: j1.id });
    expect(at(A, '2025-01-15T01:00:00Z')).toEqual({ kwh: 2, quality: ESTIMATED, job: j1.id });
    expect(at(A, '2025-01-15T01:30:00Z')).toBeNull();
    expect(stats(A, JAN15)).toEqual(original);
    expect(core.readings.changedSince(seq)).toEqual([{ meterId: meterId(A), day: JAN15, removed: false }]);
    // one writer again: the day's writers BLOB is gone
    expect(core.sqlite.prepare('SELECT job_id, writers IS NULL AS single FROM meter_days').get()).toEqual({
      job_id: j1.id,
      single: 1,
    });
    // nothing left to undo for j2
    expect(undo(j2.id)).toEqual({ meterIds: [], days: 0, removed: 0, restored: 0 });
  });

  it('cancelling a retrying replace job restores what it overwrote', async () => {
    const now = Date.parse('2025-06-01T00:00:00Z'); // fixed: the retry never falls due
    core = await makeCore({ clock: { now: () => now } });
    const j1 = await importOne(
      csv('a.csv', [
        [C, '2025-01-15T00:00:00Z', '1.5'],
        [C, '2025-01-15T00:30:00Z', '2.5'],
      ]),
    );
    // a big replace file: its first chunk commits, the second fails, and the job waits to retry
    const rows: [string, string, string][] = [[C, '2025-01-15T00:00:00Z', '8']];
    for (let i = 1; i < 60000; i++)
      rows.push([C, new Date(Date.UTC(2025, 0, 15) + (i + 1) * 1800000).toISOString(), '1']);
    const { fileId } = await core.files.storePath(csv('big.csv', rows));
    const { jobIds } = core.imports.enqueue([fileId], { onConflict: 'replace' });
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
    (core.sqlite as unknown as { transaction: typeof realTx }).transaction = realTx;
    expect(core.imports.get(jobIds[0]!).status).toBe('retrying');
    expect(at(C, '2025-01-15T00:00:00Z')).toEqual({ kwh: 8, quality: ACTUAL, job: jobIds[0] });
    expect(core.imports.cancel(jobIds[0]!).status).toBe('cancelled');
    expect(at(C, '2025-01-15T00:00:00Z')).toEqual({ kwh: 1.5, quality: ACTUAL, job: j1.id });
    expect(at(C, '2025-01-15T00:30:00Z')).toEqual({ kwh: 2.5, quality: ACTUAL, job: j1.id });
    expect(at(C, '2025-01-15T01:00:00Z')).toBeNull();
    expect(core.readings.spans([meterId(C)]).get(meterId(C))).toEqual({
      first: ts('2025-01-15T00:00:00Z'),
      last: ts('2025-01-15T00:30:00Z'),
      count: 2,
    });
    expect(core.readings.dayCount()).toBe(1);
  });

  it("undoing an earlier job keeps a later job's overwrite; undoing the later one then restores what was there before both", async () => {
    core = await makeCore();
    const t = '2025-01-15T00:00:00Z';
    const j1 = await importOne(
      csv('a.csv', [
        [A, t, '1'],
        [A, '2025-01-15T00:30:00Z', '1'],
      ]),
    );
    const j2 = await importOne(csv('b.csv', [[A, t, '2']]), 'replace');
    const j3 = await importOne(csv('c.csv', [[A, t, '3']]), 'replace');
    expect([j2.conflicts, j3.conflicts]).toEqual([1, 1]);
    expect(at(A, t)).toEqual({ kwh: 3, quality: ACTUAL, job: j3.id });
    undo(j2.id);
    expect(at(A, t)).toEqual({ kwh: 3, quality: ACTUAL, job: j3.id }); // the later job's value stays
    undo(j3.id);
    // not j2's 2 (j2 was undone): j1's 1, from before both
    expect(at(A, t)).toEqual({ kwh: 1, quality: ACTUAL, job: j1.id });
    expect(stats(A, JAN15)).toMatchObject({ kwh: 2, present: 2 });
  });

  it('undoing the job that first wrote a half-hour keeps a later overwrite; undoing that one then leaves nothing', async () => {
    core = await makeCore();
    const t = '2025-01-15T00:00:00Z';
    const other = await importOne(csv('o.csv', [[A, '2025-01-15T12:00:00Z', '5']]));
    const j1 = await importOne(csv('a.csv', [[A, t, '1']]));
    const j2 = await importOne(csv('b.csv', [[A, t, '2']]), 'replace');
    undo(j1.id);
    expect(at(A, t)).toEqual({ kwh: 2, quality: ACTUAL, job: j2.id });
    undo(j2.id);
    // before j1 and j2 there was no value here: j1's must not come back
    expect(at(A, t)).toBeNull();
    expect(at(A, '2025-01-15T12:00:00Z')).toEqual({ kwh: 5, quality: ACTUAL, job: other.id });
    expect(stats(A, JAN15)).toMatchObject({ kwh: 5, present: 1 });
  });

  it('a day emptied by an undo leaves day_stats and is reported removed by changedSince', async () => {
    core = await makeCore();
    const j1 = await importOne(
      csv('a.csv', [
        [A, '2025-01-15T00:00:00Z', '1'],
        [A, '2025-01-16T00:00:00Z', '2'],
      ]),
    );
    const j2 = await importOne(
      csv('b.csv', [
        [A, '2025-01-16T00:30:00Z', '3'],
        [B, '2025-01-16T00:30:00Z', '4'],
      ]),
    );
    const seq = core.readings.currentSeq();
    expect(core.readings.changedSince(seq)).toEqual([]);
    expect(undo(j1.id).days).toBe(2);
    expect(stats(A, JAN15)).toBeUndefined();
    expect(
      core.sqlite
        .prepare('SELECT count(*) FROM meter_days WHERE meter_id = ? AND day = ?')
        .pluck()
        .get(meterId(A), JAN15),
    ).toBe(0);
    expect(core.readings.readDays(meterId(A), JAN15, JAN15 + 1).days).toHaveLength(0);
    const changed = core.readings.changedSince(seq);
    expect(changed).toHaveLength(2);
    expect(changed).toEqual(
      expect.arrayContaining([
        { meterId: meterId(A), day: JAN15, removed: true },
        { meterId: meterId(A), day: JAN15 + 1, removed: false },
      ]),
    );
    expect(core.readings.changedSince(core.readings.currentSeq())).toEqual([]);
    expect(core.readings.hasData(meterId(A))).toBe(true);
    undo(j2.id);
    expect(core.readings.hasData(meterId(A))).toBe(false);
    expect(core.readings.hasData(meterId(B))).toBe(false);
    expect(core.readings.metersWithData()).toEqual([]);
    expect(core.readings.dayCount()).toBe(0);
    expect(
      core.readings
        .changedSince(seq)
        .filter((c) => c.removed)
        .map((c) => c.day)
        .sort((x, y) => x - y),
    ).toEqual([JAN15, JAN15 + 1, JAN15 + 1]);
  });

  it('spans() gives the first and last received half-hours (missing included) and valueSpan() the first and last with a value, in UK local days', async () => {
    core = await makeCore();
    await importOne(
      csv('a.csv', [
        // 2025-06-10 local starts at 23:00 UTC the day before (BST)
        [A, '2025-06-09T23:00:00Z', ''],
        [A, '2025-06-09T23:30:00Z', '1'],
        [A, '2025-06-11T12:00:00Z', '2', 'E'],
        [A, '2025-06-12T22:00:00Z', '3'],
        [A, '2025-06-12T22:30:00Z', ''],
        [B, '2025-06-10T10:00:00Z', ''],
      ]),
    );
    const a = meterId(A);
    const b = meterId(B);
    const spans = core.readings.spans();
    expect(spans.get(a)).toEqual({ first: ts('2025-06-09T23:00:00Z'), last: ts('2025-06-12T22:30:00Z'), count: 5 });
    expect(spans.get(b)).toEqual({ first: ts('2025-06-10T10:00:00Z'), last: ts('2025-06-10T10:00:00Z'), count: 1 });
    expect(core.readings.valueSpan(a)).toEqual({ first: ts('2025-06-09T23:30:00Z'), last: ts('2025-06-12T22:00:00Z') });
    expect(core.readings.valueSpan(b)).toBeNull(); // only a missing half-hour
    expect(Array.from(core.readings.readDays(a, 0, 60000).days)).toEqual([
      dayFromDate(2025, 6, 10),
      dayFromDate(2025, 6, 11),
      dayFromDate(2025, 6, 12),
    ]);
    // a meter with no data has no span
    const jc = await importOne(csv('c.csv', [[C, '2025-06-10T10:00:00Z', '1']]));
    expect(core.readings.spans([meterId(C)]).size).toBe(1);
    undo(jc.id);
    expect(core.readings.spans([a, meterId(C)])).toEqual(new Map([[a, spans.get(a)]]));
    expect(core.readings.valueSpan(meterId(C))).toBeNull();
  });

  it('rebuildSummaries() rewrites nothing after imports, and repairs a day_stats row corrupted behind its back', async () => {
    core = await makeCore();
    await importOne(
      csv('a.csv', [
        [A, '2025-01-15T00:00:00Z', '1.25'],
        [A, '2025-01-15T00:30:00Z', '', 'A'],
        [A, '2025-01-15T01:00:00Z', '3', 'E'],
        [B, '2025-01-16T00:00:00Z', '0.5'],
      ]),
    );
    await importOne(
      csv('b.csv', [
        [A, '2025-01-15T01:30:00Z', '0.1'],
        [A, '2025-01-15T00:00:00Z', '7'],
      ]),
      'replace',
    );
    const all = () => core.sqlite.prepare('SELECT * FROM day_stats ORDER BY meter_id, day').all();
    const good = all();
    expect(core.readings.rebuildSummaries()).toEqual({ meters: 2, days: 2, rewritten: 0 });
    expect(all()).toEqual(good);

    core.sqlite
      .prepare(
        'UPDATE day_stats SET kwh = kwh + 1, max = 99, peak_slot = 40, present = 1 WHERE meter_id = ? AND day = ?',
      )
      .run(meterId(A), JAN15);
    core.sqlite
      .prepare(
        'INSERT INTO day_stats (meter_id, day, half_hours, kwh, present, estimated, missing, min, max, peak_slot, seq) VALUES (?, ?, 48, 5, 1, 0, 0, 5, 5, 0, 1)',
      )
      .run(meterId(B), JAN15 + 5);
    expect(all()).not.toEqual(good);
    const before = core.readings.currentSeq();
    expect(core.readings.rebuildSummaries()).toEqual({ meters: 2, days: 2, rewritten: 2 });
    const withoutSeq = (rows: unknown[]) => rows.map((r) => ({ ...(r as Record<string, unknown>), seq: undefined }));
    expect(withoutSeq(all())).toEqual(withoutSeq(good));
    // a repair is a change: the repaired day and the removed orphan are reported after the old mark
    expect(core.readings.changedSince(before)).toEqual(
      expect.arrayContaining([
        { meterId: meterId(A), day: JAN15, removed: false },
        { meterId: meterId(B), day: JAN15 + 5, removed: true },
      ]),
    );
    expect(stats(A, JAN15)).toEqual({
      half_hours: 48,
      kwh: 10.1,
      present: 3,
      estimated: 1,
      missing: 1,
      min: 0.1,
      max: 7,
      peak_slot: 0,
    });
    expect(core.readings.rebuildSummaries().rewritten).toBe(0);
  });

  it('reads clock-change days with 46 (2025-03-30) and 50 (2025-10-26) half-hours', async () => {
    core = await makeCore();
    const rows: [string, string, string][] = [];
    // every half-hour of the days around each clock change
    const add = (fromIso: string, n: number) => {
      for (let i = 0; i < n; i++)
        rows.push([A, new Date(Date.parse(fromIso) + i * 1800000).toISOString(), String(((i % 48) + 1) / 100)]);
    };
    add('2025-03-29T00:00:00Z', 48 + 46 + 48); // 29 Mar (GMT), 30 Mar (46), 31 Mar (BST)
    add('2025-10-25T23:00:00Z', 50 + 48); // 26 Oct (from BST midnight, 50), 27 Oct (GMT)
    const job = await importOne(csv('clock.csv', rows));
    expect(job.readingsImported).toBe(rows.length);
    const spring = dayFromDate(2025, 3, 30);
    const autumn = dayFromDate(2025, 10, 26);
    const d = core.readings.readDays(meterId(A), spring - 1, autumn + 2);
    expect(Array.from(d.days)).toEqual([spring - 1, spring, spring + 1, autumn, autumn + 1]);
    const lengths = Array.from(d.days, (_, i) => d.offsets[i + 1]! - d.offsets[i]!);
    expect(lengths).toEqual([48, 46, 48, 50, 48]);
    expect(d.quality.every((q) => q === ACTUAL)).toBe(true);
    expect(Array.from(d.values)).toEqual(rows.map((r) => Number(r[2])));
    const s = core.readings.summaries([meterId(A)], spring - 1, autumn + 2);
    expect(Array.from(s.halfHours)).toEqual([48, 46, 48, 50, 48]);
    expect(Array.from(s.present)).toEqual([48, 46, 48, 50, 48]);
    // UTC starts run on unbroken through the repeated local hour of 26 October
    const h = core.readings.halfHours(meterId(A), ts('2025-10-26T00:00:00Z'), ts('2025-10-26T02:00:00Z'));
    expect(Array.from(h.ts.subarray(0, h.count))).toEqual(
      [0, 1, 2, 3].map((i) => ts('2025-10-26T00:00:00Z') + i * 1800),
    );
  });
});

describe('portfolio day totals per fuel (fuel_days)', () => {
  it('follow the day summaries through imports, a replace and an undo, day by day and all at once', async () => {
    core = await makeCore();
    const sums = () =>
      core.sqlite
        .prepare(
          'SELECT m.fuel, s.day, round(total(s.kwh), 9) AS kwh, total(s.present) AS present, count(*) AS meters FROM day_stats s JOIN meters m ON m.id = s.meter_id GROUP BY m.fuel, s.day ORDER BY 1, 2',
        )
        .all();
    const rolled = () =>
      core.sqlite.prepare('SELECT fuel, day, round(kwh, 9) AS kwh, present, meters FROM fuel_days ORDER BY 1, 2').all();
    await importOne(
      csv('a.csv', [
        [A, '2025-01-15T00:00:00Z', '1.25'],
        [B, '2025-01-15T00:30:00Z', '2'],
        [B, '2025-01-16T00:00:00Z', '0.5'],
      ]),
    );
    await core.scheduler.idle();
    expect(rolled()).toEqual(sums());
    expect(core.readings.fuelTotal('electricity', JAN15, JAN15 + 2)).toEqual({ kwh: 3.75, present: 3 });
    const job = await importOne(
      csv('b.csv', [
        [A, '2025-01-15T00:00:00Z', '4'],
        [A, '2025-01-17T00:00:00Z', '1'],
      ]),
      'replace',
    );
    // not rolled up yet: the dashboard must not read stale totals
    core.sqlite.transaction(() => core.readings.nextSeq())();
    expect(core.readings.fuelTotal('electricity', JAN15, JAN15 + 3)).toBeNull();
    await core.aggregation.incremental();
    expect(rolled()).toEqual(sums());
    expect(core.readings.fuelTotal('electricity', JAN15, JAN15 + 3)).toEqual({ kwh: 7.5, present: 4 });
    core.sqlite.transaction(() => core.readings.undoJob(job.id))();
    expect(core.readings.refreshFuelDays()).toBe(2); // the 15th (value back) and the 17th (gone)
    expect(rolled()).toEqual(sums());
    // 500 more days, summed day by day, then again all at once in one grouped pass: the same totals
    const lines = [];
    for (let d = 0; d < 500; d++)
      for (let k = 0; k < 48; k++)
        lines.push([B, new Date(Date.UTC(2023, 0, 1) + (d * 48 + k) * 1800000).toISOString(), '0.25'] as [
          string,
          string,
          string,
        ]);
    await importOne(csv('big.csv', lines));
    await core.scheduler.idle();
    const dayByDay = rolled();
    expect(dayByDay).toEqual(sums());
    core.sqlite.prepare("UPDATE readings_meta SET value = 0 WHERE key = 'portfolio'").run();
    core.sqlite.prepare('DELETE FROM fuel_days').run();
    expect(core.readings.refreshFuelDays(0)).toBe(sums().length);
    expect(rolled()).toEqual(dayByDay);
  });
});
