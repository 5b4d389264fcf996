/** Settings: the conversion-factor table the annual emissions method uses can be read and edited. */
import { AppShell } from './pages/app';
import { expect, screenshotPath, test } from './fixtures';

test('an admin sees the default conversion factors and adds one, with validation in plain words', async ({
  page,
  server,
}) => {
  const shell = new AppShell(page);
  await shell.open(server.url, '/settings');
  const card = page.getByTestId('factors-card');
  await expect(card.getByTestId('factor-row').filter({ hasText: '2024' }).first()).toContainText('0.20705');
  await card.getByLabel('Year').fill('2031');
  await card.getByLabel('kgCO₂e per kWh').fill('3');
  await card.getByRole('button', { name: 'Save factor' }).click();
  await expect(card.getByTestId('factor-value-error')).toContainText(/not plausible/);
  await card.getByLabel('kgCO₂e per kWh').fill('0.123');
  await card.getByRole('button', { name: 'Save factor' }).click();
  await expect(card.getByTestId('factor-row').filter({ hasText: '2031' })).toContainText('0.12300');
  expect(server.core.carbon.factors().find((f) => f.year === 2031)).toMatchObject({
    fuel: 'electricity',
    kgPerKwh: 0.123,
  });
  await page.screenshot({ path: screenshotPath('20-settings-factors'), fullPage: true });
});

test('Settings counts the tariffs and leads to the Tariffs page', async ({ page, server }) => {
  server.core.tariffStore.importFile(
    JSON.stringify({
      tariffs: [
        {
          id: 'e2e-settings-flat',
          name: 'Settings Flat',
          supplier: 'Acme',
          fuel: 'electricity',
          validFrom: '2025-01-01',
          standingChargePencePerDay: 40,
          vatRate: 0.05,
          rates: [{ pencePerKwh: 24 }],
        },
      ],
    }),
  );
  const n = server.core.tariffStore.all().length;
  const shell = new AppShell(page);
  await shell.open(server.url, '/settings');
  await expect(page.getByTestId('settings-tariff-count')).toContainText(new RegExp(`^${n} tariffs?, \\d+ on sale$`));
  await page.getByRole('link', { name: 'Manage tariffs' }).click();
  await expect(page).toHaveURL(/#\/tariffs$/);
});

test('an Open-Meteo API key is stored from Settings, never shown again, and can be removed', async ({
  page,
  server,
}) => {
  const shell = new AppShell(page);
  await shell.open(server.url, '/settings');
  const key = page.getByLabel('Open-Meteo API key');
  await expect(page.getByLabel('Historical weather API')).toHaveValue('https://archive-api.open-meteo.com');
  await key.fill('k-e2e-5521');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByText('A key is stored (it is never shown)')).toBeVisible();
  await expect(key).toHaveValue('');
  expect(server.core.settings.secret('weatherApiKey')).toBe('k-e2e-5521');
  expect(JSON.stringify(server.core.settings.get())).not.toContain('k-e2e-5521');
  await page.getByRole('button', { name: 'Remove key' }).click();
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByText('Optional. Without a key the free, non-commercial service is used.')).toBeVisible();
  expect(server.core.settings.secret('weatherApiKey')).toBeNull();
});
