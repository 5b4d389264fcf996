/**
 * Server migration 3: what sync shows people. `reading_conflicts`: a pushed half-hour that differs
 * from the server's (the server's value kept) or a removed day whose base was out of date (slot
 * -1), until a manager decides. `activity`: an entity edit replaced by a later one (the losing
 * value, who made it and from where, and what replaced it). Both travel to every desktop by
 * version, so a decision or a new entry bumps the row's version.
 */
export const sql = `
CREATE TABLE reading_conflicts (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  meter_id bigint NOT NULL REFERENCES meter_ids (id),
  day integer NOT NULL,
  -- half-hour index in the UK local day, or -1: the push removed the whole day
  slot integer NOT NULL,
  -- kWh NULL: no value (a blank in the file, or the whole day); quality codes as codec.ts
  server_kwh double precision,
  server_quality smallint,
  pushed_kwh double precision,
  pushed_quality smallint,
  pushed_volume double precision,
  pushed_by text NOT NULL,
  pushed_from text NOT NULL,
  raised_at timestamptz NOT NULL DEFAULT now(),
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'kept-server', 'applied-pushed')),
  resolved_by text,
  version bigint NOT NULL DEFAULT sync_next_version()
);
CREATE INDEX reading_conflicts_version_idx ON reading_conflicts (version);
CREATE INDEX reading_conflicts_day_idx ON reading_conflicts (meter_id, day) WHERE status = 'open';

CREATE TABLE activity (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT now(),
  type text NOT NULL,
  key text NOT NULL,
  grp text NOT NULL,
  lost jsonb,
  lost_by text NOT NULL,
  lost_from text NOT NULL,
  won jsonb,
  won_by text NOT NULL,
  won_from text NOT NULL,
  version bigint NOT NULL DEFAULT sync_next_version()
);
CREATE INDEX activity_version_idx ON activity (version);
`;
