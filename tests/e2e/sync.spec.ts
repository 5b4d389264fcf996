/**
 * The desktop's sync screens against a real shared server: a PostgreSQL server this spec starts, the
 * CLI's `serve --database` on it with a manager made by `users add --database`, the page standing in
 * for desktop A's window and a second desktop B driven through its core. Settings → Shared server
 * says an unreachable server and a wrong password beside their fields, connects, syncs and says what
 * it sent; the frame's status follows; B sends a different reading for a half-hour A sent; A's Sync
 * now brings the conflict, the badge leads to the conflicts page, which lists it with both values and
 * who sent it from where, and "Use pushed value" puts B's reading on A after the next sync. At
 * 1024 px the top bar stays one line and the status never moves what is right of it. Disconnect
 * asks first; a viewer's account is told the desktop only receives and sees why it cannot decide.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { createCore, type Core } from '../../src-main/core/app';
import { silentLogger } from '../../src-main/core/events';
import { startPostgres, type TestPostgres } from '../helpers/postgres';
import { OFFLINE_API, expect, screenshotPath, startServer, test } from './fixtures';

const METER = '1200050000009';
const ADA = { name: 'ada', password: 'admin password 1', role: 'admin' };
const SAM = { name: 'sam', password: 'manager password 1', role: 'manager' };
const BEN = { name: 'ben', password: 'manager password 2', role: 'manager' };
const VIC = { name: 'vic', password: 'viewer password 1', role: 'viewer' };
/** The CLI as `npm run build` makes it (the renderer's build is needed too). */
const CLI = path.join(process.cwd(), 'dist', 'cli.cjs');
/** B's call context: the command line on B's machine (in process, so it may link to a server). */
const B_CTX = { role: 'admin' as const, actor: 'ben (command line)', inProcess: true };

let pg: TestPostgres;
let serve: ChildProcess;
let serverUrl: string;
let desktopA: Awaited<ReturnType<typeof startServer>>;
let desktopB: Core;
const folders: string[] = [];

/** A day of half-hours for METER in the long format, 1 kWh each except those given (UK local times). */
function dayFile(name: string, changes: Record<string, number>): string {
  const lines = ['MPAN,Timestamp,kWh,Quality'];
  for (let i = 0; i < 48; i++) {
    const hhmm = `${String(Math.floor(i / 2)).padStart(2, '0')}:${i % 2 ? '30' : '00'}`;
    lines.push(`${METER},2026-01-15 ${hhmm},${changes[hhmm] ?? 1},A`);
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eclectyc-sync-e2e-'));
  folders.push(dir);
  const file = path.join(dir, name);
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

/** Imports files into a desktop's core as a drop on its window does, and waits for the jobs. */
async function importFiles(core: Core, files: string[]): Promise<void> {
  const ids: string[] = [];
  for (const f of files) ids.push((await core.files.storePath(f)).fileId);
  const { jobIds } = core.imports.enqueue(ids, {});
  const mine = new Set(jobIds);
  await core.imports.drain((id) => mine.has(id));
  for (const id of jobIds) expect(core.imports.get(id)?.status).toBe('done');
}

/** The CLI run to its end; `input` goes to its standard input. */
function runCli(args: string[], input: string): { code: number | null; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', input });
  return { code: r.status, stderr: r.stderr };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function waitForHealth(url: string, child: ChildProcess, output: () => string): Promise<void> {
  for (let i = 0; i < 150; i++) {
    if (child.exitCode !== null) throw new Error(`serve exited with ${child.exitCode}: ${output()}`);
    try {
      const r = await fetch(`${url}/health`);
      if (r.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`serve did not answer /health: ${output()}`);
}

test.beforeAll(async () => {
  test.setTimeout(180_000);
  if (!fs.existsSync(CLI)) throw new Error('dist/cli.cjs is missing: run "npm run build" first');
  pg = await startPostgres('eclectyc_sync_e2e');
  // the server's first account must be an administrator's
  for (const u of [ADA, SAM, BEN, VIC]) {
    const r = runCli(['users', 'add', u.name, '--role', u.role, '--database', pg.url, '--password-stdin'], u.password);
    expect(r.code, r.stderr).toBe(0);
  }
  const port = await freePort();
  let out = '';
  serve = spawn(process.execPath, [CLI, 'serve', '--database', pg.url, '--port', String(port)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  serve.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  serve.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  serverUrl = `http://127.0.0.1:${port}`;
  await waitForHealth(serverUrl, serve, () => out);

  desktopA = await startServer({ desktop: true });
  const dataB = fs.mkdtempSync(path.join(os.tmpdir(), 'eclectyc-sync-e2e-b-'));
  folders.push(dataB);
  desktopB = await createCore({
    dataDir: dataB,
    migrationsDir: path.join(process.cwd(), 'drizzle'),
    host: 'cli',
    version: 'e2e',
    log: silentLogger,
    carbonApi: OFFLINE_API,
    weatherApi: OFFLINE_API,
  });
});

test.afterAll(async () => {
  await desktopA?.close();
  await desktopB?.stop();
  if (serve && serve.exitCode === null) {
    const exited = new Promise((r) => serve.once('exit', r));
    serve.kill('SIGTERM');
    await exited;
  }
  pg?.stop();
  for (const f of folders) fs.rmSync(f, { recursive: true, force: true });
});

/**
 * The top bar at a laptop's width: one line of its own height, nothing running off it, and where the
 * connection pill sits (the sync status must never move what is right of it).
 */
async function frameAt1024(page: Page): Promise<number> {
  const bar = page.locator('header.topbar');
  const box = await bar.boundingBox();
  expect(box?.height).toBe(48);
  const overflow = await bar.evaluate((el) => el.scrollWidth - el.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  const conn = await page.getByTestId('connection').boundingBox();
  expect(conn?.y).toBeLessThan(48);
  return conn?.x ?? -1;
}

/**
 * How far the page and its main content run off the side at the current size (0: they fit). A
 * string, run in the page (the Node side of the tests has no DOM types).
 */
const SIDEWAYS = `(() => {
  const main = document.querySelector('main.content');
  const doc = document.documentElement;
  return Math.max(doc.scrollWidth - doc.clientWidth, main ? main.scrollWidth - main.clientWidth : 0);
})()`;

async function sideways(page: Page): Promise<number> {
  return page.evaluate<number>(SIDEWAYS);
}

async function syncNow(page: Page): Promise<string> {
  await page.getByTestId('sync-now').click();
  await expect(page.getByTestId('sync-now')).toHaveText('Sync now', { timeout: 30_000 });
  const result = page.getByTestId('sync-result');
  await expect(result).not.toBeEmpty();
  return (await result.textContent()) ?? '';
}

test('a desktop links to the shared server, syncs, and decides a readings conflict another desktop raised', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1024, height: 700 });
  await page.goto(`${desktopA.url}#/settings?section=shared-server`);
  const card = page.getByTestId('shared-server');
  const connX = await frameAt1024(page);
  await expect(card.getByRole('button', { name: 'Connect' })).toBeVisible();
  // no shared server yet: nothing in the frame, no conflicts page in the sidebar
  await expect(page.getByTestId('sync-frame')).toHaveCount(0);
  await expect(
    page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sync conflicts' }),
  ).toHaveCount(0);
  await page.screenshot({ path: screenshotPath('sync-settings-connect'), fullPage: true });

  // a server that does not answer: said beside the address
  await page.getByTestId('sync-server').fill(OFFLINE_API);
  await page.getByTestId('sync-username').fill(SAM.name);
  await page.getByTestId('sync-password').fill(SAM.password);
  await page.getByTestId('sync-client-name').fill('Sam’s laptop');
  await card.getByRole('button', { name: 'Connect' }).click();
  await expect(page.getByTestId('sync-server-error')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('sync-password-error')).toHaveCount(0);
  // the password was not the problem: it stays
  await expect(page.getByTestId('sync-password')).toHaveValue(SAM.password);

  // a wrong password: said beside the password, which is cleared
  await page.getByTestId('sync-server').fill(serverUrl);
  await page.getByTestId('sync-password').fill('not the password');
  await card.getByRole('button', { name: 'Connect' }).click();
  await expect(page.getByTestId('sync-password-error')).toBeVisible();
  await expect(page.getByTestId('sync-server-error')).toHaveCount(0);
  await expect(page.getByTestId('sync-password')).toHaveValue('');
  await page.screenshot({ path: screenshotPath('sync-settings-wrong-password'), fullPage: true });
  // typing it again clears the refusal
  await page.getByTestId('sync-password').fill('x');
  await expect(page.getByTestId('sync-password-error')).toHaveCount(0);

  // connected: who, as what, and the status in the frame
  await page.getByTestId('sync-password').fill(SAM.password);
  await card.getByRole('button', { name: 'Connect' }).click();
  await expect(page.getByTestId('sync-user')).toHaveText('sam (Manager)', { timeout: 30_000 });
  await expect(page.getByTestId('sync-server-url')).toHaveText(serverUrl);
  await expect(page.getByTestId('sync-status')).toBeVisible();
  await expect(page.getByTestId('sync-status')).toHaveAttribute('data-state', /^(synced|waiting|syncing)$/);
  await expect(
    page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sync conflicts' }),
  ).toBeVisible();

  // A imports a day and sends it
  await importFiles(desktopA.core, [dayFile('a.csv', {})]);
  const sent = await syncNow(page);
  expect(sent).toMatch(/^(Sent [\d,]+ changes?, received [\d,]+|Up to date: nothing to send or receive)/);
  await expect(page.getByTestId('sync-status')).toHaveAttribute('data-state', 'synced');
  await expect(page.getByTestId('sync-status')).toContainText('Synced');
  await expect(page.getByTestId('sync-state')).toHaveText('Synced: nothing waiting');

  // B imported the same day with a different 10:00 before it was linked; linking sends it, and the
  // server keeps A's half-hour and raises a conflict
  await importFiles(desktopB, [dayFile('b.csv', { '10:00': 9.5 })]);
  await desktopB.handlers['sync.connect'](
    { server: serverUrl, username: BEN.name, password: BEN.password, clientName: 'Ben’s desktop', sites: null },
    B_CTX,
  );
  await desktopB.handlers['sync.now']({}, B_CTX);
  const onB = await desktopB.handlers['sync.conflicts']({ status: 'open' }, B_CTX);
  expect(onB.conflicts.map((c) => [c.meter, c.slot, c.serverKwh, c.pushedKwh])).toEqual([[METER, 20, 1, 9.5]]);

  // A's next sync brings the conflict: the result says so as a warning leading to it, and the frame
  // shows a badge
  expect(await syncNow(page)).toMatch(/; [\d,]+ conflicts? to decide$/);
  await expect(page.getByTestId('sync-result').locator('.warn-text')).toBeVisible();
  await expect(page.getByTestId('sync-result').getByRole('link', { name: /conflicts? to decide/ })).toHaveAttribute(
    'href',
    '#/sync/conflicts',
  );
  await page.screenshot({ path: screenshotPath('sync-settings-conflict-result') });
  const badge = page.getByTestId('sync-conflicts-badge');
  await expect(badge).toBeVisible();
  await expect(badge).toHaveAttribute('aria-label', '1 readings conflict to resolve');
  await page.setViewportSize({ width: 1024, height: 700 });
  expect(await frameAt1024(page)).toBe(connX);
  await page.setViewportSize({ width: 1440, height: 900 });
  await badge.click();
  await expect(page).toHaveURL(/#\/sync\/conflicts$/);

  const row = page.getByTestId('conflict-row');
  await expect(row).toHaveCount(1);
  await expect(row).toContainText(METER);
  // the meter's site beside its MPAN (A's meter has none)
  await expect(row).toContainText('no site');
  await expect(row).toContainText('15 Jan 2026');
  await expect(row).toContainText('10:00–10:30');
  await expect(row.locator('[data-col="server"]')).toHaveText('1 kWh');
  await expect(row.locator('[data-col="pushed"]')).toHaveText('9.5 kWh');
  await expect(row).toContainText('ben');
  await expect(row).toContainText('Ben’s desktop');
  await page.screenshot({ path: screenshotPath('sync-conflicts'), fullPage: true });
  await page.setViewportSize({ width: 1024, height: 700 });
  expect(await sideways(page)).toBeLessThanOrEqual(1);
  await page.screenshot({ path: screenshotPath('sync-conflicts-1024'), fullPage: true });
  await page.setViewportSize({ width: 1440, height: 900 });

  // decide: use the pushed value; the decision travels at the next sync and A then has B's reading
  await row.getByTestId('conflict-pick').check();
  await expect(page.getByTestId('conflicts-picked')).toHaveText('1 conflict chosen');
  await page.getByTestId('use-pushed').click();
  await expect(page.getByTestId('resolve-result')).toContainText('1 conflict decided');
  // not offered again while the decision travels (or gone once it has come back decided)
  await expect(page.getByTestId('conflict-pick')).toHaveCount(0);
  await page.goto(`${desktopA.url}#/settings?section=shared-server`);
  await syncNow(page);
  await expect(page.getByTestId('sync-conflicts-badge')).toHaveCount(0);
  const ten = await desktopA.core.handlers['readings.list'](
    { meter: METER, from: '2026-01-15T10:00:00Z', to: '2026-01-15T11:00:00Z' },
    B_CTX,
  );
  expect(ten.map((r) => r.kwh)).toEqual([9.5, 1]);

  await page.goto(`${desktopA.url}#/sync/conflicts`);
  await expect(page.getByText('No conflicts — every desktop agrees')).toBeVisible();
  await page.getByTestId('conflicts-filter').getByRole('radio', { name: 'All' }).click();
  await expect(page.getByTestId('conflict-row')).toHaveAttribute('data-status', 'applied-pushed');
  await expect(page.getByTestId('conflict-row')).toContainText('Pushed used');
});

test('a session ended on the server is signed in again; a viewer’s desktop is told it only receives, and sees why it cannot decide conflicts', async ({
  page,
}) => {
  await page.goto(`${desktopA.url}#/settings?section=shared-server`);
  await expect(page.getByTestId('sync-user')).toHaveText('sam (Manager)');
  // sam's password is changed on the server, which ends his sessions: the next sync fails, says so
  // in the frame and here, and signing in again with the new password brings it back
  const r = runCli(['users', 'passwd', SAM.name, '--database', pg.url, '--password-stdin'], 'manager password 9');
  expect(r.code, r.stderr).toBe(0);
  await page.getByTestId('sync-now').click();
  await expect(page.getByTestId('sync-status')).toHaveAttribute('data-state', 'error');
  await expect(page.getByTestId('sync-status')).toContainText('Sync error');
  await expect(page.getByTestId('sync-last-error')).toHaveText(
    'The server ended this desktop’s session (password changed or signed out): sign in again below.',
  );
  await page.screenshot({ path: screenshotPath('sync-settings-signed-out') });
  await page.getByTestId('sync-signin-password').fill(SAM.password);
  await page.getByTestId('sync-signin').click();
  await expect(page.getByTestId('sync-signin-error')).toBeVisible();
  await page.getByTestId('sync-signin-password').fill('manager password 9');
  await page.getByTestId('sync-signin').click();
  await expect(page.getByTestId('sync-status')).toHaveAttribute('data-state', 'synced');
  // the row goes with the failure; signing in again stays at hand beside the account
  await expect(page.getByTestId('sync-signin-again')).toHaveCount(0);
  await expect(page.getByTestId('sync-facts').getByRole('button', { name: 'Sign in again…' })).toBeVisible();
  // disconnect asks first and keeps everything here
  await page.getByTestId('sync-disconnect').click();
  const dialog = page.getByTestId('sync-disconnect-dialog');
  await expect(dialog).toContainText('Its data stays here');
  await dialog.getByTestId('sync-disconnect-dialog-confirm').click();
  await expect(page.getByTestId('sync-connect')).toBeVisible();
  await expect(page.getByTestId('sync-frame')).toHaveCount(0);
  // the last server and account are offered again; the conflicts page keeps its history in the sidebar
  await expect(page.getByTestId('sync-server')).toHaveValue(serverUrl);
  await expect(page.getByTestId('sync-username')).toHaveValue(SAM.name);
  await expect(
    page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sync conflicts' }),
  ).toBeVisible();

  await page.getByTestId('sync-server').fill(serverUrl);
  await page.getByTestId('sync-username').fill(VIC.name);
  await page.getByTestId('sync-password').fill(VIC.password);
  await page.getByTestId('sync-connect').click();
  await expect(page.getByTestId('sync-user')).toHaveText('vic (Viewer)', { timeout: 30_000 });
  await expect(page.getByTestId('sync-role-reach')).toHaveText(/^This desktop only receives changes/);
  await syncNow(page);
  await page.screenshot({ path: screenshotPath('sync-settings-viewer'), fullPage: true });

  await page.goto(`${desktopA.url}#/sync/conflicts`);
  await page.getByTestId('conflicts-filter').getByRole('radio', { name: 'All' }).click();
  await expect(page.getByTestId('conflict-row')).toHaveCount(1);
  await expect(page.getByTestId('why-not')).toHaveText(/signs in to the shared server as a viewer/);
  await expect(page.getByTestId('use-pushed')).toHaveCount(0);
  await expect(page.getByTestId('conflict-pick')).toHaveCount(0);
  await page.setViewportSize({ width: 1024, height: 700 });
  expect(await sideways(page)).toBeLessThanOrEqual(1);
});
