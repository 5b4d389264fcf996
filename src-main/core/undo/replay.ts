/**
 * Later imports' values for the half-hours a roll-back gives back. An import that met a value the
 * rolled-back job had written (a duplicate, or a conflict that kept the stored value) wrote
 * nothing there, so the store does not know what it gave. Its stored file is read again, the way
 * it was imported (format, meter, chunk by chunk), and only the half-hours the roll-back gives
 * back are kept: merged in the order the imports ran, with each one's keep/replace choice, they
 * leave those half-hours as a fresh import of the remaining files would.
 */
import type Database from 'better-sqlite3';
import { openReader, parseChunks, type ParseJob } from '../imports/parse-chunks';
import type { MeterLookup } from '../imports/sink';
import { DayBatch, STRIDE } from '../readings/batch';
import { NOT_RECEIVED } from '../readings/codec';
import type { TouchedSlots } from '../readings/store';

/** A finished import whose file is read again. */
export interface LaterImport {
  id: number;
  file: string;
  path: string;
  bytes: number;
  formatOverride: string | null;
  meterOverride: string | null;
  replace: boolean;
}

/** One chunk's values for the half-hours given back: a batch and the database ids of its meter indexes. */
export interface ReplayBatch {
  batch: DayBatch;
  meterIds: number[];
}

/** A later import's values for the half-hours given back, or why its file could not be read again. */
export interface Replay {
  job: LaterImport;
  batches: ReplayBatch[];
  error: string | null;
}

/** Reads each later import's file and keeps its values for the half-hours in `wanted`, chunk by chunk. */
export async function collectReplays(
  sqlite: Database.Database,
  jobs: LaterImport[],
  wanted: TouchedSlots,
): Promise<Replay[]> {
  const out: Replay[] = [];
  for (const job of jobs) {
    try {
      out.push({ job, batches: await collect(sqlite, job, wanted), error: null });
    } catch (e) {
      const msg = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'its copy is no longer kept' : (e as Error).message;
      out.push({ job, batches: [], error: msg });
    }
  }
  return out;
}

async function collect(sqlite: Database.Database, job: LaterImport, wanted: TouchedSlots): Promise<ReplayBatch[]> {
  const parseJob: ParseJob = {
    jobId: job.id,
    path: job.path,
    bytes: job.bytes,
    bytesDone: 0,
    lineDone: 0,
    rowsRead: 0,
    formatOverride: job.formatOverride,
    meterOverride: job.meterOverride,
  };
  const find = sqlite.prepare(
    'SELECT id, fuel, max_kwh_per_half_hour AS ceiling, calorific_value AS cv FROM meters WHERE identifier = ?',
  );
  // read from the start, as a fresh import: the repeated autumn hour is placed by the file alone
  const lookup: MeterLookup = {
    find: (identifier) => find.get(identifier) as ReturnType<MeterLookup['find']>,
    ownReading: () => false,
  };
  const opened = await openReader(parseJob);
  const dbIds: number[] = [];
  const batches: ReplayBatch[] = [];
  for await (const chunk of parseChunks(parseJob, opened, lookup, false)) {
    for (const m of chunk.meters) dbIds[m.index] = m.dbId;
    const kept = pick(chunk.batch, dbIds, wanted);
    if (kept) batches.push(kept);
  }
  return batches;
}

/** The half-hours of `b` (and their repeats) that `wanted` marks, as a batch of their own; null when none. */
function pick(b: DayBatch, dbIds: number[], wanted: TouchedSlots): ReplayBatch | null {
  const out = new DayBatch();
  const meterIds: number[] = [];
  const indexOf = new Map<number, number>();
  const target = new Map<number, number>();
  const marksOf = (i: number): Uint8Array | undefined => wanted.get(dbIds[b.meter[i]!]!)?.get(b.day[i]!);
  const dayOf = (i: number): number => {
    let j = target.get(i);
    if (j !== undefined) return j;
    const id = dbIds[b.meter[i]!]!;
    let m = indexOf.get(id);
    if (m === undefined) {
      indexOf.set(id, (m = meterIds.length));
      meterIds.push(id);
    }
    j = out.dayIndex(m, b.day[i]!, b.halfHours[i]!, b.start[i]!);
    target.set(i, j);
    return j;
  };
  for (let i = 0; i < b.count; i++) {
    const marks = marksOf(i);
    if (!marks) continue;
    const base = i * STRIDE;
    for (let s = 0; s < marks.length; s++) {
      if (marks[s] === 0 || b.quality[base + s] === NOT_RECEIVED) continue;
      const k = dayOf(i) * STRIDE + s;
      out.values[k] = b.values[base + s]!;
      out.quality[k] = b.quality[base + s]!;
      out.line[k] = b.line[base + s]!;
      out.col[k] = b.col[base + s]!;
      const vol = b.volumes ? b.volumes[base + s]! : NaN;
      if (vol === vol) out.ensureVolumes()[k] = vol;
      out.received++;
    }
  }
  const r = b.repeats;
  for (let n = 0; n < r.n; n++) {
    const i = r.index[n]!;
    const s = r.slot[n]!;
    if (!marksOf(i)?.[s]) continue;
    out.addRepeat(dayOf(i), s, r.value[n]!, r.quality[n]!, r.volume[n]!, r.line[n]!, r.col[n]!);
  }
  return out.count > 0 ? { batch: out, meterIds } : null;
}
