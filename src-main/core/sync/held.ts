/**
 * Why changes made on this desktop are not shared, in words a person reads (docs/sync.md, "What the
 * role may not push waits here"): tariffs by their names, their prices by the day they start, shared
 * settings by what they set — never ids, entity kinds or keys.
 */
import type Database from 'better-sqlite3';
import type { EntityChange } from '../../../src-shared/contract/sync';
import { dateOfDay, MONTH_ABBR } from '../../../src-shared/domain/periods';

/** "1 change", "3 changes". */
export const changesText = (n: number): string => `${n} change${n === 1 ? '' : 's'}`;

/** A UK local day as people write it: 1 Jan 2025. */
function dayText(day: number): string {
  const { y, m, d } = dateOfDay(day);
  return `${d} ${MONTH_ABBR[m - 1]} ${y}`;
}

/** What each shared setting sets. */
const SETTING_WORDS: Record<string, string> = {
  'notify.email.from': 'who alert e-mails come from',
  'notify.email.to': 'who alert e-mails go to',
  'notify.quietHours': 'the quiet hours for alerts',
  'notify.digestAt': 'when the daily digest is sent',
  'notify.appUrl': 'the app’s address in alerts',
};

/** "a", "a and b", "a, b and c". */
function list(parts: string[]): string {
  return parts.length <= 1 ? (parts[0] ?? '') : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

/** Most things named before "and N more". */
const NAMED = 4;

/**
 * The held changes (tariffs, their prices, shared settings) in words: "tariff ‘Acme Economy 7’ and
 * its prices from 1 Jan 2025". A tariff deleted here is named by its id (nothing else of it is left).
 */
export function describeHeld(sqlite: Database.Database, changes: readonly EntityChange[]): string {
  const nameOf = sqlite.prepare('SELECT name FROM tariffs WHERE id = ?').pluck();
  const tariffs = new Map<string, { self: 'changed' | 'deleted' | null; prices: number[] }>();
  const settings: string[] = [];
  const tariff = (id: string) => {
    let t = tariffs.get(id);
    if (!t) tariffs.set(id, (t = { self: null, prices: [] }));
    return t;
  };
  for (const c of changes) {
    if (c.type === 'tariff') tariff(c.key).self = c.deleted ? 'deleted' : 'changed';
    else if (c.type === 'tariffVersion') {
      const bar = c.key.lastIndexOf('|');
      tariff(c.key.slice(0, bar)).prices.push(Number(c.key.slice(bar + 1)));
    } else if (c.type === 'setting') settings.push(`the setting for ${SETTING_WORDS[c.key] ?? c.key}`);
  }
  const parts: string[] = [];
  for (const [id, t] of tariffs) {
    const name = nameOf.get(id) as string | undefined;
    const named = name === undefined ? `tariff ${id}` : `tariff ‘${name}’`;
    const from = `from ${list(t.prices.sort((a, b) => a - b).map(dayText))}`;
    if (t.self === 'deleted') parts.push(`${named} deleted`);
    else if (t.self === 'changed') parts.push(t.prices.length > 0 ? `${named} and its prices ${from}` : named);
    else parts.push(`the prices of ${named} ${from}`);
  }
  parts.push(...settings);
  const shown = parts.slice(0, NAMED);
  if (parts.length > NAMED) shown.push(`${parts.length - NAMED} more`);
  return list(shown);
}
