#!/usr/bin/env node
// Makes sure better-sqlite3 is built for this Node before tests and the CLI run. After `npm start`
// or `npm run package` the addon may be Electron's build (a different NODE_MODULE_VERSION); this
// puts the Node build back. Silent and fast when all is well.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readMarker, switchTo } from './rebuild-native.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function probe() {
  const r = spawnSync(
    process.execPath,
    ['-e', "new (require('better-sqlite3'))(':memory:').prepare('select 1').get()"],
    { cwd: ROOT, encoding: 'utf8' },
  );
  return { ok: r.status === 0, stderr: `${r.stderr ?? ''}${r.error?.message ?? ''}` };
}

// ABI mismatch, or an addon that is missing or built for another platform.
const REBUILDABLE =
  /NODE_MODULE_VERSION|compiled against a different Node\.js version|Could not locate the bindings file|invalid ELF header|not a valid Win32 application|wrong ELF class|mach-o|file too short|ERR_DLOPEN_FAILED/i;

const marker = readMarker();
let reason = null;
if (marker && marker.runtime !== 'node') {
  reason = `it is currently built for ${marker.runtime} ${marker.version}`;
} else {
  const p = probe();
  if (!p.ok) {
    if (!REBUILDABLE.test(p.stderr)) {
      console.error(`[native] better-sqlite3 does not load in Node ${process.version}:\n${p.stderr.trim()}`);
      process.exit(1);
    }
    reason = (p.stderr.match(/NODE_MODULE_VERSION \d+[^\n]*NODE_MODULE_VERSION \d+/) ?? [
      'it does not load in this Node',
    ])[0];
  }
}

if (reason) {
  console.log(`[native] Rebuilding better-sqlite3 for Node ${process.version} (${reason}).`);
  try {
    await switchTo('node', { force: false });
  } catch (e) {
    console.error(`[native] ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  }
  const after = probe();
  if (!after.ok) {
    // The cached build did not load (e.g. a stale cache): build from source.
    await switchTo('node', { force: true });
    if (!probe().ok) {
      console.error(
        '[native] better-sqlite3 still does not load after rebuilding; run `node scripts/rebuild-native.mjs node --force` and check its output.',
      );
      process.exit(1);
    }
  }
}
