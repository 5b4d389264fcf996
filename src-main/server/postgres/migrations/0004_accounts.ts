/**
 * Server migration 4: the shared server's accounts, as the desktop keeps them (drizzle/0011_users.sql):
 * users with scrypt password hashes and a role, sessions and API tokens stored only as the SHA-256
 * of their secret, with expiry and revocation. User names and token names are unique whatever
 * their letter case. Times are timestamptz, written from the server's clock.
 */
export const sql = `
CREATE TABLE users (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  username text NOT NULL,
  role text NOT NULL CHECK (role IN ('viewer', 'manager', 'admin')),
  password_hash text NOT NULL,
  disabled boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  last_login_at timestamptz
);
CREATE UNIQUE INDEX users_username_lower_idx ON users (lower(username));

-- id_hash: SHA-256 (hex) of the session token handed out at sign-in; the token itself is not kept.
CREATE TABLE sessions (
  id_hash text PRIMARY KEY,
  user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL,
  revoked_at timestamptz,
  ip text,
  user_agent text
);
CREATE INDEX sessions_user_idx ON sessions (user_id);

-- token_hash: SHA-256 (hex) of the token (eclectyc_…), shown once when it was made.
CREATE TABLE api_tokens (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name text NOT NULL,
  role text NOT NULL CHECK (role IN ('viewer', 'manager', 'admin')),
  token_hash text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL,
  created_by text NOT NULL,
  last_used_at timestamptz,
  revoked_at timestamptz
);
CREATE UNIQUE INDEX api_tokens_name_lower_idx ON api_tokens (lower(name));
`;
