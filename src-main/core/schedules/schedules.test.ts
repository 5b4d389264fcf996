/**
 * Scheduled deliveries end to end on a real core and SQLite file with a fake clock: a schedule
 * overdue after a long sleep runs once as a catch-up; folder delivery never overwrites and leaves no
 * temporary file; two processes never run one schedule twice; a weekly email digest caught by an
 * in-process SMTP server carries headline figures equal to sums made here from the CSV the test
 * imported, and a readable PDF; secrets never show in answers or the audit log.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ScheduleRun, ScheduleSummary } from '../../../src-shared/contract/types';
import { callAsAdmin, importFiles, makeCore, tempDir, writeTemp } from '../../../tests/helpers/core';
import { catchMail, type ParsedMail } from '../../../tests/helpers/mail';
import { pdfText } from '../../../tests/helpers/pdf';
import type { Core } from '../app';
import { ScheduleService } from './service';

const A = '1200050000009';
const B = '1200050000106';
const london = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', dateStyle: 'short' });
/** `YYYY-MM-DD` of the UK local date of a UTC instant in ms (Intl, not the app's own code). */
const localDate = (ms: number): string => {
  const [d, m, y] = london.format(new Date(ms)).split('/');
  return `${y}-${m}-${d}`;
};
const oneDp = (n: number) => n.toLocaleString('en-GB', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

// two meters' half-hours, 02/03–18/03 in 2025 and 10/03–19/03 in 2024; meter B misses 4 on 12/03/2025
const rows: [string, number, number][] = [];
for (const [from, to] of [
  [Date.UTC(2025, 2, 2), Date.UTC(2025, 2, 18)],
  [Date.UTC(2024, 2, 10), Date.UTC(2024, 2, 19)],
] as const)
  for (let t = from; t < to; t += 1_800_000) {
    const i = (t - from) / 1_800_000;
    rows.push([A, t, Number((0.5 + ((i * 7) % 11) / 10 + (t > Date.UTC(2025, 0) ? 0.1 : 0)).toFixed(2))]);
    if (t >= Date.UTC(2025, 2, 12, 10) && t < Date.UTC(2025, 2, 12, 12)) continue;
    rows.push([B, t, Number((1 + ((i * 3) % 5) / 10).toFixed(2))]);
  }
const csv = ['MPAN,Timestamp,kWh', ...rows.map(([m, t, v]) => `${m},${new Date(t).toISOString()},${v}`)].join('\n');
/** kWh and half-hours of the meters over UK local dates [from, to]. */
const tally = (from: string, to: string, meter?: string) => {
  const rs = rows.filter(([m, t]) => (!meter || m === meter) && localDate(t) >= from && localDate(t) <= to);
  return { kwh: rs.reduce((a, [, , v]) => a + v, 0), n: rs.length };
};

let nowMs = Date.parse('2025-03-10T12:00:00Z');
let core: Core;
let mail: Awaited<ReturnType<typeof catchMail>>;
let mails: ParsedMail[] = [];

/** All the PDF's text. */
const pdfAll = async (bytes: Buffer): Promise<string> => (await pdfText(bytes)).join('\n');

const save = (args: Record<string, unknown>) => callAsAdmin<ScheduleSummary>(core, 'schedules.save', args);
const run = (id: number) => callAsAdmin<ScheduleRun>(core, 'schedules.run', { id });

beforeAll(async () => {
  mail = await catchMail();
  mails = mail.mails;
  core = await makeCore({ clock: { now: () => nowMs } });
  await importFiles(core, [writeTemp('two-meters.csv', csv)]);
  await core.waitForDeliveries();
  const flat = {
    id: 'flat-20',
    name: 'Flat 20p',
    supplier: 'Acme',
    fuel: 'electricity',
    validFrom: '2024-01-01',
    validTo: null,
    standingChargePencePerDay: 40,
    vatRate: 0.05,
    cclPencePerKwh: 0,
    rates: [{ pencePerKwh: 20 }],
    halfHourlyPrices: null,
  };
  await callAsAdmin(core, 'tariffs.import', { text: JSON.stringify({ tariffs: [flat] }) });
  for (const meter of [A, B])
    await callAsAdmin(core, 'tariffs.assign', { meter, tariff: 'flat-20', from: '2024-01-01' });
  await callAsAdmin(core, 'carbon.setFactor', { year: 2025, fuel: 'electricity', kgPerKwh: 0.2 });
  await callAsAdmin(core, 'carbon.setFactor', { year: 2024, fuel: 'electricity', kgPerKwh: 0.25 });
  await callAsAdmin(core, 'settings.update', {
    'notify.email.smtpUrl': `smtp://127.0.0.1:${mail.port}`,
    'notify.email.from': 'Eclectyc Energy <reports@example.org>',
  });
}, 60_000);

afterAll(async () => {
  await core?.stop();
  await mail?.close();
});

describe('the schedule timer', () => {
  it('runs a schedule overdue after a long sleep once, for the latest period missed, then on time', async () => {
    nowMs = Date.parse('2025-03-10T12:00:00Z');
    const dir = tempDir();
    const s = await save({
      name: 'Yesterday for the bureau',
      what: { kind: 'export', table: 'readings', scope: { meter: A }, range: 'yesterday' },
      cadence: { every: 'daily', at: '06:00' },
      destination: { kind: 'folder', path: dir },
    });
    expect(s.nextRunAt).toBe('2025-03-11T06:00:00Z');
    expect(await core.schedules.tick()).toEqual([]);

    // asleep from before 11/03 06:00 until 14/03 09:00: four runs missed, one made
    nowMs = Date.parse('2025-03-14T09:00:00Z');
    const runs = await core.schedules.tick();
    expect(runs.map((r) => [r.trigger, r.status, r.dueAt])).toEqual([['catch-up', 'ok', '2025-03-14T06:00:00Z']]);
    const name = `eclectyc-readings-meter-${A}-2025-03-13-to-2025-03-13.csv`;
    expect(fs.readdirSync(dir)).toEqual([name]);
    expect(runs[0]).toMatchObject({ fileName: name, target: `folder ${path.join(dir, name)}`, attempts: 1 });
    // the file holds 13/03's 48 half-hours, their kWh as imported
    const lines = fs.readFileSync(path.join(dir, name), 'utf8').trim().split('\r\n').slice(1);
    expect(lines).toHaveLength(48);
    const kwhCol = fs.readFileSync(path.join(dir, name), 'utf8').split('\r\n')[0]!.split(',').indexOf('kWh');
    const sum = lines.reduce((a, l) => a + Number(l.split(',')[kwhCol]), 0);
    expect(sum).toBeCloseTo(tally('2025-03-13', '2025-03-13', A).kwh, 9);
    expect((await callAsAdmin<ScheduleSummary>(core, 'schedules.get', { id: s.id })).nextRunAt).toBe(
      '2025-03-15T06:00:00Z',
    );
    expect(await core.schedules.tick()).toEqual([]);

    nowMs = Date.parse('2025-03-15T06:00:20Z');
    const onTime = await core.schedules.tick();
    expect(onTime.map((r) => [r.trigger, r.status, r.dueAt])).toEqual([['schedule', 'ok', '2025-03-15T06:00:00Z']]);
    expect(fs.readdirSync(dir).sort()).toEqual([name, `eclectyc-readings-meter-${A}-2025-03-14-to-2025-03-14.csv`]);
    await callAsAdmin(core, 'schedules.remove', { id: s.id });
  });

  it('runs with the core’s background services: what is due runs at start(), and stop() waits for it', async () => {
    let t = Date.parse('2025-03-14T05:00:00Z');
    const c = await makeCore({ clock: { now: () => t } });
    const dir = tempDir();
    try {
      await importFiles(c, [writeTemp('two-meters.csv', csv)]);
      const s = await callAsAdmin<ScheduleSummary>(c, 'schedules.save', {
        name: 'At start',
        what: { kind: 'export', table: 'days', scope: { meter: B }, range: 'yesterday' },
        cadence: { every: 'daily', at: '06:00' },
        destination: { kind: 'folder', path: dir },
      });
      t = Date.parse('2025-03-14T06:00:30Z');
      c.start();
      await vi.waitFor(
        async () =>
          expect((await callAsAdmin<ScheduleSummary>(c, 'schedules.get', { id: s.id })).lastRun?.status).toBe('ok'),
        { timeout: 20_000, interval: 100 },
      );
    } finally {
      await c.stop();
    }
    expect(fs.readdirSync(dir)).toEqual([`eclectyc-days-meter-${B}-2025-03-13-to-2025-03-13.csv`]);
  });

  it('never overwrites a file in the folder, and leaves no temporary file', async () => {
    nowMs = Date.parse('2025-03-14T09:00:00Z');
    const dir = tempDir();
    const s = await save({
      name: 'Days to a share',
      what: { kind: 'export', table: 'days', scope: { all: true }, range: 'last-7-days' },
      cadence: { every: 'weekly', weekday: 5, at: '08:00' },
      destination: { kind: 'folder', path: dir },
    });
    const first = await run(s.id);
    const second = await run(s.id);
    const name = 'eclectyc-days-portfolio-2025-03-07-to-2025-03-13.csv';
    expect([first.status, first.fileName, second.status, second.fileName]).toEqual([
      'ok',
      name,
      'ok',
      'eclectyc-days-portfolio-2025-03-07-to-2025-03-13 (2).csv',
    ]);
    expect(fs.readdirSync(dir).sort()).toEqual([second.fileName, name].sort());
    expect(fs.readFileSync(path.join(dir, name))).toEqual(fs.readFileSync(path.join(dir, second.fileName!)));
    // a manual run leaves the next due time alone (this Friday's 08:00 had passed when it was saved)
    expect((await callAsAdmin<ScheduleSummary>(core, 'schedules.get', { id: s.id })).nextRunAt).toBe(
      '2025-03-21T08:00:00Z',
    );
    await callAsAdmin(core, 'schedules.remove', { id: s.id });
  });

  it('lets one process at a time run a schedule: another is given the run in progress', async () => {
    nowMs = Date.parse('2025-03-14T09:00:00Z');
    const dir = tempDir();
    const s = await save({
      name: 'Shared with serve',
      what: { kind: 'export', table: 'readings', scope: { all: true }, range: 'last-7-days', layout: 'wide' },
      cadence: { every: 'daily', at: '05:00' },
      destination: { kind: 'folder', path: dir },
    });
    const other = new ScheduleService(
      core.sqlite,
      () => core as never,
      () => core.handlers,
    );
    const mine = core.schedules.run(s.id);
    const theirs = await other.run(s.id);
    const done = await mine;
    expect(theirs).toMatchObject({ id: done.id, status: 'running' });
    expect(done.status).toBe('ok');
    expect(fs.readdirSync(dir)).toHaveLength(1);
    expect((await callAsAdmin<{ runs: ScheduleRun[] }>(core, 'schedules.get', { id: s.id })).runs).toHaveLength(1);
    await callAsAdmin(core, 'schedules.remove', { id: s.id });
  });

  it('logs a failed run with its error and lets the next run go ahead', async () => {
    nowMs = Date.parse('2025-03-14T09:00:00Z');
    const dir = tempDir();
    const s = await save({
      name: 'Share that went away',
      what: { kind: 'export', table: 'totals', scope: { meter: B }, range: 'last-month' },
      cadence: { every: 'monthly', day: 1, at: '06:00' },
      destination: { kind: 'folder', path: dir },
    });
    fs.rmSync(dir, { recursive: true });
    const failed = await run(s.id);
    expect([failed.status, failed.error, failed.fileName]).toEqual([
      'failed',
      `There is no folder ${dir} on this computer; create it or change the schedule`,
      `eclectyc-totals-meter-${B}-2025-02-01-to-2025-02-28.csv`,
    ]);
    fs.mkdirSync(dir);
    expect((await run(s.id)).status).toBe('ok');
    expect(fs.readdirSync(dir)).toEqual([`eclectyc-totals-meter-${B}-2025-02-01-to-2025-02-28.csv`]);
    await callAsAdmin(core, 'schedules.remove', { id: s.id });
  });

  it('refuses what cannot work, saying which field is wrong', async () => {
    await expect(
      save({
        name: 'Digest to a folder',
        what: { kind: 'digest', scope: { all: true }, period: 'week' },
        cadence: { every: 'weekly', weekday: 1, at: '07:00' },
        destination: { kind: 'folder', path: tempDir() },
      }),
    ).rejects.toThrow('A digest is an email: send it to email recipients (destination.kind)');
    await expect(
      save({
        name: 'Nowhere',
        what: { kind: 'report', scope: { meter: A }, period: 'month', format: 'pdf' },
        cadence: { every: 'monthly', day: 2, at: '07:00' },
        destination: { kind: 'sftp', host: '127.0.0.1', username: 'u', path: '/in' },
      }),
    ).rejects.toThrow('Set a password or a private key to sign in with (secrets.password)');
    await expect(
      save({
        name: 'Same month four times',
        what: { kind: 'digest', scope: { all: true }, period: 'month' },
        cadence: { every: 'weekly', weekday: 1, at: '07:00' },
        destination: { kind: 'email', to: ['fd@example.org'] },
      }),
    ).rejects.toThrow(
      'A monthly digest sent every week would deliver the same month again and again; set it to run Monthly ' +
        '(cadence.every)',
    );
    expect(await callAsAdmin<ScheduleSummary[]>(core, 'schedules.list', {})).toEqual([]);
  });
});

describe('email digests', () => {
  it('sends the week’s headline figures, equal to sums of the imported CSV, with the week summary PDF', async () => {
    // Wednesday 19/03/2025: the last whole week is Monday 10/03 – Sunday 16/03
    nowMs = Date.parse('2025-03-19T07:00:00Z');
    const s = await save({
      name: 'Weekly digest',
      what: { kind: 'digest', scope: { all: true }, period: 'week' },
      cadence: { every: 'weekly', weekday: 1, at: '07:00' },
      destination: { kind: 'email', to: ['fd@example.org', 'estates@example.org'] },
    });
    const r = await run(s.id);
    expect(r).toMatchObject({ status: 'ok', target: 'email fd@example.org, estates@example.org', error: null });
    expect(mails).toHaveLength(1);
    const m = mails[0]!;
    expect(m.subject).toBe('Weekly energy digest: Portfolio, week 10/03/2025 – 16/03/2025');
    expect(m.headers.to).toBe('fd@example.org, estates@example.org');

    const cur = tally('2025-03-10', '2025-03-16');
    const prev = tally('2025-03-03', '2025-03-09');
    const ago = tally('2024-03-11', '2024-03-17');
    const line = (label: string) => m.text.split(/\r?\n/).find((l) => l.startsWith(`${label}: `)) ?? '';
    const pc = (a: number, b: number) => `${a >= b ? '+' : ''}${oneDp(((a - b) / b) * 100)}%`;
    expect(line('Electricity consumption')).toBe(
      `Electricity consumption: ${oneDp(cur.kwh)} kWh (previous week ${oneDp(prev.kwh)} kWh, ${pc(cur.kwh, prev.kwh)}; ` +
        `same week last year ${oneDp(ago.kwh)} kWh, ${pc(cur.kwh, ago.kwh)})`,
    );
    // priced as the tariff says: 20p/kWh and 40p a day for each meter, 5% VAT
    const pounds = (k: number, days: number) => ((k * 20 + 2 * days * 40) * 1.05) / 100;
    const cost = Number(/^Cost: £([\d,.]+)/.exec(line('Cost'))![1]!.replace(/,/g, ''));
    expect(Math.abs(cost - pounds(cur.kwh, 7))).toBeLessThanOrEqual(0.02);
    expect(line('Emissions').startsWith(`Emissions: ${oneDp(cur.kwh * 0.2)} kg CO2e (previous week`)).toBe(true);
    expect(line('Emissions')).toContain(`same week last year ${oneDp(ago.kwh * 0.25)} kg CO2e`);
    expect(line('Open alerts')).toBe(
      `Open alerts: ${(await callAsAdmin<unknown[]>(core, 'alerts.list', { status: 'open' })).length}`,
    );
    // 2 meters × 7 days × 48 half-hours, less the 4 meter B missed
    expect(cur.n).toBe(668);
    expect(line('Data completeness')).toBe(`Data completeness: ${oneDp((668 / 672) * 100)}% (668 of 672 half-hours)`);
    const b = tally('2025-03-10', '2025-03-16', B).kwh;
    expect(m.text).toContain(`  ${B}: ${oneDp(b)} kWh, ${pc(b, tally('2025-03-03', '2025-03-09', B).kwh)}`);
    expect(m.html).toContain(`${oneDp(cur.kwh)} kWh`);
    expect(m.text).toContain('Meters that changed most compared with the previous week:');

    expect(m.attachments.map((a) => [a.filename, a.contentType])).toEqual([
      ['eclectyc-digest-portfolio-week-2025-03-10.pdf', 'application/pdf'],
    ]);
    const text = await pdfAll(m.attachments[0]!.content);
    expect(text).toContain('Weekly energy digest: Portfolio, week 10/03/2025 – 16/03/2025');
    expect(text).toContain(`${oneDp(cur.kwh)} kWh`);
    expect(text).toContain(A);
    await callAsAdmin(core, 'schedules.remove', { id: s.id });
  });

  it('attaches the meter’s monthly report to a monthly digest', async () => {
    nowMs = Date.parse('2025-04-02T07:00:00Z');
    mails.length = 0;
    const s = await save({
      name: 'Monthly digest',
      what: { kind: 'digest', scope: { meter: A }, period: 'month' },
      cadence: { every: 'monthly', day: 2, at: '07:00' },
      destination: { kind: 'email', to: ['fd@example.org'] },
    });
    expect((await run(s.id)).status).toBe('ok');
    const m = mails[0]!;
    expect(m.subject).toBe(`Monthly energy digest: Meter ${A}, March 2025`);
    expect(m.text).toContain(
      `Electricity consumption: ${oneDp(tally('2025-03-01', '2025-03-31', A).kwh)} kWh (February 2025: no data`,
    );
    // one meter, one fuel: no all-fuels line
    expect(m.text).not.toContain('all fuels');
    expect(m.attachments[0]!.filename).toBe(`eclectyc-report-meter-${A}-2025-03.pdf`);
    expect(await pdfAll(m.attachments[0]!.content)).toContain(`Meter report: ${A}, March 2025`);
    await callAsAdmin(core, 'schedules.remove', { id: s.id });
  });
});

describe('digests with gas and electricity, and digests of a period without readings', () => {
  const G = '7654321'; // an MPRN: a gas meter
  let c: Core;
  let t = Date.parse('2025-03-19T07:00:00Z');
  // both meters, Monday 03/03 to Sunday 16/03/2025 (GMT: UTC days are UK days)
  const both: [string, number, number][] = [];
  for (let ts = Date.UTC(2025, 2, 3); ts < Date.UTC(2025, 2, 17); ts += 1_800_000) {
    const i = ts / 1_800_000;
    both.push([A, ts, Number((0.4 + (i % 5) / 10).toFixed(2))]);
    both.push([G, ts, Number((3 + (i % 7) / 4).toFixed(2))]);
  }
  const sum = (meter: string, from: number, to: number) =>
    both.filter(([m, ts]) => m === meter && ts >= from && ts < to).reduce((a, [, , v]) => a + v, 0);
  const digest = async (name: string, period: 'week' | 'month', cadence: Record<string, unknown>) => {
    mails.length = 0;
    const s = await callAsAdmin<ScheduleSummary>(c, 'schedules.save', {
      name,
      what: { kind: 'digest', scope: { all: true }, period },
      cadence,
      destination: { kind: 'email', to: ['fd@example.org'] },
    });
    const r = await callAsAdmin<ScheduleRun>(c, 'schedules.run', { id: s.id });
    return { r, m: mails[0]! };
  };

  beforeAll(async () => {
    c = await makeCore({ clock: { now: () => t } });
    const text = ['MPAN,Timestamp,kWh', ...both.map(([m, ts, v]) => `${m},${new Date(ts).toISOString()},${v}`)];
    await importFiles(c, [writeTemp('gas-and-electricity.csv', text.join('\n'))]);
    await c.waitForDeliveries();
    await callAsAdmin(c, 'settings.update', { 'notify.email.smtpUrl': `smtp://127.0.0.1:${mail.port}` });
  }, 60_000);
  afterAll(async () => {
    await c?.stop();
  });

  it('gives kWh per fuel, and their sum only labelled as all fuels', async () => {
    t = Date.parse('2025-03-19T07:00:00Z');
    const { r, m } = await digest('Both fuels', 'week', { every: 'weekly', weekday: 3, at: '07:00' });
    expect(r.status).toBe('ok');
    const wk = [Date.UTC(2025, 2, 10), Date.UTC(2025, 2, 17)] as const;
    const before = [Date.UTC(2025, 2, 3), Date.UTC(2025, 2, 10)] as const;
    const e = sum(A, ...wk);
    const g = sum(G, ...wk);
    const line = (label: string) => m.text.split(/\r?\n/).find((l) => l.startsWith(`${label}: `)) ?? '';
    expect(line('Electricity consumption')).toMatch(
      new RegExp(`^Electricity consumption: ${oneDp(e)} kWh \\(previous week ${oneDp(sum(A, ...before))} kWh`),
    );
    expect(line('Gas consumption')).toMatch(new RegExp(`^Gas consumption: ${oneDp(g)} kWh \\(previous week`));
    expect(line('Consumption, all fuels')).toMatch(new RegExp(`^Consumption, all fuels: ${oneDp(e + g)} kWh`));
    expect(m.text).not.toMatch(/^Consumption: /m);
    const pdf = await pdfAll(m.attachments[0]!.content);
    expect(pdf).toContain(`Electricity consumption was ${oneDp(e)} kWh; gas consumption was ${oneDp(g)} kWh`);
    expect(pdf).toMatch(new RegExp(`Consumption, all fuels +${oneDp(e + g)} kWh`));
  });

  it('sends a monthly digest of a month without readings, saying so at the top, with the summary attached', async () => {
    t = Date.parse('2025-06-02T07:00:00Z');
    const { r, m } = await digest('Empty month', 'month', { every: 'monthly', day: 2, at: '07:00' });
    expect(r).toMatchObject({ status: 'ok', error: null, fileName: 'eclectyc-digest-portfolio-month-2025-05-01.pdf' });
    const lines = m.text.split(/\r?\n/);
    expect(lines.slice(0, 3)).toEqual([
      'Monthly energy digest: Portfolio, May 2025',
      '',
      'No readings arrived for May 2025 — check the data feeds (last reading: 16/03/2025)',
    ]);
    expect(m.text).not.toContain('changed most');
    expect(m.text).toContain('Gas consumption: no readings (April 2025: no data; May 2024: no data)');
    expect(m.html).toContain('No readings arrived for May 2025');
    expect(m.attachments.map((a) => a.filename)).toEqual(['eclectyc-digest-portfolio-month-2025-05-01.pdf']);
    const pdf = (await pdfAll(m.attachments[0]!.content)).replace(/\s+/g, ' ');
    expect(pdf).toContain('No readings arrived for May 2025 — check the data feeds (last reading: 16/03/2025)');
    expect(pdf).toContain('This month');
  });

  it('sends a weekly digest of a week without readings the same way, with no list of zero changes', async () => {
    t = Date.parse('2025-03-26T07:00:00Z');
    const { r, m } = await digest('Empty week', 'week', { every: 'weekly', weekday: 3, at: '07:00' });
    expect(r.status).toBe('ok');
    expect(m.text.split(/\r?\n/)[2]).toBe(
      'No readings arrived for the week 17/03/2025 – 23/03/2025 — check the data feeds (last reading: 16/03/2025)',
    );
    expect(m.text).not.toContain('changed most');
    expect(m.text).not.toContain('+0.0 kWh');
    const pdf = (await pdfAll(m.attachments[0]!.content)).replace(/\s+/g, ' ');
    expect(pdf).toContain('No readings arrived for the week 17/03/2025 – 23/03/2025');
  });
});

describe('reports by email', () => {
  it('sends last month’s report, the subject naming the report and its month, the PDF attached', async () => {
    nowMs = Date.parse('2025-04-03T06:00:00Z');
    mails.length = 0;
    const s = await save({
      name: 'Boiler house report',
      what: { kind: 'report', scope: { meter: A }, period: 'month', format: 'pdf' },
      cadence: { every: 'monthly', day: 3, at: '07:00' },
      destination: { kind: 'email', to: ['estates@example.org'] },
    });
    const r = await run(s.id);
    expect(r).toMatchObject({ status: 'ok', fileName: `eclectyc-report-meter-${A}-2025-03.pdf` });
    expect(mails.map((m) => [m.subject, m.headers.to, m.attachments.map((a) => a.filename)])).toEqual([
      [`Meter report: ${A}, March 2025`, 'estates@example.org', [`eclectyc-report-meter-${A}-2025-03.pdf`]],
    ]);
    expect(mails[0]!.attachments[0]!.content.length).toBe(r.bytes);
    expect(await pdfAll(mails[0]!.attachments[0]!.content)).toContain(
      `${oneDp(tally('2025-03-01', '2025-03-31', A).kwh)} kWh`,
    );
    await callAsAdmin(core, 'schedules.remove', { id: s.id });
  });
});

describe('secrets', () => {
  it('keeps the SFTP password and key in the secret store, never in answers or the audit log', async () => {
    const password = 'hunter2-correct-horse';
    const s = await save({
      name: 'To the warehouse',
      what: { kind: 'export', table: 'costs', scope: { all: true }, range: 'last-month' },
      cadence: { every: 'monthly', day: 1, at: '03:00' },
      destination: { kind: 'sftp', host: '127.0.0.1', port: 2222, username: 'council', path: '/in' },
      secrets: { password },
    });
    expect(s.secretsSet).toEqual(['password']);
    const answers = JSON.stringify([
      s,
      await callAsAdmin(core, 'schedules.list', {}),
      await callAsAdmin(core, 'schedules.get', { id: s.id }),
      await callAsAdmin(core, 'audit.list', {}),
    ]);
    expect(answers).not.toContain(password);
    expect(answers).toContain('schedules.save');
    const stored = JSON.parse(fs.readFileSync(path.join(core.dataDir, 'secrets.json'), 'utf8')) as Record<
      string,
      string
    >;
    expect(stored[`schedule.${s.id}.password`]).toBe(password);
    await callAsAdmin(core, 'schedules.remove', { id: s.id });
    expect(JSON.parse(fs.readFileSync(path.join(core.dataDir, 'secrets.json'), 'utf8'))).not.toHaveProperty(
      `schedule.${s.id}.password`,
    );
  });
});
