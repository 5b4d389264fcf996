/** Import jobs: the list, live progress from events, and starting imports. */
import { create } from 'zustand';
import { AppError } from '../../src-shared/contract/errors';
import type { AlreadyImported, ImportJob, ImportProgress } from '../../src-shared/contract/types';
import { errorMessage } from '../api/client';
import {
  DEFAULT_OPTIONS,
  enqueueOptions,
  forRealOptions,
  matchesFilter,
  validateOptions,
  type EnqueueOptions,
  type ImportOptions,
  type JobFilter,
} from '../features/imports/import-options';
import { getClient } from '../api/instance';
import { useAppStore } from './app';

export type LoadState = 'idle' | 'loading' | 'ready' | 'error';

interface ImportsStore {
  jobs: Record<number, ImportJob>;
  /** Job ids, newest first. */
  order: number[];
  progress: Record<number, ImportProgress>;
  load: LoadState;
  error: string | null;
  dryRun: boolean;
  /** Names of files being sent to the host right now (web mode). */
  uploading: string[];
  fetchJobs(): Promise<void>;
  /** From an event (no mark) or a reply to a request started at `mark`. */
  upsert(job: ImportJob, mark?: number): void;
  applyProgress(p: ImportProgress): void;
  setDryRun(v: boolean): void;
  importFiles(files: File[]): Promise<void>;
  /** Options for files sent from this window (web mode). */
  options: ImportOptions;
  setOptions(o: Partial<ImportOptions>): void;
  /** The list filter (status and text in file name, notes or tags). */
  filter: JobFilter;
  setFilter(f: Partial<JobFilter>): void;
  /** Ids the host returned for the current filter. */
  listed: Record<number, true>;
  /** Options each batch sent from this window was queued with (for "Import for real"). */
  batchOptions: Record<string, EnqueueOptions>;
  /** Queues a finished dry run's stored file again, for real. */
  importForReal(job: ImportJob): Promise<void>;
  /** Job ids with an action in flight (cancel, retry, import for real). */
  busy: Record<number, boolean>;
  cancelJob(id: number): Promise<void>;
  retryJob(id: number): Promise<void>;
  /** Files refused because they were imported before: the Imports page asks whether to import them again. */
  duplicate: PendingDuplicate | null;
  askDuplicate(d: PendingDuplicate): void;
  /** "Import again" (all), "Import only the new files" (new) or "Cancel". */
  resolveDuplicate(choice: 'all' | 'new' | 'cancel'): Promise<void>;
}

export interface PendingDuplicate {
  message: string;
  details: AlreadyImported;
  /** The options the refused batch was sent with (imports.enqueue's, without fileIds). */
  options: EnqueueOptions;
}

/** The refusal `imports.enqueue` answers for files imported before, or null for any other error. */
export function alreadyImported(e: unknown): AlreadyImported | null {
  if (!(e instanceof AppError) || e.code !== 'CONFLICT') return null;
  const d = e.details as AlreadyImported | undefined;
  return d?.reason === 'already-imported' ? d : null;
}

/**
 * Events arrive in order on one stream and always win. A reply to a request (list, get) may have
 * been computed before an event that has since arrived, so a reply only replaces a job if no event
 * for that job arrived after the request was sent.
 */
let seq = 0;
const lastEvent = new Map<number, number>();

/** Marks the start of a request whose reply will carry jobs. */
export function requestMark(): number {
  return seq;
}

/** True if a job from a reply to a request started at `mark` may replace what the store holds. */
export function replyIsFresh(id: number, mark: number): boolean {
  return (lastEvent.get(id) ?? -1) <= mark;
}

function sortIds(jobs: Record<number, ImportJob>): number[] {
  return Object.keys(jobs)
    .map(Number)
    .sort((a, b) => b - a);
}

function filterActive(f: JobFilter): boolean {
  return f.status !== '' || f.search.trim() !== '';
}

/** The ids to show: all jobs, or with a filter the ones the host listed or that match it now. */
function visibleIds(jobs: Record<number, ImportJob>, filter: JobFilter, listed: Record<number, true>): number[] {
  const ids = sortIds(jobs);
  if (!filterActive(filter)) return ids;
  return ids.filter((id) => {
    const j = jobs[id] as ImportJob;
    if (filter.status && j.status !== filter.status) return false;
    return !!listed[id] || matchesFilter(j, filter);
  });
}

async function jobAction(id: number, method: 'imports.cancel' | 'imports.retry', failure: string): Promise<void> {
  const store = useImportsStore;
  store.setState({ busy: { ...store.getState().busy, [id]: true } });
  const mark = requestMark();
  try {
    store.getState().upsert(await getClient().call(method, { id }), mark);
  } catch (e) {
    useAppStore.getState().toastError(failure, e);
  } finally {
    const busy = { ...store.getState().busy };
    delete busy[id];
    store.setState({ busy });
  }
}

export const useImportsStore = create<ImportsStore>((set, get) => ({
  jobs: {},
  order: [],
  progress: {},
  load: 'idle',
  error: null,
  dryRun: false,
  uploading: [],
  busy: {},
  options: DEFAULT_OPTIONS,
  filter: { status: '', search: '' },
  listed: {},
  batchOptions: {},
  duplicate: null,

  askDuplicate(d) {
    set({ duplicate: d });
  },

  async resolveDuplicate(choice) {
    const d = get().duplicate;
    set({ duplicate: null });
    if (!d || choice === 'cancel') return;
    const again = new Set(d.details.files.map((f) => f.fileId));
    const fileIds = choice === 'all' ? d.details.fileIds : d.details.fileIds.filter((id) => !again.has(id));
    if (fileIds.length === 0) return;
    const app = useAppStore.getState();
    const mark = requestMark();
    try {
      const client = getClient();
      const r = await client.call('imports.enqueue', { ...d.options, fileIds, reimport: choice === 'all' });
      set({ batchOptions: { ...get().batchOptions, [r.batchId]: d.options } });
      await Promise.all(r.jobIds.map(async (id) => get().upsert(await client.call('imports.get', { id }), mark)));
    } catch (e) {
      app.toastError('Could not import the files', e);
    }
  },

  setOptions(o) {
    set({ options: { ...get().options, ...o } });
  },

  setFilter(f) {
    set({ filter: { ...get().filter, ...f } });
  },

  async importForReal(job) {
    const app = useAppStore.getState();
    set({ busy: { ...get().busy, [job.id]: true } });
    const mark = requestMark();
    try {
      const opts = forRealOptions(job, get().batchOptions[job.batchId]);
      const client = getClient();
      const r = await client.call('imports.enqueue', { fileIds: [job.fileId], ...opts });
      set({ batchOptions: { ...get().batchOptions, [r.batchId]: opts } });
      app.toast({ kind: 'info', title: `Importing ${job.file}`, message: 'The checked file is queued for import.' });
      await Promise.all(r.jobIds.map(async (id) => get().upsert(await client.call('imports.get', { id }), mark)));
    } catch (e) {
      const dup = alreadyImported(e);
      if (dup)
        get().askDuplicate({
          message: errorMessage(e),
          details: dup,
          options: forRealOptions(job, get().batchOptions[job.batchId]),
        });
      else app.toastError(`Could not import ${job.file}`, e);
    } finally {
      const busy = { ...get().busy };
      delete busy[job.id];
      set({ busy });
    }
  },

  async cancelJob(id) {
    await jobAction(id, 'imports.cancel', 'Could not cancel the import');
  },

  async retryJob(id) {
    await jobAction(id, 'imports.retry', 'Could not retry the import');
  },

  async fetchJobs() {
    if (get().load !== 'ready') set({ load: 'loading', error: null });
    const mark = requestMark();
    const filter = get().filter;
    try {
      const list = await getClient().call('imports.list', {
        limit: 200,
        ...(filter.status ? { status: filter.status } : {}),
        ...(filter.search.trim() ? { search: filter.search.trim() } : {}),
      });
      if (get().filter !== filter) return; // the filter changed while this was in flight
      const jobs = { ...get().jobs };
      const listed: Record<number, true> = {};
      for (const j of list) {
        listed[j.id] = true;
        if (replyIsFresh(j.id, mark)) jobs[j.id] = j;
      }
      set({ jobs, listed, order: visibleIds(jobs, filter, listed), load: 'ready', error: null });
    } catch (e) {
      if (get().load === 'ready') useAppStore.getState().toastError('Could not refresh the import list', e);
      else set({ load: 'error', error: errorMessage(e) });
    }
  },

  upsert(job, mark) {
    if (mark === undefined) {
      seq++;
      lastEvent.set(job.id, seq);
    } else if (!replyIsFresh(job.id, mark)) return;
    const prev = get().jobs[job.id];
    const jobs = { ...get().jobs, [job.id]: job };
    const { filter, listed } = get();
    set({ jobs, order: prev && !filterActive(filter) ? get().order : visibleIds(jobs, filter, listed) });
  },

  applyProgress(p) {
    set({ progress: { ...get().progress, [p.jobId]: p } });
  },

  setDryRun(dryRun) {
    set({ dryRun });
  },

  async importFiles(files) {
    const client = getClient();
    if (files.length === 0) return;
    if (!client.uploads) return; // desktop: the preload captures the files and the jobs arrive as events
    const app = useAppStore.getState();
    const problems = validateOptions(get().options);
    if (Object.keys(problems).length > 0) {
      app.toast({ kind: 'error', title: 'Check the import options', message: Object.values(problems).join('; ') });
      return;
    }
    const opts = enqueueOptions(get().options, get().dryRun);
    const names = files.map((f) => f.name);
    set({ uploading: [...get().uploading, ...names] });
    try {
      const mark = requestMark();
      const r = await client.uploadFiles(files, opts);
      if (r.batchId) set({ batchOptions: { ...get().batchOptions, [r.batchId]: opts } });
      for (const f of r.failures)
        app.toast({ kind: 'error', title: `Could not send ${f.name}`, message: f.error.message });
      // Events normally deliver the new jobs first; fetch them too in case the event stream is down.
      await Promise.all(
        r.jobIds.map(async (id) => {
          try {
            get().upsert(await client.call('imports.get', { id }), mark);
          } catch {
            /* the event stream or the next refresh will bring it */
          }
        }),
      );
    } catch (e) {
      const dup = alreadyImported(e);
      if (dup) get().askDuplicate({ message: errorMessage(e), details: dup, options: opts });
      else
        app.toastError(
          files.length === 1 ? `Could not import ${names[0]}` : `Could not import ${files.length} files`,
          e,
        );
    } finally {
      const left = [...get().uploading];
      for (const n of names) {
        const i = left.indexOf(n);
        if (i >= 0) left.splice(i, 1);
      }
      set({ uploading: left });
    }
  },
}));
