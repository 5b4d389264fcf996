/**
 * The connection badge tells the truth: stop the host under an open page and the badge leaves "Live"
 * within seconds; start it again on the same port and the page reconnects by itself and shows what
 * changed while it was away.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CSV, expect, screenshotPath, startServer, test } from './fixtures';

async function startHost(dataDir: string, port: number) {
  const host = await startServer({ dataDir, port });
  return { ...host, stop: host.close };
}

test('the badge shows the host going away and coming back, and the page catches up', async ({ page }) => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'eclectyc-e2e-conn-'));
  let host = await startHost(dataDir, 0);
  try {
    await page.goto(`${host.url}#/imports`);
    const badge = page.getByTestId('connection');
    await expect(badge).toHaveAttribute('data-connection', 'connected');
    await expect(badge).toHaveText(/Live/);

    await host.stop();
    await expect(badge).toHaveAttribute('data-connection', 'offline', { timeout: 10_000 });
    await page.screenshot({ path: screenshotPath('connection-offline') });

    // While the page is away, another client imports a file into the same data.
    host = await startHost(dataDir, host.port);
    const up = await fetch(`${host.url}upload?name=while-away.csv`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: fs.readFileSync(path.join(CSV, 'long-dry-run.csv')),
    });
    const stored = (await up.json()) as { ok: boolean; value: { fileId: string } };
    expect(stored.ok).toBe(true);
    const queued = await fetch(`${host.url}rpc/imports.enqueue`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ fileIds: [stored.value.fileId] }),
    });
    expect(await queued.json()).toMatchObject({ ok: true });
    await expect(badge).toHaveAttribute('data-connection', 'connected', { timeout: 40_000 });
    await expect(page.getByText('while-away.csv').first()).toBeVisible();
    await page.screenshot({ path: screenshotPath('connection-back') });
  } finally {
    await host.stop();
  }
});
