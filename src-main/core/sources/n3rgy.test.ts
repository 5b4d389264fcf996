/**
 * The n3rgy client against a local HTTP server replaying the real consumption response shape
 * (tests/fixtures/public/n3rgy-consumption-halfhour-energysparks.json): the windows asked for (at
 * most 90 days, UTC `YYYYMMDDHHmm`), the key header, 401/403/404/429/5xx and malformed bodies; each
 * fetched document imported through the real importer, interval ends becoming starts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FIXTURES, makeCore, storedReadings } from '../../../tests/helpers/core';
import { failure, importDocuments, ok, replay, waits, type Answer } from '../../../tests/helpers/api-replay';
import type { Core } from '../app';
import type { N3rgyConfig } from './api-source';
import { fetchN3rgy } from './n3rgy';

interface Value {
  primaryValue: number | null;
  timestamp: string;
}
const FIXTURE = JSON.parse(
  fs.readFileSync(path.join(FIXTURES, 'public', 'n3rgy-consumption-halfhour-energysparks.json'), 'utf8'),
) as { resource: string; devices: { deviceId: string; values: Value[] }[] } & Record<string, unknown>;
const MPAN = '1200050000009';
const KEY = '0123456789ABCDEF';

const dayOf = (iso: string): number => Date.parse(`${iso}T00:00:00Z`) / 86400000;
/** `YYYYMMDDHHmm` (UTC) → epoch seconds. */
const fromCompact = (s: string): number =>
  Date.UTC(+s.slice(0, 4), +s.slice(4, 6) - 1, +s.slice(6, 8), +s.slice(8, 10), +s.slice(10, 12)) / 1000;
/** Epoch seconds → `YYYY-MM-DD HH:MM` (UTC), n3rgy's timestamp. */
const stamp = (t: number): string => new Date(t * 1000).toISOString().slice(0, 16).replace('T', ' ');
const round = (v: number | null): number | null => (v === null ? null : Math.round(v * 1e6) / 1e6);
/** A made-up value for the half-hour ending at `end`. */
const valueAt = (end: number): number => ((end / 1800) % 97) / 100;

const config = (baseUrl: string, more: Partial<N3rgyConfig> = {}): N3rgyConfig => ({
  kind: 'n3rgy',
  fuel: 'electricity',
  meter: MPAN,
  baseUrl,
  ...more,
});

/** The fixture's shape for the window asked for: a value for every half-hour ending after start up to end. */
function generated(url: URL): Answer {
  const start = fromCompact(url.searchParams.get('start')!);
  const end = fromCompact(url.searchParams.get('end')!);
  const values: Value[] = [];
  for (let t = start + 1800; t <= end; t += 1800) values.push({ primaryValue: valueAt(t), timestamp: stamp(t) });
  return ok({
    ...FIXTURE,
    resource: `${url.pathname}${url.search}`,
    start: url.searchParams.get('start'),
    end: url.searchParams.get('end'),
    devices: [{ deviceId: FIXTURE.devices[0]!.deviceId, values }],
  });
}

let core: Core | undefined;
afterEach(async () => {
  await core?.stop();
  core = undefined;
});

describe('n3rgy client', () => {
  it('asks in windows of at most 90 days with the key header, and the documents import to every half-hour', async () => {
    const { origin, asked } = await replay(generated);
    const window = { fromDay: dayOf('2024-01-01'), toDay: dayOf('2024-07-19') };
    const got = await fetchN3rgy({ config: config(origin), apiKey: KEY, ...window, fetch });

    expect(asked.map((a) => a.url.pathname)).toEqual(
      Array(3).fill(`/mpxn/${MPAN}/utility/electricity/readingtype/consumption`),
    );
    // UK midnights in UTC: GMT until 31 March 2024, BST (23:00 the day before) after
    expect(asked.map((a) => Object.fromEntries(a.url.searchParams))).toEqual([
      { start: '202401010000', end: '202403310000', granularity: 'halfhour', outputFormat: 'json' },
      { start: '202403310000', end: '202406282300', granularity: 'halfhour', outputFormat: 'json' },
      { start: '202406282300', end: '202407182300', granularity: 'halfhour', outputFormat: 'json' },
    ]);
    expect(asked.every((a) => a.headers.authorization === KEY && a.headers['x-api-key'] === KEY)).toBe(true);
    expect(got.documents.map((d) => [d.key, d.name, d.meter, d.volume])).toEqual([
      ['electricity:2024-01-01..2024-03-31', `n3rgy-${MPAN}-2024-01-01.json`, MPAN, undefined],
      ['electricity:2024-03-31..2024-06-29', `n3rgy-${MPAN}-2024-03-31.json`, MPAN, undefined],
      ['electricity:2024-06-29..2024-07-19', `n3rgy-${MPAN}-2024-06-29.json`, MPAN, undefined],
    ]);
    expect(got.completeThrough).toBe(dayOf('2024-07-18'));

    core = await makeCore();
    const jobs = await importDocuments(core, got.documents);
    expect(jobs.map((j) => j.status)).toEqual(['done', 'done', 'done']);
    const first = Date.UTC(2024, 0, 1) / 1000;
    const last = Date.UTC(2024, 6, 18, 22, 30) / 1000; // 23:30 BST on 18 July
    const expected: [string, number, number | null][] = [];
    for (let t = first; t <= last; t += 1800) expected.push([MPAN, t, round(valueAt(t + 1800))]);
    expect(expected).toHaveLength(200 * 48 - 2); // the spring change day has 46
    expect(storedReadings(core).map(([m, t, v]) => [m, t, round(v)])).toEqual(expected);
  });

  it('keeps every window within 90 × 24 hours over the autumn clock change', async () => {
    const { origin, asked } = await replay(generated);
    await fetchN3rgy({
      config: config(origin),
      apiKey: KEY,
      fromDay: dayOf('2024-09-01'),
      toDay: dayOf('2025-01-01'),
      fetch,
    });
    const spans = asked.map((a) => [
      fromCompact(a.url.searchParams.get('start')!),
      fromCompact(a.url.searchParams.get('end')!),
    ]);
    expect(spans.every(([a, b]) => b! - a! <= 90 * 86400)).toBe(true);
    expect(spans.slice(1).every(([a], i) => a === spans[i]![1])).toBe(true);
    expect([spans[0]![0], spans.at(-1)![1]]).toEqual([Date.UTC(2024, 7, 31, 23) / 1000, Date.UTC(2025, 0, 1) / 1000]);
    expect(spans[0]).toEqual([Date.UTC(2024, 7, 31, 23) / 1000, Date.UTC(2024, 10, 29) / 1000]); // 89 days
  });

  it('imports the real response with interval ends as starts; a partial day is not complete', async () => {
    const { origin } = await replay(() => ok(FIXTURE));
    const got = await fetchN3rgy({
      config: config(origin),
      apiKey: KEY,
      fromDay: dayOf('2012-04-27'),
      toDay: dayOf('2012-04-29'),
      fetch,
    });
    // the last value ends at 00:00 UTC on the 28th (01:00 BST): it is the 28th's first half-hour
    expect(got.completeThrough).toBe(dayOf('2012-04-27'));
    core = await makeCore();
    await importDocuments(core, got.documents);
    const expected = FIXTURE.devices[0]!.values.map((v) => {
      const [d, t] = v.timestamp.split(' ') as [string, string];
      const end = Date.parse(`${d}T${t}:00Z`) / 1000;
      return [MPAN, end - 1800, v.primaryValue];
    });
    expect(expected).toHaveLength(31);
    expect(storedReadings(core).map(([m, t, v]) => [m, t, round(v)])).toEqual(expected);
  });

  it('says the key was refused on 401 and 403 (naming consent), never quoting the key; names the meter on 404', async () => {
    for (const status of [401, 403]) {
      const r = await replay(() => ({ status, body: JSON.stringify({ message: `Unauthorized key ${KEY}` }) }));
      const e = await failure(
        fetchN3rgy({ config: config(r.origin), apiKey: KEY, fromDay: 19800, toDay: 19801, fetch }),
      );
      expect(e.code).toBe('BAD_INPUT');
      expect(e.message).toBe(
        `The n3rgy API refused the API key (HTTP ${status}: Unauthorized key …). Check the API key saved with this ` +
          `source (edit the source), and that n3rgy holds consent for MPAN ${MPAN}.`,
      );
      expect(r.asked).toHaveLength(1);
    }
    const gone = await replay(() => ({ status: 404, body: '{"errors":[{"code":404,"message":"MPxN not found"}]}' }));
    const nf = await failure(
      fetchN3rgy({
        config: config(gone.origin, { fuel: 'gas', meter: '7654321' }),
        apiKey: KEY,
        fromDay: 19800,
        toDay: 19801,
        fetch,
      }),
    );
    expect(nf.code).toBe('NOT_FOUND');
    expect(nf.message).toBe(
      'No gas meter with MPRN 7654321 was found at n3rgy: check the MPRN and that the meter is registered with n3rgy (HTTP 404: MPxN not found)',
    );
  });

  it('waits out a 429, retries 5xx with backoff, and fails after three 5xx', async () => {
    const busy = await replay((url, n) =>
      n === 1
        ? { status: 429, body: '', headers: { 'retry-after': '3' } }
        : n === 2
          ? { status: 503, body: '' }
          : generated(url),
    );
    const w = waits();
    const got = await fetchN3rgy(
      { config: config(busy.origin), apiKey: KEY, fromDay: dayOf('2024-01-10'), toDay: dayOf('2024-01-11'), fetch },
      { sleep: w.sleep },
    );
    expect(w.waited).toEqual([3000, 2000]);
    expect(busy.asked).toHaveLength(3);
    expect(got.completeThrough).toBe(dayOf('2024-01-10'));

    const down = await replay(() => ({ status: 502, body: '<html>Bad Gateway</html>' }));
    const e = await failure(
      fetchN3rgy({ config: config(down.origin), apiKey: KEY, fromDay: 19800, toDay: 19801, fetch }, waits()),
    );
    expect(e.message).toBe(
      'The n3rgy API is unavailable: it had a problem (HTTP 502: <html>Bad Gateway</html>) (after 3 attempts); the next run will try again',
    );
    expect(down.asked).toHaveLength(3);
  });

  it('refuses malformed JSON and answers in another shape or granularity', async () => {
    const cases: [string, string][] = [
      [
        '{"devices": [',
        'The n3rgy API sent a response that is not JSON (it starts "{"devices": ["); expected a JSON object',
      ],
      [
        JSON.stringify({ ...FIXTURE, granularity: 'day' }),
        'The n3rgy API sent the readings for 2024-01-10 to 2024-01-10 in a shape this app does not read (its granularity is "day", not "halfhour")',
      ],
      [
        JSON.stringify({ ...FIXTURE, devices: [{ values: [{ primaryValue: 1, timestamp: '2024-01-10T00:30:00Z' }] }] }),
        'The n3rgy API sent the readings for 2024-01-10 to 2024-01-10 in a shape this app does not read (value 1 of device 1 has no timestamp YYYY-MM-DD HH:MM)',
      ],
    ];
    for (const [body, message] of cases) {
      const r = await replay(() => ({ status: 200, body }));
      const e = await failure(
        fetchN3rgy({
          config: config(r.origin),
          apiKey: KEY,
          fromDay: dayOf('2024-01-10'),
          toDay: dayOf('2024-01-11'),
          fetch,
        }),
      );
      expect(e.code).toBe('UNAVAILABLE');
      expect(e.message.startsWith(message)).toBe(true);
    }
  });
});
