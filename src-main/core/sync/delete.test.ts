/**
 * A deleted meter stays deleted everywhere (docs/sync.md, "Conflicts"): desktops on a real shared
 * server (PostgreSQL 15 this test starts) delete a meter by meters.remove or by rolling back the
 * import that created it; desktops that had it and fresh desktops end with no meter, no readings
 * and no alerts for it, and the server's days for it are all removed. Also: a meter restored from
 * the trash, and days pushed for a deleted meter by a desktop that never saw the deletion, bring it
 * back everywhere, as a creation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MeterSummary, SyncRunResult } from '../../../src-shared/contract/types';
import { dispatch } from '../rpc/dispatch';
import { importFiles, makeCore, storedReadings, writeTemp } from '../../../tests/helpers/core';
import { startPostgres, type TestPostgres } from '../../../tests/helpers/postgres';
import { createSharedAccounts } from '../../server/postgres/accounts';
import { ServerStore } from '../../server/postgres/store';
import { startSharedServer, type SharedServer } from '../../server/shared-host';
import type { Core } from '../app';
import { silentLogger } from '../events';

const PASSWORD = 'correct horse battery staple';
const GONE = '1200050000009';
const STAYS = '1200050000106';

let pgs: TestPostgres;
let dbs = 0;
const cores: Core[] = [];
const servers: SharedServer[] = [];

beforeAll(async () => {
  pgs = await startPostgres();
}, 180_000);
afterAll(async () => {
  for (const c of cores) await c.stop();
  for (const s of servers) await s.close().catch(() => undefined);
  pgs?.stop();
});

/** A shared server on a fresh database with an admin, ada. */
async function shared(): Promise<SharedServer> {
  const name = `del_${++dbs}`;
  const admin = await ServerStore.open({ url: pgs.url, migrations: [] });
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.close();
  const server = await startSharedServer({ url: pgs.url.replace(/\/[^/]+$/, `/${name}`), port: 0, log: silentLogger });
  servers.push(server);
  await createSharedAccounts(server.store).createUser('ada', 'admin', PASSWORD);
  return server;
}

async function call<T>(c: Core, method: string, args: unknown = {}): Promise<T> {
  const r = await dispatch(c.handlers, method, args, { role: 'admin', actor: 'test', inProcess: true });
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value as T;
}

/** A desktop signed in to the server as ada (an admin: it pushes all it may) and synced once. */
async function desktop(s: SharedServer, clientName: string): Promise<Core> {
  const c = await makeCore({ sync: { timeoutMs: 5000 } });
  cores.push(c);
  await call(c, 'sync.connect', { server: s.url, username: 'ada', password: PASSWORD, clientName });
  await sync(c);
  return c;
}

const sync = (c: Core) => call<SyncRunResult>(c, 'sync.now');

/** Three UK days (2025-03-03 to 05, GMT) of half-hours for each meter, values from the meter and slot. */
function file(meters: string[]): string {
  const lines = ['MPAN,Timestamp,kWh,Quality'];
  for (const m of meters)
    for (let d = 3; d <= 5; d++)
      for (let i = 0; i < 48; i++)
        lines.push(
          `${m},2025-03-0${d} ${String(Math.floor(i / 2)).padStart(2, '0')}:${i % 2 ? 30 : '00'},${(i + d + Number(m.slice(-3))) / 10},A`,
        );
  return writeTemp(`del-${meters.join('-')}.csv`, lines.join('\n'));
}

/** The meters a desktop has, and how many half-hours it holds for each. */
async function held(c: Core): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const m of await call<MeterSummary[]>(c, 'meters.list')) out[m.mpan] = 0;
  for (const [m] of storedReadings(c)) out[m] = (out[m] ?? 0) + 1;
  return out;
}

const alertsOn = (c: Core, meter: string): number =>
  c.sqlite
    .prepare('SELECT count(*) FROM alerts a JOIN meters m ON m.id = a.meter_id WHERE m.identifier = ?')
    .pluck()
    .get(meter) as number;

/** The server's meter-days of a meter: how many are live and how many removed. */
async function serverDays(s: SharedServer, meter: string): Promise<{ live: number; removed: number }> {
  const r = await s.store.query<{ live: string; removed: string }>(
    `SELECT count(*) FILTER (WHERE NOT d.removed) AS live, count(*) FILTER (WHERE d.removed) AS removed
     FROM meter_days d JOIN meter_ids m ON m.id = d.meter_id WHERE m.identifier = $1`,
    [meter],
  );
  return { live: Number(r.rows[0]!.live), removed: Number(r.rows[0]!.removed) };
}

describe('a deleted meter stays deleted', () => {
  it('meters.remove: desktops that had it and a fresh desktop end without the meter, its readings or alerts', async () => {
    const s = await shared();
    const a = await desktop(s, 'A');
    const b = await desktop(s, 'B');
    await importFiles(a, [file([GONE, STAYS])]);
    expect((await sync(a)).pushed).toBeGreaterThan(0);
    await sync(b);
    // 3 days of 48 half-hours each, as imported
    expect(await held(b)).toEqual({ [GONE]: 144, [STAYS]: 144 });

    await call(a, 'meters.remove', { meter: GONE });
    await sync(a);
    expect(await serverDays(s, GONE)).toEqual({ live: 0, removed: 3 });
    expect(await serverDays(s, STAYS)).toEqual({ live: 3, removed: 0 });
    await sync(b);
    const e = await desktop(s, 'E');
    for (const c of [a, b, e]) {
      expect(await held(c)).toEqual({ [STAYS]: 144 });
      expect(alertsOn(c, GONE)).toBe(0);
    }
    // nothing comes back on later syncs either way, and B pushed no removals of its own
    const version = (await sync(b)).version;
    expect((await sync(b)).pushed).toBe(0);
    expect((await sync(e)).pushed).toBe(0);
    expect((await sync(a)).version).toBe(version);
    for (const c of [a, b, e]) expect(await held(c)).toEqual({ [STAYS]: 144 });
  });

  it('a removed meter restored from the trash comes back everywhere with its readings', async () => {
    const s = await shared();
    const a = await desktop(s, 'A');
    const b = await desktop(s, 'B');
    await importFiles(a, [file([GONE, STAYS])]);
    await sync(a);
    await sync(b);
    const trashed = await call<{ id: number }>(a, 'meters.remove', { meter: GONE });
    await sync(a);
    await sync(b);
    expect(await held(b)).toEqual({ [STAYS]: 144 });
    await call(a, 'trash.restore', { id: trashed.id });
    await sync(a);
    await sync(b);
    const e = await desktop(s, 'E');
    for (const c of [a, b, e]) expect(await held(c)).toEqual({ [GONE]: 144, [STAYS]: 144 });
    expect(await serverDays(s, GONE)).toEqual({ live: 3, removed: 0 });
  });

  it('rolling back the import that created a meter removes it everywhere', async () => {
    const s = await shared();
    const a = await desktop(s, 'A');
    const b = await desktop(s, 'B');
    await importFiles(a, [file([STAYS])]);
    const [job] = await importFiles(a, [file([GONE])]);
    await sync(a);
    await sync(b);
    expect(await held(b)).toEqual({ [GONE]: 144, [STAYS]: 144 });
    const rolled = await call<{ metersRemoved: string[] }>(a, 'imports.rollback', { id: job!.id });
    expect(rolled.metersRemoved).toEqual([GONE]);
    await sync(a);
    await sync(b);
    const e = await desktop(s, 'E');
    for (const c of [a, b, e]) expect(await held(c)).toEqual({ [STAYS]: 144 });
    expect(await serverDays(s, GONE)).toEqual({ live: 0, removed: 3 });
  });

  it('days pushed for a deleted meter by a desktop that never saw the deletion bring it back everywhere', async () => {
    const s = await shared();
    const a = await desktop(s, 'A');
    const b = await desktop(s, 'B');
    await importFiles(a, [file([GONE])]);
    await sync(a);
    await sync(b);
    await call(a, 'meters.remove', { meter: GONE });
    await sync(a);
    // B, not synced since, imports a later day for the meter
    const later = ['MPAN,Timestamp,kWh,Quality'];
    for (let i = 0; i < 48; i++)
      later.push(`${GONE},2025-03-10 ${String(Math.floor(i / 2)).padStart(2, '0')}:${i % 2 ? 30 : '00'},1.5,A`);
    await importFiles(b, [writeTemp('later.csv', later.join('\n'))]);
    await sync(b);
    await sync(a);
    const e = await desktop(s, 'E');
    // the meter is back with B's new day only: the days removed with it stay removed
    expect(await serverDays(s, GONE)).toEqual({ live: 1, removed: 3 });
    for (const c of [a, b, e]) expect(await held(c)).toEqual({ [GONE]: 48 });
    const back = await s.store.query<{ deleted: boolean }>(
      "SELECT deleted FROM entities WHERE type = 'meter' AND key = $1",
      [GONE],
    );
    expect(back.rows).toEqual([{ deleted: false }]);
  });
});
