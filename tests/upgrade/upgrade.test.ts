/**
 * Upgrading a database made by the previous release (row-per-half-hour `readings`, migrations
 * 0000–0005) to the packed readings store: every reading, flag, gas volume and writing job is
 * carried over; day summaries match the old daily roll-ups; a failed upgrade leaves the file as
 * it was and says why. The fixture is described in tests/fixtures/upgrade/README.md.
 */
import Database from 'better-sqlite3';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../../src-main/core/app';
import type { MigrationHooks } from '../../src-main/core/db/migrate';
import { openDb, MIGRATION_HOOKS } from '../../src-main/core/db/open';
import { dbFile } from '../../src-main/core/db/paths';
import { dayFromDate, dayHalfHours, dayStartUtc } from '../../src-shared/domain/periods';
import { FIXTURES, MIGRATIONS, importFiles, makeCore, tempDir } from '../helpers/core';

const FIXTURE = path.join(FIXTURES, 'upgrade', 'release-0.1.0', 'eclectyc.sqlite');
/** Tables the upgrade drops (0007, and 0005's leftovers). */
const DROPPED = ['readings', 'daily_aggregates', 'aggregation_dirty', 'comparison_snapshots'];
/** The migrations written after release 0.1.0 (which had 0000–0005): what upgrading it applies. */
const SINCE_RELEASE = (
  JSON.parse(fs.readFileSync(path.join(MIGRATIONS, 'meta', '_journal.json'), 'utf8')) as {
    entries: { idx: number; tag: string }[];
  }
).entries
  .filter((e) => e.idx >= 6)
  .map((e) => e.tag);

let core: Core | null = null;
afterEach(async () => {
  await core?.stop();
  core = null;
});

const sha256 = (file: string): string => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

/** A data folder holding a copy of the fixture. */
function copyFixture(): { dir: string; file: string } {
  const dir = tempDir('eclectyc-upgrade-');
  const file = dbFile(dir);
  fs.copyFileSync(FIXTURE, file);
  return { dir, file };
}

type Reading = [meter: string, ts: number, kwh: number | null, quality: number, job: number, volume: number | null];

/** Everything the previous release stored, read straight from its tables. */
function readOld(file: string) {
  const db = new Database(file, { readonly: true });
  try {
    const readings = (
      db
        .prepare(
          'SELECT m.identifier, r.ts, r.kwh, r.quality, r.batch_id, r.volume_m3 FROM readings r JOIN meters m ON m.id = r.meter_id ORDER BY m.identifier, r.ts',
        )
        .raw()
        .all() as [string, number, number | null, number, number | null, number | null][]
    ).map(([m, ts, kwh, q, batch, vol]): Reading => [m, ts, kwh, kwh === null ? 2 : q === 1 ? 1 : 0, batch ?? 0, vol]);
    const byDay = db
      .prepare('SELECT meter_id, day, ts, kwh, quality FROM readings ORDER BY meter_id, day, ts')
      .raw()
      .all() as [number, number, number, number | null, number][];
    const daily = db.prepare('SELECT * FROM daily_aggregates ORDER BY meter_id, day').all() as {
      meter_id: number;
      day: number;
      kwh: number;
      min: number | null;
      max: number | null;
      actual: number;
      estimated: number;
      half_hours: number;
    }[];
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
      .pluck()
      .all() as string[];
    const counts = Object.fromEntries(
      tables.map((t) => [t, db.prepare(`SELECT count(*) FROM "${t}"`).pluck().get() as number]),
    );
    const jobColumns = (db.prepare("SELECT name FROM pragma_table_info('import_jobs')").pluck().all() as string[])
      .map((c) => `"${c}"`)
      .join(', ');
    const jobs = db.prepare(`SELECT ${jobColumns} FROM import_jobs ORDER BY id`).all();
    const meters = db.prepare('SELECT * FROM meters ORDER BY id').all();
    return { readings, byDay, daily, tables, counts, jobColumns, jobs, meters };
  } finally {
    db.close();
  }
}

/** Every stored half-hour through the store's read path, in the same shape and order as readOld. */
function readNew(c: Core): Reading[] {
  const out: Reading[] = [];
  const meters = c.sqlite.prepare('SELECT id, identifier FROM meters ORDER BY identifier').raw().all() as [
    number,
    string,
  ][];
  for (const [id, identifier] of meters) {
    const d = c.readings.readDays(id, 0, 60000, { volumes: true, writers: true });
    for (let i = 0; i < d.days.length; i++) {
      const start = dayStartUtc(d.days[i]!);
      for (let k = d.offsets[i]!; k < d.offsets[i + 1]!; k++) {
        if (d.quality[k] === 3) continue;
        const v = d.values[k]!;
        const vol = d.volumes![k]!;
        out.push([
          identifier,
          start + (k - d.offsets[i]!) * 1800,
          v === v ? v : null,
          d.quality[k]!,
          d.writers![k]!,
          vol === vol ? vol : null,
        ]);
      }
    }
  }
  return out;
}

describe('upgrade from release 0.1.0 (row per half-hour)', () => {
  it('the fixture is what its README says', () => {
    const old = readOld(copyFixture().file); // a copy: opening the committed file would leave -shm/-wal files beside it
    const r = old.readings;
    expect(r).toHaveLength(783);
    expect(r.filter((x) => x[3] === 1)).toHaveLength(15);
    expect(r.filter((x) => x[3] === 2)).toHaveLength(5);
    expect(r.filter((x) => x[5] !== null)).toHaveLength(95);
    expect(old.counts.import_jobs).toBe(12);
    expect((old.jobs as { status: string }[]).filter((j) => j.status === 'cancelled')).toHaveLength(2);
    expect(old.tables).toEqual(expect.arrayContaining(DROPPED));
    expect(old.tables).not.toContain('meter_days');
  });

  it('carries over every reading, flag, gas volume and writing job, and the day summaries match the old daily roll-ups', async () => {
    const { dir, file } = copyFixture();
    const old = readOld(file);
    core = await makeCore({ dataDir: dir });
    const c = core;

    // the old tables are gone, the store's are there, both migrations recorded
    const tables = c.sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[];
    for (const t of DROPPED) expect(tables).not.toContain(t);
    expect(tables).toEqual(
      expect.arrayContaining([
        'meter_days',
        'day_stats',
        'readings_undo',
        'readings_job_spans',
        'readings_meta',
        'readings_removed',
      ]),
    );
    expect(c.sqlite.prepare('SELECT count(*) FROM __drizzle_migrations').pluck().get()).toBe(
      old.counts.__drizzle_migrations! + SINCE_RELEASE.length,
    );

    // reading by reading: value, quality (kWh NULL = missing), gas volume and writing job
    const now = readNew(c);
    expect(now).toHaveLength(783);
    expect(now).toEqual(old.readings);

    // day summaries against the old daily_aggregates, and against the old readings themselves
    const stats = c.sqlite
      .prepare(
        'SELECT meter_id, day, half_hours, kwh, present, estimated, missing, min, max, peak_slot FROM day_stats ORDER BY meter_id, day',
      )
      .all() as {
      meter_id: number;
      day: number;
      half_hours: number;
      kwh: number;
      present: number;
      estimated: number;
      missing: number;
      min: number | null;
      max: number | null;
      peak_slot: number | null;
    }[];
    expect(stats.map((s) => [s.meter_id, s.day])).toEqual(old.daily.map((d) => [d.meter_id, d.day]));
    for (const [i, d] of old.daily.entries()) {
      const s = stats[i]!;
      const rows = old.byDay.filter((r) => r[0] === d.meter_id && r[1] === d.day);
      const withValue = rows.filter((r) => r[3] !== null);
      const max = Math.max(...withValue.map((r) => r[3]!));
      const peakTs = withValue.find((r) => r[3] === max)![2];
      expect(
        { ...s, kwhBits: Buffer.from(new Float64Array([s.kwh]).buffer).toString('hex') },
        `meter ${d.meter_id} day ${d.day}`,
      ).toEqual({
        meter_id: d.meter_id,
        day: d.day,
        half_hours: d.half_hours,
        kwh: d.kwh,
        // the same double as the old SQL total(), to the last bit
        kwhBits: Buffer.from(new Float64Array([d.kwh]).buffer).toString('hex'),
        present: d.actual + d.estimated,
        estimated: d.estimated,
        missing: rows.length - withValue.length,
        min: d.min,
        max: d.max,
        peak_slot: (peakTs - dayStartUtc(d.day)) / 1800,
      });
    }
    const ids = (old.meters as { id: number }[]).map((m) => m.id);
    const sums = c.readings.summaries(ids, 0, 60000);
    expect(sums.count).toBe(old.daily.length);
    expect(c.readings.total(ids, 0, 60000).present).toBe(783 - 5);

    // the clock-change days kept their 46 and 50 half-hours
    const spring = dayFromDate(2025, 3, 30);
    const autumn = dayFromDate(2025, 10, 26);
    const meterOf = (mpan: string) =>
      c.sqlite.prepare('SELECT id FROM meters WHERE identifier = ?').pluck().get(mpan) as number;
    const sp = c.readings.readDays(meterOf('2336533093112'), spring, spring + 1, { writers: true });
    expect([Array.from(sp.days), sp.offsets[1]]).toEqual([[spring], 46]);
    expect(Array.from(sp.quality).filter((q) => q === 3)).toHaveLength(0); // all 46 were in the file
    const au = c.readings.readDays(meterOf('1012477457919'), autumn, autumn + 1);
    expect([Array.from(au.days), au.offsets[1]]).toEqual([[autumn], 50]);
    for (const s of stats) expect(s.half_hours).toBe(dayHalfHours(s.day));
    expect(stats.filter((s) => s.half_hours !== 48).map((s) => [s.day, s.half_hours])).toEqual(
      expect.arrayContaining([
        [spring, 46],
        [autumn, 50],
      ]),
    );
    // the replaced half-hour keeps its later writer in a mixed-writer day
    expect(now.find((r) => r[0] === '2336533093112' && r[1] === Date.parse('2025-03-29T10:00:00Z') / 1000)).toEqual([
      '2336533093112',
      1743242400,
      9.875,
      0,
      10,
      null,
    ]);

    // import jobs, meters and every other table unchanged
    expect(c.sqlite.prepare(`SELECT ${old.jobColumns} FROM import_jobs ORDER BY id`).all()).toEqual(old.jobs);
    // (later releases' columns, serial and tags, take their defaults)
    expect(c.sqlite.prepare('SELECT * FROM meters ORDER BY id').all()).toEqual(
      (old.meters as Record<string, unknown>[]).map((m) => ({ ...m, serial: null, tags: '[]' })),
    );
    for (const [t, n] of Object.entries(old.counts)) {
      if (DROPPED.includes(t) || t === '__drizzle_migrations') continue;
      expect([t, c.sqlite.prepare(`SELECT count(*) FROM "${t}"`).pluck().get()]).toEqual([t, n]);
    }
    expect(c.sqlite.pragma('foreign_key_check')).toEqual([]);
    expect(c.sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
    // summaries were written with the days: a rebuild finds nothing to change
    expect(c.readings.rebuildSummaries().rewritten).toBe(0);

    // a backup of the old file was taken first
    const backups = fs.readdirSync(path.join(dir, 'backups'));
    expect(backups).toEqual([expect.stringMatching(/^eclectyc\.sqlite\..*\.bak$/)]);
    const bak = new Database(path.join(dir, 'backups', backups[0]!), { readonly: true });
    expect(bak.prepare('SELECT count(*) FROM readings').pluck().get()).toBe(783);
    bak.close();
  });

  it('re-importing the same fixture files afterwards finds every reading a duplicate and changes nothing', async () => {
    const { dir } = copyFixture();
    core = await makeCore({ dataDir: dir });
    const before = readNew(core);
    const seq = core.readings.currentSeq();
    const [autumn, banes] = await importFiles(
      core,
      [
        path.join(FIXTURES, 'csv', 'long-autumn-with-errors.csv'),
        path.join(FIXTURES, 'public', 'wide-hh-banes-energysparks.csv'),
      ],
      false,
      { reimport: true },
    );
    // the Octopus file names no meter: the previous release imported it for 1012477457919 (job 7's meter_override)
    const { fileId } = await core.files.storePath(
      path.join(FIXTURES, 'public', 'octopus-consumption-electricity-2020-05.json'),
    );
    const { jobIds } = core.imports.enqueue([fileId], { meter: '1012477457919', reimport: true });
    await core.imports.drain((id) => id === jobIds[0]);
    const octopus = core.imports.get(jobIds[0]!);
    expect(autumn).toMatchObject({
      status: 'done',
      readingsImported: 0,
      duplicates: 14,
      conflicts: 0,
      rowsRejected: 5,
      metersCreated: [],
    });
    expect(banes).toMatchObject({
      status: 'done',
      readingsImported: 0,
      duplicates: 240,
      conflicts: 0,
      metersCreated: [],
    });
    expect(octopus).toMatchObject({
      status: 'done',
      readingsImported: 0,
      duplicates: 99,
      conflicts: 0,
      metersCreated: [],
    });
    expect(readNew(core)).toEqual(before);
    expect(core.readings.changedSince(seq)).toEqual([]);
  });

  it("an upgraded job can still be undone exactly: its readings go, other jobs' readings on the same meter stay", async () => {
    const { dir, file } = copyFixture();
    // a reading with no recorded job (batch_id is nullable) first in a day job 7 wrote the rest of
    const db = new Database(file);
    expect(
      db
        .prepare(
          'UPDATE readings SET batch_id = NULL WHERE meter_id = 1 AND ts = (SELECT min(ts) FROM readings WHERE meter_id = 1 AND batch_id = 7)',
        )
        .run().changes,
    ).toBe(1);
    db.close();
    const old = readOld(file);
    expect(old.readings.filter((r) => r[4] === 0)).toHaveLength(1);
    core = await makeCore({ dataDir: dir });
    const c = core;
    // job 7 (Octopus JSON) and job 1 (the autumn file) both wrote meter 1012477457919
    expect(c.sqlite.transaction(() => c.readings.undoJob(7))().days).toBeGreaterThan(0);
    expect(readNew(c)).toEqual(old.readings.filter((r) => r[4] !== 7));
  });
});

describe('a failed upgrade', () => {
  it('leaves the file exactly as it was and says why (a reading not on a half-hour of its day)', async () => {
    const { dir, file } = copyFixture();
    const db = new Database(file);
    const day = dayFromDate(2025, 3, 29);
    const bad = dayStartUtc(day) + 10 * 3600 + 15 * 60; // 10:15, not a half-hour start
    db.prepare('INSERT INTO readings (meter_id, day, ts, kwh, quality, batch_id) VALUES (8, ?, ?, 1.5, 0, 8)').run(
      day,
      bad,
    );
    db.close();
    const bytes = sha256(file);
    const err = await makeCore({ dataDir: dir }).then(
      () => null,
      (e: Error) => e,
    );
    expect(err).toBeInstanceOf(Error);
    expect(err!.message).toMatch(
      /^the database could not be upgraded and is unchanged \(a copy is also at .*backups.*\.bak\): /,
    );
    expect(err!.message).toContain(
      'meter 8 has a reading at 2025-03-29T10:15:00.000Z that is not a half-hour of UK day',
    );
    expect(sha256(file)).toBe(bytes);
    expect(fs.existsSync(`${file}-wal`) ? fs.statSync(`${file}-wal`).size : 0).toBe(0);
    const after = new Database(file, { readonly: true });
    const tables = after.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all();
    expect(tables).toEqual(expect.arrayContaining(DROPPED));
    expect(tables).not.toContain('meter_days');
    expect(tables).not.toContain('day_stats');
    expect(after.prepare('SELECT count(*) FROM readings').pluck().get()).toBe(784);
    expect(after.prepare('SELECT count(*) FROM __drizzle_migrations').pluck().get()).toBe(6);
    after.close();
    // the copy the message names is there
    const copy = /a copy is also at (.*?\.bak)\)/.exec(err!.message)![1]!;
    expect(fs.existsSync(copy)).toBe(true);
  });

  it('rolls back everything, the conversion included, when any later step fails', async () => {
    for (const hooks of <MigrationHooks[]>[
      {
        '0006_readings_store': () => {
          throw new Error('simulated failure in the conversion');
        },
      },
      {
        ...MIGRATION_HOOKS,
        '0007_drop_row_per_half_hour': () => {
          throw new Error('simulated failure after the conversion');
        },
      },
    ]) {
      const { file } = copyFixture();
      const err = await openDb(file, MIGRATIONS, hooks).then(
        () => null,
        (e: Error) => e,
      );
      expect(err?.message).toMatch(
        /^the database could not be upgraded and is unchanged \(a copy is also at .*\): simulated failure/,
      );
      expect(sha256(file)).toBe(sha256(FIXTURE));
      const after = new Database(file, { readonly: true });
      expect(
        after
          .prepare("SELECT count(*) FROM sqlite_master WHERE name IN ('meter_days', 'day_stats', 'readings_meta')")
          .pluck()
          .get(),
      ).toBe(0);
      expect(after.prepare('SELECT count(*) FROM readings').pluck().get()).toBe(783);
      after.close();
      // and it upgrades cleanly afterwards
      const ok = await openDb(file, MIGRATIONS);
      expect(ok.applied).toEqual(SINCE_RELEASE);
      expect(ok.applied.slice(0, 2)).toEqual(['0006_readings_store', '0007_drop_row_per_half_hour']);
      expect(ok.sqlite.prepare('SELECT total(present + missing) FROM day_stats').pluck().get()).toBe(783);
      ok.sqlite.close();
    }
  });
});
