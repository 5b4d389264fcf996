/**
 * Alerts: a rule set up through the core fires on real readings when "Check now" is pressed, the
 * alert shows in the inbox with its value against the limit, is acknowledged with a note (the
 * badge drops by one) and its page shows who and when; a rule is made with the editor (the core's
 * refusal shown beside the field it names); a bad rule file is refused with each problem named and
 * nothing changed, and a good one previewed then imported; "Send a test" reaches a real webhook.
 * Rule ids and meters are this spec's own; counts are compared before and after, never absolute.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { isoDay, localDayOf } from '../../src-shared/domain/periods';
import { AppShell } from './pages/app';
import { expect, screenshotPath, test } from './fixtures';

const PUBLIC = path.join(process.cwd(), 'tests', 'fixtures', 'public');
const SHEFFIELD = '2336533093112';
const ctx = { role: 'admin' as const, actor: 'e2e' };

async function badge(page: Page): Promise<number> {
  const b = page.getByTestId('alerts-badge');
  return (await b.count()) === 0 ? 0 : Number(await b.innerText());
}

test('a rule fires on real readings, shows in the inbox and is acknowledged with a note', async ({ page, server }) => {
  test.setTimeout(90_000);
  const core = server.core;
  const stored = await core.files.storePath(path.join(PUBLIC, 'wide-hh-sheffield-energysparks.csv'));
  const { jobIds } = core.imports.enqueue([stored.fileId], {});
  await expect.poll(() => core.imports.get(jobIds[0]!).status, { timeout: 30_000 }).toMatch(/done|failed/);
  await core.scheduler.idle();
  await core.handlers['alerts.saveRule'](
    {
      rule: {
        id: 'e2e-inbox-daily',
        name: 'E2E daily use',
        kind: 'daily-kwh-above',
        meter: SHEFFIELD,
        kwh: 1,
        severity: 'critical',
        channels: [],
        enabled: true,
      },
    },
    ctx,
  );

  const shell = new AppShell(page);
  await page.setViewportSize({ width: 1440, height: 900 });
  await shell.open(server.url, '/alerts');
  await page.getByTestId('alerts-check').click();
  await expect(page.getByTestId('alerts-check-result')).toContainText(/^Checked \d+ rules?:/);

  await page.getByTestId('alerts-meter').fill(SHEFFIELD);
  await page.getByTestId('alerts-kind').selectOption('daily-kwh-above');
  const rows = page.getByTestId('alert-row');
  await expect(rows.first()).toBeVisible();
  const open = (await core.handlers['alerts.list']({ rule: 'e2e-inbox-daily', status: 'open' }, ctx)).filter(
    (a) => a.meter === SHEFFIELD,
  );
  expect(open.length).toBeGreaterThan(0);
  await expect(rows).toHaveCount(open.length);
  const first = rows.filter({ has: page.locator(`[data-alert="${open[0]!.id}"]`) });
  await expect(first).toContainText(/Critical/);
  await expect(first).toContainText(`limit 1 kWh`);
  await expect(first).toContainText(SHEFFIELD);
  // its value is the day's use, summed here from the stored readings (a winter day: UK time is UTC)
  const day = open[0]!.period;
  const next = new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString();
  const readings = await core.handlers['readings.list']({ meter: SHEFFIELD, from: `${day}T00:00:00Z`, to: next }, ctx);
  const total = readings.reduce((s, r) => s + (r.kwh ?? 0), 0);
  await expect(first).toContainText(`${total.toLocaleString('en-GB', { maximumFractionDigits: 1 })} kWh`);

  // the badge is the core's count of open alerts, and drops by one when one is acknowledged
  await expect.poll(() => badge(page)).toBe((await core.handlers['alerts.counts']({}, ctx)).open);
  const before = await badge(page);
  await first.getByTestId('alert-ack').click();
  const dialog = page.getByTestId('alert-dialog');
  await dialog.getByLabel('Note (optional)').fill('Caretaker left the heating on; fixed');
  await dialog.getByRole('button', { name: 'Acknowledge' }).click();
  await expect.poll(() => badge(page)).toBe(before - 1);
  expect((await core.handlers['alerts.get']({ id: open[0]!.id }, ctx)).status).toBe('acknowledged');
  await page.screenshot({ path: screenshotPath('alerts-inbox'), fullPage: true });

  // its own page: who and when, the note, and its (empty) delivery log
  await page.goto(`${server.url}#/alerts/${open[0]!.id}`);
  await expect(page.getByTestId('alert-state')).toHaveText('Acknowledged');
  await expect(page.getByTestId('alert-note')).toHaveText('Caretaker left the heating on; fixed');
  await expect(page.getByTestId('alert-acknowledged')).toContainText(/\d{1,2} \w{3} \d{4} \d\d:\d\d/);
  await expect(page.getByText('Its rule sends no messages')).toBeVisible();
  await expect(page.getByTestId('alert-link')).toHaveAttribute('href', open[0]!.link!);
  await page.screenshot({ path: screenshotPath('alerts-detail'), fullPage: true });

  // snoozed until a UK date typed as DD/MM/YYYY: it says until when, and the core keeps that day
  const until = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10);
  const [y, m, d] = until.split('-');
  await page.getByTestId('alert-snooze').click();
  await dialog.getByLabel('Snooze until').fill(`${d}/${m}/${y}`);
  await dialog.getByRole('button', { name: 'Snooze', exact: true }).click();
  const words = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'short', year: 'numeric' });
  await expect(page.getByTestId('alert-state')).toHaveText(
    `Snoozed until ${words.format(new Date(`${until}T12:00:00Z`))}`,
  );
  const snoozed = (await core.handlers['alerts.get']({ id: open[0]!.id }, ctx)).snoozedUntil!;
  expect(isoDay(localDayOf(Date.parse(snoozed) / 1000))).toBe(until);
});

test('a rule is made with the editor; the core’s refusal shows beside its field', async ({ page, server }) => {
  const core = server.core;
  const shell = new AppShell(page);
  await shell.open(server.url, '/alerts/rules');
  await page.getByTestId('rule-new').click();
  const editor = page.getByTestId('rule-editor');
  await editor.getByLabel('When').selectOption('halfhour-kw-above');
  await expect(editor.getByLabel('Demand above')).toBeVisible();
  await editor.getByLabel('Name (optional)').fill('E2E editor demand');
  await editor.getByRole('radio', { name: 'All meters' }).click();
  await editor.getByLabel('Demand above').fill('lots');
  await editor.getByTestId('rule-save').click();
  await expect(page.getByTestId('rule-kw-error')).toHaveText('Enter a number, e.g. 500');

  // the form lets this id through; the core refuses it and names the field
  await editor.getByLabel('Id').fill('e2e editor!');
  await editor.getByLabel('Demand above').fill('75');
  await editor.getByLabel('For at least').fill('3');
  await editor.getByTestId('rule-save').click();
  await expect(page.getByTestId('rule-id-error')).toContainText('Expected an id of letters, digits');
  expect((await core.handlers['alerts.rules']({}, ctx)).some((r) => r.name === 'E2E editor demand')).toBe(false);

  await editor.getByLabel('Id').fill('e2e-editor-demand');
  await editor.getByTestId('rule-save').click();
  await expect(editor).toHaveCount(0);
  const row = page.locator('[data-testid="rule-row"][data-id="e2e-editor-demand"]');
  await expect(row).toContainText('Demand above 75 kW for 3 half-hours in a row');
  await expect(row).toContainText('All meters');
  const saved = (await core.handlers['alerts.rules']({}, ctx)).find((r) => r.id === 'e2e-editor-demand');
  expect(saved).toMatchObject({ kind: 'halfhour-kw-above', kw: 75, consecutive: 3, all: true, enabled: true });

  // switched off from the list
  await row.getByTestId('rule-enabled').click();
  await expect(row).toHaveAttribute('data-enabled', 'false');
  expect((await core.handlers['alerts.rules']({}, ctx)).find((r) => r.id === 'e2e-editor-demand')?.enabled).toBe(false);
  await page.screenshot({ path: screenshotPath('alerts-rules'), fullPage: true });
});

test('a rule file with problems changes nothing and names each; a good one is previewed, then imported', async ({
  page,
  server,
}) => {
  const core = server.core;
  const shell = new AppShell(page);
  await shell.open(server.url, '/alerts/rules');
  const bad = {
    rules: [
      { id: 'e2e-file-ok', kind: 'daily-kwh-above', all: true, kwh: 400 },
      { id: 'e2e-file-bad', kind: 'daily-kwh-above', all: true, kwh: 'lots' },
    ],
  };
  await page.getByTestId('rules-file-input').setInputFiles({
    name: 'bad-rules.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify(bad)),
  });
  const error = page.getByTestId('rules-import-error');
  await expect(error).toContainText('bad-rules.json was not imported: nothing was changed');
  await expect(error.getByTestId('rules-import-problem')).toHaveCount(1);
  await expect(error.getByTestId('rules-import-problem')).toContainText(
    'Rule e2e-file-bad (2nd in the file), field kwh:',
  );
  expect((await core.handlers['alerts.rules']({}, ctx)).some((r) => r.id === 'e2e-file-ok')).toBe(false);
  await page.screenshot({ path: screenshotPath('alerts-rules-refused'), fullPage: true });

  const good = {
    rules: [
      { id: 'e2e-file-ok', kind: 'daily-kwh-above', all: true, kwh: 400 },
      { id: 'e2e-file-zero', kind: 'zero-run', all: true, halfHours: 6, severity: 'info' },
    ],
  };
  await page.getByTestId('rules-file-input').setInputFiles({
    name: 'good-rules.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify(good)),
  });
  await expect(page.getByTestId('rules-import-summary')).toHaveText('2 rules to create');
  expect((await core.handlers['alerts.rules']({}, ctx)).some((r) => r.id === 'e2e-file-ok')).toBe(false);
  await page.getByTestId('rules-import-confirm').click();
  await expect(page.getByTestId('rules-import-result')).toContainText('2 rules created');
  await expect(page.locator('[data-testid="rule-row"][data-id="e2e-file-zero"]')).toContainText(
    '6 or more zero readings in a row',
  );
});

test('"Send a test" reaches a real webhook and says so; a refused address shows beside its field', async ({
  page,
  server,
}) => {
  const received: { body: string; signature: string | undefined }[] = [];
  const hook = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      received.push({ body, signature: req.headers['x-eclectyc-signature'] as string | undefined });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
  const port = (hook.address() as { port: number }).port;
  try {
    const shell = new AppShell(page);
    await shell.open(server.url, '/settings');
    const card = page.getByTestId('notify-card');
    await card.getByLabel('Webhook URL').fill('not a url');
    await card.getByTestId('notify-save').click();
    await expect(page.getByTestId('notify-webhook-error')).toContainText(
      'Expected a URL, e.g. https://example.org/hooks/energy',
    );

    await card.getByLabel('Webhook URL').fill(`http://127.0.0.1:${port}/hook`);
    await card.getByLabel('Signing secret').fill('e2e-signing-secret');
    await card.getByTestId('notify-save').click();
    await expect(card.getByLabel('Signing secret')).toHaveValue('•••••••• (set)');
    await card.getByTestId('notify-test-webhook').click();
    await expect(page.getByTestId('notify-test-webhook-result')).toContainText('The webhook accepted a test message');
    expect(received).toHaveLength(1);
    expect(JSON.parse(received[0]!.body)).toMatchObject({ event: 'test' });
    const mac = crypto.createHmac('sha256', 'e2e-signing-secret').update(received[0]!.body).digest('hex');
    expect(received[0]!.signature).toBe(`sha256=${mac}`);
    expect(JSON.stringify(server.core.settings.get())).not.toContain('e2e-signing-secret');
    await page.screenshot({ path: screenshotPath('settings-notifications'), fullPage: true });
  } finally {
    await new Promise((r) => hook.close(r));
  }
});
