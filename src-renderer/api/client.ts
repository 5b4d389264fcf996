/**
 * The renderer's one way to the core: typed calls over a transport, pushed events, and file
 * uploads (web mode). Failures become the contract's AppError,
 * with its code and details.
 */
import type { Args, Method, Result } from '../../src-shared/contract/api';
import { AppError } from '../../src-shared/contract/errors';
import type { EventName, Events, PushedEvent } from '../../src-shared/contract/events';
import type { StoredFile } from '../../src-shared/contract/types';
import type { ConnectionState, Transport } from './transport';

/** A person-readable message for anything caught. */
export function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message;
  return typeof e === 'string' ? e : 'Something went wrong.';
}

export interface UploadFailure {
  name: string;
  error: AppError;
}

export interface UploadResult {
  /** Null when no file could be stored, so nothing was queued. */
  batchId: string | null;
  jobIds: number[];
  stored: StoredFile[];
  failures: UploadFailure[];
}

export interface Client {
  readonly kind: Transport['kind'];
  /** True when this renderer must send files itself (web); false in the desktop app (the preload does). */
  readonly uploads: boolean;
  call<M extends Method>(method: M, args: Args<M>): Promise<Result<M>>;
  on(listener: (e: PushedEvent) => void): () => void;
  /** Listen to one event by name, with its typed payload. */
  onEvent<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void;
  onConnection(listener: (s: ConnectionState) => void): () => void;
  /** Web only: called when the host asks for sign-in (an HTTP 401); never in the desktop app. */
  onSignInNeeded(listener: () => void): () => void;
  /** After signing out: the event stream stops until `resume`. */
  pause(): void;
  /** After signing in: the event stream opens again at once. */
  resume(): void;
  /** Stores every file, then queues the stored ones as one batch with these imports.enqueue options. */
  uploadFiles(files: File[], opts: Omit<Args<'imports.enqueue'>, 'fileIds'>): Promise<UploadResult>;
  /** Web only: stores one file for a method that takes its `fileId` (a register). */
  uploadFile(file: File): Promise<StoredFile>;
}

export function createClient(transport: Transport): Client {
  const call = async <M extends Method>(method: M, args: Args<M>): Promise<Result<M>> => {
    let reply;
    try {
      reply = await transport.invoke(method, args);
    } catch (e) {
      throw new AppError('UNAVAILABLE', `Cannot reach the Eclectyc host (${errorMessage(e)})`);
    }
    if (!reply.ok) throw AppError.from(reply.error);
    return reply.value as Result<M>;
  };

  return {
    kind: transport.kind,
    uploads: typeof transport.upload === 'function',
    call,
    on: (listener) => transport.subscribe(listener),
    onEvent(event, listener) {
      return transport.subscribe((e) => {
        if (e.event === event) listener(e.payload as Events[typeof event]);
      });
    },
    onConnection: (listener) => transport.onConnection(listener),
    onSignInNeeded: (listener) => transport.onSignInNeeded?.(listener) ?? (() => undefined),
    pause: () => transport.pause?.(),
    resume: () => transport.resume?.(),
    async uploadFile(file) {
      if (!transport.upload)
        throw new AppError('UNAVAILABLE', 'This host brings files in itself; drop or pick them in the window');
      const r = await transport.upload(file);
      if (!r.ok) throw AppError.from(r.error);
      return r.value;
    },
    async uploadFiles(files, opts) {
      const upload = transport.upload;
      if (!upload)
        throw new AppError('UNAVAILABLE', 'This host brings files in itself; drop or pick them in the window');
      if (files.length === 0) return { batchId: null, jobIds: [], stored: [], failures: [] };
      const stored: StoredFile[] = [];
      const failures: UploadFailure[] = [];
      // One at a time: large meter files stream to disk on the host; parallel uploads only compete.
      for (const f of files) {
        try {
          const r = await upload(f);
          if (r.ok) stored.push(r.value);
          else failures.push({ name: f.name, error: AppError.from(r.error) });
        } catch (e) {
          failures.push({
            name: f.name,
            error: e instanceof AppError ? e : new AppError('UNAVAILABLE', errorMessage(e)),
          });
        }
      }
      if (stored.length === 0) return { batchId: null, jobIds: [], stored, failures };
      const { batchId, jobIds } = await call('imports.enqueue', { fileIds: stored.map((s) => s.fileId), ...opts });
      return { batchId, jobIds, stored, failures };
    },
  };
}
