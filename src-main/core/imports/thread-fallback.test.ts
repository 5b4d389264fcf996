import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../app';
import { FIXTURES, importFiles, makeCore, tempDir } from '../../../tests/helpers/core';

let core: Core;
afterEach(async () => {
  await core?.stop();
});

describe('import thread fallback', () => {
  it('imports on the calling thread when the worker script cannot start', async () => {
    core = await makeCore({ importThread: path.join(tempDir(), 'missing-import-worker.cjs') });
    const [job] = await importFiles(core, [path.join(FIXTURES, 'csv', 'long-autumn-with-errors.csv')]);
    expect(job).toMatchObject({ status: 'done', readingsImported: 14, attempts: 1 });
  });
});
