/**
 * The Octopus Energy client against a local HTTP server replaying the real consumption response
 * (tests/fixtures/public/octopus-consumption-electricity-2020-05.json): the window asked for, Basic
 * auth, paging over `next` links rewritten to the local server, 401/404/429/5xx and malformed bodies;
 * each fetched page imported through the real importer to the fixture's readings.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FIXTURES, makeCore, storedReadings } from '../../../tests/helpers/core';
import { failure, importDocuments, ok, replay, waits, type Answer } from '../../../tests/helpers/api-replay';
import type { Core } from '../app';
import type { OctopusConfig } from './api-source';
import { fetchOctopus } from './octopus';

interface Item {
  consumption: number | null;
  interval_start: string;
  interval_end: string;
}
const FIXTURE = JSON.parse(
  fs.readFileSync(path.join(FIXTURES, 'public', 'octopus-consumption-electricity-2020-05.json'), 'utf8'),
) as { count: number; next: string; previous: null; results: Item[] };
const MPAN = '2700003645222';
const SERIAL = '19L2761452';
const PATH = `/v1/electricity-meter-points/${MPAN}/meters/${SERIAL}/consumption/`;
const KEY = 'sk_live_Abc123Def456Ghi789';
const BASIC = `Basic ${Buffer.from(`${KEY}:`).toString('base64')}`;

/** Days since 1970-01-01 of a `YYYY-MM-DD` (UTC arithmetic, independent of the code under test). */
const dayOf = (iso: string): number => Date.parse(`${iso}T00:00:00Z`) / 86400000;
/** UTC seconds of an ISO time with an offset, read by hand: `2020-05-08T00:00:00+01:00`. */
function utcOf(s: string): number {
  const m = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(Z|([+-])(\d\d):(\d\d))$/.exec(s)!;
  const local = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) / 1000;
  return m[7] === 'Z' ? local : local - (m[8] === '+' ? 1 : -1) * (+m[9]! * 3600 + +m[10]! * 60);
}
const round = (v: number | null): number | null => (v === null ? null : Math.round(v * 1e6) / 1e6);

const config = (baseUrl: string, more: Partial<OctopusConfig> = {}): OctopusConfig => ({
  kind: 'octopus',
  fuel: 'electricity',
  meter: MPAN,
  serial: SERIAL,
  baseUrl,
  ...more,
});
const MAY = { fromDay: dayOf('2020-05-04'), toDay: dayOf('2020-05-09') };

/** The fixture split into pages of `size`, each `next` the real link's form on the local server. */
function pages(size: number, items: Item[] = FIXTURE.results) {
  return (url: URL, _n: number, origin: string): Answer => {
    const p = Number(url.searchParams.get('page') ?? 1);
    const next = new URL(FIXTURE.next.replace('https://api.octopus.energy', origin));
    for (const [k, v] of url.searchParams) if (k !== 'page') next.searchParams.set(k, v);
    next.searchParams.set('page', String(p + 1));
    return ok({
      count: items.length,
      next: p * size < items.length ? next.href : null,
      previous: null,
      results: items.slice((p - 1) * size, p * size),
    });
  };
}

let core: Core | undefined;
afterEach(async () => {
  await core?.stop();
  core = undefined;
});

describe('Octopus Energy client', () => {
  it('asks for the window with Basic auth, pages over next links, and each page imports to the fixture', async () => {
    const { origin, asked } = await replay(pages(40));
    const got = await fetchOctopus({ config: config(origin), apiKey: KEY, ...MAY, fetch });

    expect(asked.map((a) => a.url.pathname)).toEqual([PATH, PATH, PATH]);
    expect(Object.fromEntries(asked[0]!.url.searchParams)).toEqual({
      period_from: '2020-05-04T00:00:00+01:00',
      period_to: '2020-05-09T00:00:00+01:00',
      page_size: '25000',
      order_by: 'period',
    });
    expect(asked.map((a) => a.url.searchParams.get('page'))).toEqual([null, '2', '3']);
    expect(asked.every((a) => a.headers.authorization === BASIC)).toBe(true);
    expect(got.documents.map((d) => [d.key, d.name, d.meter, d.volume])).toEqual([
      ['electricity:2020-05-04..2020-05-09#1', `octopus-${MPAN}-2020-05-04-p1.json`, MPAN, undefined],
      ['electricity:2020-05-04..2020-05-09#2', `octopus-${MPAN}-2020-05-04-p2.json`, MPAN, undefined],
      ['electricity:2020-05-04..2020-05-09#3', `octopus-${MPAN}-2020-05-04-p3.json`, MPAN, undefined],
    ]);
    // the latest reading starts at 00:00 on 8 May, the only half-hour of that day: the 7th is complete
    expect(got.completeThrough).toBe(dayOf('2020-05-07'));

    core = await makeCore();
    const jobs = await importDocuments(core, got.documents);
    expect(jobs.map((j) => j.status)).toEqual(['done', 'done', 'done']);
    const expected = FIXTURE.results
      .map((r) => [MPAN, utcOf(r.interval_start), r.consumption] as const)
      .sort((a, b) => a[1] - b[1]);
    expect(expected).toHaveLength(99);
    expect(storedReadings(core).map(([m, t, v]) => [m, t, round(v)])).toEqual(expected);
  });

  it('stops when a next link repeats, and does not follow one to another address', async () => {
    const loop = await replay((url, _n, origin) => {
      const p = url.searchParams.get('page') ?? '1';
      const other = `${origin}${PATH}?page=${p === '1' ? 2 : 1}`;
      return ok({ count: 2, next: other, previous: null, results: FIXTURE.results.slice(+p - 1, +p) });
    });
    const got = await fetchOctopus({ config: config(loop.origin), apiKey: KEY, ...MAY, fetch });
    expect(loop.asked.map((a) => a.url.searchParams.get('page'))).toEqual([null, '2', '1']);
    expect(got.documents).toHaveLength(3);

    const away = await replay(() =>
      ok({ count: 2, next: FIXTURE.next, previous: null, results: FIXTURE.results.slice(0, 1) }),
    );
    const e = await failure(fetchOctopus({ config: config(away.origin), apiKey: KEY, ...MAY, fetch }));
    expect(e.message).toContain('linked page 2 to another address (https://api.octopus.energy)');
    expect(away.asked).toHaveLength(1);
  });

  it('says the API key was refused on 401, never quoting the key, and names the meter on 404', async () => {
    const refused = await replay(() => ({ status: 401, body: JSON.stringify({ detail: `Invalid API key: ${KEY}` }) }));
    const e = await failure(fetchOctopus({ config: config(refused.origin), apiKey: KEY, ...MAY, fetch }));
    expect(e.code).toBe('BAD_INPUT');
    expect(e.message).toMatch(/^The Octopus Energy API refused the API key \(HTTP 401: Invalid API key: …\)\. /);
    expect(e.message).toContain('Check the API key saved with this source');
    expect(e.message).not.toContain(KEY);
    expect(e.message).not.toContain(BASIC.slice(6));
    expect(refused.asked).toHaveLength(1);

    const missing = await replay(() => ({ status: 404, body: '{"detail":"Not found."}' }));
    const nf = await failure(fetchOctopus({ config: config(missing.origin), apiKey: KEY, ...MAY, fetch }));
    expect(nf.code).toBe('NOT_FOUND');
    expect(nf.message).toBe(
      `Octopus Energy has no electricity meter with MPAN ${MPAN} and serial number ${SERIAL}: check both ` +
        'against the bill or the Octopus account (HTTP 404: Not found.)',
    );
  });

  it('waits out a 429 as Retry-After asks, then succeeds; a long Retry-After fails plainly at once', async () => {
    const limited = await replay((url, n, origin) =>
      n === 1
        ? { status: 429, body: '{"detail":"Request was throttled."}', headers: { 'retry-after': '7' } }
        : pages(25000)(url, n, origin),
    );
    const w = waits();
    const got = await fetchOctopus({ config: config(limited.origin), apiKey: KEY, ...MAY, fetch }, { sleep: w.sleep });
    expect(w.waited).toEqual([7000]);
    expect(limited.asked).toHaveLength(2);
    expect(got.documents).toHaveLength(1);

    const later = new Date(Date.now() + 2 * 3600_000).toUTCString();
    const long = await replay(() => ({ status: 429, body: '', headers: { 'retry-after': later } }));
    const e = await failure(fetchOctopus({ config: config(long.origin), apiKey: KEY, ...MAY, fetch }, waits()));
    expect(e.code).toBe('UNAVAILABLE');
    expect(e.message).toMatch(
      /^The Octopus Energy API is limiting requests \(HTTP 429\) and asks to wait 7[12]\d\d s; the next run will try again$/,
    );
    expect(long.asked).toHaveLength(1);

    const always = await replay(() => ({ status: 429, body: '', headers: { 'retry-after': '1' } }));
    const a = await failure(fetchOctopus({ config: config(always.origin), apiKey: KEY, ...MAY, fetch }, waits()));
    expect(a.message).toBe(
      'The Octopus Energy API is unavailable: it is limiting requests (HTTP 429) (after 3 attempts); the next run will try again',
    );
    expect(always.asked).toHaveLength(3);
  });

  it('retries a 5xx with backoff and succeeds; fails after three 5xx or three timeouts', async () => {
    const flaky = await replay((url, n, origin) =>
      n <= 2 ? { status: n === 1 ? 502 : 503, body: '<html>Bad gateway</html>' } : pages(25000)(url, n, origin),
    );
    const w = waits();
    const got = await fetchOctopus({ config: config(flaky.origin), apiKey: KEY, ...MAY, fetch }, { sleep: w.sleep });
    expect(w.waited).toEqual([1000, 2000]);
    expect(got.documents).toHaveLength(1);

    const down = await replay(() => ({ status: 500, body: '{"detail":"Server Error"}' }));
    const e = await failure(fetchOctopus({ config: config(down.origin), apiKey: KEY, ...MAY, fetch }, waits()));
    expect(e.code).toBe('UNAVAILABLE');
    expect(e.message).toBe(
      'The Octopus Energy API is unavailable: it had a problem (HTTP 500: Server Error) (after 3 attempts); the next run will try again',
    );
    expect(down.asked).toHaveLength(3);

    const hung = await replay(() => 'hang');
    const t = await failure(
      fetchOctopus({ config: config(hung.origin), apiKey: KEY, ...MAY, fetch }, { ...waits(), timeoutMs: 150 }),
    );
    expect(t.message).toMatch(/^The Octopus Energy API is unavailable: no answer within 0\.15 s \(after 3 attempts\)/);
    expect(hung.asked).toHaveLength(3);
  });

  it('refuses a body that is not JSON, or JSON without the consumption shape', async () => {
    const html = await replay(() => ({ status: 200, body: '<html><body>Maintenance</body></html>' }));
    const e = await failure(fetchOctopus({ config: config(html.origin), apiKey: KEY, ...MAY, fetch }));
    expect(e.message).toBe(
      'The Octopus Energy API sent a response that is not JSON (it starts "<html><body>Maintenance</body></html>"); expected a JSON object',
    );
    const odd = await replay(() =>
      ok({ count: 1, next: null, results: [{ consumption: 'lots', interval_start: 'x' }] }),
    );
    const s = await failure(fetchOctopus({ config: config(odd.origin), apiKey: KEY, ...MAY, fetch }));
    expect(s.message).toBe(
      'The Octopus Energy API sent page 1 in a shape this app does not read (reading 1 has no interval_start with a ' +
        'UTC offset); expected { "count", "next", "results": [{ "consumption", "interval_start", "interval_end" }] }',
    );
  });

  it('knows a complete day over the spring clock change, and a day the API has only part of', async () => {
    // 28–30 March 2020: 48, 46 and 48 half-hours from 00:00 UTC on the 28th to 23:00 UTC on the 30th
    const items: Item[] = [];
    const bst = Date.UTC(2020, 2, 29, 1) / 1000;
    for (let t = Date.UTC(2020, 2, 28) / 1000; t < Date.UTC(2020, 2, 30, 23) / 1000; t += 1800) {
      const write = (u: number): string =>
        u < bst
          ? new Date(u * 1000).toISOString().replace('.000Z', 'Z')
          : new Date((u + 3600) * 1000).toISOString().replace('.000Z', '+01:00');
      items.push({ consumption: (t / 1800) % 7, interval_start: write(t), interval_end: write(t + 1800) });
    }
    expect(items).toHaveLength(142);
    const window = { fromDay: dayOf('2020-03-28'), toDay: dayOf('2020-03-31') };
    const full = await replay(pages(25000, items));
    const got = await fetchOctopus({ config: config(full.origin), apiKey: KEY, ...window, fetch });
    expect(got.completeThrough).toBe(dayOf('2020-03-30'));
    const behind = await replay(pages(25000, items.slice(0, -1)));
    const part = await fetchOctopus({ config: config(behind.origin), apiKey: KEY, ...window, fetch });
    expect(part.completeThrough).toBe(dayOf('2020-03-29'));

    core = await makeCore();
    await importDocuments(core, got.documents);
    expect(storedReadings(core).map(([, t, v]) => [t, v])).toEqual(
      items.map((r) => [utcOf(r.interval_start), r.consumption]),
    );
  });

  it('asks for a gas meter by MPRN and marks m³ documents as volumes, which import converted to kWh', async () => {
    const MPRN = '3118742508';
    const gas = await replay((url, n, origin) =>
      url.pathname === `/v1/gas-meter-points/${MPRN}/meters/G4A01234567890/consumption/`
        ? pages(25000)(url, n, origin)
        : { status: 404, body: '{"detail":"Not found."}' },
    );
    const got = await fetchOctopus({
      config: config(gas.origin, { fuel: 'gas', meter: MPRN, serial: 'G4A01234567890', gasUnit: 'm3' }),
      apiKey: KEY,
      ...MAY,
      fetch,
    });
    expect(got.documents.map((d) => [d.key, d.meter, d.volume])).toEqual([
      ['gas:2020-05-04..2020-05-09#1', MPRN, true],
    ]);
    core = await makeCore();
    await importDocuments(core, got.documents);
    const first = FIXTURE.results.reduce((a, b) => (utcOf(a.interval_start) < utcOf(b.interval_start) ? a : b));
    const stored = storedReadings(core);
    expect(stored).toHaveLength(99);
    expect(stored[0]![1]).toBe(utcOf(first.interval_start));
    expect(stored[0]![2]).toBeCloseTo((first.consumption! * 1.02264 * 39.5) / 3.6, 5);
  });

  it('asks nothing for an empty window', async () => {
    const { origin, asked } = await replay(pages(10));
    const got = await fetchOctopus({ config: config(origin), apiKey: KEY, fromDay: 18400, toDay: 18400, fetch });
    expect(got).toEqual({ documents: [], completeThrough: null });
    expect(asked).toHaveLength(0);
  });
});
