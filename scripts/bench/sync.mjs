// npm run bench:sync — the 1,000-meter synthetic portfolio (a year of half-hours, 17.5 M readings)
// synced from one desktop to the shared server on PostgreSQL and on to a second, empty desktop, each
// with `eclectyc sync --server URL --token T` in its own process (the CLI as users run it). A
// counting TCP proxy in front of the server gives the bytes each way; the server process's CPU time
// comes from /proc. PostgreSQL runs with its own durable write settings (fsync on). The second
// desktop's readings are checked against the first's (meter-days, half-hours, kWh).
// Target (issue 19): each sync under 60 s. Usage: node scripts/bench/sync.mjs [--meters N] [--keep]
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  bundle,
  cliBuild,
  fmtBytes,
  fmtMs,
  machineLine,
  MIGRATIONS,
  REPO,
  scratchDir,
  table,
  verdict,
} from './portfolio.mjs';

const TARGET_MS = 60_000;
const DAYS = 365;

/** Runs node with `args`; resolves with its exit status and output. */
function runChild(args) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b) => (stdout += b));
    child.stderr.on('data', (b) => (stderr += b));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

const { values: o } = parseArgs({
  options: { meters: { type: 'string', default: '1000' }, keep: { type: 'boolean', default: false } },
});
const meters = Number(o.meters);
const outDir = await bundle({ 'sync-harness': path.join(REPO, 'scripts/bench/sync-harness.ts') });
const h = await import(path.join(outDir, 'sync-harness.cjs'));
const { cli } = await cliBuild();
console.log(await machineLine());

const first = scratchDir('eclectyc-bench-sync-a-', o.keep);
const second = scratchDir('eclectyc-bench-sync-b-', o.keep);
const built = await h.build(first, MIGRATIONS, meters, DAYS);
console.error(`${meters} meters × ${DAYS} days written in ${fmtMs(built.buildMs)}`);

const pgServer = await h.postgres();
let server = null;
let proxy = null;
try {
  const run = (args, dataDir) =>
    execFileSync(process.execPath, [cli, ...args, ...(dataDir ? ['--data-dir', dataDir] : [])], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  const token = JSON.parse(
    run(['tokens', 'create', '--name', 'bench', '--role', 'manager', '--database', pgServer.url, '--json']),
  ).token;
  const port = 20_000 + (process.pid % 20_000);
  server = spawn(process.execPath, [cli, 'serve', '--database', pgServer.url, '--port', String(port)], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let serverLog = '';
  server.stderr.on('data', (b) => (serverLog += b));
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/health`)).ok) break;
    } catch {
      /* not listening yet */
    }
    if (i > 200 || server.exitCode !== null) throw new Error(`the shared server did not start:\n${serverLog}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  proxy = await h.countingProxy(port);
  const url = `http://127.0.0.1:${proxy.port}`;
  const serverCpuMs = () => {
    const f = fs.readFileSync(`/proc/${server.pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1000) / 100; // utime + stime, in clock ticks of 1/100 s
  };

  const results = [];
  for (const [label, dir] of [
    ['first desktop → server (push a year, then pull)', first],
    ['server → second, empty desktop (pull a year)', second],
  ]) {
    proxy.reset();
    const cpu0 = serverCpuMs();
    const t0 = process.hrtime.bigint();
    // not spawnSync: the proxy runs in this process and must keep forwarding while the sync runs
    const child = await runChild([cli, 'sync', '--server', url, '--token', token, '--data-dir', dir]);
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (child.status !== 0) throw new Error(`sync failed after ${fmtMs(ms)}: ${child.stderr}\nserver: ${serverLog}`);
    results.push({ label, ms, serverCpuMs: serverCpuMs() - cpu0, ...proxy.counts(), ...JSON.parse(child.stdout) });
  }
  const [a, b] = [await h.readingsSummary(first, MIGRATIONS), await h.readingsSummary(second, MIGRATIONS)];
  const size = await h.serverSize(pgServer.url);
  const same = a.days === b.days && a.present === b.present && a.kwh === b.kwh && a.meters === b.meters;

  console.log(
    `\n${meters.toLocaleString('en-GB')} meters × ${DAYS} days (${a.present.toLocaleString('en-GB')} half-hours, ${a.days.toLocaleString('en-GB')} meter-days), one meter in ten gas; PostgreSQL 15 with fsync on, on this machine\n`,
  );
  console.log(
    table(
      [
        'sync (eclectyc sync, its own process)',
        'pushed',
        'pulled',
        'sent',
        'received',
        'time',
        'server CPU',
        'target',
        'result',
      ],
      results.map((r) => [
        r.label,
        r.pushed.toLocaleString('en-GB'),
        r.pulled.toLocaleString('en-GB'),
        fmtBytes(r.sent),
        fmtBytes(r.received),
        fmtMs(r.ms),
        fmtMs(r.serverCpuMs),
        '< 60 s',
        verdict(r.ms < TARGET_MS),
      ]),
    ),
  );
  console.log(
    `\nServer database after: ${fmtBytes(size.bytes)} (${size.days.toLocaleString('en-GB')} meter-days). Second desktop ${same ? 'equals' : '**differs from**'} the first: ${b.days.toLocaleString('en-GB')} meter-days, ${b.present.toLocaleString('en-GB')} half-hours, ${b.kwh} kWh (first: ${a.days}, ${a.present}, ${a.kwh}).`,
  );
  if (!same || results.some((r) => r.ms >= TARGET_MS)) process.exitCode = 1;
} finally {
  await proxy?.close();
  server?.kill();
  pgServer.stop();
}
