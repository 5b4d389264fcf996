/** UK local days for the store's hot loops: memoised day starts and lengths, and the day of an instant. */
import { dayHalfHours, dayStartUtc, localDayOf } from '../../../src-shared/domain/periods';

const starts = new Map<number, number>();
const lengths = new Map<number, number>();

/** UTC epoch seconds of the local midnight starting `day` (memoised). */
export function startOf(day: number): number {
  let v = starts.get(day);
  if (v === undefined) {
    if (starts.size > 50_000) starts.clear();
    v = dayStartUtc(day);
    starts.set(day, v);
  }
  return v;
}

/** Half-hours in the local day (46, 48 or 50; memoised). */
export function lengthOf(day: number): number {
  let v = lengths.get(day);
  if (v === undefined) {
    if (lengths.size > 50_000) lengths.clear();
    v = dayHalfHours(day);
    lengths.set(day, v);
  }
  return v;
}

/** A cursor over days for instants that mostly arrive in order: the day is worked out once per day, not per instant. */
export class DayCursor {
  day = 0;
  start = 0;
  end = -1;
  /** Moves to the local day containing `ts`; returns the half-hour's index within it. */
  at(ts: number): number {
    if (ts < this.start || ts >= this.end) {
      this.day = localDayOf(ts);
      this.start = startOf(this.day);
      this.end = startOf(this.day + 1);
    }
    return (ts - this.start) / 1800;
  }
}

export { localDayOf };
