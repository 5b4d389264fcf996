/** The closed set of error codes every transport returns as data. */

export const ERROR_CODES = [
  'UNKNOWN_METHOD', // no such method in the contract
  'INVALID_ARGS', // arguments failed validation (details lists the issues)
  'UNAUTHENTICATED', // the server needs to know who is calling: sign in, or send a valid token
  'FORBIDDEN', // the caller's role is below the method's least role
  'NOT_FOUND', // the named meter, job or file does not exist
  'CONFLICT', // the request clashes with stored data
  'BAD_INPUT', // a file or value could not be used (the message says why and where)
  'UNAVAILABLE', // a dependency (network, disk) is not reachable now
  'INTERNAL', // a bug: logged with its stack, shown as a generic message
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface AppErrorPayload {
  code: ErrorCode;
  message: string;
  details?: unknown;
}

/** An expected failure, thrown by handlers and turned into data by dispatch(). */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;
  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }
  /** The error a failed reply carried, rebuilt on the caller's side (renderer, CLI, tests). */
  static from(payload: AppErrorPayload): AppError {
    return new AppError(payload.code, payload.message, payload.details);
  }
}

/**
 * Structured details of the expected failures each host words itself (the CLI with a command to
 * run, the UI with a link to the place to fix it), told apart by `reason`.
 */
export interface NoTariffDetails {
  reason: 'no-tariff';
  /** The meter, and the first UK day (YYYY-MM-DD) nothing prices. */
  meter: string;
  from: string;
  /** The meter's first tariff assignment (YYYY-MM-DD), if it has any. */
  firstAssignment: string | null;
  supplier: string | null;
}

/** The `reason` of an error's details, when it has one. */
export function errorReason(details: unknown): string | null {
  if (typeof details !== 'object' || details === null) return null;
  const r = (details as { reason?: unknown }).reason;
  return typeof r === 'string' ? r : null;
}

/** True for a no-tariff failure's details. */
export function isNoTariff(details: unknown): details is NoTariffDetails {
  return errorReason(details) === 'no-tariff';
}

/**
 * Whether trying the same call again could succeed: a dependency that was not reachable
 * (UNAVAILABLE) or an unexpected failure (INTERNAL). Missing data, bad input, a clash or a refusal
 * stays as it is until someone changes something, so no "Retry" is offered for them.
 */
export function retryMayHelp(code: ErrorCode | string | null | undefined): boolean {
  return code === 'UNAVAILABLE' || code === 'INTERNAL' || code === null || code === undefined;
}

export function isErrorCode(x: unknown): x is ErrorCode {
  return typeof x === 'string' && (ERROR_CODES as readonly string[]).includes(x);
}
