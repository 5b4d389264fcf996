/**
 * What the desktop's sync engine (engine.ts) needs from the entity side (entities.ts): the local
 * changes to push, as field groups against what the server last had (the shadow), and applying the
 * server's rows to the local tables.
 */
import type { EntityChange, EntityRow, EntityType, MutationResult } from '../../../src-shared/contract/sync';

export interface EntityApplyResult {
  /** Rows written to local tables (created, changed or deleted). */
  applied: number;
  /** Which kinds changed, so the engine can tell the windows (meters.changed, alerts.changed…). */
  types: EntityType[];
  /** Identifiers of meters created, changed or deleted (for the meters.changed event). */
  meters: string[];
}

export interface EntitySync {
  /**
   * Local changes against the shadow, in the order the server should apply them (sites before
   * meters, tariffs before versions and assignments; tombstones of dependants before their parents).
   * Pure read: nothing is marked until `markPushed`.
   */
  changes(): EntityChange[];
  /**
   * Records pushed changes as the server's (the shadow takes their values at the mutation's
   * version), in the caller's transaction, once the server acknowledged them. Groups the server
   * `kept` its own value of are recorded at version 0, so the next pull brings the server's value.
   */
  markPushed(changes: readonly EntityChange[], result: Pick<MutationResult, 'version' | 'kept'>): void;
  /**
   * Applies the server's rows (a pull page) to the local tables and the shadow, in the caller's
   * transaction. A local change not yet pushed to a group the server also changed is replaced (the
   * server's is the later write) and returned in `replaced` for the activity log.
   */
  apply(rows: readonly EntityRow[]): EntityApplyResult & {
    replaced: { type: EntityType; key: string; group: string; local: unknown; server: unknown }[];
  };
}
