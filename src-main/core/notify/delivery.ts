/**
 * Delivery of alerts to people (docs/notifications.md). `enqueue` records one `alert_deliveries`
 * row per alert per channel, then a background pass sends what is due: failed attempts are retried
 * with backoff (4 attempts, then 'failed'); beyond `notify.rateLimitPerHour` messages a channel's
 * alerts are held and go out later bundled in one message; in quiet hours everything is held until
 * they end; with a daily digest time, email, Slack and webhook alerts are held for the day's digest.
 * The tray channel emits `alerts.notify` for the desktop app. Rows persist, so held messages and
 * retries carry on after a restart, and a digest missed while asleep goes out at the next pass.
 */
import type Database from 'better-sqlite3';
import { AppError } from '../../../src-shared/contract/errors';
import type {
  Alert,
  AlertChannel,
  AlertDelivery,
  NotifyTestResult,
  Settings,
} from '../../../src-shared/contract/types';
import { toLondonParts, isoUtcOrNull } from '../../../src-shared/domain/london-time';
import { isoDay } from '../../../src-shared/domain/periods';
import type { Clock } from '../clock';
import type { EventBus, Logger } from '../events';
import { nextScheduledAt } from '../scheduler/scheduler';
import type { SettingsStore } from '../settings/settings-store';
import { sendEmail, sendSlack, sendWebhook } from './channels';
import type { MessageItem, OutgoingMessage } from './format';
import { SECRET_ENV, type SecretStore } from './secrets';

/** Waits before the 2nd, 3rd and 4th attempt; after the 4th failure the delivery has failed. */
export const DEFAULT_BACKOFF_MS = [30_000, 120_000, 600_000];
export const CHANNELS: readonly AlertChannel[] = ['tray', 'email', 'slack', 'webhook'];
/** Re-check at least this often (timers stop while a laptop sleeps; settings change). */
const MAX_SLEEP_MS = 60_000;

type Row = {
  id: number;
  alert_id: number | null;
  channel: AlertChannel;
  status: AlertDelivery['status'];
  attempts: number;
  created_at: number;
  next_at: number | null;
  sent_at: number | null;
  error: string | null;
  kind: AlertDelivery['kind'];
  payload: string | null;
};

const iso = isoUtcOrNull;

const NOT_SET_UP: Record<Exclude<AlertChannel, 'tray'>, string> = {
  email: 'Email is not set up: Settings → Notifications',
  slack: 'Slack is not set up: Settings → Notifications',
  webhook: 'The webhook is not set up: Settings → Notifications',
};

/** When quiet hours (`HH:MM-HH:MM`, UK local, may wrap midnight) are on at `nowSec`: when they end; else null. */
export function quietUntil(quietHours: string | null, nowSec: number): number | null {
  if (!quietHours) return null;
  const [start, end] = quietHours.split('-').map((t) => t.trim()) as [string, string];
  const minutes = (t: string): number => Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5));
  const p = toLondonParts(nowSec);
  const m = p.hour * 60 + p.minute;
  const a = minutes(start);
  const b = minutes(end);
  const inside = a < b ? m >= a && m < b : a > b ? m >= a || m < b : false;
  return inside ? nextScheduledAt(nowSec, end) : null;
}

export interface DeliveryOptions {
  fetch?: typeof fetch;
  /** Loads an alert by id for messages sent later (default: the `alerts` table, labels from its raw fields). */
  loadAlert?: (id: number) => Alert | null;
  /** Waits between attempts; the number of attempts is one more than its length. */
  backoffMs?: number[];
}

export class DeliveryService {
  private readonly f: typeof fetch;
  private readonly backoffMs: number[];
  private readonly loadAlertOpt: ((id: number) => Alert | null) | null;
  /** Alerts handed to enqueue and not yet finished with: their labels as the engine wrote them. */
  private readonly cache = new Map<number, Alert>();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private started = false;

  constructor(
    private readonly sqlite: Database.Database,
    private readonly clock: Clock,
    private readonly settings: SettingsStore,
    private readonly secrets: SecretStore,
    private readonly events: EventBus,
    private readonly log: Logger,
    opts: DeliveryOptions = {},
  ) {
    this.f = opts.fetch ?? fetch;
    this.backoffMs = opts.backoffMs ?? DEFAULT_BACKOFF_MS;
    this.loadAlertOpt = opts.loadAlert ?? null;
  }

  private nowSec(): number {
    return Math.floor(this.clock.now() / 1000);
  }

  /**
   * Records a delivery per alert per channel it names (once: an alert enqueued again is not sent
   * again) and starts sending in the background. A channel that is not set up gets a 'failed' row
   * saying so.
   */
  enqueue(alerts: Alert[]): void {
    const s = this.settings.get();
    const now = this.nowSec();
    const exists = this.sqlite.prepare(
      "SELECT 1 FROM alert_deliveries WHERE alert_id = ? AND channel = ? AND kind = 'alert' LIMIT 1",
    );
    const insert = this.sqlite.prepare(
      `INSERT INTO alert_deliveries (alert_id, channel, status, attempts, created_at, error, kind)
       VALUES (?, ?, ?, 0, ?, ?, 'alert')`,
    );
    let queued = 0;
    this.sqlite.transaction(() => {
      for (const a of alerts) {
        for (const ch of new Set(a.channels)) {
          if (!CHANNELS.includes(ch) || exists.get(a.id, ch)) continue;
          const why = this.notSetUp(ch, s);
          insert.run(a.id, ch, why ? 'failed' : 'queued', now, why);
          if (!why) {
            queued++;
            this.cache.set(a.id, a);
          }
        }
      }
    })();
    if (queued > 0) void this.pump();
  }

  /** Starts the timer that sends what is due (held messages and retries, also those left by an earlier run). */
  start(): void {
    this.started = true;
    void this.pump();
  }

  /** Stops the timer and waits for the pass in flight. */
  async stop(): Promise<void> {
    this.started = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    while (this.running) await this.running;
  }

  /** Sends everything due now; resolves when the pass is done. */
  flushDue(): Promise<void> {
    return this.pump();
  }

  /** Resolves when nothing is in flight or due now. */
  async idle(): Promise<void> {
    for (let i = 0; i < 50; i++) {
      if (this.running) await this.running;
      else if (this.dueNow()) await this.pump();
      else return;
    }
  }

  /** Delivery attempts, newest first (one alert's with `alertId`). */
  deliveries(alertId?: number, limit = 100): AlertDelivery[] {
    const rows = (
      alertId === undefined
        ? this.sqlite.prepare('SELECT * FROM alert_deliveries ORDER BY id DESC LIMIT ?').all(limit)
        : this.sqlite
            .prepare('SELECT * FROM alert_deliveries WHERE alert_id = ? ORDER BY id DESC LIMIT ?')
            .all(alertId, limit)
    ) as Row[];
    return rows.map((r) => ({
      id: r.id,
      alertId: r.alert_id,
      channel: r.channel,
      kind: r.kind,
      status: r.status,
      attempts: r.attempts,
      createdAt: iso(r.created_at)!,
      nextAt: iso(r.next_at),
      sentAt: iso(r.sent_at),
      error: r.error,
    }));
  }

  /** Sends a test message on the channel now (no quiet hours, limits or digest), records it and says what happened. */
  async test(channel: AlertChannel): Promise<NotifyTestResult> {
    const s = this.settings.get();
    const now = this.nowSec();
    const record = (status: 'sent' | 'failed', error: string | null) =>
      this.sqlite
        .prepare(
          `INSERT INTO alert_deliveries (alert_id, channel, status, attempts, created_at, sent_at, error, kind)
           VALUES (NULL, ?, ?, ?, ?, ?, ?, 'test')`,
        )
        .run(
          channel,
          status,
          status === 'sent' ? 1 : error === null ? 0 : 1,
          now,
          status === 'sent' ? now : null,
          error,
        );
    const why = this.notSetUp(channel, s);
    if (why) {
      record('failed', why);
      return { channel, ok: false, message: why };
    }
    try {
      await this.send(channel, { kind: 'test', items: [{ alert: this.sampleAlert(), site: null }] }, s);
      record('sent', null);
      return { channel, ok: true, message: this.sentTo(channel, s) };
    } catch (e) {
      const message = this.scrub((e as Error).message);
      record('failed', message);
      return { channel, ok: false, message };
    }
  }

  private sentTo(channel: AlertChannel, s: Settings): string {
    if (channel === 'tray') return 'Sent a test notification to the desktop app';
    if (channel === 'email') return `Sent a test email to ${s['notify.email.to']}`;
    if (channel === 'slack') return `Slack accepted a test message (${s['notify.slack.webhookUrl']})`;
    return `The webhook accepted a test message (${s['notify.webhook.url']})`;
  }

  private sampleAlert(): Alert {
    const nowMs = this.clock.now();
    const day = new Date(nowMs).toLocaleDateString('en-GB', {
      timeZone: 'Europe/London',
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      year: 'numeric',
    });
    return {
      id: 0,
      rule: 'test',
      kind: 'daily-kwh-above',
      subject: 'test',
      subjectLabel: 'An example meter (this is a test)',
      severity: 'info',
      status: 'open',
      firedAt: iso(Math.floor(nowMs / 1000))!,
      period: new Date(nowMs).toISOString().slice(0, 10),
      periodLabel: day.replace(/,/g, ''),
      message: 'This is a test message: alerts on this channel will look like this.',
      value: 1200,
      threshold: 500,
      unit: 'kWh',
      link: '#/alerts',
      meter: null,
      siteId: null,
      acknowledgedAt: null,
      acknowledgedBy: null,
      note: null,
      resolvedAt: null,
      resolvedBy: null,
      snoozedUntil: null,
      channels: [],
    };
  }

  /** Why the channel cannot send (its settings are missing), or null. */
  private notSetUp(ch: AlertChannel, s: Settings): string | null {
    if (ch === 'email')
      return this.secrets.source('notify.email.smtpUrl') === null || !s['notify.email.to'] ? NOT_SET_UP.email : null;
    if (ch === 'slack') return this.secrets.source('notify.slack.webhookUrl') === null ? NOT_SET_UP.slack : null;
    if (ch === 'webhook') return s['notify.webhook.url'] ? null : NOT_SET_UP.webhook;
    return null;
  }

  /** Sends one message on the channel; throws AppError when the far end did not take it. */
  private async send(ch: AlertChannel, m: OutgoingMessage, s: Settings): Promise<void> {
    const appUrl = s['notify.appUrl'];
    if (ch === 'tray') this.events.emit('alerts.notify', { alerts: m.items.map((i) => i.alert) });
    else if (ch === 'email')
      await sendEmail(
        { smtpUrl: this.secrets.get('notify.email.smtpUrl')!, from: s['notify.email.from'], to: s['notify.email.to']! },
        m,
        appUrl,
      );
    else if (ch === 'slack') await sendSlack(this.secrets.get('notify.slack.webhookUrl')!, m, appUrl, this.f);
    else
      await sendWebhook(
        s['notify.webhook.url']!,
        this.secrets.get('notify.webhook.secret'),
        m,
        this.clock.now(),
        this.f,
      );
  }

  /** The message with every secret (and the SMTP password) replaced by ****. */
  private scrub(message: string): string {
    let out = message;
    for (const key of Object.keys(SECRET_ENV)) {
      let v: string | null = null;
      try {
        v = this.secrets.get(key);
      } catch {
        continue;
      }
      if (!v) continue;
      const parts = [v];
      if (key !== 'notify.webhook.secret' && URL.canParse(v)) {
        const u = new URL(v);
        // the SMTP password; the Slack URL's secret path, which an error may echo on its own
        if (u.password) parts.push(u.password, safeDecode(u.password));
        if (key === 'notify.slack.webhookUrl') parts.push(u.pathname, ...u.pathname.split('/').slice(2));
      }
      for (const p of parts.sort((x, y) => y.length - x.length)) if (p.length >= 3) out = out.split(p).join('****');
    }
    return out;
  }

  private dueNow(): boolean {
    return !!this.sqlite
      .prepare(
        `SELECT 1 FROM alert_deliveries WHERE status IN ('queued', 'retrying', 'held')
         AND (next_at IS NULL OR next_at <= ?) AND NOT (kind = 'alert' AND payload IS NOT NULL) LIMIT 1`,
      )
      .get(this.nowSec());
  }

  /** Runs one pass at a time; a call during a pass asks for another pass after it. */
  private pump(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    const run = (async () => {
      try {
        do {
          this.again = false;
          await this.deliverDue();
        } while (this.again);
      } catch (e) {
        this.log.error('delivering alerts failed', e);
      } finally {
        this.running = null;
        this.schedule();
      }
    })();
    this.running = run;
    return run;
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (!this.started) return;
    const next = this.sqlite
      .prepare(
        `SELECT MIN(COALESCE(next_at, 0)) FROM alert_deliveries WHERE status IN ('queued', 'retrying', 'held')
         AND NOT (kind = 'alert' AND payload IS NOT NULL)`,
      )
      .pluck()
      .get() as number | null;
    const wait = next === null ? MAX_SLEEP_MS : Math.min(MAX_SLEEP_MS, Math.max(1000, next * 1000 - this.clock.now()));
    this.timer = setTimeout(() => void this.pump(), wait);
    this.timer.unref();
  }

  private async deliverDue(): Promise<void> {
    const s = this.settings.get();
    for (const ch of CHANNELS) await this.deliverChannel(ch, s);
    for (const id of this.cache.keys()) {
      const pending = this.sqlite
        .prepare(
          "SELECT 1 FROM alert_deliveries WHERE alert_id = ? AND status IN ('queued', 'retrying', 'held') LIMIT 1",
        )
        .get(id);
      if (!pending) this.cache.delete(id);
    }
  }

  private async deliverChannel(ch: AlertChannel, s: Settings): Promise<void> {
    const now = this.nowSec();
    const due = this.sqlite
      .prepare(
        `SELECT * FROM alert_deliveries WHERE channel = ? AND status IN ('queued', 'retrying', 'held')
         AND (next_at IS NULL OR next_at <= ?) AND NOT (kind = 'alert' AND payload IS NOT NULL) ORDER BY id`,
      )
      .all(ch, now) as Row[];
    if (due.length === 0) return;
    const hold = this.sqlite.prepare(
      "UPDATE alert_deliveries SET status = CASE status WHEN 'queued' THEN 'held' ELSE status END, next_at = ? WHERE id = ?",
    );
    const quietEnd = quietUntil(s['notify.quietHours'], now);
    if (quietEnd !== null) {
      for (const r of due) hold.run(quietEnd, r.id);
      return;
    }
    const digestAt = ch === 'tray' ? null : s['notify.digestAt'];
    // retries (of one alert or of a bundle) and bundles left by an earlier run go first, outside the limit
    for (const r of due.filter((r) => r.kind !== 'alert' || r.status === 'retrying'))
      await this.attempt(r, s, digestAt ? 'digest' : 'bundle');
    const queued = due.filter((r) => r.kind === 'alert' && r.status === 'queued');
    const held = due.filter((r) => r.kind === 'alert' && r.status === 'held');
    if (digestAt) {
      const at = nextScheduledAt(now, digestAt);
      for (const r of queued) hold.run(at, r.id);
      if (held.length > 0) await this.attempt(this.bundle(ch, held, now), s, 'digest');
      return;
    }
    let capacity = s['notify.rateLimitPerHour'] - this.sentLastHour(ch, now).length;
    if (held.length > 0 && capacity > 0) {
      capacity--;
      await this.attempt(held.length === 1 ? held[0]! : this.bundle(ch, held, now), s, 'bundle');
    } else if (held.length > 0) for (const r of held) hold.run(this.freeAt(ch, s, now), r.id);
    for (const r of queued) {
      if (capacity > 0) {
        capacity--;
        await this.attempt(r, s, 'bundle');
      } else hold.run(this.freeAt(ch, s, now), r.id);
    }
  }

  /** When the next message fits under the hourly limit: the moment the oldest counted one is an hour old. */
  private freeAt(ch: AlertChannel, s: Settings, now: number): number {
    const sent = this.sentLastHour(ch, now);
    const limit = s['notify.rateLimitPerHour'];
    return sent.length < limit ? now : sent[sent.length - limit]! + 3600;
  }

  /** When each message counted against the limit went out in the last hour, oldest first (tests not counted). */
  private sentLastHour(ch: AlertChannel, now: number): number[] {
    return this.sqlite
      .prepare(
        `SELECT sent_at FROM alert_deliveries WHERE channel = ? AND status = 'sent' AND sent_at > ?
         AND kind != 'test' AND NOT (kind = 'alert' AND payload IS NOT NULL) ORDER BY sent_at`,
      )
      .pluck()
      .all(ch, now - 3600) as number[];
  }

  /** One 'digest' row carrying held alerts (payload: their ids); the alerts' rows point at it. */
  private bundle(ch: AlertChannel, rows: Row[], now: number): Row {
    const ids = rows.map((r) => r.alert_id!);
    return this.sqlite.transaction(() => {
      const id = Number(
        this.sqlite
          .prepare(
            `INSERT INTO alert_deliveries (alert_id, channel, status, attempts, created_at, kind, payload)
             VALUES (NULL, ?, 'queued', 0, ?, 'digest', ?)`,
          )
          .run(ch, now, JSON.stringify(ids)).lastInsertRowid,
      );
      const link = this.sqlite.prepare(
        "UPDATE alert_deliveries SET status = 'queued', next_at = NULL, payload = ? WHERE id = ?",
      );
      for (const r of rows) link.run(JSON.stringify({ bundle: id }), r.id);
      return this.sqlite.prepare('SELECT * FROM alert_deliveries WHERE id = ?').get(id) as Row;
    })();
  }

  /** Sends one row's message (one alert, or the alerts a digest row carries) and records the attempt. */
  private async attempt(r: Row, s: Settings, several: 'bundle' | 'digest'): Promise<void> {
    const ids = r.kind === 'digest' ? (JSON.parse(r.payload!) as number[]) : [r.alert_id!];
    const items: MessageItem[] = [];
    for (const id of ids) {
      const alert = this.loadAlert(id);
      if (alert) items.push({ alert, site: this.siteName(alert.siteId) });
    }
    const members = this.sqlite.prepare(
      'UPDATE alert_deliveries SET status = ?, sent_at = ?, error = ? WHERE payload = ?',
    );
    const bundleKey = JSON.stringify({ bundle: r.id });
    const finish = (status: AlertDelivery['status'], error: string | null, nextAt: number | null) => {
      const now = this.nowSec();
      const sentAt = status === 'sent' ? now : null;
      this.sqlite
        .prepare(
          'UPDATE alert_deliveries SET status = ?, attempts = attempts + 1, sent_at = ?, error = ?, next_at = ? WHERE id = ?',
        )
        .run(status, sentAt, error, nextAt, r.id);
      if (r.kind === 'digest' && status !== 'retrying') members.run(status, sentAt, error, bundleKey);
    };
    if (items.length === 0) return finish('failed', 'The alert no longer exists', null);
    const why = this.notSetUp(r.channel, s);
    if (why) return finish('failed', why, null);
    const message: OutgoingMessage = { kind: r.kind === 'digest' ? several : 'alert', items };
    try {
      await this.send(r.channel, message, s);
      finish('sent', null, null);
    } catch (e) {
      const error = this.scrub(e instanceof AppError ? e.message : `Sending failed: ${(e as Error).message}`);
      const attempts = r.attempts + 1;
      if (attempts > this.backoffMs.length) {
        this.log.warn(`${r.channel} delivery #${r.id} failed after ${attempts} attempts: ${error}`);
        finish('failed', `${error} (gave up after ${attempts} attempts)`, null);
      } else finish('retrying', error, this.nowSec() + Math.ceil(this.backoffMs[attempts - 1]! / 1000));
    }
  }

  private siteName(siteId: number | null): string | null {
    if (siteId === null) return null;
    return (
      (this.sqlite.prepare('SELECT name FROM sites WHERE id = ?').pluck().get(siteId) as string | undefined) ?? null
    );
  }

  private loadAlert(id: number): Alert | null {
    const cached = this.cache.get(id);
    if (cached) return cached;
    if (this.loadAlertOpt) return this.loadAlertOpt(id);
    const r = this.sqlite
      .prepare('SELECT a.*, m.identifier AS meter FROM alerts a LEFT JOIN meters m ON m.id = a.meter_id WHERE a.id = ?')
      .get(id) as Record<string, unknown> | undefined;
    if (!r) return null;
    const at = (v: unknown) => iso(typeof v === 'number' ? v : null);
    return {
      id,
      rule: r.rule_id as string,
      kind: r.kind as Alert['kind'],
      subject: r.subject as string,
      subjectLabel: r.subject as string,
      severity: r.severity as Alert['severity'],
      status: r.status as Alert['status'],
      firedAt: at(r.fired_at)!,
      period: r.period as string,
      periodLabel: r.period as string,
      message: r.message as string,
      value: r.value as number | null,
      threshold: r.threshold as number | null,
      unit: r.unit as string | null,
      link: r.link as string | null,
      meter: (r.meter as string | null) ?? null,
      siteId: r.site_id as number | null,
      acknowledgedAt: at(r.acknowledged_at),
      acknowledgedBy: r.acknowledged_by as string | null,
      note: r.note as string | null,
      resolvedAt: at(r.resolved_at),
      resolvedBy: r.resolved_by as string | null,
      snoozedUntil: typeof r.snoozed_until === 'number' ? isoDay(r.snoozed_until) : null,
      channels: JSON.parse(r.channels as string) as AlertChannel[],
    };
  }
}

/** A URL part percent-decoded, or as it is when it is not valid percent-encoding. */
function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}
