/**
 * bench:tables harness (bundled by scripts/bench/tables.mjs): a portfolio of N meters on N/20 sites
 * with a year of half-hours to yesterday, written straight through the readings store (no files to
 * parse: a few seconds per thousand meters), suppliers with default tariffs, tags, open alerts and a
 * source that fed a share of the meters; then meters.table (first call, which prices every meter, and
 * again), sites.table, and meters.bulkUpdate on every meter, through dispatch as a client calls them.
 */
import { createCore } from '../../src-main/core/app';
import { silentLogger } from '../../src-main/core/events';
import { localCaller } from '../../src-main/core/rpc/caller';
import { dispatch } from '../../src-main/core/rpc/dispatch';
import { mpanCheckDigit } from '../../src-shared/domain/meter-id';
import { dayHalfHours, isoDay, localDayOf } from '../../src-shared/domain/periods';

const ms = (t0: bigint): number => Number(process.hrtime.bigint() - t0) / 1e6;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** The i-th bench MPAN: distributor 10–23, a serial, its check digit. */
export function benchMpan(i: number): string {
  const core = `${10 + (i % 14)}${String(1_000_000_000 + i).slice(-10)}`;
  return core + mpanCheckDigit(core);
}

const TARIFFS = {
  tariffs: ['electricity', 'gas'].flatMap((fuel) =>
    [0, 1, 2].map((k) => ({
      id: `bench-${fuel}-${k}`,
      name: `Bench ${fuel} ${k}`,
      supplier: `Supplier ${k}`,
      fuel,
      default: true,
      validFrom: '2000-01-01',
      validTo: null,
      standingChargePencePerDay: 40 + k,
      vatRate: 0.2,
      cclPencePerKwh: 'statutory',
      halfHourlyPrices: null,
      rates:
        k === 1
          ? [
              { name: 'Night', pencePerKwh: 14, from: '00:30', to: '07:30', days: ['all'] },
              { name: 'Day', pencePerKwh: 29, from: '07:30', to: '00:30', days: ['all'] },
            ]
          : [{ pencePerKwh: 24 + k }],
    })),
  ),
};

/**
 * Writes the portfolio into a fresh data folder: `meters` meters (one in ten gas), a year of
 * half-hours each to yesterday, N/20 sites, suppliers and tags, open alerts on one meter in 25, and
 * a source whose import wrote one meter in 4. Returns how long it took.
 */
export async function build(
  dataDir: string,
  migrationsDir: string,
  meters: number,
  days: number,
): Promise<Record<string, number>> {
  const t0 = process.hrtime.bigint();
  const core = await createCore({ dataDir, migrationsDir, log: silentLogger });
  try {
    const db = core.sqlite;
    const now = Math.floor(Date.now() / 1000);
    const org = Number(db.prepare("INSERT INTO organisations (name) VALUES ('My portfolio')").run().lastInsertRowid);
    const addSite = db.prepare('INSERT INTO sites (organisation_id, name, postcode) VALUES (?, ?, ?)');
    const addMeter = db.prepare(
      'INSERT INTO meters (identifier, kind, fuel, site_id, label, supplier, capacity_kva, tags) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const siteIds: number[] = [];
    const ids: number[] = [];
    db.transaction(() => {
      for (let s = 0; s < Math.max(1, Math.round(meters / 20)); s++)
        siteIds.push(Number(addSite.run(org, `Bench site ${s + 1}`, `BA${(s % 9) + 1} ${s % 10}AB`).lastInsertRowid));
      for (let i = 0; i < meters; i++) {
        const gas = i % 10 === 9;
        const id = gas ? String(9_000_000_000 + i) : benchMpan(i);
        ids.push(
          Number(
            addMeter.run(
              id,
              gas ? 'mprn' : 'mpan',
              gas ? 'gas' : 'electricity',
              i % 7 === 0 ? null : siteIds[i % siteIds.length]!,
              `Meter ${i + 1}`,
              i % 11 === 0 ? null : `Supplier ${i % 3}`,
              i % 5 === 0 ? 69 : null,
              JSON.stringify(i % 3 === 0 ? ['school'] : i % 3 === 1 ? ['leased', 'office'] : []),
            ).lastInsertRowid,
          ),
        );
      }
    })();
    core.tariffStore.importFile(JSON.stringify(TARIFFS), 'bench-tariffs.json');
    // a source, and one import job of it that wrote a quarter of the meters
    const file = 'b'.repeat(64);
    db.prepare(
      "INSERT INTO stored_files (id, original_name, path, bytes, sha256) VALUES (?, 'bench.csv', 'bench.csv', 1, ?)",
    ).run(file, file);
    const source = Number(
      db
        .prepare(
          "INSERT INTO sources (name, kind, config, created_at, updated_at) VALUES ('Data collector SFTP', 'sftp', '{}', ?, ?)",
        )
        .run(now, now).lastInsertRowid,
    );
    const job = Number(
      db
        .prepare(
          "INSERT INTO import_jobs (batch_id, file_id, file_name, status, source_id, created_at) VALUES ('bench', ?, 'bench.csv', 'done', ?, ?)",
        )
        .run(file, source, now).lastInsertRowid,
    );
    // a year of half-hours to yesterday: a daily shape per meter, a little noise
    const last = localDayOf(now) - 1;
    const first = last - days + 1;
    const values = new Float64Array(50);
    const quality = new Uint8Array(50);
    const writers = new Int32Array(50);
    let seed = 7;
    const rnd = (): number => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    for (let i = 0; i < ids.length; i++) {
      const base = 0.2 + rnd() * 3;
      writers.fill(i % 4 === 0 ? job : 0);
      db.transaction(() => {
        const seq = core.readings.nextSeq();
        for (let d = first; d <= last; d++) {
          const n = dayHalfHours(d);
          for (let k = 0; k < n; k++) values[k] = base * (1 + 0.6 * Math.sin(k / 7.6)) + rnd() * 0.3;
          core.readings.putDay(ids[i]!, d, values, quality, null, writers, seq);
        }
        if (i % 4 === 0) core.readings.addJobSpan(job, ids[i]!, first, last);
      })();
    }
    // open alerts on one meter in 25
    const alert = db.prepare(
      "INSERT INTO alerts (rule_id, kind, subject, period, severity, status, fired_at, message, meter_id, site_id, channels) VALUES ('bench', 'daily-kwh-above', ?, ?, 'warning', 'open', ?, 'Bench alert', ?, NULL, '[]')",
    );
    db.transaction(() => {
      for (let i = 0; i < ids.length; i += 25) alert.run(String(ids[i]), isoDay(last), now, ids[i]!);
    })();
    return { buildMs: ms(t0), meters, days, sites: siteIds.length };
  } finally {
    await core.stop();
  }
}

/** Times the table methods and a bulk update on every meter, as a client calls them (through dispatch). */
export async function run(dataDir: string, migrationsDir: string): Promise<Record<string, number>> {
  const core = await createCore({ dataDir, migrationsDir, log: silentLogger });
  const caller = localCaller('cli');
  const call = async (method: string, args: unknown): Promise<unknown> => {
    const r = await dispatch(core.handlers, method, args, caller);
    if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
    return r.value;
  };
  const timed = async (method: string, args: unknown): Promise<[number, unknown]> => {
    const t0 = process.hrtime.bigint();
    const v = await call(method, args);
    return [ms(t0), v];
  };
  try {
    const out: Record<string, number> = {};
    const [firstMs, first] = await timed('meters.table', {});
    const rows = (first as { rows: { mpan: string; fuel: string; costMonthPence: number | null }[] }).rows;
    out.meters = rows.length;
    out.priced = rows.filter((r) => r.costMonthPence !== null).length;
    out.tableFirstMs = firstMs;
    const again: number[] = [];
    for (let i = 0; i < 5; i++) again.push((await timed('meters.table', {}))[0]);
    out.tableMs = median(again);
    const sites: number[] = [];
    for (let i = 0; i < 5; i++) sites.push((await timed('sites.table', {}))[0]);
    out.sitesMs = median(sites);
    out.bytes = JSON.stringify(first).length;
    // meters.list through the same kept spans, against reading every meter's span afresh
    const list: number[] = [];
    for (let i = 0; i < 5; i++) list.push((await timed('meters.list', {}))[0]);
    out.listMs = median(list);
    const t0 = process.hrtime.bigint();
    core.meters.list();
    out.listUncachedMs = ms(t0);

    // bulk edits on every meter: a site, tags, a tariff for the electricity meters from the 1st of the month
    const all = rows.map((r) => r.mpan);
    const site = (await call('sites.create', { name: 'Bench bulk site' })) as { id: number };
    out.bulkSiteMs = (await timed('meters.bulkUpdate', { meters: all, siteId: site.id }))[0];
    out.bulkTagsMs = (await timed('meters.bulkUpdate', { meters: all, addTags: ['bulk'], removeTags: ['office'] }))[0];
    const elec = rows.filter((r) => r.fuel === 'electricity').map((r) => r.mpan);
    const from = isoDay(localDayOf(Math.floor(Date.now() / 1000)) - 20);
    out.bulkTariffMs = (
      await timed('meters.bulkUpdate', { meters: elec, tariff: { tariffId: 'bench-electricity-1', from } })
    )[0];
    out.bulkTariffMeters = elec.length;
    // the table after the tariff change: every electricity meter priced again
    out.tableAfterTariffMs = (await timed('meters.table', {}))[0];
    out.tableAfterSiteMs = (await timed('meters.table', {}))[0];
    return out;
  } finally {
    await core.stop();
  }
}
