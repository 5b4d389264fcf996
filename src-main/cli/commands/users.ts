/**
 * `eclectyc users …`: the server's user accounts (add, list, passwd, disable, enable, remove). A
 * password is typed at a prompt that does not echo (twice), or read from the first line of standard
 * input with `--password-stdin`; it is never an argument (other users would see it in `ps`).
 */
import type { Args, Handlers, Method, Result } from '../../../src-shared/contract/api';
import type { Role, UserSummary } from '../../../src-shared/contract/types';
import { localCaller } from '../../core/rpc/caller';
import { dispatch } from '../../core/rpc/dispatch';
import { createSharedAccounts, sharedAccountHandlers } from '../../server/postgres/accounts';
import { call, CallFailed, out, str, UsageError, withCore, type Command, type Ctx, type Opts } from '../command';
import { databaseOption, withDatabase } from '../database';
import { printTable } from '../format';

const ROLES: readonly Role[] = ['viewer', 'manager', 'admin'];

/** A `--role` option's value. */
export function roleOption(o: Opts, usage: string): Role {
  const role = str(o, 'role');
  if (role === undefined) throw new UsageError(`${usage} needs --role viewer|manager|admin`);
  if (!ROLES.includes(role as Role)) throw new UsageError(`--role is one of viewer, manager, admin (not "${role}")`);
  return role as Role;
}

/** The first line of standard input (without its line ending). */
async function firstLineOfStdin(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) {
    text += String(chunk);
    if (text.includes('\n')) break;
  }
  const line = text.split(/\r?\n/)[0] ?? '';
  if (line === '')
    throw new UsageError('--password-stdin read no password: put it on the first line of standard input');
  return line;
}

/** Reads one line from the terminal without showing what is typed. */
function promptHidden(prompt: string): Promise<string> {
  const stdin = process.stdin;
  process.stderr.write(prompt);
  return new Promise((resolve, reject) => {
    let typed = '';
    const done = (err: Error | null): void => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
      if (err) reject(err);
      else resolve(typed);
    };
    const onData = (chunk: Buffer): void => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return done(null);
        if (ch === '\u0003' || ch === '\u0004') return done(new UsageError('no password entered (cancelled)'));
        if (ch === '\u007f' || ch === '\b') typed = typed.slice(0, -1);
        else typed += ch;
      }
    };
    stdin.setRawMode(true);
    stdin.resume();
    stdin.on('data', onData);
  });
}

/** The new password: from standard input with --password-stdin, else typed twice at a prompt. */
export async function readPassword(o: Opts, username: string): Promise<string> {
  if (o['password-stdin'] === true) return firstLineOfStdin();
  if (!process.stdin.isTTY)
    throw new UsageError('standard input is not a terminal: pass the password on it with --password-stdin');
  const first = await promptHidden(`Password for ${username} (at least 12 characters): `);
  const second = await promptHidden('The same password again: ');
  if (first !== second) throw new UsageError('the two passwords differ: nothing was changed');
  return first;
}

/** The accounts methods `users` and `tokens` call. */
type AccountMethod = keyof ReturnType<typeof sharedAccountHandlers> & Method;
/** Calls one of them as the CLI user. */
export type AccountsCall = <M extends AccountMethod>(method: M, args: Args<M>) => Promise<Result<M>>;

/**
 * Runs `fn` against the data folder's accounts, or with `--database URL` against the shared
 * server's accounts on PostgreSQL: the same contract methods, validation and refusals either way.
 */
export async function withAccounts(ctx: Ctx, o: Opts, fn: (call: AccountsCall) => Promise<number>): Promise<number> {
  const url = databaseOption(o);
  if (url === undefined) return withCore(ctx, (core) => fn((method, args) => call(core, method, args)));
  return withDatabase(url, (store) => {
    const handlers = sharedAccountHandlers(createSharedAccounts(store)) as unknown as Handlers;
    return fn(async (method, args) => {
      const r = await dispatch(handlers, method, args, localCaller('cli'));
      if (!r.ok) throw new CallFailed(r.error);
      return r.value as Result<typeof method>;
    });
  });
}

const userName = (name: string | undefined, rest: string[], usage: string): string => {
  if (!name) throw new UsageError(`${usage} needs a user NAME`);
  if (rest.length > 0) throw new UsageError(`${usage} takes one user NAME (got "${rest[0]}" too)`);
  return name;
};

function printUsers(list: UserSummary[], shared: boolean): void {
  if (list.length === 0)
    return console.log(
      shared
        ? 'No users: nobody can sign in to the shared server yet. Add the first admin with "users add NAME --role admin".'
        : 'No users: the server opens as the local admin on 127.0.0.1 only. Add one with "users add".',
    );
  printTable(
    ['Name', 'Role', 'Status', 'Created', 'Last sign-in', 'Sessions'],
    list.map((u) => [
      u.username,
      u.role,
      u.disabled ? 'disabled' : 'enabled',
      u.createdAt,
      u.lastLoginAt ?? 'never',
      String(u.activeSessions),
    ]),
  );
}

export const usersCommand: Command = {
  name: 'users',
  help: `  users add NAME --role viewer|manager|admin [--password-stdin]
                                    add a user of the server (password typed twice, or stdin's first line)
  users list | passwd NAME [--password-stdin] | disable NAME | enable NAME | remove NAME
                                    the users; a new password; stop or allow sign-in; remove a user
  users … --database postgres://USER@HOST:PORT/DB
                                    the same, on the shared server's accounts (PostgreSQL)`,
  options: { role: { type: 'string' }, 'password-stdin': { type: 'boolean' }, database: { type: 'string' } },
  async run(ctx, [sub, name, ...rest], o) {
    databaseOption(o); // a wrong --database is said before a password is asked for
    if (sub === 'list') {
      if (name !== undefined) throw new UsageError(`users list takes no arguments (got "${name}")`);
      return withAccounts(ctx, o, async (call) => {
        const list = await call('users.list', {});
        out(ctx, list, () => printUsers(list, databaseOption(o) !== undefined));
        return 0;
      });
    }
    if (sub === 'add') {
      const username = userName(name, rest, 'users add');
      const role = roleOption(o, 'users add');
      const password = await readPassword(o, username);
      return withAccounts(ctx, o, async (call) => {
        const u = await call('users.create', { username, role, password });
        out(ctx, u, () => console.log(`Added ${u.role} "${u.username}".`));
        return 0;
      });
    }
    if (sub === 'passwd') {
      const username = userName(name, rest, 'users passwd');
      const password = await readPassword(o, username);
      return withAccounts(ctx, o, async (call) => {
        const u = await call('users.update', { username, password });
        out(ctx, u, () => console.log(`Changed the password of "${u.username}" and signed them out everywhere.`));
        return 0;
      });
    }
    if (sub === 'disable' || sub === 'enable') {
      const username = userName(name, rest, `users ${sub}`);
      return withAccounts(ctx, o, async (call) => {
        const u = await call('users.update', { username, disabled: sub === 'disable' });
        out(ctx, u, () =>
          console.log(
            sub === 'disable'
              ? `Disabled "${u.username}": they cannot sign in and were signed out everywhere.`
              : `Enabled "${u.username}": they can sign in again.`,
          ),
        );
        return 0;
      });
    }
    if (sub === 'remove') {
      const username = userName(name, rest, 'users remove');
      return withAccounts(ctx, o, async (call) => {
        const r = await call('users.remove', { username });
        out(ctx, r, () => console.log(`Removed "${username}" and their sessions.`));
        return 0;
      });
    }
    throw new UsageError(`users needs add, list, passwd, disable, enable or remove${sub ? `, not "${sub}"` : ''}`);
  },
};
