/**
 * Delivery of alerts through real servers on 127.0.0.1 (an SMTP server, HTTP servers standing in for
 * Slack and a webhook), a real core on a temporary folder, and a clock the tests move by hand.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import { SMTPServer } from 'smtp-server';
import { afterEach, describe, expect, it } from 'vitest';
import type { Alert, AlertDelivery, NotifyTestResult, Settings, SiteSummary } from '../../../src-shared/contract/types';
import { parseMail } from '../../../tests/helpers/mail';
import { callAsAdmin, makeCore } from '../../../tests/helpers/core';
import type { Core } from '../app';
import { silentLogger } from '../events';
import { DeliveryService } from './delivery';

const MON_NOON = Date.UTC(2025, 0, 6, 12, 0); // Mon 6 Jan 2025, 12:00 GMT
let now = MON_NOON;
const clock = { now: () => now };
let core: Core | null = null;
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await core?.stop();
  core = null;
  for (const c of closers.splice(0)) await c();
  now = MON_NOON;
});

interface Received {
  path: string;
  headers: http.IncomingHttpHeaders;
  raw: string;
}

/** An HTTP server answering each POST with `answer(n)` (n counts from 1), recording what came. */
async function httpServer(answer: (n: number) => [number, string] = () => [200, 'ok']) {
  const got: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      got.push({ path: req.url!, headers: req.headers, raw: Buffer.concat(chunks).toString('utf8') });
      const [status, body] = answer(got.length);
      res.writeHead(status, { 'content-type': 'text/plain' });
      res.end(body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  closers.push(() => {
    server.closeAllConnections();
    return new Promise<void>((r) => server.close(() => r()));
  });
  return { got, base: `http://127.0.0.1:${(server.address() as { port: number }).port}` };
}

let nextPeriod = 1;
/** An alert as the engine hands it over, with its row in the alerts table. */
function alert(c: Core, over: Partial<Alert> = {}): Alert {
  const period = `2025-01-${String(nextPeriod++ % 28 || 28).padStart(2, '0')}x${nextPeriod}`;
  const base: Omit<Alert, 'id'> = {
    rule: 'r1',
    kind: 'daily-kwh-above',
    subject: '1200050000009',
    subjectLabel: '1200050000009 · Main school',
    severity: 'warning',
    status: 'open',
    firedAt: new Date(now).toISOString(),
    period,
    periodLabel: 'Mon 6 Jan 2025',
    message: '1,200 kWh on Mon 6 Jan 2025, above 500 kWh',
    value: 1200,
    threshold: 500,
    unit: 'kWh',
    link: '#/meters/1200050000009?view=analysis&from=2025-01-06',
    meter: '1200050000009',
    siteId: null,
    acknowledgedAt: null,
    acknowledgedBy: null,
    note: null,
    resolvedAt: null,
    resolvedBy: null,
    snoozedUntil: null,
    channels: ['webhook'],
    ...over,
  };
  const id = Number(
    c.sqlite
      .prepare(
        `INSERT INTO alerts (rule_id, kind, subject, period, severity, status, fired_at, message, value, threshold,
         unit, link, site_id, channels) VALUES (?, ?, ?, ?, ?, 'open', ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        base.rule,
        base.kind,
        base.subject,
        base.period,
        base.severity,
        Math.floor(now / 1000),
        base.message,
        base.value,
        base.threshold,
        base.unit,
        base.link,
        base.siteId,
        JSON.stringify(base.channels),
      ).lastInsertRowid,
  );
  return { id, ...base };
}

const set = (c: Core, patch: Record<string, unknown>) => callAsAdmin<Settings>(c, 'settings.update', patch);

/** A delivery service of its own on the core's database, retrying after 1, 2 and 3 s. */
const service = (c: Core) =>
  new DeliveryService(c.sqlite, clock, c.settings, c.secrets, c.events, silentLogger, {
    backoffMs: [1000, 2000, 3000],
  });

const hmac = (secret: string, raw: string) => crypto.createHmac('sha256', secret).update(raw, 'utf8').digest('hex');

describe('email', () => {
  it('sends plain-text and HTML bodies naming the meter, site, period, value and threshold', async () => {
    const mails: { raw: string; auth: string | undefined }[] = [];
    let user: string | undefined;
    const smtp = new SMTPServer({
      authOptional: false,
      allowInsecureAuth: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onAuth(auth, _s, cb) {
        user = auth.username;
        if (auth.password === 'pa55-w0rd') cb(null, { user: auth.username! });
        else cb(new Error('bad password'));
      },
      onData(stream, _s, cb) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          mails.push({ raw: Buffer.concat(chunks).toString('utf8'), auth: user });
          cb();
        });
      },
    });
    await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', () => r()));
    closers.push(() => new Promise<void>((r) => smtp.close(() => r())));
    const port = smtp.server.address().port;
    core = await makeCore({ clock });
    const site = await callAsAdmin<SiteSummary>(core, 'sites.create', { name: 'Main school, Bath' });
    const s = await set(core, {
      'notify.email.smtpUrl': `smtp://alerts%40example.org:pa55-w0rd@127.0.0.1:${port}`,
      'notify.email.from': 'Eclectyc Energy <alerts@example.org>',
      'notify.email.to': 'anna@example.org, facilities@example.org',
      'notify.appUrl': 'http://energy.example.org:8080',
    });
    expect(s['notify.email.smtpUrl']).toBe(`smtp://alerts%40example.org:****@127.0.0.1:${port}`);
    const a = alert(core, { channels: ['email'], siteId: site.id });
    core.delivery.enqueue([a]);
    await core.delivery.idle();

    expect(mails).toHaveLength(1);
    expect(mails[0]!.auth).toBe('alerts@example.org');
    const m = parseMail(mails[0]!.raw);
    expect(m.subject).toBe('[Warning] Daily kWh above 500 kWh — 1200050000009 — Mon 6 Jan 2025');
    expect(m.headers.to).toBe('anna@example.org, facilities@example.org');
    const link = 'http://energy.example.org:8080/#/meters/1200050000009?view=analysis&from=2025-01-06';
    for (const want of ['1200050000009 · Main school', 'Main school, Bath', 'Mon 6 Jan 2025', '1,200 kWh', '500 kWh'])
      for (const body of [m.text, m.html]) expect(body).toContain(want);
    expect(m.text).toContain(`Link: ${link}`);
    expect(m.html).toContain(`href="${link.replace(/&/g, '&amp;')}"`);
    expect(m.text).toMatch(/Threshold: 500 kWh/);
    expect(m.text).toMatch(/Value: 1,200 kWh/);
    expect(core.delivery.deliveries(a.id)).toMatchObject([{ channel: 'email', status: 'sent', attempts: 1 }]);

    // without the app's address, the message says where to look in the desktop app
    await set(core, { 'notify.appUrl': null });
    const b = alert(core, { channels: ['email'] });
    core.delivery.enqueue([b]);
    await core.delivery.idle();
    expect(parseMail(mails[1]!.raw).text).toContain(`Open Eclectyc Energy → Alerts, alert #${b.id}`);
  });

  it('records a channel that is not set up as failed, saying where to set it up', async () => {
    core = await makeCore({ clock });
    const a = alert(core, { channels: ['email'] });
    core.delivery.enqueue([a]);
    await core.delivery.idle();
    expect(core.delivery.deliveries(a.id)).toMatchObject([
      { status: 'failed', error: 'Email is not set up: Settings → Notifications' },
    ]);
  });
});

describe('Slack', () => {
  it('posts Block Kit blocks with a text fallback; the webhook URL is masked in settings', async () => {
    const slack = await httpServer();
    core = await makeCore({ clock });
    const s = await set(core, { 'notify.slack.webhookUrl': `${slack.base}/services/T000/B000/XXXXSECRET` });
    expect(s['notify.slack.webhookUrl']).toBe(`${slack.base}/services/****`);
    const a = alert(core, { channels: ['slack'], severity: 'critical' });
    core.delivery.enqueue([a]);
    await core.delivery.idle();
    expect(slack.got.map((g) => g.path)).toEqual(['/services/T000/B000/XXXXSECRET']);
    const body = JSON.parse(slack.got[0]!.raw) as {
      text: string;
      blocks: { type: string; text?: { text: string }; fields?: { text: string }[]; elements?: { text: string }[] }[];
    };
    expect(body.text).toBe('[Critical] Daily kWh above 500 kWh — 1200050000009 — Mon 6 Jan 2025');
    expect(body.blocks[0]).toMatchObject({ type: 'header', text: { text: 'Critical: Daily kWh above 500 kWh' } });
    const fields = body.blocks.flatMap((b) => b.fields ?? []).map((f) => f.text);
    expect(fields).toEqual(
      expect.arrayContaining([
        '*Meter*\n1200050000009 · Main school',
        '*Period*\nMon 6 Jan 2025',
        '*Value*\n1,200 kWh',
        '*Threshold*\n500 kWh',
      ]),
    );
    expect(body.blocks.at(-1)).toMatchObject({
      type: 'context',
      elements: [{ text: `Open Eclectyc Energy → Alerts, alert #${a.id}` }],
    });
  });

  it('gives up after 4 attempts, with the answer in the error and the secret URL nowhere', async () => {
    const slack = await httpServer(() => [404, 'no_service for /services/T000/B000/XXXXSECRET']);
    core = await makeCore({ clock });
    await set(core, { 'notify.slack.webhookUrl': `${slack.base}/services/T000/B000/XXXXSECRET` });
    const d = service(core);
    const a = alert(core, { channels: ['slack'] });
    d.enqueue([a]);
    for (const wait of [0, 1000, 2000, 3000]) {
      now += wait;
      await d.idle();
    }
    now += 60_000;
    await d.idle();
    expect(slack.got).toHaveLength(4);
    const [row] = d.deliveries(a.id);
    expect(row).toMatchObject({ status: 'failed', attempts: 4, nextAt: null });
    expect(row!.error).toContain('Slack answered 404');
    expect(row!.error).toContain('gave up after 4 attempts');
    expect(row!.error).not.toContain('XXXXSECRET');
  });
});

describe('webhook', () => {
  it('signs the raw body, retries after failures with backoff, and logs each attempt', async () => {
    const hook = await httpServer((n) => (n <= 2 ? [500, 'database is down'] : [204, '']));
    core = await makeCore({ clock });
    const secret = 'whsec-9f8e7d6c';
    const s = await set(core, { 'notify.webhook.url': `${hook.base}/hooks/energy`, 'notify.webhook.secret': secret });
    expect(s['notify.webhook.secretSet']).toBe(true);
    const d = service(core);
    const a = alert(core);
    d.enqueue([a]);
    await d.idle();
    expect(d.deliveries(a.id)).toMatchObject([
      { status: 'retrying', attempts: 1, nextAt: new Date(MON_NOON + 1000).toISOString().replace('.000Z', 'Z') },
    ]);
    expect(d.deliveries(a.id)[0]!.error).toBe('The webhook answered 500 Internal Server Error: database is down');
    await d.idle(); // not due yet: nothing sent
    expect(hook.got).toHaveLength(1);
    now += 1000;
    await d.idle();
    expect(d.deliveries(a.id)).toMatchObject([{ status: 'retrying', attempts: 2 }]);
    now += 1999;
    await d.idle();
    expect(hook.got).toHaveLength(2);
    now += 1;
    await d.idle();
    expect(d.deliveries(a.id)).toMatchObject([{ status: 'sent', attempts: 3, error: null }]);
    expect(hook.got).toHaveLength(3);
    for (const g of hook.got) {
      expect(g.headers['x-eclectyc-signature']).toBe(`sha256=${hmac(secret, g.raw)}`);
      expect(Number(g.headers['x-eclectyc-timestamp'])).toBeGreaterThanOrEqual(MON_NOON / 1000);
      const body = JSON.parse(g.raw) as { event: string; alert: Alert; sentAt: string };
      expect(body.event).toBe('alert.fired');
      expect(body.alert).toEqual(a);
    }
  });

  it('sends an alert once however often it is enqueued', async () => {
    const hook = await httpServer();
    core = await makeCore({ clock });
    await set(core, { 'notify.webhook.url': `${hook.base}/h` });
    const a = alert(core, { channels: ['webhook', 'webhook'] });
    core.delivery.enqueue([a, a]);
    core.delivery.enqueue([a]);
    await core.delivery.idle();
    core.delivery.enqueue([a]);
    await core.delivery.idle();
    expect(hook.got).toHaveLength(1);
    expect(core.delivery.deliveries(a.id)).toHaveLength(1);
  });
});

describe('quiet hours, rate limit and digest', () => {
  it('holds messages in quiet hours and sends them bundled when they end', async () => {
    const hook = await httpServer();
    now = Date.UTC(2025, 0, 6, 23, 30); // 23:30 UK (GMT)
    core = await makeCore({ clock });
    await set(core, { 'notify.webhook.url': `${hook.base}/h`, 'notify.quietHours': '22:00-07:00' });
    const shown: Alert[][] = [];
    core.events.subscribe((e) => e.event === 'alerts.notify' && shown.push(e.payload.alerts));
    const alerts = [1, 2, 3].map(() => alert(core!, { channels: ['tray', 'webhook'] }));
    core.delivery.enqueue(alerts);
    await core.delivery.idle();
    expect(hook.got).toHaveLength(0);
    expect(shown).toHaveLength(0);
    const end = '2025-01-07T07:00:00Z';
    expect(core.delivery.deliveries().map((d) => [d.status, d.nextAt])).toEqual(Array(6).fill(['held', end]));
    now = Date.parse(end) - 1000;
    await core.delivery.idle();
    expect(hook.got).toHaveLength(0);
    now = Date.parse(end);
    await core.delivery.idle();
    expect(hook.got).toHaveLength(1);
    const body = JSON.parse(hook.got[0]!.raw) as { event: string; alerts: Alert[] };
    expect(body.event).toBe('digest');
    expect(body.alerts.map((x) => x.id)).toEqual(alerts.map((x) => x.id));
    expect(shown).toEqual([alerts]);
    for (const a of alerts) expect(core.delivery.deliveries(a.id).map((d) => d.status)).toEqual(['sent', 'sent']);
  });

  it('sends up to the hourly limit, then one bundled message with the rest', async () => {
    const hook = await httpServer();
    core = await makeCore({ clock });
    await set(core, { 'notify.webhook.url': `${hook.base}/h`, 'notify.rateLimitPerHour': 2 });
    const alerts = [1, 2, 3, 4, 5].map(() => alert(core!));
    core.delivery.enqueue(alerts);
    await core.delivery.idle();
    expect(hook.got.map((g) => (JSON.parse(g.raw) as { alert: Alert }).alert.id)).toEqual([
      alerts[0]!.id,
      alerts[1]!.id,
    ]);
    const held = alerts.slice(2).map((a) => core!.delivery.deliveries(a.id)[0]!);
    expect(held.map((d) => d.status)).toEqual(['held', 'held', 'held']);
    now += 3600 * 1000;
    await core.delivery.idle();
    expect(hook.got).toHaveLength(3);
    const bundle = JSON.parse(hook.got[2]!.raw) as { event: string; alerts: Alert[] };
    expect(bundle.event).toBe('digest');
    expect(bundle.alerts.map((a) => a.id)).toEqual(alerts.slice(2).map((a) => a.id));
    const log = core.delivery.deliveries();
    expect(log.filter((d) => d.kind === 'digest')).toMatchObject([{ status: 'sent', alertId: null }]);
    expect(log.filter((d) => d.kind === 'alert').every((d) => d.status === 'sent')).toBe(true);
  });

  it('sends a daily digest at its time, caught up after a restart; the tray is not held', async () => {
    const hook = await httpServer();
    core = await makeCore({ clock });
    await set(core, { 'notify.webhook.url': `${hook.base}/h`, 'notify.digestAt': '08:00' });
    const shown: Alert[][] = [];
    core.events.subscribe((e) => e.event === 'alerts.notify' && shown.push(e.payload.alerts));
    const a = alert(core, { channels: ['tray', 'webhook'] });
    const b = alert(core, { subjectLabel: 'Gas meter', channels: ['webhook'] });
    core.delivery.enqueue([a, b]);
    await core.delivery.idle();
    expect(shown).toEqual([[a]]);
    expect(hook.got).toHaveLength(0);
    expect(core.delivery.deliveries(b.id)).toMatchObject([{ status: 'held', nextAt: '2025-01-07T08:00:00Z' }]);

    // the machine slept through 08:00; a new service (after a restart) finds the held rows
    now = Date.UTC(2025, 0, 7, 9, 30);
    const d = service(core);
    await d.idle();
    expect(hook.got).toHaveLength(1);
    const body = JSON.parse(hook.got[0]!.raw) as { event: string; alerts: Alert[] };
    expect(body.event).toBe('digest');
    expect(body.alerts.map((x) => [x.id, x.subject])).toEqual([
      [a.id, '1200050000009'],
      [b.id, '1200050000009'],
    ]);
    const digest = core.sqlite.prepare("SELECT payload FROM alert_deliveries WHERE kind = 'digest'").pluck().all();
    expect(digest).toEqual([JSON.stringify([a.id, b.id])]);
  });
});

describe('notify.test and notify.deliveries', () => {
  it('sends a test on a channel and says what happened; a channel not set up says so', async () => {
    const hook = await httpServer();
    core = await makeCore({ clock });
    await set(core, { 'notify.webhook.url': `${hook.base}/h`, 'notify.webhook.secret': 'abc123' });
    const ok = await callAsAdmin<NotifyTestResult>(core, 'notify.test', { channel: 'webhook' });
    expect(ok).toMatchObject({ channel: 'webhook', ok: true });
    expect(JSON.parse(hook.got[0]!.raw)).toMatchObject({ event: 'test', alert: { id: 0 } });
    expect(hook.got[0]!.headers['x-eclectyc-signature']).toBe(`sha256=${hmac('abc123', hook.got[0]!.raw)}`);
    const email = await callAsAdmin<NotifyTestResult>(core, 'notify.test', { channel: 'email' });
    expect(email).toEqual({ channel: 'email', ok: false, message: 'Email is not set up: Settings → Notifications' });
    const log = await callAsAdmin<AlertDelivery[]>(core, 'notify.deliveries', {});
    expect(log.map((d) => [d.channel, d.kind, d.status])).toEqual([
      ['email', 'test', 'failed'],
      ['webhook', 'test', 'sent'],
    ]);
  });
});
