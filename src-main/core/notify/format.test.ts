/**
 * Messages in words where people read them: Slack text cannot ping a channel or forge a link, money
 * has its pence, and an SMTP URL whose password is not valid percent-encoding is refused when saved
 * (it used to leave its alerts queued for ever).
 */
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../../src-shared/contract/types';
import { callAsAdmin, makeCore } from '../../../tests/helpers/core';
import { loopbackHost } from './channels';
import { quantity, slackBody } from './format';

const alert: Alert = {
  id: 7,
  rule: 'imports',
  kind: 'import-failed',
  subject: '<!channel>.csv',
  subjectLabel: 'Import of <!channel>.csv',
  severity: 'warning',
  status: 'open',
  firedAt: '2025-01-06T09:00:00Z',
  period: 'job-3',
  periodLabel: 'Import job 3',
  message: '<!channel>.csv could not be imported: <https://evil.example|click> & more',
  value: null,
  threshold: null,
  unit: null,
  link: '#/imports',
  meter: null,
  siteId: null,
  acknowledgedAt: null,
  acknowledgedBy: null,
  note: null,
  resolvedAt: null,
  resolvedBy: null,
  snoozedUntil: null,
  channels: ['slack'],
};

describe('message text', () => {
  it('escapes what Slack would read as a mention or a link', () => {
    const body = JSON.stringify(slackBody({ kind: 'alert', items: [{ alert, site: null }] }, null));
    expect(body).not.toContain('<!channel>');
    expect(body).not.toContain('<https://evil.example');
    expect(body).toContain('&lt;!channel&gt;.csv could not be imported: &lt;https://evil.example|click&gt; &amp; more');
  });

  it('trusts a relay on this machine without checking its certificate, and only there', () => {
    for (const u of ['smtp://127.0.0.1:2525', 'smtp://localhost:25', 'smtp://[::1]:25', 'smtps://u:p@127.0.0.9:465'])
      expect([u, loopbackHost(u)]).toEqual([u, true]);
    for (const u of ['smtp://mail.example.org:587', 'smtp://10.0.0.5:25', 'smtp://127.0.0.1.example.org:25'])
      expect([u, loopbackHost(u)]).toEqual([u, false]);
  });

  it('writes pounds with their pence', () => {
    expect(quantity(25.7, '£')).toBe('£25.70');
    expect(quantity(1250.5, '£')).toBe('£1,250.50');
    expect(quantity(82.5, 'kWh')).toBe('82.5 kWh');
  });

  it('refuses an SMTP URL whose password is not valid percent-encoding, and says how to write it', async () => {
    const core = await makeCore();
    try {
      await expect(
        callAsAdmin(core, 'settings.update', { 'notify.email.smtpUrl': 'smtp://alerts:S3cret%ZZ@127.0.0.1:2525' }),
      ).rejects.toThrow(/%25 for %/);
      expect(core.settings.get()['notify.email.smtpUrl']).toBeNull();
      await callAsAdmin(core, 'settings.update', {
        'notify.email.smtpUrl': 'smtp://alerts:S3cret%25ZZ@127.0.0.1:2525',
      });
      expect(core.settings.get()['notify.email.smtpUrl']).toBe('smtp://alerts:****@127.0.0.1:2525');
    } finally {
      await core.stop();
    }
  });
});
