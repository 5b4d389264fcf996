/**
 * Benchmark harness (bundled by scripts/bench/import.mjs): imports a file through a core the way a
 * host does — on the import worker thread, or inline — while measuring the host event loop's
 * longest stall, i.e. how long a window or HTTP client would have waited for an answer.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import path from 'node:path';
import { createCore } from '../../src-main/core/app';
import { silentLogger } from '../../src-main/core/events';

export async function measure(
  file: string,
  dataDir: string,
  migrationsDir: string,
  thread: string | null,
): Promise<{ seconds: number; maxStallMs: number; p99StallMs: number; readings: number; status: string }> {
  const core = await createCore({ dataDir, migrationsDir, log: silentLogger, importThread: thread });
  const h = monitorEventLoopDelay({ resolution: 5 });
  try {
    const stored = await core.files.storePath(path.resolve(file));
    const t0 = process.hrtime.bigint();
    h.enable();
    let status = '';
    const done = new Promise<void>((resolve) => {
      core.events.subscribe((e) => {
        if (e.event === 'imports.updated' && ['done', 'failed', 'cancelled'].includes(e.payload.job.status)) {
          status = e.payload.job.status;
          resolve();
        }
      });
    });
    core.start();
    core.imports.enqueue([stored.fileId]);
    await done;
    h.disable();
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    // half-hours stored (received, with a value or listed as missing), from the day summaries
    let readings = 0;
    for (const s of core.readings.spans().values()) readings += s.count;
    return { seconds, maxStallMs: h.max / 1e6, p99StallMs: h.percentile(99) / 1e6, readings, status };
  } finally {
    await core.stop();
  }
}
