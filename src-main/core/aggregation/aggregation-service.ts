/**
 * Keeps the roll-ups current: `incremental()` recomputes only the meter-days that imports changed
 * (recorded in aggregation_dirty with each import chunk) and the weeks, months and years around
 * them; `rebuild()` recomputes everything and gives identical results.
 */
import type Database from 'better-sqlite3';
import { dayStartUtc, localDayOf, nextPeriodStart, periodStart } from '../../../src-shared/domain/periods';
import type { Clock } from '../clock';
import { rollDays, rollPeriods, type DayRow, type PeriodRow } from './rollup';

export interface AggregateResult {
  metersTouched: number;
  daysTouched: number;
  seconds: number;
}

const DAY_COLS = 10;
const BULK = 50;

export class AggregationService {
  private readonly readMeter: Database.Statement;
  private readonly readRange: Database.Statement;
  private readonly readDays: Database.Statement;
  private readonly insertDays: Database.Statement;
  private readonly insertDay: Database.Statement;
  private readonly insertPeriod: Database.Statement;

  constructor(
    private readonly sqlite: Database.Database,
    private readonly clock: Clock,
  ) {
    this.readMeter = sqlite.prepare('SELECT ts, kwh, quality FROM readings WHERE meter_id = ? ORDER BY ts').raw();
    this.readRange = sqlite.prepare('SELECT ts, kwh, quality FROM readings WHERE meter_id = ? AND ts >= ? AND ts < ? ORDER BY ts').raw();
    this.readDays = sqlite.prepare('SELECT day, kwh, min, max, baseload, peak_ts, actual, estimated, half_hours FROM daily_aggregates WHERE meter_id = ? AND day >= ? AND day < ? ORDER BY day').raw();
    const one = '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)';
    this.insertDays = sqlite.prepare(`INSERT INTO daily_aggregates (meter_id, day, kwh, min, max, baseload, peak_ts, actual, estimated, half_hours) VALUES ${Array(BULK).fill(one).join(', ')}`);
    this.insertDay = sqlite.prepare(`INSERT INTO daily_aggregates (meter_id, day, kwh, min, max, baseload, peak_ts, actual, estimated, half_hours) VALUES ${one}`);
    this.insertPeriod = sqlite.prepare(
      'INSERT INTO period_aggregates (meter_id, kind, start_day, kwh, min, max, baseload, peak_ts, days_with_data, present, half_hours) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
  }

  private writeDays(meterId: number, rows: DayRow[]): void {
    const p: (number | null)[] = new Array(BULK * DAY_COLS);
    let i = 0;
    for (; i + BULK <= rows.length; i += BULK) {
      for (let k = 0; k < BULK; k++) fillDay(p, k * DAY_COLS, meterId, rows[i + k]!);
      this.insertDays.run(p);
    }
    const one: (number | null)[] = new Array(DAY_COLS);
    for (; i < rows.length; i++) {
      fillDay(one, 0, meterId, rows[i]!);
      this.insertDay.run(one);
    }
  }

  private writePeriods(meterId: number, rows: PeriodRow[]): void {
    for (const r of rows) this.insertPeriod.run(meterId, r.kind, r.startDay, r.kwh, r.min, r.max, r.baseload, r.peakTs, r.daysWithData, r.present, r.halfHours);
  }

  private daysOf(meterId: number, from: number, to: number): DayRow[] {
    return (this.readDays.all(meterId, from, to) as [number, number, number | null, number | null, number | null, number | null, number, number, number][]).map(
      ([day, kwh, min, max, baseload, peakTs, actual, estimated, halfHours]) => ({ day, kwh, min, max, baseload, peakTs, actual, estimated, halfHours }),
    );
  }

  /** Recomputes every roll-up from the readings, meter by meter (yielding between meters). */
  async rebuild(onProgress?: (done: number, total: number) => void): Promise<AggregateResult> {
    const t0 = this.clock.now();
    const meters = this.sqlite.prepare('SELECT DISTINCT meter_id FROM readings ORDER BY meter_id').pluck().all() as number[];
    const maxDirty = this.sqlite.prepare('SELECT coalesce(max(id), 0) FROM aggregation_dirty').pluck().get() as number;
    this.sqlite.transaction(() => {
      this.sqlite.prepare('DELETE FROM daily_aggregates').run();
      this.sqlite.prepare('DELETE FROM period_aggregates').run();
    })();
    let days = 0;
    for (let i = 0; i < meters.length; i++) {
      const id = meters[i]!;
      const rows = this.readMeter.all(id) as [number, number | null, number][];
      const dayRows = rollFromRows(rows);
      this.sqlite.transaction(() => {
        this.writeDays(id, dayRows);
        this.writePeriods(id, rollPeriods(dayRows));
      })();
      days += dayRows.length;
      onProgress?.(i + 1, meters.length);
      if (i % 20 === 19) await new Promise((r) => setImmediate(r));
    }
    this.sqlite.prepare('DELETE FROM aggregation_dirty WHERE id <= ?').run(maxDirty);
    return { metersTouched: meters.length, daysTouched: days, seconds: (this.clock.now() - t0) / 1000 };
  }

  /** Recomputes only what changed since the last run. */
  incremental(): AggregateResult {
    const t0 = this.clock.now();
    const dirty = this.sqlite.prepare('SELECT id, meter_id, from_ts, to_ts FROM aggregation_dirty ORDER BY meter_id, from_ts').raw().all() as [number, number, number, number][];
    if (dirty.length === 0) return { metersTouched: 0, daysTouched: 0, seconds: (this.clock.now() - t0) / 1000 };
    const maxId = Math.max(...dirty.map((d) => d[0]));
    // merge each meter's dirty UTC ranges into local-day ranges
    const byMeter = new Map<number, [number, number][]>();
    for (const [, meter, from, to] of dirty) {
      const a = localDayOf(from);
      const b = localDayOf(to);
      const list = byMeter.get(meter) ?? [];
      const last = list[list.length - 1];
      if (last && a <= last[1] + 1) last[1] = Math.max(last[1], b);
      else list.push([a, b]);
      byMeter.set(meter, list);
    }
    let days = 0;
    this.sqlite.transaction(() => {
      for (const [meter, ranges] of byMeter) {
        for (const [d0, d1] of ranges) {
          const rows = this.readRange.all(meter, dayStartUtc(d0), dayStartUtc(d1 + 1)) as [number, number | null, number][];
          this.sqlite.prepare('DELETE FROM daily_aggregates WHERE meter_id = ? AND day >= ? AND day <= ?').run(meter, d0, d1);
          const dayRows = rollFromRows(rows);
          this.writeDays(meter, dayRows);
          days += d1 - d0 + 1;
          for (const kind of ['week', 'month', 'year'] as const) {
            const a = periodStart(kind, d0);
            const b = nextPeriodStart(kind, periodStart(kind, d1));
            this.sqlite.prepare('DELETE FROM period_aggregates WHERE meter_id = ? AND kind = ? AND start_day >= ? AND start_day < ?').run(meter, kind, a, b);
            this.writePeriods(meter, rollPeriods(this.daysOf(meter, a, b)).filter((r) => r.kind === kind));
          }
        }
      }
      this.sqlite.prepare('DELETE FROM aggregation_dirty WHERE id <= ?').run(maxId);
    })();
    return { metersTouched: byMeter.size, daysTouched: days, seconds: (this.clock.now() - t0) / 1000 };
  }
}

function rollFromRows(rows: [number, number | null, number][]): DayRow[] {
  const n = rows.length;
  const ts = new Float64Array(n);
  const kwh: (number | null)[] = new Array(n);
  const q = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const r = rows[i]!;
    ts[i] = r[0];
    kwh[i] = r[1];
    q[i] = r[2];
  }
  return rollDays(ts, kwh, q, n);
}

function fillDay(p: (number | null)[], o: number, meterId: number, r: DayRow): void {
  p[o] = meterId;
  p[o + 1] = r.day;
  p[o + 2] = r.kwh;
  p[o + 3] = r.min;
  p[o + 4] = r.max;
  p[o + 5] = r.baseload;
  p[o + 6] = r.peakTs;
  p[o + 7] = r.actual;
  p[o + 8] = r.estimated;
  p[o + 9] = r.halfHours;
}
