/**
 * Runs a data source: takes its lease (one process at a time), records the run, and turns what it
 * finds into import jobs through the usual queue — files once each by content (a file seen again
 * unchanged, or the same bytes under another name, is skipped; a changed file is imported), files
 * still being written left for the next run, API windows fetched from the source's cursor. Once a
 * file's import has ended, the file is moved or deleted as the source says. Every kind plugs in
 * through the one map of kinds (`KINDS`).
 */
import crypto from 'node:crypto';
import path from 'node:path';
import { Readable } from 'node:stream';
import type Database from 'better-sqlite3';
import { AppError } from '../../../src-shared/contract/errors';
import type { ImportStatus, SourceKind, SourceRun } from '../../../src-shared/contract/types';
import { dayFromDate, isoDay, localDayOf } from '../../../src-shared/domain/periods';
import type { Clock } from '../clock';
import type { EventBus, Logger } from '../events';
import type { FileStore } from '../imports/files';
import { HOST } from '../imports/job-record';
import type { EnqueueOptions, ImportQueue } from '../imports/queue';
import { sourceSecretKey, type SecretStore } from '../notify/secrets';
import { folderKind } from './folder';
import type { ApiKind, FileKind, FileSession, Kind, KindContext, Listed } from './kinds';
import { fetchN3rgy } from './n3rgy';
import { fetchOctopus } from './octopus';
import { sftpKind } from './sftp';
import type { ApiFetchRequest, N3rgyConfig, OctopusConfig } from './api-source';
import type { ItemRow, SourceConfig, SourceRow, SourceStore } from './store';

/** Every kind of source the runner can run. */
export const KINDS: Record<SourceKind, Kind> = {
  folder: folderKind as FileKind,
  sftp: sftpKind as FileKind,
  octopus: { family: 'api', secret: 'apiKey', fetch: (req) => fetchOctopus(req as ApiFetchRequest<OctopusConfig>) },
  n3rgy: { family: 'api', secret: 'apiKey', fetch: (req) => fetchN3rgy(req as ApiFetchRequest<N3rgyConfig>) },
};

/** A kind of source in words. */
export const KIND_LABEL: Record<SourceKind, string> = {
  folder: 'Watched folder',
  sftp: 'SFTP pickup',
  octopus: 'Octopus Energy',
  n3rgy: 'n3rgy',
};

/** A file modified longer ago than this is complete; a younger one is looked at twice. */
const SETTLED_MS = 5000;
/** How often a run renews its lease (a lease not renewed for 10 minutes is taken over from another computer). */
const LEASE_RENEW_MS = 60_000;
/** How long an API source's fetch may take in all. */
const API_TIMEOUT_MS = 10 * 60 * 1000;
/** The first run of an API source without a start date reaches back this many days (13 months). */
const FIRST_FETCH_DAYS = 396;

export interface RunnerOptions {
  fetch?: typeof fetch;
  /** Milliseconds an SFTP server may take to answer (default 30 s). */
  timeoutMs?: number;
  /** The pause before the second look at files still being written (default 1.5 s). */
  lookAgainMs?: number;
  /** The pause before acting on files whose imports just ended (gathers a batch; default 300 ms). */
  afterDelayMs?: number;
}

export interface RunnerDeps {
  sqlite: Database.Database;
  files: FileStore;
  imports: ImportQueue;
  secrets: SecretStore;
  events: EventBus;
  clock: Clock;
  log: Logger;
}

const dayOfIso = (s: string): number => {
  const [y, m, d] = s.split('-').map(Number) as [number, number, number];
  return dayFromDate(y, m, d);
};

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** What a run gathers as it goes. */
interface Tally {
  found: number;
  waiting: number;
  jobIds: number[];
  notes: string[];
}

export class SourceRunner {
  readonly owner = `${HOST}:${process.pid}:${crypto.randomBytes(4).toString('hex')}`;
  /** Runs in progress in this process, by source. */
  private readonly running = new Map<number, Promise<SourceRun>>();
  /** Same bytes seen again under a name (key, size, time) whose first copy's import has ended: not hashed again. */
  private readonly repeats = new Map<number, Set<string>>();
  /** Items whose imports ended, waiting for their files to be moved or deleted, by source. */
  private readonly ended = new Map<number, Set<number>>();
  private readonly afterTimers = new Map<number, NodeJS.Timeout>();
  /** After-import passes in progress, by source (a run of the source waits for its pass). */
  private readonly passes = new Map<number, Promise<void>>();
  private readonly work = new Set<Promise<unknown>>();
  private stopped = false;
  private readonly unsubscribe: () => void;
  /** Told when a run left files still being written (the schedule looks again soon). */
  onWaiting: ((sourceId: number) => void) | null = null;

  constructor(
    private readonly store: SourceStore,
    private readonly d: RunnerDeps,
    private readonly opts: RunnerOptions = {},
  ) {
    this.unsubscribe = d.events.subscribe((e) => {
      if (e.event !== 'imports.updated' || e.payload.job.dryRun) return;
      const status = e.payload.job.status;
      if (status === 'done' || status === 'failed') this.importEnded(e.payload.job.id, status);
    });
  }

  private nowSec(): number {
    return Math.floor(this.d.clock.now() / 1000);
  }

  private changed(sourceId: number): void {
    this.d.events.emit('sources.changed', { sourceId });
  }

  /** Keeps `p` among the work `idle()` waits for. */
  private track<T>(p: Promise<T>): Promise<T> {
    this.work.add(p);
    void p.finally(() => this.work.delete(p)).catch(() => undefined);
    return p;
  }

  /** True while this process runs the source. */
  isRunning(sourceId: number): boolean {
    return this.running.has(sourceId);
  }

  /**
   * Runs a source now. When a run of it is already in progress (here or in another process), that
   * run is returned instead of starting another.
   */
  run(sourceId: number, trigger: SourceRun['trigger']): Promise<SourceRun> {
    if (this.stopped) throw new AppError('UNAVAILABLE', 'The app is shutting down; the source was not run');
    const mine = this.running.get(sourceId);
    if (mine) return mine;
    const pass = this.passes.get(sourceId);
    if (pass) return pass.then(() => this.run(sourceId, trigger));
    const runId = this.store.begin(sourceId, this.owner, trigger, this.nowSec());
    if (runId === null) {
      const current = this.store.currentRun(sourceId);
      if (current) return Promise.resolve(current);
      throw new AppError('CONFLICT', `Data source ${sourceId} is being run by another program; try again shortly`);
    }
    this.changed(sourceId);
    const p = this.track(
      this.execute(this.store.row(sourceId), runId).finally(() => {
        this.running.delete(sourceId);
        this.changed(sourceId);
        if (this.ended.has(sourceId)) this.scheduleAfter(sourceId);
      }),
    );
    this.running.set(sourceId, p);
    return p;
  }

  private async execute(src: SourceRow, runId: number): Promise<SourceRun> {
    const t: Tally = { found: 0, waiting: 0, jobIds: [], notes: [] };
    let error: string | null = null;
    // a long run (a large download) shows it is alive, so no other program takes the source over
    const renew = setInterval(() => this.store.renew(src.id, this.owner, this.nowSec()), LEASE_RENEW_MS);
    renew.unref();
    try {
      const kind = KINDS[src.kind];
      const config = this.store.config(src);
      if (kind.family === 'files') await this.pickUp(src, config, kind, runId, t);
      else await this.fetchApi(src, config, kind, runId, t);
      if (t.waiting > 0) {
        t.notes.push(
          `${t.waiting} file${t.waiting === 1 ? ' was' : 's were'} still being written and ${t.waiting === 1 ? 'is' : 'are'} left for the next run`,
        );
        this.onWaiting?.(src.id);
      }
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
      this.d.log.warn(`data source ${src.id} (${src.name}) failed: ${error}`);
    } finally {
      clearInterval(renew);
    }
    const now = this.nowSec();
    this.store.progress(runId, t.found, t.jobIds, t.notes);
    // the next run is an interval after this one (a run after a long sleep is not followed by the missed ones)
    const every = this.store.find(src.id)?.every_minutes ?? src.every_minutes;
    this.store.finishRun(runId, src.id, { ok: error === null, error, nextRunAt: now + every * 60 }, now);
    this.store.release(src.id, this.owner);
    return this.store.run(runId);
  }

  private context<C extends SourceConfig>(src: SourceRow, config: C, t: Tally | null): KindContext<C> {
    return {
      source: src,
      config,
      secret: (name) => this.d.secrets.get(sourceSecretKey(src.id, name)),
      files: this.d.files,
      log: this.d.log,
      note: (text) => {
        t?.notes.push(text);
        this.d.log.info(`data source ${src.id} (${src.name}): ${text}`);
      },
      saveConfig: (c) => this.store.setConfig(src.id, c),
      timeoutMs: this.opts.timeoutMs ?? 30_000,
    };
  }

  /** The import options every job of the source's gets. */
  private enqueueOptions(src: SourceRow, config: SourceConfig): EnqueueOptions {
    const feed = config.kind === 'folder' || config.kind === 'sftp' ? config : null;
    return {
      sourceId: src.id,
      // the source itself takes each content once; bytes imported by hand before are imported again
      reimport: true,
      notes: `From data feed “${src.name}”`,
      ...(feed?.meter ? { meter: feed.meter } : {}),
      ...(feed?.format ? { format: feed.format } : {}),
      ...(feed?.onConflict ? { onConflict: feed.onConflict } : {}),
    };
  }

  /** Queues one stored file as the source's item (both or neither are recorded). */
  private queue(
    src: SourceRow,
    item: { key: string; sha256: string; bytes: number; mtime: number | null },
    fileId: string,
    opts: EnqueueOptions,
    runId: number,
    t: Tally,
    replaces: number | null = null,
  ): void {
    const jobId = this.d.sqlite.transaction(() => {
      if (replaces !== null) this.store.removeItem(replaces);
      const itemId = this.store.addItem({ sourceId: src.id, ...item }, this.nowSec());
      const [id] = this.d.imports.enqueue([fileId], opts).jobIds;
      this.store.setItemJob(itemId, id!);
      return id!;
    })();
    t.jobIds.push(jobId);
    this.store.progress(runId, t.found, t.jobIds, t.notes);
    this.store.renew(src.id, this.owner, this.nowSec());
    this.changed(src.id);
  }

  // ---------------------------------------------------------------- files (watched folder, SFTP)

  private async pickUp(src: SourceRow, config: SourceConfig, kind: FileKind, runId: number, t: Tally): Promise<void> {
    const session = await kind.open(this.context(src, config, t));
    try {
      // in name order: collectors name files by date, so the oldest are imported first
      const listed = (await session.list()).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
      t.found = listed.length;
      this.store.progress(runId, t.found, t.jobIds, t.notes);
      // a file modified in the last few seconds may still be arriving: taken only if a second look finds it unchanged
      const wall = Date.now();
      const young = listed.filter((f) => wall - f.mtime < SETTLED_MS);
      const ready = listed.filter((f) => wall - f.mtime >= SETTLED_MS);
      if (young.length > 0) {
        await sleep(this.opts.lookAgainMs ?? 1500);
        const again = new Map((await session.list()).map((f) => [f.key, f]));
        for (const f of young) {
          const g = again.get(f.key);
          if (g && g.size === f.size && g.mtime === f.mtime) ready.push(f);
          else t.waiting++;
        }
      }
      const opts = this.enqueueOptions(src, config);
      for (const f of ready) {
        if (this.stopped) break;
        await this.take(src, session, f, opts, runId, t);
      }
    } finally {
      await session.close();
    }
  }

  /** One listed file: acted on if taken before and its import ended, skipped if its bytes were taken, else queued. */
  private async take(
    src: SourceRow,
    session: FileSession,
    f: Listed,
    opts: EnqueueOptions,
    runId: number,
    t: Tally,
  ): Promise<void> {
    const known = this.store.itemByKey(src.id, f.key);
    if (known && known.bytes === f.size && known.mtime === f.mtime) {
      await this.afterEnded(session, known, f, t.notes);
      return;
    }
    const seen = `${f.key}\0${f.size}\0${f.mtime}`;
    if (this.repeats.get(src.id)?.has(seen)) return;
    let stored;
    try {
      stored = await session.store(f);
    } catch (e) {
      // changed while being copied: still being written
      if (e instanceof AppError && e.code === 'BAD_INPUT' && /changed while/.test(e.message)) {
        t.waiting++;
        return;
      }
      throw e;
    }
    if (stored.bytes !== f.size) {
      this.d.files.forget(stored.fileId);
      t.waiting++;
      return;
    }
    const same = this.store.itemByHash(src.id, stored.sha256);
    // bytes whose import was rolled back arrive again: taken anew (a file left in place is known by key above)
    const rolledBack = same !== null && this.jobStatus(same) === 'rolled-back';
    if (same && !rolledBack) {
      // the same bytes again (unchanged but touched, renamed, or copied in twice): not imported again
      this.d.files.forget(stored.fileId);
      if (await this.afterEnded(session, same, f, t.notes)) {
        const set = this.repeats.get(src.id) ?? new Set();
        this.repeats.set(src.id, set.add(seen));
      }
      return;
    }
    this.queue(
      src,
      { key: f.key, sha256: stored.sha256, bytes: f.size, mtime: f.mtime },
      stored.fileId,
      opts,
      runId,
      t,
      rolledBack ? same.id : null,
    );
  }

  /** The status of an item's import job (null before it has one). */
  private jobStatus(item: ItemRow): ImportStatus | null {
    if (item.job_id === null) return null;
    return (
      (this.d.sqlite.prepare('SELECT status FROM import_jobs WHERE id = ?').pluck().get(item.job_id) as
        ImportStatus | undefined) ?? null
    );
  }

  /** The status of an item's import, when it has ended (done or failed); null otherwise. */
  private endedStatus(item: ItemRow): 'done' | 'failed' | null {
    const status = this.jobStatus(item);
    return status === 'done' || status === 'failed' ? status : null;
  }

  /** Moves or deletes the file `f` when the import of `item` (its bytes) has ended; true when it has. */
  private async afterEnded(session: FileSession, item: ItemRow, f: Listed, notes: string[]): Promise<boolean> {
    const status = this.endedStatus(item);
    if (!status) return false;
    const note = await session.after(f, status);
    if (note) notes.push(note);
    return true;
  }

  private importEnded(jobId: number, outcome: 'done' | 'failed'): void {
    for (const item of this.store.itemsOfJob(jobId)) {
      const src = this.store.find(item.source_id);
      const kind = src ? KINDS[src.kind] : undefined;
      if (!src || kind?.family !== 'files' || !kind.acts(this.store.config(src), outcome)) continue;
      const set = this.ended.get(src.id) ?? new Set<number>();
      this.ended.set(src.id, set.add(item.id));
      this.scheduleAfter(src.id);
    }
  }

  private scheduleAfter(sourceId: number): void {
    if (this.stopped || this.afterTimers.has(sourceId) || this.running.has(sourceId) || this.passes.has(sourceId))
      return;
    this.afterTimers.set(
      sourceId,
      setTimeout(() => {
        this.afterTimers.delete(sourceId);
        this.startPass(sourceId);
      }, this.opts.afterDelayMs ?? 300),
    );
  }

  /** Starts an after-import pass; files whose imports end meanwhile get another pass after it. */
  private startPass(sourceId: number): void {
    if (this.passes.has(sourceId) || this.running.has(sourceId)) return;
    const p = this.track(
      this.afterPass(sourceId).finally(() => {
        this.passes.delete(sourceId);
        if (this.ended.has(sourceId)) this.scheduleAfter(sourceId);
      }),
    );
    this.passes.set(sourceId, p);
  }

  /**
   * Moves or deletes the files whose imports ended (a pass of its own, holding the source's lease);
   * what it did is added to the notes of the run that took each file.
   */
  private async afterPass(sourceId: number): Promise<void> {
    const ids = this.ended.get(sourceId);
    if (!ids || ids.size === 0 || this.stopped) return;
    if (this.running.has(sourceId)) return; // the run's end starts another pass
    const src = this.store.find(sourceId);
    if (!src) return void this.ended.delete(sourceId);
    // another program runs it: its runs list the files and act on them
    if (!this.store.claim(sourceId, this.owner, this.nowSec())) return void this.ended.delete(sourceId);
    this.ended.delete(sourceId);
    const kind = KINDS[src.kind] as FileKind;
    let session: FileSession | null = null;
    try {
      session = await kind.open(this.context(src, this.store.config(src), null));
      for (const id of ids) {
        const item = this.store.item(id);
        const status = item ? this.endedStatus(item) : null;
        if (!item || !status) continue;
        const f: Listed = {
          key: item.key,
          name: path.posix.basename(item.key),
          size: item.bytes,
          mtime: item.mtime ?? 0,
        };
        let note: string | null;
        try {
          note = await session.after(f, status);
        } catch (e) {
          note = `Could not ${status === 'done' ? 'clear away' : 'move'} ${item.key} after its import: ${(e as Error).message}`;
        }
        if (note && item.job_id !== null) this.store.addNoteForJob(item.job_id, note);
      }
    } catch (e) {
      this.d.log.warn(`data source ${sourceId}: acting on imported files failed: ${(e as Error).message}`);
    } finally {
      await session?.close();
      this.store.release(sourceId, this.owner);
      this.changed(sourceId);
    }
  }

  // ---------------------------------------------------------------- APIs (Octopus, n3rgy)

  private async fetchApi(src: SourceRow, config: SourceConfig, kind: ApiKind, runId: number, t: Tally): Promise<void> {
    const apiKey = this.d.secrets.get(sourceSecretKey(src.id, kind.secret));
    if (!apiKey)
      throw new AppError('BAD_INPUT', 'No API key is set for this source: set it (Data feeds → Edit) and run it again');
    const today = localDayOf(this.nowSec());
    const from =
      src.cursor !== null
        ? dayOfIso(src.cursor) - 1
        : 'from' in config && config.from
          ? dayOfIso(config.from)
          : today - FIRST_FETCH_DAYS;
    if (from >= today) return;
    const res = await kind.fetch({
      config,
      apiKey,
      fromDay: from,
      toDay: today,
      fetch: this.opts.fetch ?? fetch,
      signal: AbortSignal.timeout(API_TIMEOUT_MS),
    });
    t.found = res.documents.length;
    const base = this.enqueueOptions(src, config);
    for (const doc of res.documents) {
      const sha256 = crypto.createHash('sha256').update(doc.bytes).digest('hex');
      if (this.store.itemByHash(src.id, sha256)) continue; // fetched before with the same readings
      const stored = await this.d.files.store(doc.name, Readable.from([doc.bytes]));
      const opts: EnqueueOptions = { ...base, meter: doc.meter, ...(doc.volume ? { format: 'octopus-json-m3' } : {}) };
      this.queue(src, { key: doc.key, sha256, bytes: doc.bytes.length, mtime: null }, stored.fileId, opts, runId, t);
    }
    if (res.completeThrough !== null && (src.cursor === null || res.completeThrough > dayOfIso(src.cursor)))
      this.store.setCursor(src.id, isoDay(res.completeThrough));
  }

  // ---------------------------------------------------------------- lifecycle

  /** Resolves once no run or after-import pass is in progress or waiting to start. */
  async idle(): Promise<void> {
    for (;;) {
      for (const [id, timer] of this.afterTimers) {
        clearTimeout(timer);
        this.afterTimers.delete(id);
        this.startPass(id);
      }
      if (this.work.size === 0) return;
      await Promise.allSettled([...this.work]);
    }
  }

  /** Starts nothing more; waits for runs in progress to end (they queue the files they have taken). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe();
    for (const timer of this.afterTimers.values()) clearTimeout(timer);
    this.afterTimers.clear();
    await Promise.allSettled([...this.work]);
  }
}
