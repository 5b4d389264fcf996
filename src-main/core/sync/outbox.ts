/**
 * The outbox (`sync_outbox`): mutations numbered and stored before they are sent, each as its JSON
 * gzip-compressed, so a push cut part-way sends exactly the same mutations again (the server
 * applies each (client id, seq) once). Entries leave only when the server acknowledged them.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import type Database from 'better-sqlite3';
import type { Mutation } from '../../../src-shared/contract/sync';

/** A stored mutation's number, kind and how many days, rows or decisions it carries. */
export interface OutboxEntry {
  seq: number;
  kind: Mutation['kind'];
  items: number;
  /** Bytes of its gzip-compressed JSON. */
  bytes: number;
}

/** How many days, rows or decisions a mutation carries. */
export function itemsOf(m: Mutation): number {
  return m.kind === 'days' ? m.days.length : m.kind === 'entities' ? m.rows.length : m.conflicts.length;
}

export class Outbox {
  constructor(
    private readonly sqlite: Database.Database,
    private readonly nowSec: () => number,
  ) {}

  /** Stores a numbered mutation (call inside the transaction that took its changes). */
  add(m: Mutation): void {
    this.sqlite
      .prepare('INSERT INTO sync_outbox (seq, kind, items, body, created_at) VALUES (?, ?, ?, ?, ?)')
      .run(m.seq, m.kind, itemsOf(m), gzipSync(JSON.stringify(m)), this.nowSec());
  }

  /** Every entry, oldest first. */
  entries(): OutboxEntry[] {
    return (
      this.sqlite.prepare('SELECT seq, kind, items, length(body) FROM sync_outbox ORDER BY seq').raw().all() as [
        number,
        Mutation['kind'],
        number,
        number,
      ][]
    ).map(([seq, kind, items, bytes]) => ({ seq, kind, items, bytes }));
  }

  /** The stored mutation numbered `seq`, exactly as it was made. */
  read(seq: number): Mutation {
    const body = this.sqlite.prepare('SELECT body FROM sync_outbox WHERE seq = ?').pluck().get(seq) as
      Buffer | undefined;
    if (!body) throw new Error(`no mutation ${seq} in the outbox`);
    return JSON.parse(gunzipSync(body).toString('utf8')) as Mutation;
  }

  /** Removes an acknowledged mutation. */
  remove(seq: number): void {
    this.sqlite.prepare('DELETE FROM sync_outbox WHERE seq = ?').run(seq);
  }

  /** Days, rows and decisions waiting in the outbox. */
  items(): number {
    return this.sqlite.prepare('SELECT coalesce(sum(items), 0) FROM sync_outbox').pluck().get() as number;
  }

  /** The meter-days (`meter|day`) waiting in `days` mutations. */
  waitingDays(): Set<string> {
    const out = new Set<string>();
    const seqs = this.sqlite.prepare("SELECT seq FROM sync_outbox WHERE kind = 'days'").pluck().all() as number[];
    for (const seq of seqs) {
      const m = this.read(seq);
      if (m.kind === 'days') for (const d of m.days) out.add(`${d.meter}|${d.day}`);
    }
    return out;
  }

  /** Empties the outbox (linking to another server: what it held is taken again from the data). */
  clear(): void {
    this.sqlite.prepare('DELETE FROM sync_outbox').run();
  }
}
