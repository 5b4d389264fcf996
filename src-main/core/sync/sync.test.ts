/**
 * Desktop sync end to end, against the real thing: a PostgreSQL 15 this test starts, the shared
 * server (startSharedServer, createSharedSync, its accounts) on 127.0.0.1, and desktop data folders
 * (real cores on real SQLite files) syncing through the contract's sync.* methods. Readings are
 * compared half-hour by half-hour (storedReadings) and against values read from the imported file;
 * entities through the app's read methods.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
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
    expect(r.pushed).toBeGreaterThanOrEqual(days);
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

  it("pulls on a viewer's desktop and refuses its push: an error, the changes waiting, nothing applied", async () => {
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
    const refused = await syncError(v);
    expect(refused.code).toBe('FORBIDDEN');
    expect(refused.message).toContain('signed in as vic, a viewer');
    const st = await status(v);
    expect(st).toMatchObject({ state: 'error', user: { name: 'vic', role: 'viewer' } });
    expect(st.waiting).toBeGreaterThanOrEqual(1);
    expect(st.lastError).toBe(refused.message);
    const clientId = clientIdOf(v);
    expect((await ledger(s, clientId)).mutations).toBe(0);
    // it still pulled: the tariff made since is here, and its own readings reached no one
    expect((await entities(v)).tariffs.map((t) => t.id)).toEqual(['acme-e7-2025']);
    await syncNow(a);
    expect(readings(a).some(([m]) => m === '1200050000203')).toBe(false);
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
