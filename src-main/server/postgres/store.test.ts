/**
 * The server store against a real PostgreSQL 15 this test starts (tests/helpers/postgres.ts).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type TestPostgres } from '../../../tests/helpers/postgres';
import { packQuality, packValues, packVolumes, MISSING } from '../../core/readings/codec';
import { MIGRATIONS } from './migrations';
import { applyOnce, getDays, nextVersion, pullDays, putDays } from './rows';
import { ServerStore } from './store';

let pgs: TestPostgres;
beforeAll(async () => {
  pgs = await startPostgres();
}, 120_000);
afterAll(() => pgs?.stop());

async function meter(store: ServerStore, identifier: string): Promise<number> {
  const r = await store.query<{ id: string }>('INSERT INTO meter_ids (identifier) VALUES ($1) RETURNING id', [
    identifier,
  ]);
  return Number(r.rows[0]!.id);
}

describe('server store on PostgreSQL', () => {
  it('applies its migrations once: a second start is a no-op', async () => {
    const a = await ServerStore.open({ url: pgs.url });
    expect(await a.schemaVersion()).toBe(MIGRATIONS[MIGRATIONS.length - 1]!.id);
    const tables = await a.query<{ t: string }>(
      "SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' ORDER BY 1",
    );
    expect(tables.rows.map((r) => r.t)).toEqual([
      'activity',
      'api_tokens',
      'entities',
      'meter_days',
      'meter_ids',
      'mutations',
      'reading_conflicts',
      'schema_migrations',
      'sessions',
      'users',
    ]);
    const before = await a.query('SELECT id, applied_at FROM schema_migrations ORDER BY id');
    await a.close();
    const b = await ServerStore.open({ url: pgs.url });
    const after = await b.query('SELECT id, applied_at FROM schema_migrations ORDER BY id');
    expect(after.rows).toEqual(before.rows);
    await b.close();
  });

  it('two servers starting together apply each migration once', async () => {
    const url = pgs.url.replace(/\/[^/]+$/, '/postgres');
    const admin = await ServerStore.open({ url, migrations: [] });
    await admin.query('CREATE DATABASE race');
    await admin.close();
    const raceUrl = pgs.url.replace(/\/[^/]+$/, '/race');
    const both = await Promise.all([ServerStore.open({ url: raceUrl }), ServerStore.open({ url: raceUrl })]);
    const r = await both[0].query<{ n: string }>('SELECT count(*) AS n FROM schema_migrations');
    expect(Number(r.rows[0]!.n)).toBe(MIGRATIONS.length);
    await Promise.all(both.map((s) => s.close()));
  });

  it('refuses to start on a database with a newer migration than it knows, saying so plainly', async () => {
    const s = await ServerStore.open({ url: pgs.url });
    await s.query("INSERT INTO schema_migrations (id, name) VALUES (9999, '9999_from_the_future')");
    await s.close();
    await expect(ServerStore.open({ url: pgs.url })).rejects.toThrow(
      `The database's schema is at migration 9999, newer than this version of Eclectyc knows (${MIGRATIONS[MIGRATIONS.length - 1]!.id})`,
    );
    // Remove it through a store that knows nothing (no migrations) and start normally again.
    const raw = await ServerStore.open({ url: pgs.url, migrations: [{ id: 9999, name: 'x', sql: 'SELECT 1' }] });
    await raw.query('DELETE FROM schema_migrations WHERE id = 9999');
    await raw.close();
    await (await ServerStore.open({ url: pgs.url })).close();
  });

  it('retries a serialization failure: two concurrent SERIALIZABLE transactions both apply', async () => {
    const s = await ServerStore.open({ url: pgs.url });
    await s.query('CREATE TABLE counter (id int PRIMARY KEY, n int NOT NULL)');
    await s.query('INSERT INTO counter VALUES (1, 0)');
    // Both read, then both wait for the other to have read, then both write: one must fail 40001.
    let reads = 0;
    let release!: () => void;
    const bothRead = new Promise<void>((r) => (release = r));
    let bodies = 0;
    const bump = () =>
      s.transaction(
        async (c) => {
          bodies++;
          const { rows } = await c.query<{ n: number }>('SELECT n FROM counter WHERE id = 1');
          if (++reads === 2) release();
          await Promise.race([bothRead, new Promise((r) => setTimeout(r, 2000))]);
          await c.query('UPDATE counter SET n = $1 WHERE id = 1', [rows[0]!.n + 1]);
        },
        { isolation: 'serializable' },
      );
    await Promise.all([bump(), bump()]);
    const { rows } = await s.query<{ n: number }>('SELECT n FROM counter WHERE id = 1');
    expect(rows[0]!.n).toBe(2);
    expect(s.retries).toBeGreaterThanOrEqual(1);
    expect(bodies).toBe(2 + s.retries);
    await s.query('DROP TABLE counter');
    await s.close();
  });

  it('cancels a statement that runs past the statement timeout, and the pool carries on', async () => {
    const s = await ServerStore.open({ url: pgs.url, statementTimeoutMs: 200 });
    const t0 = Date.now();
    await expect(s.query('SELECT pg_sleep(5)')).rejects.toMatchObject({ code: '57014' });
    expect(Date.now() - t0).toBeLessThan(3000);
    expect((await s.query<{ one: number }>('SELECT 1 AS one')).rows[0]!.one).toBe(1);
    await s.close();
  });

  it('survives PostgreSQL restarting: the pool reconnects', async () => {
    const s = await ServerStore.open({ url: pgs.url, max: 3 });
    // Fill the pool with idle connections that the restart will cut.
    await Promise.all([1, 2, 3].map(() => s.query('SELECT pg_sleep(0.05)')));
    expect(s.pool.idleCount).toBeGreaterThan(0);
    pgs.restart();
    const r = await s.query<{ one: number }>('SELECT 1 AS one');
    expect(r.rows[0]!.one).toBe(1);
    const t = await s.transaction(async (c) => (await c.query<{ two: number }>('SELECT 2 AS two')).rows[0]!.two);
    expect(t).toBe(2);
    // A crash (immediate shutdown, recovery on start) is survived too.
    await Promise.all([1, 2, 3].map(() => s.query('SELECT pg_sleep(0.05)')));
    pgs.kill();
    pgs.start();
    expect((await s.query<{ three: number }>('SELECT 3 AS three')).rows[0]!.three).toBe(3);
    await s.close();
  }, 60_000);

  it('round-trips a packed meter-day byte for byte', async () => {
    const s = await ServerStore.open({ url: pgs.url });
    const m = await meter(s, '1200000000001');
    const n = 48;
    const v = new Float64Array(n).map((_, i) => (i * 0.125) % 7);
    const q = new Uint8Array(n);
    q[5] = MISSING;
    const gas = new Float64Array(n).map((_, i) => (i % 3 === 0 ? NaN : i * 0.01));
    const day = {
      meterId: m,
      day: 20_000,
      vals: packValues(v, q, 0, n),
      quality: packQuality(q, 0, n),
      volumes: packVolumes(gas, 0, n),
    };
    const plain = {
      meterId: m,
      day: 20_001,
      vals: packValues(new Float64Array(n).fill(1.5), new Uint8Array(n), 0, n),
      quality: null,
      volumes: null,
    };
    expect(day.quality).not.toBeNull();
    expect(day.volumes).not.toBeNull();
    await s.transaction((c) => putDays(c, [day, plain], 1));
    const got = await s.transaction((c) => getDays(c, m, 20_000, 20_002));
    expect(got).toHaveLength(2);
    expect(Buffer.compare(got[0]!.vals, day.vals)).toBe(0);
    expect(Buffer.compare(got[0]!.quality!, day.quality!)).toBe(0);
    expect(Buffer.compare(got[0]!.volumes!, day.volumes!)).toBe(0);
    expect(Buffer.compare(got[1]!.vals, plain.vals)).toBe(0);
    expect(got[1]!.quality).toBeNull();
    expect(got[1]!.volumes).toBeNull();
    await s.close();
  });

  it('applies a mutation once: the same client id and sequence number again changes nothing', async () => {
    const s = await ServerStore.open({ url: pgs.url });
    const m = await meter(s, '1200000000002');
    const client = randomUUID();
    const vals = packValues(new Float64Array(48).fill(2), new Uint8Array(48), 0, 48);
    let ran = 0;
    const push = () =>
      s.transaction((c) =>
        applyOnce(c, client, 7, async (version) => {
          ran++;
          return putDays(c, [{ meterId: m, day: 19_000, vals, quality: null, volumes: null }], version);
        }),
      );
    const first = await push();
    const again = await push();
    const concurrent = await Promise.all([push(), push()]);
    expect(first.applied).toBe(true);
    expect(again).toEqual({ applied: false, version: first.version, result: null });
    expect(concurrent.every((x) => !x.applied && x.version === first.version)).toBe(true);
    expect(ran).toBe(1);
    const d = await s.query<{ version: string }>('SELECT version FROM meter_days WHERE meter_id = $1', [m]);
    expect(d.rows.map((r) => Number(r.version))).toEqual([first.version]);
    const l = await s.query<{ n: string }>('SELECT count(*) AS n FROM mutations WHERE client_id = $1', [client]);
    expect(Number(l.rows[0]!.n)).toBe(1);
    // A rolled-back attempt leaves no ledger row, so the retry applies.
    const other = randomUUID();
    await expect(
      s.transaction((c) =>
        applyOnce(c, other, 1, async () => {
          throw new Error('connection dropped mid-push');
        }),
      ),
    ).rejects.toThrow('connection dropped');
    const retry = await s.transaction((c) => applyOnce(c, other, 1, async () => 'ok'));
    expect(retry.applied).toBe(true);
    await s.close();
  });
  it('a client pulling "since V" never skips a version whose writer commits late', async () => {
    const s = await ServerStore.open({ url: pgs.url });
    const m = await meter(s, '1200000000003');
    const vals = packValues(new Float64Array(48).fill(3), new Uint8Array(48), 0, 48);
    const day = (d: number) => ({ meterId: m, day: d, vals, quality: null, volumes: null });
    // The client has everything so far.
    let cursor = Number((await s.query<{ v: string }>('SELECT last_value AS v FROM sync_version')).rows[0]!.v);
    const seen: number[] = [];
    const pull = async () => {
      for (;;) {
        const page = await s.transaction((c) =>
          pullDays(c, { version: cursor, meterId: Number.MAX_SAFE_INTEGER, day: 2 ** 31 - 1 }, 100, null, null),
        );
        if (page.length === 0) return;
        for (const r of page) if (r.meterId === m) seen.push(r.day);
        cursor = page[page.length - 1]!.version;
      }
    };
    // Writer A takes a version, then stays open until told to commit.
    let tookVersion!: () => void;
    const aHasVersion = new Promise<void>((r) => (tookVersion = r));
    let commitA!: () => void;
    const aMayCommit = new Promise<void>((r) => (commitA = r));
    const a = s.transaction(async (c) => {
      const v = await nextVersion(c);
      tookVersion();
      await aMayCommit;
      await putDays(c, [day(1)], v);
      return v;
    });
    await aHasVersion;
    // Writer B starts after A took its version and would take a higher one and commit at once.
    let bDone = false;
    const b = s.transaction(async (c) => putDays(c, [day(2)], await nextVersion(c))).then(() => (bDone = true));
    // Wait until B has either committed or is waiting on the version lock held by A.
    for (let i = 0; !bDone; i++) {
      const w = await s.query<{ n: string }>(
        "SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted",
      );
      if (Number(w.rows[0]!.n) > 0) break;
      expect(i).toBeLessThan(500);
      await new Promise((r) => setTimeout(r, 10));
    }
    await pull(); // the client syncs while A is still open
    commitA();
    const va = await a;
    await b;
    await pull(); // and again once both have committed
    expect(seen.sort()).toEqual([1, 2]);
    // Versions follow commit order: A, which asked first, holds the lower version.
    const v = await s.query<{ day: number; version: string }>(
      'SELECT day, version FROM meter_days WHERE meter_id = $1 ORDER BY day',
      [m],
    );
    expect(Number(v.rows[0]!.version)).toBe(va);
    expect(Number(v.rows[1]!.version)).toBeGreaterThan(va);
    await s.close();
  });

  it('a version taken by a column default goes through the same lock', async () => {
    const s = await ServerStore.open({ url: pgs.url });
    const d = await s.query<{ t: string; def: string }>(
      `SELECT table_name AS t, column_default AS def FROM information_schema.columns
       WHERE column_name = 'version' AND table_schema = 'public' ORDER BY 1`,
    );
    expect(d.rows).toEqual(
      ['activity', 'entities', 'meter_days', 'reading_conflicts'].map((t) => ({ t, def: 'sync_next_version()' })),
    );
    // A writer holding a version blocks an insert that relies on the default until it commits.
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let took!: () => void;
    const hasVersion = new Promise<void>((r) => (took = r));
    const a = s.transaction(async (c) => {
      await nextVersion(c);
      took();
      await held;
    });
    await hasVersion;
    let inserted = false;
    const ins = s.query("INSERT INTO entities (type, key) VALUES ('site', 'a1b2')").then(() => (inserted = true));
    await new Promise((r) => setTimeout(r, 300));
    expect(inserted).toBe(false);
    release();
    await a;
    await ins;
    expect(inserted).toBe(true);
    await s.close();
  });
});
