/**
 * The audit log, applied from the contract: a method whose contract entry has `audit` gets its
 * successful calls written (who, when, the action, its details) — no handler writes it by hand.
 */
import type Database from 'better-sqlite3';
import { contract, type AuditEntry, type Handlers, type Method } from '../../../src-shared/contract/api';
import type { Clock } from '../clock';

export function withAudit(handlers: Handlers, sqlite: Database.Database, clock: Clock): Handlers {
  const insert = sqlite.prepare('INSERT INTO audit_log (at, actor, action, details) VALUES (?, ?, ?, ?)');
  const out: Record<string, unknown> = { ...handlers };
  for (const m of Object.keys(contract) as Method[]) {
    const spec = contract[m].audit as true | ((args: unknown, result: unknown) => AuditEntry | null) | undefined;
    if (!spec) continue;
    const h = handlers[m] as (a: unknown, ctx: { actor: string }) => unknown;
    out[m] = async (a: unknown, ctx: { actor: string }) => {
      const result = await h(a, ctx);
      const entry = spec === true ? { details: a } : spec(a, result);
      if (entry)
        insert.run(
          Math.floor(clock.now() / 1000),
          ctx.actor,
          entry.action ?? m,
          entry.details === null ? null : JSON.stringify(entry.details),
        );
      return result;
    };
  }
  return out as Handlers;
}
