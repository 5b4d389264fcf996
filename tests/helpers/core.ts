/** Test helpers: a real core on a fresh temporary data folder, and small CSV builders. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCore, type Core, type CoreOptions } from '../../src-main/core/app';
import { silentLogger } from '../../src-main/core/events';

export const REPO = path.resolve(__dirname, '..', '..');
export const MIGRATIONS = path.join(REPO, 'drizzle');
export const FIXTURES = path.join(REPO, 'tests', 'fixtures');

export function tempDir(prefix = 'eclectyc-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export async function makeCore(opts: Partial<CoreOptions> = {}): Promise<Core> {
  return createCore({ dataDir: tempDir(), migrationsDir: MIGRATIONS, log: silentLogger, ...opts });
}

export function writeTemp(name: string, content: string | Buffer): string {
  const file = path.join(tempDir('eclectyc-file-'), name);
  fs.writeFileSync(file, content);
  return file;
}

/** Imports files through the real queue in the foreground and returns the finished jobs. */
export async function importFiles(core: Core, files: string[], dryRun = false) {
  const ids: string[] = [];
  for (const f of files) ids.push((await core.files.storePath(f)).fileId);
  const { jobIds } = core.imports.enqueue(ids, { dryRun });
  const mine = new Set(jobIds);
  await core.imports.drain((id) => mine.has(id));
  return jobIds.map((id) => core.imports.get(id));
}
