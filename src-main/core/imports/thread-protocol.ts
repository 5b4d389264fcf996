/** Messages between the import queue and its worker thread, and how failures are classified. */
import { CancelledError, InterruptedError, LostClaimError, UnreadableFileError, type UnreadableKind } from './errors';

export interface ThreadRequest {
  dbPath: string;
  jobId: number;
  owner: string;
  /** Shared with the host: set to 1 when it shuts down, so the job stops after the chunk it is committing. */
  stop: Int32Array;
}

export type FailureKind = 'unreadable' | 'cancelled' | 'interrupted' | 'lost' | 'transient';

export type ThreadMessage =
  | { type: 'progress'; bytesDone: number; rowsRead: number }
  | { type: 'done' }
  | { type: 'failed'; kind: FailureKind; message: string; fileKind?: UnreadableKind };

export function classifyFailure(e: unknown): { kind: FailureKind; message: string; fileKind?: UnreadableKind } {
  const message = e instanceof Error ? e.message : String(e);
  if (e instanceof UnreadableFileError) return { kind: 'unreadable', message, fileKind: e.kind };
  if (e instanceof CancelledError) return { kind: 'cancelled', message };
  if (e instanceof InterruptedError) return { kind: 'interrupted', message };
  if (e instanceof LostClaimError) return { kind: 'lost', message };
  return { kind: 'transient', message };
}
