/**
 * The entity side of sync on real cores (two data folders, real SQLite files): entities made on A
 * through the app's own contract methods travel as field groups, through a small server kept here
 * (last writer wins by version per group, tombstones), into an empty B, whose answers to the same
 * read methods then equal A's. Edits travel as the changed group only, deletes as tombstones; a
 * local edit the server's later one replaces is reported; secrets and laptop settings never travel.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../app';
import type {
  Alert,
  AlertCheckResult,
  AlertRule,
  Budget,
  MeterSummary,
  Settings,
  SiteDetail,
  SiteSummary,
  Tariff,
  TariffAssignment,
} from '../../../src-shared/contract/types';
import { SHARED_SETTINGS, type EntityChange, type EntityRow } from '../../../src-shared/contract/sync';
import { callAsAdmin, importFiles, makeCore, storedReadings, writeTemp } from '../../../tests/helpers/core';
import { economy7, flatTariff } from '../../../tests/fixtures/tariffs';
import { createEntitySync, groupHash } from './entities';
import type { EntitySync } from './entity-api';

const M1 = '1200050000009';
const M2 = '1200050000106';
const M3 = '1200050000203';
/** The kinds in the order the server can apply them, written out here. */
const KINDS = [
  'site',
  'meter',
  'tariff',
  'tariffVersion',
  'assignment',
  'alertRule',
  'alertState',
  'budget',
  'setting',
];

/** What a server does with pushes, written out plainly: every group is its value and the version that wrote it. */
class TestServer {
  rows = new Map<string, EntityRow>();
  head = 0;

  push(changes: readonly EntityChange[]): number {
    const version = ++this.head;
    for (const c of changes) {
      const k = `${c.type}/${c.key}`;
      if (c.deleted) {
        this.rows.set(k, { type: c.type, key: c.key, version, deleted: true, groups: {} });
        continue;
      }
      const before = this.rows.get(k);
      const groups = before && !before.deleted ? { ...before.groups } : {};
      for (const [g, { value }] of Object.entries(c.groups!))
        groups[g] = { version, value: JSON.parse(JSON.stringify(value)) as Record<string, unknown> };
      this.rows.set(k, { type: c.type, key: c.key, version, deleted: false, groups });
    }
    return version;
  }

  since(version: number): EntityRow[] {
    return [...this.rows.values()].filter((r) => r.version > version).sort((a, b) => a.version - b.version);
  }
}

/** One desktop: its core and its entity sync, pushing and pulling as the engine will (each in one transaction). */
class Desktop {
  cursor = 0;
  constructor(
    readonly core: Core,
    readonly sync: EntitySync,
  ) {}

  call<T>(method: string, args: unknown): Promise<T> {
    return callAsAdmin<T>(this.core, method, args);
  }

  push(server: TestServer): EntityChange[] {
    const changes = this.sync.changes();
    if (changes.length === 0) return changes;
    const version = server.push(changes);
    this.core.sqlite.transaction(() => this.sync.markPushed(changes, { version }))();
    return changes;
  }

  pull(server: TestServer) {
    const rows = server.since(this.cursor);
    this.cursor = server.head;
    return this.core.sqlite.transaction(() => this.sync.apply(rows))();
  }
}

async function desktop(): Promise<Desktop> {
  const core = await makeCore();
  return new Desktop(core, createEntitySync(core.sqlite));
}

/** A copy without the local id. */
function withoutId<T extends { id: number }>(x: T): Omit<T, 'id'> {
  const copy: Partial<T> = { ...x };
  delete copy.id;
  return copy as Omit<T, 'id'>;
}

/** Everything the read methods say, with local ids (site ids, alert ids) replaced by what they are. */
async function view(d: Desktop) {
  const sites = await d.call<SiteSummary[]>('sites.list', {});
  const uidOf = new Map(sites.map((s) => [s.id, s.uid]));
  const meters = await d.call<MeterSummary[]>('meters.list', {});
  const tariffs = await d.call<Tariff[]>('tariffs.list', {});
  const settings = await d.call<Settings>('settings.get', {});
  const assignments: TariffAssignment[][] = [];
  for (const m of meters) assignments.push(await d.call<TariffAssignment[]>('tariffs.assignments', { meter: m.mpan }));
  const closures: { from: string; to: string; note: string | null }[][] = [];
  for (const s of sites)
    closures.push(
      (await d.call<SiteDetail>('sites.get', { id: s.id })).closures.map(({ from, to, note }) => ({ from, to, note })),
    );
  return {
    sites: sites.map((s, i) => ({ ...withoutId(s), closures: closures[i] })),
    meters: meters.map((m) => ({
      mpan: m.mpan,
      label: m.label,
      site: m.site,
      siteUid: m.siteId === null ? null : uidOf.get(m.siteId),
      kind: m.kind,
      fuel: m.fuel,
      supplier: m.supplier,
      capacityKva: m.capacityKva,
      serial: m.serial,
      tags: m.tags,
    })),
    tariffs,
    tariffGets: await Promise.all(tariffs.map((t) => d.call<Tariff>('tariffs.get', { id: t.id }))),
    assignments,
    rules: (await d.call<AlertRule[]>('alerts.rules', {})).map((r) =>
      r.site !== undefined ? { ...r, site: uidOf.get(r.site) } : r,
    ),
    alerts: (await d.call<Alert[]>('alerts.list', { includeSnoozed: true })).map(({ siteId, ...a }) => ({
      ...withoutId(a),
      site: siteId === null ? null : uidOf.get(siteId),
    })),
    // budgets of deleted sites are kept for the trash, each desktop's own
    budgets: (await d.call<Budget[]>('budgets.list', {}))
      .filter((b) => uidOf.has(b.siteId))
      .map((b) => ({ site: uidOf.get(b.siteId), month: b.month, kwh: b.kwh, pence: b.pence })),
    shared: Object.fromEntries(SHARED_SETTINGS.map((k) => [k, settings[k]])),
  };
}

/** Two days of a meter's readings as CSV, kwh a half-hour. */
function csv(meter: string, kwh: number): string {
  const lines = ['MPAN,Timestamp,kWh'];
  for (let t = Date.parse('2025-01-06T00:00:00Z'); t < Date.parse('2025-01-08T00:00:00Z'); t += 1800_000)
    lines.push(`${meter},${new Date(t).toISOString()},${kwh}`);
  return lines.join('\n');
}

describe('entity sync between two desktops', () => {
  let server: TestServer;
  let a: Desktop;
  let b: Desktop;
  let s1: SiteSummary;
  let s2: SiteSummary;
  let firstPush: EntityChange[];

  beforeAll(async () => {
    server = new TestServer();
    a = await desktop();
    b = await desktop();
    await importFiles(a.core, [writeTemp('a.csv', `${csv(M1, 2)}\n${csv(M2, 1).split('\n').slice(1).join('\n')}`)]);
    s1 = await a.call<SiteSummary>('sites.create', {
      name: 'Town Hall',
      postcode: 'ba1 1aa',
      organisation: 'Bath Council',
      address: '1 High St, Bath',
      latitude: 51.38,
      longitude: -2.36,
      floorAreaM2: 1200,
      generation: true,
    });
    s2 = await a.call<SiteSummary>('sites.create', { name: 'Depot' });
    await a.call('sites.update', { id: s1.id, openingHours: 'mon-fri 07:30-19:00; sat 09:00-12:00', regionId: 11 });
    await a.call('sites.addClosure', { siteId: s1.id, from: '2025-08-01', to: '2025-08-15', note: 'Summer' });
    await a.call('sites.addClosure', { siteId: s1.id, from: '2025-04-01', to: '2025-04-08' });
    await a.call('meters.update', {
      meter: M1,
      siteId: s1.id,
      label: 'Main',
      tags: ['school', 'leased'],
      supplier: 'Acme',
      capacityKva: 200,
    });
    await a.call('meters.update', { meter: M2, siteId: s2.id, serial: 'S123' });
    await a.call('tariffs.save', { tariff: economy7() });
    await a.call('tariffs.save', { tariff: economy7({ validFrom: '2025-06-01' }, { day: 33 }) });
    await a.call('tariffs.save', { tariff: flatTariff({ id: 'flat', validFrom: '2025-01-01' }) });
    await a.call('tariffs.assign', { meter: M1, tariff: 'acme-e7-2025', from: '2025-01-01' });
    await a.call('tariffs.assign', { meter: M2, tariff: 'flat', from: '2025-01-01' });
    await a.call('alerts.saveRule', { rule: { id: 'daily', kind: 'daily-kwh-above', meter: M1, kwh: 10 } });
    await a.call('alerts.saveRule', {
      rule: { id: 'site', kind: 'daily-kwh-above', site: s1.id, kwh: 5000, severity: 'critical' },
    });
    await a.call('alerts.saveRule', {
      rule: { id: 'off', kind: 'daily-kwh-above', all: true, kwh: 1, enabled: false },
    });
    const fired = await a.call<AlertCheckResult>('alerts.check', { at: '2025-01-09T09:00:00Z' });
    const daily = fired.fired.filter((x) => x.rule === 'daily');
    expect(daily.map((x) => x.period).sort()).toEqual(['2025-01-06', '2025-01-07']); // 96 kWh a day > 10
    await a.call('alerts.ack', { id: daily[0]!.id, note: 'Known: heating test' });
    await a.call('budgets.set', {
      siteId: s1.id,
      months: [
        { month: '2025-01', kwh: 5000, pence: 150000 },
        { month: '2025-02', kwh: 4500, pence: null },
      ],
    });
    await a.call('settings.update', {
      'notify.email.from': 'energy@example.org',
      'notify.quietHours': '22:00-07:00',
      nightlyRunAt: '03:15',
      weatherApiKey: 'secret-weather-key',
      'notify.email.smtpUrl': 'smtps://user:hunter2@mail.example.org:465',
    });
    firstPush = a.push(server);
  });

  afterAll(async () => {
    await a.core.stop();
    await b.core.stop();
  });

  it('pushes every entity as field groups with base 0, parents first, and nothing secret or local', () => {
    const kinds = firstPush.map((c) => c.type);
    // each kind's changes come after every change of the kinds before it
    expect([...kinds].sort((x, y) => KINDS.indexOf(x) - KINDS.indexOf(y))).toEqual(kinds);
    expect(
      firstPush
        .filter((c) => c.type === 'site')
        .map((c) => c.key)
        .sort(),
    ).toEqual([s1.uid, s2.uid].sort());
    expect(firstPush.filter((c) => c.type === 'meter').map((c) => c.key)).toEqual([M1, M2]);
    expect(firstPush.filter((c) => c.type === 'tariffVersion').map((c) => c.key)).toEqual([
      `acme-e7-2025|${Date.UTC(2025, 0, 1) / 86400000}`,
      `acme-e7-2025|${Date.UTC(2025, 5, 1) / 86400000}`,
      `flat|${Date.UTC(2025, 0, 1) / 86400000}`,
    ]);
    expect(firstPush.every((c) => Object.values(c.groups!).every((g) => g.base === 0))).toBe(true);
    const settingKeys = firstPush.filter((c) => c.type === 'setting').map((c) => c.key);
    expect(settingKeys.sort()).toEqual(['notify.email.from', 'notify.quietHours']);
    const text = JSON.stringify(firstPush);
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('secret-weather-key');
    expect(text).not.toContain('03:15');
    const m1 = firstPush.find((c) => c.type === 'meter' && c.key === M1)!;
    expect(m1.groups!.site!.value).toEqual({ site: s1.uid });
    expect(m1.groups!.details!.value).toMatchObject({ label: 'Main', tags: ['leased', 'school'], capacityKva: 200 });
    const site1 = firstPush.find((c) => c.key === s1.uid)!;
    expect(site1.groups!.details!.value).toMatchObject({ organisation: 'Bath Council', postcode: 'BA1 1AA' });
    expect(site1.groups!.closures!.value).toEqual({
      closures: [
        { from: Date.UTC(2025, 3, 1) / 86400000, to: Date.UTC(2025, 3, 8) / 86400000, note: null },
        { from: Date.UTC(2025, 7, 1) / 86400000, to: Date.UTC(2025, 7, 15) / 86400000, note: 'Summer' },
      ],
    });
    const acked = firstPush.filter((c) => c.type === 'alertState' && c.groups!.state!.value.status === 'acknowledged');
    expect(acked).toHaveLength(1);
    expect(acked[0]!.groups!.state!.value).toMatchObject({ acknowledgedBy: 'test', note: 'Known: heating test' });
    expect(acked[0]!.groups!.alert!.value.meter).toBe(M1);
    // the hash is of the value's canonical JSON, whatever order its keys come in
    const v = m1.groups!.details!.value;
    expect(groupHash(Object.fromEntries(Object.entries(v).reverse()))).toBe(groupHash(v));
  });

  it('has nothing to push once pushed, while nothing changes', () => {
    expect(a.sync.changes()).toEqual([]);
  });

  it('applies everything into an empty desktop, which then reads the same and has nothing to push', async () => {
    const r = b.pull(server);
    expect(r.replaced).toEqual([]);
    expect(r.applied).toBe(server.rows.size);
    expect(r.types).toEqual(KINDS);
    expect(r.meters).toEqual([M1, M2]);
    const [va, vb] = [await view(a), await view(b)];
    expect(vb).toEqual(va);
    expect(vb.meters).toHaveLength(2);
    expect(vb.alerts.filter((x) => x.status === 'acknowledged')).toHaveLength(1);
    expect((await b.call<Settings>('settings.get', {})).nightlyRunAt).not.toBe('03:15');
    expect(b.sync.changes()).toEqual([]);
    // a page applied twice changes nothing
    expect(b.core.sqlite.transaction(() => b.sync.apply(server.since(0)))()).toMatchObject({
      applied: 0,
      replaced: [],
    });
  });

  it('sends an edit on B as only the changed group, based on the version B had', async () => {
    const depot = (await b.call<SiteSummary[]>('sites.list', {})).find((s) => s.uid === s2.uid)!;
    await b.call('sites.update', { id: depot.id, name: 'Depot North' });
    const changes = b.sync.changes();
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({ type: 'site', key: s2.uid });
    expect(Object.keys(changes[0]!.groups!)).toEqual(['details']);
    expect(changes[0]!.groups!.details!.base).toBe(server.rows.get(`site/${s2.uid}`)!.groups.details!.version);
    expect(changes[0]!.groups!.details!.value.name).toBe('Depot North');
    b.push(server);
    const r = a.pull(server);
    expect(r).toMatchObject({ applied: 1, types: ['site'], replaced: [] });
    expect((await view(a)).sites.find((s) => s.uid === s2.uid)!.name).toBe('Depot North');
    expect(a.sync.changes()).toEqual([]);
  });

  it('sends deletions as tombstones, children before parents, and applies them', async () => {
    await a.call('budgets.set', { siteId: s2.id, months: [{ month: '2025-03', kwh: 100, pence: 2000 }] });
    a.push(server);
    b.pull(server);
    await importFiles(b.core, [writeTemp('b.csv', csv(M2, 1))]);
    expect(storedReadings(b.core).filter((r) => r[0] === M2)).toHaveLength(96);
    expect(b.sync.changes()).toEqual([]);
    await a.call('tariffs.unassign', { meter: M2, from: '2025-01-01' });
    await a.call('tariffs.delete', { id: 'flat' });
    await a.call('alerts.deleteRule', { id: 'off' });
    await a.call('sites.remove', { id: s2.id });
    await a.call('budgets.set', { siteId: s1.id, months: [{ month: '2025-02', kwh: null, pence: null }] });
    await a.call('settings.update', { 'notify.quietHours': null });
    const changes = a.push(server);
    const tombstones = changes.filter((c) => c.deleted).map((c) => `${c.type}/${c.key}`);
    const flatFrom = Date.UTC(2025, 0, 1) / 86400000;
    expect(tombstones).toEqual([
      'setting/notify.quietHours',
      // not the deleted site's budget: the app keeps it, for the trash
      `budget/${s1.uid}|2025-02`,
      'alertRule/off',
      `assignment/${M2}|${flatFrom}`,
      `tariffVersion/flat|${flatFrom}`,
      'tariff/flat',
      `site/${s2.uid}`,
    ]);
    // the meter left without its site is an edit of its site group, sent before the tombstones
    expect(changes.find((c) => c.key === M2)).toEqual({
      type: 'meter',
      key: M2,
      groups: { site: { base: expect.any(Number) as number, value: { site: null } } },
    });
    expect(changes.findIndex((c) => c.key === M2)).toBeLessThan(changes.findIndex((c) => c.deleted));
    const r = b.pull(server);
    expect(r.replaced).toEqual([]);
    expect(r.meters).toEqual([M2]);
    // the site went; its meter and the meter's readings stayed
    expect(storedReadings(b.core).filter((x) => x[0] === M2)).toHaveLength(96);
    expect((await b.call<SiteSummary[]>('sites.list', {})).map((s) => s.uid)).toEqual([s1.uid]);
    expect(await view(b)).toEqual(await view(a));
    expect((await view(b)).tariffs.map((t) => t.id)).toEqual(['acme-e7-2025']);
    expect((await view(b)).budgets.map((x) => x.month)).toEqual(['2025-01']);
    const kept = (d: Desktop) => d.core.sqlite.prepare('SELECT month, kwh FROM budgets ORDER BY month').all();
    expect(kept(b)).toEqual([
      { month: '2025-01', kwh: 5000 },
      { month: '2025-03', kwh: 100 },
    ]);
    expect(kept(b)).toEqual(kept(a));
    expect((await view(b)).shared['notify.quietHours']).toBeNull();
    expect(b.sync.changes()).toEqual([]);
    expect(a.sync.changes()).toEqual([]);
  });

  it("replaces a local edit not yet pushed with the server's later one, and says so", async () => {
    await b.call('meters.update', { meter: M1, label: 'Edited on B' });
    await a.call('meters.update', { meter: M1, label: 'Edited on A' });
    a.push(server);
    const r = b.pull(server);
    expect(r.replaced).toHaveLength(1);
    expect(r.replaced[0]).toMatchObject({
      type: 'meter',
      key: M1,
      group: 'details',
      local: { label: 'Edited on B' },
      server: { label: 'Edited on A' },
    });
    expect(r.meters).toEqual([M1]);
    expect((await view(b)).meters.find((m) => m.mpan === M1)!.label).toBe('Edited on A');
    expect(b.sync.changes()).toEqual([]);
  });

  it("keeps a local edit of another group of the same entity while applying the server's", async () => {
    const onB = (await b.call<SiteSummary[]>('sites.list', {})).find((s) => s.uid === s1.uid)!;
    await b.call('sites.update', { id: onB.id, name: 'Guildhall' });
    await a.call('sites.update', { id: s1.id, openingHours: 'mon-sun 06:00-22:00' });
    a.push(server);
    const r = b.pull(server);
    expect(r).toMatchObject({ applied: 1, types: ['site'], replaced: [] });
    const site = (await b.call<SiteSummary[]>('sites.list', {})).find((s) => s.uid === s1.uid)!;
    expect(site).toMatchObject({ name: 'Guildhall', openingHours: 'mon-sun 06:00-22:00' });
    const changes = b.sync.changes();
    expect(changes.map((c) => [c.key, Object.keys(c.groups!)])).toEqual([[s1.uid, ['details']]]);
    b.push(server);
    a.pull(server);
    expect(await view(a)).toEqual(await view(b));
  });

  it("reports a person's acknowledgement that lost, not the findings every desktop makes alike", async () => {
    // C judges the same rule on the same readings an hour later than A did, and acknowledges both alerts
    const core = await makeCore({ clock: { now: () => Date.now() + 3600_000 } });
    const c = new Desktop(core, createEntitySync(core.sqlite));
    try {
      await importFiles(c.core, [writeTemp('c.csv', csv(M1, 2))]);
      await c.call('alerts.saveRule', { rule: { id: 'daily', kind: 'daily-kwh-above', meter: M1, kwh: 10 } });
      const fired = await c.call<AlertCheckResult>('alerts.check', { at: '2025-01-09T09:00:00Z' });
      expect(fired.fired).toHaveLength(2);
      for (const x of fired.fired) await c.call('alerts.ack', { id: x.id, note: 'Seen on C' });
      const r = c.pull(server);
      const lostAlerts = r.replaced.filter((x) => x.type === 'alertState');
      expect(lostAlerts.map((x) => x.group)).toEqual(['state', 'state']);
      expect(lostAlerts.every((x) => (x.local as { note: string }).note === 'Seen on C')).toBe(true);
      const mine = (await c.call<Alert[]>('alerts.list', { rule: 'daily', includeSnoozed: true })).map((x) => x.note);
      expect(mine.sort()).toEqual(['Known: heating test', null]);
    } finally {
      await c.core.stop();
    }
  });

  it('keeps rows whose parent has not arrived and applies them when it does', async () => {
    const c = await desktop();
    try {
      const rows = server.since(0);
      const children = rows.filter((r) => ['assignment', 'tariffVersion', 'budget', 'meter'].includes(r.type));
      const parents = rows.filter((r) => !children.includes(r));
      const first = c.core.sqlite.transaction(() => c.sync.apply(children))();
      expect(first.types).toEqual(['meter']); // meters are made; their site, versions, assignments and budgets wait
      expect(c.sync.changes()).toEqual([]);
      c.core.sqlite.transaction(() => c.sync.apply(parents))();
      expect(await view(c)).toEqual(await view(a));
      expect(c.sync.changes()).toEqual([]);
    } finally {
      await c.core.stop();
    }
  });

  it("refuses a server row it cannot write with a clear error, and the caller's transaction keeps nothing", async () => {
    const c = await desktop();
    try {
      const rows: EntityRow[] = [
        {
          type: 'tariff',
          key: 't1',
          version: 5,
          deleted: false,
          groups: { details: { version: 5, value: { name: 'T', regions: null } } },
        },
        ...server.since(0).filter((r) => r.type === 'site'),
      ];
      rows.reverse();
      expect(() => c.core.sqlite.transaction(() => c.sync.apply(rows))()).toThrow(
        /The server's tariff "t1" has no valid supplier in details/,
      );
      expect(await c.call<SiteSummary[]>('sites.list', {})).toEqual([]);
      expect(c.core.sqlite.prepare('SELECT count(*) FROM sync_shadow').pluck().get()).toBe(0);
    } finally {
      await c.core.stop();
    }
  });

  it("sends a meter's deletion with its alerts' and assignments', and applies it", async () => {
    await a.call('meters.remove', { meter: M1 });
    const changes = a.push(server);
    const day = Date.UTC(2025, 0, 1) / 86400000;
    expect(changes.map((c) => [c.type, c.deleted ? 'deleted' : Object.keys(c.groups!)])).toEqual([
      ['alertState', 'deleted'],
      ['alertState', 'deleted'],
      ['assignment', 'deleted'],
      ['meter', 'deleted'],
    ]);
    expect(changes.slice(2).map((c) => c.key)).toEqual([`${M1}|${day}`, M1]);
    const r = b.pull(server);
    expect(r).toMatchObject({ applied: 4, types: ['meter', 'assignment', 'alertState'], meters: [M1], replaced: [] });
    expect((await view(b)).meters.map((m) => m.mpan)).toEqual([M2]);
    expect(await view(b)).toEqual(await view(a));
    expect(b.sync.changes()).toEqual([]);
  });

  it('never removes what this desktop made for a tombstone it never had from the server', async () => {
    const c = await desktop();
    try {
      await importFiles(c.core, [writeTemp('c.csv', csv(M3, 1))]);
      const rows: EntityRow[] = [{ type: 'meter', key: M3, version: 99, deleted: true, groups: {} }];
      expect(c.core.sqlite.transaction(() => c.sync.apply(rows))()).toMatchObject({ applied: 0, meters: [] });
      expect((await c.call<MeterSummary[]>('meters.list', {})).map((m) => m.mpan)).toEqual([M3]);
      expect(c.sync.changes().map((x) => x.key)).toEqual([M3]);
    } finally {
      await c.core.stop();
    }
  });
});
