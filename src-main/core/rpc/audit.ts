/**
 * The audit log, applied from the contract: a method whose contract entry has `audit` gets every
 * call written once it has ended — who (the caller's actor: a user, a token, or the person at this
 * machine), when, the action, its details, and the outcome (`ok`, or the error code it failed
 * with) — so a refused or failed action never looks done. No handler writes it by hand.
 * `auditList` reads it back (`audit.list`, `eclectyc audit`).
 */
import type Database from 'better-sqlite3';
import { contract, type AuditEntry, type Args, type Handlers, type Method } from '../../../src-shared/contract/api';
import { AppError } from '../../../src-shared/contract/errors';
import type { AuditRecord } from '../../../src-shared/contract/types';
import { dayFromDate, dayStartUtc } from '../../../src-shared/domain/periods';
import { isoUtc } from '../../../src-shared/domain/london-time';
import type { Clock } from '../clock';

type AuditSpec = true | ((args: unknown, result: unknown) => AuditEntry | null);

/**
 * Set on the handlers withAudit returns: records a call dispatch refused before any handler ran (a
 * role too low, arguments that failed validation) for a method the audit log covers — an attempt
 * to change something is worth knowing about even when it was stopped.
 */
export const AUDIT_REFUSED = Symbol('auditRefused');
export type RefusalRecorder = (m: Method, ctx: { actor: string }, code: string, args: unknown) => void;

/** The entry for a call that failed: the details the contract names that need no result (none if all do). */
function failedEntry(m: Method, spec: AuditSpec, args: unknown): AuditEntry {
  if (spec === true) return { details: args };
  try {
    return spec(args, {}) ?? { action: m, details: null };
  } catch {
    return { action: m, details: null };
  }
}

/** Writes one entry that no contract method makes (signing in and out: the HTTP host's own routes). */
export function writeAudit(
  sqlite: Database.Database,
  clock: Clock,
  e: { actor: string; action: string; details: unknown; outcome: string },
): void {
  sqlite
    .prepare('INSERT INTO audit_log (at, actor, action, details, outcome) VALUES (?, ?, ?, ?, ?)')
    .run(Math.floor(clock.now() / 1000), e.actor, e.action, JSON.stringify(e.details), e.outcome);
}

/**
 * The handlers with the audit log applied. `onWrite` runs after each call of an audited method that
 * succeeded: those are the ones that change data (the sync status counts what waits to be sent).
 */
export function withAudit(
  handlers: Handlers,
  sqlite: Database.Database,
  clock: Clock,
  onWrite?: (m: Method) => void,
): Handlers {
  const insert = sqlite.prepare('INSERT INTO audit_log (at, actor, action, details, outcome) VALUES (?, ?, ?, ?, ?)');
  const write = (actor: string, m: Method, entry: AuditEntry, outcome: string): void => {
    insert.run(
      Math.floor(clock.now() / 1000),
      actor,
      entry.action ?? m,
      entry.details === null || entry.details === undefined || JSON.stringify(entry.details) === '{}'
        ? null
        : JSON.stringify(entry.details),
      outcome,
    );
  };
  const out: Record<string, unknown> = { ...handlers };
  for (const m of Object.keys(contract) as Method[]) {
    const spec = contract[m].audit as AuditSpec | undefined;
    if (!spec) continue;
    const h = handlers[m] as (a: unknown, ctx: { actor: string }) => unknown;
    out[m] = async (a: unknown, ctx: { actor: string }) => {
      let result: unknown;
      try {
        result = await h(a, ctx);
      } catch (e) {
        write(ctx.actor, m, failedEntry(m, spec, a), e instanceof AppError ? e.code : 'INTERNAL');
        throw e;
      }
      const entry = spec === true ? { details: a } : spec(a, result);
      if (entry) write(ctx.actor, m, entry, 'ok');
      onWrite?.(m);
      return result;
    };
  }
  const refused: RefusalRecorder = (m, ctx, code, args) => {
    const spec = contract[m].audit as AuditSpec | undefined;
    // named by the method actually called (imports.enqueuePaths, not the action its success records)
    if (spec) write(ctx.actor, m, { ...failedEntry(m, spec, args), action: m }, code);
  };
  out[AUDIT_REFUSED as unknown as string] = refused;
  return out as Handlers;
}

type Row = { id: number; at: number; actor: string; action: string; details: string | null; outcome: string };

const like = (s: string): string => s.replace(/[\\%_]/g, (c) => '\\' + c);

/**
 * Entries newest first. `since`: from the start of that UK day; `actor`: that name, or a local
 * person by name (`anna` matches `anna (desktop)`); `action`: that action or its group (`imports`
 * matches `imports.enqueue`); `outcome`: `ok`, or `failed` (any error code).
 */
export function auditList(sqlite: Database.Database, a: Args<'audit.list'>): AuditRecord[] {
  const where: string[] = [];
  const params: (string | number)[] = [];
  if (a.since !== undefined) {
    const [y, mo, d] = a.since.split('-').map(Number) as [number, number, number];
    where.push('at >= ?');
    params.push(dayStartUtc(dayFromDate(y, mo, d)));
  }
  if (a.actor !== undefined) {
    where.push("(actor = ? OR actor LIKE ? ESCAPE '\\')");
    params.push(a.actor, `${like(a.actor)} (%`);
  }
  if (a.action !== undefined) {
    where.push("(action = ? OR action LIKE ? ESCAPE '\\')");
    params.push(a.action, `${like(a.action)}.%`);
  }
  if (a.outcome === 'ok') where.push("outcome = 'ok'");
  else if (a.outcome === 'failed') where.push("outcome != 'ok'");
  const rows = sqlite
    .prepare(
      `SELECT id, at, actor, action, details, outcome FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY id DESC LIMIT ?`,
    )
    .all(...params, a.limit ?? 200) as Row[];
  return rows.map((r) => ({
    id: r.id,
    at: isoUtc(r.at),
    actor: r.actor,
    action: r.action,
    details: r.details === null ? null : (JSON.parse(r.details) as unknown),
    outcome: r.outcome,
  }));
}
