/**
 * Merging two meters that are one (e.g. the same file imported once without a meter id and once
 * with one): the readings of `from` move into `into` through the readings store's merge — each
 * half-hour new, a duplicate or a conflict, a conflict keeping `into`'s value unless asked to
 * replace it, and every conflict reported — then `from`'s site, label, supplier, capacity and
 * tariff assignments move where `into` has none, and the emptied meter is removed.
 */
import type Database from 'better-sqlite3';
import { AppError } from '../../../src-shared/contract/errors';
import type { MeterMergeResult } from '../../../src-shared/contract/types';
import { isoUtc } from '../../../src-shared/domain/london-time';
import type { ReadingsStore } from '../readings/store';
import type { MeterService } from './meter-service';

/** Conflicts listed in a result or a refusal (the count is always whole). */
const LISTED = 200;

interface Row {
  id: number;
  identifier: string;
  fuel: string;
  siteId: number | null;
  label: string | null;
  supplier: string | null;
  capacityKva: number | null;
}

export function mergeMeters(
  sqlite: Database.Database,
  store: ReadingsStore,
  meters: MeterService,
  fromIdentifier: string,
  intoIdentifier: string,
  onConflict: 'keep' | 'replace' | undefined,
): MeterMergeResult {
  const row = (identifier: string): Row => {
    const id = meters.meterId(identifier);
    return sqlite
      .prepare(
        'SELECT id, identifier, fuel, site_id AS siteId, label, supplier, capacity_kva AS capacityKva FROM meters WHERE id = ?',
      )
      .get(id) as Row;
  };
  const from = row(fromIdentifier);
  const into = row(intoIdentifier);
  if (from.id === into.id)
    throw new AppError('INVALID_ARGS', `Both meters are ${from.identifier}: choose another meter to merge it into`, {
      reason: 'same-meter',
      meter: from.identifier,
    });
  if (from.fuel !== into.fuel)
    throw new AppError(
      'BAD_INPUT',
      `${from.identifier} is a ${from.fuel} meter and ${into.identifier} a ${into.fuel} meter: they cannot be merged`,
      { reason: 'fuel-mismatch', from: from.identifier, into: into.identifier },
    );

  return sqlite.transaction((): MeterMergeResult => {
    const listed = (cs: ReturnType<ReadingsStore['moveMeter']>['conflicts']): MeterMergeResult['conflicts'] =>
      cs.slice(0, LISTED).map((c) => ({
        start: isoUtc(c.ts),
        from: c.value === c.value ? c.value : null,
        into: c.stored,
        kept: c.kept ? 'into' : 'from',
      }));
    if (onConflict === undefined) {
      // never overwrite or drop a reading silently: with conflicts, the caller must choose
      const check = store.moveMeter(from.id, into.id, { replace: false, dryRun: true });
      const n = check.conflicts.length;
      if (n > 0)
        throw new AppError(
          'CONFLICT',
          `${n === 1 ? '1 half-hour' : `${n} half-hours`} of ${from.identifier} ${n === 1 ? 'holds' : 'hold'} ` +
            `other values in ${into.identifier}: ` +
            `choose whether ${into.identifier} keeps its values or takes those of ${from.identifier}`,
          {
            reason: 'merge-conflicts',
            from: from.identifier,
            into: into.identifier,
            conflictCount: n,
            // nothing was kept: the merge was refused (the dry run's keep is not a choice anyone made)
            conflicts: listed(check.conflicts).map(({ kept: _kept, ...c }) => c),
          },
        );
    }
    const moved = store.moveMeter(from.id, into.id, { replace: onConflict === 'replace', dryRun: false });
    const carried: MeterMergeResult['carried'] = [];
    const take = (column: string, name: MeterMergeResult['carried'][number], value: unknown, target: unknown): void => {
      if (value === null || target !== null) return;
      sqlite.prepare(`UPDATE meters SET ${column} = ? WHERE id = ?`).run(value, into.id);
      carried.push(name);
    };
    take('site_id', 'site', from.siteId, into.siteId);
    take('label', 'label', from.label, into.label);
    take('supplier', 'supplier', from.supplier, into.supplier);
    take('capacity_kva', 'capacity', from.capacityKva, into.capacityKva);
    const assignments = (id: number): number =>
      sqlite.prepare('SELECT count(*) FROM tariff_assignments WHERE meter_id = ?').pluck().get(id) as number;
    const fromAssignments = assignments(from.id);
    let tariffAssignmentsMoved = 0;
    if (fromAssignments > 0 && assignments(into.id) === 0) {
      tariffAssignmentsMoved = sqlite
        .prepare('UPDATE tariff_assignments SET meter_id = ? WHERE meter_id = ?')
        .run(into.id, from.id).changes;
    }
    sqlite.prepare('DELETE FROM meters WHERE id = ?').run(from.id);
    return {
      from: from.identifier,
      into: into.identifier,
      moved: moved.moved,
      duplicates: moved.duplicates,
      conflictCount: moved.conflicts.length,
      conflicts: listed(moved.conflicts),
      carried,
      tariffAssignmentsMoved,
      tariffAssignmentsDropped: fromAssignments - tariffAssignmentsMoved,
    };
  })();
}
