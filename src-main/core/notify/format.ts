/**
 * Alerts in words, for every channel: the title ("Daily kWh above 500 kWh"), the email's subject
 * line, plain-text and HTML bodies, Slack's Block Kit message and the webhook's JSON. A message
 * carries one alert, a bundle of held alerts, a daily digest, or a test.
 */
import type { Alert, AlertKind, AlertSeverity } from '../../../src-shared/contract/types';

/** One alert in a message, with its site's name when it has one. */
export interface MessageItem {
  alert: Alert;
  site: string | null;
}

/**
 * What goes out in one message: `alert` (one alert), `bundle` (alerts held by quiet hours or the
 * rate limit), `digest` (the daily digest) or `test` (a sample alert, to try the channel).
 */
export interface OutgoingMessage {
  kind: 'alert' | 'bundle' | 'digest' | 'test';
  items: MessageItem[];
}

const KIND_TITLES: Record<AlertKind, string> = {
  'daily-kwh-above': 'Daily kWh above',
  'halfhour-kw-above': 'Half-hourly demand above',
  'out-of-hours-share-above': 'Out-of-hours share above',
  'baseload-increase': 'Baseload up by more than',
  exception: 'Unusual day',
  'data-missing': 'Data missing',
  'zero-run': 'Run of zero readings',
  'cost-above': 'Cost above',
  'capacity-share-above': 'Share of capacity above',
  'import-failed': 'Import failed',
  health: 'Health check',
  'carbon-intensity-below': 'Carbon intensity below',
  'carbon-intensity-above': 'Carbon intensity above',
};

/** Kinds whose title names the threshold ("Daily kWh above 500 kWh"). */
const WITH_THRESHOLD = /-(above|below|increase)$/;

export const severityWord = (s: AlertSeverity): string => s[0]!.toUpperCase() + s.slice(1);

/** A number with its unit, as people write it: "1,200 kWh", "35%", "£1,250.50". */
export function quantity(v: number | null, unit: string | null): string {
  if (v === null) return '—';
  const n = v.toLocaleString('en-GB', { maximumFractionDigits: 2 });
  if (!unit) return n;
  if (unit === '£') return `£${v.toLocaleString('en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
  return unit === '%' ? `${n}%` : `${n} ${unit}`;
}

/** The alert's title: what happened, with the threshold ("Daily kWh above 500 kWh"). */
export function alertTitle(a: Alert): string {
  const title = KIND_TITLES[a.kind] ?? a.kind;
  return WITH_THRESHOLD.test(a.kind) && a.threshold !== null ? `${title} ${quantity(a.threshold, a.unit)}` : title;
}

/** Where to see the alert: the app's address when it has one, else the way there in the desktop app. */
export function openHint(a: Alert, appUrl: string | null): string {
  if (!appUrl) return `Open Eclectyc Energy → Alerts, alert #${a.id}`;
  const route = (a.link ?? `#/alerts/${a.id}`).replace(/^\/+/, '');
  return `${appUrl.replace(/\/+$/, '')}/${route}`;
}

const worst = (items: MessageItem[]): AlertSeverity =>
  items.some((i) => i.alert.severity === 'critical')
    ? 'critical'
    : items.some((i) => i.alert.severity === 'warning')
      ? 'warning'
      : 'info';

/** A heading for a message of several alerts (or a test). */
function heading(m: OutgoingMessage): string {
  const n = m.items.length;
  if (m.kind === 'test') return 'Test message from Eclectyc Energy';
  if (m.kind === 'digest') return `Daily digest: ${n} alert${n === 1 ? '' : 's'}`;
  return `${n} alerts held back (quiet hours or the hourly limit)`;
}

/** The email's subject: `[Warning] Daily kWh above 500 kWh — 1200050000009 — Mon 6 Jan 2025`. */
export function subjectLine(m: OutgoingMessage): string {
  const first = m.items[0]!.alert;
  if (m.kind === 'alert')
    return `[${severityWord(first.severity)}] ${alertTitle(first)} — ${first.subject} — ${first.periodLabel}`;
  return `[${severityWord(worst(m.items))}] Eclectyc Energy — ${heading(m)}`;
}

/** The facts of one alert as label/value pairs, in the order every channel shows them. */
export function alertFacts(item: MessageItem, appUrl: string | null): [string, string][] {
  const a = item.alert;
  const facts: [string, string][] = [[a.meter ? 'Meter' : 'About', a.subjectLabel]];
  if (item.site) facts.push(['Site', item.site]);
  facts.push(['Period', a.periodLabel]);
  if (a.value !== null) facts.push(['Value', quantity(a.value, a.unit)]);
  if (a.threshold !== null) facts.push(['Threshold', quantity(a.threshold, a.unit)]);
  facts.push(['Severity', severityWord(a.severity)]);
  facts.push([appUrl ? 'Link' : 'See', openHint(a, appUrl)]);
  return facts;
}

/** The plain-text body. */
export function textBody(m: OutgoingMessage, appUrl: string | null): string {
  const parts: string[] = [];
  if (m.kind !== 'alert') parts.push(heading(m), '');
  for (const item of m.items) {
    parts.push(`${severityWord(item.alert.severity)}: ${alertTitle(item.alert)}`, item.alert.message);
    for (const [k, v] of alertFacts(item, appUrl)) parts.push(`${k}: ${v}`);
    parts.push('');
  }
  parts.push('— Eclectyc Energy');
  return parts.join('\n');
}

const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** The HTML body (inline styles only: mail clients drop style sheets). */
export function htmlBody(m: OutgoingMessage, appUrl: string | null): string {
  const out: string[] = ['<div style="font-family:sans-serif;font-size:14px;color:#1b1f24">'];
  if (m.kind !== 'alert') out.push(`<h2 style="font-size:18px">${escapeHtml(heading(m))}</h2>`);
  for (const item of m.items) {
    out.push(
      `<h3 style="font-size:16px;margin:16px 0 4px">${escapeHtml(`${severityWord(item.alert.severity)}: ${alertTitle(item.alert)}`)}</h3>`,
      `<p style="margin:0 0 8px">${escapeHtml(item.alert.message)}</p>`,
      '<table style="border-collapse:collapse">',
    );
    for (const [k, v] of alertFacts(item, appUrl)) {
      const cell = k === 'Link' ? `<a href="${escapeHtml(v)}">${escapeHtml(v)}</a>` : escapeHtml(v);
      out.push(`<tr><th style="text-align:left;padding:2px 12px 2px 0">${escapeHtml(k)}</th><td>${cell}</td></tr>`);
    }
    out.push('</table>');
  }
  out.push('<p style="color:#57606a;font-size:12px">Eclectyc Energy</p></div>');
  return out.join('\n');
}

/** Most alerts one Slack message lists (Block Kit allows 50 blocks). */
const SLACK_MAX_ALERTS = 20;

/** Text for Slack's mrkdwn: `&`, `<` and `>` escaped, so a file named `<!channel>.csv` pings nobody. */
export const slackEscape = (t: string): string => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Slack's incoming-webhook body: Block Kit blocks (header, fields, context) and a text fallback. */
export function slackBody(m: OutgoingMessage, appUrl: string | null): Record<string, unknown> {
  const blocks: Record<string, unknown>[] = [];
  const header =
    m.kind === 'alert' ? `${severityWord(m.items[0]!.alert.severity)}: ${alertTitle(m.items[0]!.alert)}` : heading(m);
  blocks.push({ type: 'header', text: { type: 'plain_text', text: header.slice(0, 150), emoji: true } });
  for (const item of m.items.slice(0, SLACK_MAX_ALERTS)) {
    const facts = alertFacts(item, appUrl);
    const fields = facts.filter(([k]) => k !== 'Link' && k !== 'See');
    const [hintLabel, hint] = facts[facts.length - 1]!;
    const message = slackEscape(item.alert.message);
    const text = m.kind === 'alert' ? message : `*${slackEscape(alertTitle(item.alert))}* — ${message}`;
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: text.slice(0, 3000) } });
    blocks.push({
      type: 'section',
      fields: fields
        .slice(0, 10)
        .map(([k, v]) => ({ type: 'mrkdwn', text: `*${k}*\n${slackEscape(v)}`.slice(0, 2000) })),
    });
    blocks.push({
      type: 'context',
      elements: [
        { type: 'mrkdwn', text: hintLabel === 'Link' ? `<${hint}|Open in Eclectyc Energy>` : slackEscape(hint) },
      ],
    });
  }
  if (m.items.length > SLACK_MAX_ALERTS)
    blocks.push({
      type: 'context',
      elements: [
        { type: 'mrkdwn', text: `…and ${m.items.length - SLACK_MAX_ALERTS} more in Eclectyc Energy → Alerts` },
      ],
    });
  return { text: slackEscape(subjectLine(m)), blocks };
}

/**
 * The generic webhook's JSON: `{ event: 'alert.fired' | 'test', alert, sentAt }` for one alert,
 * `{ event: 'digest', alerts, sentAt }` for a bundle or the daily digest.
 */
export function webhookBody(m: OutgoingMessage, sentAt: string): Record<string, unknown> {
  if (m.kind === 'alert' || m.kind === 'test')
    return { event: m.kind === 'test' ? 'test' : 'alert.fired', alert: m.items[0]!.alert, sentAt };
  return { event: 'digest', alerts: m.items.map((i) => i.alert), sentAt };
}
