/**
 * Desktop sync end to end, against the real thing: a PostgreSQL 15 this test starts, the shared
 * server (startSharedServer, createSharedSync, its accounts) on 127.0.0.1, and desktop data folders
 * (real cores on real SQLite files) syncing through the contract's sync.* methods. Readings are
 * compared half-hour by half-hour (storedReadings) and against values read from the imported file;
 * entities through the app's read methods.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReadingConflict, SyncActivity } from '../../../src-shared/contract/sync';
import type {
  AuditRecord,
  MeterSummary,
  SiteSummary,
  SyncRunResult,
  SyncStatus,
  Tariff,
} from '../../../src-shared/contract/types';
import { dispatch } from '../rpc/dispatch';
import { buildCli } from '../../../tests/helpers/cli';
import { FIXTURES, importFiles, makeCore, storedReadings, tempDir, writeTemp } from '../../../tests/helpers/core';
import { economy7 } from '../../../tests/fixtures/tariffs';
import { startPostgres, type TestPostgres } from '../../../tests/helpers/postgres';
import { createSharedAccounts, type SharedAccountsAdmin } from '../../server/postgres/accounts';
import { ServerStore } from '../../server/postgres/store';
import { createSharedSync } from '../../server/postgres/sync';
import { startSharedServer, type SharedServer } from '../../server/shared-host';
import type { Core } from '../app';
import { silentLogger } from '../events';

const PASSWORD = 'correct horse battery staple';
const BANES = path.join(FIXTURES, 'public', 'wide-hh-banes-energysparks.csv');
const SHEFFIELD = path.join(FIXTURES, 'public', 'wide-hh-sheffield-energysparks.csv');

let pgs: TestPostgres;
let dbs = 0;
const cores: Core[] = [];
const servers: SharedServer[] = [];
let cli: string;

beforeAll(async () => {
  pgs = await startPostgres();
  cli = await buildCli();
}, 180_000);
afterAll(async () => {
  for (const c of cores) await c.stop();
  for (const s of servers) await s.close().catch(() => undefined);
  pgs?.stop();
});

interface Shared {
  server: SharedServer;
  accounts: SharedAccountsAdmin;
  dbUrl: string;
}

/** A shared server on a fresh database, with an admin (ada), a manager (sam) and a viewer (vic). */
async function shared(port = 0, existing?: string): Promise<Shared> {
  let dbUrl = existing;
  if (!dbUrl) {
    const name = `desk_${++dbs}`;
    const admin = await ServerStore.open({ url: pgs.url, migrations: [] });
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.close();
    dbUrl = pgs.url.replace(/\/[^/]+$/, `/${name}`);
  }
  const server = await startSharedServer({ url: dbUrl, port, log: silentLogger });
  servers.push(server);
  const accounts = createSharedAccounts(server.store);
  if (!existing)
    for (const [name, role] of [
      ['ada', 'admin'],
      ['sam', 'manager'],
      ['vic', 'viewer'],
    ] as const)
      await accounts.createUser(name, role, PASSWORD);
  return { server, accounts, dbUrl };
}

async function desktop(opts: Parameters<typeof makeCore>[0] = {}): Promise<Core> {
  const c = await makeCore({ sync: { timeoutMs: 5000 }, ...opts });
  cores.push(c);
  return c;
}

/** Calls a contract method as the person at the desktop (in process: sync.connect is theirs only). */
async function call<T>(c: Core, method: string, args: unknown = {}): Promise<T> {
  const r = await dispatch(c.handlers, method, args, { role: 'admin', actor: 'test', inProcess: true });
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value as T;
}
const status = (c: Core) => call<SyncStatus>(c, 'sync.status');
const syncNow = (c: Core) => call<SyncRunResult>(c, 'sync.now');

/** sync.now's error reply (it must fail). */
async function syncError(c: Core): Promise<{ code: string; message: string }> {
  const r = await dispatch(c.handlers, 'sync.now', {}, { role: 'admin', actor: 'test' });
  if (r.ok) throw new Error('the sync did not fail');
  return r.error;
}

/** This data folder's client id. */
const clientIdOf = (c: Core): string =>
  c.sqlite.prepare("SELECT value FROM sync_state WHERE key = 'clientId'").pluck().get() as string;

/** The status once the sync running ends. */
async function settled(c: Core): Promise<SyncStatus> {
  for (;;) {
    const st = await status(c);
    if (st.state !== 'syncing') return st;
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Signs the desktop in and syncs (after the sync signing in starts). */
async function connect(c: Core, url: string, username: string, clientName: string): Promise<SyncRunResult> {
  const s = await call<SyncStatus>(c, 'sync.connect', { server: url, username, password: PASSWORD, clientName });
  expect(s.user).toEqual({
    name: username,
    role: username === 'ada' ? 'admin' : username === 'sam' ? 'manager' : 'viewer',
  });
  return syncNow(c);
}

/** Every half-hour without the writing import job (each folder's own). */
const readings = (c: Core) => storedReadings(c).map(([m, t, v, q]) => [m, t, v, q]);

/** What the read methods say about sites, meters and tariffs, local ids replaced by what they stand for. */
async function entities(c: Core) {
  const sites = await call<SiteSummary[]>(c, 'sites.list');
  const uid = new Map(sites.map((s) => [s.id, s.uid]));
  const meters = await call<MeterSummary[]>(c, 'meters.list');
  return {
    sites: sites.map(({ id: _id, ...s }) => s),
    meters: meters.map((m) => [m.mpan, m.label, m.fuel, m.siteId === null ? null : uid.get(m.siteId)]),
    tariffs: await Promise.all(
      (await call<Tariff[]>(c, 'tariffs.list')).map((t) => call<Tariff>(c, 'tariffs.get', { id: t.id })),
    ),
  };
}

/** A file's half-hours for one meter on 2025-03-03 from midnight (UTC, winter). */
const csv = (meter: string, kwh: number[]) =>
  [
    'MPAN,Timestamp,kWh,Quality',
    ...kwh.map((v, i) => `${meter},2025-03-03 0${Math.floor(i / 2)}:${i % 2 ? 30 : '00'},${v},A`),
  ].join('\n');

/** Server-side counts: mutations applied for a client, and activity entries. */
async function ledger(s: Shared, clientId: string) {
  const q = async (text: string, values: unknown[] = []) =>
    Number((await s.server.store.query<{ n: string }>(text, values)).rows[0]!.n);
  return {
    mutations: await q('SELECT count(*) AS n FROM mutations WHERE client_id = $1', [clientId]),
    activity: await q('SELECT count(*) AS n FROM activity'),
    days: await q('SELECT count(*) AS n FROM meter_days WHERE NOT removed'),
  };
}

describe('desktop sync with the shared server', () => {
  let s: Shared;
  let a: Core;
  let b: Core;

  beforeAll(async () => {
    s = await shared();
    a = await desktop();
    // B pulls two meter-days a page: a pull runs over many pages, each applied with its cursor
    b = await desktop({ sync: { timeoutMs: 5000, pageSize: 2 } });
  }, 60_000);

  it('carries readings imported on one desktop and tariffs edited on the other both ways', async () => {
    await importFiles(a, [BANES, SHEFFIELD]);
    const imported = readings(a);
    expect(imported.length).toBeGreaterThan(300);
    await call(b, 'tariffs.save', { tariff: economy7() });
    const depot = await call<SiteSummary>(b, 'sites.create', { name: 'Depot', postcode: 'S1 2HH' });

    await connect(a, s.server.url, 'sam', 'Sam laptop');
    expect((await ledger(s, clientIdOf(a))).days).toBe(a.readings.dayCount());
    await connect(b, s.server.url, 'ada', 'Ada desktop');
    await syncNow(a);

    expect(readings(b)).toEqual(imported);
    expect(readings(a)).toEqual(imported);
    // against the file itself: line 5's meter (its MPAN is the next-to-last field), 13 Nov 2019 from 00:00 UTC
    const fields = fs
      .readFileSync(BANES, 'utf8')
      .split('\n')[4]!
      .split(',')
      .map((f) => f.replace(/"/g, ''));
    const mpan = fields[fields.length - 2]!;
    const mine = readings(b).filter(([m, t]) => m === mpan && (t as number) < Date.UTC(2019, 10, 13, 1) / 1000);
    expect(mine).toEqual([
      [mpan, Date.UTC(2019, 10, 13) / 1000, Number(fields[7]), 0],
      [mpan, Date.UTC(2019, 10, 13) / 1000 + 1800, Number(fields[8]), 0],
    ]);
    expect(await entities(a)).toEqual(await entities(b));
    expect((await entities(a)).tariffs.map((t) => t.id)).toEqual(['acme-e7-2025']);
    expect((await entities(a)).sites.map((x) => x.uid)).toContain(depot.uid);
    for (const c of [a, b]) expect(await status(c)).toMatchObject({ state: 'synced', waiting: 0, lastError: null });
    // roll-ups caught up with what arrived, as after an import
    expect(b.aggregation.pending()).toBe(false);
  });

  it('keeps the later of two edits to one field group, and the other in the replaced edits and the audit log', async () => {
    const depotOn = async (c: Core) =>
      (await call<SiteSummary[]>(c, 'sites.list')).find((x) => x.name.startsWith('Depot'))!;
    await call(a, 'sites.update', { id: (await depotOn(a)).id, name: 'Depot North' });
    await call(b, 'sites.update', { id: (await depotOn(b)).id, name: 'Depot South' });
    await syncNow(a);
    await syncNow(b);
    await syncNow(a);
    expect((await depotOn(a)).name).toBe('Depot South');
    expect((await depotOn(b)).name).toBe('Depot South');
    for (const c of [a, b]) {
      const { replaced } = await call<{ replaced: SyncActivity[] }>(c, 'sync.conflicts', {});
      expect(replaced).toHaveLength(1);
      expect(replaced[0]).toMatchObject({ type: 'site', group: 'details', lostBy: 'sam', lostFrom: 'Sam laptop' });
      expect(replaced[0]!.lost).toMatchObject({ name: 'Depot North' });
      expect(replaced[0]!.won).toMatchObject({ name: 'Depot South' });
      const audit = await call<AuditRecord[]>(c, 'audit.list', { action: 'sync.replaced' });
      expect(audit).toHaveLength(1);
      expect(audit[0]!.details).toMatchObject({ lost: { name: 'Depot North' }, won: { name: 'Depot South' } });
    }
  });

  it('lists a half-hour imported differently on both desktops as a conflict on both, and a decision makes them equal', async () => {
    const M = '1200050000106';
    await importFiles(a, [writeTemp('a.csv', csv(M, [1.5, 1.5, 2.25, 1.5]))]);
    await importFiles(b, [writeTemp('b.csv', csv(M, [1.5, 1.5, 9.5, 7]))]);
    await syncNow(a);
    const pushed = await syncNow(b);
    expect(pushed.conflicts).toBe(2);
    await syncNow(a);
    const open = async (c: Core) =>
      (await call<{ conflicts: ReadingConflict[] }>(c, 'sync.conflicts', {})).conflicts.map((x) => [
        x.meter,
        x.slot,
        x.serverKwh,
        x.pushedKwh,
        x.pushedFrom,
      ]);
    const expected = [
      [M, 3, 1.5, 7, 'Ada desktop'],
      [M, 2, 2.25, 9.5, 'Ada desktop'],
    ];
    expect(await open(a)).toEqual(expected);
    expect(await open(b)).toEqual(expected);
    expect((await status(a)).openConflicts).toBe(2);
    // both read the server's values until a person decides; B's are kept in the conflicts
    const at = (c: Core, slot: number) =>
      readings(c).find(([m, t]) => m === M && t === Date.UTC(2025, 2, 3) / 1000 + slot * 1800)![2];
    expect([at(b, 2), at(b, 3)]).toEqual([2.25, 1.5]);
    expect([at(a, 2), at(a, 3)]).toEqual([2.25, 1.5]);

    const ids = (await call<{ conflicts: ReadingConflict[] }>(a, 'sync.conflicts', {})).conflicts;
    const bySlot = new Map(ids.map((x) => [x.slot, x.id]));
    expect(await call(a, 'sync.resolve', { ids: [bySlot.get(2)], keep: 'pushed' })).toEqual({ queued: 1 });
    expect(await call(a, 'sync.resolve', { ids: [bySlot.get(3)], keep: 'server' })).toEqual({ queued: 1 });
    await syncNow(a);
    await syncNow(b);
    await syncNow(a);
    expect([at(a, 2), at(a, 3)]).toEqual([9.5, 1.5]);
    expect(readings(a)).toEqual(readings(b));
    for (const c of [a, b]) expect(await open(c)).toEqual([]);
    const all = await call<{ conflicts: ReadingConflict[] }>(b, 'sync.conflicts', { status: 'all' });
    expect(all.conflicts.map((x) => [x.slot, x.status, x.resolvedBy])).toEqual([
      [3, 'kept-server', 'sam'],
      [2, 'applied-pushed', 'sam'],
    ]);
  });

  it("keeps only the chosen sites' readings, all entities, and pulls the rest from the beginning when all are chosen", async () => {
    const depot = (await call<SiteSummary[]>(a, 'sites.list')).find((x) => x.name === 'Depot South')!;
    const meter = readings(a)[0]![0] as string;
    await call(a, 'meters.update', { meter, siteId: depot.id });
    await syncNow(a);
    const k = await desktop();
    await call(k, 'sync.connect', {
      server: s.server.url,
      username: 'vic',
      password: PASSWORD,
      clientName: 'Depot tablet',
      sites: [depot.uid],
    });
    await syncNow(k);
    expect(readings(k)).toEqual(readings(a).filter(([m]) => m === meter));
    expect((await entities(k)).meters).toEqual((await entities(a)).meters);
    const all = await call<SyncStatus>(k, 'sync.configure', { sites: null });
    expect(all).toMatchObject({ keptSites: null, version: 0 });
    await syncNow(k);
    expect(readings(k)).toEqual(readings(a));
    expect((await status(k)).version).toBe((await status(a)).version);
  });
});

/** A TCP proxy to `target`; armed, it lets the next push reach the server and cuts the line as the answer starts. */
async function cuttingProxy(target: string) {
  const to = new URL(target);
  let armed = false;
  let cuts = 0;
  const server = net.createServer((client) => {
    const up = net.connect(Number(to.port), to.hostname);
    let cutThis = false;
    client.on('data', (d: Buffer) => {
      if (armed && d.toString('latin1').startsWith('POST /sync/push')) {
        armed = false;
        cutThis = true;
      }
      up.write(d);
    });
    up.on('data', (d: Buffer) => {
      if (!cutThis) return void client.write(d);
      // the server has committed and started to answer: the answer never arrives
      cuts++;
      client.destroy();
      up.destroy();
    });
    for (const [x, y] of [
      [client, up],
      [up, client],
    ] as const) {
      x.on('error', () => y.destroy());
      x.on('close', () => y.destroy());
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    arm: () => void (armed = true),
    cuts: () => cuts,
    close: () => new Promise((r) => server.close(r)),
  };
}

describe('sync when connections drop, servers stop and roles refuse', () => {
  it('applies a push whose answer was cut once: nothing lost or doubled after a restart and a second sync', async () => {
    const s = await shared();
    const proxy = await cuttingProxy(s.server.url);
    const c = await desktop();
    await importFiles(c, [BANES]);
    const imported = readings(c);
    const days = c.readings.dayCount();
    proxy.arm();
    await call(c, 'sync.connect', {
      server: proxy.url,
      username: 'sam',
      password: PASSWORD,
      clientName: 'Train laptop',
    });
    // the sync signing in starts is cut: it ends offline
    const cut = await settled(c);
    expect(proxy.cuts()).toBe(1);
    expect(cut).toMatchObject({ state: 'offline', lastError: null });
    expect((await status(c)).waiting).toBeGreaterThanOrEqual(days);
    const clientId = clientIdOf(c);
    // the server applied everything before the answer was lost
    const before = await ledger(s, clientId);
    expect(before.days).toBe(days);
    expect(before.mutations).toBeGreaterThan(0);
    const versions = async () =>
      (
        await s.server.store.query<{ v: string }>(
          "SELECT string_agg(version::text, ',' ORDER BY meter_id, day) AS v FROM meter_days",
        )
      ).rows[0]!.v;
    const stamped = await versions();

    // the desktop restarts and syncs again: the same mutations go, and are found applied
    await c.stop();
    const again = await desktop({ dataDir: c.dataDir });
    const r = await syncNow(again);
    // the server had applied every one of them: nothing is pushed now
    expect(r.pushed).toBe(0);
    expect(await ledger(s, clientId)).toEqual(before);
    expect(await versions()).toBe(stamped);
    expect(await status(again)).toMatchObject({ state: 'synced', waiting: 0, offlineSince: null });
    expect(readings(again)).toEqual(imported);

    // PostgreSQL itself stops: the server answers 503 and the desktop is offline; it catches up once back
    await importFiles(again, [SHEFFIELD]);
    // the test server runs with synchronous_commit off: what was committed is made durable first, as
    // a production server's commits are, so the kill loses only what was in flight
    await s.server.store.query('CHECKPOINT');
    pgs.kill();
    try {
      expect((await syncError(again)).code).toBe('UNAVAILABLE');
      expect((await status(again)).state).toBe('offline');
    } finally {
      pgs.start();
    }
    await syncNow(again);
    const d = await desktop();
    await connect(d, s.server.url, 'ada', 'Office');
    expect(readings(d)).toEqual(readings(again));
    expect((await ledger(s, clientId)).days).toBe(again.readings.dayCount());
    await proxy.close();
  });

  it("pulls on a viewer's desktop and sends nothing: the changes wait here, and the status says why", async () => {
    const s = await shared();
    const a = await desktop();
    await importFiles(a, [BANES]);
    await connect(a, s.server.url, 'ada', 'Admin desktop');
    const v = await desktop();
    await call(v, 'sync.connect', { server: s.server.url, username: 'vic', password: PASSWORD, clientName: 'Finance' });
    await syncNow(v);
    expect(readings(v)).toEqual(readings(a));
    await importFiles(v, [writeTemp('v.csv', csv('1200050000203', [1, 2, 3]))]);
    await call(a, 'tariffs.save', { tariff: economy7() });
    await syncNow(a);
    const r = await syncNow(v);
    expect(r.pushed).toBe(0);
    // it pulled: the tariff made since is here, and its own readings reached no one
    expect(r.pulled).toBeGreaterThanOrEqual(2);
    expect((await entities(v)).tariffs.map((t) => t.id)).toEqual(['acme-e7-2025']);
    const st = await status(v);
    // nothing here will be sent: none waits, the imported day and the meter stay here (held)
    expect(st).toMatchObject({ state: 'synced', waiting: 0, lastError: null, user: { name: 'vic', role: 'viewer' } });
    expect(st.heldCount).toBe(2);
    expect(st.held).toBe(
      'This desktop’s account (vic) is a viewer: it only receives changes; 2 changes made here stay on this desktop',
    );
    expect((await ledger(s, clientIdOf(v))).mutations).toBe(0);
    await syncNow(a);
    expect(readings(a).some(([m]) => m === '1200050000203')).toBe(false);
  });

  it("holds back a manager's tariff, pushes the rest, pulls, and eclectyc sync exits 0 saying what waits", async () => {
    const s = await shared();
    const { token } = await s.accounts.createToken('mgr-cli', 'manager', 'ada');
    const m = await desktop();
    await importFiles(m, [SHEFFIELD]);
    await call(m, 'tariffs.save', { tariff: economy7() });
    const versionKey = m.sqlite
      .prepare("SELECT tariff_id || '|' || valid_from FROM tariff_versions WHERE tariff_id = 'acme-e7-2025'")
      .pluck()
      .get() as string;
    const meters = (await call<MeterSummary[]>(m, 'meters.list')).length;
    const days = m.readings.dayCount();
    await m.stop();
    cores.splice(cores.indexOf(m), 1);
    const run = await runCliAsync(['sync', '--server', s.server.url, '--token', token, '--data-dir', m.dataDir]);
    expect(run.code).toBe(0);
    const words =
      '2 changes need an administrator’s account to be shared: tariff ‘Acme Economy 7’ and its prices from 1 Jan 2025';
    expect(versionKey).toBe(`acme-e7-2025|${Date.UTC(2025, 0, 1) / 86_400_000}`);
    expect(run.stderr).toBe(`${words}\n`);
    expect(JSON.parse(run.stdout)).toMatchObject({ pushed: meters + days, conflicts: 0 });
    const onServer = async (type: string) =>
      Number(
        (await s.server.store.query<{ n: string }>('SELECT count(*) AS n FROM entities WHERE type = $1', [type]))
          .rows[0]!.n,
      );
    expect(await onServer('meter')).toBe(meters);
    expect(await onServer('tariff')).toBe(0);
    const again = await desktop({ dataDir: m.dataDir });
    expect(await status(again)).toMatchObject({
      state: 'synced',
      waiting: 0,
      heldCount: 2,
      lastError: null,
      user: { name: 'mgr-cli', role: 'manager' },
      held: words,
    });
  });

  it('a push refused in part: what the server applied counts, the refused mutation waits, the sync still pulls', async () => {
    const first = await shared();
    const port = first.server.port;
    const d = await desktop();
    await connect(d, first.server.url, 'ada', 'Admin laptop');
    const depot = await call<SiteSummary>(d, 'sites.create', { name: 'Depot' });
    await first.server.close();
    await call(d, 'tariffs.save', { tariff: economy7() });
    await call(d, 'sites.update', { id: depot.id, floorAreaM2: 555 });
    // queued as an admin while the server was away: a site mutation and a tariff one
    expect((await syncError(d)).code).toBe('UNAVAILABLE');
    const back = await shared(port, first.dbUrl);
    const other = await desktop();
    await connect(other, back.server.url, 'ada', 'Office');
    await call(other, 'sites.create', { name: 'Office' });
    await syncNow(other);
    const { token } = await back.accounts.createToken('mgr', 'manager', 'ada');
    const r = await d.sync.sync({ server: back.server.url, token });
    expect(r.pushed).toBe(1);
    // it pulled the other desktop's site
    expect((await call<SiteSummary[]>(d, 'sites.list')).map((x) => x.name).sort()).toEqual(['Depot', 'Office']);
    const onServer = (
      await back.server.store.query<{ type: string; area: number | null }>(
        "SELECT type, (groups->'details'->'value'->>'floorAreaM2')::float AS area FROM entities ORDER BY type",
      )
    ).rows;
    expect(onServer.filter((x) => x.type === 'tariff')).toEqual([]);
    const st = await status(d);
    expect(st).toMatchObject({ state: 'waiting', lastError: null, waiting: 2 });
    expect(st.held).toMatch(/^2 changes wait: The shared server refused this desktop's changes.*needs the admin role/);
    expect(st.held).not.toContain('nothing was pushed');
    expect(onServer.some((x) => x.type === 'site' && x.area === 555)).toBe(true);
  });

  it('catches up after a week offline: local imports meanwhile, offline since the first failure', async () => {
    let now = Date.UTC(2025, 5, 2, 9);
    const first = await shared();
    const port = first.server.port;
    const w = await desktop({ clock: { now: () => now } });
    await connect(w, first.server.url, 'sam', 'Site laptop');
    await first.server.close();
    const since = new Date(now).toISOString().replace('.000Z', 'Z');
    await importFiles(w, [BANES]);
    expect((await syncError(w)).code).toBe('UNAVAILABLE');
    now += 7 * 86400_000;
    await importFiles(w, [SHEFFIELD]);
    expect((await syncError(w)).code).toBe('UNAVAILABLE');
    const away = await status(w);
    expect(away).toMatchObject({ state: 'offline', offlineSince: since });
    // every meter-day imported meanwhile, and the new meters' entity rows
    expect(away.waiting).toBeGreaterThan(w.readings.dayCount());
    expect(away.waiting).toBeLessThanOrEqual(
      w.readings.dayCount() + (await call<MeterSummary[]>(w, 'meters.list')).length,
    );
    // the server is back where it was
    const back = await shared(port, first.dbUrl);
    const r = await syncNow(w);
    expect(r.pushed).toBeGreaterThanOrEqual(w.readings.dayCount());
    expect(await status(w)).toMatchObject({
      state: 'synced',
      offlineSince: null,
      lastSyncAt: new Date(now).toISOString().replace('.000Z', 'Z'),
    });
    const x = await desktop();
    await connect(x, back.server.url, 'ada', 'Office');
    expect(readings(x)).toEqual(readings(w));
  });

  it('eclectyc sync --server URL --token T syncs a data folder in a real process and prints what it did', async () => {
    const s = await shared();
    const a = await desktop();
    await importFiles(a, [SHEFFIELD]);
    await connect(a, s.server.url, 'sam', 'Importer');
    const { token } = await s.accounts.createToken('laptop-cli', 'manager', 'ada');
    const dir = tempDir();
    const ok = await runCliAsync(['sync', '--server', s.server.url, '--token', token, '--data-dir', dir]);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    const printed = JSON.parse(ok.stdout) as SyncRunResult;
    expect(Object.keys(printed)).toEqual(['pushed', 'pulled', 'conflicts', 'version']);
    expect(printed).toMatchObject({ pushed: 0, conflicts: 0, version: await createSharedSync(s.server.store).head() });
    expect(printed.pulled).toBeGreaterThanOrEqual(a.readings.dayCount());
    const there = await desktop({ dataDir: dir });
    expect(readings(there)).toEqual(readings(a));
    await there.stop();
    cores.splice(cores.indexOf(there), 1);
    const bad = await runCliAsync(['sync', '--server', s.server.url, '--token', 'eclectyc_wrong', '--data-dir', dir]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toContain('eclectyc: The shared server did not accept the API token (401)');
  });

  it('links a folder only once the server answered: not after an unreachable or a plain web server', async () => {
    const s = await shared();
    const { token } = await s.accounts.createToken('link-check', 'manager', 'ada');
    const free = await new Promise<number>((resolve) => {
      const l = net.createServer().listen(0, '127.0.0.1', () => {
        const { port } = l.address() as net.AddressInfo;
        l.close(() => resolve(port));
      });
    });
    const plain = http.createServer((req, res) => {
      res.writeHead(req.method === 'GET' ? 404 : 501, { 'content-type': 'text/html' });
      res.end('<h1>No such page</h1>');
    });
    await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
    const web = `http://127.0.0.1:${(plain.address() as net.AddressInfo).port}`;
    const n = await desktop();
    const tryLink = async (server: string) => {
      const e = await n.sync.sync({ server, token }).then(
        () => null,
        (err: unknown) => err as Error,
      );
      return { message: e?.message ?? null, status: await status(n) };
    };
    const nowhere = await tryLink(`http://127.0.0.1:${free}`);
    expect(nowhere.message).toContain(`Could not reach the shared server at http://127.0.0.1:${free}`);
    expect(nowhere.status).toMatchObject({ configured: false, server: null, state: 'off', lastError: null });
    const notShared = await tryLink(web);
    expect(notShared.message).toBe(
      `${web} is not an Eclectyc shared server (or runs an older version): check the address`,
    );
    expect(notShared.status).toMatchObject({ configured: false, server: null });
    // the CLI says so in plain lines, without a stack
    const cliRun = await runCliAsync(['sync', '--server', web, '--token', token, '--data-dir', tempDir()]);
    expect(cliRun.code).toBe(1);
    const lines = cliRun.stderr.trimEnd().split('\n');
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).toContain(`${web} is not an Eclectyc shared server`);
    plain.close();
    expect(await n.sync.sync({ server: s.server.url, token })).toMatchObject({ pushed: 0, conflicts: 0 });
    expect(await status(n)).toMatchObject({
      configured: true,
      server: s.server.url.replace(/\/$/, ''),
      user: { name: 'link-check', role: 'manager' },
      state: 'synced',
    });
    // linked now: another server is refused with the way out, which the CLI offers
    const other = await tryLink(web);
    expect(other.message).toBe(
      `This data folder syncs with ${s.server.url.replace(/\/$/, '')}, not ${web}: disconnect it first ` +
        '(eclectyc sync --disconnect, or Settings → Shared server in the app)',
    );
    await n.stop();
    cores.splice(cores.indexOf(n), 1);
    const off = await runCliAsync(['sync', '--disconnect', '--data-dir', n.dataDir]);
    expect(off).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(off.stdout)).toEqual({ configured: false, server: null });
  });

  it("a fresh desktop's first sync logs no replaced edits: meters its pulled days made take the server's site", async () => {
    const s = await shared();
    const a = await desktop();
    await importFiles(a, [BANES]);
    await connect(a, s.server.url, 'sam', 'Importer');
    // the meters go to a site after their days reached the server: their rows come after the days
    const school = await call<SiteSummary>(a, 'sites.create', { name: 'School' });
    const meters = await call<MeterSummary[]>(a, 'meters.list');
    for (const m of meters) await call(a, 'meters.update', { meter: m.mpan, siteId: school.id });
    await syncNow(a);
    const g = await desktop({ sync: { timeoutMs: 5000, pageSize: 2 } });
    await connect(g, s.server.url, 'vic', 'Viewer laptop');
    expect(await call<AuditRecord[]>(g, 'audit.list', { action: 'sync.replaced' })).toEqual([]);
    expect((await call<{ replaced: SyncActivity[] }>(g, 'sync.conflicts', {})).replaced).toEqual([]);
    const onG = await entities(g);
    expect(onG.meters.length).toBe(meters.length);
    expect(onG.meters.every(([, , , site]) => site === school.uid)).toBe(true);
    expect(onG).toEqual(await entities(a));
    expect(readings(g)).toEqual(readings(a));
  });

  it("a meter imported again on a desktop that never had the server's row keeps the server's site and details", async () => {
    const s = await shared();
    const M = '1200050000300';
    const N = '1200050007779';
    const meterRow = async (key: string) =>
      (
        await s.server.store.query<{ groups: Record<string, { value: unknown }> }>(
          "SELECT groups FROM entities WHERE type = 'meter' AND key = $1",
          [key],
        )
      ).rows.map((r) => Object.fromEntries(Object.entries(r.groups).map(([g, v]) => [g, v.value])))[0];
    const a = await desktop();
    await importFiles(a, [writeTemp('a-m.csv', csv(M, [1.5, 1.5, 2.25, 1.5]))]);
    const school = await call<SiteSummary>(a, 'sites.create', { name: 'Mossbrook Primary' });
    await call(a, 'meters.update', { meter: M, siteId: school.id, label: 'Main incomer' });
    await connect(a, s.server.url, 'sam', 'Importer');
    const before = await meterRow(M);
    expect(before).toMatchObject({ site: { site: school.uid }, details: { label: 'Main incomer' } });

    // B never had the server's row: its import makes M again, with no site, no label and two more half-hours
    const b = await desktop();
    await importFiles(b, [writeTemp('b-m.csv', csv(M, [1.5, 1.5, 2.25, 1.5, 0.75, 0.5]))]);
    await connect(b, s.server.url, 'sam', 'Second laptop');
    await syncNow(a);
    expect(await meterRow(M)).toEqual(before);
    const meterOf = async (c: Core, mpan: string) => (await entities(c)).meters.find(([m]) => m === mpan);
    for (const c of [a, b]) expect(await meterOf(c, M)).toEqual([M, 'Main incomer', 'electricity', school.uid]);
    expect(readings(b)).toEqual(readings(a));
    expect(
      readings(a)
        .filter(([m]) => m === M)
        .map(([, , v]) => v),
    ).toEqual([1.5, 1.5, 2.25, 1.5, 0.75, 0.5]);
    // the pushed values are in the log as the edits that lost, the server's as kept
    const { replaced } = await call<{ replaced: SyncActivity[] }>(a, 'sync.conflicts', {});
    const site = replaced.find((r) => r.key === M && r.group === 'site')!;
    expect(site).toMatchObject({ lost: { site: null }, lostFrom: 'Second laptop', won: { site: school.uid } });
    expect(site.wonFrom).toBe('Importer');

    // B has synced (its cursor is past M), A makes N meanwhile, B imports N before it pulls it
    await importFiles(a, [writeTemp('a-n.csv', csv(N, [3, 3]))]);
    await call(a, 'meters.update', { meter: N, siteId: school.id, label: 'Kitchen' });
    await syncNow(a);
    await importFiles(b, [writeTemp('b-n.csv', csv(N, [3, 3, 4]))]);
    await syncNow(b);
    await syncNow(a);
    for (const c of [a, b]) expect(await meterOf(c, N)).toEqual([N, 'Kitchen', 'electricity', school.uid]);
    expect(await meterRow(N)).toMatchObject({ site: { site: school.uid }, details: { label: 'Kitchen' } });
    expect(readings(b)).toEqual(readings(a));
    expect(
      readings(a)
        .filter(([m]) => m === N)
        .map(([, , v]) => v),
    ).toEqual([3, 3, 4]);
    for (const c of [a, b]) expect(await status(c)).toMatchObject({ state: 'synced', waiting: 0 });
  });

  it('announces the status as soon as a change is made here: a site edit makes it 1 change waiting, no sync run', async () => {
    const s = await shared();
    const c = await desktop();
    const site = await call<SiteSummary>(c, 'sites.create', { name: 'Depot' });
    await connect(c, s.server.url, 'sam', 'Office');
    const synced = await settled(c);
    expect(synced).toMatchObject({ state: 'synced', waiting: 0 });
    const seen: SyncStatus[] = [];
    const off = c.events.subscribe((e) => {
      if (e.event === 'sync.status') seen.push(e.payload);
    });
    try {
      await call(c, 'sites.update', { id: site.id, name: 'Depot North' });
      for (let i = 0; i < 250 && seen.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
      expect(seen).toHaveLength(1);
      expect(seen[0]).toMatchObject({ state: 'waiting', waiting: 1, lastSyncAt: synced.lastSyncAt });
      // no sync ran: the edit is still here only
      expect(await status(c)).toMatchObject({ state: 'waiting', waiting: 1, lastSyncAt: synced.lastSyncAt });
    } finally {
      off();
    }
  });

  it('syncs one data folder one process at a time: two at once never both claim the same changes', async () => {
    const s = await shared();
    const { token } = await s.accounts.createToken('twice', 'manager', 'ada');
    const f = await desktop();
    await importFiles(f, [BANES]);
    const meters = (await call<MeterSummary[]>(f, 'meters.list')).length;
    const days = f.readings.dayCount();
    // a live process (this one) holds the folder's sync: an eclectyc sync of it stops, sending nothing
    f.sqlite
      .prepare("INSERT INTO sync_state (key, value) VALUES ('lease', ?)")
      .run(JSON.stringify({ host: os.hostname(), pid: process.pid, until: Date.now() + 60_000 }));
    await f.stop();
    cores.splice(cores.indexOf(f), 1);
    const args = ['sync', '--server', s.server.url, '--token', token, '--data-dir', f.dataDir];
    const held = await runCliAsync(args);
    expect(held.code).toBe(1);
    expect(held.stdout).toBe('');
    expect(held.stderr).toBe(
      `eclectyc: Another sync of this data folder is running (process ${process.pid}): ` +
        'it carries these changes too; sync again once it has finished\n',
    );
    const onServer = async () =>
      Number((await s.server.store.query<{ n: string }>('SELECT count(*) AS n FROM meter_days')).rows[0]!.n);
    expect(await onServer()).toBe(0);
    // the holder gone (a process that no longer runs), two syncs at once: the changes are pushed once
    const dead = spawn(process.execPath, ['-e', '']);
    await new Promise((r) => dead.on('close', r));
    const folder = await desktop({ dataDir: f.dataDir });
    folder.sqlite
      .prepare("UPDATE sync_state SET value = ? WHERE key = 'lease'")
      .run(JSON.stringify({ host: os.hostname(), pid: dead.pid, until: Date.now() + 60_000 }));
    await folder.stop();
    cores.splice(cores.indexOf(folder), 1);
    const both = await Promise.all([runCliAsync(args), runCliAsync(args)]);
    const pushed = both.map((r) => {
      if (r.code === 0) return (JSON.parse(r.stdout) as SyncRunResult).pushed;
      expect(r.stderr).toContain('Another sync of this data folder is running');
      return 0;
    });
    expect(both.some((r) => r.code === 0)).toBe(true);
    expect(pushed[0]! + pushed[1]!).toBe(meters + days);
    expect(await onServer()).toBe(days);
  });

  it('syncs by itself once started: at start, and after each import', async () => {
    const s = await shared();
    const t = await desktop();
    await connect(t, s.server.url, 'sam', 'Kiosk');
    await t.stop();
    cores.splice(cores.indexOf(t), 1);
    const again = await desktop({ dataDir: t.dataDir });
    await importFiles(again, [BANES]);
    const onServer = async (days: number) => {
      for (let i = 0; i < 500 && (await ledger(s, clientIdOf(again))).days !== days; i++)
        await new Promise((r) => setTimeout(r, 20));
      return (await ledger(s, clientIdOf(again))).days;
    };
    // nothing is sent before the core starts
    expect(await ledger(s, clientIdOf(again))).toMatchObject({ days: 0 });
    const states: string[] = [];
    again.events.subscribe((e) => {
      if (e.event === 'sync.status') states.push(e.payload.state);
    });
    again.start();
    expect(await onServer(again.readings.dayCount())).toBe(again.readings.dayCount());
    await settled(again);
    await importFiles(again, [SHEFFIELD]);
    expect(await onServer(again.readings.dayCount())).toBe(again.readings.dayCount());
    expect((await settled(again)).state).toBe('synced');
    // the windows heard each sync start and end
    expect(states.filter((x) => x === 'syncing').length).toBeGreaterThanOrEqual(2);
    expect(states[states.length - 1]).toBe('synced');
  });

  it('keeps the session in the secret store only, and asks to sign in again once the server ends it', async () => {
    const s = await shared();
    const c = await desktop();
    await connect(c, s.server.url, 'sam', 'Laptop');
    const secrets = fs.readFileSync(path.join(c.dataDir, 'secrets.json'), 'utf8');
    const token = (JSON.parse(secrets) as Record<string, string>)['sync.sessionToken']!;
    expect(token.length).toBeGreaterThan(20);
    const audit = JSON.stringify(await call<AuditRecord[]>(c, 'audit.list', {}));
    expect(audit).toContain('"sync.connect"');
    expect(audit).not.toContain(token);
    expect(audit).not.toContain(PASSWORD);
    expect(JSON.stringify(await status(c))).not.toContain(token);
    // a new password signs the account out everywhere
    await s.accounts.updateUser('sam', { password: `${PASSWORD} 2` });
    const out = await syncError(c);
    expect(out).toEqual({ code: 'UNAUTHENTICATED', message: 'Signed out: sign in again in Settings → Shared server' });
    expect(await status(c)).toMatchObject({ state: 'error', lastError: out.message });
    expect(c.secrets.get('sync.sessionToken')).toBeNull();
    await call(c, 'sync.connect', { server: s.server.url, username: 'sam', password: `${PASSWORD} 2` });
    expect((await settled(c)).state).toBe('synced');
  });
});

/** Runs the built CLI without blocking this process (the shared server answers from it). */
function runCliAsync(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    p.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
