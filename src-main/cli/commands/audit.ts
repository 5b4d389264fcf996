/** `eclectyc audit`: the audit log, newest first — who did what, when, and how it ended. */
import { call, out, str, UsageError, withCore, type Command } from '../command';
import { printTable } from '../format';

export const auditCommand: Command = {
  name: 'audit',
  help:
    '  audit [--since DATE] [--user U] [--action A] [--failed] [--limit N]\n' +
    '                                    the audit log, newest first (admin)',
  options: {
    since: { type: 'string' },
    user: { type: 'string' },
    action: { type: 'string' },
    failed: { type: 'boolean' },
    limit: { type: 'string' },
  },
  async run(ctx, _args, o) {
    const limitText = str(o, 'limit');
    const limit = limitText === undefined ? undefined : Number(limitText);
    if (limit !== undefined && !Number.isInteger(limit))
      throw new UsageError(`--limit must be a whole number, not "${limitText}"`);
    return withCore(ctx, async (core) => {
      const entries = await call(core, 'audit.list', {
        ...(str(o, 'since') !== undefined ? { since: str(o, 'since') } : {}),
        ...(str(o, 'user') !== undefined ? { actor: str(o, 'user') } : {}),
        ...(str(o, 'action') !== undefined ? { action: str(o, 'action') } : {}),
        ...(o.failed === true ? { outcome: 'failed' as const } : {}),
        ...(limit !== undefined ? { limit } : {}),
      });
      out(ctx, entries, () => {
        if (entries.length === 0) return console.log('No audit entries.');
        printTable(
          ['When (UTC)', 'Who', 'Action', 'Outcome', 'Details'],
          entries.map((e) => [
            e.at,
            e.actor,
            e.action,
            e.outcome,
            e.details === null ? '' : JSON.stringify(e.details).slice(0, 100),
          ]),
        );
      });
      return 0;
    });
  },
};
