/**
 * Where notification secrets live: a 0600 file in the data folder (encrypted with a cipher when the
 * desktop passes one), environment variables first, and never in settings.get or the audit log.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../src-shared/contract/errors';
import type { Settings } from '../../../src-shared/contract/types';
import { callAsAdmin, makeCore, tempDir } from '../../../tests/helpers/core';
import type { Core } from '../app';
import { ENCRYPTED_ELSEWHERE } from '../settings/settings-store';
import { FileSecretStore, type SecretCipher } from './secrets';

let core: Core | null = null;
afterEach(async () => {
  await core?.stop();
  core = null;
});

const SMTP = 'smtps://alerts:Sup3r-s3cret@mail.example.org:465';
const SLACK = 'https://hooks.slack.com/services/T0001/B0002/abcdefSECRET';
const HOOK_SECRET = 'whsec-77aa88bb';
const mode = (f: string) => fs.statSync(f).mode & 0o777;

/** A stand-in for safeStorage: reversible, and visibly not the clear text. */
const fakeCipher = (available = true): SecretCipher => ({
  available: () => available,
  encrypt: (s) => Buffer.from(`enc:${[...s].reverse().join('')}`, 'utf8'),
  decrypt: (b) => [...b.toString('utf8').replace(/^enc:/, '')].reverse().join(''),
});

describe('secrets through settings', () => {
  it('keeps secrets in a 0600 file, masks them in settings.get, and redacts the audit log', async () => {
    core = await makeCore();
    const s = await callAsAdmin<Settings>(core, 'settings.update', {
      'notify.email.smtpUrl': SMTP,
      'notify.slack.webhookUrl': SLACK,
      'notify.webhook.secret': HOOK_SECRET,
      'notify.email.to': 'anna@example.org',
      'notify.quietHours': '22:00-07:00',
    });
    expect(s).toMatchObject({
      'notify.email.smtpUrl': 'smtps://alerts:****@mail.example.org:465',
      'notify.slack.webhookUrl': 'https://hooks.slack.com/services/****',
      'notify.webhook.secretSet': true,
      'notify.email.to': 'anna@example.org',
      'notify.quietHours': '22:00-07:00',
    });
    const got = JSON.stringify(await callAsAdmin<Settings>(core, 'settings.get', {}));
    const audit = JSON.stringify(core.sqlite.prepare('SELECT details FROM audit_log').pluck().all());
    const table = JSON.stringify(core.sqlite.prepare('SELECT * FROM settings').all());
    for (const text of [got, audit, table])
      for (const secret of ['Sup3r-s3cret', 'abcdefSECRET', HOOK_SECRET]) expect(text).not.toContain(secret);
    expect(audit).toContain('(replaced)');
    const file = path.join(core.dataDir, 'secrets.json');
    if (process.platform !== 'win32') expect(mode(file)).toBe(0o600);
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual({
      'notify.email.smtpUrl': SMTP,
      'notify.slack.webhookUrl': SLACK,
      'notify.webhook.secret': HOOK_SECRET,
    });

    // null and "" clear: secrets leave the file, other keys fall back to their defaults
    const cleared = await callAsAdmin<Settings>(core, 'settings.update', {
      'notify.email.smtpUrl': null,
      'notify.webhook.secret': '',
      'notify.quietHours': '',
    });
    expect(cleared).toMatchObject({
      'notify.email.smtpUrl': null,
      'notify.webhook.secretSet': false,
      'notify.quietHours': null,
      'notify.slack.webhookUrl': 'https://hooks.slack.com/services/****',
    });
    expect(Object.keys(JSON.parse(fs.readFileSync(file, 'utf8')) as object)).toEqual(['notify.slack.webhookUrl']);
    const audits = core.sqlite.prepare('SELECT details FROM audit_log ORDER BY id').pluck().all() as string[];
    expect(JSON.parse(audits[1]!)).toMatchObject({
      'notify.email.smtpUrl': '(removed)',
      'notify.webhook.secret': '(removed)',
    });
  });
});

describe('FileSecretStore', () => {
  it('tightens a file loosened to 0644 when it reads it', () => {
    if (process.platform === 'win32') return;
    const dir = tempDir();
    const store = new FileSecretStore(dir, { env: {} });
    store.set('notify.webhook.secret', 'x1y2z3');
    const file = path.join(dir, 'secrets.json');
    fs.chmodSync(file, 0o644);
    expect(store.get('notify.webhook.secret')).toBe('x1y2z3');
    expect(mode(file)).toBe(0o600);
  });

  it('lets environment variables override the file', () => {
    const dir = tempDir();
    const env = { ECLECTYC_SMTP_URL: 'smtp://env:pw@env.example.org:587' };
    const store = new FileSecretStore(dir, { env });
    store.set('notify.email.smtpUrl', SMTP);
    expect(store.get('notify.email.smtpUrl')).toBe(env.ECLECTYC_SMTP_URL);
    expect(store.source('notify.email.smtpUrl')).toBe('env');
    expect(new FileSecretStore(dir, { env: {} }).get('notify.email.smtpUrl')).toBe(SMTP);
    expect(new FileSecretStore(dir, { env: {} }).source('notify.email.smtpUrl')).toBe('file');
    expect(store.source('notify.slack.webhookUrl')).toBeNull();
  });

  it('stores values encrypted with a cipher; without it, says to set the environment variable', async () => {
    const dir = tempDir();
    const desktop = new FileSecretStore(dir, { cipher: fakeCipher(), env: {} });
    desktop.set('notify.slack.webhookUrl', SLACK);
    const raw = fs.readFileSync(path.join(dir, 'secrets.json'), 'utf8');
    expect(raw).not.toContain('abcdefSECRET');
    expect(JSON.parse(raw)['notify.slack.webhookUrl']).toEqual({
      enc: 'safeStorage',
      value: Buffer.from(`enc:${[...SLACK].reverse().join('')}`).toString('base64'),
    });
    expect(desktop.get('notify.slack.webhookUrl')).toBe(SLACK);
    expect(desktop.source('notify.slack.webhookUrl')).toBe('keychain');

    const cli = new FileSecretStore(dir, { env: {} });
    let err: unknown;
    try {
      cli.get('notify.slack.webhookUrl');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).message).toMatch(
      /^The setting notify\.slack\.webhookUrl was saved encrypted by the desktop app/,
    );
    expect((err as AppError).message).toContain('set ECLECTYC_SLACK_WEBHOOK_URL');
    expect(
      new FileSecretStore(dir, { env: { ECLECTYC_SLACK_WEBHOOK_URL: 'https://x.example/h' } }).get(
        'notify.slack.webhookUrl',
      ),
    ).toBe('https://x.example/h');
    // an unavailable cipher is no cipher: values are stored in clear
    new FileSecretStore(dir, { cipher: fakeCipher(false), env: {} }).set('notify.webhook.secret', 'plain-1');
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'secrets.json'), 'utf8'))['notify.webhook.secret']).toBe(
      'plain-1',
    );

    // the CLI's core on the desktop's folder: settings.get still answers, naming where the value is
    core = await makeCore({ dataDir: dir });
    const s = await callAsAdmin<Settings>(core, 'settings.get', {});
    expect(s['notify.slack.webhookUrl']).toBe(ENCRYPTED_ELSEWHERE);
  });
});
