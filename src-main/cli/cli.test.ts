/**
 * The CLI as users and scripts run it: a real process on a bundled build, a temporary data folder,
 * exit codes and the documented --json shapes.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCli, runCli } from '../../tests/helpers/cli';
import { FIXTURES, tempDir, writeTemp } from '../../tests/helpers/core';
import { economy7 } from '../../tests/fixtures/tariffs';

let cli: string;
const SAMPLE = path.join(FIXTURES, 'csv', 'long-autumn-with-errors.csv');

beforeAll(async () => {
  cli = await buildCli();
});

const run = (args: string[]) => runCli(cli, args);

describe('eclectyc CLI', () => {
  it('imports a file, reports bad rows by line, and reports duplicates on the second run', () => {
    const dataDir = tempDir();
    const first = run(['import', SAMPLE, '--data-dir', dataDir, '--json']);
    expect(first.code).toBe(0);
    const out = JSON.parse(first.stdout);
    expect(out.files).toHaveLength(1);
    expect(out.files[0]).toMatchObject({
      file: SAMPLE,
      format: 'long',
      rowsRead: 19,
      readingsImported: 14,
      duplicates: 0,
      rowsRejected: 5,
    });
    expect(out.files[0].errors.map((e: { line: number }) => e.line)).toEqual([16, 17, 18, 19, 20]);
    expect(out.files[0].errors[0].message).toMatch(/check digit/);
    const second = JSON.parse(run(['import', SAMPLE, '--data-dir', dataDir, '--json', '--reimport']).stdout);
    expect(second.files[0]).toMatchObject({ readingsImported: 0, duplicates: 14 });
  });

  it('lists meters and returns readings in UTC, from inclusive and to exclusive', () => {
    const dataDir = tempDir();
    run(['import', SAMPLE, '--data-dir', dataDir]);
    const meters = JSON.parse(run(['meters', '--data-dir', dataDir, '--json']).stdout);
    expect(meters[0]).toEqual({
      mpan: '1012477457919',
      fuel: 'electricity',
      site: null,
      firstReading: '2025-10-25T21:00:00Z',
      lastReading: '2025-10-26T02:30:00Z',
      readings: 12,
    });
    const r = run([
      'readings',
      '1012477457919',
      '--from',
      '2025-10-26T00:30:00Z',
      '--to',
      '2025-10-26T02:00:00Z',
      '--data-dir',
      dataDir,
      '--json',
    ]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([
      { start: '2025-10-26T00:30:00Z', kwh: 1.2, quality: 'actual' },
      { start: '2025-10-26T01:00:00Z', kwh: 1.3, quality: 'actual' },
      { start: '2025-10-26T01:30:00Z', kwh: 1.4, quality: 'actual' },
    ]);
    const human = run(['readings', '1012477457919', '--data-dir', dataDir]);
    expect(human.stdout).toContain('2025-10-26T01:30:00Z');
  });

  it('dry run parses, previews and writes nothing', () => {
    const dataDir = tempDir();
    const r = run(['import', SAMPLE, '--dry-run', '--data-dir', dataDir, '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).files[0]).toMatchObject({
      readingsImported: 14,
      preview: { meters: ['1012477457919', '2200012767323'] },
    });
    expect(JSON.parse(run(['meters', '--data-dir', dataDir, '--json']).stdout)).toEqual([]);
  });

  it('exits 1 with a plain message when a file cannot be imported at all', () => {
    const dataDir = tempDir();
    const missing = run(['import', path.join(dataDir, 'nope.csv'), '--data-dir', dataDir]);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toMatch(/no such file/);
    const junk = run(['import', writeTemp('junk.csv', 'a,b\n1,2\n'), '--data-dir', dataDir, '--json']);
    expect(junk.code).toBe(1);
    expect(JSON.parse(junk.stdout).files[0].error).toMatch(/^No header row/);
  });

  it('rejects unknown commands and options with usage help (exit 2), and reports unknown meters as a failed operation (exit 1)', () => {
    expect(run(['frobnicate']).code).toBe(2);
    expect(run(['meters', '--bogus']).code).toBe(2);
    // an option another command takes is still a mistake here
    const other = run(['meters', '--from', '2025-01-01']);
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/meters does not take --from/);
    const dataDir = tempDir();
    // an unknown meter is an operation that failed (1), not a wrong command line (2); --json keeps the error's code
    const r = run(['readings', '1012477457919', '--data-dir', dataDir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/No meter 1012477457919/);
    const j = run(['readings', '1012477457919', '--data-dir', dataDir, '--json']);
    expect(JSON.parse(j.stdout)).toEqual({
      error: { code: 'NOT_FOUND', message: expect.stringMatching(/No meter 1012477457919/) },
    });
    expect(execFileSync(process.execPath, [cli, '--help'], { encoding: 'utf8' })).toMatch(
      /eclectyc import FILE|import FILE/,
    );
  });

  it('aggregate, totals and compare answer in the documented shapes', () => {
    const dataDir = tempDir();
    run(['import', path.join(FIXTURES, 'public', 'wide-hh-sheffield-energysparks.csv'), '--data-dir', dataDir]);
    const agg = JSON.parse(run(['aggregate', '--full', '--data-dir', dataDir, '--json']).stdout);
    expect(agg).toEqual({ metersTouched: 1, daysTouched: 2, seconds: expect.any(Number) });
    const days = JSON.parse(
      run([
        'totals',
        '2336533093112',
        '--period',
        'day',
        '--from',
        '2019-12-10',
        '--to',
        '2019-12-12',
        '--data-dir',
        dataDir,
        '--json',
      ]).stdout,
    );
    expect(days).toHaveLength(2);
    expect(Object.keys(days[0]).sort()).toEqual(
      [
        'baseload',
        'completeness',
        'halfHours',
        'kwh',
        'max',
        'mean',
        'min',
        'missing',
        'peak',
        'peakAt',
        'period',
      ].sort(),
    );
    expect(days[0]).toMatchObject({
      period: '2019-12-10',
      halfHours: 48,
      missing: 0,
      completeness: 1,
      max: 31.34,
      peakAt: '2019-12-10T11:00:00Z',
    });
    const week = JSON.parse(
      run([
        'totals',
        '2336533093112',
        '--period',
        'week',
        '--from',
        '2019-12-10',
        '--to',
        '2019-12-11',
        '--data-dir',
        dataDir,
        '--json',
      ]).stdout,
    );
    expect(week[0]).toMatchObject({ period: '2019-W50', halfHours: 336, missing: 240 });
    const cmp = JSON.parse(
      run(['compare', '2336533093112', '--period', 'day', '--at', '2019-12-11', '--data-dir', dataDir, '--json'])
        .stdout,
    );
    expect(cmp).toMatchObject({ period: '2019-12-11', comparedWith: '2019-12-10', comparable: true });
    expect(cmp.changeKwh).toBeCloseTo(cmp.kwh - cmp.previousKwh, 9);
    expect(
      run([
        'totals',
        '2336533093112',
        '--period',
        'fortnight',
        '--from',
        '2019-12-10',
        '--to',
        '2019-12-11',
        '--data-dir',
        dataDir,
      ]).code,
    ).toBe(2);
    expect(
      run(['compare', '2336533093112', '--period', 'week', '--at', '2019-12', '--data-dir', dataDir]).stderr,
    ).toMatch(/not a week/);
  });

  it('carbon fetch and emissions work against a replayed API (--carbon-api)', async () => {
    const http = await import('node:http');
    const fs = await import('node:fs');
    const body = fs.readFileSync(
      path.join(FIXTURES, 'carbon', 'carbon-intensity-national-2019-08-25T1230Z-pt24h.json'),
      'utf8',
    );
    const srv = http.createServer((_q, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(body));
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
    const api = `http://127.0.0.1:${(srv.address() as { port: number }).port}`;
    try {
      const dataDir = tempDir();
      const lines = [
        'MPAN,Timestamp,kWh',
        ...Array.from(
          { length: 4 },
          (_, i) => `1012477457919,${new Date(Date.UTC(2019, 7, 25, 12, 30) + i * 1800000).toISOString()},2`,
        ),
      ];
      run(['import', writeTemp('c.csv', lines.join('\n')), '--data-dir', dataDir]);
      const spawnAsync = (args: string[]) =>
        new Promise<{ code: number | null; stdout: string }>((resolve) => {
          import('node:child_process').then(({ execFile }) =>
            execFile(process.execPath, [cli, ...args], (err, stdout) =>
              resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout }),
            ),
          );
        });
      const f = await spawnAsync([
        'carbon',
        'fetch',
        '--from',
        '2019-08-25T12:30:00Z',
        '--to',
        '2019-08-26T12:30:00Z',
        '--carbon-api',
        api,
        '--data-dir',
        dataDir,
        '--json',
      ]);
      expect(JSON.parse(f.stdout)).toEqual({ national: 48, regional: 0 });
      const e = await spawnAsync([
        'emissions',
        '1012477457919',
        '--from',
        '2019-08-25',
        '--to',
        '2019-08-26',
        '--data-dir',
        dataDir,
        '--json',
      ]);
      // 2 kWh × (178 + 176 + 175 + 178 actuals) / 1000
      expect(JSON.parse(e.stdout)).toEqual({
        kwh: 8,
        kgco2: expect.closeTo((2 * (178 + 176 + 175 + 178)) / 1000, 9),
        method: 'halfhourly',
        coverage: 1,
      });
    } finally {
      srv.closeAllConnections();
      srv.close();
    }
  });

  it('serve prints its URL and answers on 127.0.0.1', async () => {
    const dataDir = tempDir();
    const { spawn } = await import('node:child_process');
    const child = spawn(process.execPath, [cli, 'serve', '--port', '0', '--data-dir', dataDir], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let buf = '';
        child.stdout.on('data', (c) => {
          buf += c;
          const m = /running at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(buf);
          if (m) resolve(m[1]!);
        });
        child.on('exit', (code) => reject(new Error(`serve exited ${code}`)));
      });
      const r = await fetch(`${url}rpc/app.info`, { method: 'POST', body: '{}' });
      expect(await r.json()).toMatchObject({ ok: true, value: { host: 'server', role: 'admin' } });

      // A browser on /events must not keep the server alive after SIGTERM, nor see it as "Live":
      // the stream opens with a ping the page can see, and ends when the server stops.
      const events = await fetch(`${url}events`);
      const reader = events.body!.getReader();
      const first = new TextDecoder().decode((await reader.read()).value);
      expect(first).toMatch(/^retry: \d+\nevent: ping\ndata: \d+\n\n/);
      const exited = new Promise<number | null>((res) => child.once('exit', (code) => res(code)));
      child.kill('SIGTERM');
      const streamEnd = (async () => {
        for (;;) {
          try {
            if ((await reader.read()).done) return 'ended';
          } catch {
            return 'ended';
          }
        }
      })();
      const within = (ms: number) => new Promise((res) => setTimeout(() => res('still running'), ms));
      expect(await Promise.race([streamEnd, within(10_000)])).toBe('ended');
      expect(await Promise.race([exited, within(10_000)])).toBe(0);
    } finally {
      if (child.exitCode === null) {
        child.kill('SIGKILL');
        await new Promise((r) => child.once('exit', r));
      }
    }
  });

  it('serve refuses options it cannot use, and warns when it serves plain HTTP beyond this machine', async () => {
    const dataDir = tempDir();
    const half = run(['serve', '--tls-cert', 'cert.pem', '--data-dir', dataDir]);
    expect(half.code).toBe(2);
    expect(half.stderr).toMatch(/--tls-cert and --tls-key go together/);
    const size = run(['serve', '--max-upload', 'lots', '--data-dir', dataDir]);
    expect(size.code).toBe(2);
    expect(size.stderr).toMatch(/--max-upload must be a size such as 500MB or 2GB, not "lots"/);
    const url = run(['serve', '--public-url', 'energy.example.org', '--data-dir', dataDir]);
    expect(url.code).toBe(2);

    const { spawn } = await import('node:child_process');
    const child = spawn(process.execPath, [cli, 'serve', '--host', '0.0.0.0', '--port', '0', '--data-dir', dataDir], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      let err = '';
      child.stderr.on('data', (c) => (err += c));
      const port = await new Promise<string>((resolve, reject) => {
        let buf = '';
        child.stdout.on('data', (c) => {
          buf += c;
          const m = /running at http:\/\/0\.0\.0\.0:(\d+)\//.exec(buf);
          if (m) resolve(m[1]!);
        });
        child.on('exit', (code) => reject(new Error(`serve exited ${code}`)));
      });
      const r = await fetch(`http://127.0.0.1:${port}/rpc/app.info`, { method: 'POST', body: '{}' });
      expect(r.status).toBe(401);
      for (let i = 0; !err.includes('Warning') && i < 50; i++) await new Promise((res) => setTimeout(res, 100));
      expect(err).toMatch(/Warning: serving plain HTTP on 0\.0\.0\.0/);
    } finally {
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
    }
  });

  it('tariffs import/assign, cost and switch answer in the documented shapes', () => {
    const dataDir = tempDir();
    // two local days (48 + 48 half-hours) of 1 kWh from 2025-01-06 00:00 UK time
    const rows = Array.from(
      { length: 96 },
      (_, i) => `1012477457919,${new Date(Date.parse('2025-01-06T00:00:00Z') + i * 1800000).toISOString()},1`,
    );
    run(['import', writeTemp('two-days.csv', ['MPAN,Timestamp,kWh', ...rows].join('\n')), '--data-dir', dataDir]);
    const e7 = economy7();
    const flat = { ...e7, id: 'beta-flat', name: 'Beta Flat', supplier: 'Beta', rates: [{ pencePerKwh: 24 }] };
    const file = writeTemp('tariffs.json', JSON.stringify({ tariffs: [e7, flat] }));
    const imported = run(['tariffs', 'import', file, '--data-dir', dataDir, '--json']);
    expect(imported.code).toBe(0);
    expect(JSON.parse(imported.stdout)).toMatchObject({ tariffs: 2, versionsAdded: 2 });
    expect(
      run([
        'tariffs',
        'assign',
        '1012477457919',
        'acme-e7-2025',
        '--from',
        '2025-01-01',
        '--data-dir',
        dataDir,
        '--json',
      ]).code,
    ).toBe(0);
    const cost = JSON.parse(
      run(['cost', '1012477457919', '--from', '2025-01-06', '--to', '2025-01-08', '--data-dir', dataDir, '--json'])
        .stdout,
    );
    // 14 night half-hours a day at 13.1p, 34 day ones at 31.9p; 2 days of standing charge; 5 % VAT
    const unit = 2 * (14 * 13.1 + 34 * 31.9);
    expect(cost).toMatchObject({
      tariff: 'acme-e7-2025',
      kwh: 96,
      standingChargePence: 90.4,
      cclPence: 0,
      missingHalfHours: 0,
    });
    expect(cost.unitCostPence).toBeCloseTo(unit, 6);
    expect(cost.vatPence).toBeCloseTo((unit + 90.4) * 0.05, 6);
    expect(cost.totalPence).toBeCloseTo((unit + 90.4) * 1.05, 4);
    expect(cost.bands).toEqual([
      expect.objectContaining({ name: '00:30–07:30', kwh: 28, pence: 28 * 13.1 }),
      expect.objectContaining({ name: '07:30–00:30', kwh: 68, pence: 68 * 31.9 }),
    ]);
    const human = run(['cost', '1012477457919', '--from', '2025-01-06', '--to', '2025-01-08', '--data-dir', dataDir]);
    expect(human.stdout).toMatch(/Total\s+£/);
    const sw = JSON.parse(run(['switch', '1012477457919', '--days', '2', '--data-dir', dataDir, '--json']).stdout);
    expect(sw.current).toMatchObject({ tariff: 'acme-e7-2025', totalPence: cost.totalPence });
    expect(sw.alternatives).toEqual([
      expect.objectContaining({
        tariff: 'beta-flat',
        totalPence: expect.any(Number),
        savingPence: expect.any(Number),
        savingPercent: expect.any(Number),
      }),
    ]);
    expect(sw.alternatives[0].totalPence).toBeCloseTo((96 * 24 + 90.4) * 1.05, 4);
    // a broken tariff file: exit code, a message naming the problem, nothing stored
    const bad = run([
      'tariffs',
      'import',
      writeTemp(
        'bad.json',
        JSON.stringify({ tariffs: [{ ...flat, id: 'x', rates: [{ pencePerKwh: 5, from: '00:00', to: '06:00' }] }] }),
      ),
      '--data-dir',
      dataDir,
    ]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/no rate covers 06:00–24:00 on every day/);
    expect(
      JSON.parse(run(['tariffs', 'list', '--data-dir', dataDir, '--json']).stdout).map((t: { id: string }) => t.id),
    ).toEqual(['acme-e7-2025', 'beta-flat']);
  });

  it('calls any contract method with JSON arguments (eclectyc call), validated by the contract, with its error codes', () => {
    const dataDir = tempDir();
    const created = run([
      'call',
      'sites.create',
      '--args',
      '{"name":"Town Hall","postcode":"ba1 1aa"}',
      '--data-dir',
      dataDir,
    ]);
    expect(created.code).toBe(0);
    expect(JSON.parse(created.stdout)).toMatchObject({ name: 'Town Hall', postcode: 'BA1 1AA', meters: 0 });
    const sites = run(['call', 'sites.list', '--data-dir', dataDir]);
    expect(JSON.parse(sites.stdout).map((x: { name: string }) => x.name)).toEqual(['Town Hall']);
    const argsFile = writeTemp('args.json', JSON.stringify({ id: 999 }));
    const missing = run(['call', 'sites.get', '--args-file', argsFile, '--data-dir', dataDir, '--json']);
    expect(missing.code).toBe(1);
    expect(JSON.parse(missing.stdout)).toEqual({ error: { code: 'NOT_FOUND', message: 'No site 999' } });
    const invalid = run(['call', 'totals.list', '--args', '{"meter":"x"}', '--data-dir', dataDir, '--json']);
    expect(invalid.code).toBe(1);
    expect(JSON.parse(invalid.stdout).error).toMatchObject({
      code: 'INVALID_ARGS',
      details: expect.arrayContaining([expect.objectContaining({ path: 'period' })]),
    });
    expect(run(['call', 'no.such.method', '--data-dir', dataDir]).code).toBe(2);
    expect(run(['call', 'sites.list', '--args', '{not json', '--data-dir', dataDir]).code).toBe(2);
  });
});
