// Shared by bench:aggregate and bench:tariffs: the import benchmark's portfolio, generated and
// imported once (kept in .bench/), copied into a scratch folder for each run, and a harness bundled.
import { execFileSync } from 'node:child_process';
import { build } from 'esbuild';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

export const REPO = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');

/** Parses --meters/--days, makes sure the portfolio is imported, and copies its database into a scratch folder. */
export function scratchPortfolio(prefix) {
  const { values: o } = parseArgs({ options: { meters: { type: 'string', default: '1000' }, days: { type: 'string', default: '365' } } });
  const dir = path.join(REPO, '.bench', `${o.meters}x${o.days}`);
  const cli = path.join(REPO, 'dist', 'cli.cjs');
  if (!fs.existsSync(cli)) execFileSync('node', [path.join(REPO, 'scripts', 'build-main.mjs')], { stdio: 'inherit' });
  if (!fs.existsSync(path.join(dir, 'long.csv'))) execFileSync('node', [path.join(REPO, 'scripts', 'bench', 'generate.mjs'), dir, o.meters, o.days], { stdio: ['ignore', 'ignore', 'inherit'] });
  const imported = path.join(dir, 'imported');
  if (!fs.existsSync(path.join(imported, 'eclectyc.sqlite'))) {
    console.error('importing the portfolio once (kept in .bench/) …');
    execFileSync(process.execPath, [cli, 'import', path.join(dir, 'long.csv'), '--data-dir', imported, '--json'], { stdio: ['ignore', 'ignore', 'inherit'] });
  }
  const work = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  for (const f of fs.readdirSync(imported)) if (f.startsWith('eclectyc.sqlite')) fs.copyFileSync(path.join(imported, f), path.join(work, f));
  return { work, dir };
}

/** Bundles harness entry points (TypeScript) into node_modules/.cache and returns that folder. */
export async function bundle(entryPoints) {
  const outDir = path.join(REPO, 'node_modules', '.cache', 'eclectyc-bench');
  await build({ entryPoints, outdir: outDir, outExtension: { '.js': '.cjs' }, bundle: true, platform: 'node', format: 'cjs', target: 'node20', external: ['better-sqlite3'], logLevel: 'error' });
  return outDir;
}

export function machineLine() {
  const c = os.cpus();
  return `Machine: ${c[0]?.model} × ${c.length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Node ${process.version}`;
}
