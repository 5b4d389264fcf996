/**
 * Changing many meters at once (`meters.bulkUpdate`): their site, supplier, capacity and tags, and a
 * tariff from a UK date (through the TariffStore's assign, so the rules are tariffs.assign's). Every
 * meter, the site and the tariff are checked first and the change is one transaction: an unknown
 * meter, site or tariff, or a tariff of the other fuel, changes nothing and is named.
 */
import type { Handlers } from '../../../src-shared/contract/api';
import { AppError } from '../../../src-shared/contract/errors';
import type { BulkUpdateResult, Fuel } from '../../../src-shared/contract/types';
import { toLocalDay } from '../aggregation/totals';
import type { Services } from '../services';

/** Meters named in an error message; the rest are counted (the details list them all). */
const NAMED = 10;

/** "1200050000009, 1200050000106 and 3 more". */
function listed(ids: readonly string[]): string {
  if (ids.length <= NAMED) return ids.length === 1 ? ids[0]! : `${ids.slice(0, -1).join(', ')} and ${ids.at(-1)}`;
  return `${ids.slice(0, NAMED).join(', ')} and ${ids.length - NAMED} more`;
}

/** A meter's tags after adding and removing some: unique and sorted, as meters.update stores them. */
export function nextTags(tags: readonly string[], add: readonly string[], remove: readonly string[]): string[] {
  const out = new Set([...tags, ...add]);
  for (const t of remove) out.delete(t);
  return [...out].sort();
}

export function bulkUpdate(
  s: Pick<Services, 'sqlite' | 'tariffStore'>,
  a: Parameters<Handlers['meters.bulkUpdate']>[0],
  actor: string,
): BulkUpdateResult {
  const { sqlite } = s;
  const wanted = [...new Set(a.meters.map((m) => m.trim()))];
  const add = a.addTags?.map((t) => t.trim()) ?? [];
  const remove = a.removeTags?.map((t) => t.trim()) ?? [];
  if (
    a.siteId === undefined &&
    a.supplier === undefined &&
    a.capacityKva === undefined &&
    add.length === 0 &&
    remove.length === 0 &&
    a.tariff === undefined
  )
    throw new AppError(
      'INVALID_ARGS',
      'Choose what to change for the selected meters: a site, a supplier, a capacity, tags or a tariff',
    );
  const both = add.filter((t) => remove.includes(t));
  if (both.length)
    throw new AppError('INVALID_ARGS', `The tag "${both[0]}" is both added and removed: choose one`, {
      reason: 'tag-added-and-removed',
      tags: both,
    });

  const rows = sqlite
    .prepare('SELECT id, identifier, fuel, tags FROM meters WHERE identifier IN (SELECT value FROM json_each(?))')
    .all(JSON.stringify(wanted)) as { id: number; identifier: string; fuel: Fuel; tags: string }[];
  const found = new Set(rows.map((r) => r.identifier));
  const unknown = wanted.filter((m) => !found.has(m));
  if (unknown.length)
    throw new AppError(
      'NOT_FOUND',
      `No meter${unknown.length === 1 ? '' : 's'} ${listed(unknown)}: nothing was changed; check the MPANs, or import ${unknown.length === 1 ? 'it' : 'them'} first`,
      { reason: 'unknown-meters', meters: unknown },
    );
  if (typeof a.siteId === 'number' && !sqlite.prepare('SELECT 1 FROM sites WHERE id = ?').get(a.siteId))
    throw new AppError('NOT_FOUND', `No site ${a.siteId}: nothing was changed`, {
      reason: 'unknown-site',
      siteId: a.siteId,
    });
  const tariff = a.tariff && s.tariffStore.find(a.tariff.tariffId);
  if (a.tariff && !tariff)
    throw new AppError(
      'NOT_FOUND',
      `No tariff "${a.tariff.tariffId}": nothing was changed; import or create it on the Tariffs page first`,
      { reason: 'unknown-tariff', tariff: a.tariff.tariffId },
    );
  const fromDay = a.tariff ? toLocalDay(a.tariff.from) : null;
  if (tariff) {
    const other = rows.filter((r) => r.fuel !== tariff.fuel).map((r) => r.identifier);
    if (other.length)
      throw new AppError(
        'BAD_INPUT',
        `"${tariff.id}" is a${tariff.fuel === 'electricity' ? 'n' : ''} ${tariff.fuel} tariff and ${other.length === 1 ? 'meter' : 'meters'} ${listed(other)} ${other.length === 1 ? 'is' : 'are'} not: nothing was changed; select only ${tariff.fuel} meters`,
        { reason: 'fuel-mismatch', tariff: tariff.id, meters: other },
      );
  }

  sqlite.transaction(() => {
    const sets: string[] = [];
    const vals: (string | number | null)[] = [];
    if (a.siteId !== undefined) {
      sets.push('site_id = ?');
      vals.push(a.siteId);
    }
    if (a.supplier !== undefined) {
      sets.push('supplier = ?');
      vals.push(a.supplier || null);
    }
    if (a.capacityKva !== undefined) {
      sets.push('capacity_kva = ?');
      vals.push(a.capacityKva);
    }
    if (sets.length)
      sqlite
        .prepare(`UPDATE meters SET ${sets.join(', ')} WHERE id IN (SELECT value FROM json_each(?))`)
        .run(...vals, JSON.stringify(rows.map((r) => r.id)));
    if (add.length || remove.length) {
      const setTags = sqlite.prepare('UPDATE meters SET tags = ? WHERE id = ?');
      for (const r of rows) {
        const before = JSON.parse(r.tags) as string[];
        const after = nextTags(before, add, remove);
        if (JSON.stringify(after) !== JSON.stringify(before)) setTags.run(JSON.stringify(after), r.id);
      }
    }
    if (tariff && fromDay !== null) for (const r of rows) s.tariffStore.assign(r.id, r.fuel, tariff.id, fromDay, actor);
  })();
  const meters = rows.map((r) => r.identifier).sort();
  return { updated: meters.length, meters };
}
