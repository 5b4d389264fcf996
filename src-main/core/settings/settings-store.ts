/** App settings: typed keys over the settings table, with defaults. */
import type Database from 'better-sqlite3';
import type { Settings } from '../../../src-shared/contract/types';

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
  'notify.rateLimitPerHour': 30,
  'notify.appUrl': null,
};

/** Settings kept but never returned (secrets): only the core reads them. */
const SECRET_KEYS = new Set(['weatherApiKey']);

export class SettingsStore {
  constructor(private readonly sqlite: Database.Database) {}

  get(): Settings {
    const rows = this.sqlite.prepare('SELECT key, value FROM settings').all() as { key: string; value: string }[];
    const out: Settings = { ...DEFAULT_SETTINGS };
    for (const r of rows) {
      if (r.key in DEFAULT_SETTINGS && r.key !== 'weatherApiKeySet')
        (out as unknown as Record<string, unknown>)[r.key] = JSON.parse(r.value);
    }
    out.weatherApiKeySet = this.secret('weatherApiKey') !== null;
    return out;
  }

  /** A stored secret (e.g. the Open-Meteo API key), or null. */
  secret(key: string): string | null {
    const v = this.sqlite.prepare('SELECT value FROM settings WHERE key = ?').pluck().get(key) as string | undefined;
    return v === undefined ? null : (JSON.parse(v) as string);
  }

  update(patch: Partial<Omit<Settings, 'weatherApiKeySet'>> & { weatherApiKey?: string | null }): Settings {
    const put = this.sqlite.prepare(
      'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    );
    this.sqlite.transaction(() => {
      for (const [k, v] of Object.entries(patch)) {
        if (v === undefined || k === 'weatherApiKeySet') continue;
        if (SECRET_KEYS.has(k) && (v === null || v === ''))
          this.sqlite.prepare('DELETE FROM settings WHERE key = ?').run(k);
        else put.run(k, JSON.stringify(v));
      }
    })();
    return this.get();
  }
}
