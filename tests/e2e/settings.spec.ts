/** Settings: the conversion-factor table the annual emissions method uses can be read and edited. */
import { AppShell } from './pages/app';
import { expect, screenshotPath, test } from './fixtures';

test('an admin sees the default conversion factors and adds one, with validation in plain words', async ({ page, server }) => {
  const shell = new AppShell(page);
  await shell.open(server.url, '/settings');
  const card = page.getByTestId('factors-card');
  await expect(card.getByTestId('factor-row').filter({ hasText: '2024' }).first()).toContainText('0.20705');
  await card.getByLabel('Year').fill('2031');
  await card.getByLabel('kgCO2e per kWh').fill('3');
  await card.getByRole('button', { name: 'Save factor' }).click();
  await expect(card.getByTestId('factor-value-error')).toContainText(/not plausible/);
  await card.getByLabel('kgCO2e per kWh').fill('0.123');
  await card.getByRole('button', { name: 'Save factor' }).click();
  await expect(card.getByTestId('factor-row').filter({ hasText: '2031' })).toContainText('0.12300');
  expect(server.core.carbon.factors().find((f) => f.year === 2031)).toMatchObject({ fuel: 'electricity', kgPerKwh: 0.123 });
  await page.screenshot({ path: screenshotPath('20-settings-factors'), fullPage: true });
});
