/**
 * Server migration 1: the sync version sequence, the meters' ids, the synced entities (one generic
 * table of field groups), readings as the desktop stores them (one row per meter-day, half-hours
 * packed exactly as src-main/core/readings/codec.ts packs them), and the idempotency ledger for
 * pushed mutations.
 *
 * Every synced row carries `version`, taken from the one sequence `sync_version` on each write, so
 * a client pulls "everything since V" with one indexed range read per table. Nothing synced is
 * deleted: an entity's `deleted` and a day's `removed` are tombstones that still travel to clients.
 */
export const sql = `
CREATE SEQUENCE sync_version AS bigint;

-- Meters by identifier (MPAN core, MPRN or file id): meter_days refers to them by a small id.
-- What a meter is (kind, fuel, site…) is its 'meter' entity row.
CREATE TABLE meter_ids (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  identifier text NOT NULL UNIQUE
);

-- The small entities that sync (sites, meters, tariffs…: ENTITY_GROUPS in src-shared/contract/sync.ts),
-- one row each. groups: { group: { version, value, by, from } }, each group last-writer-wins on
-- its own. version: the latest of the row's writes. A deleted row keeps its groups (and who
-- deleted it) and travels as a tombstone.
CREATE TABLE entities (
  type text NOT NULL,
  key text NOT NULL,
  groups jsonb NOT NULL DEFAULT '{}',
  version bigint NOT NULL DEFAULT nextval('sync_version'),
  deleted boolean NOT NULL DEFAULT false,
  deleted_by text,
  deleted_from text,
  PRIMARY KEY (type, key)
);
CREATE INDEX entities_version_idx ON entities (version);

-- One row per meter per UK local day (day = days since 1970-01-01), as the desktop's meter_days:
-- vals (tagged packed values), quality (NULL = all actual), volumes (NULL = no gas volumes).
-- removed: the day's readings were removed (vals empty; a tombstone that travels). writer: the
-- client whose push is stored exactly as it sent it (not sent back to it), NULL otherwise.
-- Who wrote a day on the desktop (job_id, writers) is local and does not travel.
CREATE TABLE meter_days (
  meter_id bigint NOT NULL REFERENCES meter_ids (id),
  day integer NOT NULL,
  removed boolean NOT NULL DEFAULT false,
  vals bytea NOT NULL,
  quality bytea,
  volumes bytea,
  writer uuid,
  version bigint NOT NULL DEFAULT nextval('sync_version'),
  PRIMARY KEY (meter_id, day)
);
-- A pull pages through (version, meter_id, day): one range read, no sort.
CREATE INDEX meter_days_version_idx ON meter_days (version, meter_id, day);

-- A pushed mutation applies once: a retried push finds its (client_id, client_seq) here.
CREATE TABLE mutations (
  client_id uuid NOT NULL,
  client_seq bigint NOT NULL,
  applied_version bigint NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (client_id, client_seq)
);
-- The head (latest version) counts mutations that changed nothing else.
CREATE INDEX mutations_version_idx ON mutations (applied_version);
`;
