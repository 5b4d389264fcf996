/**
 * Detects a file's format from its content: JSON documents by shape, text files by their header
 * line (after any `sep=,` hint or report-title preamble): wide layouts first (they also carry a meter
 * and a date column), then row-per-reading layouts. The user may force a format.
 */
import { splitCsv, sniffDelimiter, type TextEncodingName } from '../csv';
import { N3RGY_ITEMS, OCTOPUS_ITEMS, tryJson, type JsonShape } from './json';
import { JsonWalker, walkFile } from './json-stream';
import { tryLong } from './long';
import type { DetectOptions, DocumentReader, RecordReader } from './types';
import { tryWide } from './wide';

import { UnreadableFileError } from '../errors';

export { UnreadableFileError };

const PREAMBLE_LINES = 30;

export async function detectReader(
  file: string,
  headText: string,
  enc: { encoding: TextEncodingName; bomBytes: number },
  opts: DetectOptions,
): Promise<RecordReader | DocumentReader> {
  const fixedMeter = opts.meter?.trim() || null;
  const forced = opts.format && opts.format !== 'auto' ? opts.format : null;
  const first = headText.trimStart().charAt(0);
  if (first === '{' || first === '[' || forced?.endsWith('json') || forced === 'octopus-json-m3') {
    // a first pass over the stream: the export's fields and first readings, never the whole document
    const shape: JsonShape = { keys: new Set(), top: {}, firstResult: undefined, firstValue: undefined };
    const walker = new JsonWalker(
      [OCTOPUS_ITEMS, N3RGY_ITEMS],
      (value, _i, _end, path) => {
        if (path === 0) shape.firstResult ??= value;
        else shape.firstValue ??= value;
      },
      (key, value) => (shape.top[key] = value),
    );
    try {
      await walkFile(file, enc.encoding, enc.bomBytes, walker);
    } catch (e) {
      throw new UnreadableFileError(
        `The file starts like JSON but is not valid JSON (${(e as Error).message})`,
        'malformed',
      );
    }
    for (const k of walker.topKeys) shape.keys.add(k);
    const r = tryJson(shape, fixedMeter, forced === 'octopus-json-m3');
    if ('reason' in r) throw new UnreadableFileError(r.reason);
    return r;
  }

  const lines = headText.split('\n');
  if (lines.length > 1) lines.pop(); // the last line may be cut short by the 64 KB head
  let delimiter: string | null = null;
  const tried: string[] = [];
  for (let i = 0; i < Math.min(lines.length, PREAMBLE_LINES); i++) {
    const text = lines[i]!.replace(/\r$/, '');
    const sep = /^\s*"?sep=(.)"?\s*$/i.exec(text);
    if (sep) {
      delimiter = sep[1]!;
      continue;
    }
    if (text.trim() === '') continue;
    const d = delimiter ?? sniffDelimiter(text);
    const headers = splitCsv(text, d).map((h) => h.trim());
    if (headers.length < 2) {
      tried.push(text);
      continue;
    }
    const wide = !forced || forced === 'wide' ? tryWide(headers, i + 1, d, fixedMeter) : null;
    if (wide) return wide;
    const long =
      !forced || ['long', 'settlement', 'lcl', 'smart-csv'].includes(forced)
        ? tryLong(headers, i + 1, d, fixedMeter)
        : null;
    if (long && (!forced || long.format === forced || (forced === 'long' && long.format !== 'settlement'))) return long;
    tried.push(text);
  }
  const firstLine = tried[0] ?? lines.find((l) => l.trim() !== '') ?? '';
  const noMeter =
    tried.length > 0 && !fixedMeter && tried.some((t) => /consumption|kwh/i.test(t) && /start|date|time/i.test(t));
  throw new UnreadableFileError(
    (forced ? `The file does not match the ${forced} format: no` : 'No') +
      ` header row with a meter column (e.g. MPAN, MeterCode, Meter), a timestamp column (e.g. Timestamp, DateTime, ReadDatetime) ` +
      `and a kWh column (e.g. kWh, Consumption), nor a row of half-hour columns, was found in the first ${PREAMBLE_LINES} lines` +
      (noMeter
        ? '; it looks like a single-meter export: choose the meter it belongs to (the import option' +
          ' "Meter for files without a meter column", or --meter on the command line)'
        : '') +
      (firstLine ? `; ${columnsFound(firstLine, delimiter)}` : '; the file is empty'),
    firstLine ? 'not-meter-file' : 'empty',
  );
}

/**
 * The first row looked at, for the message: how many columns it has — never what they hold, which
 * may be a reading or a customer's details rather than a header.
 */
function columnsFound(line: string, delimiter: string | null): string {
  const names = splitCsv(line, delimiter ?? sniffDelimiter(line));
  if (names.length < 2) return 'no row in them has more than one column';
  return `the first row has ${names.length} columns, none named as a meter, timestamp or kWh column`;
}
