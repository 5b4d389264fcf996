/**
 * Exports of readings and day totals: exported readings (long and wide) re-import into an empty
 * database to exactly the same readings and flags — the public fixtures and the clock-change days —
 * and the files are what Excel expects (BOM, CRLF).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { importFiles, makeCore, storedReadings, tempDir, writeTemp } from '../../../tests/helpers/core';
import type { Core } from '../app';
import { exportRequestSchema } from '../../../src-shared/contract/exports';
import { callAs, runExport, type ExportDeps, type ExportRequest } from './export';

/** What an export reads, from a core, calling the contract as an admin. */
const depsOf = (c: Core): ExportDeps => ({
  meters: c.meters,
  readings: c.readings,
  call: callAs(c.handlers, { role: 'admin', actor: 'test' }),
});

const PUBLIC = '/work/shared/fixtures/public';
const cores: Core[] = [];
afterEach(async () => {
  for (const c of cores.splice(0)) await c.stop();
});

async function core(): Promise<Core> {
  const c = await makeCore();
  cores.push(c);
  return c;
}

/** Exports to a file and returns its path. */
async function exportTo(c: Core, req: ExportRequest, name: string): Promise<string> {
  const file = path.join(tempDir('eclectyc-export-'), name);
  const out = fs.createWriteStream(file);
  await runExport(depsOf(c), req, out);
  await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
  return file;
}

/** Stored readings without the writing job (a re-import is one job). */
const readings = (c: Core) => storedReadings(c).map(([m, ts, kwh, q]) => [m, ts, kwh, q]);

async function roundTrip(source: Core, layout: 'long' | 'wide', from: string, to: string) {
  const file = await exportTo(source, { what: 'readings', scope: { all: true }, from, to, layout }, `${layout}.csv`);
  const target = await core();
  const [job] = await importFiles(target, [file]);
  expect(job?.status, JSON.stringify(job)).toBe('done');
  return { file, target };
}

describe('readings exports', () => {
  const fixtures = fs.readdirSync(PUBLIC).filter((f) => f.endsWith('.csv'));

  it.each(['long', 'wide'] as const)(
    're-import the public fixtures from the %s layout to the same readings and flags',
    async (layout) => {
      const source = await core();
      await importFiles(
        source,
        fixtures.map((f) => path.join(PUBLIC, f)),
      );
      const before = readings(source);
      expect(before.length).toBeGreaterThan(400);
      expect(new Set(before.map((r) => r[0])).size).toBe(8);
      const { target } = await roundTrip(source, layout, '2000-01-01', '2030-01-01');
      expect(readings(target)).toEqual(before);
    },
  );

  // a hand-made file over both 2025 clock changes: 46 and 50 half-hours, with estimated and missing values
  function clockChangeFile(): { file: string; expected: [string, number, number | null, number][] } {
    const lines = ['MPAN,Timestamp,kWh,Quality'];
    const expected: [string, number, number | null, number][] = [];
    for (const [meter, first] of [
      ['1200050000009', Date.UTC(2025, 2, 29, 0, 0) / 1000],
      ['1200050000106', Date.UTC(2025, 9, 24, 23, 0) / 1000],
    ] as const) {
      // three local days from `first`: 48 + 46 + 48 or 48 + 50 + 48 half-hours
      const n = meter === '1200050000009' ? 142 : 146;
      for (let k = 0; k < n; k++) {
        const ts = first + k * 1800;
        const kwh = k % 17 === 5 ? null : Math.round((1 + Math.sin(k) * 0.9) * 1000) / 1000;
        const q = kwh === null ? 2 : k % 11 === 3 ? 1 : 0;
        lines.push(`${meter},${new Date(ts * 1000).toISOString()},${kwh ?? ''},${q === 1 ? 'Estimated' : 'Actual'}`);
        expected.push([meter, ts, kwh, q]);
      }
    }
    return { file: writeTemp('clock-changes.csv', lines.join('\n') + '\n'), expected };
  }

  /**
   * Checks a wide file against the readings: each in the column of its UK local start (by Intl), the
   * repeated autumn hour's second occurrence in `01:00 (2nd)`/`01:30 (2nd)`, flag A/E/M; no other cell filled.
   */
  function checkWide(text: string, expected: [string, number, number | null, number][]): void {
    const rows = text
      .slice(1)
      .split('\r\n')
      .slice(0, -1)
      .map((r) => r.split(','));
    const header = rows[0]!;
    const labels: string[] = [];
    for (let h = 0; h < 24; h++)
      for (const m of ['00', '30']) {
        labels.push(`${String(h).padStart(2, '0')}:${m}`);
        if (h === 1 && m === '30') labels.push('01:00 (2nd)', '01:30 (2nd)');
      }
    expect(header).toEqual(['Meter', 'Date', 'Half-hours', ...labels.flatMap((l) => [l, `${l} Flag`])]);
    const local = new Intl.DateTimeFormat('en-CA', {
      timeZone: 'Europe/London',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    const seen = new Set<string>();
    const filled = new Map<string, number>();
    for (const [meter, ts, kwh, q] of expected) {
      const p = Object.fromEntries(local.formatToParts(new Date(ts * 1000)).map((x) => [x.type, x.value]));
      const date = `${p.year}-${p.month}-${p.day}`;
      let label = `${p.hour}:${p.minute}`;
      if (seen.has(`${meter} ${date} ${label}`)) label += ' (2nd)';
      seen.add(`${meter} ${date} ${label}`);
      const row = rows.find((r) => r[0] === meter && r[1] === date)!;
      const at = header.indexOf(label);
      expect([date, label, row[at], row[at + 1]]).toEqual([date, label, kwh === null ? '' : String(kwh), 'AEM'[q]]);
      filled.set(`${meter} ${date}`, (filled.get(`${meter} ${date}`) ?? 0) + 1);
    }
    for (const r of rows.slice(1))
      expect(r.slice(3).filter((c, i) => i % 2 === 1 && c !== '').length).toBe(filled.get(`${r[0]} ${r[1]}`));
  }

  it.each(['long', 'wide'] as const)(
    're-import the clock-change days (46 and 50 half-hours) from the %s layout',
    async (layout) => {
      const source = await core();
      const { file, expected } = clockChangeFile();
      await importFiles(source, [file]);
      expect(readings(source)).toEqual(expected);
      const { file: exported, target } = await roundTrip(source, layout, '2025-03-01', '2025-11-01');
      expect(readings(target)).toEqual(expected);
      if (layout === 'wide') checkWide(fs.readFileSync(exported, 'utf8'), expected);
    },
  );

  it.each(['long', 'wide'] as const)(
    're-imports a partly received day from the %s layout without inventing the half-hours never sent',
    async (layout) => {
      const source = await core();
      // 6 half-hours of 48 on 12 March 2025 (one missing, one estimated), 3 on 13 March, 48 on 14 March
      const lines = ['MPAN,Timestamp,kWh,Quality'];
      const t = (d: number, k: number) => new Date(Date.UTC(2025, 2, d) + k * 1_800_000).toISOString();
      for (const k of [0, 1, 7, 20, 21, 47])
        lines.push(`1200050000203,${t(12, k)},${k === 20 ? '' : k / 10},${k === 7 ? 'E' : 'A'}`);
      for (const k of [5, 6, 30]) lines.push(`1200050000203,${t(13, k)},${k === 30 ? '' : 1.25},A`);
      for (let k = 0; k < 48; k++) lines.push(`1200050000203,${t(14, k)},${k === 9 ? '' : 0.5},A`);
      await importFiles(source, [writeTemp('partial.csv', lines.join('\n'))]);
      const before = readings(source);
      expect(before).toHaveLength(6 + 3 + 48);
      expect(before.filter((r) => r[3] === 2)).toHaveLength(3);
      const { file, target } = await roundTrip(source, layout, '2025-03-01', '2025-04-01');
      expect(readings(target)).toEqual(before);
      if (layout === 'wide')
        checkWide(fs.readFileSync(file, 'utf8'), before as [string, number, number | null, number][]);
    },
  );

  it('refuses a value under 01:00 (2nd) on a day the clocks do not go back, naming the cell', async () => {
    const c = await core();
    const source = await core();
    await importFiles(source, [clockChangeFile().file]);
    const scope = { meter: '1200050000009' };
    const file = await exportTo(
      source,
      { what: 'readings', scope, from: '2025-03-29', to: '2025-03-30', layout: 'wide' },
      'w.csv',
    );
    const [bom, head, row] = fs.readFileSync(file, 'utf8').split(/(?<=\ufeff)|\r\n/);
    const cells = row!.split(',');
    const at = head!.split(',').indexOf('01:00 (2nd)');
    cells[at] = '0.5';
    cells[at + 1] = 'A';
    const [job] = await importFiles(c, [writeTemp('edited.csv', `${bom}${head}\r\n${cells.join(',')}\r\n`)]);
    expect(job?.rowsRejected).toBe(1);
    expect(JSON.stringify(job)).toContain('01:00 (2nd) exists only on the day the clocks go back, not on 2025-03-29');
    // the rest of the day imported as it was
    const day = readings(source).filter(
      ([m, ts]) => m === '1200050000009' && (ts as number) < Date.UTC(2025, 2, 30) / 1000,
    );
    expect(day).toHaveLength(48);
    expect(readings(c)).toEqual(day);
  });

  it('re-imports a gas meter read in m³ to the same kWh, and gives the volumes', async () => {
    const source = await core();
    const lines = ['MPRN,Timestamp,Consumption (m3)'];
    const t0 = Date.UTC(2025, 0, 6) / 1000;
    for (let k = 0; k < 96; k++)
      lines.push(`9100000001,${new Date((t0 + k * 1800) * 1000).toISOString()},${(k % 7) * 0.125}`);
    await importFiles(source, [writeTemp('gas.csv', lines.join('\n'))]);
    const before = readings(source);
    expect(before).toHaveLength(96);
    const { file, target } = await roundTrip(source, 'long', '2025-01-01', '2025-02-01');
    expect(readings(target)).toEqual(before);
    const rows = fs.readFileSync(file, 'utf8').split('\r\n');
    expect(rows[1 + 3]!.split(',')[5]).toBe('0.375');
  });

  it('writes a BOM, CRLF lines, UTC and UK local starts', async () => {
    const source = await core();
    await importFiles(source, [clockChangeFile().file]);
    const file = await exportTo(
      source,
      { what: 'readings', scope: { meter: '1200050000106' }, from: '2025-10-26', to: '2025-10-27' },
      'x.csv',
    );
    const bytes = fs.readFileSync(file);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8').slice(1);
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    const rows = text.split('\r\n').slice(0, -1);
    expect(rows[0]).toBe('Meter,Start (UTC),Start (UK local),kWh,Quality,Gas volume (m3)');
    expect(rows).toHaveLength(51);
    // the repeated hour: 00:00 and 01:00 UTC are both 01:00 local (BST, then GMT)
    const starts = rows.slice(1).map((r) => r.split(',').slice(1, 3));
    expect(starts[0]).toEqual(['2025-10-25T23:00:00Z', '26/10/2025 00:00']);
    expect(starts[2]).toEqual(['2025-10-26T00:00:00Z', '26/10/2025 01:00']);
    expect(starts[4]).toEqual(['2025-10-26T01:00:00Z', '26/10/2025 01:00']);
    expect(starts[49]).toEqual(['2025-10-26T23:30:00Z', '26/10/2025 23:30']);
  });

  it('exports day totals that add up to the half-hours', async () => {
    const source = await core();
    const { file, expected } = clockChangeFile();
    await importFiles(source, [file]);
    const out = await exportTo(
      source,
      { what: 'days', scope: { all: true }, from: '2025-01-01', to: '2026-01-01' },
      'days.csv',
    );
    const rows = fs
      .readFileSync(out, 'utf8')
      .slice(1)
      .split('\r\n')
      .slice(1, -1)
      .map((r) => r.split(','));
    expect(rows.map((r) => [r[0], r[1], r[3]])).toEqual([
      ['1200050000009', '2025-03-29', '48'],
      ['1200050000009', '2025-03-30', '46'],
      ['1200050000009', '2025-03-31', '48'],
      ['1200050000106', '2025-10-25', '48'],
      ['1200050000106', '2025-10-26', '50'],
      ['1200050000106', '2025-10-27', '48'],
    ]);
    const autumn = expected.filter(([m, ts]) => m === '1200050000106' && ts >= 1761433200 && ts < 1761523200);
    const sum = autumn.reduce((s, r) => s + (r[2] ?? 0), 0);
    expect(Number(rows[4]![2])).toBeCloseTo(sum, 9);
    expect(Number(rows[4]![6])).toBe(autumn.filter((r) => r[3] === 2).length);
  });

  it('gives the peak of day and period totals at UK local time beside UTC', async () => {
    const source = await core();
    await importFiles(source, [clockChangeFile().file]);
    // the UK clock by Intl, independently of the app's own London time
    const uk = (iso: string): string => {
      const p = new Intl.DateTimeFormat('en-GB', {
        timeZone: 'Europe/London',
        dateStyle: 'short',
        timeStyle: 'short',
      }).format(new Date(iso));
      return p.replace(', ', ' ');
    };
    const scope = { meter: '1200050000106' };
    const days = await exportTo(source, { what: 'days', scope, from: '2025-10-25', to: '2025-10-28' }, 'd.csv');
    const totals = await exportTo(
      source,
      { what: 'totals', scope, from: '2025-10-25', to: '2025-10-28', period: 'day' },
      't.csv',
    );
    let shifted = 0;
    for (const file of [days, totals]) {
      const rows = fs
        .readFileSync(file, 'utf8')
        .slice(1)
        .split('\r\n')
        .slice(0, -1)
        .map((r) => r.split(','));
      const at = rows[0]!.indexOf('Peak at (UTC)');
      expect(rows[0]![at + 1]).toBe('Peak at (UK local)');
      expect(rows).toHaveLength(4);
      for (const r of rows.slice(1)) {
        expect(r[at]).toMatch(/^2025-10-2\dT\d\d:\d\d:00Z$/);
        expect(r[at + 1]).toBe(uk(r[at]!));
        if (r[at]!.slice(11, 13) !== r[at + 1]!.slice(11, 13)) shifted++;
      }
    }
    // 25 October is BST: there the local hour is the UTC hour + 1
    expect(shifted).toBeGreaterThan(0);
  });

  it("exports a site's meters only, and only the days asked for", async () => {
    const source = await core();
    await importFiles(source, [clockChangeFile().file]);
    const call = depsOf(source).call;
    const site = await call('sites.create', { name: 'Depot' });
    await call('meters.update', { meter: '1200050000106', siteId: site.id });
    const file = await exportTo(
      source,
      { what: 'readings', scope: { siteId: site.id }, from: '2025-10-26', to: '2025-10-27', layout: 'wide' },
      'site.csv',
    );
    const rows = fs.readFileSync(file, 'utf8').split('\r\n').slice(1, -1);
    expect(rows.map((r) => r.split(',').slice(0, 3))).toEqual([['1200050000106', '2025-10-26', '50']]);
  });

  it('refuses an unknown meter, a site that does not exist, a site without meters and dates that are not dates', async () => {
    const c = await core();
    const out = fs.createWriteStream(path.join(tempDir(), 'x.csv'));
    const req = { what: 'readings', from: '2025-01-01', to: '2025-02-01' } as const;
    await expect(runExport(depsOf(c), { ...req, scope: { meter: '1200050000009' } }, out)).rejects.toThrow(/No meter/);
    await expect(runExport(depsOf(c), { ...req, scope: { siteId: 9 } }, out)).rejects.toThrow(
      'Site 9 does not exist; check the site id',
    );
    const empty = await depsOf(c).call('sites.create', { name: 'Empty' });
    await expect(runExport(depsOf(c), { ...req, scope: { siteId: empty.id } }, out)).rejects.toThrow(
      `Site ${empty.id} has no meters`,
    );
    await expect(runExport(depsOf(c), { ...req, scope: { all: true }, from: 'soon' }, out)).rejects.toThrow(
      /"from" \(soon\) is not a date/,
    );
    out.destroy();
  });

  it('takes from and to only as real dates written YYYY-MM-DD, in the core and in the download request', async () => {
    const c = await core();
    const out = fs.createWriteStream(path.join(tempDir(), 'x.csv'));
    const req = { what: 'days', scope: { all: true }, from: '2025-01-01', to: '2025-02-01' } as const;
    // each of these Date.parse would read as some day (3 January, 2001, 1 March, 2 March)
    for (const bad of ['01/03/2025', '1', 'March 1, 2025', '2025-02-30', '2025-3-1']) {
      await expect(runExport(depsOf(c), { ...req, from: bad }, out)).rejects.toThrow(
        `"from" (${bad}) is not a date; expected YYYY-MM-DD`,
      );
      await expect(runExport(depsOf(c), { ...req, to: bad }, out)).rejects.toThrow(`"to" (${bad}) is not a date`);
      expect(exportRequestSchema.safeParse({ ...req, from: bad }).success, bad).toBe(false);
    }
    expect(exportRequestSchema.safeParse(req).success).toBe(true);
    await expect(runExport(depsOf(c), { ...req, from: '2024-02-29', to: '2024-03-01' }, out)).resolves.toBe(1);
    out.destroy();
  });
});
