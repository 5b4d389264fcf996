/** Test helpers: a real core on a fresh temporary data folder, and small CSV builders. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCore, type Core, type CoreOptions } from '../../src-main/core/app';
import { silentLogger } from '../../src-main/core/events';
import { dispatch } from '../../src-main/core/rpc/dispatch';
import { dayStartUtc } from '../../src-shared/domain/periods';

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

/** Calls a contract method as an admin through dispatch (validation, roles), throwing on an error reply. */
export async function callAsAdmin<T>(core: Pick<Core, 'handlers'>, method: string, args: unknown): Promise<T> {
  const r = await dispatch(core.handlers, method, args, { role: 'admin', actor: 'test' });
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value as T;
}

/** Imports files through the real queue in the foreground and returns the finished jobs. */
export async function importFiles(core: Core, files: string[], dryRun = false, opts: { reimport?: boolean } = {}) {
  const ids: string[] = [];
  for (const f of files) ids.push((await core.files.storePath(f)).fileId);
  const { jobIds } = core.imports.enqueue(ids, { dryRun, ...opts });
  const mine = new Set(jobIds);
  await core.imports.drain((id) => mine.has(id));
  return jobIds.map((id) => core.imports.get(id));
}

/**
 * Every stored half-hour, read back through the readings store, in meter then time order:
 * [meter, UTC start, kWh (null = missing), quality (0 actual, 1 estimated, 2 missing), writing job].
 */
export function storedReadings(
  core: Pick<Core, 'sqlite' | 'readings'>,
): [string, number, number | null, number, number][] {
  const out: [string, number, number | null, number, number][] = [];
  const meters = core.sqlite.prepare('SELECT id, identifier FROM meters ORDER BY identifier').raw().all() as [
    number,
    string,
  ][];
  for (const [id, identifier] of meters) {
    const d = core.readings.readDays(id, 0, 60000, { writers: true });
    for (let i = 0; i < d.days.length; i++) {
      const start = dayStartUtc(d.days[i]!);
      for (let k = d.offsets[i]!; k < d.offsets[i + 1]!; k++) {
        if (d.quality[k] === 3) continue;
        const v = d.values[k]!;
        out.push([identifier, start + (k - d.offsets[i]!) * 1800, v === v ? v : null, d.quality[k]!, d.writers![k]!]);
      }
    }
  }
  return out;
}
