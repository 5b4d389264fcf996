/**
 * The desktop's sync pieces on their own, on real data folders: meter-days taken from the readings
 * store as they are pushed and written into another folder as they are pulled (days.ts and the
 * store's packed-day methods), the outbox, and the sync state.
 */
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { PulledDay, PushedDay } from '../../../src-shared/contract/sync';
import type { Core } from '../app';
import { FIXTURES, importFiles, makeCore, storedReadings, writeTemp } from '../../../tests/helpers/core';
import { DaySync } from './days';
import { createEntitySync } from './entities';
import { Outbox } from './outbox';
import { SyncState } from './state';

const cores: Core[] = [];
afterEach(async () => {
  for (const c of cores.splice(0)) await c.stop();
});

async function core(): Promise<Core> {
  const c = await makeCore();
  cores.push(c);
  return c;
}

/** Readings without the writing import job (that is each folder's own). */
const values = (c: Core) => storedReadings(c).map(([m, t, v, q]) => [m, t, v, q] as const);

/** Pushed days as the server would hand them back at `version`. */
const asPulled = (days: PushedDay[], version: number): PulledDay[] =>
  days.map(({ meter, day, vals, quality, volumes, removed }) => ({
    meter,
    day,
    vals,
    quality,
    volumes,
    version,
    removed: removed ?? false,
  }));

const never = () => false;

const CSV = (kwh: string) =>
  [
    'MPAN,Timestamp,kWh,Quality',
    ...[0, 1, 2, 3].map((i) => `1200050000009,2025-03-03 0${i}:00,${i === 2 ? kwh : '1.5'},A`),
  ].join('\n');

describe('meter-days between folders', () => {
  it('takes every imported day as stored and writes it into another folder unchanged, never to be pushed back', async () => {
    const a = await core();
    const b = await core();
    await importFiles(a, [
      path.join(FIXTURES, 'public', 'wide-hh-banes-energysparks.csv'),
      path.join(FIXTURES, 'csv', 'long-autumn-with-errors.csv'),
    ]);
    const fromA = new DaySync(a.sqlite, a.readings);
    const { days, upTo } = fromA.collect(0);
    expect(upTo).toBe(a.readings.currentSeq());
    expect(days.length).toBe(a.readings.dayCount());
    expect(days.every((d) => d.base === 0 && !d.removed)).toBe(true);
    // the 50-half-hour autumn day travels as 50 values
    expect(days.some((d) => Buffer.from(d.vals, 'base64').length === 1 + 50 * 2)).toBe(true);

    const toB = new DaySync(b.sqlite, b.readings);
    const applied = b.sqlite.transaction(() => toB.apply(asPulled(days, 7), [], never))();
    expect(applied.written).toBe(days.length);
    expect(values(b)).toEqual(values(a));
    // summaries computed on arrival equal the importing folder's
    const ids = (c: Core) => c.sqlite.prepare('SELECT id FROM meters ORDER BY identifier').pluck().all() as number[];
    expect(b.readings.summaries(ids(b), 0, 60000)).toEqual(a.readings.summaries(ids(a), 0, 60000));
    expect(b.sqlite.prepare('SELECT DISTINCT version FROM sync_days').pluck().all()).toEqual([7]);
    // what a pull wrote is not a local change
    const mark = b.sqlite.transaction(() => toB.collect(0))();
    expect(mark.days).toEqual([]);
    // the same page again writes nothing
    expect(b.sqlite.transaction(() => toB.apply(asPulled(days, 7), [], never))().written).toBe(0);
  });

  it('keeps the local import job on half-hours the pulled day leaves as they were, and pushes a later local change', async () => {
    const a = await core();
    const b = await core();
    await importFiles(a, [writeTemp('a.csv', CSV('2.25'))]);
    await importFiles(b, [writeTemp('b.csv', CSV('9.5'))]);
    const pulled = asPulled(new DaySync(a.sqlite, a.readings).collect(0).days, 3);
    const toB = new DaySync(b.sqlite, b.readings);
    const mark = b.sqlite.transaction(() => toB.collect(0).upTo)();
    b.sqlite.transaction(() => toB.apply(pulled, [], never))();
    const jobs = storedReadings(b).map(([, , v, , job]) => [v, job]);
    const bJob = storedReadings(b)[0]![4];
    expect(bJob).toBeGreaterThan(0);
    // the half-hour that changed has no local job; the others keep the import that wrote them
    expect(jobs).toEqual([
      [1.5, bJob],
      [1.5, bJob],
      [2.25, 0],
      [1.5, bJob],
    ]);
    // a local import afterwards is pushed, with the pulled day's version as its base
    await importFiles(b, [writeTemp('b2.csv', 'MPAN,Timestamp,kWh,Quality\n1200050000009,2025-03-03 05:00,4,A')]);
    const next = toB.collect(mark);
    expect(next.days.map((d) => [d.meter, d.base])).toEqual([['1200050000009', 3]]);
  });

  it('removes a day the server removed, leaves days holding local changes, and refuses a day that does not fit', async () => {
    const a = await core();
    await importFiles(a, [writeTemp('a.csv', CSV('2.25'))]);
    const ds = new DaySync(a.sqlite, a.readings);
    const [day] = ds.collect(0).days;
    const mark = a.readings.currentSeq();
    // held back: a local change not yet pushed
    const kept = a.sqlite.transaction(() =>
      ds.apply([{ ...asPulled([day!], 4)[0]!, removed: true }], [], () => true),
    )();
    expect(kept).toMatchObject({ written: 0, kept: 1 });
    expect(values(a)).toHaveLength(4);
    a.sqlite.transaction(() => ds.apply([{ ...asPulled([day!], 5)[0]!, vals: '', removed: true }], [], never))();
    expect(values(a)).toEqual([]);
    const removed = a.readings.changedSince(mark);
    expect(removed.map((c) => c.removed)).toEqual([true]);
    // a pulled removal is not pushed back
    expect(ds.collect(mark).days).toEqual([]);
    const before = a.readings.currentSeq();
    const bad = { ...asPulled([day!], 6)[0]!, vals: Buffer.from([0x10, 1, 2, 3]).toString('base64') };
    expect(() => a.sqlite.transaction(() => ds.apply([bad], [], never))()).toThrow(/is not packed as 48 half-hours/);
    expect(a.readings.currentSeq()).toBe(before);
    expect(values(a)).toEqual([]);
  });

  it('makes no meter for removed days, nor for days its pulled tombstone covers; a placeholder goes with the tombstone', async () => {
    const a = await core();
    await importFiles(a, [writeTemp('gone.csv', CSV('2.5'))]);
    const { days } = new DaySync(a.sqlite, a.readings).collect(0);
    const meters = (c: Core) => c.sqlite.prepare('SELECT identifier FROM meters').pluck().all();
    const removed = asPulled(days, 7).map((d) => ({ ...d, vals: '', quality: null, volumes: null, removed: true }));

    const b = await core();
    const toB = new DaySync(b.sqlite, b.readings);
    expect(toB.apply(removed, [], never)).toMatchObject({ written: 0 });
    expect(meters(b)).toEqual([]);
    // the meter's tombstone at version 6, then (in the same page or a later one) its live days at 5 and 6: nothing
    createEntitySync(b.sqlite).apply([{ type: 'meter', key: '1200050000009', version: 6, deleted: true, groups: {} }]);
    expect(toB.apply([...asPulled(days, 5), ...asPulled(days, 6)], [], never).written).toBe(0);
    expect(meters(b)).toEqual([]);
    // live days after the tombstone make the meter, as a placeholder its own row or tombstone settles
    expect(toB.apply(asPulled(days, 8), [], never).written).toBe(days.length);
    expect(meters(b)).toEqual(['1200050000009']);
    createEntitySync(b.sqlite).apply([{ type: 'meter', key: '1200050000009', version: 9, deleted: true, groups: {} }]);
    expect(meters(b)).toEqual([]);
    expect(values(b)).toEqual([]);
    // linked to another server, the tombstones pulled from this one no longer count
    toB.clear();
    expect(toB.apply(asPulled(days, 5), [], never).written).toBe(days.length);
    expect(values(b)).toEqual(values(a));
  });

  it('pushes a local removal of a day the server had, and not one it never had', async () => {
    const a = await core();
    await importFiles(a, [writeTemp('a.csv', CSV('2.25'))]);
    const ds = new DaySync(a.sqlite, a.readings);
    const { days, upTo } = ds.collect(0);
    a.sqlite.transaction(() => ds.acknowledged(days, 11))();
    const meterId = a.sqlite.prepare('SELECT id FROM meters').pluck().get() as number;
    a.sqlite.transaction(() => a.readings.removeDay(meterId, days[0]!.day, a.readings.nextSeq()))();
    expect(ds.collect(upTo).days).toEqual([
      { meter: '1200050000009', day: days[0]!.day, vals: '', quality: null, volumes: null, base: 11, removed: true },
    ]);
    a.sqlite.prepare('DELETE FROM sync_days').run();
    expect(ds.collect(upTo).days).toEqual([]);
  });
});

describe('outbox and state', () => {
  it('keeps mutations exactly as made, oldest first, until removed', async () => {
    const c = await core();
    const box = new Outbox(c.sqlite, () => 1000);
    const state = new SyncState(c.sqlite);
    const first = state.takeSeqs(2);
    expect(first).toBe(1);
    expect(state.takeSeqs(1)).toBe(3);
    const day: PushedDay = { meter: 'M1', day: 20000, vals: 'EAAA', quality: null, volumes: null, base: 0 };
    box.add({ seq: 2, kind: 'days', days: [day, { ...day, day: 20001 }] });
    box.add({ seq: 1, kind: 'resolve', conflicts: [{ id: 4, keep: 'server' }] });
    expect(box.entries().map((e) => [e.seq, e.kind, e.items])).toEqual([
      [1, 'resolve', 1],
      [2, 'days', 2],
    ]);
    expect(box.read(2)).toEqual({ seq: 2, kind: 'days', days: [day, { ...day, day: 20001 }] });
    expect([...box.waitingDays()]).toEqual(['M1|20000', 'M1|20001']);
    expect(box.items()).toBe(3);
    box.remove(2);
    expect(box.items()).toBe(1);
    expect(box.entries().map((e) => e.kind)).toEqual(['resolve']);
  });

  it('makes the client id once and keeps the state across reopening', async () => {
    const c = await core();
    const s = new SyncState(c.sqlite);
    const id = s.clientId;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    s.keptSites = ['b', 'a', 'b'];
    s.cursor = '12:3:20000';
    expect(new SyncState(c.sqlite).clientId).toBe(id);
    expect(new SyncState(c.sqlite).keptSites).toEqual(['a', 'b']);
    expect(new SyncState(c.sqlite).cursor).toBe('12:3:20000');
    expect(new SyncState(c.sqlite).everyMinutes).toBe(5);
  });
});
