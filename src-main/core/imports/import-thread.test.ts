/**
 * Imports on a worker thread (as the desktop app and the server run them): the same results as on
 * the calling thread, with progress events crossing the thread boundary.
 */
import { build } from 'esbuild';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../app';
import { FIXTURES, importFiles, makeCore, REPO, tempDir } from '../../../tests/helpers/core';

let thread: string;
let core: Core;
beforeAll(async () => {
  // inside the repository, so the thread resolves better-sqlite3 from node_modules at run time
  thread = path.join(
    REPO,
    'node_modules',
    '.cache',
    'eclectyc-tests',
    path.basename(tempDir('thread-')),
    'import-worker.cjs',
  );
  await build({
    entryPoints: [path.join(REPO, 'src-main/core/imports/import-thread.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['better-sqlite3'],
    outfile: thread,
    logLevel: 'error',
    nodePaths: [path.join(REPO, 'node_modules')],
  });
});
afterEach(async () => {
  await core?.stop();
});

describe('import worker thread', () => {
  it('imports off the main thread with the same counts, readings and events', async () => {
    core = await makeCore({ importThread: thread });
    const events: string[] = [];
    core.events.subscribe((e) =>
      events.push(e.event === 'imports.updated' ? `updated:${e.payload.job.status}` : e.event),
    );
    const [job] = await importFiles(core, [path.join(FIXTURES, 'csv', 'long-autumn-with-errors.csv')]);
    expect(job).toMatchObject({ status: 'done', rowsRead: 19, readingsImported: 14, rowsRejected: 5, format: 'long' });
    expect(events).toContain('imports.progress');
    expect(events.filter((e) => e.startsWith('updated'))).toEqual([
      'updated:queued',
      'updated:running',
      'updated:done',
    ]);
    expect(core.meters.readings('1012477457919', '2025-10-26T00:00:00Z', '2025-10-27T00:00:00Z')).toHaveLength(6);
  });

  it('fails an unreadable file at once, in the thread too', async () => {
    core = await makeCore({ importThread: thread });
    const [job] = await importFiles(core, [path.join(FIXTURES, 'csv', 'not-a-meter-file.csv')]);
    expect(job).toMatchObject({ status: 'failed', attempts: 1 });
    expect(job!.lastError).toMatch(/^No header row/);
  });
});
