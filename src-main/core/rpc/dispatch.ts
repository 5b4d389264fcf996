/**
 * The one place where calls are validated, authorised and where every error becomes data.
 * Every host (Electron IPC, HTTP, CLI, the in-memory test transport) calls dispatch().
 */
import { ZodError } from 'zod';
import {
  contract,
  isMethod,
  type CallContext,
  type Handlers,
  type MethodSpec,
  type Reply,
} from '../../../src-shared/contract/api';
import { AppError, type AppErrorPayload } from '../../../src-shared/contract/errors';
import { ROLE_RANK } from '../../../src-shared/contract/types';
import type { Logger } from '../events';
import { AUDIT_REFUSED, type RefusalRecorder } from './audit';

const capitalise = (m: string): string => m.charAt(0).toUpperCase() + m.slice(1);

export function toAppError(e: unknown, log?: Logger): AppErrorPayload {
  if (e instanceof AppError)
    return { code: e.code, message: e.message, ...(e.details !== undefined ? { details: e.details } : {}) };
  if (e instanceof ZodError) {
    const issues = e.issues.map((i) => ({ path: i.path.join('.'), message: capitalise(i.message) }));
    return {
      code: 'INVALID_ARGS',
      // a sentence first, the field it is about after it ("Meter id is required (meter)"); forms
      // use details to put each message beside its field
      message: issues.map((i) => `${i.message}${i.path ? ` (${i.path})` : ''}`).join('; '),
      details: issues,
    };
  }
  log?.error('unexpected error', e);
  return { code: 'INTERNAL', message: 'Something went wrong inside the app; the details are in the log.' };
}

export async function dispatch(
  handlers: Handlers,
  method: string,
  args: unknown,
  ctx: CallContext,
  log?: Logger,
): Promise<Reply<unknown>> {
  if (typeof method !== 'string' || !isMethod(method)) {
    return { ok: false, error: { code: 'UNKNOWN_METHOD', message: `unknown method "${String(method).slice(0, 80)}"` } };
  }
  const spec = contract[method] as Pick<MethodSpec, 'role' | 'localOnly' | 'body'>;
  const refuse = (error: AppErrorPayload): Reply<unknown> => {
    (handlers as unknown as Record<symbol, RefusalRecorder | undefined>)[AUDIT_REFUSED]?.(
      method,
      ctx,
      error.code,
      args,
    );
    return { ok: false, error };
  };
  if (ROLE_RANK[ctx.role] < ROLE_RANK[spec.role])
    return refuse({
      code: 'FORBIDDEN',
      message: `${method} needs the ${spec.role} role; you are signed in as ${ctx.role}`,
    });
  if (spec.localOnly && !ctx.inProcess)
    return refuse({
      code: 'FORBIDDEN',
      message: method.startsWith('sync.')
        ? `${method} changes this machine's link to a shared server, so only the desktop app and the command line may call it`
        : `${method} reads files on the app's own machine, so only the desktop app and the command line may call it; upload the files instead`,
    });
  if (spec.body && !ctx.body) {
    return {
      ok: false,
      error: {
        code: 'INVALID_ARGS',
        message: `${method} takes the file's bytes as the body of the call (POST /upload?name=…)`,
      },
    };
  }
  let parsed: unknown;
  try {
    parsed = contract[method].args.parse(args ?? {});
  } catch (e) {
    return refuse(toAppError(e, log));
  }
  try {
    const h = handlers[method] as (a: unknown, c: CallContext) => unknown;
    return { ok: true, value: await h(parsed, ctx) };
  } catch (e) {
    return { ok: false, error: toAppError(e, log) };
  }
}
