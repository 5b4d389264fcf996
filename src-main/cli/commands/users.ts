/**
 * `eclectyc users …`: the server's user accounts (add, list, passwd, disable, enable, remove). A
 * password is typed at a prompt that does not echo (twice), or read from the first line of standard
 * input with `--password-stdin`; it is never an argument (other users would see it in `ps`).
 */
import type { Role, UserSummary } from '../../../src-shared/contract/types';
import { call, out, str, UsageError, withCore, type Command, type Opts } from '../command';
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

const userName = (name: string | undefined, rest: string[], usage: string): string => {
  if (!name) throw new UsageError(`${usage} needs a user NAME`);
  if (rest.length > 0) throw new UsageError(`${usage} takes one user NAME (got "${rest[0]}" too)`);
  return name;
};

function printUsers(list: UserSummary[]): void {
  if (list.length === 0)
    return console.log('No users: the server opens as the local admin on 127.0.0.1 only. Add one with "users add".');
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
                                    the users; a new password; stop or allow sign-in; remove a user`,
  options: { role: { type: 'string' }, 'password-stdin': { type: 'boolean' } },
  async run(ctx, [sub, name, ...rest], o) {
    if (sub === 'list') {
      if (name !== undefined) throw new UsageError(`users list takes no arguments (got "${name}")`);
      return withCore(ctx, async (core) => {
        const list = await call(core, 'users.list', {});
        out(ctx, list, () => printUsers(list));
        return 0;
      });
    }
    if (sub === 'add') {
      const username = userName(name, rest, 'users add');
      const role = roleOption(o, 'users add');
      const password = await readPassword(o, username);
      return withCore(ctx, async (core) => {
        const u = await call(core, 'users.create', { username, role, password });
        out(ctx, u, () => console.log(`Added ${u.role} "${u.username}".`));
        return 0;
      });
    }
    if (sub === 'passwd') {
      const username = userName(name, rest, 'users passwd');
      const password = await readPassword(o, username);
      return withCore(ctx, async (core) => {
        const u = await call(core, 'users.update', { username, password });
        out(ctx, u, () => console.log(`Changed the password of "${u.username}" and signed them out everywhere.`));
        return 0;
      });
    }
    if (sub === 'disable' || sub === 'enable') {
      const username = userName(name, rest, `users ${sub}`);
      return withCore(ctx, async (core) => {
        const u = await call(core, 'users.update', { username, disabled: sub === 'disable' });
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
      return withCore(ctx, async (core) => {
        const r = await call(core, 'users.remove', { username });
        out(ctx, r, () => console.log(`Removed "${username}" and their sessions.`));
        return 0;
      });
    }
    throw new UsageError(`users needs add, list, passwd, disable, enable or remove${sub ? `, not "${sub}"` : ''}`);
  },
};
