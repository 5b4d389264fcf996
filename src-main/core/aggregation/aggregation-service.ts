/**
 * Roll-ups. Each meter-day's summary (kWh, min, max, peak and when, half-hours present, estimated
 * and missing) is computed by the readings store as the day is written, in the same transaction,
 * so there is nothing left to recompute after an import: `incremental()` reports what changed
 * since the last roll-up run (for the run log), brings the portfolio's day totals per fuel up to
 * date (what the dashboard reads), and moves its mark; `rebuild()` recomputes every
 * summary from the packed half-hours and rewrites any that differ (a repair, and the check that
 * summaries and half-hours agree). Weeks, months and years are summed from the day summaries when
 * they are asked for (totals.ts: a meter's year is 365 rows).
 *
 * Baseload (totals.ts, src-shared/domain/data-quality.ts): on a complete day (at least 40 present
 * half-hours) the mean of its 8 lowest half-hours × 2 in kW; of a period, the mean of its complete days'.
 */
import { Worker } from 'node:worker_threads';
import type { AggregateResult } from '../../../src-shared/contract/types';
import type { Clock } from '../clock';
import type { Logger } from '../events';
import type { ReadingsStore, SummaryRepairs } from '../readings/store';

export class AggregationService {
  constructor(
    private readonly readings: ReadingsStore,
    private readonly clock: Clock,
    /**
     * The bundled worker script (dist/import-worker.cjs) and database file: a rebuild checks half the meters on each of
     * two threads.
     */
    private readonly opts: { workerScript?: string | null; dbPath?: string; log?: Logger } = {},
  ) {}

  /** True when days were written or removed since the last roll-up run. */
  pending(): boolean {
    return this.readings.currentSeq() > this.readings.rolledSeq();
  }

  /**
   * Recomputes every day's summary from its half-hours and rewrites the ones that differ. With a
   * worker script, the checking (reading and decoding every stored day) is split by meter over two
   * threads with their own read-only connections, and this thread stays free; the few repairs are
   * written here.
   */
  async rebuild(): Promise<AggregateResult> {
    const t0 = this.clock.now();
    const seq = this.readings.currentSeq();
    const ids = this.readings.summarisedMeters();
    const parallel =
      this.opts.workerScript && this.opts.dbPath && ids.length > 1
        ? await this.inParallel(ids).catch((e: unknown) => {
            this.opts.log?.warn(`parallel roll-up check unavailable (${(e as Error).message}); checking on one thread`);
            return null;
          })
        : null;
    const repairs = parallel ?? this.readings.summaryRepairs(ids);
    this.readings.applySummaryRepairs(repairs);
    this.readings.refreshFuelDays();
    this.readings.setRolledSeq(Math.max(seq, this.readings.rolledSeq()));
    return { metersTouched: ids.length, daysTouched: repairs.days, seconds: (this.clock.now() - t0) / 1000 };
  }

  private async inParallel(ids: number[]): Promise<SummaryRepairs> {
    const half = Math.ceil(ids.length / 2);
    const shares = [ids.slice(0, half), ids.slice(half)];
    const run = (meterIds: number[]): Promise<SummaryRepairs> =>
      new Promise((resolve, reject) => {
        const w = new Worker(this.opts.workerScript!, {
          workerData: { repair: { dbPath: this.opts.dbPath!, meterIds } },
        });
        w.once('message', (m: { repairs?: SummaryRepairs; error?: string }) =>
          m.repairs ? resolve(m.repairs) : reject(new Error(m.error)),
        );
        w.once('error', reject);
        w.once('exit', (code) => reject(new Error(`the roll-up thread exited with code ${code}`)));
      });
    const parts = await Promise.all(shares.map(run));
    return {
      days: parts[0]!.days + parts[1]!.days,
      stale: [...parts[0]!.stale, ...parts[1]!.stale],
      orphans: [...parts[0]!.orphans, ...parts[1]!.orphans],
    };
  }

  /** The meter-days changed since the last run (their summaries were written with them); moves the mark. */
  async incremental(): Promise<AggregateResult> {
    const t0 = this.clock.now();
    const seq = this.readings.currentSeq();
    const since = this.readings.rolledSeq();
    if (seq <= since) return { metersTouched: 0, daysTouched: 0, seconds: (this.clock.now() - t0) / 1000 };
    const changed = this.readings.changeCounts(since);
    this.readings.refreshFuelDays();
    this.readings.setRolledSeq(seq);
    return { metersTouched: changed.meters, daysTouched: changed.days, seconds: (this.clock.now() - t0) / 1000 };
  }
}
