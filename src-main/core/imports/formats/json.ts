/**
 * Smart-meter API exports (JSON):
 * - Octopus consumption (`{ count, next, results: [{ consumption, interval_start, interval_end }] }`):
 *   interval starts with their UTC offset; the meter comes from the user or the `next`/`previous`
 *   URL (`…/electricity-meter-points/{mpan}/…`); gas SMETS2 readings are m³ when the user says so.
 * - n3rgy consumption (`{ resource: "/mpxn/{id}/utility/{fuel}/…", unit, granularity: "halfhour",
 *   devices: [{ values: [{ primaryValue, timestamp: "YYYY-MM-DD HH:MM" }] }] }`): timestamps are
 *   UTC interval ENDS (the window starts at 00:30).
 */
import type { DocumentReader, RowSink, Unit } from './types';
import { unitFromText } from './values';

type Json = Record<string, unknown>;

const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export function tryJson(doc: unknown, fixedMeter: string | null, volume = false): DocumentReader | { reason: string } {
  if (isObj(doc) && Array.isArray(doc.results) && (doc.results.length === 0 || (isObj(doc.results[0]) && 'interval_start' in doc.results[0]))) {
    const url = [doc.next, doc.previous].find((u): u is string => typeof u === 'string') ?? '';
    const fromUrl = /(electricity|gas)-meter-points\/([^/]+)\//.exec(url);
    const meterId = fixedMeter ?? fromUrl?.[2] ?? null;
    if (!meterId) return { reason: 'this Octopus consumption export does not say which meter it is for; choose the meter (CLI: --meter MPAN)' };
    const gas = fromUrl?.[1] === 'gas';
    // SMETS2 gas meters report m³, SMETS1 kWh; the file does not say which, so the user chooses.
    const unit: Unit = volume ? 'm3' : 'kwh';
    const results = doc.results as Json[];
    return {
      kind: 'document',
      format: volume ? 'octopus-json-m3' : gas ? 'octopus-json-gas' : 'octopus-json',
      parse(sink: RowSink) {
        const meter = sink.meter(meterId, 1, 0);
        if (!meter) return;
        results.forEach((r, i) => {
          const item = i + 1;
          const start = typeof r.interval_start === 'string' ? Date.parse(r.interval_start) : NaN;
          if (Number.isNaN(start) || !/[+-]\d{2}:?\d{2}$|Z$/.test(String(r.interval_start))) {
            sink.reject(item, undefined, String(r.interval_start).slice(0, 40), `result ${item}: interval_start is not an ISO date-time with an offset`);
            return;
          }
          const ts = start / 1000;
          if (ts % 1800 !== 0) {
            sink.reject(item, undefined, String(r.interval_start), `result ${item}: interval_start is not on a half-hour boundary`);
            return;
          }
          const v = r.consumption;
          if (v !== null && typeof v !== 'number') {
            sink.reject(item, undefined, String(v).slice(0, 30), `result ${item}: consumption is not a number`);
            return;
          }
          sink.value(meter, ts, v, unit, 0, item, 0);
        });
      },
    };
  }
  if (isObj(doc) && Array.isArray(doc.devices) && typeof doc.resource === 'string') {
    const m = /\/mpxn\/([^/]+)\/utility\/(electricity|gas)\//.exec(doc.resource);
    const meterId = fixedMeter ?? m?.[1] ?? null;
    if (!meterId) return { reason: 'this n3rgy export does not say which meter it is for; choose the meter (CLI: --meter MPAN)' };
    if (doc.granularity !== undefined && doc.granularity !== 'halfhour') return { reason: `n3rgy granularity "${String(doc.granularity)}" is not half-hourly; export with granularity=halfhour` };
    const unit: Unit = unitFromText(String(doc.unit ?? 'kWh')) ?? 'kwh';
    const devices = doc.devices as Json[];
    return {
      kind: 'document',
      format: 'n3rgy-json',
      parse(sink: RowSink) {
        const meter = sink.meter(meterId, 1, 0);
        if (!meter) return;
        let item = 0;
        for (const dev of devices) {
          for (const r of (Array.isArray(dev.values) ? dev.values : []) as Json[]) {
            item++;
            const t = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2})$/.exec(String(r.timestamp));
            if (!t) {
              sink.reject(item, undefined, String(r.timestamp).slice(0, 40), `value ${item}: timestamp is not "YYYY-MM-DD HH:MM"`);
              continue;
            }
            const end = Date.UTC(+t[1]!, +t[2]! - 1, +t[3]!, +t[4]!, +t[5]!) / 1000;
            if (end % 1800 !== 0) {
              sink.reject(item, undefined, String(r.timestamp), `value ${item}: timestamp is not on a half-hour boundary`);
              continue;
            }
            const v = r.primaryValue;
            if (v !== null && typeof v !== 'number') {
              sink.reject(item, undefined, String(v).slice(0, 30), `value ${item}: primaryValue is not a number`);
              continue;
            }
            sink.value(meter, end - 1800, v, unit, 0, item, 0);
          }
        }
      },
    };
  }
  return { reason: 'this JSON is neither an Octopus consumption export (results[].interval_start) nor an n3rgy consumption export (devices[].values[])' };
}
