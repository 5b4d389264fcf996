/**
 * Roll-ups. Each meter-day's summary (kWh, min, max, peak and when, half-hours present, estimated
 * and missing) is computed by the readings store as the day is written, in the same transaction,
 * so there is nothing left to recompute after an import: `incremental()` reports what changed
 * since the last roll-up run (for the run log) and moves its mark; `rebuild()` recomputes every
 * summary from the packed half-hours and rewrites any that differ (a repair, and the check that
 * summaries and half-hours agree). Weeks, months and years are summed from the day summaries when
 * they are asked for (totals.ts: a meter's year is 365 rows).
 *
 * Baseload of a day is its lowest half-hour (the always-on load, as the platform has always
 * defined it): the day's `min`; of a period, the mean of its days' baseloads.
 */
import type { Clock } from '../clock';
import type { ReadingsStore } from '../readings/store';

export interface AggregateResult {
  metersTouched: number;
  daysTouched: number;
  seconds: number;
}

export class AggregationService {
  constructor(
    private readonly readings: ReadingsStore,
    private readonly clock: Clock,
  ) {}

  /** True when days were written or removed since the last roll-up run. */
  pending(): boolean {
    return this.readings.currentSeq() > this.readings.rolledSeq();
  }

  /** Recomputes every day's summary from its half-hours; rewrites the ones that differ. */
  async rebuild(): Promise<AggregateResult> {
    const t0 = this.clock.now();
    const seq = this.readings.currentSeq();
    const r = this.readings.rebuildSummaries();
    this.readings.setRolledSeq(Math.max(seq, this.readings.rolledSeq()));
    return { metersTouched: r.meters, daysTouched: r.days, seconds: (this.clock.now() - t0) / 1000 };
  }

  /** The meter-days changed since the last run (their summaries were written with them); moves the mark. */
  async incremental(): Promise<AggregateResult> {
    const t0 = this.clock.now();
    const seq = this.readings.currentSeq();
    const since = this.readings.rolledSeq();
    if (seq <= since) return { metersTouched: 0, daysTouched: 0, seconds: (this.clock.now() - t0) / 1000 };
    const changed = this.readings.changeCounts(since);
    this.readings.setRolledSeq(seq);
    return { metersTouched: changed.meters, daysTouched: changed.days, seconds: (this.clock.now() - t0) / 1000 };
  }
}
