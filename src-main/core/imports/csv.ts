/**
 * CSV for meter files, on bytes: a record scanner that finds fields in a UTF-8 buffer without
 * making a string per row (field boundaries go into reused typed arrays; readers parse numbers and
 * timestamps from the bytes), RFC 4180 quotes (delimiters, doubled quotes and line breaks inside a
 * quoted field), and the string helpers header detection uses.
 *
 * A record is complete only when its last quote is closed, so a chunk of a file is always cut at a
 * record boundary. A quoted field may span at most MAX_QUOTED_LINES line breaks: a quote left open
 * longer than that is a broken row, not a field, and the row is rejected with its line and column
 * instead of swallowing the lines after it.
 */
import { UnreadableFileError } from './errors';

export const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
/** Line breaks a quoted field may contain before it is treated as never closed. */
export const MAX_QUOTED_LINES = 10;

/** One record of a scan: the buffer and its fields' byte ranges (reused for every record). */
export class CsvRecord {
  buf: Buffer = Buffer.alloc(0);
  /** Number of fields. */
  n = 0;
  /** Field i is buf[start[i], end[i]) — for a quoted field, the text inside the quotes. */
  start = new Int32Array(64);
  end = new Int32Array(64);
  /** 1 when field i was quoted and holds doubled quotes (its text needs unescaping). */
  escaped = new Uint8Array(64);
  /** 1-based line number of the record's first line. */
  line = 0;
  /** A problem with the record's shape (an unclosed quote), or null. */
  problem: { column: number; message: string } | null = null;

  /** Field i as a string (doubled quotes undone); '' when the record has no such field. */
  text(i: number): string {
    if (i >= this.n) return '';
    const s = this.buf.toString('utf8', this.start[i]!, this.end[i]!);
    return this.escaped[i] ? s.replace(/""/g, '"') : s;
  }

  grow(): void {
    const n = this.start.length * 2;
    const s = new Int32Array(n);
    s.set(this.start);
    this.start = s;
    const e = new Int32Array(n);
    e.set(this.end);
    this.end = e;
    const q = new Uint8Array(n);
    q.set(this.escaped);
    this.escaped = q;
  }
}

export interface ScanResult {
  /** Offset just after the last complete record scanned. */
  consumed: number;
  /** Line breaks in buf[pos, consumed). */
  lines: number;
  /** Records handed over (blank lines are not records). */
  records: number;
}

/**
 * A reader's fused path for the commonest lines of its format: reads a whole line at `pos` in one
 * pass and returns the offset of its line feed, or -1 when the line is not of the shape it reads
 * (then the record is split into fields and read the general way). It never rejects a row.
 */
export type LinePath = (buf: Buffer, pos: number, end: number, line: number) => number;

/**
 * Scans the complete records in buf[pos, end), calling `onRecord` for each one that is not blank.
 * `eof` says the buffer holds the end of the file (the last record may lack its line break).
 * `line` is the line number of the first record.
 */
export function scanRecords(
  buf: Buffer,
  pos: number,
  end: number,
  eof: boolean,
  delimiter: number,
  line: number,
  rec: CsvRecord,
  onRecord: (rec: CsvRecord) => void,
  fast: LinePath | null = null,
): ScanResult {
  rec.buf = buf;
  const startLine = line;
  const kind = classes(delimiter);
  let records = 0;
  while (pos < end) {
    if (fast) {
      const nl = fast(buf, pos, end, line);
      if (nl >= 0) {
        records++;
        line++;
        pos = nl + 1;
        continue;
      }
    }
    // one pass over the line: field boundaries at delimiters, stopping at the line break or a quote
    let n = 0;
    let s = pos;
    let i = pos;
    let c = 0;
    let cap = rec.start.length;
    for (; i < end; i++) {
      c = kind[buf[i]!]!;
      if (c === 0) continue;
      if (c !== DELIM) break;
      if (n + 1 >= cap) {
        rec.grow();
        cap = rec.start.length;
      }
      rec.start[n] = s;
      rec.end[n] = i;
      rec.escaped[n] = 0;
      n++;
      s = i + 1;
    }
    if (i < end && c === QUOTED) {
      // a quote on the line: the RFC 4180 path (from the start of the record)
      const r = splitQuoted(buf, pos, end, eof, delimiter, rec);
      if (r === null) break; // needs more of the file
      rec.line = line;
      records++;
      onRecord(rec); // (a record with a problem is rejected by the reader; scanning goes on after its line)
      line += r.lines;
      pos = r.next;
      continue;
    }
    if (i === end && !eof) break; // the line goes on in the next chunk
    let e = i;
    if (e > s && buf[e - 1] === CR) e--;
    rec.start[n] = s;
    rec.end[n] = e;
    rec.escaped[n] = 0;
    rec.n = n + 1;
    rec.line = line;
    rec.problem = null;
    if (!blank(rec)) {
      records++;
      onRecord(rec);
    }
    line++;
    pos = i + 1;
  }
  return { consumed: Math.min(pos, end), lines: line - startLine, records };
}

const DELIM = 1;
const BREAK = 2;
const QUOTED = 3;
const classTables = new Map<number, Uint8Array>();

/** Byte classes for a delimiter: 0 ordinary, DELIM, BREAK (line feed), QUOTED. */
function classes(delimiter: number): Uint8Array {
  let t = classTables.get(delimiter);
  if (!t) {
    t = new Uint8Array(256);
    t[delimiter] = DELIM;
    t[LF] = BREAK;
    t[QUOTE] = QUOTED;
    classTables.set(delimiter, t);
  }
  return t;
}

/** True for a line with nothing but spaces or tabs (skipped, not counted as a row). */
function blank(rec: CsvRecord): boolean {
  if (rec.n > 1) return false;
  for (let i = rec.start[0]!; i < rec.end[0]!; i++) if (rec.buf[i] !== SPACE && rec.buf[i] !== 0x09) return false;
  return true;
}

/**
 * Splits a record with quotes starting at `a`. Returns where the next record starts and how many
 * line breaks this one used, or null when the buffer ends before the record does (and more of the
 * file is to come). Sets rec.problem for a quote never closed.
 */
function splitQuoted(
  buf: Buffer,
  a: number,
  end: number,
  eof: boolean,
  delimiter: number,
  rec: CsvRecord,
): { next: number; lines: number } | null {
  let n = 0;
  let i = a;
  let lines = 1;
  rec.problem = null;
  for (;;) {
    if (n === rec.start.length) rec.grow();
    // leading spaces before an opening quote are tolerated
    let j = i;
    while (j < end && buf[j] === SPACE) j++;
    if (j < end && buf[j] === QUOTE) {
      const open = j;
      let k = j + 1;
      let escaped = 0;
      let breaks = 0;
      for (;;) {
        const q = buf.indexOf(QUOTE, k);
        const stop = q === -1 || q >= end ? end : q;
        // line breaks inside the quoted text so far
        for (let p = buf.indexOf(LF, k); p !== -1 && p < stop; p = buf.indexOf(LF, p + 1)) breaks++;
        if (breaks > MAX_QUOTED_LINES || (stop === end && eof)) {
          rec.n = n + 1;
          rec.start[n] = open + 1;
          rec.end[n] = Math.min(end, lineEndOf(buf, open, end));
          rec.escaped[n] = 0;
          rec.problem = {
            column: n + 1,
            message: `A quoted field opened in column ${n + 1} is never closed on this line${breaks > 0 ? ` or the ${MAX_QUOTED_LINES} after it` : ''}; the row was not read`,
          };
          return { next: lineEndOf(buf, a, end) + 1, lines: 1 };
        }
        if (stop === end) return null;
        if (buf[q + 1] === QUOTE) {
          escaped = 1;
          k = q + 2;
          continue;
        }
        rec.start[n] = open + 1;
        rec.end[n] = q;
        rec.escaped[n] = escaped;
        lines += breaks;
        i = q + 1;
        break;
      }
      // anything between the closing quote and the delimiter (padding) is ignored
      while (i < end && buf[i] !== delimiter && buf[i] !== LF) i++;
    } else {
      // an unquoted field: up to the delimiter or the line break (a quote inside it is a character)
      rec.start[n] = i;
      while (i < end && buf[i] !== delimiter && buf[i] !== LF) i++;
      rec.end[n] = i > rec.start[n]! && buf[i - 1] === CR && (i === end || buf[i] === LF) ? i - 1 : i;
      rec.escaped[n] = 0;
    }
    n++;
    if (i >= end) {
      if (!eof) return null;
      rec.n = n;
      return { next: end, lines };
    }
    if (buf[i] === LF) {
      rec.n = n;
      return { next: i + 1, lines };
    }
    i++; // past the delimiter
    if (i === end) {
      if (!eof) return null;
      if (n === rec.start.length) rec.grow();
      rec.start[n] = rec.end[n] = end;
      rec.escaped[n] = 0;
      rec.n = n + 1;
      return { next: end, lines };
    }
  }
}

function lineEndOf(buf: Buffer, from: number, end: number): number {
  const nl = buf.indexOf(LF, from);
  return nl === -1 || nl >= end ? end : nl;
}

/** Splits one CSV line (a header) into fields; quoted fields may contain delimiters and doubled quotes. */
export function splitCsv(line: string, delim: string): string[] {
  const rec = new CsvRecord();
  const buf = Buffer.from(line.replace(/[\r\n]+$/, ''), 'utf8');
  const out: string[] = [];
  scanRecords(buf, 0, buf.length, true, delim.charCodeAt(0), 1, rec, (r) => {
    if (out.length === 0) for (let i = 0; i < r.n; i++) out.push(r.text(i));
  });
  return out.length ? out : [''];
}

/** Picks the delimiter that splits a header line into the most fields. */
export function sniffDelimiter(line: string): string {
  let best = ',';
  let bestN = 0;
  for (const d of [',', ';', '\t', '|']) {
    const n = splitCsv(line, d).length;
    if (n > bestN) {
      best = d;
      bestN = n;
    }
  }
  return best;
}

export type TextEncodingName = 'utf8' | 'utf16le';

/** Detects the encoding from a BOM; returns the BOM length to skip. */
export function detectEncoding(head: Buffer): { encoding: TextEncodingName; bomBytes: number } {
  if (
    head.length >= 4 &&
    ((head[0] === 0xff && head[1] === 0xfe && head[2] === 0 && head[3] === 0) ||
      (head[0] === 0 && head[1] === 0 && head[2] === 0xfe && head[3] === 0xff))
  ) {
    throw new Error('UTF-32 files are not supported: save the file as UTF-8 (or UTF-16)');
  }
  if (head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf)
    return { encoding: 'utf8', bomBytes: 3 };
  if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf16le', bomBytes: 2 };
  if (head.length >= 2 && head[0] === 0xfe && head[1] === 0xff)
    throw new Error('UTF-16 big-endian files are not supported: save the file as UTF-8 or UTF-16LE');
  return { encoding: 'utf8', bomBytes: 0 };
}

/** A chunk of a file as UTF-8 bytes, ending at a line break (or the end of the file). */
export interface ByteChunk {
  /** UTF-8 bytes (the file's own bytes for UTF-8 files). */
  buf: Buffer;
  len: number;
  eof: boolean;
  /** File offset of buf[0]. */
  base: number;
  /** File bytes covered by buf[0, consumed): equal to consumed for UTF-8, more for UTF-16. */
  fileBytes(consumed: number): number;
}

const CHUNK = 1 << 20;
const MAX_RECORD = 1 << 20;

/**
 * Reads a file from `startOffset` in ~1 MB chunks of whole lines, as UTF-8. The caller scans what
 * it can and says how much it consumed; the rest is carried into the next chunk (one reused
 * buffer, so memory stays flat whatever the file size). Throws on a record longer than 1 MB,
 * which no meter file has and a binary file often does.
 */
export async function* readChunks(
  fd: import('node:fs/promises').FileHandle,
  startOffset: number,
  encoding: TextEncodingName,
  crLines = false,
): AsyncGenerator<ByteChunk, void, number> {
  const raw = Buffer.allocUnsafe(CHUNK + MAX_RECORD);
  // the next chunk is read while this one is parsed: two 1 MB landing buffers, taking turns
  const landing = [Buffer.allocUnsafe(CHUNK), Buffer.allocUnsafe(CHUNK)];
  let turn = 0;
  let pos = startOffset; // file offset of the next byte to read
  let ahead = fd.read(landing[turn]!, 0, CHUNK, pos);
  let held = 0; // bytes at the front of raw not yet consumed
  for (;;) {
    const { bytesRead } = await ahead;
    landing[turn]!.copy(raw, held, 0, bytesRead);
    // a file whose lines end in CR alone (classic Mac): each CR becomes the line feed it stands for
    if (crLines)
      for (let i = held; i < held + bytesRead; i += encoding === 'utf8' ? 1 : 2)
        if (raw[i] === 0x0d && (encoding === 'utf8' || raw[i + 1] === 0)) raw[i] = 0x0a;
    const eof = bytesRead === 0;
    const base = pos - held;
    pos += bytesRead;
    turn ^= 1;
    if (!eof) ahead = fd.read(landing[turn]!, 0, CHUNK, pos);
    const len = held + bytesRead;
    if (len === 0) return;
    let chunk: ByteChunk;
    if (encoding === 'utf8') {
      chunk = { buf: raw, len, eof, base, fileBytes: (c) => c };
    } else {
      // cut at the last whole UTF-16 line, transcode that part
      let cut = len - (len % 2);
      if (!eof) {
        cut = -1;
        for (let i = len - 2 - (len % 2); i >= 0; i -= 2) {
          if (raw[i] === 0x0a && raw[i + 1] === 0) {
            cut = i + 2;
            break;
          }
        }
        if (cut === -1) cut = 0;
      }
      const text = raw.toString('utf16le', 0, cut);
      const u8 = Buffer.from(text, 'utf8');
      chunk = {
        buf: u8,
        len: u8.length,
        eof: eof || cut === len,
        base,
        fileBytes: (c) => (c === u8.length ? cut : Buffer.byteLength(u8.toString('utf8', 0, c), 'utf16le')),
      };
    }
    const consumed = yield chunk;
    const used = chunk.fileBytes(consumed);
    if (eof) return;
    held = len - used;
    if (held >= MAX_RECORD) {
      await ahead;
      throw new UnreadableFileError(
        `A line longer than ${MAX_RECORD} bytes starts at byte ${base}: this does not look like a meter CSV file`,
        'malformed',
      );
    }
    if (held > 0) raw.copy(raw, 0, used, len);
  }
}
