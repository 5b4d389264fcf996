/** Messages between the import queue and its worker thread, and how failures are classified. */
import { CancelledError, LostClaimError, UnreadableFileError, type UnreadableKind } from './errors';

export interface ThreadRequest {
  dbPath: string;
  jobId: number;
  owner: string;
}

export type FailureKind = 'unreadable' | 'cancelled' | 'lost' | 'transient';

export type ThreadMessage =
  | { type: 'progress'; bytesDone: number; rowsRead: number }
  | { type: 'done' }
  | { type: 'failed'; kind: FailureKind; message: string; fileKind?: UnreadableKind };

export function classifyFailure(e: unknown): { kind: FailureKind; message: string; fileKind?: UnreadableKind } {
  const message = e instanceof Error ? e.message : String(e);
  if (e instanceof UnreadableFileError) return { kind: 'unreadable', message, fileKind: e.kind };
  if (e instanceof CancelledError) return { kind: 'cancelled', message };
  if (e instanceof LostClaimError) return { kind: 'lost', message };
  return { kind: 'transient', message };
}
