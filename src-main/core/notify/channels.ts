/**
 * The channels that reach people outside the app: email over SMTP (nodemailer), a Slack incoming
 * webhook, and a generic webhook receiving signed JSON (docs/notifications.md). Each send resolves
 * when the far end accepted the message and throws an AppError saying what went wrong otherwise;
 * every request gives up after 10 s.
 */
import crypto from 'node:crypto';
import nodemailer from 'nodemailer';
import { AppError } from '../../../src-shared/contract/errors';
import { htmlBody, slackBody, subjectLine, textBody, webhookBody, type OutgoingMessage } from './format';

export const REQUEST_TIMEOUT_MS = 10_000;

export interface EmailConfig {
  smtpUrl: string;
  from: string | null;
  /** Recipients, comma-separated. */
  to: string;
}

/** The sender when none is set: the SMTP user when it is an address, else alerts@ the server's host. */
export function defaultFrom(smtpUrl: string): string {
  const u = new URL(smtpUrl);
  let user = u.username;
  try {
    user = decodeURIComponent(u.username);
  } catch {
    // not valid percent-encoding (settings refuse it): the user name as written
  }
  return `Eclectyc Energy <${user.includes('@') ? user : `alerts@${u.hostname}`}>`;
}

/** Whether the SMTP server is on this machine (127.0.0.0/8, ::1, localhost). */
export function loopbackHost(smtpUrl: string): boolean {
  const h = new URL(smtpUrl).hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/** An email as sent: recipients, subject, plain text and HTML bodies, and files attached. */
export interface Mail {
  to: string[];
  subject: string;
  text: string;
  html: string;
  attachments?: { filename: string; path: string; contentType: string }[];
}

/**
 * Sends an email through the SMTP server (smtp:// with STARTTLS when offered, smtps:// TLS); alerts,
 * digests and scheduled deliveries all go this way.
 */
export async function sendMail(
  smtp: Pick<EmailConfig, 'smtpUrl' | 'from'>,
  mail: Mail,
  timeoutMs = REQUEST_TIMEOUT_MS,
): Promise<void> {
  const transport = nodemailer.createTransport({
    url: smtp.smtpUrl,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
    // a relay on this machine (a local MTA, a test server) often offers STARTTLS with a self-signed
    // certificate; the message never crosses a network, so its certificate is not checked. Anywhere
    // else it is (add ?tls.rejectUnauthorized=false to the URL to accept one knowingly).
    ...(loopbackHost(smtp.smtpUrl) ? { tls: { rejectUnauthorized: false } } : {}),
  });
  try {
    await transport.sendMail({
      from: smtp.from || defaultFrom(smtp.smtpUrl),
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      ...(mail.attachments ? { attachments: mail.attachments } : {}),
    });
  } catch (e) {
    const err = e as Error & { responseCode?: number; response?: string; code?: string };
    let why = err.response ?? err.message;
    if (/certificate|self.signed|CERT_|unable to verify/i.test(why))
      why +=
        " — the server's TLS certificate is not trusted; to accept it anyway, add ?tls.rejectUnauthorized=false to the SMTP URL";
    throw new AppError(
      'UNAVAILABLE',
      `The SMTP server did not take the email${err.responseCode ? ` (${err.responseCode})` : err.code ? ` (${err.code})` : ''}: ${why.slice(0, 300)}`,
    );
  } finally {
    transport.close();
  }
}

/** Sends the alert message by email to the recipients of the settings. */
export function sendEmail(
  cfg: EmailConfig,
  m: OutgoingMessage,
  appUrl: string | null,
  timeoutMs = REQUEST_TIMEOUT_MS,
): Promise<void> {
  return sendMail(
    cfg,
    {
      to: cfg.to
        .split(',')
        .map((t) => t.trim())
        .filter(Boolean),
      subject: subjectLine(m),
      text: textBody(m, appUrl),
      html: htmlBody(m, appUrl),
    },
    timeoutMs,
  );
}

/** POSTs JSON; resolves on 2xx, throws with the status and the start of the body otherwise. */
async function postJson(
  what: string,
  url: string,
  body: string,
  headers: Record<string, string>,
  f: typeof fetch,
  timeoutMs: number,
): Promise<void> {
  let res: Response;
  try {
    res = await f(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (e) {
    const err = e as Error & { cause?: { code?: string; message?: string } };
    const reason =
      err.name === 'TimeoutError'
        ? `no answer within ${timeoutMs / 1000} s`
        : (err.cause?.code ?? err.cause?.message ?? err.message);
    throw new AppError('UNAVAILABLE', `${what} could not be reached: ${reason}`);
  }
  const text = await res.text().catch(() => '');
  if (res.status < 200 || res.status > 299)
    throw new AppError(
      'UNAVAILABLE',
      `${what} answered ${res.status}${res.statusText ? ` ${res.statusText}` : ''}${text ? `: ${text.slice(0, 200)}` : ''}`,
    );
}

/** Posts the message to a Slack incoming webhook. */
export function sendSlack(
  url: string,
  m: OutgoingMessage,
  appUrl: string | null,
  f: typeof fetch = fetch,
  timeoutMs = REQUEST_TIMEOUT_MS,
): Promise<void> {
  return postJson('Slack', url, JSON.stringify(slackBody(m, appUrl)), {}, f, timeoutMs);
}

/** `sha256=<hex>`: the HMAC-SHA256 of the raw body with the shared secret. */
export const signature = (secret: string, rawBody: string): string =>
  `sha256=${crypto.createHmac('sha256', secret).update(rawBody).digest('hex')}`;

/**
 * Posts the message's JSON to the generic webhook, signed with `X-Eclectyc-Signature` when a
 * secret is set, and `X-Eclectyc-Timestamp` (Unix seconds) beside it.
 */
export function sendWebhook(
  url: string,
  secret: string | null,
  m: OutgoingMessage,
  nowMs: number,
  f: typeof fetch = fetch,
  timeoutMs = REQUEST_TIMEOUT_MS,
): Promise<void> {
  const body = JSON.stringify(webhookBody(m, new Date(nowMs).toISOString()));
  const headers: Record<string, string> = { 'x-eclectyc-timestamp': String(Math.floor(nowMs / 1000)) };
  if (secret) headers['x-eclectyc-signature'] = signature(secret, body);
  return postJson('The webhook', url, body, headers, f, timeoutMs);
}
