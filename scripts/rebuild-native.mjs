#!/usr/bin/env node
// Builds better-sqlite3's native addon for one runtime: `node` (npm test, the CLI, the server) or
// `electron` (npm start, packaging). Node and Electron have different ABIs (NODE_MODULE_VERSION),
// so one build cannot serve both. Each build is cached per runtime/ABI/platform/arch, so switching
// back and forth is a file copy after the first time. The marker file records what is in place.
//
//   node scripts/rebuild-native.mjs node|electron [--force]
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const MODULE_DIR = path.join(ROOT, 'node_modules', 'better-sqlite3');
const ADDON = path.join(MODULE_DIR, 'build', 'Release', 'better_sqlite3.node');
export const MARKER = path.join(ROOT, 'node_modules', '.eclectyc-native-abi');
const CACHE = path.join(ROOT, 'node_modules', '.cache', 'eclectyc-native');
const require = createRequire(import.meta.url);

const readJson = (f) => JSON.parse(fs.readFileSync(f, 'utf8'));

/** What a build for `runtime` is: the key it is cached and recorded under. */
export function targetFor(runtime) {
  const sqliteVersion = readJson(path.join(MODULE_DIR, 'package.json')).version;
  if (runtime === 'node') {
    return {
      runtime,
      version: process.versions.node,
      abi: process.versions.modules,
      platform: process.platform,
      arch: process.arch,
      betterSqlite3: sqliteVersion,
    };
  }
  const electronDir = path.join(ROOT, 'node_modules', 'electron');
  const version = readJson(path.join(electronDir, 'package.json')).version;
  let abi = '';
  try {
    abi = fs.readFileSync(path.join(electronDir, 'abi_version'), 'utf8').trim();
  } catch {
    try {
      abi = String(require('node-abi').getAbi(version, 'electron'));
    } catch {
      abi = 'unknown';
    }
  }
  return { runtime, version, abi, platform: process.platform, arch: process.arch, betterSqlite3: sqliteVersion };
}

const keyOf = (t) => `${t.runtime}-${t.version}-abi${t.abi}-${t.platform}-${t.arch}-bs3-${t.betterSqlite3}`;

export function readMarker() {
  try {
    return readJson(MARKER);
  } catch {
    return null;
  }
}

function writeMarker(t) {
  fs.writeFileSync(MARKER, `${JSON.stringify({ ...t, key: keyOf(t), builtAt: new Date().toISOString() }, null, 2)}\n`);
}

/** True when the addon in place loads in this Node (so it is a Node build). */
function loadsInNode() {
  const r = spawnSync(
    process.execPath,
    ['-e', "new (require('better-sqlite3'))(':memory:').prepare('select 1').get()"],
    { cwd: ROOT, stdio: 'ignore' },
  );
  return r.status === 0;
}

function cacheCurrent(t) {
  if (!fs.existsSync(ADDON)) return;
  const dir = path.join(CACHE, keyOf(t));
  fs.mkdirSync(dir, { recursive: true });
  fs.copyFileSync(ADDON, path.join(dir, 'better_sqlite3.node'));
}

function restoreFromCache(t) {
  const cached = path.join(CACHE, keyOf(t), 'better_sqlite3.node');
  if (!fs.existsSync(cached)) return false;
  fs.mkdirSync(path.dirname(ADDON), { recursive: true });
  fs.copyFileSync(cached, ADDON);
  return true;
}

/**
 * better-sqlite3's install runs prebuild-install, which would download a prebuilt binary; this
 * setting (read by prebuild-install itself, not by npm, so npm has nothing to warn about) makes
 * it compile with node-gyp instead. `.ci/run` sets it for `npm ci` too.
 */
export const BUILD_FROM_SOURCE_ENV = { 'prebuild-install_buildFromSource': 'true' };

function buildForNode() {
  const npmCli =
    process.env.npm_execpath && /npm-cli\.js$/.test(process.env.npm_execpath) ? process.env.npm_execpath : null;
  const args = ['rebuild', 'better-sqlite3'];
  const env = { ...process.env, ...BUILD_FROM_SOURCE_ENV };
  const r = npmCli
    ? spawnSync(process.execPath, [npmCli, ...args], { cwd: ROOT, stdio: 'inherit', env })
    : spawnSync('npm', args, { cwd: ROOT, stdio: 'inherit', env, shell: process.platform === 'win32' });
  if (r.status !== 0)
    throw new Error(`npm rebuild better-sqlite3 failed (exit ${r.status ?? r.signal ?? r.error?.message})`);
}

async function buildForElectron(t) {
  // npm passes the user's `nodedir` to scripts as npm_config_nodedir; node-gyp would then compile
  // against Node's headers instead of Electron's. Electron's headers must win here.
  for (const k of Object.keys(process.env))
    if (/^npm_config_(nodedir|target|runtime|disturl|dist_url)$/i.test(k)) delete process.env[k];
  const { rebuild } = await import('@electron/rebuild');
  await rebuild({
    buildPath: ROOT,
    electronVersion: t.version,
    arch: process.arch,
    onlyModules: ['better-sqlite3'],
    force: true,
    buildFromSource: true,
  });
}

export async function switchTo(runtime, { force = false, quiet = false } = {}) {
  if (runtime !== 'node' && runtime !== 'electron')
    throw new Error('usage: node scripts/rebuild-native.mjs node|electron [--force]');
  const say = (m) => quiet || console.log(`[native] ${m}`);
  const want = targetFor(runtime);
  const marker = readMarker();
  if (!force && marker?.key === keyOf(want) && fs.existsSync(ADDON) && (runtime !== 'node' || loadsInNode())) {
    say(`better-sqlite3 is already built for ${runtime} ${want.version} (ABI ${want.abi})`);
    return;
  }
  // Keep what is in place, so switching back is a copy (and a failed build can be undone).
  // (only if the file really is what the marker says: a Node build loads in Node, Electron's does not)
  if (marker?.key && (marker.runtime === 'node') === loadsInNode()) cacheCurrent(marker);
  else if (fs.existsSync(ADDON) && loadsInNode()) cacheCurrent(targetFor('node'));
  const backup = fs.existsSync(ADDON) ? fs.readFileSync(ADDON) : null;

  if (!force && restoreFromCache(want)) {
    writeMarker(want);
    say(`better-sqlite3 switched to the cached ${runtime} ${want.version} build (ABI ${want.abi})`);
    return;
  }
  say(`building better-sqlite3 for ${runtime} ${want.version} (ABI ${want.abi}) from source; this takes a minute…`);
  try {
    if (runtime === 'node') buildForNode();
    else await buildForElectron(want);
    if (!fs.existsSync(ADDON)) throw new Error(`the build produced no ${path.relative(ROOT, ADDON)}`);
  } catch (e) {
    if (backup) {
      fs.mkdirSync(path.dirname(ADDON), { recursive: true });
      fs.writeFileSync(ADDON, backup);
    }
    throw e;
  }
  cacheCurrent(want);
  writeMarker(want);
  say(`better-sqlite3 built for ${runtime} ${want.version} (ABI ${want.abi})`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const runtime = process.argv[2];
  try {
    await switchTo(runtime, { force: process.argv.includes('--force') });
  } catch (e) {
    console.error(`[native] ${e instanceof Error ? e.message : String(e)}`);
    if (runtime === 'electron')
      console.error(
        "[native] Building for Electron needs a C++ toolchain (and Python) and downloads Electron's headers once.",
      );
    process.exit(1);
  }
}
