/**
 * `eclectyc users` and `eclectyc tokens` as an administrator runs them: a real process on a bundled
 * build, the password on standard input, the --json shapes, and what the accounts hold afterwards
 * (checked on a core opened on the same data folder).
 */
import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCli, runCli } from '../../tests/helpers/cli';
import { makeCore, tempDir } from '../../tests/helpers/core';

let cli: string;
beforeAll(async () => {
  cli = await buildCli();
});

const PASSWORD = 'a long enough password';

describe('eclectyc users', () => {
  it('adds a user with --password-stdin (first line only), lists them, and the password signs in', async () => {
    const dataDir = tempDir();
    const add = runCli(
      cli,
      ['users', 'add', 'Anna', '--role', 'admin', '--password-stdin', '--data-dir', dataDir],
      `${PASSWORD}\nignored second line\n`,
    );
    expect(add.stderr).toBe('');
    expect(add.code).toBe(0);
    expect(add.stdout).toBe('Added admin "Anna".\n');
    expect(
      runCli(
        cli,
        ['users', 'add', 'bob', '--role', 'viewer', '--password-stdin', '--data-dir', dataDir],
        'also long enough\r\n',
      ).code,
    ).toBe(0);

    const list = runCli(cli, ['users', 'list', '--json', '--data-dir', dataDir]);
    expect(list.code).toBe(0);
    const users = JSON.parse(list.stdout) as Record<string, unknown>[];
    expect(users.map((u) => [u.username, u.role, u.disabled, u.lastLoginAt, u.activeSessions])).toEqual([
      ['Anna', 'admin', false, null, 0],
      ['bob', 'viewer', false, null, 0],
    ]);
    expect(Object.keys(users[0]!)).toEqual([
      'username',
      'role',
      'disabled',
      'createdAt',
      'lastLoginAt',
      'activeSessions',
    ]);

    const core = await makeCore({ dataDir });
    try {
      expect((await core.auth.login('anna', PASSWORD, '127.0.0.1')).ok).toBe(true);
      expect((await core.auth.login('anna', 'ignored second line', '127.0.0.1')).ok).toBe(false);
      expect((await core.auth.login('bob', 'also long enough', '127.0.0.1')).ok).toBe(true);
    } finally {
      await core.stop();
    }
  });

  it('says in words what was wrong: no password, a short one, a taken name, no terminal, the last admin', () => {
    const dataDir = tempDir();
    const run = (args: string[], input?: string) => runCli(cli, [...args, '--data-dir', dataDir], input);
    const empty = run(['users', 'add', 'anna', '--role', 'admin', '--password-stdin'], '');
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('--password-stdin read no password');
    const short = run(['users', 'add', 'anna', '--role', 'admin', '--password-stdin'], 'short\n');
    expect(short.code).toBe(1);
    expect(short.stderr).toContain('eclectyc: A password needs at least 12 characters (password)');
    const noTty = run(['users', 'add', 'anna', '--role', 'admin'], PASSWORD);
    expect(noTty.code).toBe(2);
    expect(noTty.stderr).toContain('standard input is not a terminal: pass the password on it with --password-stdin');
    const badRole = run(['users', 'add', 'anna', '--role', 'owner', '--password-stdin'], PASSWORD);
    expect(badRole.code).toBe(2);
    expect(badRole.stderr).toContain('--role is one of viewer, manager, admin (not "owner")');

    expect(run(['users', 'add', 'anna', '--role', 'admin', '--password-stdin'], PASSWORD).code).toBe(0);
    const taken = run(['users', 'add', 'ANNA', '--role', 'viewer', '--password-stdin'], PASSWORD);
    expect(taken.code).toBe(1);
    expect(taken.stderr).toContain('A user named "ANNA" exists already');
    const last = run(['users', 'disable', 'anna', '--json']);
    expect(last.code).toBe(1);
    expect(JSON.parse(last.stdout)).toEqual({
      error: {
        code: 'CONFLICT',
        message: '"anna" is the last enabled admin and cannot be disabled: make another user an admin first',
      },
    });
    const missing = run(['users', 'remove', 'nobody']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('No user is named "nobody"');
  });

  it('changes a password from stdin, disables, enables and removes a user', async () => {
    const dataDir = tempDir();
    const run = (args: string[], input?: string) => runCli(cli, [...args, '--data-dir', dataDir], input);
    expect(run(['users', 'add', 'anna', '--role', 'admin', '--password-stdin'], PASSWORD).code).toBe(0);
    expect(run(['users', 'add', 'bob', '--role', 'manager', '--password-stdin'], PASSWORD).code).toBe(0);
    expect(run(['users', 'passwd', 'bob', '--password-stdin'], 'another good password\n').stdout).toContain(
      'Changed the password of "bob"',
    );
    expect(run(['users', 'disable', 'bob']).code).toBe(0);
    const listed = () =>
      JSON.parse(run(['users', 'list', '--json']).stdout) as { username: string; disabled: boolean }[];
    expect(listed().map((u) => u.disabled)).toEqual([false, true]);
    expect(run(['users', 'enable', 'bob']).code).toBe(0);
    const core = await makeCore({ dataDir });
    try {
      expect((await core.auth.login('bob', 'another good password', '127.0.0.1')).ok).toBe(true);
    } finally {
      await core.stop();
    }
    expect(run(['users', 'remove', 'bob']).stdout).toBe('Removed "bob" and their sessions.\n');
    expect(listed().map((u) => u.username)).toEqual(['anna']);
  });
});

describe('eclectyc tokens', () => {
  it('creates a token printed once (--json), lists it without it, and revokes it', async () => {
    const dataDir = tempDir();
    const run = (args: string[]) => runCli(cli, [...args, '--data-dir', dataDir]);
    const made = run(['tokens', 'create', '--name', 'nightly export', '--role', 'viewer', '--json']);
    expect(made.code).toBe(0);
    const t = JSON.parse(made.stdout) as { name: string; role: string; token: string };
    expect(Object.keys(t)).toEqual(['name', 'role', 'token']);
    expect(t).toMatchObject({ name: 'nightly export', role: 'viewer' });
    expect(t.token).toMatch(/^eclectyc_[A-Za-z0-9_-]{43}$/);

    const human = run(['tokens', 'create', '--name', 'ci', '--role', 'manager']);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/^eclectyc_[A-Za-z0-9_-]{43}\n$/);
    expect(human.stderr).toContain('shown this once');

    const list = run(['tokens', 'list', '--json']);
    expect(list.stdout).not.toContain(t.token.slice(9));
    const listed = JSON.parse(list.stdout) as Record<string, unknown>[];
    expect(listed.map((x) => [x.name, x.role, x.lastUsedAt, x.revokedAt])).toEqual([
      ['ci', 'manager', null, null],
      ['nightly export', 'viewer', null, null],
    ]);
    expect(listed[0]!.createdBy).toMatch(/command line/);

    const core = await makeCore({ dataDir });
    try {
      const stored = core.sqlite.prepare("SELECT token_hash AS h FROM api_tokens WHERE name = 'nightly export'").get();
      expect(stored).toEqual({ h: createHash('sha256').update(t.token).digest('hex') });
      expect(core.auth.fromToken(t.token)?.name).toBe('nightly export');
    } finally {
      await core.stop();
    }

    const revoked = run(['tokens', 'revoke', 'nightly export']);
    expect(revoked.code).toBe(0);
    expect(revoked.stdout).toBe('Revoked the API token "nightly export".\n');
    expect(run(['tokens', 'revoke', 'nightly export']).stdout).toContain('was revoked already');
    const unknown = run(['tokens', 'revoke', 'nope']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('No API token is named "nope"');
    const after = JSON.parse(run(['tokens', 'list', '--json']).stdout) as {
      name: string;
      lastUsedAt: string | null;
      revokedAt: string | null;
    }[];
    expect(after[1]!.revokedAt).not.toBeNull();
    expect(after[1]!.lastUsedAt).not.toBeNull();

    const core2 = await makeCore({ dataDir });
    try {
      expect(core2.auth.fromToken(t.token)).toBeNull();
    } finally {
      await core2.stop();
    }
  });
});
