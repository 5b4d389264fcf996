/**
 * bench:alerts harness (bundled by scripts/bench/alerts.mjs): the portfolio's meters on 50 sites with
 * an agreed capacity and a flat tariff, watched by one rule of every meter kind on every meter; then
 * a whole check (the first, which raises the alerts, and a second, which raises nothing), a scheduled
 * check with nothing changed, the check after an import that changed one meter, and cost-above on
 * one meter's year, beside decoding the same half-hours alone.
 */
import { createCore } from '../../src-main/core/app';
import { silentLogger } from '../../src-main/core/events';
import { localCaller } from '../../src-main/core/rpc/caller';
import { dispatch } from '../../src-main/core/rpc/dispatch';
import { localDayOf } from '../../src-shared/domain/periods';

const ms = (t0: bigint): number => Number(process.hrtime.bigint() - t0) / 1e6;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** The AlertService's own entry points the schedule and imports use (not in the contract). */
type Runs = {
  run(o: { scheduled?: boolean; meterIds?: Set<number>; dataOnly?: boolean }): Promise<{ fired: unknown[] }>;
};

export async function run(dataDir: string, migrationsDir: string): Promise<Record<string, number | string>> {
  const meters0 = await createCore({ dataDir, migrationsDir, log: silentLogger });
  const db0 = meters0.sqlite;
  const first = db0.prepare('SELECT id FROM meters ORDER BY id LIMIT 1').pluck().get() as number;
  const span = meters0.readings.spans([first]).get(first)!;
  await meters0.stop();
  // the clock a day after the data: every day of it is over
  const now = (span.last + 2 * 86400) * 1000;
  const core = await createCore({ dataDir, migrationsDir, log: silentLogger, clock: { now: () => now } });
  try {
    const db = core.sqlite;
    const meters = db.prepare('SELECT id, identifier FROM meters ORDER BY id').all() as {
      id: number;
      identifier: string;
    }[];
    const siteIds: number[] = [];
    for (let i = 0; i < 50; i++) {
      const r = await dispatch(core.handlers, 'sites.create', { name: `Bench site ${i}` }, localCaller('cli'));
      if (!r.ok) throw new Error(r.error.message);
      siteIds.push((r.value as { id: number }).id);
    }
    const assign = db.prepare("UPDATE meters SET site_id = ?, supplier = 'Bench', capacity_kva = 60 WHERE id = ?");
    db.transaction(() => meters.forEach((m, i) => assign.run(siteIds[i % siteIds.length]!, m.id)))();
    core.tariffStore.importFile(
      JSON.stringify({
        tariffs: [
          {
            id: 'bench-flat',
            name: 'Bench flat',
            supplier: 'Bench',
            fuel: 'electricity',
            default: true,
            validFrom: '2000-01-01',
            validTo: null,
            standingChargePencePerDay: 40,
            vatRate: 0.2,
            cclPencePerKwh: 'statutory',
            halfHourlyPrices: null,
            rates: [{ pencePerKwh: 24 }],
          },
        ],
      }),
    );
    const fromDay = localDayOf(span.first);
    const toDay = localDayOf(span.last) + 1;
    const out: Record<string, number | string> = { meters: meters.length, days: toDay - fromDay };

    // baseline: the half-hours the check reads, decoded into typed arrays, nothing computed
    const decode: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t0 = process.hrtime.bigint();
      let n = 0;
      for (const m of meters) n += core.readings.readDays(m.id, fromDay - 371, toDay + 2).values.length;
      decode.push(ms(t0));
      out.halfHours = n;
    }
    out.decodeMs = median(decode);

    const rules = [
      { id: 'day', kind: 'daily-kwh-above', all: true, kwh: 600 },
      { id: 'kw', kind: 'halfhour-kw-above', all: true, kw: 50, consecutive: 2 },
      { id: 'ooh', kind: 'out-of-hours-share-above', all: true, share: 0.7 },
      { id: 'base', kind: 'baseload-increase', all: true, percent: 50 },
      { id: 'exc', kind: 'exception', all: true },
      { id: 'gap', kind: 'data-missing', all: true, halfHours: 4, days: 2 },
      { id: 'zero', kind: 'zero-run', all: true, halfHours: 4 },
      { id: 'cap', kind: 'capacity-share-above', all: true, share: 0.9 },
    ].map((r) => ({ ...r, channels: [] }));
    core.alerts.importRules(JSON.stringify({ rules }));
    out.rules = rules.length;
    const runs = core.alerts as unknown as Runs;

    let t0 = process.hrtime.bigint();
    const r1 = await core.alerts.check();
    out.firstCheckMs = ms(t0);
    out.fired = r1.fired.length;
    const again: number[] = [];
    for (let i = 0; i < 3; i++) {
      t0 = process.hrtime.bigint();
      const r = await core.alerts.check();
      again.push(ms(t0));
      if (r.fired.length) throw new Error('a second check raised alerts again');
    }
    out.checkMs = median(again);
    const sched: number[] = [];
    for (let i = 0; i < 5; i++) {
      t0 = process.hrtime.bigint();
      await runs.run({ scheduled: true });
      sched.push(ms(t0));
    }
    out.scheduledMs = median(sched);
    const one: number[] = [];
    for (let i = 0; i < 9; i++) {
      t0 = process.hrtime.bigint();
      await runs.run({ meterIds: new Set([meters[i]!.id]), dataOnly: true });
      one.push(ms(t0));
    }
    out.oneMeterMs = median(one);

    // cost-above on one meter's year, per day (365 pricings) and per month (12)
    const cost = (per: 'day' | 'month') => ({
      id: `cost-${per}`,
      kind: 'cost-above',
      meter: meters[3]!.identifier,
      gbp: 1e6,
      per,
    });
    core.alerts.importRules(JSON.stringify({ rules: [{ ...cost('day'), channels: [] }] }), { replace: true });
    t0 = process.hrtime.bigint();
    await runs.run({ meterIds: new Set([meters[3]!.id]), dataOnly: true });
    out.costDayMs = ms(t0);
    core.alerts.importRules(JSON.stringify({ rules: [{ ...cost('month'), channels: [] }] }), { replace: true });
    t0 = process.hrtime.bigint();
    await runs.run({ meterIds: new Set([meters[3]!.id]), dataOnly: true });
    out.costMonthMs = ms(t0);
    return out;
  } finally {
    await core.stop();
  }
}
