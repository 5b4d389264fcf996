/**
 * App settings: typed keys over the settings table, with defaults. The notification secrets (SMTP
 * URL, Slack webhook, webhook signing secret) live in the SecretStore instead and come back masked.
 */
import type Database from 'better-sqlite3';
import type { Settings } from '../../../src-shared/contract/types';
import { isSecretKey, type SecretKey, type SecretStore } from '../notify/secrets';

export const DEFAULT_SETTINGS: Settings = {
  importRetentionDays: 30,
  nightlyRunAt: '01:30',
  carbonApi: 'https://api.carbonintensity.org.uk',
  weatherApi: 'https://archive-api.open-meteo.com',
  weatherApiKeySet: false,
  'notify.email.smtpUrl': null,
  'notify.email.from': null,
  'notify.email.to': null,
  'notify.slack.webhookUrl': null,
  'notify.webhook.url': null,
  'notify.webhook.secretSet': false,
  'notify.quietHours': null,
  'notify.digestAt': null,
  'notify.rateLimitPerHour': 60,
  'notify.appUrl': null,
};

/** Settings kept in the table but never returned (secrets): only the core reads them. */
const SECRET_KEYS = new Set(['weatherApiKey']);
/** Settings worked out on reading, never stored. */
const DERIVED_KEYS = new Set(['weatherApiKeySet', 'notify.webhook.secretSet']);

/** What settings.update takes: every stored setting, and the secrets. */
export type SettingsPatch = Partial<
  Omit<Settings, 'weatherApiKeySet' | 'notify.webhook.secretSet' | 'notify.email.smtpUrl' | 'notify.slack.webhookUrl'>
> & { weatherApiKey?: string | null } & { [K in SecretKey]?: string | null };

/** An SMTP URL with its password replaced by ****: `smtps://user:****@host:465`. */
export function maskSmtpUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '****';
    u.search = '';
    return u.toString();
  } catch {
    return '****';
  }
}

/** A webhook URL masked after its host and first path part: `https://hooks.slack.com/services/****`. */
export function maskWebhookUrl(url: string): string {
  try {
    const u = new URL(url);
    const first = u.pathname.split('/').filter(Boolean)[0];
    return `${u.origin}/${first ? `${first}/` : ''}****`;
  } catch {
    return '****';
  }
}

/** Shown for a secret the desktop app encrypted, where this host cannot decrypt it. */
export const ENCRYPTED_ELSEWHERE = '(encrypted by the desktop app)';

export class SettingsStore {
  constructor(
    private readonly sqlite: Database.Database,
    private readonly secrets: SecretStore,
  ) {}

  get(): Settings {
    const rows = this.sqlite.prepare('SELECT key, value FROM settings').all() as { key: string; value: string }[];
    const out: Settings = { ...DEFAULT_SETTINGS };
    for (const r of rows) {
      if (r.key in DEFAULT_SETTINGS && !DERIVED_KEYS.has(r.key) && !isSecretKey(r.key))
        (out as unknown as Record<string, unknown>)[r.key] = JSON.parse(r.value);
    }
    out.weatherApiKeySet = this.secret('weatherApiKey') !== null;
    out['notify.email.smtpUrl'] = this.masked('notify.email.smtpUrl', maskSmtpUrl);
    out['notify.slack.webhookUrl'] = this.masked('notify.slack.webhookUrl', maskWebhookUrl);
    out['notify.webhook.secretSet'] = this.secrets.source('notify.webhook.secret') !== null;
    return out;
  }

  private masked(key: SecretKey, mask: (v: string) => string): string | null {
    let v: string | null;
    try {
      v = this.secrets.get(key);
    } catch (e) {
      if (this.secrets.source(key) === 'keychain') return ENCRYPTED_ELSEWHERE;
      throw e;
    }
    return v === null ? null : mask(v);
  }

  /** A stored secret (the weather API key from the table, notification secrets from the SecretStore), or null. */
  secret(key: string): string | null {
    if (isSecretKey(key)) return this.secrets.get(key);
    const v = this.sqlite.prepare('SELECT value FROM settings WHERE key = ?').pluck().get(key) as string | undefined;
    return v === undefined ? null : (JSON.parse(v) as string);
  }

  update(patch: SettingsPatch): Settings {
    const put = this.sqlite.prepare(
      'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    );
    const del = this.sqlite.prepare('DELETE FROM settings WHERE key = ?');
    this.sqlite.transaction(() => {
      for (const [k, v] of Object.entries(patch)) {
        if (v === undefined || DERIVED_KEYS.has(k) || isSecretKey(k)) continue;
        if ((SECRET_KEYS.has(k) || k.startsWith('notify.')) && (v === null || v === '')) del.run(k);
        else put.run(k, JSON.stringify(v));
      }
    })();
    for (const [k, v] of Object.entries(patch))
      if (isSecretKey(k) && v !== undefined) this.secrets.set(k, (v as string | null) || null);
    return this.get();
  }
}
