/**
 * What a file format reader sees and produces. A reader turns one CSV record (its fields as byte
 * ranges) or one parsed JSON document into readings through a RowSink; the sink owns meter
 * lookup, UK-time resolution, value validation and counting, and groups the readings into
 * meter-days for the store, so every format gets the same rules.
 */
import type { CsvRecord, LinePath } from '../csv';

/** Per-half-hour quality codes (the readings store's; see readings/codec.ts). */
export { ACTUAL, ESTIMATED, MISSING } from '../../readings/codec';

export interface MeterRef {
  /** Index into the sink's meter table; stable for the whole import. */
  index: number;
  /** Calorific value (MJ/m³) for gas volume conversion. */
  calorificValue: number;
}

export type Unit = 'kwh' | 'wh' | 'm3';

export interface RowSink {
  /**
   * Resolves a meter id from the file (MPAN, full MPAN, MPRN or another id), creating the meter
   * when the import commits. Returns null after rejecting the row when the id is invalid.
   */
  meter(raw: string, line: number, column: number): MeterRef | null;
  /**
   * Resolves a UK local wall-clock time (Europe/London) to UTC epoch seconds for this meter:
   * the repeated autumn hour goes BST first, then GMT. NaN for a time in the skipped spring hour
   * (the reader rejects the row, quoting the file's text).
   */
  local(meter: MeterRef, y: number, mo: number, d: number, h: number, mi: number): number;
  /** UTC epoch seconds of local midnight starting the UK day y-mo-d (cached). */
  dayStart(y: number, mo: number, d: number): number;
  /** Number of half-hours in the UK local day (46, 48 or 50; cached). */
  dayHalfHours(y: number, mo: number, d: number): number;
  /**
   * Adds one half-hour. `raw` is the value text (blank / Null → missing); it is validated here
   * (number, not negative, under the meter's ceiling) and converted from `unit` to kWh.
   * `quality` is ACTUAL or ESTIMATED (MISSING is set automatically for a blank value).
   */
  reading(
    meter: MeterRef,
    ts: number,
    raw: string | undefined,
    unit: Unit,
    quality: number,
    line: number,
    column: number,
  ): void;
  /** Adds one half-hour whose value is already a number (JSON formats). null = missing. */
  value(
    meter: MeterRef,
    ts: number,
    value: number | null,
    unit: Unit,
    quality: number,
    line: number,
    column: number,
  ): void;
  /** Hot path: a kWh value already parsed (finite, not negative); only the meter's ceiling is checked. */
  kwhValue(meter: MeterRef, ts: number, kwh: number, quality: number, line: number, column: number): void;
  /**
   * A site the file names for this meter (formats/sites.ts): kept once per meter and name, the first
   * sighting's address and postcode winning.
   */
  site(meter: MeterRef, name: string, address: string | null, postcode: string | null): void;
  /** Rejects a row (or one cell of it) with a reason a person can act on. */
  reject(line: number, column: number | undefined, value: string | undefined, message: string): void;
}

/** A record-oriented reader (CSV-like formats). */
export interface RecordReader {
  kind: 'records';
  /** Format name shown to users and in --json: long, settlement, wide, lcl, octopus-csv… */
  format: string;
  /** 1-based line number of the header. Data starts on the next line. */
  headerLine: number;
  delimiter: string;
  /** Reads one data record (its line number is rec.line). */
  parse(rec: CsvRecord, sink: RowSink): void;
  /** The fused path for the format's commonest lines, bound to a sink (see LinePath), if it has one. */
  fastPath?(sink: RowSink): LinePath | null;
}

/** A JSON export read as a stream: its readings are the elements of the arrays at `items`. */
export interface DocumentReader {
  kind: 'document';
  format: string;
  /** Paths to the arrays of readings (json-stream.ts). */
  items: string[][];
  /** Resolves the export's meter before the first reading (null after rejecting it). */
  begin(sink: RowSink): MeterRef | null;
  /** Reads one element; `index` counts elements from 0 in document order. */
  item(value: unknown, index: number, meter: MeterRef, sink: RowSink): void;
}

export interface DetectOptions {
  /** Meter id for files that carry none (e.g. an Octopus dashboard export). */
  meter?: string;
  /** Force a format instead of detecting it. */
  format?: string;
}
