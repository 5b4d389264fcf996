/**
 * The cost of assigning versions in commit order (docs/sync.md, "Versions and commit order"): N
 * concurrent writers, each running transactions that take a version and write `days` meter-days,
 * for a few seconds each way: through `sync_next_version()` (the advisory lock held to commit)
 * and through a bare `nextval` (no lock; unsafe for pulls). Prints transactions and days a second.
 * `npx tsx scripts/bench/pg-version-lock.ts [seconds] [days per transaction]`
 */
import { startPostgres } from '../../tests/helpers/postgres';
import { packValues } from '../../src-main/core/readings/codec';
import { putDays } from '../../src-main/server/postgres/rows';
import { ServerStore } from '../../src-main/server/postgres/store';

const seconds = Number(process.argv[2] ?? 3);
const daysPerTx = Number(process.argv[3] ?? 1);
const vals = packValues(
  new Float64Array(48).map((_, i) => (12345 + i) / 1000),
  new Uint8Array(48),
  0,
  48,
);
const pgs = await startPostgres('verlock');
try {
  const s = await ServerStore.open({ url: pgs.url, max: 16 });
  await s.query("INSERT INTO meter_ids (identifier) SELECT 'm' || g FROM generate_series(1, 64) g");
  let nextDay = 0;
  for (const writers of [1, 4, 16]) {
    for (const take of ['sync_next_version()', "nextval('sync_version')"]) {
      const until = Date.now() + seconds * 1000;
      let txs = 0;
      await Promise.all(
        Array.from({ length: writers }, (_, w) =>
          (async () => {
            while (Date.now() < until) {
              const first = (nextDay += daysPerTx);
              await s.transaction(async (c) => {
                const v = Number((await c.query<{ v: string }>(`SELECT ${take} AS v`)).rows[0]!.v);
                const days = Array.from({ length: daysPerTx }, (_, i) => ({
                  meterId: w + 1,
                  day: first + i,
                  vals,
                  quality: null,
                  volumes: null,
                }));
                await putDays(c, days, v);
              });
              txs++;
            }
          })(),
        ),
      );
      const rate = txs / seconds;
      const label = take.startsWith('sync') ? 'ordered (lock)' : 'bare nextval  ';
      console.log(
        `${String(writers).padStart(2)} writers, ${label}: ${rate.toFixed(0).padStart(6)} tx/s, ` +
          `${(rate * daysPerTx).toFixed(0).padStart(7)} days/s`,
      );
    }
  }
  await s.close();
} finally {
  pgs.stop();
}
