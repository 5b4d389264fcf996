/**
 * `eclectyc settings get|set` and `eclectyc notify test`: the app's settings (notification channels,
 * quiet hours, digest, retention…) from the command line, and a test message on one channel.
 */
import { contract } from '../../../src-shared/contract/api';
import type { AlertChannel, Settings } from '../../../src-shared/contract/types';
import { DEFAULT_SETTINGS } from '../../core/settings/settings-store';
import { call, out, UsageError, withCore, type Command } from '../command';

/** Every key `settings set` takes (those of settings.update, secrets included). */
const SETTABLE = Object.keys(contract['settings.update'].args.shape);
const READABLE = Object.keys(DEFAULT_SETTINGS) as (keyof Settings)[];
const CHANNELS: readonly AlertChannel[] = ['tray', 'email', 'slack', 'webhook'];

const isNumeric = (key: string): boolean => typeof DEFAULT_SETTINGS[key as keyof Settings] === 'number';

/** The value a setting's text stands for: a number for numeric keys, null for "" (clears). */
function parseValue(key: string, text: string): string | number | null {
  if (text.trim() === '') return null;
  if (!isNumeric(key)) return text;
  if (!/^\d+$/.test(text.trim()))
    throw new UsageError(
      `${key} needs a whole number, e.g. ${String(DEFAULT_SETTINGS[key as keyof Settings])}, not "${text}"`,
    );
  return Number(text);
}

/** What is stored for `key` now, as settings.get shows it (secrets masked, or whether they are set). */
function shown(s: Settings, key: string): unknown {
  if (key === 'weatherApiKey') return s.weatherApiKeySet ? '(set)' : null;
  if (key === 'notify.webhook.secret') return s['notify.webhook.secretSet'] ? '(set)' : null;
  return s[key as keyof Settings];
}

export const settingsCommand: Command = {
  name: 'settings',
  help: `  settings get [KEY]                all settings as JSON, or one key's value (secrets masked)
  settings set KEY VALUE            change a setting, e.g. notify.email.to "a@x.org, b@y.org",
                                    importRetentionDays 30; "" or --clear clears it`,
  options: { clear: { type: 'boolean' } },
  async run(ctx, [sub, key, ...rest], o) {
    if (sub === 'get') {
      if (key !== undefined && !READABLE.includes(key as keyof Settings))
        throw new UsageError(
          `there is no setting "${key}" to show: expected one of ${READABLE.join(', ')}` +
            (SETTABLE.includes(key) ? ` (${key} is a secret and is never shown)` : ''),
        );
      return withCore(ctx, async (core) => {
        const s = await call(core, 'settings.get', {});
        if (key === undefined) process.stdout.write(JSON.stringify(s, null, 2) + '\n');
        else {
          const v = s[key as keyof Settings];
          out(ctx, v, () => console.log(v === null ? '' : String(v)));
        }
        return 0;
      });
    }
    if (sub !== 'set') throw new UsageError(`settings needs get or set${sub ? `, not "${sub}"` : ''}`);
    if (!key) throw new UsageError('settings set needs a KEY and a VALUE, e.g. settings set notify.digestAt 08:00');
    if (!SETTABLE.includes(key))
      throw new UsageError(`there is no setting "${key}": expected one of ${SETTABLE.join(', ')}`);
    const clear = o.clear === true;
    if (clear && rest.length > 0) throw new UsageError(`settings set ${key} --clear takes no VALUE`);
    if (!clear && rest.length !== 1)
      throw new UsageError(
        rest.length === 0
          ? `settings set ${key} needs a VALUE (or --clear)`
          : `settings set ${key} takes one VALUE: put quotes around a value with spaces`,
      );
    const value = clear ? null : parseValue(key, rest[0]!);
    if (value === null && isNumeric(key)) throw new UsageError(`${key} cannot be cleared: give a whole number`);
    return withCore(ctx, async (core) => {
      const s = await call(core, 'settings.update', { [key]: value });
      const now = shown(s, key);
      out(ctx, s, () => console.log(now === null ? `Cleared ${key}.` : `${key} = ${String(now)}`));
      return 0;
    });
  },
};

export const notifyCommand: Command = {
  name: 'notify',
  help: `  notify test CHANNEL               send a test message on tray, email, slack or webhook with the
                                    saved settings, and say what happened`,
  async run(ctx, [sub, channel]) {
    if (sub !== 'test') throw new UsageError(`notify needs test${sub ? `, not "${sub}"` : ''}`);
    if (!channel || !CHANNELS.includes(channel as AlertChannel))
      throw new UsageError(`notify test needs a CHANNEL: one of ${CHANNELS.join(', ')}`);
    return withCore(ctx, async (core) => {
      const r = await call(core, 'notify.test', { channel: channel as AlertChannel });
      out(ctx, r, () => (r.ok ? console.log(r.message) : console.error(`eclectyc: ${r.message}`)));
      return r.ok ? 0 : 1;
    });
  },
};
