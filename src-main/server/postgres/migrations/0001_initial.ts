/**
 * Server migration 1: the sync version sequence, the entities the desktop syncs first (sites,
 * meters), readings as the desktop stores them (one row per meter-day, half-hours packed exactly as
 * src-main/core/readings/codec.ts packs them), and the idempotency ledger for pushed mutations.
 *
 * Every row carries `version`, taken from the one sequence `sync_version` on each write, so a
 * client pulls "everything since V" with one indexed range read per table. Entities are never
 * deleted: `deleted` marks a tombstone that still travels to clients.
 */
export const sql = `
CREATE SEQUENCE sync_version AS bigint;

CREATE TABLE sites (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  uid uuid NOT NULL UNIQUE,
  name text NOT NULL,
  address text,
  postcode text,
  region_id integer,
  latitude double precision,
  longitude double precision,
  floor_area_m2 double precision,
  generation boolean NOT NULL DEFAULT false,
  opening_hours text,
  version bigint NOT NULL DEFAULT nextval('sync_version'),
  deleted boolean NOT NULL DEFAULT false
);
CREATE INDEX sites_version_idx ON sites (version);

CREATE TABLE meters (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  identifier text NOT NULL UNIQUE,
  kind text NOT NULL CHECK (kind IN ('mpan', 'mprn', 'other')),
  fuel text NOT NULL CHECK (fuel IN ('electricity', 'gas')),
  mpan_top_line text,
  site_id bigint REFERENCES sites (id),
  label text,
  max_kwh_per_half_hour double precision NOT NULL DEFAULT 10000,
  calorific_value double precision NOT NULL DEFAULT 39.5,
  supplier text,
  capacity_kva double precision,
  serial text,
  version bigint NOT NULL DEFAULT nextval('sync_version'),
  deleted boolean NOT NULL DEFAULT false
);
CREATE INDEX meters_version_idx ON meters (version);
CREATE INDEX meters_site_idx ON meters (site_id);

-- One row per meter per UK local day (day = days since 1970-01-01), as the desktop's meter_days:
-- vals (tagged packed values), quality (NULL = all actual), volumes (NULL = no gas volumes).
-- Who wrote a day on the desktop (job_id, writers) is local and does not travel.
CREATE TABLE meter_days (
  meter_id bigint NOT NULL REFERENCES meters (id),
  day integer NOT NULL,
  vals bytea NOT NULL,
  quality bytea,
  volumes bytea,
  version bigint NOT NULL DEFAULT nextval('sync_version'),
  PRIMARY KEY (meter_id, day)
);
CREATE INDEX meter_days_version_idx ON meter_days (version);

-- A pushed mutation applies once: a retried push finds its (client_id, client_seq) here.
CREATE TABLE mutations (
  client_id uuid NOT NULL,
  client_seq bigint NOT NULL,
  applied_version bigint NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (client_id, client_seq)
);
`;
