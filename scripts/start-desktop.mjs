#!/usr/bin/env node
// `npm start`: builds if needed, makes sure the Electron binary is there (downloading it on first
// launch), builds better-sqlite3 for Electron, runs the desktop app, and puts the Node build back
// when it exits so `npm test` and the CLI keep working. Without Electron, offers browser mode.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline/promises';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ELECTRON_DIR = path.join(ROOT, 'node_modules', 'electron');
const say = (m) => console.log(`[start] ${m}`);

function run(cmd, args, opts = {}) {
  return spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit', ...opts });
}

function npm(args) {
  const cli =
    process.env.npm_execpath && /npm-cli\.js$/.test(process.env.npm_execpath) ? process.env.npm_execpath : null;
  return cli ? run(process.execPath, [cli, ...args]) : run('npm', args, { shell: process.platform === 'win32' });
}

/** Absolute path of the Electron executable, or null when it is not installed. */
function electronBinary() {
  try {
    const rel = fs.readFileSync(path.join(ELECTRON_DIR, 'path.txt'), 'utf8').trim();
    const bin = process.env.ELECTRON_OVERRIDE_DIST_PATH
      ? path.join(process.env.ELECTRON_OVERRIDE_DIST_PATH, rel)
      : path.join(ELECTRON_DIR, 'dist', rel);
    return fs.existsSync(bin) ? bin : null;
  } catch {
    return null;
  }
}

/** Runs electron's own installer (the download npm install skipped). Returns a short reason on failure. */
function downloadElectron() {
  const version = JSON.parse(fs.readFileSync(path.join(ELECTRON_DIR, 'package.json'), 'utf8')).version;
  say(
    `Downloading the Electron ${version} desktop shell for ${process.platform}-${process.arch} (first launch only, about 100 MB)…`,
  );
  const env = { ...process.env };
  delete env.ELECTRON_SKIP_BINARY_DOWNLOAD;
  const r = spawnSync(process.execPath, [path.join(ELECTRON_DIR, 'install.js')], {
    cwd: ELECTRON_DIR,
    env,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (r.status === 0 && electronBinary()) return null;
  const out = `${r.stderr ?? ''}\n${r.stdout ?? ''}\n${r.error?.message ?? ''}`;
  const line = out
    .split('\n')
    .map((l) => l.trim())
    .find(
      (l) =>
        /^(\w*Error|RequestError|HTTPError)\b|ENOTFOUND|ECONN|ETIMEDOUT|EAI_AGAIN|EACCES|ENOSPC|checksum/i.test(l) &&
        !/^at /.test(l),
    );
  return (line ?? 'the download did not complete').replace(/^\w*Error:\s*/, '').slice(0, 200);
}

async function offerBrowserMode(reason) {
  console.log(
    `\nThe Eclectyc Energy desktop shell (Electron) could not be downloaded (${reason}). ` +
      'The same app runs in your browser instead: run `npm run serve` and open the address it prints. ' +
      'To try the desktop app again later, run `npm start` once you are online.\n',
  );
  if (!process.stdin.isTTY) process.exit(1);
  const rl = readline.createInterface({ input: process.stdin, output: process.stdout });
  const answer = (await rl.question('Start in browser mode now? [Y/n] ')).trim().toLowerCase();
  rl.close();
  if (answer !== '' && answer !== 'y' && answer !== 'yes') process.exit(1);
  const child = spawn(process.execPath, [path.join(ROOT, 'dist', 'cli.cjs'), 'serve'], { cwd: ROOT, stdio: 'inherit' });
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

function restoreNodeBuild() {
  const r = run(process.execPath, [path.join(ROOT, 'scripts', 'rebuild-native.mjs'), 'node']);
  if (r.status !== 0)
    console.error('[start] Could not put the Node build of better-sqlite3 back; `npm test` will rebuild it.');
}

// 1. Build what is missing (main, preload, renderer, CLI).
const needed = ['dist/electron/main.cjs', 'dist/electron/preload.cjs', 'dist/renderer/index.html', 'dist/cli.cjs'];
if (needed.some((f) => !fs.existsSync(path.join(ROOT, f)))) {
  say('Building the app (npm run build)…');
  if (npm(['run', 'build']).status !== 0) {
    console.error('[start] The build failed; see the errors above.');
    process.exit(1);
  }
}

// 2. The Electron binary: installed with `electron` (npm skips its download), fetched on first launch.
let bin = electronBinary();
if (!bin) {
  const reason = downloadElectron();
  bin = electronBinary();
  if (!bin) await offerBrowserMode(reason ?? 'the download did not complete');
}

if (bin) {
  // 3. better-sqlite3 for Electron's ABI, then the app; the Node build goes back afterwards.
  if (run(process.execPath, [path.join(ROOT, 'scripts', 'rebuild-native.mjs'), 'electron']).status !== 0) {
    console.error(
      '[start] better-sqlite3 could not be built for Electron (see above). `npm run serve` runs the app in the browser meanwhile.',
    );
    process.exit(1);
  }
  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE;
  const child = spawn(bin, [ROOT, ...process.argv.slice(2)], { cwd: ROOT, stdio: 'inherit', env });
  const forward = (sig) => () => {
    if (!child.killed) child.kill(sig);
  };
  process.on('SIGINT', forward('SIGINT'));
  process.on('SIGTERM', forward('SIGTERM'));
  child.on('error', (e) => {
    console.error(`[start] Electron could not be started: ${e.message}`);
    restoreNodeBuild();
    process.exit(1);
  });
  child.on('exit', (code, signal) => {
    restoreNodeBuild();
    process.exit(code ?? (signal ? 1 : 0));
  });
}
