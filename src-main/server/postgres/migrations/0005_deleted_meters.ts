/**
 * Server migration 5: a deleted meter's days are removed with it (docs/sync.md, "Conflicts"). Before
 * this, a meter's tombstone left its days live, and a desktop pulling them made the meter again.
 * Under one new version: the days of a deleted meter written at or before its tombstone are
 * removed; a deleted meter that still has live days (pushed after the deletion) comes back, as the
 * server now does for such a push; for the meters still deleted, open readings conflicts are decided
 * `kept-server` by the person who deleted the meter and their alert states are tombstoned.
 */
export const sql = `
DO $$
DECLARE
  v bigint;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM entities e JOIN meter_ids m ON m.identifier = e.key
                 JOIN meter_days d ON d.meter_id = m.id
                 WHERE e.type = 'meter' AND e.deleted AND NOT d.removed) THEN
    RETURN;
  END IF;
  v := sync_next_version();
  UPDATE meter_days d SET removed = true, vals = ''::bytea, quality = NULL, volumes = NULL, writer = NULL, version = v
  FROM meter_ids m, entities e
  WHERE e.type = 'meter' AND e.deleted AND m.identifier = e.key AND d.meter_id = m.id AND NOT d.removed
    AND d.version <= e.version;
  UPDATE entities e SET deleted = false, deleted_by = NULL, deleted_from = NULL, version = v
  WHERE e.type = 'meter' AND e.deleted
    AND EXISTS (SELECT 1 FROM meter_ids m JOIN meter_days d ON d.meter_id = m.id
                WHERE m.identifier = e.key AND NOT d.removed);
  UPDATE reading_conflicts c SET status = 'kept-server', resolved_by = e.deleted_by, version = v
  FROM meter_ids m, entities e
  WHERE e.type = 'meter' AND e.deleted AND m.identifier = e.key AND c.meter_id = m.id AND c.status = 'open';
  UPDATE entities a SET deleted = true, deleted_by = e.deleted_by, deleted_from = e.deleted_from, version = v
  FROM entities e
  WHERE e.type = 'meter' AND e.deleted AND a.type = 'alertState' AND NOT a.deleted
    AND a.groups #>> '{alert,value,meter}' = e.key;
END
$$;
`;
