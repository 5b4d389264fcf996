/**
 * bench:tariffs harness (bundled by scripts/bench/tariffs.mjs): 50 tariffs of every structure, then
 * one meter's 90 days priced on all of them, and the whole portfolio, beside a bare loop over the
 * same half-hours (read through the readings store into typed arrays, one multiply-add per tariff
 * per half-hour) in the same run.
 */
import fs from 'node:fs';
import inspector from 'node:inspector';
import path from 'node:path';
import { createCore } from '../../src-main/core/app';
import { silentLogger } from '../../src-main/core/events';
import { dayStartUtc, isoDay, localDayOf } from '../../src-shared/domain/periods';
import { DUOS_RAG_RATES } from '../../tests/fixtures/tariffs';

const ms = (t0: bigint): number => Number(process.hrtime.bigint() - t0) / 1e6;

/**
 * Profiles what runs until the returned function is called (V8's sampling profiler, through the
 * inspector): the profile is written to `file` and its costliest functions printed on stderr.
 */
async function startProfile(): Promise<(file: string) => Promise<void>> {
  const session = new inspector.Session();
  session.connect();
  const post = (method: string, params?: object): Promise<unknown> =>
    new Promise((resolve, reject) => session.post(method, params ?? {}, (e, r) => (e ? reject(e) : resolve(r))));
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 200 });
  await post('Profiler.start');
  return async (file) => {
    const { profile } = (await post('Profiler.stop')) as {
      profile: {
        nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
        samples: number[];
        timeDeltas: number[];
      };
    };
    session.disconnect();
    fs.writeFileSync(file, JSON.stringify(profile));
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const self = new Map<string, number>();
    profile.samples.forEach((id, i) => {
      const f = byId.get(id)!.callFrame;
      const key = `${f.functionName || '(anonymous)'} ${path.basename(f.url)}:${f.lineNumber + 1}`;
      self.set(key, (self.get(key) ?? 0) + profile.timeDeltas[i]!);
    });
    console.error(`profile of the portfolio analysis written to ${file}; self time by function:`);
    for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 15))
      console.error(`  ${(v / 1000).toFixed(0).padStart(6)} ms  ${k}`);
  };
}
const ALL = ['all'];

/** 50 tariffs: 15 single-rate, 15 Economy 7/10 and other time-of-use, 10 business (DUoS, CCL, capacity), 10 dynamic. */
export function tariffs(fromIso: string, prices: { start: string; pencePerKwh: number }[]): unknown[] {
  const base = {
    supplier: 'Bench',
    fuel: 'electricity',
    validFrom: '2020-01-01',
    validTo: null,
    standingChargePencePerDay: 40,
    vatRate: 0.05,
    cclPencePerKwh: 0,
    halfHourlyPrices: null,
  };
  const out: unknown[] = [];
  for (let i = 0; i < 15; i++)
    out.push({
      ...base,
      id: `flat-${i}`,
      name: `Flat ${i}`,
      supplier: `Supplier ${i % 5}`,
      default: i < 5,
      rates: [{ pencePerKwh: 20 + i * 0.7 }],
    });
  for (let i = 0; i < 15; i++) {
    const e10 = i % 3 === 2;
    out.push({
      ...base,
      id: `tou-${i}`,
      name: e10 ? `Economy 10 ${i}` : `Economy 7 ${i}`,
      rates: e10
        ? [
            { name: 'Off-peak', pencePerKwh: 14 + i * 0.2, from: '00:00', to: '05:00', days: ALL },
            { name: 'Peak', pencePerKwh: 32 + i * 0.3, from: '05:00', to: '13:00', days: ALL },
            { name: 'Off-peak', pencePerKwh: 14 + i * 0.2, from: '13:00', to: '16:00', days: ALL },
            { name: 'Peak', pencePerKwh: 32 + i * 0.3, from: '16:00', to: '20:00', days: ALL },
            { name: 'Off-peak', pencePerKwh: 14 + i * 0.2, from: '20:00', to: '22:00', days: ALL },
            { name: 'Peak', pencePerKwh: 32 + i * 0.3, from: '22:00', to: '00:00', days: ALL },
          ]
        : [
            { name: 'Night', pencePerKwh: 12 + i * 0.2, from: '00:30', to: '07:30', days: ALL },
            { name: 'Day', pencePerKwh: 30 + i * 0.3, from: '07:30', to: '00:30', days: ALL },
          ],
    });
  }
  for (let i = 0; i < 10; i++) {
    out.push({
      ...base,
      id: `biz-${i}`,
      name: `Business HH ${i}`,
      vatRate: 0.2,
      cclPencePerKwh: 'statutory',
      capacityPencePerKvaPerDay: 3 + i * 0.1,
      rates: [
        { name: 'Weekday peak', pencePerKwh: 28 + i * 0.2, from: '07:00', to: '19:00', days: ['weekday'] },
        { name: 'Off-peak', pencePerKwh: 18 + i * 0.2, from: '19:00', to: '07:00', days: ['weekday'] },
        { name: 'Off-peak', pencePerKwh: 18 + i * 0.2, days: ['weekend', 'holiday'] },
      ],
      duosRates: DUOS_RAG_RATES,
    });
  }
  for (let i = 0; i < 10; i++)
    out.push({
      ...base,
      id: `agile-${i}`,
      name: `Agile ${i}`,
      validFrom: fromIso,
      halfHourlyPrices: i === 0 ? prices : [],
    });
  return out;
}

export async function run(dataDir: string, migrationsDir: string): Promise<Record<string, number>> {
  const core = await createCore({ dataDir, migrationsDir, log: silentLogger });
  try {
    const db = core.sqlite;
    const out: Record<string, number> = {};
    const meters = db.prepare('SELECT id, identifier FROM meters ORDER BY id').all() as {
      id: number;
      identifier: string;
    }[];
    const lastTs = core.readings.spans([meters[0]!.id]).get(meters[0]!.id)!.last;
    const toDay = localDayOf(lastTs) + 1;
    const fromDay = toDay - 90;
    // dynamic prices for every half-hour of the window (one tariff file carries them for agile-0; the rest share them)
    const prices: { start: string; pencePerKwh: number }[] = [];
    for (let t = dayStartUtc(fromDay) - 3600; t < dayStartUtc(toDay) + 3600; t += 1800)
      prices.push({ start: new Date(t * 1000).toISOString(), pencePerKwh: 5 + ((t / 1800) % 48) * 0.6 });
    const fromIso = isoDay(fromDay);
    core.tariffStore.importFile(JSON.stringify({ tariffs: tariffs(fromIso, prices) }));
    const csv = ['start,pencePerKwh', ...prices.map((p) => `${p.start},${p.pencePerKwh}`)].join('\n');
    for (let i = 1; i < 10; i++) core.tariffStore.importPrices(`agile-${i}`, csv);
    db.prepare("UPDATE meters SET supplier = 'Supplier ' || (id % 5), capacity_kva = 69").run();
    out.meters = meters.length;
    out.tariffs = core.tariffStore.all().length;
    out.halfHoursPerMeter = core.readings.readDays(meters[0]!.id, fromDay, toDay).values.length;

    // bare loop: the same half-hours read through the readings store into typed arrays (one range
    // read per meter), then one multiply-add per tariff per half-hour (NaN = no value)
    const rates = Array.from({ length: 50 }, (_, i) => 10 + i);
    const bare = (ids: number[]): number => {
      let total = 0;
      for (const id of ids) {
        const { values } = core.readings.readDays(id, fromDay, toDay);
        for (const rate of rates) {
          for (let k = 0; k < values.length; k++) {
            const v = values[k]!;
            if (v === v) total += v * rate;
          }
        }
      }
      return total;
    };
    // one meter: median of 9 (after one warm-up call), as the analysis below
    bare([meters[0]!.id]);
    const bareTimes: number[] = [];
    let t0 = process.hrtime.bigint();
    for (let i = 0; i < 9; i++) {
      t0 = process.hrtime.bigint();
      bare([meters[0]!.id]);
      bareTimes.push(ms(t0));
    }
    out.bareOneMs = bareTimes.sort((a, b) => a - b)[4]!;
    t0 = process.hrtime.bigint();
    bare(meters.map((m) => m.id));
    out.barePortfolioMs = ms(t0);
    // the bare loop's read alone (the same typed arrays, no pricing)
    t0 = process.hrtime.bigint();
    for (const m of meters) core.readings.readDays(m.id, fromDay, toDay);
    out.readPortfolioMs = ms(t0);

    // the first analysis in a fresh process (cold: nothing compiled by the JIT, prices not cached)
    const meter = meters[0]!.identifier;
    t0 = process.hrtime.bigint();
    core.switching.analyse(meter, { fromDay, toDay, save: false }, 'bench');
    out.oneMeterColdMs = ms(t0);

    // the portfolio: every meter on every tariff (read + price + rank), not saved
    const all = core.costing.catalog();
    const profile = process.env.ECLECTYC_BENCH_PROFILE ? await startProfile() : null;
    t0 = process.hrtime.bigint();
    let best = 0;
    for (const m of meters)
      best +=
        core.switching.analyse(m.identifier, { fromDay, toDay, save: false }, 'bench', all).alternatives[0]
          ?.savingPence ?? 0;
    out.portfolioMs = ms(t0);
    if (profile) await profile(process.env.ECLECTYC_BENCH_PROFILE!);
    out.bestSavingSum = best;

    // one meter, 90 days, every tariff, in a warm process (median of 9; not saved)
    const times: number[] = [];
    let alternatives = 0;
    for (let i = 0; i < 9; i++) {
      t0 = process.hrtime.bigint();
      const a = core.switching.analyse(meter, { fromDay, toDay, save: false }, 'bench');
      times.push(ms(t0));
      alternatives = a.alternatives.length;
    }
    out.oneMeterMs = times.sort((a, b) => a - b)[4]!;
    out.alternatives = alternatives;

    // the same through "Analyse all meters": saved analyses, progress events, yielding between meters
    t0 = process.hrtime.bigint();
    const r = await core.switching.runAll(90, 'bench');
    out.runAllMs = ms(t0);
    out.runAllAnalysed = r.analysed;
    out.savedBytes = db.prepare('SELECT sum(length(result)) FROM switching_analyses').pluck().get() as number;
    return out;
  } finally {
    await core.stop();
  }
}
