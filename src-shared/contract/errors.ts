/** The closed set of error codes every transport returns as data. */

export const ERROR_CODES = [
  'UNKNOWN_METHOD', // no such method in the contract
  'INVALID_ARGS', // arguments failed validation (details lists the issues)
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

export function isErrorCode(x: unknown): x is ErrorCode {
  return typeof x === 'string' && (ERROR_CODES as readonly string[]).includes(x);
}
