/**
 * bench:exports harness (bundled by scripts/bench/exports.mjs): `build` writes a portfolio of N
 * meters (one in ten gas) with a year of half-hours each straight through the readings store, as the
 * other harnesses do; `exportAll` exports every meter's readings (long or wide) or day totals to a
 * file through the exports core, in the process whose time and peak memory the bench measures.
 */
import fs from 'node:fs';
import { createCore } from '../../src-main/core/app';
import { silentLogger } from '../../src-main/core/events';
import { callAs, runExport } from '../../src-main/core/exports/export';
import { localCaller } from '../../src-main/core/rpc/caller';
import { dayHalfHours, isoDay, localDayOf } from '../../src-shared/domain/periods';
import { benchMpan } from './tables-harness';

const ms = (t0: bigint): number => Number(process.hrtime.bigint() - t0) / 1e6;

/** Writes `meters` meters with `days` days of half-hours to yesterday; returns the days written and the time. */
export async function build(
  dataDir: string,
  migrationsDir: string,
  meters: number,
  days: number,
): Promise<{ buildMs: number; from: string; to: string }> {
  const t0 = process.hrtime.bigint();
  const core = await createCore({ dataDir, migrationsDir, log: silentLogger });
  try {
    const db = core.sqlite;
    const addMeter = db.prepare('INSERT INTO meters (identifier, kind, fuel) VALUES (?, ?, ?)');
    const ids: number[] = [];
    db.transaction(() => {
      for (let i = 0; i < meters; i++) {
        const gas = i % 10 === 9;
        const id = gas ? String(9_000_000_000 + i) : benchMpan(i);
        ids.push(Number(addMeter.run(id, gas ? 'mprn' : 'mpan', gas ? 'gas' : 'electricity').lastInsertRowid));
      }
    })();
    const last = localDayOf(Math.floor(Date.now() / 1000)) - 1;
    const first = last - days + 1;
    const values = new Float64Array(50);
    const quality = new Uint8Array(50);
    const writers = new Int32Array(50);
    let seed = 11;
    const rnd = (): number => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    for (const id of ids) {
      const base = 0.2 + rnd() * 3;
      db.transaction(() => {
        const seq = core.readings.nextSeq();
        for (let d = first; d <= last; d++) {
          const n = dayHalfHours(d);
          for (let k = 0; k < n; k++) {
            values[k] = Math.round((base * (1 + 0.6 * Math.sin(k / 7.6)) + rnd() * 0.3) * 1000) / 1000;
            quality[k] = k % 97 === 3 ? 1 : 0;
          }
          core.readings.putDay(id, d, values, quality, null, writers, seq);
        }
      })();
    }
    return { buildMs: ms(t0), from: isoDay(first), to: isoDay(last + 1) };
  } finally {
    await core.stop();
  }
}

/**
 * Exports every meter to `file`; resolves with the time taken (wall clock and CPU), the rows and the
 * file's size. `baseline` only opens and closes the core: the memory an export starts from.
 */
export async function exportAll(
  dataDir: string,
  migrationsDir: string,
  what: 'long' | 'wide' | 'days' | 'baseline',
  from: string,
  to: string,
  file: string,
): Promise<{ exportMs: number; cpuMs: number; rows: number; bytes: number }> {
  const core = await createCore({ dataDir, migrationsDir, log: silentLogger });
  try {
    if (what === 'baseline') return { exportMs: 0, cpuMs: 0, rows: 0, bytes: 0 };
    const t0 = process.hrtime.bigint();
    const cpu0 = process.cpuUsage();
    const out = fs.createWriteStream(file, { highWaterMark: 1 << 20 });
    const rows = await runExport(
      { meters: core.meters, readings: core.readings, call: callAs(core.handlers, localCaller('cli')) },
      what === 'days'
        ? { what: 'days', scope: { all: true }, from, to }
        : { what: 'readings', scope: { all: true }, from, to, layout: what },
      out,
    );
    await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
    const cpu = process.cpuUsage(cpu0);
    return { exportMs: ms(t0), cpuMs: (cpu.user + cpu.system) / 1000, rows, bytes: fs.statSync(file).size };
  } finally {
    await core.stop();
  }
}
