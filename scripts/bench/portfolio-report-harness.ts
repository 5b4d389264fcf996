/**
 * bench:portfolio-report harness (bundled by scripts/bench/portfolio-report.mjs): `prepare` writes the
 * exports bench's portfolio (N meters, one in ten gas, half-hours straight through the readings store)
 * and spreads the meters over sites of 20, each meter on a flat tariff of its fuel, with budgets for
 * every site; `run` opens the core in a fresh process and makes the portfolio monthly report as PDF, as
 * `reports.make` would, timing the build (figures from the core) and the rendering.
 */
import fs from 'node:fs';
import { createCore } from '../../src-main/core/app';
import { silentLogger } from '../../src-main/core/events';
import { callAs } from '../../src-main/core/exports/export';
import { buildReport, reportFile } from '../../src-main/core/reports/build';
import { localCaller } from '../../src-main/core/rpc/caller';
import { build } from './exports-harness';

const ms = (t0: bigint): number => Number(process.hrtime.bigint() - t0) / 1e6;
const SITE_SIZE = 20;

const flat = (id: string, fuel: 'electricity' | 'gas', unit: number) => ({
  id,
  name: `Bench ${fuel}`,
  supplier: 'Bench',
  fuel,
  validFrom: '2000-01-01',
  validTo: null,
  standingChargePencePerDay: 55,
  vatRate: 0.2,
  cclPencePerKwh: 0.775,
  rates: [{ pencePerKwh: unit }],
  halfHourlyPrices: null,
});

/** Writes the portfolio and its sites, tariffs and budgets; returns the days written and the time. */
export async function prepare(
  dataDir: string,
  migrationsDir: string,
  meters: number,
  days: number,
): Promise<{ buildMs: number; from: string; to: string; sites: number }> {
  const t0 = process.hrtime.bigint();
  const built = await build(dataDir, migrationsDir, meters, days);
  const core = await createCore({ dataDir, migrationsDir, log: silentLogger });
  try {
    const call = callAs(core.handlers, localCaller('cli'));
    await call('tariffs.import', {
      text: JSON.stringify({ tariffs: [flat('bench-elec', 'electricity', 27.4), flat('bench-gas', 'gas', 6.2)] }),
    });
    const all = await call('meters.list', {});
    const sites = Math.ceil(all.length / SITE_SIZE);
    for (let s = 0; s < sites; s++) {
      const group = all.slice(s * SITE_SIZE, (s + 1) * SITE_SIZE);
      const { id } = await call('sites.create', { name: `Bench site ${s + 1}` });
      await call('meters.bulkUpdate', { meters: group.map((m) => m.mpan), siteId: id });
      for (const fuel of ['electricity', 'gas'] as const) {
        const ids = group.filter((m) => m.fuel === fuel).map((m) => m.mpan);
        if (ids.length)
          await call('meters.bulkUpdate', {
            meters: ids,
            tariff: { tariffId: fuel === 'gas' ? 'bench-gas' : 'bench-elec', from: built.from },
          });
      }
      const months = [];
      for (let d = new Date(`${built.from}T00:00:00Z`); d < new Date(`${built.to}T00:00:00Z`);) {
        months.push({ month: d.toISOString().slice(0, 7), kwh: 30_000, pence: 900_000 });
        d = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1));
      }
      await call('budgets.set', { siteId: id, months });
    }
    return { ...built, buildMs: ms(t0), sites };
  } finally {
    await core.stop();
  }
}

/** Makes the portfolio's monthly report for `month` as PDF into `file`; the build and render times, pages, bytes. */
export async function run(
  dataDir: string,
  migrationsDir: string,
  month: string,
  file: string,
): Promise<{ buildMs: number; renderMs: number; totalMs: number; cpuMs: number; pages: number; bytes: number }> {
  const core = await createCore({ dataDir, migrationsDir, log: silentLogger });
  try {
    const t0 = process.hrtime.bigint();
    const cpu0 = process.cpuUsage();
    const req = { scope: { all: true as const }, month };
    const report = await buildReport(
      { services: core as never, call: callAs(core.handlers, localCaller('cli')), now: Date.now() },
      req,
    );
    const buildMs = ms(t0);
    const t1 = process.hrtime.bigint();
    const pdf = await reportFile(report, req, 'pdf');
    const renderMs = ms(t1);
    const cpu = process.cpuUsage(cpu0);
    fs.writeFileSync(file, pdf.buffer);
    const pages = (pdf.buffer.toString('latin1').match(/\/Type \/Page\b/g) ?? []).length;
    return { buildMs, renderMs, totalMs: ms(t0), cpuMs: (cpu.user + cpu.system) / 1000, pages, bytes: pdf.bytes };
  } finally {
    await core.stop();
  }
}
