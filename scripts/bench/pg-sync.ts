/**
 * The shared server's sync engine on a real PostgreSQL (docs/sync.md, "The sync read"): one
 * desktop pushes METERS × DAYS new meter-days in mutations of 2,000 (50 a push, as a first sync
 * sends them), another pulls them all in pages of 5,000, and two more push 40,000 of them back
 * unchanged and then with one half-hour different in each (a conflict each). Calls
 * createSharedSync directly (no HTTP, no gzip) and prints meter-days a second for each.
 * `npx tsx scripts/bench/pg-sync.ts [meters] [days]`
 */
import { randomUUID } from 'node:crypto';
import type { PushedDay, PushRequest } from '../../src-shared/contract/sync';
import { dayFromDate, dayHalfHours } from '../../src-shared/domain/periods';
import { startPostgres } from '../../tests/helpers/postgres';
import { packValues } from '../../src-main/core/readings/codec';
import { ServerStore } from '../../src-main/server/postgres/store';
import { createSharedSync } from '../../src-main/server/postgres/sync';

const METERS = Number(process.argv[2] ?? 1000);
const DAYS = Number(process.argv[3] ?? 120);
const FIRST = dayFromDate(2025, 1, 1);
const who = { name: 'bench', role: 'manager' as const };

function packed(m: number, d: number): PushedDay {
  const n = dayHalfHours(d);
  const v = new Float64Array(n).map((_, s) => ((m * 7 + d + s) % 5000) / 1000);
  return {
    meter: `M${m}`,
    day: d,
    base: 0,
    vals: packValues(v, new Uint8Array(n), 0, n).toString('base64'),
    quality: null,
    volumes: null,
  };
}

/** Pushes `days` as one client, 2,000 a mutation and 50 mutations a push; returns days a second and conflicts. */
async function pushAll(sync: ReturnType<typeof createSharedSync>, days: PushedDay[]) {
  const clientId = randomUUID();
  let seq = 0;
  let conflicts = 0;
  const t0 = performance.now();
  for (let i = 0; i < days.length; i += 100_000) {
    const mutations: PushRequest['mutations'] = [];
    for (let j = i; j < Math.min(days.length, i + 100_000); j += 2000)
      mutations.push({ seq: ++seq, kind: 'days', days: days.slice(j, j + 2000) });
    const r = await sync.push(who, { clientId, clientName: 'bench', mutations });
    conflicts += r.results.reduce((a, x) => a + x.conflicts, 0);
  }
  return { rate: days.length / ((performance.now() - t0) / 1000), conflicts };
}

const pgs = await startPostgres('syncbench');
try {
  const store = await ServerStore.open({ url: pgs.url });
  const sync = createSharedSync(store);
  const all: PushedDay[] = [];
  for (let d = FIRST; d < FIRST + DAYS; d++) for (let m = 0; m < METERS; m++) all.push(packed(m, d));
  const first = await pushAll(sync, all);
  console.log(`push, new days:             ${all.length} days, ${first.rate.toFixed(0)} days/s`);
  const t0 = performance.now();
  const clientId = randomUUID();
  let cursor = '';
  let days = 0;
  let bytes = 0;
  for (;;) {
    const p = await sync.pull(who, { clientId, cursor });
    days += p.days.length;
    bytes += JSON.stringify(p).length;
    cursor = p.cursor;
    if (!p.more) break;
  }
  const s = (performance.now() - t0) / 1000;
  console.log(
    `pull, pages of 5,000:       ${days} days, ${(days / s).toFixed(0)} days/s, ` +
      `${(bytes / 1e6).toFixed(1)} MB of JSON (${(bytes / days).toFixed(0)} bytes a day)`,
  );
  const same = await pushAll(sync, all.slice(0, 40_000));
  console.log(`push, the same days again:  40000 days, ${same.rate.toFixed(0)} days/s`);
  const differ = all.slice(0, 40_000).map((d) => {
    const b = Buffer.from(d.vals, 'base64');
    b[1]! ^= 1;
    return { ...d, vals: b.toString('base64') };
  });
  const conflicting = await pushAll(sync, differ);
  console.log(
    `push, one half-hour differs: 40000 days, ${conflicting.rate.toFixed(0)} days/s, ${conflicting.conflicts} conflicts`,
  );
  await store.close();
} finally {
  pgs.stop();
}
