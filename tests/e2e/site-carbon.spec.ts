/** A site's grid-carbon region (from its MPANs or chosen) and its emissions by fuel and method. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AppShell } from './pages/app';
import { expect, screenshotPath, test } from './fixtures';

test('a site takes its region from its MPANs, can be given another, and shows emissions by fuel and method', async ({
  page,
  server,
}) => {
  const ctx = { role: 'admin' as const, actor: 'e2e' };
  const lines = ['MPAN,Timestamp,kWh'];
  // a meter no other spec uses: the specs share one server
  for (let i = 0; i < 96; i++)
    lines.push(`1012345678903,${new Date(Date.UTC(2025, 0, 10) + i * 1800000).toISOString()},1.5`);
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-site-')), 'site.csv');
  fs.writeFileSync(file, lines.join('\n'));
  const stored = await server.core.files.storePath(file);
  const { jobIds } = server.core.imports.enqueue([stored.fileId]);
  await expect.poll(() => server.core.imports.get(jobIds[0]!).status).toBe('done');
  await server.core.scheduler.idle();
  const site = await server.core.handlers['sites.create']({ name: 'Ipswich depot' }, ctx);
  await server.core.handlers['meters.update']({ meter: '1012345678903', siteId: site.id }, ctx);

  const shell = new AppShell(page);
  await shell.open(server.url, `/sites/${site.id}`);
  const card = page.getByTestId('site-carbon');
  await expect(card.getByTestId('site-region').locator('option').first()).toHaveText(
    "From the meters' MPANs (East England)",
  );
  const annual = card.locator('[data-testid="site-emissions-row"][data-method="annual"][data-fuel="electricity"]');
  await expect(annual).toContainText('144'); // 96 × 1.5 kWh
  await expect(annual).toHaveAttribute('data-kgco2', /^25\.48/); // 144 kWh × 0.177, the 2025 electricity factor
  await card.getByTestId('site-region').selectOption('13');
  await expect.poll(async () => (await server.core.handlers['sites.get']({ id: site.id }, ctx)).site.regionId).toBe(13);
  await expect(card.locator('[data-testid="site-emissions-row"][data-method="regional"]')).toBeVisible();
  await card.getByLabel('From').fill('10/01/2025');
  await card.getByLabel('To', { exact: true }).fill('10/01/2025');
  await card.getByRole('button', { name: 'Work out' }).click();
  await expect(annual).toHaveAttribute('data-kgco2', /^12\.74/); // one day: 48 × 1.5 kWh × 0.177
  await page.screenshot({ path: screenshotPath('21-site-carbon'), fullPage: true });

  // the meter's emissions for a period of the user's choosing (both days included)
  await shell.open(server.url, '/meters/1012345678903');
  const panel = page.getByTestId('emissions-panel');
  await panel.getByLabel('From').fill('11/01/2025');
  await panel.getByLabel('To', { exact: true }).fill('11/01/2025');
  await panel.getByRole('button', { name: 'Work out' }).click();
  await expect(
    panel.locator('[data-testid="emissions-cell"][data-period="custom"][data-method="annual"]'),
  ).toHaveAttribute('data-kgco2', /^12\.74/); // 48 × 1.5 kWh × 0.177
  await panel.getByLabel('From').fill('12/01/2025');
  await panel.getByRole('button', { name: 'Work out' }).click();
  await expect(panel.getByRole('alert')).toHaveText('The end is before the start.');
});
