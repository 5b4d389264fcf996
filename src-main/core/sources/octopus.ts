/**
 * Octopus Energy consumption API (REST v1) client for the sources runner: a meter's half-hours for
 * UK days [fromDay, toDay) from `/v1/{electricity|gas}-meter-points/{id}/meters/{serial}/consumption/`,
 * oldest first, 25,000 to a page, following `next` links (on the same address only; a repeated link
 * ends the paging). The account's API key is the Basic-auth user name (empty password). Each page is
 * one document in the shape the importer reads (formats/json.ts); SMETS2 gas in m³ is marked `volume`.
 */
import { AppError } from '../../../src-shared/contract/errors';
import { isoLondon } from '../../../src-shared/domain/london-time';
import { dayStartUtc, isoDay } from '../../../src-shared/domain/periods';
import type { ApiFetchRequest, ApiFetchResult, FetchedDocument, OctopusConfig } from './api-source';
import { completeThrough, getJson, isObj, type ApiTuning, type Json } from './api-http';

export const DEFAULT_OCTOPUS_API = 'https://api.octopus.energy';
/** The most readings Octopus returns on one page. */
export const OCTOPUS_PAGE_SIZE = 25_000;

const SHAPE = '{ "count", "next", "results": [{ "consumption", "interval_start", "interval_end" }] }';

/** The UTC starts of a page's readings (null consumption is no reading), or an error naming what was expected. */
function readPage(body: Json, page: number): number[] {
  const refuse = (what: string): AppError =>
    new AppError(
      'UNAVAILABLE',
      `The Octopus Energy API sent page ${page} in a shape this app does not read (${what}); expected ${SHAPE}`,
    );
  if (!Array.isArray(body.results)) throw refuse('it has no "results" list');
  if (body.next !== null && body.next !== undefined && typeof body.next !== 'string')
    throw refuse('"next" is not a link');
  const starts: number[] = [];
  body.results.forEach((r: unknown, i) => {
    const start = isObj(r) && typeof r.interval_start === 'string' ? r.interval_start : null;
    const t = start !== null && /([+-]\d{2}:?\d{2}|Z)$/.test(start) ? Date.parse(start) : NaN;
    if (Number.isNaN(t)) throw refuse(`reading ${i + 1} has no interval_start with a UTC offset`);
    const v = (r as Json).consumption;
    if (v !== null && (typeof v !== 'number' || !Number.isFinite(v)))
      throw refuse(`reading ${i + 1}'s consumption is not a number`);
    if (v !== null) starts.push(t / 1000);
  });
  return starts;
}

/**
 * Fetches a meter's consumption for [fromDay, toDay): one document per page with readings, and the
 * last day that came back complete.
 */
export async function fetchOctopus(
  req: ApiFetchRequest<OctopusConfig>,
  tuning: ApiTuning = {},
): Promise<ApiFetchResult> {
  const c = req.config;
  if (req.fromDay >= req.toDay) return { documents: [], completeThrough: null };
  const gas = c.fuel === 'gas';
  const what = gas ? `gas meter with MPRN ${c.meter}` : `electricity meter with MPAN ${c.meter}`;
  const first = new URL(
    `${(c.baseUrl ?? DEFAULT_OCTOPUS_API).replace(/\/+$/, '')}/v1/${gas ? 'gas' : 'electricity'}-meter-points/` +
      `${encodeURIComponent(c.meter)}/meters/${encodeURIComponent(c.serial)}/consumption/`,
  );
  first.searchParams.set('period_from', isoLondon(dayStartUtc(req.fromDay)));
  first.searchParams.set('period_to', isoLondon(dayStartUtc(req.toDay)));
  first.searchParams.set('page_size', String(OCTOPUS_PAGE_SIZE));
  first.searchParams.set('order_by', 'period');
  const basic = Buffer.from(`${req.apiKey}:`).toString('base64');
  const call = {
    service: 'The Octopus Energy API',
    headers: { authorization: `Basic ${basic}` },
    fetch: req.fetch,
    signal: req.signal,
    secrets: [req.apiKey, basic],
    keyHint:
      'Check the API key saved with this source (edit the source); Octopus shows the account’s key on ' +
      'octopus.energy under Personal details → API access.',
    notFound: `Octopus Energy has no ${what} and serial number ${c.serial}: check both against the bill or the Octopus account`,
  };
  const from = isoDay(req.fromDay);
  const to = isoDay(req.toDay);
  const documents: FetchedDocument[] = [];
  const starts: number[] = [];
  const asked = new Set<string>();
  let url: string | null = first.href;
  for (let page = 1; url !== null && !asked.has(url); page++) {
    asked.add(url);
    const { body, bytes } = await getJson(url, call, tuning);
    const got = readPage(body, page);
    if (got.length > 0) {
      for (const s of got) starts.push(s);
      documents.push({
        key: `${c.fuel}:${from}..${to}#${page}`,
        name: `octopus-${c.meter}-${from}-p${page}.json`,
        bytes,
        meter: c.meter,
        ...(gas && c.gasUnit === 'm3' ? { volume: true } : {}),
      });
    }
    url = typeof body.next === 'string' && body.next ? new URL(body.next, first).href : null;
    if (url !== null && new URL(url).origin !== first.origin)
      throw new AppError(
        'UNAVAILABLE',
        `The Octopus Energy API linked page ${page + 1} to another address (${new URL(url).origin}), which is not ` +
          `followed so the API key goes nowhere else; check the source's API address`,
      );
  }
  return { documents, completeThrough: completeThrough(starts, req.fromDay, req.toDay) };
}
