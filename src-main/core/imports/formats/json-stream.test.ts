/**
 * The streaming JSON walker gives exactly what JSON.parse gives — the readings in order and the
 * other top-level fields — however the bytes are cut, and a large export imports with one element
 * in memory at a time.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../../app';
import { FIXTURES, importFiles, makeCore, writeTemp } from '../../../../tests/helpers/core';
import { N3RGY_ITEMS, OCTOPUS_ITEMS } from './json';
import { JsonWalker } from './json-stream';

let core: Core | undefined;
afterEach(async () => {
  await core?.stop();
  core = undefined;
});

function walk(buf: Buffer, step: number) {
  const items: unknown[] = [];
  const top: Record<string, unknown> = {};
  const w = new JsonWalker(
    [OCTOPUS_ITEMS, N3RGY_ITEMS],
    (v) => items.push(v),
    (k, v) => (top[k] = v),
  );
  for (let a = 0; a < buf.length; a += step) w.feed(buf, a, Math.min(buf.length, a + step), a);
  w.end(Buffer.alloc(0), buf.length);
  return { items, top, keys: [...w.topKeys] };
}

describe('JsonWalker', () => {
  for (const f of ['octopus-consumption-electricity-2020-05.json', 'n3rgy-consumption-halfhour-energysparks.json']) {
    it(`reads ${f} as JSON.parse does, cut into pieces of 1, 7, 64 bytes or whole`, () => {
      const buf = fs.readFileSync(path.join(FIXTURES, 'public', f));
      const doc = JSON.parse(buf.toString()) as Record<string, unknown> & {
        results?: unknown[];
        devices?: { values: unknown[] }[];
      };
      const expected = doc.results ?? doc.devices!.flatMap((d) => d.values);
      const others = Object.fromEntries(Object.entries(doc).filter(([k]) => k !== 'results' && k !== 'devices'));
      for (const step of [1, 7, 64, buf.length]) {
        const got = walk(buf, step);
        expect(got.items).toEqual(expected);
        expect(got.top).toEqual(others);
        expect(got.keys).toEqual(Object.keys(doc));
      }
    });
  }

  it('reads strings with escaped quotes and braces, and says where a broken document fails', () => {
    const text =
      '{"next":"a \\"}\\" ]","results":[{"consumption":1,"interval_start":"x}{"},{"consumption":null}],"count":2}';
    expect(walk(Buffer.from(text), 3)).toEqual({
      items: [{ consumption: 1, interval_start: 'x}{' }, { consumption: null }],
      top: { next: 'a "}" ]', count: 2 },
      keys: ['next', 'results', 'count'],
    });
    expect(() => walk(Buffer.from('{"results":[{"a":1}'), 4)).toThrow(/ends before it is complete/);
    expect(() => walk(Buffer.from('[1,2]'), 4)).toThrow(/not a JSON object/);
  });
});

describe('a large Octopus export', () => {
  it('imports every result, 1 MB of JSON at a time, with the meter from the next-page URL', async () => {
    core = await makeCore();
    const n = 30_000; // ~3 MB: several pieces
    const results = Array.from({ length: n }, (_, i) => {
      const s = new Date(Date.UTC(2023, 0, 1) + i * 1800000).toISOString().replace('.000Z', 'Z');
      return `{"consumption":${(i % 50) / 10},"interval_start":"${s}","interval_end":"${s}"}`;
    });
    const file = writeTemp(
      'octopus.json',
      `{"count":${n},"next":"https://api.octopus.energy/v1/electricity-meter-points/1012477457919/meters/X/consumption/?page=2","previous":null,"results":[${results.join(',')}]}`,
    );
    const [job] = await importFiles(core, [file]);
    expect(job).toMatchObject({
      status: 'done',
      format: 'octopus-json',
      rowsRead: n,
      readingsImported: n,
      rowsRejected: 0,
      metersCreated: ['1012477457919'],
    });
    const r = core.meters.readings('1012477457919', '2023-01-01T00:00:00Z', '2023-01-01T02:00:00Z');
    expect(r.map((x) => x.kwh)).toEqual([0, 0.1, 0.2, 0.3]);
  });
});
