/**
 * Runs of smart-meter API sources: an Octopus source against a local server replaying the real
 * consumption response — the days asked for from the source's start and then from its cursor (less a
 * day of overlap), the documents imported as jobs for the source's meter, the same readings fetched
 * again not imported twice, the API key kept out of every answer and message; an n3rgy source whose
 * key is refused fails its run plainly.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../app';
import type { RollbackResult, SourceDetail, SourceRun, SourceSummary } from '../../../src-shared/contract/types';
import { callAsAdmin, FIXTURES, importFiles, makeCore, storedReadings, tempDir } from '../../../tests/helpers/core';
import { ok, replay } from '../../../tests/helpers/api-replay';

const FIXTURE = JSON.parse(
  fs.readFileSync(path.join(FIXTURES, 'public', 'octopus-consumption-electricity-2020-05.json'), 'utf8'),
) as { results: { consumption: number | null; interval_start: string }[] };
const MPAN = '2700003645222';
const KEY = 'sk_live_Qwe987Rty654';

let core: Core | undefined;
afterEach(async () => {
  await core?.stop();
  core = undefined;
});

/** The UK day (YYYY-MM-DD) of an ISO time with an offset, read from its text. */
const ukDayOf = (s: string): string => s.slice(0, 10);

/**
 * A core on 12 May 2020 with an Octopus feed from 4 May against a replay server that answers every
 * request with the fixture's readings.
 */
async function octopusFeed(extra: { everyMinutes?: number } = {}) {
  const { origin, asked } = await replay(() =>
    ok({ count: FIXTURE.results.length, next: null, previous: null, results: FIXTURE.results }),
  );
  const c = await makeCore({ clock: { now: () => Date.parse('2020-05-12T09:00:00Z') } });
  core = c;
  const src = await callAsAdmin<SourceSummary>(c, 'sources.save', {
    name: 'Octopus home',
    config: {
      kind: 'octopus',
      fuel: 'electricity',
      meter: MPAN,
      serial: '19L2761452',
      from: '2020-05-04',
      baseUrl: origin,
    },
    secrets: { apiKey: KEY },
    ...extra,
  });
  return { c, asked, src };
}

describe('API sources', () => {
  it('fetch from the start date, then from the cursor less a day, importing each document once', async () => {
    const { c, asked, src } = await octopusFeed({ everyMinutes: 24 * 60 });
    expect(src).toMatchObject({ secretsSet: ['apiKey'], meters: [], cursor: null });

    const [first] = await callAsAdmin<SourceRun[]>(c, 'sources.run', { id: src.id });
    await c.imports.drain();
    expect(first).toMatchObject({ status: 'ok', itemsFound: 1, itemsQueued: 1 });
    expect(asked[0]!.url.searchParams.get('period_from')).toBe('2020-05-04T00:00:00+01:00');
    expect(asked[0]!.url.searchParams.get('period_to')).toBe('2020-05-12T00:00:00+01:00');
    const job = c.imports.get(first!.jobIds[0]!);
    const present = FIXTURE.results.filter((r) => r.consumption !== null);
    expect(job).toMatchObject({ status: 'done', readingsImported: present.length });
    const kwh = storedReadings(c)
      .filter((r) => r[0] === MPAN)
      .reduce((s, r) => s + (r[2] ?? 0), 0);
    expect(kwh).toBeCloseTo(
      present.reduce((s, r) => s + r.consumption!, 0),
      9,
    );

    // the cursor: the latest day whose 48 half-hours all came back (worked out from the fixture's own times)
    const perDay = new Map<string, number>();
    for (const r of present) perDay.set(ukDayOf(r.interval_start), (perDay.get(ukDayOf(r.interval_start)) ?? 0) + 1);
    const latest = [...perDay.keys()].sort().at(-1)!;
    const complete =
      perDay.get(latest) === 48
        ? latest
        : new Date(Date.parse(`${latest}T00:00:00Z`) - 86400_000).toISOString().slice(0, 10);
    const detail = await callAsAdmin<SourceDetail>(c, 'sources.get', { id: src.id });
    expect(detail.cursor).toBe(complete);

    // the next run asks from the cursor less a day; the same readings come back and are not imported again
    const [second] = await callAsAdmin<SourceRun[]>(c, 'sources.run', { id: src.id });
    const overlap = new Date(Date.parse(`${complete}T00:00:00Z`) - 86400_000).toISOString().slice(0, 10);
    expect(asked[1]!.url.searchParams.get('period_from')).toBe(`${overlap}T00:00:00+01:00`);
    expect(second).toMatchObject({ status: 'ok', itemsFound: 1, itemsQueued: 0 });
    expect(detail.items).toEqual([
      expect.objectContaining({ key: `electricity:2020-05-04..2020-05-12#1`, jobId: job.id }),
    ]);
    expect(JSON.stringify([detail, await callAsAdmin(c, 'sources.list', {})])).not.toContain(KEY);
  });

  it('after its import is rolled back, moves the cursor back before those days (never forward) and fetches them again', async () => {
    const { c, asked, src } = await octopusFeed();
    const fixtureKwh = FIXTURE.results.reduce((s, r) => s + (r.consumption ?? 0), 0);
    const kwh = () =>
      storedReadings(c)
        .filter((r) => r[0] === MPAN)
        .reduce((s, r) => s + (r[2] ?? 0), 0);
    const get = () => callAsAdmin<SourceDetail>(c, 'sources.get', { id: src.id });
    const [first] = await callAsAdmin<SourceRun[]>(c, 'sources.run', { id: src.id });
    await c.imports.drain();
    const jobA = first!.jobIds[0]!;
    const cursor = (await get()).cursor!;
    expect(cursor > '2020-05-04').toBe(true);

    // a dry run says so and changes nothing
    const preview = await callAsAdmin<RollbackResult>(c, 'imports.rollback', { id: jobA, dryRun: true });
    expect(preview.refetch).toEqual({ sourceId: src.id, source: 'Octopus home', from: '2020-05-04' });
    expect((await get()).cursor).toBe(cursor);

    const rolled = await callAsAdmin<RollbackResult>(c, 'imports.rollback', { id: jobA });
    expect(rolled.refetch).toEqual({ sourceId: src.id, source: 'Octopus home', from: '2020-05-04' });
    expect(kwh()).toBe(0);
    let detail = await get();
    // the day before the window's first day (2020-05-04), and the window's item forgotten
    expect(detail.cursor).toBe('2020-05-03');
    expect(detail.items).toEqual([]);
    expect(detail.runs.find((r) => r.id === first!.id)!.notes).toEqual([
      `Import job ${jobA} was rolled back: the next run fetches 2020-05-04 onwards again`,
    ]);

    // the next run asks from the new cursor less a day and imports the same readings again
    const [second] = await callAsAdmin<SourceRun[]>(c, 'sources.run', { id: src.id });
    await c.imports.drain();
    expect(asked[1]!.url.searchParams.get('period_from')).toBe('2020-05-02T00:00:00+01:00');
    expect(second).toMatchObject({ status: 'ok', itemsFound: 1, itemsQueued: 1 });
    expect(kwh()).toBeCloseTo(fixtureKwh, 9);
    expect((await get()).cursor).toBe(cursor);

    // never forward: a cursor already before the window stays where it is
    c.sqlite.prepare('UPDATE sources SET cursor = ? WHERE id = ?').run('2020-04-20', src.id);
    const again = await callAsAdmin<RollbackResult>(c, 'imports.rollback', { id: second!.jobIds[0]! });
    expect(again.refetch).toEqual({ sourceId: src.id, source: 'Octopus home', from: '2020-05-02' });
    detail = await get();
    expect(detail.cursor).toBe('2020-04-20');
    expect(detail.items).toEqual([]);
  });

  it('a rolled-back import given by hand moves no source', async () => {
    core = await makeCore();
    const dir = tempDir('eclectyc-hand-');
    const file = path.join(dir, 'hand.csv');
    fs.writeFileSync(file, `MPAN,Timestamp,kWh\n${MPAN},2020-05-04T00:00:00Z,1\n`);
    const [job] = await importFiles(core, [file]);
    const r = await callAsAdmin<RollbackResult>(core, 'imports.rollback', { id: job!.id });
    expect(r).toMatchObject({ readingsRemoved: 1, refetch: null });
  });

  it('fails a run plainly when the API refuses the key, never quoting it', async () => {
    const { origin } = await replay(() => ({ status: 401, body: JSON.stringify({ message: `bad key ${KEY}` }) }));
    core = await makeCore();
    const src = await callAsAdmin<SourceSummary>(core, 'sources.save', {
      name: 'n3rgy meter',
      config: { kind: 'n3rgy', fuel: 'electricity', meter: MPAN, baseUrl: origin },
      secrets: { apiKey: KEY },
    });
    const [run] = await callAsAdmin<SourceRun[]>(core, 'sources.run', { id: src.id });
    expect(run).toMatchObject({ status: 'failed', itemsQueued: 0 });
    expect(run!.error).toMatch(/^The n3rgy API refused the API key/);
    expect(run!.error).not.toContain(KEY);
    expect((await callAsAdmin<SourceSummary[]>(core, 'sources.list', {}))[0]).toMatchObject({
      status: 'failed',
      cursor: null,
    });
    // without a key an API source is refused
    await expect(
      callAsAdmin(core, 'sources.save', {
        name: 'No key',
        config: { kind: 'octopus', fuel: 'gas', meter: '1234567', serial: 'G4A1', baseUrl: origin },
      }),
    ).rejects.toThrow('INVALID_ARGS: Set the API key (secrets.apiKey)');
  });
});
