/** Why an import stopped, when it did not finish. */

/** The file can never be imported as it is (binary, no header, wrong format): retrying will not help. */
export class UnreadableFileError extends Error {}

/** The user cancelled the job. */
export class CancelledError extends Error {}

/** Another process took the job over (this one was presumed dead): stop without touching it. */
export class LostClaimError extends Error {}
