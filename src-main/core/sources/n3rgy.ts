/**
 * n3rgy smart-meter data API client for the sources runner: a meter's half-hours for UK days
 * [fromDay, toDay) from `/mpxn/{mpxn}/utility/{fuel}/readingtype/consumption` with `start`/`end` as
 * UTC `YYYYMMDDHHmm`, `granularity=halfhour`, `outputFormat=json`, in windows of at most 90 days (the
 * API's limit). Timestamps in the answer are UTC interval ENDS, so a window's readings end after its
 * start and up to its end. The key goes in the `Authorization` header (as the consumer API takes it)
 * and in `x-api-key` (as n3rgy's v2 data API takes it). Each window with readings is one document in
 * the shape the importer reads (formats/json.ts), which takes the unit (kWh or m³) from the answer.
 */
import { AppError } from '../../../src-shared/contract/errors';
import { dayStartUtc, isoDay } from '../../../src-shared/domain/periods';
import type { ApiFetchRequest, ApiFetchResult, FetchedDocument, N3rgyConfig } from './api-source';
import { completeThrough, dayWindows, getJson, isObj, type ApiTuning, type Json } from './api-http';

export const DEFAULT_N3RGY_API = 'https://api-v2.data.n3rgy.com';
/** The most days n3rgy answers for in one request. */
export const N3RGY_MAX_WINDOW_DAYS = 90;

const SHAPE =
  '{ "resource", "granularity": "halfhour", "unit", "devices": [{ "values": [{ "primaryValue", "timestamp": "YYYY-MM-DD HH:MM" }] }] }';

/** `YYYYMMDDHHmm` in UTC, as n3rgy's `start` and `end` take it. */
export const n3rgyTime = (utc: number): string => new Date(utc * 1000).toISOString().slice(0, 16).replace(/[-T:]/g, '');

/** The UTC starts of a window's readings (null values are no reading), or an error naming what was expected. */
function readWindow(body: Json, window: string): number[] {
  const refuse = (what: string): AppError =>
    new AppError(
      'UNAVAILABLE',
      `The n3rgy API sent the readings for ${window} in a shape this app does not read (${what}); expected ${SHAPE}`,
    );
  if (body.granularity !== undefined && body.granularity !== 'halfhour')
    throw refuse(`its granularity is "${String(body.granularity).slice(0, 20)}", not "halfhour"`);
  if (typeof body.resource !== 'string') throw refuse('it has no "resource"');
  if (!Array.isArray(body.devices)) throw refuse('it has no "devices" list');
  const starts: number[] = [];
  body.devices.forEach((d: unknown, i) => {
    if (!isObj(d) || !Array.isArray(d.values)) throw refuse(`device ${i + 1} has no "values" list`);
    d.values.forEach((v: unknown, j) => {
      const t =
        isObj(v) && typeof v.timestamp === 'string'
          ? /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2})$/.exec(v.timestamp)
          : null;
      if (!t) throw refuse(`value ${j + 1} of device ${i + 1} has no timestamp YYYY-MM-DD HH:MM`);
      const x = (v as Json).primaryValue;
      if (x !== null && (typeof x !== 'number' || !Number.isFinite(x)))
        throw refuse(`value ${j + 1} of device ${i + 1} has a primaryValue that is not a number`);
      if (x !== null) starts.push(Date.UTC(+t[1]!, +t[2]! - 1, +t[3]!, +t[4]!, +t[5]!) / 1000 - 1800);
    });
  });
  return starts;
}

/**
 * Fetches a meter's consumption for [fromDay, toDay): one document per window with readings, and the
 * last day that came back complete.
 */
export async function fetchN3rgy(req: ApiFetchRequest<N3rgyConfig>, tuning: ApiTuning = {}): Promise<ApiFetchResult> {
  const c = req.config;
  const base = (c.baseUrl ?? DEFAULT_N3RGY_API).replace(/\/+$/, '');
  const kind = c.fuel === 'gas' ? 'MPRN' : 'MPAN';
  const call = {
    service: 'The n3rgy API',
    headers: { authorization: req.apiKey, 'x-api-key': req.apiKey },
    fetch: req.fetch,
    signal: req.signal,
    secrets: [req.apiKey],
    keyHint:
      `Check the API key saved with this source (edit the source), and that n3rgy holds consent for ${kind} ` +
      `${c.meter}.`,
    notFound: `No ${c.fuel} meter with ${kind} ${c.meter} was found at n3rgy: check the ${kind} and that the meter is registered with n3rgy`,
  };
  const documents: FetchedDocument[] = [];
  const starts: number[] = [];
  for (const [a, b] of dayWindows(req.fromDay, req.toDay, N3RGY_MAX_WINDOW_DAYS)) {
    const url = new URL(`${base}/mpxn/${encodeURIComponent(c.meter)}/utility/${c.fuel}/readingtype/consumption`);
    url.searchParams.set('start', n3rgyTime(dayStartUtc(a)));
    url.searchParams.set('end', n3rgyTime(dayStartUtc(b)));
    url.searchParams.set('granularity', 'halfhour');
    url.searchParams.set('outputFormat', 'json');
    const window = `${isoDay(a)} to ${isoDay(b - 1)}`;
    const { body, bytes } = await getJson(url.href, call, tuning);
    const got = readWindow(body, window);
    if (got.length === 0) continue;
    for (const s of got) starts.push(s);
    documents.push({
      key: `${c.fuel}:${isoDay(a)}..${isoDay(b)}`,
      name: `n3rgy-${c.meter}-${isoDay(a)}.json`,
      bytes,
      meter: c.meter,
    });
  }
  return { documents, completeThrough: completeThrough(starts, req.fromDay, req.toDay) };
}
