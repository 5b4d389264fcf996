/**
 * The readings conflict rule on the server (docs/sync.md, "Conflicts"): a pushed meter-day merged
 * into the stored one half-hour by half-hour. A half-hour the server lacks is taken, an equal one
 * is a duplicate, a different one keeps the server's value and is returned as a conflict. Pure
 * functions over the desktop's packed form (src-main/core/readings/codec.ts).
 */
import {
  MISSING,
  NOT_RECEIVED,
  packQuality,
  packValues,
  packVolumes,
  packedLength,
  summarise,
  unpackValues,
  unpackVolumes,
} from '../../core/readings/codec';

/** A day's half-hours unpacked: value (NaN where none), quality code and gas volume (NaN where none). */
export interface DayImage {
  n: number;
  v: Float64Array;
  q: Uint8Array;
  vol: Float64Array;
}

/** The packed BLOBs of a day. */
export interface Packed {
  vals: Buffer;
  quality: Buffer | null;
  volumes: Buffer | null;
}

/** A day with nothing received in any of its `n` half-hours. */
export function emptyDay(n: number): DayImage {
  return {
    n,
    v: new Float64Array(n).fill(NaN),
    q: new Uint8Array(n).fill(NOT_RECEIVED),
    vol: new Float64Array(n).fill(NaN),
  };
}

/** Unpacks a stored or pushed day. */
export function unpackDay(p: Packed): DayImage {
  const n = packedLength(p.vals);
  const img = emptyDay(n);
  if (p.quality) img.q.set(p.quality.subarray(0, n));
  else img.q.fill(0);
  unpackValues(p.vals, p.quality, img.v, 0);
  unpackVolumes(p.volumes, img.vol, 0, n);
  return img;
}

/** Packs a day as the desktop would (equal days pack to equal bytes). */
export function packDay(img: DayImage): Packed {
  return {
    vals: packValues(img.v, img.q, 0, img.n),
    quality: packQuality(img.q, 0, img.n),
    volumes: packVolumes(img.vol, 0, img.n),
  };
}

/** True when two packed days are the same bytes. */
export function samePacked(a: Packed, b: Packed): boolean {
  const eq = (x: Buffer | null, y: Buffer | null) => (x === null || y === null ? x === y : x.equals(y));
  return a.vals.equals(b.vals) && eq(a.quality, b.quality) && eq(a.volumes, b.volumes);
}

/** A half-hour the push gave differently: the server's value is kept. kWh null: no value (a blank). */
export interface SlotConflict {
  slot: number;
  serverKwh: number | null;
  serverQuality: number;
  pushedKwh: number | null;
  pushedQuality: number;
  pushedVolume: number | null;
}

/** As the desktop's import compares a value with a stored one. */
const sameValue = (a: number, b: number): boolean => a === b || Math.abs(a - b) < 1e-9;

const kwh = (v: number, q: number): number | null => (q === MISSING || v !== v ? null : v);

/** Sets one half-hour of `img` (a person's decision, or a half-hour the server lacked). */
export function setSlot(img: DayImage, s: number, v: number, q: number, vol: number): void {
  img.v[s] = v;
  img.q[s] = q;
  img.vol[s] = vol;
}

/**
 * Merges `pushed` into `server` in place: half-hours the server has not received are taken,
 * equal ones (both blank, or values within 1e-9 as the import compares them) are duplicates, and
 * different ones stay as the server has them and are returned. `changed`: some half-hour was taken.
 */
export function mergeDay(server: DayImage, pushed: DayImage): { changed: boolean; conflicts: SlotConflict[] } {
  const conflicts: SlotConflict[] = [];
  let changed = false;
  for (let s = 0; s < pushed.n; s++) {
    const pq = pushed.q[s]!;
    if (pq === NOT_RECEIVED) continue;
    const sq = server.q[s]!;
    if (sq === NOT_RECEIVED) {
      setSlot(server, s, pushed.v[s]!, pq, pushed.vol[s]!);
      changed = true;
      continue;
    }
    if (sq === MISSING ? pq === MISSING : pq !== MISSING && sameValue(server.v[s]!, pushed.v[s]!)) continue;
    conflicts.push({
      slot: s,
      serverKwh: kwh(server.v[s]!, sq),
      serverQuality: sq,
      pushedKwh: kwh(pushed.v[s]!, pq),
      pushedQuality: pq,
      pushedVolume: pushed.vol[s]! === pushed.vol[s]! ? pushed.vol[s]! : null,
    });
  }
  return { changed, conflicts };
}

/** The kWh of a day's half-hours that have a value, or null when none has (a removed day's conflict shows it). */
export function dayKwh(img: DayImage): number | null {
  const sum = summarise(img.v, img.q, 0, img.n);
  return sum.present ? sum.kwh : null;
}
