/**
 * bench:undo harness (bundled by scripts/bench/undo.mjs): on `meters` meters × `days` days imported from
 * x.csv, a second file y.csv (the last 15 days again, some values changed, and 15 new days) imported
 * with "replace" and rolled back; the same with y.csv imported with "keep" and x.csv rolled back
 * (its files read again for the half-hours y.csv gave too); one meter deleted and put back; one
 * meter's month of readings deleted and put back. Each through the contract, timed.
 */
import { createCore, type Core } from '../../src-main/core/app';
import { silentLogger } from '../../src-main/core/events';
import { localCaller } from '../../src-main/core/rpc/caller';
import { dispatch } from '../../src-main/core/rpc/dispatch';

const ms = (t0: bigint): number => Number(process.hrtime.bigint() - t0) / 1e6;

async function call<T>(core: Core, method: string, args: unknown): Promise<T> {
  const r = await dispatch(core.handlers, method, args, localCaller('cli'));
  if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
  return r.value as T;
}

async function importFile(core: Core, path: string, onConflict: 'keep' | 'replace'): Promise<number> {
  const q = await call<{ jobIds: number[] }>(core, 'imports.enqueuePaths', { paths: [path], onConflict });
  const [job] = await call<{ id: number; status: string }[]>(core, 'imports.wait', { jobIds: q.jobIds });
  if (job!.status !== 'done') throw new Error(`import of ${path} ended ${job!.status}`);
  await core.scheduler.idle();
  return job!.id;
}

/** Times `fn` (with the roll-up and alert checks that follow it). */
async function timed(core: Core, fn: () => Promise<unknown>): Promise<number> {
  const t0 = process.hrtime.bigint();
  await fn();
  await core.waitForDeliveries();
  return ms(t0);
}

export async function run(
  dirs: [string, string, string],
  x: string,
  y: string,
  migrationsDir: string,
): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  // 1. Y (replace) rolled back
  {
    const core = await createCore({ dataDir: dirs[0], migrationsDir, log: silentLogger });
    try {
      await importFile(core, x, 'keep');
      const jy = await importFile(core, y, 'replace');
      const t0 = process.hrtime.bigint();
      const dry = await call<{ readingsRemoved: number; valuesRestored: number }>(core, 'imports.rollback', {
        id: jy,
        dryRun: true,
      });
      out.previewMs = ms(t0);
      out.removed = dry.readingsRemoved;
      out.restored = dry.valuesRestored;
      out.rollbackReplaceMs = await timed(core, () => call(core, 'imports.rollback', { id: jy }));
    } finally {
      await core.stop();
    }
  }
  // 2. X rolled back under Y (keep): Y's file read again for the half-hours both gave
  {
    const core = await createCore({ dataDir: dirs[1], migrationsDir, log: silentLogger });
    try {
      const jx = await importFile(core, x, 'keep');
      await importFile(core, y, 'keep');
      let later = 0;
      out.rollbackReplayMs = await timed(core, async () => {
        const r = await call<{ laterImports: { readings: number }[]; readingsRemoved: number }>(
          core,
          'imports.rollback',
          { id: jx },
        );
        later = r.laterImports.reduce((s, l) => s + l.readings, 0);
        out.replayRemoved = r.readingsRemoved;
      });
      out.replayed = later;
    } finally {
      await core.stop();
    }
  }
  // 3. a meter, and a meter's month, deleted and put back
  {
    const core = await createCore({ dataDir: dirs[2], migrationsDir, log: silentLogger });
    try {
      await importFile(core, x, 'keep');
      const meter = core.sqlite.prepare('SELECT identifier FROM meters ORDER BY id LIMIT 1').pluck().get() as string;
      let trashId = 0;
      out.meterRemoveMs = await timed(core, async () => {
        trashId = (await call<{ id: number; counts: { halfHours: number } }>(core, 'meters.remove', { meter })).id;
      });
      out.meterRestoreMs = await timed(core, () => call(core, 'trash.restore', { id: trashId }));
      out.monthRemoveMs = await timed(core, async () => {
        trashId = (await call<{ id: number }>(core, 'readings.remove', { meter, from: '2024-03-01', to: '2024-04-01' }))
          .id;
      });
      out.monthRestoreMs = await timed(core, () => call(core, 'trash.restore', { id: trashId }));
    } finally {
      await core.stop();
    }
  }
  return out;
}
