/** App settings: typed keys over the settings table, with defaults. */
import type Database from 'better-sqlite3';
import type { Settings } from '../../../src-shared/contract/types';

export const DEFAULT_SETTINGS: Settings = {
  importRetentionDays: 30,
  nightlyRunAt: '01:30',
  carbonApi: 'https://api.carbonintensity.org.uk',
};

export class SettingsStore {
  constructor(private readonly sqlite: Database.Database) {}

  get(): Settings {
    const rows = this.sqlite.prepare('SELECT key, value FROM settings').all() as { key: string; value: string }[];
    const out: Settings = { ...DEFAULT_SETTINGS };
    for (const r of rows) {
      if (r.key in DEFAULT_SETTINGS) (out as unknown as Record<string, unknown>)[r.key] = JSON.parse(r.value);
    }
    return out;
  }

  update(patch: Partial<Settings>): Settings {
    const put = this.sqlite.prepare(
      'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    );
    this.sqlite.transaction(() => {
      for (const [k, v] of Object.entries(patch)) if (v !== undefined) put.run(k, JSON.stringify(v));
    })();
    return this.get();
  }
}
