/**
 * `eclectyc tokens …`: API tokens for automation (`Authorization: Bearer …`). `create` prints the
 * token this once — it is stored only hashed; `list` shows when each was last used.
 */
import type { TokenSummary } from '../../../src-shared/contract/types';
import { out, str, UsageError, type Command } from '../command';
import { printTable } from '../format';
import { roleOption, withAccounts } from './users';

function printTokens(list: TokenSummary[]): void {
  if (list.length === 0) return console.log('No API tokens. Make one with "tokens create --name N --role R".');
  printTable(
    ['Name', 'Role', 'Created', 'By', 'Last used', 'Revoked'],
    list.map((t) => [t.name, t.role, t.createdAt, t.createdBy, t.lastUsedAt ?? 'never', t.revokedAt ?? '']),
  );
}

export const tokensCommand: Command = {
  name: 'tokens',
  help: `  tokens create --name N --role viewer|manager|admin
                                    make an API token; it is printed this once
  tokens list | revoke NAME         the tokens (last used, revoked); refuse a token from now on
  tokens … --database postgres://USER@HOST:PORT/DB
                                    the same, on the shared server's tokens (PostgreSQL)`,
  options: { name: { type: 'string' }, role: { type: 'string' }, database: { type: 'string' } },
  async run(ctx, [sub, ...args], o) {
    if (sub === 'create') {
      if (args.length > 0) throw new UsageError(`tokens create takes no arguments (got "${args[0]}"): use --name`);
      const name = str(o, 'name');
      if (!name) throw new UsageError('tokens create needs --name N, e.g. --name "nightly export"');
      const role = roleOption(o, 'tokens create');
      return withAccounts(ctx, o, async (call) => {
        const t = await call('tokens.create', { name, role });
        out(ctx, t, () => {
          console.error(`API token "${t.name}" (${t.role}). It is shown this once: keep it somewhere safe.`);
          console.log(t.token);
        });
        return 0;
      });
    }
    if (sub === 'list') {
      if (args.length > 0) throw new UsageError(`tokens list takes no arguments (got "${args[0]}")`);
      return withAccounts(ctx, o, async (call) => {
        const list = await call('tokens.list', {});
        out(ctx, list, () => printTokens(list));
        return 0;
      });
    }
    if (sub === 'revoke') {
      const [name, ...rest] = args;
      if (!name) throw new UsageError('tokens revoke needs the token NAME (see "eclectyc tokens list")');
      if (rest.length > 0)
        throw new UsageError(`tokens revoke takes one NAME (got "${rest[0]}" too): quote a name with spaces`);
      return withAccounts(ctx, o, async (call) => {
        const r = await call('tokens.revoke', { name });
        out(ctx, r, () =>
          console.log(r.revoked ? `Revoked the API token "${name}".` : `The API token "${name}" was revoked already.`),
        );
        return 0;
      });
    }
    throw new UsageError(`tokens needs create, list or revoke${sub ? `, not "${sub}"` : ''}`);
  },
};
