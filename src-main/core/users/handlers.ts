/** Contract methods of accounts: who is calling (`auth.me`), users and API tokens (admin). */
import type { Handlers } from '../../../src-shared/contract/api';
import type { Services } from '../services';

export const userHandlers = (s: Services) =>
  ({
    'auth.me': (_a, ctx) => ({
      name: ctx.name ?? null,
      role: ctx.role,
      via: ctx.via ?? 'local',
      signInRequired: ctx.signInRequired ?? false,
    }),
    'users.list': () => s.auth.listUsers(),
    'users.create': (a) => s.auth.createUser(a.username, a.role, a.password),
    'users.update': (a) => s.auth.updateUser(a.username, { role: a.role, password: a.password, disabled: a.disabled }),
    'users.remove': (a) => s.auth.removeUser(a.username),
    'tokens.list': () => s.auth.listTokens(),
    'tokens.create': (a, ctx) => s.auth.createToken(a.name, a.role, ctx.name ?? ctx.actor),
    'tokens.revoke': (a) => s.auth.revokeToken(a.name),
  }) satisfies Partial<Handlers>;
