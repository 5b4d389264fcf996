/** Why an import stopped, when it did not finish. */

import type { ImportFailureKind } from '../../../src-shared/domain/import-outcome';

/** Why a file can never be imported as it is. */
export type UnreadableKind = Exclude<ImportFailureKind, 'transient'>;

/** The file can never be imported as it is (binary, no header, wrong format): retrying will not help. */
export class UnreadableFileError extends Error {
  constructor(
    message: string,
    readonly kind: UnreadableKind = 'not-meter-file',
  ) {
    super(message);
  }
}

/** The user cancelled the job. */
export class CancelledError extends Error {}

/** Another process took the job over (this one was presumed dead): stop without touching it. */
export class LostClaimError extends Error {}

/** The host is shutting down: the job stopped after its last committed chunk and resumes from there. */
export class InterruptedError extends Error {}
