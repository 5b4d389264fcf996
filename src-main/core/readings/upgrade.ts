/**
 * Upgrade in place from the row-per-half-hour table (`readings`, migrations 0000–0005) to the
 * packed meter-days: runs inside the migration transaction, after 0006 made the new tables and
 * before 0007 drops the old ones. Every reading, flag, gas volume and writing job is carried over;
 * each meter's counts and kWh are then read back through the store and checked against the old
 * table. Any difference throws, the transaction rolls back, and the file is left as it was.
 */
import type Database from 'better-sqlite3';
import { STRIDE } from './batch';
import { lengthOf, startOf } from './calendar';
import { ACTUAL, ESTIMATED, KbnSum, MISSING, NOT_RECEIVED } from './codec';
import { ReadingsStore } from './store';

export class UpgradeError extends Error {}

interface Expected {
  n: number;
  estimated: number;
  missing: number;
  volumes: number;
  kwh: number;
}

/** Converts `readings` into the store; returns what it carried over (nothing when there is no old table). */
export function upgradeFromRowPerHalfHour(sqlite: Database.Database): { meters: number; readings: number } {
  const old = sqlite.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'readings'").get();
  if (!old) return { meters: 0, readings: 0 };
  const store = new ReadingsStore(sqlite);
  const seq = store.nextSeq();
  const meterIds = sqlite.prepare('SELECT DISTINCT meter_id FROM readings ORDER BY meter_id').pluck().all() as number[];
  const rows = sqlite
    .prepare('SELECT day, ts, kwh, quality, batch_id, volume_m3 FROM readings WHERE meter_id = ? ORDER BY day, ts')
    .raw();
  const v = new Float64Array(STRIDE);
  const q = new Uint8Array(STRIDE);
  const vol = new Float64Array(STRIDE);
  const w = new Int32Array(STRIDE);
  let total = 0;
  for (const id of meterIds) {
    const spans = new Map<number, [number, number]>();
    let day = -1;
    let hasVol = false;
    const flush = (): void => {
      if (day >= 0) store.putDay(id, day, v, q, hasVol ? vol : null, w, seq);
    };
    for (const [d, ts, kwh, quality, batch, volume] of rows.all(id) as [
      number,
      number,
      number | null,
      number,
      number | null,
      number | null,
    ][]) {
      if (d !== day) {
        flush();
        day = d;
        v.fill(0);
        q.fill(NOT_RECEIVED);
        vol.fill(NaN);
        w.fill(0);
        hasVol = false;
      }
      const s = (ts - startOf(d)) / 1800;
      if (!Number.isInteger(s) || s < 0 || s >= lengthOf(d)) {
        throw new UpgradeError(
          `meter ${id} has a reading at ${new Date(ts * 1000).toISOString()} that is not a half-hour of UK day ${d}`,
        );
      }
      v[s] = kwh ?? 0;
      q[s] = kwh === null ? MISSING : quality === ESTIMATED ? ESTIMATED : ACTUAL;
      if (volume !== null) {
        vol[s] = volume;
        hasVol = true;
      }
      const job = batch ?? 0;
      w[s] = job;
      if (job > 0) {
        const span = spans.get(job);
        if (!span) spans.set(job, [d, d]);
        else span[1] = d;
      }
      total++;
    }
    flush();
    for (const [job, [a, b]] of spans) store.addJobSpan(job, id, a, b);
  }

  // check every meter's counts and kWh through the store's own read path before anything is dropped
  const expected = new Map(
    (
      sqlite
        .prepare(
          'SELECT meter_id, count(*), sum(kwh IS NOT NULL AND quality = 1), sum(kwh IS NULL), count(volume_m3), total(kwh), min(day), max(day) FROM readings GROUP BY meter_id',
        )
        .raw()
        .all() as [number, number, number, number, number, number, number, number][]
    ).map(([m, n, estimated, missing, volumes, kwh, a, b]) => [m, { n, estimated, missing, volumes, kwh, a, b }]),
  );
  for (const [id, e] of expected) {
    const got = readBack(store, id, e.a, e.b + 1);
    for (const k of ['n', 'estimated', 'missing', 'volumes'] as const) {
      if (got[k] !== e[k])
        throw new UpgradeError(
          `meter ${id}: ${e[k]} ${k === 'n' ? 'readings' : k} before the upgrade, ${got[k]} after`,
        );
    }
    if (got.kwh !== e.kwh) throw new UpgradeError(`meter ${id}: ${e.kwh} kWh before the upgrade, ${got.kwh} after`);
  }
  return { meters: meterIds.length, readings: total };
}

function readBack(store: ReadingsStore, meterId: number, fromDay: number, toDay: number): Expected {
  const d = store.readDays(meterId, fromDay, toDay, { volumes: true });
  const sum = new KbnSum();
  const out: Expected = { n: 0, estimated: 0, missing: 0, volumes: 0, kwh: 0 };
  for (let i = 0; i < d.quality.length; i++) {
    const qi = d.quality[i]!;
    if (qi === NOT_RECEIVED) continue;
    out.n++;
    if (qi === ESTIMATED) out.estimated++;
    if (qi === MISSING) out.missing++;
    else sum.add(d.values[i]!);
    if (d.volumes![i] === d.volumes![i]) out.volumes++;
  }
  out.kwh = sum.value;
  return out;
}
