// Bundles the Node side (CLI + headless server, Electron main and preload) with esbuild into dist/.
// Native and Electron-provided modules stay external; the renderer is built by Vite separately.
import { build } from 'esbuild';
import fs from 'node:fs';

const pkg = JSON.parse(fs.readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: 'linked',
  logLevel: 'warning',
  external: ['better-sqlite3', 'electron', 'electron-updater', 'pdfkit', 'pg', 'ssh2', 'ssh2-sftp-client'],
  define: { __APP_VERSION__: JSON.stringify(pkg.version) },
};

await Promise.all([
  build({
    ...common,
    entryPoints: { cli: 'src-main/cli/main.ts', 'import-worker': 'src-main/core/imports/import-thread.ts' },
    outdir: 'dist',
    outExtension: { '.js': '.cjs' },
  }),
  build({
    ...common,
    entryPoints: { main: 'src-main/electron/main.ts' },
    outdir: 'dist/electron',
    outExtension: { '.js': '.cjs' },
  }),
  // The preload runs sandboxed: one self-contained CommonJS file, only 'electron' external.
  build({
    ...common,
    entryPoints: { preload: 'src-main/electron/preload.ts' },
    outdir: 'dist/electron',
    outExtension: { '.js': '.cjs' },
    platform: 'browser',
    external: ['electron'],
  }),
]);
console.log('built dist/cli.cjs, dist/import-worker.cjs, dist/electron/main.cjs, dist/electron/preload.cjs');
