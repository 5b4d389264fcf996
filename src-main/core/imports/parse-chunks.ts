/**
 * The parsing half of an import: a file's records, ~1 MB at a time, turned into meter-days
 * (ParsedChunk), with each chunk's rejections, the meters it saw first, and its resume point. It
 * runs on the importing thread for small files, or on a thread of its own (`parseInWorker`) so that
 * parsing the next chunk overlaps storing this one: the two halves of a large import use both
 * cores. Either way the chunks, and so the stored result, are the same.
 */
import type Database from 'better-sqlite3';
import fs from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { RowError } from '../../../src-shared/contract/types';
import { DayBatch, type BatchData } from '../readings/batch';
import { ReadingsStore } from '../readings/store';
import { CsvRecord, detectEncoding, readChunks, scanRecords, type TextEncodingName } from './csv';
import { UnreadableFileError, type UnreadableKind } from './errors';
import { detectReader } from './formats/detect';
import { JsonWalker, utf8Pieces } from './formats/json-stream';
import type { DocumentReader, RecordReader } from './formats/types';
import { DaySink, type MeterInfo, type MeterLookup, type SiteSighting } from './sink';

/** What parsing needs to know about a job. */
export interface ParseJob {
  jobId: number;
  path: string;
  bytes: number;
  /** Resume point: byte offset after the last committed record, its line, rows read so far. */
  bytesDone: number;
  lineDone: number;
  rowsRead: number;
  formatOverride: string | null;
  meterOverride: string | null;
}

/** A meter as the storing half needs it (first seen in a chunk). */
export interface ChunkMeter {
  index: number;
  identifier: string;
  kind: 'mpan' | 'mprn' | 'other';
  fuel: 'electricity' | 'gas';
  topLine: string | null;
  /** Database id when it existed before the import, else -1. */
  dbId: number;
}

export interface ParsedChunk {
  format: string;
  /** Resume point after this chunk: byte offset and line number. */
  endOffset: number;
  endLine: number;
  /** Rows read and rows rejected in this chunk. */
  records: number;
  rejected: number;
  errors: RowError[];
  meters: ChunkMeter[];
  /** Sites the file named for its meters, first seen in this chunk. */
  sites: SiteSighting[];
  batch: DayBatch;
}

export interface OpenedReader {
  reader: RecordReader | DocumentReader;
  enc: { encoding: TextEncodingName; bomBytes: number };
  /** Lines end in CR alone (classic Mac): read as if each CR were a line feed. */
  crLines: boolean;
}

/** Reads a file's head, checks it is text, and picks its reader (UnreadableFileError when it cannot). */
export async function openReader(
  job: Pick<ParseJob, 'path' | 'formatOverride' | 'meterOverride'>,
): Promise<OpenedReader> {
  const head = readHead(job.path);
  let enc: { encoding: TextEncodingName; bomBytes: number };
  try {
    enc = detectEncoding(head);
  } catch (e) {
    throw new UnreadableFileError((e as Error).message, 'malformed');
  }
  if (enc.encoding === 'utf8' && head.includes(0)) {
    throw new UnreadableFileError(
      'The file contains binary data (NUL bytes): it is not a meter file; expected a CSV or JSON text file',
      'binary',
    );
  }
  let headText = head.toString(enc.encoding, enc.bomBytes);
  const crLines = headText.includes('\r') && !headText.includes('\n');
  if (crLines) headText = headText.replace(/\r/g, '\n');
  const reader = await detectReader(job.path, headText, enc, {
    meter: job.meterOverride ?? undefined,
    format: job.formatOverride ?? undefined,
  });
  return { reader, enc, crLines };
}

/** Meter lookups for a parser, on a connection of its own (read-only on a worker thread). */
export function meterLookup(sqlite: Database.Database, jobId: number): MeterLookup {
  const find = sqlite.prepare(
    'SELECT id, fuel, max_kwh_per_half_hour AS ceiling, calorific_value AS cv FROM meters WHERE identifier = ?',
  );
  const store = new ReadingsStore(sqlite);
  return {
    find: (identifier) => find.get(identifier) as ReturnType<MeterLookup['find']>,
    ownReading: (id, ts) => store.wroteHalfHour(id, ts, jobId),
  };
}

const toChunkMeter = (m: MeterInfo): ChunkMeter => ({
  index: m.index,
  identifier: m.identifier,
  kind: m.kind,
  fuel: m.fuel,
  topLine: m.topLine,
  dbId: m.dbId,
});

/**
 * The file's chunks from the job's resume point. With `fresh`, each chunk's arrays are new;
 * otherwise one set is reused, and a chunk is valid until the next is asked for.
 */
export async function* parseChunks(
  job: ParseJob,
  opened: OpenedReader,
  lookup: MeterLookup,
  fresh: boolean,
): AsyncGenerator<ParsedChunk> {
  const { reader, enc } = opened;
  const sink = new DaySink(lookup, reader.format.includes('gas') ? 'gas' : null);
  const take = (endOffset: number, endLine: number, records: number): ParsedChunk => {
    const c = sink.takeChunk(fresh);
    return {
      format: reader.format,
      endOffset,
      endLine,
      records,
      rejected: c.rejected,
      errors: c.errors,
      meters: c.meters.map(toChunkMeter),
      sites: c.sites,
      batch: c.batch,
    };
  };
  if (reader.kind === 'document') {
    yield* documentChunks(job, opened, reader, sink, take, fresh);
    return;
  }
  const headerEnd = await offsetAfterLine(
    job.path,
    enc.bomBytes,
    reader.headerLine,
    enc.encoding,
    opened.crLines ? 0x0d : 0x0a,
  );
  const resuming = job.bytesDone > headerEnd;
  let line = resuming ? job.lineDone : reader.headerLine;
  const rec = new CsvRecord();
  const delimiter = reader.delimiter.charCodeAt(0);
  const onRecord = (r: CsvRecord): void => {
    if (r.problem) sink.reject(r.line, r.problem.column, undefined, r.problem.message);
    else reader.parse(r, sink);
  };
  const fast = reader.fastPath?.(sink) ?? null;
  const fh = await fs.promises.open(job.path, 'r');
  try {
    const chunks = readChunks(fh, resuming ? job.bytesDone : headerEnd, enc.encoding, opened.crLines);
    for (let next = await chunks.next(); !next.done;) {
      const chunk = next.value;
      if (!fresh) sink.resetChunk();
      const r = scanRecords(chunk.buf, 0, chunk.len, chunk.eof, delimiter, line + 1, rec, onRecord, fast);
      line += r.lines;
      yield take(chunk.base + chunk.fileBytes(r.consumed), line, r.records);
      next = await chunks.next(r.consumed);
    }
  } finally {
    await fh.close();
  }
}

/**
 * A JSON export streamed ~1 MB at a time (json-stream.ts): a chunk per piece that held readings. The
 * resume point counts elements (line_done), so a resumed job skips the elements already committed.
 */
async function* documentChunks(
  job: ParseJob,
  opened: OpenedReader,
  reader: DocumentReader,
  sink: DaySink,
  take: (endOffset: number, endLine: number, records: number) => ParsedChunk,
  fresh: boolean,
): AsyncGenerator<ParsedChunk> {
  const meter = reader.begin(sink);
  if (!meter) {
    yield take(job.bytes, job.lineDone, 0); // the export's meter was rejected: its readings cannot be stored
    return;
  }
  let done = job.lineDone;
  let end = job.bytesDone;
  const walker = new JsonWalker(
    reader.items,
    (value, index, endOffset) => {
      if (index < job.lineDone) return;
      reader.item(value, index, meter, sink);
      done = index + 1;
      end = endOffset;
    },
    () => undefined,
  );
  let offset = 0;
  let lastDone = done;
  for await (const piece of utf8Pieces(job.path, opened.enc.encoding, opened.enc.bomBytes)) {
    const before = sink.batch.received + sink.batch.repeats.n;
    walker.feed(piece, 0, piece.length, offset);
    offset += piece.length;
    if (done > lastDone || sink.rejected > 0) {
      yield take(Math.min(end, job.bytes), done, sink.batch.received + sink.batch.repeats.n - before);
      lastDone = done;
      if (!fresh) sink.resetChunk();
    }
  }
  walker.end(Buffer.alloc(0), offset);
}

// ------------------------------------------------------------------ on a thread of its own

/** Chunks parsed ahead of the one being stored: memory stays bounded whatever the file size. */
const AHEAD = 1;

export interface ParseRequest {
  dbPath: string;
  job: ParseJob;
}

type ParseMessage =
  | { type: 'chunk'; chunk: Omit<ParsedChunk, 'batch'> & { batch: BatchData } }
  | { type: 'end' }
  | { type: 'error'; unreadable: UnreadableKind | false; message: string };

/** The parsing thread could not start (nothing was parsed): parse on the importing thread instead. */
export class ParseThreadUnavailable extends Error {}

/**
 * Parses on a worker thread running `script` (the bundled import worker, started with
 * workerData.parse): chunks arrive here in order while the next ones are parsed. Ending the
 * iteration early (a failed or cancelled job) stops the thread.
 */
export async function* parseInWorker(script: string, req: ParseRequest): AsyncGenerator<ParsedChunk> {
  const worker = new Worker(script, { workerData: { parse: req } });
  const inbox: ParseMessage[] = [];
  let wake: (() => void) | null = null;
  let failure: Error | null = null;
  const arrive = (): void => {
    wake?.();
    wake = null;
  };
  worker.on('message', (m: ParseMessage) => {
    inbox.push(m);
    arrive();
  });
  worker.on('error', (e) => {
    failure = e;
    arrive();
  });
  worker.on('exit', (code) => {
    if (code !== 0) failure ??= new Error(`the parsing thread stopped (exit code ${code})`);
    arrive();
  });
  let heard = false;
  try {
    for (;;) {
      while (inbox.length === 0) {
        if (failure) throw heard ? failure : new ParseThreadUnavailable((failure as Error).message);
        await new Promise<void>((r) => (wake = r));
      }
      const m = inbox.shift()!;
      heard = true;
      if (m.type === 'end') return;
      if (m.type === 'error')
        throw m.unreadable ? new UnreadableFileError(m.message, m.unreadable) : new Error(m.message);
      yield { ...m.chunk, batch: DayBatch.fromMessage(m.chunk.batch) };
      worker.postMessage('ack');
    }
  } finally {
    await worker.terminate();
  }
}

/**
 * The worker-thread side: parse, post each chunk (its arrays transferred, not copied), stay at most AHEAD chunks in
 * front.
 */
export async function serveParse(
  req: ParseRequest,
  port: import('node:worker_threads').MessagePort,
  openDb: (path: string) => Database.Database,
): Promise<void> {
  let credit = AHEAD;
  let wake: (() => void) | null = null;
  port.on('message', () => {
    credit++;
    wake?.();
    wake = null;
  });
  const sqlite = openDb(req.dbPath);
  try {
    const opened = await openReader(req.job);
    for await (const chunk of parseChunks(req.job, opened, meterLookup(sqlite, req.job.jobId), true)) {
      while (credit === 0) await new Promise<void>((r) => (wake = r));
      credit--;
      const batch = chunk.batch.toMessage();
      port.postMessage({ type: 'chunk', chunk: { ...chunk, batch } } satisfies ParseMessage, transferList(batch));
    }
    port.postMessage({ type: 'end' } satisfies ParseMessage);
  } catch (e) {
    port.postMessage({
      type: 'error',
      unreadable: e instanceof UnreadableFileError ? e.kind : false,
      message: (e as Error).message,
    } satisfies ParseMessage);
  } finally {
    sqlite.close();
  }
}

/** The buffers behind a batch's arrays (each its own), to hand over rather than copy. */
function transferList(b: BatchData): ArrayBuffer[] {
  const r = b.repeats;
  const arrays = [
    b.meter,
    b.day,
    b.halfHours,
    b.start,
    b.values,
    b.quality,
    b.volumes,
    b.line,
    b.col,
    r.index,
    r.slot,
    r.value,
    r.quality,
    r.volume,
    r.line,
    r.col,
  ];
  return arrays.filter((a) => a !== null).map((a) => a.buffer as ArrayBuffer);
}

function readHead(file: string): Buffer {
  const fd = fs.openSync(file, 'r');
  try {
    const head = Buffer.alloc(64 * 1024);
    const n = fs.readSync(fd, head, 0, head.length, 0);
    return head.subarray(0, n);
  } finally {
    fs.closeSync(fd);
  }
}

/** Byte offset just after line `n` (1-based), counting line feeds from `start`. */
async function offsetAfterLine(
  file: string,
  start: number,
  n: number,
  encoding: TextEncodingName,
  lineEnd = 0x0a,
): Promise<number> {
  const fh = await fs.promises.open(file, 'r');
  try {
    const buf = Buffer.alloc(1 << 16);
    let pos = start;
    let seen = 0;
    const step = encoding === 'utf16le' ? 2 : 1;
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, buf.length, pos);
      if (bytesRead === 0) return pos;
      for (let i = 0; i < bytesRead; i += step) {
        if (buf[i] === lineEnd && (step === 1 || buf[i + 1] === 0)) {
          if (++seen === n) return pos + i + step;
        }
      }
      pos += bytesRead;
    }
  } finally {
    await fh.close();
  }
}
