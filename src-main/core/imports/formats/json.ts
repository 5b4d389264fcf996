/**
 * Smart-meter API exports (JSON), read as a stream (formats/json-stream.ts): one reading at a time,
 * never the whole document in memory.
 * - Octopus consumption (`{ count, next, results: [{ consumption, interval_start, interval_end }] }`):
 *   interval starts with their UTC offset; the meter comes from the user or the `next`/`previous`
 *   URL (`…/electricity-meter-points/{mpan}/…`); gas SMETS2 readings are m³ when the user says so.
 * - n3rgy consumption (`{ resource: "/mpxn/{id}/utility/{fuel}/…", unit, granularity: "halfhour",
 *   devices: [{ values: [{ primaryValue, timestamp: "YYYY-MM-DD HH:MM" }] }] }`): timestamps are
 *   UTC interval ENDS (the window starts at 00:30).
 */
import type { JsonPath } from './json-stream';
import type { DocumentReader, Unit } from './types';
import { unitFromText } from './values';

type Json = Record<string, unknown>;

const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The items of each export, as paths into the document. */
export const OCTOPUS_ITEMS: JsonPath = ['results', '#'];
export const N3RGY_ITEMS: JsonPath = ['devices', '#', 'values', '#'];

/** What a first pass over a JSON export saw: its top-level fields (other than the readings), and its first items. */
export interface JsonShape {
  keys: Set<string>;
  top: Record<string, unknown>;
  firstResult: unknown;
  firstValue: unknown;
}

export function tryJson(
  shape: JsonShape,
  fixedMeter: string | null,
  volume = false,
): DocumentReader | { reason: string } {
  const { keys, top } = shape;
  if (
    keys.has('results') &&
    !('results' in top) &&
    (shape.firstResult === undefined || (isObj(shape.firstResult) && 'interval_start' in shape.firstResult))
  ) {
    const url = [top.next, top.previous].find((u): u is string => typeof u === 'string') ?? '';
    const fromUrl = /(electricity|gas)-meter-points\/([^/]+)\//.exec(url);
    const meterId = fixedMeter ?? fromUrl?.[2] ?? null;
    if (!meterId)
      return {
        reason:
          'This Octopus consumption export does not say which meter it is for; choose the meter (the import ' +
          'option "Meter for files without a meter column", or --meter on the command line)',
      };
    const gas = fromUrl?.[1] === 'gas';
    // SMETS2 gas meters report m³, SMETS1 kWh; the file does not say which, so the user chooses.
    const unit: Unit = volume ? 'm3' : 'kwh';
    return {
      kind: 'document',
      format: volume ? 'octopus-json-m3' : gas ? 'octopus-json-gas' : 'octopus-json',
      items: [OCTOPUS_ITEMS],
      begin: (sink) => sink.meter(meterId, 1, 0),
      item(value, index, meter, sink) {
        const item = index + 1;
        const r = isObj(value) ? value : {};
        const start = typeof r.interval_start === 'string' ? Date.parse(r.interval_start) : NaN;
        if (Number.isNaN(start) || !/[+-]\d{2}:?\d{2}$|Z$/.test(String(r.interval_start))) {
          sink.reject(
            item,
            undefined,
            String(r.interval_start).slice(0, 40),
            `Reading ${item}: its start time (interval_start) is not a date and time with an offset`,
          );
          return;
        }
        const ts = start / 1000;
        if (ts % 1800 !== 0) {
          sink.reject(
            item,
            undefined,
            String(r.interval_start),
            `Reading ${item}: its start time (interval_start) is not on the hour or half-hour`,
          );
          return;
        }
        const v = r.consumption;
        if (v !== null && typeof v !== 'number') {
          sink.reject(item, undefined, String(v).slice(0, 30), `Reading ${item}: its consumption is not a number`);
          return;
        }
        sink.value(meter, ts, v, unit, 0, item, 0);
      },
    };
  }
  if (keys.has('devices') && !('devices' in top) && typeof top.resource === 'string') {
    const m = /\/mpxn\/([^/]+)\/utility\/(electricity|gas)\//.exec(top.resource);
    const meterId = fixedMeter ?? m?.[1] ?? null;
    if (!meterId)
      return {
        reason:
          'This n3rgy export does not say which meter it is for; choose the meter (the import option ' +
          '"Meter for files without a meter column", or --meter on the command line)',
      };
    if (top.granularity !== undefined && top.granularity !== 'halfhour')
      return {
        reason: `This n3rgy export's granularity is "${String(top.granularity)}", not half-hourly; export it with granularity=halfhour`,
      };
    const unit: Unit = unitFromText(String(top.unit ?? 'kWh')) ?? 'kwh';
    return {
      kind: 'document',
      format: 'n3rgy-json',
      items: [N3RGY_ITEMS],
      begin: (sink) => sink.meter(meterId, 1, 0),
      item(value, index, meter, sink) {
        const item = index + 1;
        const r = isObj(value) ? value : {};
        const t = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2})$/.exec(String(r.timestamp));
        if (!t) {
          sink.reject(
            item,
            undefined,
            String(r.timestamp).slice(0, 40),
            `Reading ${item}: its time (timestamp) is not written as YYYY-MM-DD HH:MM`,
          );
          return;
        }
        const end = Date.UTC(+t[1]!, +t[2]! - 1, +t[3]!, +t[4]!, +t[5]!) / 1000;
        if (end % 1800 !== 0) {
          sink.reject(
            item,
            undefined,
            String(r.timestamp),
            `Reading ${item}: its time (timestamp) is not on the hour or half-hour`,
          );
          return;
        }
        const v = r.primaryValue;
        if (v !== null && typeof v !== 'number') {
          sink.reject(
            item,
            undefined,
            String(v).slice(0, 30),
            `Reading ${item}: its value (primaryValue) is not a number`,
          );
          return;
        }
        sink.value(meter, end - 1800, v, unit, 0, item, 0);
      },
    };
  }
  return {
    reason:
      'This JSON file is neither an Octopus consumption export (readings with a start time, interval_start) ' +
      'nor an n3rgy consumption export (devices with values)',
  };
}
