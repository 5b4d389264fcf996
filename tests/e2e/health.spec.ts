/**
 * Health: the page lists the core's checks with their state in colour and in words, the frame's dot
 * says the same state to screen readers and leads to the page, and "Check now" runs the checks again.
 */
import { AppShell } from './pages/app';
import { expect, screenshotPath, test } from './fixtures';

const WORD = { ok: 'OK', warn: 'Needs attention', fail: 'Failing' } as const;

test('the Health page shows every check and the dot its state; Check now runs them again', async ({ page, server }) => {
  const core = server.core;
  const report = await core.handlers['health.get']({}, { role: 'viewer', actor: 'e2e' });
  const shell = new AppShell(page);
  await shell.open(server.url, '/dashboard');

  const dot = page.getByTestId('health-dot');
  await expect(dot).toHaveAttribute('aria-label', /^App health: (OK|Needs attention|Failing)$/);
  await dot.click();
  await expect(page).toHaveURL(/#\/health$/);

  const checks = page.getByTestId('health-check');
  await expect(checks).toHaveCount(report.checks.length);
  for (const c of report.checks) {
    const row = page.locator(`[data-testid="health-check"][data-check="${c.name}"]`);
    await expect(row).toHaveAttribute('data-status', c.status);
    await expect(row).toContainText(c.label);
    await expect(row).toContainText(WORD[c.status]);
  }

  // "Check now": a new report, whose time the page shows and whose state the dot takes
  const clicked = Date.now();
  await page.getByRole('button', { name: 'Check now' }).click();
  await expect(page.getByRole('button', { name: 'Check now' })).toBeEnabled();
  const latest = await core.handlers['health.get']({}, { role: 'viewer', actor: 'e2e' });
  expect(Date.parse(latest.checkedAt)).toBeGreaterThanOrEqual(clicked - 1000);
  await expect(page.getByTestId('health-summary')).toHaveAttribute('data-status', latest.status);
  await expect(dot).toHaveAttribute('data-status', latest.status);
  await expect(dot).toHaveAttribute('aria-label', `App health: ${WORD[latest.status]}`);
  await expect(page.getByTestId('health-history').locator('li').first()).toBeVisible();
  await page.screenshot({ path: screenshotPath('health'), fullPage: true });
});
