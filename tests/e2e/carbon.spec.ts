/**
 * Grid carbon without the internet: the dashboard card explains that nothing has been fetched and
 * shows the API's UNAVAILABLE message gently after Refresh; the Carbon page has its designed empty
 * state; Settings shows the server's validation message for the Carbon Intensity API URL.
 */
import { AppShell } from './pages/app';
import { expect, screenshotPath, test } from './fixtures';

test('grid carbon offline: dashboard card, Carbon page and the API setting', async ({ page, server }) => {
  test.setTimeout(90_000);
  const shell = new AppShell(page);
  await shell.open(server.url, '/dashboard');

  const widget = page.getByTestId('carbon-widget');
  await expect(widget).toBeVisible();
  await expect(widget).toHaveAttribute('data-state', /^(empty|ready)$/);
  if ((await widget.getAttribute('data-state')) === 'empty')
    await expect(widget).toContainText('Grid carbon has not been fetched yet');

  // Offline, Refresh keeps the card and says so in a note instead of failing.
  await widget.getByTestId('carbon-refresh').click();
  await expect(widget.getByTestId('carbon-refresh-note')).toContainText('The Carbon Intensity API is unavailable', {
    timeout: 45_000,
  });
  await expect(widget.getByTestId('carbon-refresh')).toBeEnabled();
  await page.screenshot({ path: screenshotPath('carbon-widget-offline'), fullPage: true });

  await shell.nav(/carbon/i).click();
  const carbon = page.getByTestId('carbon-page');
  await expect(carbon).toBeVisible();
  await expect(page.getByTestId('best-window')).toBeVisible();
  await carbon.getByRole('radio', { name: '7 days' }).click();
  await expect(carbon.getByRole('radio', { name: '7 days' })).toHaveAttribute('aria-checked', 'true');
  await expect(carbon.getByText(/No grid carbon stored for the last 7 days|Carbon intensity/).first()).toBeVisible();

  await shell.nav(/settings/i).click();
  const field = page.getByLabel('Carbon Intensity API');
  await expect(field).toHaveValue(/^https?:\/\//);
  await field.fill('ftp://example.org');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByTestId('carbon-api-error')).toHaveText('Expected an http(s) URL');
  await page.getByRole('button', { name: 'Undo changes' }).click();
  await expect(page.getByTestId('carbon-api-error')).toHaveCount(0);
});
