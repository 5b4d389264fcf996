/**
 * Runs one claimed job: on the import thread when there is one (so the host keeps answering), on
 * this thread otherwise, and on this thread from then on if the thread cannot start here (e.g. a
 * packaged app's loader). The queue decides what an outcome means.
 */
import type Database from 'better-sqlite3';
import { Worker } from 'node:worker_threads';
import type { Logger } from '../events';
import type { UnreadableKind } from './errors';
import { runImport, type JobRow } from './run-import';
import { classifyFailure, type FailureKind, type ThreadMessage, type ThreadRequest } from './thread-protocol';

export type Outcome =
  { kind: 'done' } | { kind: FailureKind | 'no-thread'; message: string; fileKind?: UnreadableKind | undefined };
export type OnProgress = (p: { bytesDone: number; rowsRead: number }) => void;

export interface RunnerOptions {
  /**
   * Bundled worker-thread script (dist/import-worker.cjs); without it jobs run on this thread, yielding between chunks.
   */
  threadScript?: string | null;
  /**
   * The same script, for parsing large files on a thread of their own while a job stores them (both cores); null parses
   * inline.
   */
  parseWorker?: string | null;
  dbPath: string;
}

export class JobRunner {
  private worker: Worker | null = null;
  private threadBroken = false;
  /** 1 once the host shuts down; shared with the import thread, read after every committed chunk. */
  private readonly stopFlag = new Int32Array(new SharedArrayBuffer(4));

  constructor(
    private readonly sqlite: Database.Database,
    private readonly owner: string,
    private readonly log: Logger,
    private readonly opts: RunnerOptions,
    /** The job's row as it is now (re-read: a resumed job carries on from its last chunk). */
    private readonly row: (id: number) => JobRow,
  ) {}

  async run(id: number, onProgress: OnProgress): Promise<Outcome> {
    const outcome = this.threadUsable() ? await this.runInThread(id, onProgress) : await this.runInline(id, onProgress);
    if (outcome.kind !== 'no-thread') return outcome;
    this.log.warn(`import thread unavailable (${outcome.message}); importing on the main thread`);
    this.threadBroken = true;
    return this.runInline(id, onProgress);
  }

  /** Asks the running job (and any later one) to stop after the chunk it is committing. */
  interrupt(): void {
    Atomics.store(this.stopFlag, 0, 1);
  }

  async stop(): Promise<void> {
    if (this.worker) {
      await this.worker.terminate();
      this.worker = null;
    }
  }

  private async runInline(id: number, onProgress: OnProgress): Promise<Outcome> {
    try {
      await runImport(this.sqlite, this.row(id), this.owner, onProgress, {
        parseWorker: this.threadBroken ? null : (this.opts.parseWorker ?? null),
        dbPath: this.opts.dbPath,
        shouldStop: () => Atomics.load(this.stopFlag, 0) === 1,
      });
      return { kind: 'done' };
    } catch (e) {
      return classifyFailure(e);
    }
  }

  private threadUsable(): boolean {
    return !!this.opts.threadScript && !this.threadBroken;
  }

  private runInThread(id: number, onProgress: OnProgress): Promise<Outcome> {
    if (!this.worker) {
      try {
        this.worker = new Worker(this.opts.threadScript!);
      } catch (e) {
        return Promise.resolve({ kind: 'no-thread', message: (e as Error).message });
      }
      this.worker.unref();
    }
    const w = this.worker;
    let heard = false;
    return new Promise((resolve) => {
      const onMessage = (m: ThreadMessage): void => {
        heard = true;
        if (m.type === 'progress') return onProgress(m);
        cleanup();
        resolve(m.type === 'done' ? { kind: 'done' } : { kind: m.kind, message: m.message, fileKind: m.fileKind });
      };
      const onError = (e: Error): void => {
        cleanup();
        this.worker = null;
        resolve(
          heard
            ? { kind: 'transient', message: `the import thread stopped: ${e.message}` }
            : { kind: 'no-thread', message: e.message },
        );
      };
      const onExit = (code: number): void => onError(new Error(`exit code ${code}`));
      const cleanup = (): void => {
        w.off('message', onMessage);
        w.off('error', onError);
        w.off('exit', onExit);
      };
      w.on('message', onMessage);
      w.on('error', onError);
      w.on('exit', onExit);
      w.postMessage({
        dbPath: this.opts.dbPath,
        jobId: id,
        owner: this.owner,
        stop: this.stopFlag,
      } satisfies ThreadRequest);
    });
  }
}
