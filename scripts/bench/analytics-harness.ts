/**
 * bench:analytics harness (bundled by scripts/bench/analytics.mjs): the portfolio gets 50 sites
 * (opening hours, closures, floor areas, two with on-site generation, a year of daily temperatures)
 * and a default tariff; then the portfolio's league tables over 365 days, one meter's Analysis view
 * and a degree-day baseline search are timed, beside decoding the same half-hours alone.
 */
import { createCore } from '../../src-main/core/app';
import { silentLogger } from '../../src-main/core/events';
import { localCaller } from '../../src-main/core/rpc/caller';
import { dispatch } from '../../src-main/core/rpc/dispatch';
import type { Args, Method, Result } from '../../src-shared/contract/api';
import { isoDay, localDayOf } from '../../src-shared/domain/periods';

const ms = (t0: bigint): number => Number(process.hrtime.bigint() - t0) / 1e6;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function run(dataDir: string, migrationsDir: string): Promise<Record<string, number | string>> {
  const core = await createCore({ dataDir, migrationsDir, log: silentLogger });
  const call = async <M extends Method>(m: M, a: Args<M>): Promise<Result<M>> => {
    const r = await dispatch(core.handlers, m, a, localCaller('cli'), silentLogger);
    if (!r.ok) throw new Error(`${m}: ${r.error.message}`);
    return r.value as Result<M>;
  };
  try {
    const db = core.sqlite;
    const meters = db.prepare('SELECT id, identifier FROM meters ORDER BY id').all() as {
      id: number;
      identifier: string;
    }[];
    const span = core.readings.spans([meters[0]!.id]).get(meters[0]!.id)!;
    const toDay = localDayOf(span.last) + 1;
    const fromDay = toDay - 365;
    const from = isoDay(fromDay);
    const to = isoDay(toDay);
    // 50 sites: hours, closures, floor areas, two with generation, a year of temperatures each
    const siteIds: number[] = [];
    for (let i = 0; i < 50; i++) {
      const s = await call('sites.create', {
        name: `Bench site ${i}`,
        latitude: 51 + i / 100,
        longitude: -2 + i / 100,
        floorAreaM2: 500 + i * 40,
        generation: i < 2,
        openingHours: i % 3 === 0 ? 'mon-fri 07:30-17:30; sat 09:00-12:30' : 'mon-fri 08:00-18:00',
      });
      siteIds.push(s.id);
      await call('sites.addClosure', { siteId: s.id, from: isoDay(fromDay + 200), to: isoDay(fromDay + 214) });
      const lines = ['date,meanTemperatureC'];
      for (let d = fromDay - 7; d < toDay; d++)
        lines.push(`${isoDay(d)},${(10 - 7 * Math.cos((2 * Math.PI * (d - 15)) / 365.25)).toFixed(1)}`);
      await call('weather.import', { siteId: s.id, fileName: 'bench.csv', text: lines.join('\n') });
    }
    const assign = db.prepare("UPDATE meters SET site_id = ?, supplier = 'Bench' WHERE id = ?");
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
    const out: Record<string, number | string> = { meters: meters.length, from, to };

    // baseline: the same half-hours decoded into typed arrays, nothing computed
    const decode: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t0 = process.hrtime.bigint();
      let n = 0;
      for (const m of meters) n += core.readings.readDays(m.id, fromDay - 56, toDay).values.length;
      decode.push(ms(t0));
      out.halfHours = n;
    }
    out.decodeMs = median(decode);

    // the portfolio: baseload, out-of-hours, quality (with outliers) and exceptions of every meter over 365 days
    const portfolio: number[] = [];
    let rows = 0;
    for (let i = 0; i < 3; i++) {
      const t0 = process.hrtime.bigint();
      const p = await call('analytics.portfolio', { from, to });
      portfolio.push(ms(t0));
      rows = p.rows.length;
    }
    out.portfolioMs = median(portfolio);
    out.portfolioRows = rows;

    // one meter's Analysis view: the calls the view makes, over its default 8 weeks and over a year
    const meter = meters[7]!.identifier;
    const view = async (vFrom: string): Promise<number> => {
      const t0 = process.hrtime.bigint();
      await Promise.all([
        call('analytics.meter', { meter, from: vFrom, to }),
        call('analytics.quality', { meter, from: vFrom, to }),
        call('analytics.exceptions', { meter, from: vFrom, to }),
      ]);
      return ms(t0);
    };
    await view(isoDay(toDay - 56));
    const v8: number[] = [];
    const v365: number[] = [];
    for (let i = 0; i < 9; i++) v8.push(await view(isoDay(toDay - 56)));
    for (let i = 0; i < 5; i++) v365.push(await view(from));
    out.meterView8wMs = median(v8);
    out.meterView365Ms = median(v365);

    // a baseline search (21 base temperatures) over a year, per meter: the call as the app makes it
    const search: number[] = [];
    for (let i = 0; i < 20; i++) {
      const t0 = process.hrtime.bigint();
      await call('analytics.baseline', { meter: meters[i]!.identifier, from, to });
      search.push(ms(t0));
    }
    out.baselineMs = median(search);
    const t0 = process.hrtime.bigint();
    await call('analytics.cusum', {
      meter,
      baselineFrom: from,
      baselineTo: isoDay(fromDay + 182),
      from: isoDay(fromDay + 182),
      to,
    });
    out.cusumMs = ms(t0);
    return out;
  } finally {
    await core.stop();
  }
}
