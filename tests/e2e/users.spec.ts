/**
 * Users and roles in the browser: a server with accounts asks people to sign in; a viewer sees no
 * buttons for changes (and is told why), an administrator adds a person, makes an API token shown
 * once and reads the audit log; a wrong password is said in plain words; signing out returns to
 * the sign-in page.
 */
import type { Page } from '@playwright/test';
import { expect, screenshotPath, startServer, test } from './fixtures';

const ADMIN = { name: 'ada', password: 'admin password 1' };
const VIEWER = { name: 'vic', password: 'viewer password 1' };

let server: Awaited<ReturnType<typeof startServer>>;

test.beforeAll(async () => {
  server = await startServer();
  await server.core.auth.createUser(ADMIN.name, 'admin', ADMIN.password);
  await server.core.auth.createUser(VIEWER.name, 'viewer', VIEWER.password);
  await server.core.auth.createUser('dora', 'viewer', 'disabled password 1');
  await server.core.auth.updateUser('dora', { disabled: true });
  await server.core.auth.createUser('lou', 'viewer', 'locked password 1');
  await server.core.auth.createUser('sam', 'manager', 'manager password 1');
});
test.afterAll(async () => {
  await server.close();
});

async function signIn(page: Page, who: { name: string; password: string }, route = ''): Promise<void> {
  await page.goto(`${server.url}${route ? `#${route}` : ''}`);
  await expect(page.getByTestId('signin-page')).toBeVisible();
  await page.getByLabel('User name').fill(who.name);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.locator('[data-app-state="ready"]')).toBeVisible();
}

test('a wrong password is refused in plain words, and the app stays behind the sign-in page', async ({ page }) => {
  await page.goto(`${server.url}#/meters`);
  await expect(page.locator('[data-app-state="signin"]')).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Main' })).toHaveCount(0);
  await page.getByLabel('User name').fill(ADMIN.name);
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('signin-error')).toHaveText('That user name and password do not match');
  await expect(page.getByLabel('Password')).toHaveValue('');
  await page.screenshot({ path: screenshotPath('users-signin-wrong'), fullPage: true });

  // a disabled account, and an account locked after too many tries, each in words
  await page.getByLabel('User name').fill('dora');
  await page.getByLabel('Password').fill('disabled password 1');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('signin-error')).toHaveText('This account is disabled: ask an administrator');
  for (let i = 0; ; i++) {
    await page.getByLabel('User name').fill('lou');
    await page.getByLabel('Password').fill(`wrong guess ${i}`);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByTestId('signin-error')).toHaveText(/do not match|Too many attempts/);
    const said = await page.getByTestId('signin-error').textContent();
    if (said?.startsWith('Too many attempts')) break;
    expect(i, 'locked out after a handful of wrong guesses').toBeLessThan(10);
    // the same words again must still be a fresh answer: wait for the button to be free
    await expect(page.getByRole('button', { name: 'Sign in' })).toBeEnabled();
  }
  await expect(page.getByTestId('signin-error')).toHaveText(
    /^Too many attempts: try again in \d+ (minutes?|seconds?)$/,
  );
});

test('a session ended elsewhere brings the sign-in page at the next call, and back to the same page', async ({
  page,
}) => {
  await signIn(page, { name: 'sam', password: 'manager password 1' }, '/dashboard');
  await expect(page.getByTestId('user-role')).toHaveText('Manager');
  // an administrator sets a new password: every session of sam ends
  await server.core.auth.updateUser('sam', { password: 'manager password 2' });
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sites & meters' }).click();
  await expect(page.getByTestId('signin-page')).toBeVisible();
  await page.getByLabel('User name').fill('sam');
  await page.getByLabel('Password').fill('manager password 2');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.locator('[data-app-state="ready"]')).toBeVisible();
  await expect(page).toHaveURL(/#\/meters$/);
  await expect(page.getByTestId('connection')).toHaveAttribute('data-connection', 'connected');
});

test('a viewer sees the data but no buttons for changes, is told why, and signs out', async ({ page }) => {
  await signIn(page, VIEWER, '/imports');
  await expect(page.getByTestId('user-badge')).toContainText(VIEWER.name);
  await expect(page.getByTestId('user-role')).toHaveText('Viewer');
  await expect(page.getByTestId('connection')).toHaveAttribute('data-connection', 'connected');

  // Imports: no drop zone or file picker, and the reason
  await expect(page.getByRole('button', { name: 'Choose files…' })).toHaveCount(0);
  await expect(page.getByTestId('file-input')).toHaveCount(0);
  await expect(page.getByTestId('why-not')).toHaveText('Viewers can look but not change: ask an administrator');
  await page.screenshot({ path: screenshotPath('users-viewer-imports'), fullPage: true });

  // Alerts and rules: no check, no new rule
  await page.goto(`${server.url}#/alerts`);
  await expect(page.getByTestId('alerts-page')).toBeVisible();
  await expect(page.getByTestId('alerts-check')).toHaveCount(0);
  await page.goto(`${server.url}#/alerts/rules`);
  await expect(page.getByTestId('rules-page')).toBeVisible();
  await expect(page.getByTestId('rule-new')).toHaveCount(0);
  await expect(page.getByTestId('rules-import')).toHaveCount(0);

  // Sites & meters: the register can be exported, but no new site and no register import
  await page.goto(`${server.url}#/meters`);
  await expect(page.getByText('Export register')).toBeVisible();
  await expect(page.getByRole('button', { name: 'New site' })).toHaveCount(0);
  await expect(page.getByTestId('register-import')).toHaveCount(0);

  // Settings: nothing to save, no people and access; Activity: no audit log
  await page.goto(`${server.url}#/settings`);
  await expect(page.getByRole('heading', { name: 'Imports and roll-ups' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Save settings' })).toHaveCount(0);
  await expect(page.getByTestId('people-link')).toHaveCount(0);
  await page.goto(`${server.url}#/activity`);
  await expect(page.getByRole('heading', { name: 'Activity' })).toBeVisible();
  // (the background runs and what was deleted, but no audit log)
  await expect(page.getByTestId('activity-view').getByText('Recently deleted')).toBeVisible();
  await expect(page.getByTestId('activity-view').getByText('Audit log')).toHaveCount(0);
  await page.goto(`${server.url}#/settings/users`);
  await expect(page.getByText('Only an administrator manages people and access')).toBeVisible();

  // signing out: back to the sign-in page, and a reload does not get past it
  await page.getByTestId('sign-out').click();
  await expect(page.getByTestId('signin-page')).toBeVisible();
  await page.reload();
  await expect(page.getByTestId('signin-page')).toBeVisible();
  expect(server.core.auth.listUsers().find((u) => u.username === VIEWER.name)?.activeSessions).toBe(0);
});

test('an administrator adds a person, makes a token shown once, and reads the audit log', async ({ page }) => {
  await signIn(page, ADMIN, '/settings');
  await expect(page.getByTestId('user-role')).toHaveText('Administrator');
  await page.getByTestId('people-link').click();
  await expect(page.getByTestId('users-page')).toBeVisible();
  await expect(page.getByTestId('user-row')).toHaveCount(server.core.auth.listUsers().length);
  await expect(page.locator('[data-testid="user-row"][data-username="dora"]')).toContainText('Disabled');

  // add a manager: a short password and a repeat that differs are refused beside their fields
  const add = page.getByTestId('add-user-form');
  await add.getByLabel('User name').fill('carol');
  await add.getByLabel('Role').selectOption('manager');
  await add.getByLabel('Password', { exact: true }).fill('short');
  await expect(add.getByText('7 more characters needed (at least 12)')).toBeVisible();
  await add.getByTestId('add-user').click();
  await expect(page.getByTestId('new-password-error')).toHaveText('a password needs at least 12 characters');
  await add.getByLabel('Password', { exact: true }).fill('carol password 1');
  await add.getByLabel('Password again').fill('carol password 2');
  await add.getByTestId('add-user').click();
  await expect(page.getByTestId('new-again-error')).toHaveText('the two passwords are not the same');
  await add.getByLabel('Password again').fill('carol password 1');
  await add.getByTestId('add-user').click();
  const carol = page.locator('[data-testid="user-row"][data-username="carol"]');
  await expect(carol).toBeVisible();
  await expect(carol.getByRole('combobox')).toHaveValue('manager');
  await expect(carol).toContainText('Never');
  expect(server.core.auth.listUsers().find((u) => u.username === 'carol')).toMatchObject({ role: 'manager' });

  // a token: shown once, with a warning, then only its name is listed
  const tokenForm = page.getByTestId('new-token-form');
  await tokenForm.getByLabel('Name').fill('BMS export');
  await tokenForm.getByTestId('make-token').click();
  await expect(page.getByTestId('token-once')).toContainText('it will not be shown again');
  const token = (await page.getByTestId('token-value').textContent()) ?? '';
  expect(token).toMatch(/^eclectyc_/);
  expect(server.core.auth.fromToken(token)).toMatchObject({ name: 'BMS export', role: 'viewer', via: 'token' });
  await expect(page.locator('[data-testid="token-row"][data-name="BMS export"]')).toContainText('Active');
  await page.screenshot({ path: screenshotPath('users-admin-people'), fullPage: true });
  await page.getByRole('button', { name: 'I have copied it' }).click();
  await expect(page.getByTestId('token-once')).toHaveCount(0);
  await page.reload();
  await expect(page.locator('[data-testid="token-row"][data-name="BMS export"]')).toBeVisible();
  expect(await page.content()).not.toContain(token);

  // the audit log: who did what, in words
  await page.goto(`${server.url}#/activity?view=audit`);
  const log = page.getByTestId('audit-log');
  await expect(log.getByTestId('audit-row').filter({ hasText: 'Added a user' })).toContainText(ADMIN.name);
  await expect(log.getByTestId('audit-row').filter({ hasText: 'Made an API token' })).toContainText('BMS export');
  await expect(log.getByTestId('audit-row').first()).toContainText('OK');
  await log.getByLabel('Action').selectOption('tokens.create');
  await expect(log.getByTestId('audit-row')).toHaveCount(1);
  await page.screenshot({ path: screenshotPath('users-admin-audit'), fullPage: true });
});
