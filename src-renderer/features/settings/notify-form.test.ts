import { describe, expect, it } from 'vitest';
import type { Settings } from '../../../src-shared/contract/types';
import { notifyArgs, notifyDirty, notifyDraft, splitQuietHours } from './notify-form';

const saved = {
  'notify.email.smtpUrl': 'smtps://alerts:****@mail.example.org:465',
  'notify.email.from': 'alerts@example.org',
  'notify.email.to': null,
  'notify.slack.webhookUrl': null,
  'notify.webhook.url': 'https://example.org/hook',
  'notify.webhook.secretSet': true,
  'notify.quietHours': '22:00-07:00',
  'notify.digestAt': null,
  'notify.rateLimitPerHour': 30,
  'notify.appUrl': null,
} as Settings;

describe('the Notifications form', () => {
  it('splits quiet hours into two times', () => {
    expect(splitQuietHours('22:00-07:00')).toEqual({ from: '22:00', to: '07:00' });
    expect(splitQuietHours(null)).toEqual({ from: '', to: '' });
  });

  it('sends nothing when nothing changed, and leaves the stored secrets alone', () => {
    const d = notifyDraft(saved);
    expect(notifyArgs(saved, d)).toEqual({ ok: true, args: {} });
    expect(notifyDirty(saved, d)).toBe(false);
    // "Replace" pressed but nothing typed: the stored secret stays
    expect(notifyDirty(saved, { ...d, smtpUrl: { mode: 'replace', text: ' ' } })).toBe(false);
  });

  it('sends what changed: a replaced secret, a removed one, a cleared address, the digest and quiet hours', () => {
    const d = {
      ...notifyDraft(saved),
      smtpUrl: { mode: 'replace' as const, text: ' smtp://u:p@mail.example.org:587 ' },
      webhookSecret: { mode: 'remove' as const },
      from: '',
      to: 'anna@example.org',
      quietFrom: '',
      quietTo: '',
      digestAt: '08:00',
      rateLimit: '10',
    };
    expect(notifyArgs(saved, d)).toEqual({
      ok: true,
      args: {
        'notify.email.smtpUrl': 'smtp://u:p@mail.example.org:587',
        'notify.webhook.secret': null,
        'notify.email.from': null,
        'notify.email.to': 'anna@example.org',
        'notify.quietHours': null,
        'notify.digestAt': '08:00',
        'notify.rateLimitPerHour': 10,
      },
    });
    expect(notifyDirty(saved, d)).toBe(true);
  });

  it('asks for both quiet-hour times and a whole number of messages', () => {
    const d = { ...notifyDraft(saved), quietTo: '', rateLimit: '0' };
    expect(notifyArgs(saved, d)).toEqual({
      ok: false,
      errors: {
        'notify.quietHours': 'Give both times, or neither for no quiet hours',
        'notify.rateLimitPerHour': 'Enter a whole number, at least 1',
      },
    });
  });
});
