/**
 * Minimal, fast CSV pieces for meter files: field splitting with RFC 4180 quotes, delimiter
 * sniffing, and a chunked file reader that yields whole lines with the byte offset after them,
 * so an import can commit a chunk and later resume exactly where it stopped.
 */
import fs from 'node:fs';
import { UnreadableFileError } from './errors';

/** Splits one CSV record into fields; quoted fields may contain delimiters and doubled quotes. */
export function splitCsv(line: string, delim: string): string[] {
  if (line.indexOf('"') === -1) return line.split(delim);
  const out: string[] = [];
  let i = 0;
  const n = line.length;
  while (i <= n) {
    if (line[i] === '"') {
      let v = '';
      i++;
      for (;;) {
        const q = line.indexOf('"', i);
        if (q === -1) {
          v += line.slice(i);
          i = n;
          break;
        }
        v += line.slice(i, q);
        if (line[q + 1] === '"') {
          v += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      // tolerate junk between a closing quote and the delimiter (e.g. padding)
      const d = line.indexOf(delim, i);
      out.push(v);
      if (d === -1) break;
      i = d + 1;
      if (i === n) out.push('');
    } else {
      const d = line.indexOf(delim, i);
      if (d === -1) {
        out.push(line.slice(i));
        break;
      }
      out.push(line.slice(i, d));
      i = d + 1;
      if (i === n) {
        out.push('');
        break;
      }
    }
  }
  return out;
}

/** True when a record has an odd number of quotes (a quoted field continues on the next line). */
export function hasOpenQuote(line: string): boolean {
  let count = 0;
  for (let i = line.indexOf('"'); i !== -1; i = line.indexOf('"', i + 1)) count++;
  return count % 2 === 1;
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
  if (head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: 'utf8', bomBytes: 3 };
  if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf16le', bomBytes: 2 };
  if (head.length >= 2 && head[0] === 0xfe && head[1] === 0xff) throw new Error('UTF-16 big-endian files are not supported: save the file as UTF-8 or UTF-16LE');
  return { encoding: 'utf8', bomBytes: 0 };
}

export interface LineChunk {
  /** Complete lines (without line terminators). */
  lines: string[];
  /** Byte offset in the file just after the last line of this chunk. */
  endOffset: number;
}

const CHUNK = 1 << 20;
const MAX_LINE = 1 << 20;

/**
 * Reads a file from `startOffset` in ~1 MB chunks of whole lines. Lines are cut at LF bytes (CR
 * stripped), so multi-byte UTF-8 characters are never split. One buffer is reused for the whole
 * file (a partial last line moves to its front), so memory stays flat however big the file is.
 * Throws on a line longer than 1 MB, which no meter file has and a binary file often does.
 */
export async function* readLineChunks(filePath: string, startOffset: number, encoding: TextEncodingName): AsyncGenerator<LineChunk> {
  const fh = await fs.promises.open(filePath, 'r');
  try {
    const buf = Buffer.allocUnsafe(CHUNK + MAX_LINE);
    let pos = startOffset; // file offset of the next byte to read
    let held = 0; // bytes at the front of buf not yet turned into lines
    for (;;) {
      const { bytesRead } = await fh.read(buf, held, CHUNK, pos);
      const eof = bytesRead === 0;
      const base = pos - held; // file offset of buf[0]
      pos += bytesRead;
      const len = held + bytesRead;
      let cut = eof ? len : lastLineEnd(buf, len, encoding);
      if (cut <= 0 && !eof) {
        if (len >= MAX_LINE) throw new UnreadableFileError(`a line longer than ${MAX_LINE} bytes starts at byte ${base}: this does not look like a meter CSV file`);
        held = len;
        continue;
      }
      if (cut < 0) cut = len;
      const text = buf.toString(encoding, 0, cut);
      held = len - cut;
      if (held > 0) buf.copy(buf, 0, cut, len);
      if (text.length > 0) {
        const lines = text.split('\n');
        if (lines[lines.length - 1] === '') lines.pop();
        for (let i = 0; i < lines.length; i++) {
          const l = lines[i]!;
          if (l.length > 0 && l.charCodeAt(l.length - 1) === 13) lines[i] = l.slice(0, -1);
        }
        yield { lines, endOffset: base + cut };
      }
      if (eof) return;
    }
  } finally {
    await fh.close();
  }
}

/** Index just past the last line feed in data[0, len) (-1 if none). */
function lastLineEnd(data: Buffer, len: number, encoding: TextEncodingName): number {
  if (encoding === 'utf16le') {
    for (let i = len - 2 - (len % 2); i >= 0; i -= 2) {
      if (data[i] === 0x0a && data[i + 1] === 0x00) return i + 2;
    }
    return -1;
  }
  const i = data.lastIndexOf(0x0a, len - 1);
  return i === -1 ? -1 : i + 1;
}
