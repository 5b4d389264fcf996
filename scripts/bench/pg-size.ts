/**
 * Measures the shared server's meter_days on a real PostgreSQL (docs/sync.md, "Server storage"):
 * loads N meter-days packed as the desktop packs them, in day-major order (as a portfolio grows
 * one day at a time across all its meters), each recorded as pushed by one desktop (`writer`, as a
 * first sync leaves them), VACUUMs, and prints bytes per row of the table and of each index, and
 * the plan of the sync read (a page of "everything since V", as rows.ts pullDaysStatement asks it).
 * `npx tsx scripts/bench/pg-size.ts [rows] [uint16|uint32|float64]`
 */
import { randomUUID } from 'node:crypto';
import { startPostgres } from '../../tests/helpers/postgres';
import { packValues } from '../../src-main/core/readings/codec';
import { pullDaysStatement } from '../../src-main/server/postgres/rows';
import { ServerStore } from '../../src-main/server/postgres/store';

const rows = Number(process.argv[2] ?? 1_000_000);
const form = process.argv[3] ?? 'uint16';
const METERS = 1000;

const v = new Float64Array(48).map((_, i) =>
  form === 'uint16' ? (12345 + i) / 1000 : form === 'uint32' ? (1234567 + i) / 1000 : Math.PI * (i + 1),
);
const vals = packValues(v, new Uint8Array(48), 0, 48);
const pgs = await startPostgres('size');
try {
  const s = await ServerStore.open({ url: pgs.url });
  await s.query("INSERT INTO meter_ids (identifier) SELECT 'm' || g FROM generate_series(1, $1) g", [METERS]);
  const t0 = Date.now();
  await s.query(
    `INSERT INTO meter_days (meter_id, day, vals, writer)
     SELECT 1 + g % $2, 19000 + g / $2, $3::bytea, $4::uuid FROM generate_series(0, $1 - 1) g`,
    [rows, METERS, vals, randomUUID()],
  );
  await s.query('VACUUM ANALYZE meter_days');
  const r = await s.query<{ name: string; bytes: string }>(
    `SELECT c.relname AS name, pg_relation_size(c.oid) AS bytes FROM pg_class c
     WHERE c.relname IN ('meter_days', 'meter_days_pkey', 'meter_days_version_idx')`,
  );
  console.log(`${rows} rows, values packed as ${form}: ${vals.length} bytes, loaded in ${Date.now() - t0} ms`);
  let total = 0;
  for (const x of r.rows) {
    total += Number(x.bytes);
    console.log(`${x.name.padEnd(24)} ${(Number(x.bytes) / rows).toFixed(1)} bytes/row`);
  }
  const perRow = total / rows;
  console.log(`total ${perRow.toFixed(1)} bytes/row → 36.5 M rows: ${((perRow * 36.5e6) / 1e9).toFixed(2)} GB`);
  // The sync read: one page of "everything since V" for another desktop, for a first sync (V = 0),
  // a day's delta, and a page that resumes part-way through a version.
  const max = Number((await s.query<{ v: string }>('SELECT max(version) AS v FROM meter_days')).rows[0]!.v);
  const end = { meterId: Number.MAX_SAFE_INTEGER, day: 2 ** 31 - 1 };
  for (const after of [
    { version: 0, ...end },
    { version: max - METERS, ...end },
    { version: 1, meterId: 500, day: 19000 },
  ]) {
    const q = pullDaysStatement(after, 5001, randomUUID(), null);
    const plan = await s.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${q.text}`, q.values);
    console.log(`\nafter ${JSON.stringify(after)}:\n${plan.rows.map((x) => x['QUERY PLAN']).join('\n')}`);
  }
  await s.close();
} finally {
  pgs.stop();
}
