/**
 * The Notifications card's form: secrets kept, replaced or removed; quiet hours as two times; the
 * digest off or at a time; and the settings.update arguments for what changed. Pure.
 */
import type { Args } from '../../../src-shared/contract/api';
import type { Settings } from '../../../src-shared/contract/types';

/** A secret setting in the form: left as stored, replaced by what is typed, or removed. */
export type Secret = { mode: 'keep' } | { mode: 'replace'; text: string } | { mode: 'remove' };

export interface NotifyDraft {
  smtpUrl: Secret;
  from: string;
  to: string;
  slackUrl: Secret;
  webhookUrl: string;
  webhookSecret: Secret;
  quietFrom: string;
  quietTo: string;
  /** '' when the digest is off. */
  digestAt: string;
  rateLimit: string;
  appUrl: string;
}

const KEEP: Secret = { mode: 'keep' };

/** Quiet hours `22:00-07:00` as its two times ('' and '' when there are none). */
export function splitQuietHours(v: string | null): { from: string; to: string } {
  const [from = '', to = ''] = (v ?? '').split('-').map((t) => t.trim());
  return { from, to };
}

/** The form for the stored settings. */
export function notifyDraft(s: Settings): NotifyDraft {
  const quiet = splitQuietHours(s['notify.quietHours']);
  return {
    smtpUrl: KEEP,
    from: s['notify.email.from'] ?? '',
    to: s['notify.email.to'] ?? '',
    slackUrl: KEEP,
    webhookUrl: s['notify.webhook.url'] ?? '',
    webhookSecret: KEEP,
    quietFrom: quiet.from,
    quietTo: quiet.to,
    digestAt: s['notify.digestAt'] ?? '',
    rateLimit: String(s['notify.rateLimitPerHour']),
    appUrl: s['notify.appUrl'] ?? '',
  };
}

/** What settings.update takes for a secret: nothing when kept, null when removed, the new text otherwise. */
function secretArg(s: Secret): string | null | undefined {
  if (s.mode === 'remove') return null;
  if (s.mode === 'replace' && s.text.trim()) return s.text.trim();
  return undefined;
}

type NotifyArgs = Pick<
  Args<'settings.update'>,
  | 'notify.email.smtpUrl'
  | 'notify.email.from'
  | 'notify.email.to'
  | 'notify.slack.webhookUrl'
  | 'notify.webhook.url'
  | 'notify.webhook.secret'
  | 'notify.quietHours'
  | 'notify.digestAt'
  | 'notify.rateLimitPerHour'
  | 'notify.appUrl'
>;

const text = (t: string): string | null => (t.trim() ? t.trim() : null);

/**
 * settings.update's arguments for what the form changed from the stored settings, or the form's own
 * messages by settings key (the core checks addresses and URLs itself).
 */
export function notifyArgs(
  saved: Settings,
  d: NotifyDraft,
): { ok: true; args: NotifyArgs } | { ok: false; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const args: NotifyArgs = {};
  const smtp = secretArg(d.smtpUrl);
  if (smtp !== undefined) args['notify.email.smtpUrl'] = smtp;
  const slack = secretArg(d.slackUrl);
  if (slack !== undefined) args['notify.slack.webhookUrl'] = slack;
  const secret = secretArg(d.webhookSecret);
  if (secret !== undefined) args['notify.webhook.secret'] = secret;
  if (text(d.from) !== saved['notify.email.from']) args['notify.email.from'] = text(d.from);
  if (text(d.to) !== saved['notify.email.to']) args['notify.email.to'] = text(d.to);
  if (text(d.webhookUrl) !== saved['notify.webhook.url']) args['notify.webhook.url'] = text(d.webhookUrl);
  if (text(d.appUrl) !== saved['notify.appUrl']) args['notify.appUrl'] = text(d.appUrl);

  const from = d.quietFrom.trim();
  const to = d.quietTo.trim();
  if (!from !== !to) errors['notify.quietHours'] = 'Give both times, or neither for no quiet hours';
  else {
    const quiet = from ? `${from}-${to}` : null;
    if (quiet !== saved['notify.quietHours']) args['notify.quietHours'] = quiet;
  }
  if (text(d.digestAt) !== saved['notify.digestAt']) args['notify.digestAt'] = text(d.digestAt);

  const rate = d.rateLimit.trim();
  if (!/^\d+$/.test(rate) || Number(rate) < 1) errors['notify.rateLimitPerHour'] = 'Enter a whole number, at least 1';
  else if (Number(rate) !== saved['notify.rateLimitPerHour']) args['notify.rateLimitPerHour'] = Number(rate);

  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, args };
}

/** Whether the form differs from the stored settings (a secret typed in or removed counts; an empty "Replace" not). */
export function notifyDirty(saved: Settings, d: NotifyDraft): boolean {
  const r = notifyArgs(saved, d);
  return !r.ok || Object.keys(r.args).length > 0;
}
