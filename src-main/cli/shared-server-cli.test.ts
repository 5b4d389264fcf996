/**
 * `eclectyc serve --database`, `users … --database` and `tokens … --database` as an administrator
 * runs them: real processes on a bundled build against a real PostgreSQL 15 this test starts. A
 * token made on the command line syncs against the served server; a database with a newer schema
 * is refused.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PullResponse, SignedIn } from '../../src-shared/contract/sync';
import { buildCli, runCli } from '../../tests/helpers/cli';
import { tempDir } from '../../tests/helpers/core';
import { startPostgres, type TestPostgres } from '../../tests/helpers/postgres';
import { MIGRATIONS } from '../server/postgres/migrations';
import { ServerStore } from '../server/postgres/store';

let cli: string;
let pgs: TestPostgres;
beforeAll(async () => {
  [cli, pgs] = await Promise.all([buildCli(), startPostgres()]);
}, 120_000);
afterAll(() => pgs?.stop());

let databases = 0;
/** The URL of a new, empty database on the test server. */
async function database(): Promise<string> {
  const name = `cli_${++databases}`;
  const admin = await ServerStore.open({ url: pgs.url, migrations: [] });
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.close();
  return pgs.url.replace(/\/[^/]+$/, `/${name}`);
}

const PASSWORD = 'a long enough password';
const SCHEMA = Math.max(...MIGRATIONS.map((m) => m.id));

describe('the shared server from the command line', () => {
  it('users add/list --database manage the shared accounts with the same output as on a data folder', async () => {
    const url = await database();
    const empty = runCli(cli, ['users', 'list', '--database', url]);
    expect(empty.code).toBe(0);
    expect(empty.stdout).toBe(
      'No users: nobody can sign in to the shared server yet. ' +
        `Add the first admin with "users add NAME --role admin --database ${url}".\n`,
    );
    // the same steps on a data folder and on the database answer alike (but for the time of creation)
    const dataDir = tempDir();
    const steps: [string[], string?][] = [
      [['users', 'add', 'vic', '--role', 'viewer', '--password-stdin'], PASSWORD],
      [['users', 'add', 'Anna', '--role', 'admin', '--password-stdin'], `${PASSWORD}\n`],
      [['users', 'add', 'vic', '--role', 'viewer', '--password-stdin'], PASSWORD],
      [['users', 'add', 'sam', '--role', 'viewer', '--password-stdin'], 'short\n'],
      [['users', 'add', 'ANNA', '--role', 'viewer', '--password-stdin'], PASSWORD],
      [['users', 'disable', 'anna']],
      [['users', 'passwd', 'nobody', '--password-stdin'], PASSWORD],
      [['users', 'list', '--json']],
    ];
    const withoutTimes = (text: string) => text.replace(/"createdAt": "[^"]+"/g, '"createdAt": "…"');
    // a hint on the database names it; otherwise the answers are the same
    const withoutDatabase = (text: string) => text.split(` --database ${url}`).join('');
    const answers = steps.map(([args, input]) => {
      const onDatabase = runCli(cli, [...args, '--database', url], input);
      const onFolder = runCli(cli, [...args, '--data-dir', dataDir], input);
      expect({
        ...onDatabase,
        stdout: withoutTimes(onDatabase.stdout),
        stderr: withoutDatabase(onDatabase.stderr),
      }).toEqual({ ...onFolder, stdout: withoutTimes(onFolder.stdout) });
      return onDatabase;
    });
    expect(answers.map((a) => a.code)).toEqual([1, 0, 0, 1, 1, 1, 1, 0]);
    expect(answers[0]!.stderr).toContain(
      `The first user must be an admin: add one with "eclectyc users add NAME --role admin --database ${url}"`,
    );
    expect(answers[1]!.stdout).toBe('Added admin "Anna".\n');
    expect(answers[3]!.stderr).toContain('eclectyc: A password needs at least 12 characters (password)');
    expect(answers[4]!.stderr).toContain('A user named "ANNA" exists already');
    expect(answers[5]!.stderr).toContain('"Anna" is the last enabled admin and cannot be disabled');
    expect(answers[6]!.stderr).toContain('No user is named "nobody"');
    const users = JSON.parse(answers[7]!.stdout) as Record<string, unknown>[];
    expect(users.map((u) => [u.username, u.role, u.disabled, u.lastLoginAt, u.activeSessions])).toEqual([
      ['Anna', 'admin', false, null, 0],
      ['vic', 'viewer', false, null, 0],
    ]);

    // what was written is in PostgreSQL, not in any data folder
    const store = await ServerStore.open({ url });
    const rows = await store.query<{ username: string; password_hash: string }>(
      'SELECT username, password_hash FROM users ORDER BY id',
    );
    await store.close();
    expect(rows.rows.map((r) => r.username)).toEqual(['Anna', 'vic']);
    expect(rows.rows[0]!.password_hash).toMatch(/^scrypt\$/);

    const bad = runCli(cli, ['users', 'list', '--database', 'mysql://x@localhost/db']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--database must start with postgres://');
  });

  it('in --database mode every hint of users and tokens names the database, its password masked', async () => {
    const url = await database();
    const withPassword = url.replace('postgres@', 'postgres:s3cret@');
    const masked = url.replace('postgres@', 'postgres:***@');
    const users = runCli(cli, ['users', 'list', '--database', withPassword]);
    expect(users.code).toBe(0);
    expect(users.stdout).toBe(
      'No users: nobody can sign in to the shared server yet. ' +
        `Add the first admin with "users add NAME --role admin --database ${masked}".\n`,
    );
    const viewer = runCli(
      cli,
      ['users', 'add', 'vic', '--role', 'viewer', '--password-stdin', '--database', url],
      PASSWORD,
    );
    expect(viewer.code).toBe(1);
    expect(viewer.stderr).toBe(
      `eclectyc: The first user must be an admin: add one with "eclectyc users add NAME --role admin --database ${url}", ` +
        'then vic\n',
    );
    const tokens = runCli(cli, ['tokens', 'list', '--database', withPassword]);
    expect(tokens.code).toBe(0);
    expect(tokens.stdout).toBe(
      `No API tokens. Make one with "tokens create --name N --role R --database ${masked}".\n`,
    );
    const revoke = runCli(cli, ['tokens', 'revoke', '--database', url]);
    expect(revoke.code).toBe(2);
    expect(revoke.stderr).toContain(
      `tokens revoke needs the token NAME (see "eclectyc tokens list --database ${url}")`,
    );
    for (const r of [users, viewer, tokens, revoke]) expect(r.stdout + r.stderr).not.toContain('s3cret');
    // on a data folder the hints stay as they were
    const folder = tempDir();
    expect(runCli(cli, ['tokens', 'list', '--data-dir', folder]).stdout).toBe(
      'No API tokens. Make one with "tokens create --name N --role R".\n',
    );
    expect(runCli(cli, ['tokens', 'revoke', '--data-dir', folder]).stderr).toContain(
      'tokens revoke needs the token NAME (see "eclectyc tokens list")',
    );
  });

  it('tokens create --database makes a token that syncs against serve --database; the password signs in', async () => {
    const url = await database();
    expect(
      runCli(cli, ['users', 'add', 'anna', '--role', 'admin', '--password-stdin', '--database', url], PASSWORD).code,
    ).toBe(0);
    // more users: serve lists them at start (each one's sessions counted on one pooled client)
    for (const [name, role] of [
      ['sam', 'manager'],
      ['vic', 'viewer'],
    ] as const)
      expect(
        runCli(cli, ['users', 'add', name, '--role', role, '--password-stdin', '--database', url], PASSWORD).code,
      ).toBe(0);
    const made = runCli(cli, ['tokens', 'create', '--name', 'laptop sync', '--role', 'manager', '--database', url]);
    expect(made.code).toBe(0);
    expect(made.stderr).toBe('API token "laptop sync" (manager). It is shown this once: keep it somewhere safe.\n');
    const token = made.stdout.trim();
    expect(token).toMatch(/^eclectyc_[A-Za-z0-9_-]{43}$/);

    const serve = spawn(process.execPath, [cli, 'serve', '--database', url, '--port', '0', '--json'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    serve.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<number | null>((resolve) => serve.on('exit', (code) => resolve(code)));
    try {
      const first = await new Promise<string>((resolve, reject) => {
        createInterface({ input: serve.stdout }).once('line', resolve);
        void exited.then((code) => reject(new Error(`serve exited with ${code}: ${stderr}`)));
      });
      const started = JSON.parse(first) as { url: string; database: string; schema: number };
      expect(started.schema).toBe(SCHEMA);
      expect(started.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);

      const health = await fetch(new URL('/health', started.url));
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ status: 'ok', databaseReachable: true, schemaVersion: SCHEMA });

      const pull = (bearer: string) =>
        fetch(new URL('/sync/pull', started.url), {
          method: 'POST',
          headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
          body: JSON.stringify({ clientId: randomUUID(), cursor: '' }),
        });
      const pulled = await pull(token);
      expect(pulled.status).toBe(200);
      expect(await pulled.json()).toMatchObject({ days: [], more: false } satisfies Partial<PullResponse>);
      expect((await pull(token.slice(0, -2))).status).toBe(401);

      const signIn = await fetch(new URL('/auth/token', started.url), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'anna', password: PASSWORD }),
      });
      expect(signIn.status).toBe(200);
      const session = (await signIn.json()) as SignedIn;
      expect(session.user).toEqual({ name: 'anna', role: 'admin' });
      expect((await pull(session.token)).status).toBe(200);

      // revoked on the command line while the server runs: refused from then on
      expect(runCli(cli, ['tokens', 'revoke', 'laptop sync', '--database', url]).stdout).toBe(
        'Revoked the API token "laptop sync".\n',
      );
      expect((await pull(token)).status).toBe(401);
      const listed = JSON.parse(runCli(cli, ['tokens', 'list', '--json', '--database', url]).stdout) as {
        name: string;
        lastUsedAt: string | null;
        revokedAt: string | null;
      }[];
      expect(listed).toHaveLength(1);
      expect(listed[0]!.lastUsedAt).not.toBeNull();
      expect(listed[0]!.revokedAt).not.toBeNull();
    } finally {
      serve.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(stderr).toContain('Stopped.');
    // no query is queued on a client already running one (pg warns it will stop allowing that)
    expect(stderr).not.toContain('DeprecationWarning');
  });

  it('serve --database refuses a database with a newer schema, and says when PostgreSQL cannot be reached', async () => {
    const url = await database();
    const store = await ServerStore.open({ url });
    await store.query("INSERT INTO schema_migrations (id, name) VALUES (9999, '9999_from_the_future')");
    await store.close();
    const r = runCli(cli, ['serve', '--database', url, '--port', '0']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `eclectyc: The database's schema is at migration 9999, newer than this version of Eclectyc knows (${SCHEMA}): ` +
        'upgrade Eclectyc on this server, or point it at another database',
    );
    expect(r.stdout).toBe('');

    const down = runCli(cli, ['serve', '--database', 'postgres://postgres@127.0.0.1:1/eclectyc', '--port', '0']);
    expect(down.code).toBe(1);
    expect(down.stderr).toContain('eclectyc: Cannot reach PostgreSQL at postgres://postgres@127.0.0.1:1/eclectyc');
    const tls = runCli(cli, ['serve', '--database', url, '--tls-cert', 'c.pem', '--tls-key', 'k.pem']);
    expect(tls.code).toBe(2);
    expect(tls.stderr).toContain('serve --database does not take --tls-cert: put TLS in a reverse proxy in front');
  });

  it('a database that does not exist, a wrong port or user: serve, users and tokens cannot reach it (exit 1)', () => {
    const [, host, port] = /^postgres:\/\/postgres@([^:]+):(\d+)\//.exec(pgs.url)!;
    const wrong = [
      [`postgres://postgres:s3cret@${host}:${port}/nosuch`, 'database "nosuch" does not exist'],
      [`postgres://postgres:s3cret@${host}:1/eclectyc`, 'connect ECONNREFUSED'],
      [`postgres://nobody:s3cret@${host}:${port}/eclectyc`, 'role "nobody" does not exist'],
    ];
    for (const [url, reason] of wrong) {
      const shown = url!.replace(':s3cret@', ':***@');
      for (const args of [
        ['serve', '--port', '0'],
        ['users', 'list'],
        ['tokens', 'list'],
      ]) {
        const r = runCli(cli, [...args, '--database', url!]);
        expect({ args, code: r.code, stdout: r.stdout }).toEqual({ args, code: 1, stdout: '' });
        expect(r.stderr).toMatch(/^eclectyc: Cannot reach PostgreSQL at (.+): (.+)\n$/);
        expect(r.stderr.startsWith(`eclectyc: Cannot reach PostgreSQL at ${shown}: ${reason}`)).toBe(true);
        expect(r.stderr).not.toContain('s3cret');
      }
    }
  });
});
