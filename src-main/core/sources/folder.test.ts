/**
 * The watched folder against a real folder and a real core: files arriving, changing, repeating,
 * the same bytes renamed, a file still being written, done/failed moves that never overwrite, a
 * folder that goes missing, and where a meter's data came from.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../app';
import type { ImportJob, MeterFeed, SourceDetail, SourceRun, SourceSummary } from '../../../src-shared/contract/types';
import { callAsAdmin, importFiles, makeCore, storedReadings, tempDir } from '../../../tests/helpers/core';

const MPAN = '1200050000009';
const OTHER = '1200050000106';

/** A long-format file: one row per half-hour from `start` (UTC), kWh as given. */
function longCsv(mpan: string, start: string, kwh: number[]): string {
  const t0 = Date.parse(start);
  const rows = kwh.map((v, i) => `${mpan},${new Date(t0 + i * 1800_000).toISOString().replace('.000Z', 'Z')},${v}`);
  return `MPAN,Timestamp,kWh\n${rows.join('\n')}\n`;
}

/** Writes a file as a data collector's copy would leave it: complete, modified a minute ago. */
function drop(dir: string, name: string, content: string): string {
  const file = path.join(dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
  const old = new Date(Date.now() - 60_000);
  fs.utimesSync(file, old, old);
  return file;
}

let core: Core | undefined;
afterEach(async () => {
  await core?.stop();
  core = undefined;
});

/** Runs the source, imports what it queued, and waits for the moves after import. */
async function runAndImport(c: Core, id: number): Promise<SourceRun> {
  const [run] = await callAsAdmin<SourceRun[]>(c, 'sources.run', { id });
  await c.imports.drain();
  await c.sources.idle();
  return callAsAdmin<SourceDetail>(c, 'sources.get', { id }).then((d) => d.runs.find((r) => r.id === run!.id)!);
}

const names = (dir: string): string[] => (fs.existsSync(dir) ? fs.readdirSync(dir).sort() : []);

/** kWh stored for a meter, summed from the readings store. */
const storedKwh = (c: Core, mpan: string): number =>
  storedReadings(c)
    .filter((r) => r[0] === mpan && r[2] !== null)
    .reduce((s, r) => s + r[2]!, 0);

describe('a watched folder', () => {
  it('imports new and changed files once each by content, and moves them to done or failed without overwriting', async () => {
    core = await makeCore({ sources: { lookAgainMs: 50, afterDelayMs: 5 } });
    const dir = tempDir('eclectyc-drop-');
    const done = path.join(dir, 'done');
    const failed = path.join(dir, 'failed');
    const src = await callAsAdmin<SourceSummary>(core, 'sources.save', {
      name: 'DC drop',
      config: { kind: 'folder', path: dir, pattern: '*.csv', recursive: true, doneFolder: done, failedFolder: failed },
      everyMinutes: 60,
    });
    expect(src).toMatchObject({ kind: 'folder', status: 'idle', enabled: true, secretsSet: [] });

    // a file arrives; another that does not match the pattern, and a partial download, stay
    const first = longCsv(MPAN, '2025-01-01T00:00:00Z', [1, 2, 3, 4]);
    drop(dir, 'a.csv', first);
    drop(dir, 'notes.txt', 'not for us');
    drop(dir, 'b.csv.part', longCsv(OTHER, '2025-01-01T00:00:00Z', [9]));
    let run = await runAndImport(core, src.id);
    expect(run).toMatchObject({ status: 'ok', trigger: 'manual', itemsFound: 1, itemsQueued: 1, error: null });
    expect(run.notes).toEqual([`Moved a.csv to ${path.join(done, 'a.csv')}`]);
    expect(storedKwh(core, MPAN)).toBe(1 + 2 + 3 + 4);
    expect(names(dir)).toEqual(['b.csv.part', 'done', 'notes.txt']);
    expect(names(done)).toEqual(['a.csv']);
    const job = core.imports.get(run.jobIds[0]!);
    expect(job).toMatchObject({ status: 'done', file: 'a.csv', readingsImported: 4 });
    expect(core.sqlite.prepare('SELECT source_id FROM import_jobs WHERE id = ?').pluck().get(job.id)).toBe(src.id);

    // the same bytes again, under the same name and under another (in a subfolder): not imported,
    // moved to done beside the first as a (2).csv
    drop(dir, 'a.csv', first);
    drop(dir, 'sub/copy-of-a.csv', first);
    run = await runAndImport(core, src.id);
    expect(run).toMatchObject({ status: 'ok', itemsFound: 2, itemsQueued: 0, jobIds: [] });
    expect(names(done)).toEqual(['a (2).csv', 'a.csv', 'copy-of-a.csv']);
    expect(storedKwh(core, MPAN)).toBe(10);

    // the file changes (a corrected copy, new bytes): imported, replacing as the source says
    const second = longCsv(MPAN, '2025-01-01T02:00:00Z', [5, 6]);
    drop(dir, 'a.csv', second);
    run = await runAndImport(core, src.id);
    expect(run).toMatchObject({ itemsFound: 1, itemsQueued: 1 });
    expect(names(done)).toEqual(['a (2).csv', 'a (3).csv', 'a.csv', 'copy-of-a.csv']);
    expect(fs.readFileSync(path.join(done, 'a (3).csv'), 'utf8')).toBe(second);
    expect(storedKwh(core, MPAN)).toBe(10 + 5 + 6);

    // a file that is not a meter file fails its import and goes to the failed folder
    drop(dir, 'broken.csv', 'hello,world\nthis is,not readings\n');
    run = await runAndImport(core, src.id);
    expect(run.itemsQueued).toBe(1);
    expect(core.imports.get(run.jobIds[0]!).status).toBe('failed');
    expect(names(failed)).toEqual(['broken.csv']);
    expect(run.notes).toEqual([`Moved broken.csv to ${path.join(failed, 'broken.csv')}`]);

    const detail = await callAsAdmin<SourceDetail>(core, 'sources.get', { id: src.id });
    expect(detail.items.map((i) => i.key).sort()).toEqual(['a.csv', 'a.csv', 'broken.csv']);
    expect(detail.meters).toEqual([MPAN]);
    expect(detail.status).toBe('ok');
    expect(detail.lastReceivedAt).not.toBeNull();
    expect(detail.runs.map((r) => r.status)).toEqual(['ok', 'ok', 'ok', 'ok']);

    // where the meter's data comes from: this source, the corrected file last
    const feed = await callAsAdmin<MeterFeed>(core, 'meters.feed', { meter: MPAN });
    expect(feed.sources).toEqual([
      { id: src.id, name: 'DC drop', kind: 'folder', status: 'ok', nextRunAt: detail.nextRunAt },
    ]);
    expect(feed.lastImport).toMatchObject({ file: 'a.csv', sourceId: src.id });
    expect(feed.lastImport!.jobId).toBe(
      Math.max(...detail.items.filter((i) => i.key === 'a.csv').map((i) => i.jobId!)),
    );
    expect(feed.nextDueAt).toBe(detail.nextRunAt);
  });

  it('leaves files where they are without done/failed folders, skipping them unchanged on every run', async () => {
    core = await makeCore({ sources: { lookAgainMs: 50, afterDelayMs: 5 } });
    const dir = tempDir('eclectyc-drop-');
    const src = await callAsAdmin<SourceSummary>(core, 'sources.save', {
      name: 'Plain drop',
      config: { kind: 'folder', path: dir },
    });
    drop(dir, 'x.csv', longCsv(OTHER, '2025-02-01T00:00:00Z', [0.5, 0.25]));
    expect(await runAndImport(core, src.id)).toMatchObject({ itemsFound: 1, itemsQueued: 1, notes: [] });
    expect(await runAndImport(core, src.id)).toMatchObject({ itemsFound: 1, itemsQueued: 0, notes: [] });
    // renamed: the same bytes under a new name are not imported again
    fs.renameSync(path.join(dir, 'x.csv'), path.join(dir, 'y.csv'));
    expect(await runAndImport(core, src.id)).toMatchObject({ itemsFound: 1, itemsQueued: 0 });
    expect(names(dir)).toEqual(['y.csv']);
    expect(storedKwh(core, OTHER)).toBe(0.75);
  });

  it("names the source of each job it queued (a file imported by hand has none), and the source's new name", async () => {
    core = await makeCore({ sources: { lookAgainMs: 50, afterDelayMs: 5 } });
    const dir = tempDir('eclectyc-drop-');
    const src = await callAsAdmin<SourceSummary>(core, 'sources.save', {
      name: 'Council share',
      config: { kind: 'folder', path: dir },
    });
    drop(dir, 'x.csv', longCsv(OTHER, '2025-02-01T00:00:00Z', [0.5]));
    const run = await runAndImport(core, src.id);
    const [byHand] = await importFiles(core, [
      drop(tempDir('eclectyc-hand-'), 'y.csv', longCsv(MPAN, '2025-02-01T00:00:00Z', [1])),
    ]);
    const jobs = await callAsAdmin<ImportJob[]>(core, 'imports.list', {});
    const fromOf = (id: number) => jobs.find((j) => j.id === id)!;
    expect(fromOf(run.jobIds[0]!)).toMatchObject({ file: 'x.csv', sourceId: src.id, source: 'Council share' });
    expect(fromOf(byHand!.id)).toMatchObject({ file: 'y.csv', sourceId: null, source: null });
    await callAsAdmin(core, 'sources.save', {
      id: src.id,
      name: 'Council share (new)',
      config: { kind: 'folder', path: dir },
    });
    expect(core.imports.get(run.jobIds[0]!)).toMatchObject({ sourceId: src.id, source: 'Council share (new)' });
  });

  it('after its import is rolled back, leaves the file in place alone but imports its bytes when they arrive again', async () => {
    core = await makeCore({ sources: { lookAgainMs: 50, afterDelayMs: 5 } });
    const dir = tempDir('eclectyc-drop-');
    const done = path.join(dir, 'done');
    const src = await callAsAdmin<SourceSummary>(core, 'sources.save', {
      name: 'Rolled drop',
      config: { kind: 'folder', path: dir, doneFolder: done },
    });
    const content = longCsv(MPAN, '2025-04-01T00:00:00Z', [2, 3]);
    drop(dir, 'r.csv', content);
    const first = await runAndImport(core, src.id);
    expect(storedKwh(core, MPAN)).toBe(5);
    await callAsAdmin(core, 'imports.rollback', { id: first.jobIds[0] });
    expect(storedKwh(core, MPAN)).toBe(0);
    // the collector's copy dropped again (out of done, or sent again): imported, and moved to done
    fs.copyFileSync(path.join(done, 'r.csv'), path.join(dir, 'r.csv'));
    const again = await runAndImport(core, src.id);
    expect(again).toMatchObject({ itemsFound: 1, itemsQueued: 1 });
    expect(core.imports.get(again.jobIds[0]!)).toMatchObject({ status: 'done', readingsImported: 2 });
    expect(storedKwh(core, MPAN)).toBe(5);
    expect(names(dir)).toEqual(['done']);
    expect(names(done)).toEqual(['r (2).csv', 'r.csv']);
  });

  it('does not import again a file left in place whose import was rolled back', async () => {
    core = await makeCore({ sources: { lookAgainMs: 50, afterDelayMs: 5 } });
    const dir = tempDir('eclectyc-drop-');
    const src = await callAsAdmin<SourceSummary>(core, 'sources.save', {
      name: 'Kept drop',
      config: { kind: 'folder', path: dir },
    });
    drop(dir, 'k.csv', longCsv(MPAN, '2025-04-01T00:00:00Z', [2, 3]));
    const first = await runAndImport(core, src.id);
    await callAsAdmin(core, 'imports.rollback', { id: first.jobIds[0] });
    expect(await runAndImport(core, src.id)).toMatchObject({ itemsFound: 1, itemsQueued: 0 });
    expect(storedKwh(core, MPAN)).toBe(0);
  });

  it('does not take a file still being written, and takes it once it is complete', async () => {
    core = await makeCore({ sources: { lookAgainMs: 400, afterDelayMs: 5 } });
    const dir = tempDir('eclectyc-drop-');
    const src = await callAsAdmin<SourceSummary>(core, 'sources.save', {
      name: 'Slow copy',
      config: { kind: 'folder', path: dir },
    });
    const file = path.join(dir, 'growing.csv');
    const whole = longCsv(MPAN, '2025-03-01T00:00:00Z', [1, 1, 1, 1, 1, 1]);
    fs.writeFileSync(file, whole.slice(0, 60));
    const running = callAsAdmin<SourceRun[]>(core, 'sources.run', { id: src.id });
    await new Promise((r) => setTimeout(r, 150));
    fs.writeFileSync(file, whole); // more bytes arrive between the run's two looks
    const [run] = await running;
    expect(run).toMatchObject({ status: 'ok', itemsFound: 1, itemsQueued: 0 });
    expect(run!.notes).toEqual(['1 file was still being written and is left for the next run']);

    // complete now, and unchanged across the run's two looks: taken whole
    const taken = await runAndImport(core, src.id);
    expect(taken).toMatchObject({ itemsQueued: 1 });
    expect(storedKwh(core, MPAN)).toBe(6);
  });

  it('fails a run plainly when the folder is missing, and shows it failed', async () => {
    core = await makeCore({ sources: { lookAgainMs: 50 } });
    const dir = tempDir('eclectyc-drop-');
    const src = await callAsAdmin<SourceSummary>(core, 'sources.save', {
      name: 'Shared drive',
      config: { kind: 'folder', path: dir },
    });
    fs.rmSync(dir, { recursive: true });
    const [run] = await callAsAdmin<SourceRun[]>(core, 'sources.run', { id: src.id });
    expect(run).toMatchObject({ status: 'failed', itemsFound: 0, itemsQueued: 0 });
    expect(run!.error).toBe(
      `The watched folder ${dir} does not exist: check the path, and that this computer can reach it`,
    );
    const [listed] = await callAsAdmin<SourceSummary[]>(core, 'sources.list', {});
    expect(listed).toMatchObject({ status: 'failed', lastError: run!.error, lastOkAt: null });
  });

  it('refuses settings it cannot use, each beside its field', async () => {
    core = await makeCore();
    const dir = tempDir('eclectyc-drop-');
    const refused = async (args: unknown) =>
      callAsAdmin(core!, 'sources.save', args).then(
        () => null,
        (e: Error) => e.message,
      );
    expect(await refused({ name: 'Relative', config: { kind: 'folder', path: 'drop/here' } })).toBe(
      'INVALID_ARGS: Give the folder’s full path, e.g. /srv/dc-drop or \\\\server\\share\\dc-drop (config.path)',
    );
    expect(await refused({ name: 'Nowhere', config: { kind: 'folder', path: path.join(dir, 'nope') } })).toBe(
      `INVALID_ARGS: There is no folder ${path.join(dir, 'nope')} on the computer running the app (config.path)`,
    );
    expect(await refused({ name: 'Same', config: { kind: 'folder', path: dir, doneFolder: dir } })).toBe(
      'INVALID_ARGS: Choose a folder other than the watched folder itself (config.doneFolder)',
    );
    await callAsAdmin(core, 'sources.save', { name: 'Drop', config: { kind: 'folder', path: dir } });
    expect(await refused({ name: 'drop', config: { kind: 'folder', path: dir } })).toBe(
      'INVALID_ARGS: Another data source (1) is called drop (name)',
    );
    expect(await refused({ name: 'Pw', config: { kind: 'folder', path: dir }, secrets: { password: 'x' } })).toBe(
      'INVALID_ARGS: A folder source has no password (secrets.password)',
    );
    expect((await callAsAdmin<SourceSummary[]>(core, 'sources.list', {})).length).toBe(1);
  });
});
