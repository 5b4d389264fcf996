/**
 * Server migration 2: versions are assigned in commit order. A sequence alone hands out versions
 * when a transaction asks, not when it commits, so a client pulling "since V" could skip a row whose
 * transaction took a lower version and committed late (docs/sync.md, "Versions and commit order").
 *
 * `sync_next_version()` takes a transaction-level advisory lock before `nextval`: a second writer
 * waits until the first commits or rolls back, so every version a reader can see is below every
 * version still in flight. The version columns' defaults go through it too, so no write can take
 * a version around the lock. Readers take no lock.
 */
export const sql = `
CREATE FUNCTION sync_next_version() RETURNS bigint
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  -- 0x45435659 ("ECVY"): the one lock that orders version assignment; held until commit.
  PERFORM pg_advisory_xact_lock(1162040921);
  RETURN nextval('sync_version');
END
$$;

ALTER TABLE entities ALTER COLUMN version SET DEFAULT sync_next_version();
ALTER TABLE meter_days ALTER COLUMN version SET DEFAULT sync_next_version();
`;
