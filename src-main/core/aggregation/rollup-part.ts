/**
 * One share of a full rebuild's daily pass, run on a worker thread: GROUP BY (meter_id, day) over a
 * range of meters, streamed along the readings key, written into a scratch SQLite file of its own
 * (so it takes no lock on the main database). The main thread then copies the parts in one INSERT.
 */
import Database from 'better-sqlite3';

export interface RollupPart {
  dbPath: string;
  outPath: string;
  meterFrom: number;
  /** exclusive */
  meterTo: number;
}

/**
 * Daily aggregates of a readings group: five per row, the fewest that give every daily column
 * (missing rows carry quality 2 and no kWh, so `present` counts values and `est` the estimated ones).
 */
export const DAY_AGGS = 'total(kwh) AS kwh, min(kwh) AS mn, max(kwh) AS mx, count(kwh) AS present, sum(quality = 1) AS est';

export function rollupPart(p: RollupPart): number {
  const db = new Database(p.dbPath, { readonly: false });
  try {
    db.pragma('busy_timeout = 10000');
    db.pragma('cache_size = -8192'); // a streaming pass in key order needs little cache
    db.prepare('ATTACH DATABASE ? AS part').run(p.outPath);
    db.exec(`PRAGMA part.journal_mode = OFF; PRAGMA part.synchronous = OFF;
      CREATE TABLE part.days (meter_id INTEGER NOT NULL, day INTEGER NOT NULL, kwh REAL, mn REAL, mx REAL, present INTEGER, est INTEGER)`);
    return db.prepare(`INSERT INTO part.days SELECT meter_id, day, ${DAY_AGGS} FROM main.readings WHERE meter_id >= ? AND meter_id < ? GROUP BY meter_id, day`).run(p.meterFrom, p.meterTo).changes;
  } finally {
    db.close();
  }
}
