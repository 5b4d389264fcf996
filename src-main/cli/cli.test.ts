/**
 * The CLI as users and scripts run it: a real process on a bundled build, a temporary data folder,
 * exit codes and the documented --json shapes.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCli, runCli } from '../../tests/helpers/cli';
import { FIXTURES, tempDir, writeTemp } from '../../tests/helpers/core';

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
    expect(out.files[0]).toMatchObject({ file: SAMPLE, format: 'long', rowsRead: 19, readingsImported: 14, duplicates: 0, rowsRejected: 5 });
    expect(out.files[0].errors.map((e: { line: number }) => e.line)).toEqual([16, 17, 18, 19, 20]);
    expect(out.files[0].errors[0].message).toMatch(/check digit/);
    const second = JSON.parse(run(['import', SAMPLE, '--data-dir', dataDir, '--json']).stdout);
    expect(second.files[0]).toMatchObject({ readingsImported: 0, duplicates: 14 });
  });

  it('lists meters and returns readings in UTC, from inclusive and to exclusive', () => {
    const dataDir = tempDir();
    run(['import', SAMPLE, '--data-dir', dataDir]);
    const meters = JSON.parse(run(['meters', '--data-dir', dataDir, '--json']).stdout);
    expect(meters[0]).toEqual({ mpan: '1012477457919', fuel: 'electricity', site: null, firstReading: '2025-10-25T21:00:00Z', lastReading: '2025-10-26T02:30:00Z', readings: 12 });
    const r = run(['readings', '1012477457919', '--from', '2025-10-26T00:30:00Z', '--to', '2025-10-26T02:00:00Z', '--data-dir', dataDir, '--json']);
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
    expect(JSON.parse(r.stdout).files[0]).toMatchObject({ readingsImported: 14, preview: { meters: ['1012477457919', '2200012767323'] } });
    expect(JSON.parse(run(['meters', '--data-dir', dataDir, '--json']).stdout)).toEqual([]);
  });

  it('exits 1 with a plain message when a file cannot be imported at all', () => {
    const dataDir = tempDir();
    const missing = run(['import', path.join(dataDir, 'nope.csv'), '--data-dir', dataDir]);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toMatch(/no such file/);
    const junk = run(['import', writeTemp('junk.csv', 'a,b\n1,2\n'), '--data-dir', dataDir, '--json']);
    expect(junk.code).toBe(1);
    expect(JSON.parse(junk.stdout).files[0].error).toMatch(/no header row/);
  });

  it('rejects unknown commands and options with usage help (exit 2), and knows unknown meters', () => {
    expect(run(['frobnicate']).code).toBe(2);
    expect(run(['meters', '--bogus']).code).toBe(2);
    const dataDir = tempDir();
    const r = run(['readings', '1012477457919', '--data-dir', dataDir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no meter 1012477457919/);
    expect(execFileSync(process.execPath, [cli, '--help'], { encoding: 'utf8' })).toMatch(/eclectyc import FILE|import FILE/);
  });

  it('aggregate, totals and compare answer in the documented shapes', () => {
    const dataDir = tempDir();
    run(['import', path.join(FIXTURES, 'public', 'wide-hh-sheffield-energysparks.csv'), '--data-dir', dataDir]);
    const agg = JSON.parse(run(['aggregate', '--full', '--data-dir', dataDir, '--json']).stdout);
    expect(agg).toEqual({ metersTouched: 1, daysTouched: 2, seconds: expect.any(Number) });
    const days = JSON.parse(run(['totals', '2336533093112', '--period', 'day', '--from', '2019-12-10', '--to', '2019-12-12', '--data-dir', dataDir, '--json']).stdout);
    expect(days).toHaveLength(2);
    expect(Object.keys(days[0]).sort()).toEqual(['baseload', 'completeness', 'halfHours', 'kwh', 'max', 'mean', 'min', 'missing', 'peak', 'peakAt', 'period'].sort());
    expect(days[0]).toMatchObject({ period: '2019-12-10', halfHours: 48, missing: 0, completeness: 1, max: 31.34, peakAt: '2019-12-10T11:00:00Z' });
    const week = JSON.parse(run(['totals', '2336533093112', '--period', 'week', '--from', '2019-12-10', '--to', '2019-12-11', '--data-dir', dataDir, '--json']).stdout);
    expect(week[0]).toMatchObject({ period: '2019-W50', halfHours: 336, missing: 240 });
    const cmp = JSON.parse(run(['compare', '2336533093112', '--period', 'day', '--at', '2019-12-11', '--data-dir', dataDir, '--json']).stdout);
    expect(cmp).toMatchObject({ period: '2019-12-11', comparedWith: '2019-12-10', comparable: true });
    expect(cmp.changeKwh).toBeCloseTo(cmp.kwh - cmp.previousKwh, 9);
    expect(run(['totals', '2336533093112', '--period', 'fortnight', '--from', '2019-12-10', '--to', '2019-12-11', '--data-dir', dataDir]).code).toBe(2);
    expect(run(['compare', '2336533093112', '--period', 'week', '--at', '2019-12', '--data-dir', dataDir]).stderr).toMatch(/not a week/);
  });

  it('carbon fetch and emissions work against a replayed API (--carbon-api)', async () => {
    const http = await import('node:http');
    const fs = await import('node:fs');
    const body = fs.readFileSync(path.join(FIXTURES, 'carbon', 'carbon-intensity-national-2019-08-25T1230Z-pt24h.json'), 'utf8');
    const srv = http.createServer((_q, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(body));
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
    const api = `http://127.0.0.1:${(srv.address() as { port: number }).port}`;
    try {
      const dataDir = tempDir();
      const lines = ['MPAN,Timestamp,kWh', ...Array.from({ length: 4 }, (_, i) => `1012477457919,${new Date(Date.UTC(2019, 7, 25, 12, 30) + i * 1800000).toISOString()},2`)];
      run(['import', writeTemp('c.csv', lines.join('\n')), '--data-dir', dataDir]);
      const spawnAsync = (args: string[]) => new Promise<{ code: number | null; stdout: string }>((resolve) => {
        import('node:child_process').then(({ execFile }) => execFile(process.execPath, [cli, ...args], (err, stdout) => resolve({ code: err ? (err as { code?: number }).code ?? 1 : 0, stdout })));
      });
      const f = await spawnAsync(['carbon', 'fetch', '--from', '2019-08-25T12:30:00Z', '--to', '2019-08-26T12:30:00Z', '--carbon-api', api, '--data-dir', dataDir, '--json']);
      expect(JSON.parse(f.stdout)).toEqual({ national: 48, regional: 0 });
      const e = await spawnAsync(['emissions', '1012477457919', '--from', '2019-08-25', '--to', '2019-08-26', '--data-dir', dataDir, '--json']);
      // 2 kWh × (178 + 176 + 175 + 178 actuals) / 1000
      expect(JSON.parse(e.stdout)).toEqual({ kwh: 8, kgco2: expect.closeTo((2 * (178 + 176 + 175 + 178)) / 1000, 9), method: 'halfhourly', coverage: 1 });
    } finally {
      srv.closeAllConnections();
      srv.close();
    }
  });

  it('serve prints its URL and answers on 127.0.0.1', async () => {
    const dataDir = tempDir();
    const { spawn } = await import('node:child_process');
    const child = spawn(process.execPath, [cli, 'serve', '--port', '0', '--data-dir', dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
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
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  });
});
