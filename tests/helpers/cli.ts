/**
 * Builds the CLI once per test file into a temp folder as scripts/build-main.mjs does — with the
 * import worker beside it, so large files are parsed on a thread of their own as in the shipped CLI —
 * and runs it.
 */
import { spawnSync } from 'node:child_process';
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { REPO, tempDir } from './core';

export async function buildCli(): Promise<string> {
  const dir = tempDir('eclectyc-cli-');
  fs.cpSync(path.join(REPO, 'drizzle'), path.join(dir, 'drizzle'), { recursive: true });
  const cli = path.join(dir, 'dist', 'cli.cjs');
  await build({
    entryPoints: {
      cli: path.join(REPO, 'src-main/cli/main.ts'),
      'import-worker': path.join(REPO, 'src-main/core/imports/import-thread.ts'),
    },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['better-sqlite3', 'pdfkit', 'pg', 'ssh2', 'ssh2-sftp-client'],
    outdir: path.dirname(cli),
    outExtension: { '.js': '.cjs' },
    logLevel: 'error',
  });
  fs.symlinkSync(path.join(REPO, 'node_modules'), path.join(dir, 'node_modules'));
  return cli;
}

/** Runs the built CLI; `input` is written to its standard input (otherwise it inherits none). */
export function runCli(cli: string, args: string[], input?: string) {
  const r = spawnSync(process.execPath, [cli, ...args], {
    encoding: 'utf8',
    ...(input !== undefined ? { input } : {}),
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
