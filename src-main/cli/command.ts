/**
 * What every CLI command shares: its shape (`Command`), the run context, output (`--json` or human
 * text), the core it opens on the data folder, and contract calls as the CLI user. A command is a
 * contract client: it validates nothing zod already checks and reaches the core only through
 * `call()`.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Args, Method, Result } from '../../src-shared/contract/api';
import type { AppErrorPayload } from '../../src-shared/contract/errors';
import { createCore, type Core } from '../core/app';
import { silentLogger, stderrLogger } from '../core/events';
import { localCaller } from '../core/rpc/caller';
import { dispatch } from '../core/rpc/dispatch';
import { APP_VERSION } from '../version';

export interface Ctx {
  json: boolean;
  dataDir: string;
  carbonApi?: string;
  weatherApi?: string;
}

/** The parsed options of a command line (`--name value` strings and `--flag` booleans). */
export type Opts = Readonly<Record<string, string | boolean | undefined>>;

export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
}

export interface Command {
  name: string;
  /** This command's lines in `eclectyc --help`: its usage, then what it does. */
  help: string;
  /** The options it takes besides those every command takes. */
  options?: Record<string, OptionSpec>;
  /** Runs with the positional arguments after the command's name; resolves with the exit code. */
  run(ctx: Ctx, args: string[], o: Opts): Promise<number>;
}

/** The command line was wrong: exit code 2, with a pointer to --help. */
export class UsageError extends Error {}

/** A contract call that failed (not found, conflict, invalid arguments…): exit code 1, the error's code kept. */
export class CallFailed extends Error {
  constructor(readonly error: AppErrorPayload) {
    super(error.message);
  }
}

/** A string option's value (undefined when absent). */
export const str = (o: Opts, name: string): string | undefined => (typeof o[name] === 'string' ? o[name] : undefined);

/** Prints `value` as JSON with --json, otherwise runs `human`. */
export function out(ctx: Ctx, value: unknown, human: () => void): void {
  if (ctx.json) process.stdout.write(JSON.stringify(value, null, 2) + '\n');
  else human();
}

/** Opens the core on the data folder for the length of `fn`. */
export async function withCore<T>(ctx: Ctx, fn: (core: Core) => Promise<T>): Promise<T> {
  const worker = path.join(__dirname, 'import-worker.cjs');
  const core = await createCore({
    dataDir: ctx.dataDir,
    host: 'cli',
    version: APP_VERSION,
    log: ctx.json ? silentLogger : stderrLogger,
    workerScript: fs.existsSync(worker) ? worker : null,
    ...(ctx.carbonApi ? { carbonApi: ctx.carbonApi } : {}),
    ...(ctx.weatherApi ? { weatherApi: ctx.weatherApi } : {}),
  });
  try {
    return await fn(core);
  } finally {
    await core.stop();
  }
}

/** Calls a contract method as the CLI user; a failed reply is thrown as CallFailed. */
export async function call<M extends Method>(core: Core, method: M, args: Args<M>): Promise<Result<M>> {
  const r = await dispatch(core.handlers, method, args, localCaller('cli'), core.log);
  if (!r.ok) throw new CallFailed(r.error);
  return r.value as Result<M>;
}

/** A text file named on the command line (a missing one is a usage error). */
export function readText(file: string): string {
  try {
    return fs.readFileSync(path.resolve(file), 'utf8');
  } catch (e) {
    throw new UsageError(
      `cannot read ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`,
    );
  }
}

/** A secret from the environment variable an option names (the value itself never goes on a command line). */
export function secretFromEnv(o: Opts, option: string): string | undefined {
  const name = str(o, option);
  if (name === undefined) return undefined;
  const v = process.env[name];
  if (!v) throw new UsageError(`--${option} names ${name}, but that environment variable is not set (or is empty)`);
  return v;
}

/** The private key in the file `--key-file` names, if it is given. */
export function keyFromFile(o: Opts): string | undefined {
  const keyFile = str(o, 'key-file');
  if (keyFile === undefined) return undefined;
  try {
    return fs.readFileSync(path.resolve(keyFile), 'utf8');
  } catch (e) {
    throw new UsageError(
      `cannot read the key file ${keyFile}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
    );
  }
}

/** Resolves when the process is asked to stop (Ctrl+C or a service manager's SIGTERM). */
export function untilStopped(): Promise<void> {
  return new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
}
