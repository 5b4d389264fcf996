/**
 * Playwright fixtures: each worker gets its own headless server (real core, real SQLite) on a fresh
 * temporary data folder, serving the built renderer from dist/renderer.
 */
import { test as base, expect } from '@playwright/test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCore, type Core } from '../../src-main/core/app';
import { silentLogger } from '../../src-main/core/events';
import { localCaller } from '../../src-main/core/rpc/caller';
import { closeHttpHost, createHttpHost, listen } from '../../src-main/server/http';

const REPO = process.cwd(); // Playwright runs from the repository root (playwright.config.ts)
export const SCREENSHOTS = path.join(REPO, 'test-results', 'screenshots');
export const CSV = path.join(REPO, 'tests', 'fixtures', 'csv');
/** A URL nothing answers (the discard port on this machine): the APIs on the internet, offline. */
export const OFFLINE_API = 'http://127.0.0.1:9';

interface Server {
  url: string;
  core: Core;
}

/**
 * A headless server (real core, real SQLite) on a data folder (default: a fresh temporary one) and a
 * port (default: any free one); `close` stops both. `desktop`: the page stands in for the desktop
 * app's window — the core says it is the desktop and every call comes in as the desktop's own
 * (which may call the methods only the app's own process may, such as linking to a shared server).
 */
export async function startServer(
  opts: { dataDir?: string; port?: number; desktop?: boolean } = {},
): Promise<Server & { port: number; close: () => Promise<void> }> {
  const staticDir = path.join(REPO, 'dist', 'renderer');
  if (!fs.existsSync(path.join(staticDir, 'index.html')))
    throw new Error('dist/renderer is missing: run "npm run build" first');
  const dataDir = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'eclectyc-e2e-'));
  const core = await createCore({
    dataDir,
    migrationsDir: path.join(REPO, 'drizzle'),
    host: opts.desktop ? 'desktop' : 'server',
    version: 'e2e',
    log: silentLogger,
    // offline, and quickly so: a closed local port refuses at once, where the real hosts' names may
    // take the resolver tens of seconds to give up on without the internet
    carbonApi: OFFLINE_API,
    weatherApi: OFFLINE_API,
  });
  core.start();
  // the accounts, as `serve` passes them: with no users on a loopback address everyone is the local admin
  const server = createHttpHost(
    core,
    opts.desktop ? { staticDir, context: () => localCaller('desktop') } : { staticDir, auth: core.auth },
  );
  const url = await listen(server, opts.port ?? 0, '127.0.0.1');
  return {
    url,
    core,
    port: Number(new URL(url).port),
    close: async () => {
      await closeHttpHost(server);
      await core.stop();
    },
  };
}

export const test = base.extend<{ server: Server }, { workerServer: Server }>({
  workerServer: [
    // eslint-disable-next-line no-empty-pattern -- Playwright fixtures declare their dependencies by destructuring
    async ({}, use) => {
      const s = await startServer();
      await use({ url: s.url, core: s.core });
      await s.close();
    },
    { scope: 'worker' },
  ],
  server: async ({ workerServer }, use) => {
    await use(workerServer);
  },
});

export { expect };

export function screenshotPath(name: string): string {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  return path.join(SCREENSHOTS, `${name}.png`);
}
