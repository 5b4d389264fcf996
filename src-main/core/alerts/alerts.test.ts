/**
 * Alert rules on a real core (docs/alerts.md): two generated meters (6 Jan – 23 Feb 2025, GMT, no
 * bank holidays) with known breaches — a 16 kW spike on Wed 12 Feb, a zero run, a gap, a week of
 * raised baseload — imported as CSV. Every kind fires where an independent calculation here says it
 * should and nowhere else; a check run twice, a re-import and a restart raise nothing again; an
 * import that corrects the data resolves its alert; the inbox's life (acknowledge, resolve, snooze)
 * and rule files (all or nothing, problems by rule and field).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../app';
import { dispatch } from '../rpc/dispatch';
import { tempDir, writeTemp, MIGRATIONS } from '../../../tests/helpers/core';
import { economy7 } from '../../../tests/fixtures/tariffs';
import { createCore } from '../app';
import { silentLogger } from '../events';
import type {
  Alert,
  AlertCheckResult,
  AlertCounts,
  AlertDetail,
  AlertRule,
  AlertRuleImportResult,
  EnqueuedPaths,
  ImportJob,
} from '../../../src-shared/contract/types';

const A = '1200050000009';
const B = '1200050000106';
const FIRST = Date.parse('2025-01-06T00:00:00Z') / 1000;
const END = Date.parse('2025-02-24T00:00:00Z') / 1000;
const AT = '2025-03-10T09:00:00Z';
let now = Date.parse('2025-03-10T09:00:00Z');
const ctx = { role: 'admin' as const, actor: 'anna', inProcess: true };

// ---------------------------------------------------------------- the data, and what it should fire

type HH = { t: number; kwh: number | null };
const day = (t: number): string => new Date(t * 1000).toISOString().slice(0, 10);
const minute = (t: number): number => (t % 86400) / 60;
const weekday = (t: number): number => (new Date(t * 1000).getUTCDay() + 6) % 7; // Monday 0

/** 3 kWh a half-hour 08:00–18:00 on weekdays, 1 kWh otherwise (1.5 in the week of 17 Feb). */
function generate(breaches: boolean): HH[] {
  const out: HH[] = [];
  for (let t = FIRST; t < END; t += 1800) {
    const open = weekday(t) < 5 && minute(t) >= 480 && minute(t) < 1080;
    const raised = breaches && day(t) >= '2025-02-17';
    let kwh: number | null = open ? 3 : raised ? 1.5 : 1;
    if (breaches && day(t) === '2025-02-12' && minute(t) >= 720 && minute(t) < 840) kwh = 8; // 16 kW, 4 half-hours
    if (breaches && day(t) === '2025-01-15' && minute(t) >= 120 && minute(t) < 240) kwh = 0; // 4 zeros
    if (breaches && day(t) === '2025-01-22' && minute(t) >= 600 && minute(t) < 780) kwh = null; // 6 missing
    out.push({ t, kwh });
  }
  return out;
}
const csv = (meter: string, hs: HH[]): string =>
  [
    'MPAN,Timestamp,kWh',
    ...hs.filter((h) => h.kwh !== null).map((h) => `${meter},${new Date(h.t * 1000).toISOString()},${h.kwh}`),
  ].join('\n');

const dataA = generate(true);
const dataB = generate(false);

function byDay(hs: HH[]): Map<string, HH[]> {
  const m = new Map<string, HH[]>();
  for (const h of hs) m.set(day(h.t), [...(m.get(day(h.t)) ?? []), h]);
  return m;
}
const sum = (hs: HH[]): number => hs.reduce((s, h) => s + (h.kwh ?? 0), 0);

/** Days above `kwh`, worked out here. */
const daysAbove = (hs: HH[], kwh: number): string[] => [...byDay(hs)].filter(([, v]) => sum(v) > kwh).map(([d]) => d);

/** Exceptions as docs/analytics.md defines them, worked out here. */
function exceptionDays(hs: HH[]): string[] {
  const days = byDay(hs);
  const whole = (d: string): boolean => (days.get(d) ?? []).length === 48 && days.get(d)!.every((h) => h.kwh !== null);
  const out: string[] = [];
  for (const [d, v] of days) {
    if (!whole(d)) continue;
    const hist: number[] = [];
    for (let w = 1; w <= 8; w++) {
      const e = new Date(Date.parse(d) - w * 7 * 86400e3).toISOString().slice(0, 10);
      if (whole(e)) hist.push(sum(days.get(e)!));
    }
    if (hist.length < 4) continue;
    const mean = hist.reduce((s, x) => s + x, 0) / hist.length;
    const sd = Math.sqrt(hist.reduce((s, x) => s + (x - mean) ** 2, 0) / (hist.length - 1));
    if (Math.abs(sum(v) - mean) > Math.max(3 * sd, 0.1 * mean)) out.push(d);
  }
  return out;
}

// ---------------------------------------------------------------- the core

let core: Core;
let dataDir: string;
const delivered: Alert[] = [];

async function call<T>(method: string, args: unknown): Promise<T> {
  const r = await dispatch(core.handlers, method, args, ctx);
  if (!r.ok) throw new Error(`${method}: ${r.error.code}: ${r.error.message}`);
  return r.value as T;
}
async function failure(method: string, args: unknown): Promise<{ code: string; message: string; details?: unknown }> {
  const r = await dispatch(core.handlers, method, args, ctx);
  if (r.ok) throw new Error(`${method} succeeded`);
  return r.error;
}
async function importCsv(name: string, text: string, opts: Record<string, unknown> = {}): Promise<ImportJob> {
  const q = await call<EnqueuedPaths>('imports.enqueuePaths', { paths: [writeTemp(name, text)], ...opts });
  const [job] = await call<ImportJob[]>('imports.wait', { jobIds: q.jobIds });
  await core.scheduler.idle();
  await core.alerts.idle();
  return job!;
}
const check = (at = AT) => call<AlertCheckResult>('alerts.check', { at });
const firedOf = (r: AlertCheckResult, rule: string) =>
  r.fired
    .filter((a) => a.rule === rule)
    .map((a) => a.period)
    .sort();

beforeAll(async () => {
  dataDir = tempDir();
  core = await createCore({ dataDir, migrationsDir: MIGRATIONS, log: silentLogger, clock: { now: () => now } });
  core.alerts.deliverTo({ enqueue: (a) => delivered.push(...a) });
  expect(await importCsv('a.csv', csv(A, dataA))).toMatchObject({ status: 'done', rowsRejected: 0 });
  expect(await importCsv('b.csv', csv(B, dataB))).toMatchObject({ status: 'done', rowsRejected: 0 });
  await call('meters.update', { meter: A, capacityKva: 20 });
});
afterAll(async () => {
  await core.stop();
});

describe('every meter rule fires where it should and nowhere else', () => {
  let first: AlertCheckResult;
  beforeAll(async () => {
    const rules = [
      { id: 'daily', kind: 'daily-kwh-above', all: true, kwh: 105, channels: ['tray', 'email'] },
      { id: 'daily-b', kind: 'daily-kwh-above', meter: B, kwh: 87 },
      { id: 'spike3', kind: 'halfhour-kw-above', meter: A, kw: 10, consecutive: 3 },
      { id: 'spike5', kind: 'halfhour-kw-above', meter: A, kw: 10, consecutive: 5 },
      { id: 'ooh', kind: 'out-of-hours-share-above', all: true, share: 0.5 },
      { id: 'base', kind: 'baseload-increase', all: true, percent: 40 },
      { id: 'base60', kind: 'baseload-increase', all: true, percent: 60 },
      { id: 'exc', kind: 'exception', all: true, severity: 'critical' },
      { id: 'gap6', kind: 'data-missing', meter: A, halfHours: 6 },
      { id: 'gap7', kind: 'data-missing', meter: A, halfHours: 7 },
      { id: 'stale14', kind: 'data-missing', all: true, days: 14 },
      { id: 'stale16', kind: 'data-missing', all: true, days: 16 },
      { id: 'zero4', kind: 'zero-run', all: true, halfHours: 4 },
      { id: 'zero5', kind: 'zero-run', all: true, halfHours: 5 },
      { id: 'cap75', kind: 'capacity-share-above', meter: A, share: 0.75 },
      { id: 'cap85', kind: 'capacity-share-above', meter: A, percent: 85 },
    ];
    const r = await call<AlertRuleImportResult>('alerts.importRules', { text: JSON.stringify({ rules }) });
    expect(r).toMatchObject({ created: rules.length, updated: 0 });
    first = await check();
  });

  it('daily-kwh-above: only the days above the limit, on every meter it watches', () => {
    expect(daysAbove(dataA, 105)).toEqual(['2025-02-12']);
    expect(firedOf(first, 'daily')).toEqual(['2025-02-12']);
    expect(first.fired.find((a) => a.rule === 'daily')).toMatchObject({
      subject: A,
      value: 108,
      threshold: 105,
      unit: 'kWh',
      periodLabel: 'Wed 12 Feb 2025',
      status: 'open',
      channels: ['tray', 'email'],
      link: `#/meters/${A}?view=half-hourly&day=2025-02-12`,
    });
    // B's weekdays (88 kWh) are above 87; weekends (48) are not
    expect(firedOf(first, 'daily-b')).toEqual(daysAbove(dataB, 87).sort());
    expect(firedOf(first, 'daily-b')).toHaveLength(35);
  });

  it('halfhour-kw-above: a 4-half-hour run at 16 kW meets 3 in a row, not 5', () => {
    expect(firedOf(first, 'spike3')).toEqual(['2025-02-12']);
    expect(first.fired.find((a) => a.rule === 'spike3')).toMatchObject({ value: 16, threshold: 10, unit: 'kW' });
    expect(firedOf(first, 'spike5')).toEqual([]);
  });

  it('out-of-hours-share-above: only the week whose out-of-hours use rose above half', () => {
    // normal week: 1 − 300/536 = 44 %; the raised week: 1 − 300/654 = 54 %
    expect(firedOf(first, 'ooh')).toEqual(['2025-W08']);
    expect(first.fired.find((a) => a.rule === 'ooh')).toMatchObject({
      subject: A,
      value: 54.1,
      threshold: 50,
      unit: '%',
    });
  });

  it('baseload-increase: 2 → 3 kW is 50 %: above 40 %, not 60 %', () => {
    expect(firedOf(first, 'base')).toEqual(['2025-W08']);
    expect(first.fired.find((a) => a.rule === 'base')).toMatchObject({ subject: A, value: 3, threshold: 2.8 });
    expect(firedOf(first, 'base60')).toEqual([]);
  });

  it('exception: the days outside the band worked out here', () => {
    const expected = exceptionDays(dataA).sort();
    expect(expected).toContain('2025-02-12');
    expect(first.fired.filter((a) => a.rule === 'exc').every((a) => a.subject === A && a.severity === 'critical')).toBe(
      true,
    );
    expect(firedOf(first, 'exc')).toEqual(expected);
  });

  it('data-missing: the 6-half-hour gap (not 7) between readings, and 14 days without readings (not 16)', () => {
    // the stretch after the last reading (24 Feb to 10 Mar) is not a gap: "days" judges it
    expect(firedOf(first, 'gap6')).toEqual(['2025-01-22T10:00Z']);
    expect(first.fired.find((a) => a.rule === 'gap6')).toMatchObject({
      value: 6,
      unit: 'half-hours',
      message: 'A gap of 3 hours without readings from Wed 22 Jan 2025 10:00',
    });
    expect(firedOf(first, 'gap7')).toEqual([]);
    // the last reading starts 23 Feb 23:30; 24 Feb 00:00 to 10 Mar 09:00 is 14.4 days
    expect(first.fired.filter((a) => a.rule === 'stale14').map((a) => [a.subject, a.period])).toEqual(
      expect.arrayContaining([
        [A, '2025-02-24T00:00Z/..'],
        [B, '2025-02-24T00:00Z/..'],
      ]),
    );
    expect(first.fired.find((a) => a.rule === 'stale14')!.periodLabel).toBe('Since Mon 24 Feb 2025 00:00');
    expect(firedOf(first, 'stale16')).toEqual([]);
  });

  it('zero-run: four zeros in a row meet 4, not 5', () => {
    expect(first.fired.filter((a) => a.rule === 'zero4').map((a) => [a.subject, a.period])).toEqual([
      [A, '2025-01-15T02:00Z'],
    ]);
    expect(firedOf(first, 'zero5')).toEqual([]);
  });

  it('capacity-share-above: 16 kW is 80 % of 20 kVA: above 75 %, not 85 % (percent spelling accepted)', () => {
    expect(firedOf(first, 'cap75')).toEqual(['2025-02']);
    expect(first.fired.find((a) => a.rule === 'cap75')).toMatchObject({ value: 16, threshold: 15, unit: 'kW' });
    expect(firedOf(first, 'cap85')).toEqual([]);
  });

  it('hands each new alert to delivery once', () => {
    expect(delivered.map((a) => a.id).sort()).toEqual(first.fired.map((a) => a.id).sort());
  });

  it('a scheduled check with nothing changed re-judges only the time since the last reading', async () => {
    const runs = core.alerts as unknown as { run(o: { scheduled: boolean; at: number }): Promise<AlertCheckResult> };
    const at = Date.parse(AT) / 1000 + 10 * 3600; // later the same day: readings, rules and day unchanged
    const r = await runs.run({ scheduled: true, at });
    expect(r).toMatchObject({ fired: [], resolved: 0 });
    // only the "days" rules were judged: the gap and every other alert stay open
    expect(r.unchanged).toBe(first.fired.filter((a) => a.rule === 'stale14').length);
    expect((await call<Alert[]>('alerts.list', { rule: 'gap6', status: 'open' })).map((a) => a.period)).toEqual([
      '2025-01-22T10:00Z',
    ]);
  });

  it('a second check, a re-import and a restart raise nothing again', async () => {
    const again = await check();
    expect(again.fired).toEqual([]);
    expect(again.unchanged).toBe(first.fired.length);
    await importCsv('a-again.csv', csv(A, dataA), { reimport: true });
    expect((await check()).fired).toEqual([]);
    await core.stop();
    core = await createCore({ dataDir, migrationsDir: MIGRATIONS, log: silentLogger, clock: { now: () => now } });
    core.alerts.deliverTo({ enqueue: (a) => delivered.push(...a) });
    expect((await check()).fired).toEqual([]);
    expect(delivered).toHaveLength(first.fired.length);
    expect(await call<Alert[]>('alerts.list', { rule: 'daily' })).toHaveLength(1);
  });

  it('an import that corrects the data resolves the alert by itself, after the roll-up', async () => {
    const [open] = await call<Alert[]>('alerts.list', { rule: 'spike3' });
    expect(open!.status).toBe('open');
    const fixed = dataA.filter((h) => day(h.t) === '2025-02-12').map((h) => ({ t: h.t, kwh: h.kwh === 8 ? 3 : h.kwh }));
    await importCsv('fix.csv', csv(A, fixed), { onConflict: 'replace' });
    const after = await call<Alert>('alerts.get', { id: open!.id });
    expect(after).toMatchObject({ status: 'resolved', resolvedBy: null });
    // the day's kWh is back to 88: its daily alert resolves too
    expect((await call<Alert[]>('alerts.list', { rule: 'daily' }))[0]!.status).toBe('resolved');
  });
});

describe("an alert's life", () => {
  it('acknowledged with a note, by whom; counts follow; resolved by hand; snoozed until a day', async () => {
    const open = await call<Alert[]>('alerts.list', { status: 'open', rule: 'daily-b' });
    const before = await call<AlertCounts>('alerts.counts', {});
    const acked = await call<Alert>('alerts.ack', { id: open[0]!.id, note: 'Heating left on' });
    expect(acked).toMatchObject({ status: 'acknowledged', acknowledgedBy: 'anna', note: 'Heating left on' });
    // acknowledged once: a second acknowledgement does not overwrite who and when
    expect((await failure('alerts.ack', { id: open[0]!.id, note: 'again' })).message).toMatch(
      /^Alert \d+ was acknowledged by anna at /,
    );
    const after = await call<AlertCounts>('alerts.counts', {});
    expect(after.open).toBe(before.open - 1);
    expect(after.acknowledged).toBe(before.acknowledged + 1);
    const resolved = await call<Alert>('alerts.resolve', { id: open[0]!.id });
    expect(resolved).toMatchObject({ status: 'resolved', resolvedBy: 'anna' });
    expect((await failure('alerts.ack', { id: open[0]!.id })).code).toBe('CONFLICT');
    // resolved by hand stays resolved although the condition holds
    expect((await check()).fired).toEqual([]);
    expect((await call<Alert>('alerts.get', { id: open[0]!.id })).status).toBe('resolved');

    const snoozed = await call<Alert>('alerts.snooze', { id: open[1]!.id, until: '2025-03-12' });
    expect(snoozed.snoozedUntil).toBe('2025-03-12T00:00:00Z');
    expect((await call<AlertCounts>('alerts.counts', {})).snoozed).toBe(1);
    expect((await call<Alert[]>('alerts.list', { rule: 'daily-b', status: 'open' })).map((a) => a.id)).not.toContain(
      open[1]!.id,
    );
    expect((await failure('alerts.snooze', { id: open[1]!.id, until: '2025-03-01' })).message).toMatch(/after today/);
    now = Date.parse('2025-03-12T00:00:01Z');
    expect((await call<AlertCounts>('alerts.counts', {})).snoozed).toBe(0);
    now = Date.parse('2025-03-10T09:00:00Z');
    const detail = await call<AlertDetail>('alerts.get', { id: open[1]!.id });
    expect(detail.deliveries).toEqual([]);
  });
});

describe('rule files', () => {
  it('are all or nothing, with problems by rule and field', async () => {
    const before = await call<AlertRule[]>('alerts.rules', {});
    const text = JSON.stringify({
      rules: [
        {
          id: 'ok1',
          kind: 'daily-kwh-above',
          meter: A,
          kwh: 500,
          channels: ['tray', 'email', 'slack'],
          severity: 'warning',
        },
        { id: 'bad1', kind: 'daily-kwh-above', meter: A, kwh: 'lots' },
        { id: 'bad2', kind: 'halfhour-kw-abuv', all: true },
        { id: 'bad3', kind: 'zero-run', site: 99 },
        { id: 'ok1', kind: 'import-failed', channels: ['pigeon'] },
        { id: 'bad5', kind: 'cost-above', all: true, gbp: 10, per: 'week', colour: 'red' },
        { id: 'bad6', kind: 'data-missing', meter: '1200050000008' },
        { id: 'bad7', kind: 'data-missing', meter: '1200050000203' },
        { id: 'bad8', kind: 'health', check: 'nope' },
        { id: 'bad9', kind: 'carbon-intensity-below', meter: A, gco2: 100 },
      ],
    });
    const e = await failure('alerts.importRules', { text });
    expect(e.code).toBe('INVALID_ARGS');
    const problems = (e.details as { problems: { index: number; rule: string; field: string; message: string }[] })
      .problems;
    const where = problems.map((p) => `${p.index}:${p.rule}:${p.field}`);
    expect(where).toEqual(
      expect.arrayContaining([
        '1:bad1:kwh',
        '2:bad2:kind',
        '4:ok1:channels',
        '4:ok1:id',
        '5:bad5:per',
        '5:bad5:colour',
        '6:bad6:meter',
        '7:bad7:days',
        '8:bad8:check',
        '9:bad9:meter',
      ]),
    );
    expect(problems.find((p) => p.field === 'kwh')!.message).toBe('Expected a number (kWh), not "lots"');
    expect(problems.find((p) => p.field === 'meter')!.message).toBe(
      'MPAN 1200050000008 fails its check digit (expected 9 as the last digit)',
    );
    expect(await call<AlertRule[]>('alerts.rules', {})).toEqual(before);
    // a site that does not exist is named too (checked once the rules themselves are sound)
    const site = await failure('alerts.importRules', {
      text: JSON.stringify({ rules: [{ id: 's', kind: 'zero-run', site: 99 }] }),
    });
    expect((site.details as { problems: { field: string; message: string }[] }).problems[0]).toMatchObject({
      field: 'site',
      message: 'No site 99: see "eclectyc sites list"',
    });
    const bad = await failure('alerts.importRules', { text: '{ "rules": [ { "id": "x", } ] }' });
    expect(bad.message).toMatch(/problem/);
    expect(JSON.stringify(bad.details)).toMatch(/not valid JSON at line 1, column/);
  });

  it('export and import round-trip; dry runs change nothing; replace removes the rest', async () => {
    const exported = await call<{ rules: AlertRule[] }>('alerts.exportRules', {});
    const dry = await call<AlertRuleImportResult>('alerts.importRules', {
      text: JSON.stringify({ rules: [exported.rules[0]] }),
      replace: true,
      dryRun: true,
    });
    expect(dry).toMatchObject({ created: 0, updated: 1, removed: exported.rules.length - 1 });
    expect(await call<AlertRule[]>('alerts.rules', {})).toEqual(exported.rules);
    const again = await call<AlertRuleImportResult>('alerts.importRules', { text: JSON.stringify(exported) });
    expect(again).toMatchObject({ created: 0, updated: exported.rules.length, removed: 0 });
    expect(await call<AlertRule[]>('alerts.rules', {})).toEqual(exported.rules);
  });
});

describe('cost-above', () => {
  it('prices each day (and month) on the assigned tariff: 20p/kWh, 50p a day, 5 % VAT', async () => {
    const flat = {
      ...economy7(),
      id: 'flat',
      name: 'Flat',
      rates: [{ pencePerKwh: 20 }],
      standingChargePencePerDay: 50,
    };
    await call('tariffs.import', { text: JSON.stringify({ tariffs: [flat] }) });
    await call('tariffs.assign', { meter: A, tariff: 'flat', from: '2025-01-01' });
    await call('alerts.saveRule', { rule: { id: 'cost-day', kind: 'cost-above', meter: A, gbp: 20 } });
    await call('alerts.saveRule', { rule: { id: 'cost-month', kind: 'cost-above', meter: A, gbp: 430, per: 'month' } });
    await call('alerts.saveRule', { rule: { id: 'cost-b', kind: 'cost-above', meter: B, gbp: 1 } });
    // the data as stored now: 12 Feb was corrected back to 88 kWh
    const stored = dataA.map((h) => ({ t: h.t, kwh: day(h.t) === '2025-02-12' && h.kwh === 8 ? 3 : h.kwh }));
    const pounds = (hs: HH[], days: number) => ((sum(hs) * 20 + 50 * days) * 1.05) / 100;
    const days = [...byDay(stored)].filter(([, v]) => pounds(v, 1) > 20).map(([d]) => d);
    expect(days).toEqual(['2025-02-17', '2025-02-18', '2025-02-19', '2025-02-20', '2025-02-21']);
    const months = ['2025-01', '2025-02'].filter((m) => {
      const hs = stored.filter((h) => day(h.t).startsWith(m));
      return pounds(hs, new Set(hs.map((h) => day(h.t))).size) > 430;
    });
    const r = await call<AlertCheckResult>('alerts.check', { at: AT });
    expect(firedOf(r, 'cost-day')).toEqual(days);
    expect(r.fired.find((a) => a.rule === 'cost-day')).toMatchObject({ value: 21.95, threshold: 20, unit: '£' });
    expect(firedOf(r, 'cost-month')).toEqual(months);
    expect(months).toEqual(['2025-01']);
    // a meter without a tariff cannot be priced: nothing fires for it
    expect(firedOf(r, 'cost-b')).toEqual([]);
  });
});

describe('system and grid rules', () => {
  it('import-failed: a failed import raises one alert naming the file', async () => {
    await call('alerts.saveRule', { rule: { id: 'imp', kind: 'import-failed', all: true, channels: ['email'] } });
    const job = await importCsv('broken.csv', 'this is not,a meter file\n1,2\n');
    expect(job.status).toBe('failed');
    const alerts = await call<Alert[]>('alerts.list', { rule: 'imp' });
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ subject: 'broken.csv', period: `job-${job.id}`, link: '#/imports' });
    expect(alerts[0]!.message).toMatch(/^broken\.csv could not be imported: /);
    expect((await call<AlertCheckResult>('alerts.check', {})).fired.filter((a) => a.rule === 'imp')).toEqual([]);
  });

  it('health: a check that turns warn opens an alert; back to ok resolves it', async () => {
    await call('alerts.saveRule', { rule: { id: 'h', kind: 'health', all: true } });
    const t = Math.floor(now / 1000);
    core.sqlite
      .prepare('INSERT INTO health_history ("check", status, previous, detail, at) VALUES (?, ?, ?, ?, ?)')
      .run('disk', 'warn', 'ok', 'Only 800 MB free on the data folder’s disk', t);
    const r = await call<AlertCheckResult>('alerts.check', {});
    expect(r.fired.map((a) => [a.rule, a.subject, a.link])).toEqual([['h', 'disk', '#/health']]);
    core.sqlite
      .prepare('INSERT INTO health_history ("check", status, previous, detail, at) VALUES (?, ?, ?, ?, ?)')
      .run('disk', 'ok', 'warn', '40 GB free', t + 60);
    const r2 = await call<AlertCheckResult>('alerts.check', {});
    expect(r2.resolved).toBeGreaterThanOrEqual(1);
    expect((await call<Alert[]>('alerts.list', { rule: 'h' }))[0]!.status).toBe('resolved');
  });

  it('carbon-intensity-below: forecast windows of at least N half-hours at or under the limit', async () => {
    const from = Date.parse('2025-03-10T10:00:00Z') / 1000;
    const forecast = [120, 90, 80, 85, 130, 95, 140, 70, 60, 150];
    const ins = core.sqlite.prepare(
      'INSERT OR REPLACE INTO carbon_national (ts, forecast, actual, "index", fetched_at) VALUES (?, ?, NULL, NULL, ?)',
    );
    forecast.forEach((g, i) => ins.run(from + i * 1800, g, from));
    await call('alerts.saveRule', { rule: { id: 'kiln', kind: 'carbon-intensity-below', gco2: 95, halfHours: 2 } });
    await call('alerts.saveRule', { rule: { id: 'dirty', kind: 'carbon-intensity-above', gco2: 140 } });
    const r = await call<AlertCheckResult>('alerts.check', {});
    // at or under 95 for 2+: 10:30–12:00 (90, 80, 85) and 13:30–14:30 (70, 60); 12:30 (95) alone is too short
    expect(firedOf(r, 'kiln')).toEqual(['2025-03-10T10:30Z', '2025-03-10T13:30Z']);
    expect(r.fired.find((a) => a.rule === 'kiln')!.message).toMatch(
      /A good time to use power: Mon 10 Mar 2025 10:30 to 12:00/,
    );
    expect(firedOf(r, 'dirty')).toEqual(['2025-03-10T13:00Z', '2025-03-10T14:30Z']);
  });
});

describe('rules that change, and checks in the middle of things', () => {
  it('a carbon window already under way keeps its alert: checks at 09:50, 10:10 and 10:40 raise it once', async () => {
    const from = Date.parse('2025-03-11T10:00:00Z') / 1000;
    const ins = core.sqlite.prepare(
      'INSERT OR REPLACE INTO carbon_national (ts, forecast, actual, "index", fetched_at) VALUES (?, ?, NULL, NULL, ?)',
    );
    for (let i = 0; i < 8; i++) ins.run(from + i * 1800, 50, from);
    await call('alerts.saveRule', { rule: { id: 'clean4', kind: 'carbon-intensity-below', gco2: 60, halfHours: 4 } });
    const fired: string[] = [];
    for (const at of ['2025-03-11T09:50:00Z', '2025-03-11T10:10:00Z', '2025-03-11T10:40:00Z', '2025-03-11T13:00:00Z'])
      fired.push(...firedOf(await call<AlertCheckResult>('alerts.check', { at }), 'clean4'));
    expect(fired).toEqual(['2025-03-11T10:00Z']);
    // over by 14:00: the window's alert resolves by itself
    await call<AlertCheckResult>('alerts.check', { at: '2025-03-11T14:30:00Z' });
    expect((await call<Alert[]>('alerts.list', { rule: 'clean4' }))[0]).toMatchObject({
      status: 'resolved',
      resolvedBy: null,
    });
  });

  it('a check partway through a day counts that day’s readings', async () => {
    await call('alerts.saveRule', { rule: { id: 'fresh', kind: 'data-missing', meter: B, halfHours: 4, days: 1 } });
    // B's readings run to 23 Feb 23:30; at 24 Feb 12:00 the half-day since is neither a gap nor a day
    expect(firedOf(await call<AlertCheckResult>('alerts.check', { at: '2025-02-24T12:00:00Z' }), 'fresh')).toEqual([]);
    // nothing on the 24th, readings on the morning of the 25th, a check at 12:00 on the 25th: the 24th
    // is a gap between readings, and the meter is not stale (its last reading is 2½ hours old)
    const morning = Array.from({ length: 20 }, (_, i) => ({ t: END + 86400 + i * 1800, kwh: 1 }));
    await importCsv('b-morning.csv', csv(B, morning));
    await call<AlertCheckResult>('alerts.check', { at: '2025-02-25T12:00:00Z' });
    // (the import itself was judged as at the test's clock, 10 Mar: stale by then; as at 25 Feb, not)
    const open = await call<Alert[]>('alerts.list', { rule: 'fresh', status: 'open' });
    expect(open.map((a) => [a.period, a.value])).toEqual([['2025-02-24T00:00Z', 48]]);
  });

  it('an alert whose meter the rule no longer watches resolves; a new kind starts afresh; a removed id can come back', async () => {
    await call('alerts.saveRule', { rule: { id: 'scope', kind: 'daily-kwh-above', all: true, kwh: 80 } });
    const r = await call<AlertCheckResult>('alerts.check', { at: AT });
    expect(
      new Set(firedOf(r, 'scope').length ? r.fired.filter((a) => a.rule === 'scope').map((a) => a.subject) : []),
    ).toEqual(new Set([A, B]));
    await call('alerts.saveRule', { rule: { id: 'scope', kind: 'daily-kwh-above', meter: A, kwh: 80 } });
    await call<AlertCheckResult>('alerts.check', { at: AT });
    const after = await call<Alert[]>('alerts.list', { rule: 'scope', limit: 5000 });
    expect(after.filter((a) => a.subject === B).every((a) => a.status === 'resolved')).toBe(true);
    expect(after.filter((a) => a.subject === A).some((a) => a.status === 'open')).toBe(true);

    // a new kind: the earlier alerts are history, the new condition is raised afresh
    await call('alerts.saveRule', { rule: { id: 'scope', kind: 'halfhour-kw-above', meter: A, kw: 5 } });
    const changed = await call<AlertCheckResult>('alerts.check', { at: AT });
    expect(changed.fired.filter((a) => a.rule === 'scope').every((a) => a.kind === 'halfhour-kw-above')).toBe(true);
    expect(changed.fired.filter((a) => a.rule === 'scope').length).toBeGreaterThan(0);
    const old = (await call<Alert[]>('alerts.list', { rule: 'scope', kind: 'daily-kwh-above', limit: 5000 })).filter(
      (a) => a.subject === A,
    );
    expect(old.every((a) => a.status === 'resolved' && a.resolvedBy === 'rule changed')).toBe(true);

    // removed, then added again under the same id: its findings are raised again, once
    await call('alerts.deleteRule', { id: 'scope' });
    await call('alerts.saveRule', { rule: { id: 'scope', kind: 'halfhour-kw-above', meter: A, kw: 5 } });
    const back = await call<AlertCheckResult>('alerts.check', { at: AT });
    expect(firedOf(back, 'scope')).toEqual(firedOf(changed, 'scope'));
    expect(firedOf(await call<AlertCheckResult>('alerts.check', { at: AT }), 'scope')).toEqual([]);
    // another rule cannot be renamed onto an id whose alerts are kept
    await call('alerts.saveRule', { rule: { id: 'other', kind: 'zero-run', all: true } });
    await call('alerts.deleteRule', { id: 'scope' });
    const clash = await failure('alerts.saveRule', {
      rule: { id: 'scope', kind: 'zero-run', all: true },
      previousId: 'other',
    });
    expect(clash).toMatchObject({
      code: 'CONFLICT',
      message: 'Alerts of an earlier rule "scope" are kept under that id: choose another id',
    });
  });
});
