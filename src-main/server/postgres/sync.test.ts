/**
 * The shared server's sync engine (sync.ts) against a real PostgreSQL 15 this test starts: the
 * readings conflict rule, idempotent pushes, entities last-writer-wins per field group, roles, and
 * paged pulls. Values are read back with a decoder written here, independent of codec.ts.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type TestPostgres } from '../../../tests/helpers/postgres';
import type { EntityChange, PullResponse, PushedDay, PushRequest } from '../../../src-shared/contract/sync';
import { dayFromDate, dayHalfHours } from '../../../src-shared/domain/periods';
import { packQuality, packValues, packVolumes } from '../../core/readings/codec';
import type { SharedSync, SyncPrincipal } from './api';
import { MIGRATIONS } from './migrations';
import { ServerStore } from './store';
import { createSharedSync } from './sync';

let pgs: TestPostgres;
let dbs = 0;
const open: ServerStore[] = [];
beforeAll(async () => {
  pgs = await startPostgres();
}, 120_000);
afterAll(async () => {
  await Promise.all(open.map((s) => s.close()));
  pgs?.stop();
});

/** A fresh database and a sync engine on it. */
async function fresh(): Promise<{ store: ServerStore; sync: SharedSync }> {
  const name = `sync_${++dbs}`;
  const admin = await ServerStore.open({ url: pgs.url, migrations: [] });
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.close();
  const store = await ServerStore.open({ url: pgs.url.replace(/\/[^/]+$/, `/${name}`) });
  open.push(store);
  return { store, sync: createSharedSync(store) };
}

const admin: SyncPrincipal = { name: 'ada', role: 'admin' };
const manager: SyncPrincipal = { name: 'sam', role: 'manager' };
const viewer: SyncPrincipal = { name: 'vic', role: 'viewer' };

const JUNE = dayFromDate(2025, 6, 2); // 48 half-hours
const SPRING = dayFromDate(2025, 3, 30); // 46
const AUTUMN = dayFromDate(2025, 10, 26); // 50
const M1 = '1200050000009';
const M2 = '1200050000106';

/** A half-hour as a test gives it: kWh, a blank the file listed ('blank'), or nothing received. */
type Slot = number | 'blank' | undefined;

/** Packs a day as the desktop does (codec.ts), from each half-hour's slot. */
function packed(n: number, slot: (s: number) => Slot, volumes?: (s: number) => number) {
  const v = new Float64Array(n);
  const q = new Uint8Array(n);
  for (let s = 0; s < n; s++) {
    const x = slot(s);
    if (x === undefined) q[s] = 3;
    else if (x === 'blank') q[s] = 2;
    else v[s] = x;
  }
  const vol = volumes ? new Float64Array(n).map((_, s) => volumes(s)) : null;
  return { vals: packValues(v, q, 0, n), quality: packQuality(q, 0, n), volumes: packVolumes(vol, 0, n) };
}

function day(meter: string, d: number, slot: (s: number) => Slot, base = 0, n = dayHalfHours(d)): PushedDay {
  const p = packed(n, slot);
  return {
    meter,
    day: d,
    base,
    vals: p.vals.toString('base64'),
    quality: p.quality?.toString('base64') ?? null,
    volumes: null,
  };
}

/** The half-hours of a pulled day, decoded here: kWh, 'blank' or undefined (not received). */
function slotsOf(vals: string, quality: string | null): Slot[] {
  const b = Buffer.from(vals, 'base64');
  const q = quality ? Buffer.from(quality, 'base64') : null;
  const tag = b[0]!;
  const width = tag === 0 ? 8 : tag >> 4 === 2 ? 4 : 2;
  const scale = tag === 0 ? 1 : 10 ** (tag & 15);
  const out: Slot[] = [];
  for (let i = 0; 1 + i * width < b.length; i++) {
    const raw =
      width === 8 ? b.readDoubleLE(1 + i * 8) : width === 4 ? b.readUInt32LE(1 + i * 4) : b.readUInt16LE(1 + i * 2);
    const code = q ? q[i]! : 0;
    out.push(code === 3 ? undefined : code === 2 ? 'blank' : raw / scale);
  }
  return out;
}

let seqs = 0;
function push(
  sync: SharedSync,
  who: SyncPrincipal,
  client: { id: string; name: string },
  ...mutations: PushRequest['mutations']
) {
  return sync.push(who, { clientId: client.id, clientName: client.name, mutations });
}
const days = (...list: PushedDay[]) => ({ seq: ++seqs, kind: 'days' as const, days: list });
const rows = (...list: EntityChange[]) => ({ seq: ++seqs, kind: 'entities' as const, rows: list });

/** Pulls every page after `cursor` as `client`, returning the pages. */
async function pullAll(sync: SharedSync, clientId: string, cursor = '', limit?: number, sites?: string[]) {
  const pages: PullResponse[] = [];
  for (;;) {
    const p = await sync.pull(viewer, { clientId, cursor, limit, sites });
    pages.push(p);
    cursor = p.cursor;
    if (!p.more) return { pages, cursor };
    expect(pages.length).toBeLessThan(1000);
  }
}

const laptopA = () => ({ id: randomUUID(), name: "Sam's laptop" });
const laptopB = () => ({ id: randomUUID(), name: 'Office PC' });

describe('sync engine: readings', () => {
  it('fills gaps, counts duplicates, keeps a differing half-hour and lists the conflict with both values', async () => {
    const { sync } = await fresh();
    const a = laptopA();
    const b = laptopB();
    // A has the first 24 half-hours; B has all 48, equal but for half-hour 5 and with 40 blank.
    const first = await push(sync, manager, a, days(day(M1, JUNE, (s) => (s < 24 ? s * 0.25 : undefined))));
    expect(first.results[0]).toMatchObject({ applied: true, conflicts: 0 });
    const second = await push(
      sync,
      admin,
      b,
      days(day(M1, JUNE, (s) => (s === 5 ? 9.999 : s === 40 ? 'blank' : s * 0.25))),
    );
    expect(second.results[0]).toMatchObject({ applied: true, conflicts: 1 });
    const { pages } = await pullAll(sync, b.id);
    const got = pages.flatMap((p) => p.days);
    expect(got).toHaveLength(1);
    const want = Array.from({ length: 48 }, (_, s): Slot => (s === 40 ? 'blank' : s * 0.25));
    expect(slotsOf(got[0]!.vals, got[0]!.quality)).toEqual(want);
    expect(got[0]!.version).toBe(second.results[0]!.version);
    const conflicts = pages.flatMap((p) => p.conflicts);
    expect(conflicts).toEqual([
      expect.objectContaining({
        meter: M1,
        day: JUNE,
        slot: 5,
        at: '2025-06-02T01:30:00.000Z', // the local day starts at 23:00 UTC (BST)
        serverKwh: 1.25,
        pushedKwh: 9.999,
        serverQuality: 0,
        pushedQuality: 0,
        pushedBy: 'ada',
        pushedFrom: 'Office PC',
        status: 'open',
        resolvedBy: null,
      }),
    ]);
  });

  it('a merge that comes out as the pushed day is not sent back to its pusher; any other merge is', async () => {
    const { sync } = await fresh();
    const a = laptopA();
    const b = laptopB();
    await push(
      sync,
      manager,
      a,
      days(
        day(M1, JUNE, (s) => (s < 24 ? 1 : undefined)),
        day(M2, JUNE, () => 1),
      ),
    );
    const r = await push(
      sync,
      manager,
      b,
      days(
        day(M1, JUNE, () => 1),
        day(M2, JUNE, (s) => (s ? 1 : 2)),
      ),
    );
    expect(r.results[0]!.conflicts).toBe(1);
    // M1: the server had a part of B's day, so it now holds exactly B's day. M2 was left as it was.
    const forB = (await pullAll(sync, b.id)).pages.flatMap((p) => p.days);
    expect(forB.map((d) => [d.meter, d.version])).toEqual([[M2, r.results[0]!.version - 1]]);
    const forA = (await pullAll(sync, a.id)).pages.flatMap((p) => p.days);
    expect(forA.map((d) => [d.meter, d.version])).toEqual([[M1, r.results[0]!.version]]);
    expect(slotsOf(forA[0]!.vals, forA[0]!.quality)).toEqual(new Array(48).fill(1));
  });

  it('replaces the whole day when the base is the current version, and merges when it is not', async () => {
    const { sync } = await fresh();
    const a = laptopA();
    const v1 = (await push(sync, manager, a, days(day(M1, JUNE, (s) => s + 1)))).results[0]!.version;
    // The desktop had v1 and changed the day on purpose: half-hours go (not received) and change.
    const replaced = day(M1, JUNE, (s) => (s < 10 ? undefined : s * 2), v1);
    const r = await push(sync, manager, a, days(replaced));
    expect(r.results[0]).toMatchObject({ applied: true, conflicts: 0 });
    const b = laptopB();
    const { pages } = await pullAll(sync, b.id);
    const got = pages.flatMap((p) => p.days);
    expect(got).toHaveLength(1);
    expect(got[0]!.vals).toBe(replaced.vals);
    expect(got[0]!.quality).toBe(replaced.quality);
    // The same push with an out-of-date base is merged: gaps filled, differences kept as the server has them.
    // Pushing the server's day back unchanged writes nothing.
    const head = await sync.head();
    const same = await push(sync, manager, a, days({ ...replaced, base: r.results[0]!.version }));
    expect((await pullAll(sync, b.id, String(head))).pages.flatMap((p) => p.days)).toEqual([]);
    expect(same.results[0]!.applied).toBe(true);
    const stale = await push(sync, manager, b, days(day(M1, JUNE, (s) => s + 1, v1)));
    expect(stale.results[0]!.conflicts).toBe(38);
    const after = (await pullAll(sync, b.id)).pages.flatMap((p) => p.days);
    expect(slotsOf(after[0]!.vals, after[0]!.quality)).toEqual(
      Array.from({ length: 48 }, (_, s) => (s < 10 ? s + 1 : s * 2)),
    );
  });

  it('a removed day with the current base travels as removed; with a stale base it is one conflict for the day', async () => {
    const { sync } = await fresh();
    const a = laptopA();
    const b = laptopB();
    const r1 = await push(
      sync,
      manager,
      a,
      days(
        day(M1, JUNE, () => 2),
        day(M2, JUNE, () => 0.5),
      ),
    );
    const v1 = r1.results[0]!.version;
    const gone = { ...day(M1, JUNE, () => 2, v1), removed: true };
    const r2 = await push(sync, manager, a, days(gone));
    expect(r2.results[0]!.conflicts).toBe(0);
    // B removes M2's day without having seen it (base 0): the server keeps it and raises one conflict.
    const r3 = await push(sync, manager, b, days({ ...day(M2, JUNE, () => 0.5, 0), removed: true }));
    expect(r3.results[0]!.conflicts).toBe(1);
    const { pages } = await pullAll(sync, randomUUID());
    const got = pages.flatMap((p) => p.days);
    const m1 = got.find((d) => d.meter === M1)!;
    expect(m1).toMatchObject({
      removed: true,
      vals: '',
      quality: null,
      volumes: null,
      version: r2.results[0]!.version,
    });
    const m2 = got.find((d) => d.meter === M2)!;
    expect(m2.removed).toBe(false);
    expect(slotsOf(m2.vals, m2.quality)).toEqual(new Array(48).fill(0.5));
    expect(pages.flatMap((p) => p.conflicts)).toEqual([
      expect.objectContaining({
        meter: M2,
        slot: -1,
        at: null,
        serverKwh: 24,
        pushedKwh: null,
        pushedFrom: 'Office PC',
      }),
    ]);
    // A removal the server has nothing to remove changes nothing.
    const before = await sync.head();
    const r4 = await push(sync, manager, a, days({ ...day(M1, JUNE + 1, () => 1), removed: true }));
    expect((await pullAll(sync, b.id, String(before))).pages.flatMap((p) => p.days)).toEqual([]);
    expect(r4.results[0]!.applied).toBe(true);
  });

  it('stores and returns packed days byte for byte (46, 48 and 50 half-hours, quality, gas volumes, float64)', async () => {
    const { sync } = await fresh();
    const a = laptopA();
    const gas = packed(
      48,
      (s) => (s % 7 === 3 ? 'blank' : s / 8),
      (s) => (s % 3 ? s * 0.01 : NaN),
    );
    const sent: PushedDay[] = [
      day(M1, SPRING, (s) => s * 0.001, 0, 46),
      day(M1, AUTUMN, (s) => Math.PI * s, 0, 50),
      day(M1, JUNE, (s) => (s > 40 ? undefined : 70_000 + s / 1000)),
      {
        meter: M2,
        day: JUNE,
        base: 0,
        vals: gas.vals.toString('base64'),
        quality: gas.quality!.toString('base64'),
        volumes: gas.volumes!.toString('base64'),
      },
    ];
    expect(new Set(sent.map((d) => Buffer.from(d.vals, 'base64')[0]! >> 4))).toEqual(new Set([0, 1, 2]));
    await push(sync, manager, a, days(...sent));
    const got = (await pullAll(sync, randomUUID())).pages.flatMap((p) => p.days);
    const key = (d: { meter: string; day: number }) => `${d.meter}:${d.day}`;
    const byKey = new Map(got.map((d) => [key(d), d]));
    for (const s of sent) {
      const g = byKey.get(key(s))!;
      expect([g.vals, g.quality, g.volumes]).toEqual([s.vals, s.quality, s.volumes]);
    }
    expect(slotsOf(byKey.get(key(sent[1]!))!.vals, null)).toEqual(Array.from({ length: 50 }, (_, s) => Math.PI * s));
  });

  it('applies a repeated push once: the same sequence number again, and two at once', async () => {
    const { store, sync } = await fresh();
    const a = laptopA();
    const m = days(day(M1, JUNE, () => 1));
    const first = await push(sync, manager, a, m);
    const again = await push(sync, manager, a, { ...m, days: [day(M1, JUNE, () => 5)] });
    expect(again.results[0]).toEqual({ ...first.results[0], applied: false });
    const twin = days(day(M2, JUNE, () => 3));
    const both = await Promise.all([push(sync, manager, a, twin), push(sync, manager, a, twin)]);
    expect(both.map((r) => r.results[0]!.applied).sort()).toEqual([false, true]);
    expect(both[0]!.results[0]!.version).toBe(both[1]!.results[0]!.version);
    const stored = await store.query<{ n: string }>('SELECT count(*) AS n FROM meter_days');
    expect(Number(stored.rows[0]!.n)).toBe(2);
    const got = (await pullAll(sync, randomUUID())).pages.flatMap((p) => p.days);
    expect(got.map((d) => slotsOf(d.vals, d.quality)[0])).toEqual([1, 3]);
  });

  it('refuses a badly packed day whole, naming it, with nothing applied', async () => {
    const { sync } = await fresh();
    const a = laptopA();
    const short = day(M1, SPRING, () => 1, 0, 48); // 48 half-hours on a 46-half-hour day
    const err = await push(sync, manager, a, days(day(M2, JUNE, () => 1)), days(short)).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'BAD_INPUT', message: expect.stringContaining('2025-03-30') });
    expect(err).toMatchObject({ details: { field: 'mutations[1].days[0].vals' } });
    expect(await sync.head()).toBe(0);
    await expect(
      sync.push(manager, { clientId: 'not-a-uuid', clientName: 'x', mutations: [days(day(M1, JUNE, () => 1))] }),
    ).rejects.toMatchObject({ code: 'BAD_INPUT', details: { field: 'clientId' } });
    await expect(sync.pull(viewer, { clientId: a.id, cursor: '12:x' })).rejects.toMatchObject({ code: 'BAD_INPUT' });
    await expect(
      push(sync, manager, a, rows({ type: 'site', key: 'a1', groups: { colour: { base: 0, value: {} } } })),
    ).rejects.toMatchObject({ code: 'BAD_INPUT', message: expect.stringContaining('no field group "colour"') });
    expect(await sync.head()).toBe(0);
    // A cursor ahead of the server's head comes from another database: refused, not silently empty.
    await expect(sync.pull(viewer, { clientId: a.id, cursor: '12' })).rejects.toMatchObject({
      code: 'CONFLICT',
      details: { reason: 'cursor-ahead', head: 0 },
    });
  });
});

const site = (key: string, groups: Record<string, [number, Record<string, unknown>]>): EntityChange => ({
  type: 'site',
  key,
  groups: Object.fromEntries(Object.entries(groups).map(([g, [base, value]]) => [g, { base, value }])),
});
const S1 = 'a'.repeat(32);
const S2 = 'b'.repeat(32);

describe('sync engine: entities', () => {
  it('last writer wins per field group; the replaced edit goes to the activity log; other groups are kept', async () => {
    const { sync } = await fresh();
    const a = laptopA();
    const b = laptopB();
    const v1 = (
      await push(sync, manager, a, rows(site(S1, { details: [0, { name: 'Depot' }], hours: [0, { open: '08:00' }] })))
    ).results[0]!.version;
    // Both desktops had v1. A renames the site, B changes its hours: both edits stay.
    const ra = await push(sync, manager, a, rows(site(S1, { details: [v1, { name: 'North Depot' }] })));
    const rb = await push(sync, manager, b, rows(site(S1, { hours: [v1, { open: '07:00' }] })));
    expect([ra.results[0]!.overrode, rb.results[0]!.overrode]).toEqual([0, 0]);
    // B renames too, still from v1 (it has not pulled A's rename): B's later push wins, A's name is logged.
    const rc = await push(sync, manager, b, rows(site(S1, { details: [v1, { name: 'Depot 2' }] })));
    expect(rc.results[0]!.overrode).toBe(1);
    const { pages } = await pullAll(sync, a.id);
    const ents = pages.flatMap((p) => p.entities);
    expect(ents).toEqual([
      {
        type: 'site',
        key: S1,
        version: rc.results[0]!.version,
        deleted: false,
        groups: {
          details: { version: rc.results[0]!.version, value: { name: 'Depot 2' } },
          hours: { version: rb.results[0]!.version, value: { open: '07:00' } },
        },
      },
    ]);
    expect(pages.flatMap((p) => p.activity)).toEqual([
      expect.objectContaining({
        type: 'site',
        key: S1,
        group: 'details',
        lost: { name: 'North Depot' },
        lostBy: 'sam',
        lostFrom: "Sam's laptop",
        won: { name: 'Depot 2' },
        wonFrom: 'Office PC',
        version: rc.results[0]!.version,
      }),
    ]);
    // A group equal to what is stored changes nothing: the row keeps its version.
    const same = await push(sync, manager, a, rows(site(S1, { hours: [0, { open: '07:00' }] })));
    expect(same.results[0]).toMatchObject({ applied: true, overrode: 0 });
    const again = (await pullAll(sync, a.id, String(rc.results[0]!.version))).pages;
    expect(again.flatMap((p) => p.entities)).toEqual([]);
    // One mutation changing a row twice: the second change wins, and replaces no one else's edit.
    const twice = await push(
      sync,
      manager,
      a,
      rows(site(S2, { details: [0, { name: 'Yard' }] }), site(S2, { details: [0, { name: 'Yard 2' }] })),
    );
    expect(twice.results[0]!.overrode).toBe(0);
    const s2 = (await pullAll(sync, b.id, String(same.head))).pages.flatMap((p) => p.entities);
    expect(s2.map((e) => e.groups.details!.value)).toEqual([{ name: 'Yard 2' }]);
  });

  it("a group pushed with base 0 that the server holds is a second creation: the server's value stays and travels", async () => {
    const { sync } = await fresh();
    const a = laptopA();
    const b = laptopB();
    const meter = (groups: EntityChange['groups']): EntityChange => ({ type: 'meter', key: M1, groups });
    const created = await push(
      sync,
      manager,
      a,
      rows(meter({ details: { base: 0, value: { label: 'Main' } }, site: { base: 0, value: { site: S1 } } })),
    );
    // B made the same meter without ever having the server's row: its site is kept, its equal details change nothing
    const mu = rows(
      meter({ details: { base: 0, value: { label: 'Main' } }, site: { base: 0, value: { site: null } } }),
    );
    const second = await push(sync, manager, b, mu);
    const at = second.results[0]!.version;
    expect(second.results[0]).toMatchObject({
      applied: true,
      overrode: 1,
      kept: [{ type: 'meter', key: M1, group: 'site' }],
    });
    const { pages } = await pullAll(sync, b.id, String(created.head));
    expect(pages.flatMap((p) => p.entities)).toEqual([
      {
        type: 'meter',
        key: M1,
        version: at,
        deleted: false,
        groups: {
          details: { version: created.results[0]!.version, value: { label: 'Main' } },
          site: { version: at, value: { site: S1 } },
        },
      },
    ]);
    expect(pages.flatMap((p) => p.activity)).toEqual([
      expect.objectContaining({
        group: 'site',
        lost: { site: null },
        lostFrom: 'Office PC',
        won: { site: S1 },
        wonFrom: "Sam's laptop",
        version: at,
      }),
    ]);
    // the same mutation again (its answer was cut): applied before, and still says what was kept
    expect((await push(sync, manager, b, mu)).results[0]).toMatchObject({
      applied: false,
      version: at,
      kept: [{ type: 'meter', key: M1, group: 'site' }],
    });
    // an edit of the known row (base > 0) is last-writer-wins as before
    const edit = await push(sync, manager, b, rows(meter({ site: { base: at, value: { site: null } } })));
    expect(edit.results[0]!.kept).toBeUndefined();
    const last = (await pullAll(sync, a.id, String(second.head))).pages.flatMap((p) => p.entities);
    expect(last.map((e) => e.groups.site!.value)).toEqual([{ site: null }]);
  });

  it("an alert two desktops fired alike logs no replaced edit; a person's acknowledgement replaced does", async () => {
    const { sync } = await fresh();
    const a = laptopA();
    const b = laptopB();
    const key = `stale|1|${M1}|2025-06-02`;
    const fired = (at: number) => ({ kind: 'stale', severity: 'warning', firedAt: at, message: 'No data' });
    const open = { status: 'open', acknowledgedBy: null, note: null, resolvedBy: null, snoozedUntil: null };
    const alert = (groups: Record<string, [number, Record<string, unknown>]>): EntityChange => ({
      type: 'alertState',
      key,
      groups: Object.fromEntries(Object.entries(groups).map(([g, [base, value]]) => [g, { base, value }])),
    });
    // each desktop's alert check fires it a second apart, neither having pulled the other's
    const ra = await push(sync, manager, a, rows(alert({ alert: [0, fired(1000)], state: [0, open] })));
    const rb = await push(sync, manager, b, rows(alert({ alert: [0, fired(1001)], state: [0, open] })));
    expect(rb.results[0]!.overrode).toBe(0);
    // A acknowledges from its own copy; B, not having pulled it, resolves: A's acknowledgement is logged
    const ack = { ...open, status: 'acknowledged', acknowledgedBy: 'sam' };
    await push(sync, manager, a, rows(alert({ state: [ra.results[0]!.version, ack] })));
    const rc = await push(
      sync,
      manager,
      b,
      rows(alert({ state: [rb.results[0]!.version, { ...open, status: 'resolved', resolvedBy: 'ada' }] })),
    );
    expect(rc.results[0]!.overrode).toBe(1);
    const activity = (await pullAll(sync, a.id)).pages.flatMap((p) => p.activity);
    expect(activity).toEqual([expect.objectContaining({ type: 'alertState', key, group: 'state', lost: ack })]);
  });

  it('tombstones travel; deleting groups another desktop changed keeps them in the activity log', async () => {
    const { sync } = await fresh();
    const a = laptopA();
    const b = laptopB();
    const v1 = (
      await push(
        sync,
        manager,
        a,
        rows(site(S1, { details: [0, { name: 'Depot' }] }), site(S2, { details: [0, { name: 'Shop' }] })),
      )
    ).results[0]!.version;
    const v2 = (await push(sync, manager, b, rows(site(S2, { details: [v1, { name: 'Big Shop' }] })))).results[0]!
      .version;
    const del = await push(
      sync,
      manager,
      a,
      rows({ type: 'site', key: S1, deleted: { base: v1 } }, { type: 'site', key: S2, deleted: { base: v1 } }),
    );
    expect(del.results[0]!.overrode).toBe(1);
    const { pages } = await pullAll(sync, b.id, String(v2));
    expect(pages.flatMap((p) => p.entities)).toEqual([
      { type: 'site', key: S1, version: del.results[0]!.version, deleted: true, groups: {} },
      { type: 'site', key: S2, version: del.results[0]!.version, deleted: true, groups: {} },
    ]);
    expect(pages.flatMap((p) => p.activity)).toEqual([
      expect.objectContaining({
        key: S2,
        group: 'details',
        lost: { name: 'Big Shop' },
        lostFrom: 'Office PC',
        won: null,
      }),
    ]);
    // B, which never saw the deletion, edits S2 again: the edit brings it back, and the deletion is logged.
    const back = await push(sync, manager, b, rows(site(S2, { details: [v2, { name: 'Shop again' }] })));
    expect(back.results[0]!.overrode).toBe(1);
    const after = (await pullAll(sync, a.id, String(del.results[0]!.version))).pages;
    expect(after.flatMap((p) => p.entities)).toEqual([
      expect.objectContaining({
        key: S2,
        deleted: false,
        groups: { details: { version: back.results[0]!.version, value: { name: 'Shop again' } } },
      }),
    ]);
    expect(after.flatMap((p) => p.activity)).toEqual([
      expect.objectContaining({ key: S2, lost: null, lostFrom: "Sam's laptop", won: { name: 'Shop again' } }),
    ]);
  });
});

describe('sync engine: a meter deleted', () => {
  it("removes the meter's days at the tombstone's version, decides its open conflicts, tombstones its alert states", async () => {
    const { sync } = await fresh();
    const a = laptopA();
    const b = laptopB();
    const meter = (key: string): EntityChange => ({
      type: 'meter',
      key,
      groups: { details: { base: 0, value: { label: key } } },
    });
    const alertOn = (m: string): EntityChange => ({
      type: 'alertState',
      key: `stale|1|${m}|2025-06-02`,
      groups: { alert: { base: 0, value: { kind: 'stale', meter: m, firedAt: 1 } } },
    });
    await push(sync, manager, a, rows(meter(M1), meter(M2), alertOn(M1), alertOn(M2)));
    const first = await push(
      sync,
      manager,
      a,
      days(
        day(M1, JUNE, () => 1),
        day(M1, SPRING, () => 2),
        day(M2, JUNE, () => 3),
      ),
    );
    // B, from its own copy, differs in one half-hour of M1's June day: an open conflict
    const clash = await push(sync, manager, b, days(day(M1, JUNE, (s) => (s === 5 ? 9 : 1))));
    expect(clash.results[0]!.conflicts).toBe(1);
    const before = await pullAll(sync, a.id);
    const gone = await push(
      sync,
      manager,
      a,
      rows({ type: 'meter', key: M1, deleted: { base: first.results[0]!.version } }),
    );
    const v = gone.results[0]!.version;
    const after = await pullAll(sync, a.id, before.cursor);
    const pulledDays = after.pages.flatMap((p) => p.days);
    expect(pulledDays.map((d) => [d.meter, d.day, d.removed, d.vals, d.version])).toEqual(
      [
        [M1, SPRING, true, '', v],
        [M1, JUNE, true, '', v],
      ].sort((x, y) => (x[1] as number) - (y[1] as number)),
    );
    expect(after.pages.flatMap((p) => p.conflicts).map((c) => [c.meter, c.status, c.resolvedBy, c.version])).toEqual([
      [M1, 'kept-server', 'sam', v],
    ]);
    expect(after.pages.flatMap((p) => p.entities).map((e) => [e.type, e.key, e.deleted, e.version])).toEqual([
      ['meter', M1, true, v],
      ['alertState', `stale|1|${M1}|2025-06-02`, true, v],
    ]);
    // a fresh client gets the meter only as a tombstone and its days only as removed; M2 is untouched
    const all = (await pullAll(sync, randomUUID())).pages;
    expect(all.flatMap((p) => p.days).filter((d) => d.meter === M1 && !d.removed)).toEqual([]);
    expect(all.flatMap((p) => p.days).filter((d) => d.meter === M2 && !d.removed)).toHaveLength(1);

    // B, never having pulled the deletion, pushes a new day for M1: the meter comes back (the deletion lost)
    const autumn = await push(sync, manager, b, days(day(M1, AUTUMN, () => 4)));
    const back = await pullAll(sync, a.id, after.cursor);
    expect(back.pages.flatMap((p) => p.entities).map((e) => [e.type, e.key, e.deleted, e.groups])).toEqual([
      ['meter', M1, false, { details: { version: expect.any(Number), value: { label: M1 } } }],
    ]);
    expect(back.pages.flatMap((p) => p.days).map((d) => [d.meter, d.day, d.removed])).toEqual([[M1, AUTUMN, false]]);
    expect(back.pages.flatMap((p) => p.activity)).toEqual([
      expect.objectContaining({ type: 'meter', key: M1, lost: null, lostBy: 'sam', lostFrom: a.name, wonFrom: b.name }),
    ]);
    expect(back.pages.at(-1)!.head).toBe(autumn.results[0]!.version);
  });
});

describe('sync engine: migration 5 repairs meters deleted before it', () => {
  it('removes the days a tombstone left live, brings back a meter with days pushed after it, and decides the rest', async () => {
    const name = `sync_${++dbs}`;
    const admin = await ServerStore.open({ url: pgs.url, migrations: [] });
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.close();
    const url = pgs.url.replace(/\/[^/]+$/, `/${name}`);
    const old = await ServerStore.open({ url, migrations: MIGRATIONS.filter((m) => m.id <= 4) });
    const sync = createSharedSync(old);
    const a = laptopA();
    const meter = (key: string): EntityChange => ({ type: 'meter', key, groups: { details: { base: 0, value: {} } } });
    const alert: EntityChange = {
      type: 'alertState',
      key: `stale|1|${M1}|2025-06-02`,
      groups: { alert: { base: 0, value: { kind: 'stale', meter: M1 } } },
    };
    await push(
      sync,
      manager,
      a,
      rows(meter(M1), meter(M2), alert),
      days(
        day(M1, JUNE, () => 1),
        day(M2, JUNE, () => 2),
      ),
    );
    await push(sync, manager, laptopB(), days(day(M1, JUNE, (s) => (s ? 1 : 7))));
    // tombstones as the server wrote them before: the days stay live
    const tombstone = (key: string) =>
      old.query(
        `UPDATE entities SET deleted = true, deleted_by = 'sam', deleted_from = 'A', version = sync_next_version()
         WHERE type = 'meter' AND key = $1`,
        [key],
      );
    await tombstone(M1);
    await tombstone(M2);
    // M2's day written again after its tombstone, as a push did before (the meter stayed deleted)
    await old.query(
      `UPDATE meter_days SET version = sync_next_version()
       WHERE meter_id = (SELECT id FROM meter_ids WHERE identifier = $1)`,
      [M2],
    );
    const before = await sync.head();
    await old.close();
    const store = await ServerStore.open({ url });
    open.push(store);
    const after = (await pullAll(createSharedSync(store), a.id, String(before))).pages;
    const v = before + 1;
    expect(after.flatMap((p) => p.days).map((d) => [d.meter, d.day, d.removed, d.version])).toEqual([
      [M1, JUNE, true, v],
    ]);
    expect(after.flatMap((p) => p.entities).map((e) => [e.key, e.deleted, e.version])).toEqual([
      [M2, false, v],
      [alert.key, true, v],
    ]);
    expect(after.flatMap((p) => p.conflicts).map((c) => [c.meter, c.status, c.resolvedBy])).toEqual([
      [M1, 'kept-server', 'sam'],
    ]);
  });
});

describe('sync engine: roles', () => {
  it('a viewer may only pull; a manager may not push tariffs or settings (nothing applied); an admin may', async () => {
    const { store, sync } = await fresh();
    const a = laptopA();
    const tariff: EntityChange = {
      type: 'tariff',
      key: 't1',
      groups: { details: { base: 0, value: { name: 'Flex' } } },
    };
    const setting: EntityChange = {
      type: 'setting',
      key: 'notify.email.to',
      groups: { value: { base: 0, value: { v: 'x@y.z' } } },
    };
    await expect(push(sync, viewer, a, days(day(M1, JUNE, () => 1)))).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: expect.stringMatching(/^Viewers may only pull: vic's push was refused/),
    });
    for (const row of [tariff, setting])
      await expect(
        push(sync, manager, a, days(day(M1, JUNE, () => 1)), rows(site(S1, { details: [0, { name: 'D' }] }), row)),
      ).rejects.toMatchObject({
        code: 'FORBIDDEN',
        message: expect.stringContaining(
          `Pushing ${row.type} "${row.key}" (mutations[1].rows[1]) needs the admin role`,
        ),
      });
    const nothing = await store.query<{ n: string }>(
      'SELECT (SELECT count(*) FROM mutations) + (SELECT count(*) FROM meter_days) + (SELECT count(*) FROM entities) AS n',
    );
    expect(Number(nothing.rows[0]!.n)).toBe(0);
    const ok = await push(sync, admin, a, rows(tariff, setting));
    expect(ok.results[0]!.applied).toBe(true);
    const r = await push(
      sync,
      manager,
      a,
      days(day(M1, JUNE, () => 1)),
      rows(site(S1, { details: [0, { name: 'D' }] })),
    );
    expect(r.results.map((x) => x.applied)).toEqual([true, true]);
    const pulled = await sync.pull(viewer, { clientId: randomUUID(), cursor: '' });
    expect(pulled.entities.map((e) => e.type).sort()).toEqual(['setting', 'site', 'tariff']);
    expect(pulled.days).toHaveLength(1);
  });
});

/** Meter `i`'s identifier: zero-padded, so identifier order is number order. */
const meterN = (i: number) => `E${String(i).padStart(4, '0')}`;
/** A value that says which meter-day and half-hour it is. */
const valueOf = (i: number, d: number, s: number) => ((i * 1000 + (d % 1000)) * 50 + s) / 1000;

describe('sync engine: pulls', () => {
  it('pages 12,000 days pushed in 6 mutations: every day once, in order, resuming after each page', async () => {
    const { sync } = await fresh();
    const a = laptopA();
    const first = dayFromDate(2024, 1, 1);
    // Mutation k: 20 meters × 100 days. Expected order: (mutation, meter, day).
    const expected: string[] = [];
    for (let k = 0; k < 6; k++) {
      const list: PushedDay[] = [];
      for (let i = 0; i < 20; i++)
        for (let d = first + k * 100; d < first + (k + 1) * 100; d++) {
          list.push(day(meterN(i), d, (s) => valueOf(i, d, s)));
          expected.push(`${meterN(i)}:${d}`);
        }
      const r = await push(sync, manager, a, days(...list.reverse()));
      expect(r.results[0]!.applied).toBe(true);
    }
    const head = await sync.head();
    for (const limit of [5000, 700]) {
      const { pages, cursor } = await pullAll(sync, randomUUID(), '', limit);
      expect(pages).toHaveLength(Math.ceil(12_000 / limit));
      expect(pages.every((p, i) => p.days.length === (i < pages.length - 1 ? limit : 12_000 % limit || limit))).toBe(
        true,
      );
      expect(pages.slice(0, -1).every((p) => p.more)).toBe(true);
      expect(cursor).toBe(String(head));
      const got = pages.flatMap((p) => p.days);
      expect(got.map((d) => `${d.meter}:${d.day}`)).toEqual(expected);
      for (const d of [got[0]!, got[4999]!, got[11_999]!]) {
        const i = Number(d.meter.slice(1));
        expect(slotsOf(d.vals, d.quality)).toEqual(
          Array.from({ length: dayHalfHours(d.day) }, (_, s) => valueOf(i, d.day, s)),
        );
      }
    }
    // A pull cut after the first page resumes from its cursor: the same second page, whichever attempt.
    const one = await sync.pull(viewer, { clientId: randomUUID(), cursor: '', limit: 5000 });
    expect(one.cursor).toMatch(/^\d+:\d+:\d+$/);
    const two = await sync.pull(viewer, { clientId: randomUUID(), cursor: one.cursor, limit: 5000 });
    const twoAgain = await sync.pull(viewer, { clientId: randomUUID(), cursor: one.cursor, limit: 5000 });
    expect(twoAgain).toEqual(two);
    expect(two.days.map((d) => `${d.meter}:${d.day}`)).toEqual(expected.slice(5000, 10_000));
    // The desktop that pushed them gets none back, and its cursor still moves to the head.
    const own = await pullAll(sync, a.id, '', 5000);
    expect(own.pages.flatMap((p) => p.days)).toEqual([]);
    expect(own.cursor).toBe(String(head));
  }, 120_000);

  it('a version larger than a page: its days split across pages, its conflicts sent once with the first', async () => {
    const { sync } = await fresh();
    const a = laptopA();
    const b = laptopB();
    await push(
      sync,
      manager,
      a,
      days(
        day(M1, JUNE, () => 1),
        day(M2, JUNE, () => 2),
      ),
    );
    const raised = await push(
      sync,
      manager,
      b,
      days(
        day(M1, JUNE, (s) => (s === 3 ? 7 : 1)),
        day(M2, JUNE, (s) => (s === 9 ? 8 : 2)),
      ),
    );
    expect(raised.results[0]!.conflicts).toBe(2);
    const open = (await pullAll(sync, b.id)).pages.flatMap((p) => p.conflicts);
    expect(open.map((c) => [c.meter, c.slot, c.serverKwh, c.pushedKwh])).toEqual([
      [M1, 3, 1, 7],
      [M2, 9, 2, 8],
    ]);
    const before = await sync.head();
    const decided = await push(sync, manager, b, {
      seq: ++seqs,
      kind: 'resolve',
      conflicts: open.map((c) => ({ id: c.id, keep: 'pushed' as const })),
    });
    const v = decided.results[0]!.version;
    // A later version (an entity) waits for the page that reaches it.
    const w = (await push(sync, manager, b, rows(site(S1, { details: [0, { name: 'Later' }] })))).results[0]!.version;
    const p1 = await sync.pull(viewer, { clientId: a.id, cursor: String(before), limit: 1 });
    expect(p1).toMatchObject({ more: true, cursor: `${v}:${1}:${JUNE}`, entities: [] });
    expect(p1.days.map((d) => [d.meter, d.version])).toEqual([[M1, v]]);
    expect(p1.conflicts.map((c) => [c.id, c.status, c.resolvedBy, c.version])).toEqual(
      open.map((c) => [c.id, 'applied-pushed', 'sam', v]),
    );
    const p2 = await sync.pull(viewer, { clientId: a.id, cursor: p1.cursor, limit: 1 });
    expect(p2).toMatchObject({ more: false, cursor: String(w), conflicts: [], activity: [] });
    expect(p2.entities.map((e) => [e.key, e.version])).toEqual([[S1, w]]);
    expect(p2.days.map((d) => [d.meter, d.version])).toEqual([[M2, v]]);
    expect(slotsOf(p1.days[0]!.vals, null)[3]).toBe(7);
    expect(slotsOf(p2.days[0]!.vals, null)[9]).toBe(8);
    // Keeping the server's value leaves the day alone and sends the decision to every desktop.
    const c3 = await push(sync, manager, b, days(day(M1, JUNE + 1, () => 1)));
    await push(sync, manager, a, days(day(M1, JUNE + 1, (s) => (s ? 1 : 4))));
    const [c] = (await pullAll(sync, b.id, String(c3.head))).pages.flatMap((p) => p.conflicts);
    expect(c).toMatchObject({ slot: 0, serverKwh: 1, pushedKwh: 4, status: 'open' });
    const kept = await push(sync, admin, a, {
      seq: ++seqs,
      kind: 'resolve',
      conflicts: [{ id: c!.id, keep: 'server' }],
    });
    const after = await pullAll(sync, b.id, String(kept.head - 1));
    expect(after.pages.flatMap((p) => p.days)).toEqual([]);
    expect(after.pages.flatMap((p) => p.conflicts)).toEqual([
      expect.objectContaining({
        id: c!.id,
        status: 'kept-server',
        resolvedBy: 'ada',
        version: kept.results[0]!.version,
      }),
    ]);
    const head = await sync.head();
    await expect(
      push(sync, manager, a, days(day(M2, JUNE + 5, () => 1)), {
        seq: ++seqs,
        kind: 'resolve',
        conflicts: [{ id: 999, keep: 'server' }],
      }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('conflict 999') });
    expect(await sync.head()).toBe(head);
  });

  it("keeps only the chosen sites' meter-days; entities all travel", async () => {
    const { sync } = await fresh();
    const a = laptopA();
    const meter = (key: string, siteUid: string | null): EntityChange => ({
      type: 'meter',
      key,
      groups: { details: { base: 0, value: { kind: 'mpan' } }, site: { base: 0, value: { site: siteUid } } },
    });
    const first = await push(
      sync,
      manager,
      a,
      rows(
        meter(meterN(1), S1),
        meter(meterN(2), S2),
        meter(meterN(3), null),
        site(S1, { details: [0, { name: 'One' }] }),
        site(S2, { details: [0, { name: 'Two' }] }),
      ),
      days(...[1, 2, 3, 4].flatMap((i) => [day(meterN(i), JUNE, () => i), day(meterN(i), JUNE + 1, () => i)])),
    );
    const one = await pullAll(sync, randomUUID(), '', 3, [S1]);
    expect(one.pages.flatMap((p) => p.days).map((d) => `${d.meter}:${d.day - JUNE}`)).toEqual([
      `${meterN(1)}:0`,
      `${meterN(1)}:1`,
    ]);
    // Within a version, sites come before the meters on them.
    expect(one.pages.flatMap((p) => p.entities).map((e) => e.type)).toEqual([
      'site',
      'site',
      'meter',
      'meter',
      'meter',
    ]);
    const both = await pullAll(sync, randomUUID(), '', undefined, [S1, S2]);
    expect(new Set(both.pages.flatMap((p) => p.days).map((d) => d.meter))).toEqual(new Set([meterN(1), meterN(2)]));
    // Moving a meter to another site moves its future days with it.
    const base = first.results[0]!.version;
    await push(
      sync,
      manager,
      a,
      rows({ type: 'meter', key: meterN(2), groups: { site: { base, value: { site: S1 } } } }),
    );
    await push(sync, manager, a, days(day(meterN(2), JUNE + 2, () => 9)));
    const later = await pullAll(sync, randomUUID(), one.cursor, undefined, [S1]);
    expect(later.pages.flatMap((p) => p.days).map((d) => `${d.meter}:${d.day - JUNE}`)).toEqual([`${meterN(2)}:2`]);
  });

  it('a client pulling while others push never skips a day', async () => {
    const { sync } = await fresh();
    const all = new Set<string>();
    const seen = new Set<string>();
    let cursor = '';
    let pushing = true;
    const reader = randomUUID();
    const pullLoop = (async () => {
      while (pushing) {
        const p = await sync.pull(viewer, { clientId: reader, cursor, limit: 150 });
        for (const d of p.days) seen.add(`${d.meter}:${d.day}`);
        cursor = p.cursor;
      }
    })();
    await Promise.all(
      [0, 1, 2, 3].map(async (w) => {
        const c = { id: randomUUID(), name: `Laptop ${w}` };
        for (let k = 0; k < 10; k++) {
          const list = Array.from({ length: 100 }, (_, i) => day(meterN(w * 100 + i), JUNE + k, () => w + k / 10));
          for (const d of list) all.add(`${d.meter}:${d.day}`);
          await push(sync, manager, c, days(...list));
        }
      }),
    );
    pushing = false;
    await pullLoop;
    for (const d of (await pullAll(sync, reader, cursor, 150)).pages.flatMap((p) => p.days))
      seen.add(`${d.meter}:${d.day}`);
    expect(all.size).toBe(4000);
    expect([...all].filter((k) => !seen.has(k))).toEqual([]);
  }, 120_000);
});

describe('sync engine: the database going away', () => {
  it('PostgreSQL restarted part-way through a push: the push completes on new connections, and again applies nothing', async () => {
    const { store, sync } = await fresh();
    const a = laptopA();
    const mutations = Array.from({ length: 8 }, (_, k) =>
      days(...Array.from({ length: 1000 }, (_, i) => day(meterN(i), JUNE + k, () => k + i / 1000))),
    );
    const req = { clientId: a.id, clientName: a.name, mutations };
    const pushing = sync.push(manager, req);
    // restart once the first mutation has committed and the next is under way (not after a fixed
    // delay: on a loaded machine the push may not have started, or may have finished, by then)
    for (;;) {
      const done = await store.query<{ n: string }>('SELECT count(*) AS n FROM mutations');
      if (Number(done.rows[0]!.n) >= 1) break;
      await new Promise((r) => setTimeout(r, 5));
    }
    // A fast shutdown cuts every connection; what committed before it is kept (the test server
    // runs with synchronous_commit off, so a crash could lose acknowledged commits).
    pgs.restart();
    const first = await pushing;
    expect(store.retries).toBeGreaterThan(0); // the restart cut a transaction, which ran again
    expect(first.results.map((r) => r.seq)).toEqual(mutations.map((m) => m.seq));
    const again = await sync.push(manager, req);
    expect(again.results.every((r) => !r.applied)).toBe(true);
    expect(again.results.map((r) => r.version)).toEqual(first.results.map((r) => r.version));
    const n = await store.query<{ days: string; ledger: string }>(
      `SELECT (SELECT count(*) FROM meter_days) AS days, (SELECT count(*) FROM mutations) AS ledger`,
    );
    expect([Number(n.rows[0]!.days), Number(n.rows[0]!.ledger)]).toEqual([8000, 8]);
    const got = (await pullAll(sync, randomUUID())).pages.flatMap((p) => p.days);
    expect(got).toHaveLength(8000);
    for (const d of got.filter((_, i) => i % 997 === 0))
      expect(slotsOf(d.vals, d.quality)[0]).toBe(d.day - JUNE + Number(d.meter.slice(1)) / 1000);
  }, 120_000);
});
