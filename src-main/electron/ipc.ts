/**
 * The Electron IPC surface, as plain functions over an ipcMain-shaped object:
 *   'rpc'          invoke  (method, args) → Reply           every call goes through dispatch()
 *   'files:import' send    { paths, dryRun, options }       dropped/picked files → one import batch
 *                                                          (options: the Imports page's format, meter,
 *                                                          conflicts, priority, notes, tags)
 *   'export:save'  invoke  (export request) → Reply<saved file | null>   asks where (a save dialog) and
 *                                                          writes the export there (null: cancelled)
 *   'event'        main → renderer  PushedEvent             every core event, to every window
 * Every message's sender frame is checked: only our own index page may talk to the core.
 */
import type { CallContext, Reply } from '../../src-shared/contract/api';
import type { PushedEvent } from '../../src-shared/contract/events';
import type { Core } from '../core/app';
import { localCaller } from '../core/rpc/caller';
import { dispatch, toAppError } from '../core/rpc/dispatch';
import { callAs } from '../core/exports/export';
import { saveExportAs } from '../core/exports/file';
import { importPaths, parseImportRequest, type ImportCore } from './drop';
import type { SenderFrameLike } from './security';

export const CHANNELS = { rpc: 'rpc', importFiles: 'files:import', saveExport: 'export:save', event: 'event' } as const;

export interface IpcEventLike {
  readonly senderFrame: SenderFrameLike | null;
}

/** The parts of Electron's ipcMain we use (ipcMain itself satisfies this). */
export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
  on(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => void): unknown;
}

export interface IpcOptions {
  /** Decides whether a message's sender frame is our own page (see security.isTrustedSender). */
  isTrusted: (frame: SenderFrameLike | null) => boolean;
  /** Who the desktop user is. Until user accounts exist the local user is admin. */
  context?: CallContext;
  /** Asks where to save a file (a save dialog) given a suggested name; null when cancelled. */
  chooseSaveFile?: (suggested: string) => Promise<string | null>;
}

type IpcCore = ImportCore & Pick<Core, 'handlers' | 'meters' | 'readings'>;

const REFUSED: Reply<never> = {
  ok: false,
  error: { code: 'FORBIDDEN', message: 'IPC from a page other than the app was refused' },
};

/** Registers the 'rpc', 'export:save' and 'files:import' handlers; returns a function that removes them. */
export function registerIpc(ipc: IpcMainLike, core: IpcCore, opts: IpcOptions): () => void {
  const ctx = opts.context ?? localCaller('desktop');

  const onRpc = async (event: IpcEventLike, method: unknown, args: unknown): Promise<Reply<unknown>> => {
    if (!opts.isTrusted(event.senderFrame)) {
      core.log.warn(`rpc from untrusted frame ${event.senderFrame?.url ?? '(gone)'} refused`);
      return REFUSED;
    }
    return dispatch(core.handlers, typeof method === 'string' ? method : String(method), args, ctx, core.log);
  };

  const onImport = (event: IpcEventLike, payload: unknown): void => {
    if (!opts.isTrusted(event.senderFrame)) {
      core.log.warn(`files:import from untrusted frame ${event.senderFrame?.url ?? '(gone)'} refused`);
      return;
    }
    const req = parseImportRequest(payload);
    if (!req) {
      core.events.emit('app.error', { message: 'The dropped files could not be read (the request was malformed).' });
      return;
    }
    void importPaths(core, req.paths, { dryRun: req.dryRun, options: req.options, ctx }).catch((e: unknown) => {
      core.log.error('import of dropped files failed', e);
      core.events.emit('app.error', { message: `Import failed: ${e instanceof Error ? e.message : String(e)}` });
    });
  };

  const onSaveExport = async (event: IpcEventLike, request: unknown): Promise<Reply<unknown>> => {
    if (!opts.isTrusted(event.senderFrame)) {
      core.log.warn(`export:save from untrusted frame ${event.senderFrame?.url ?? '(gone)'} refused`);
      return REFUSED;
    }
    const choose = opts.chooseSaveFile;
    if (!choose) return { ok: false, error: { code: 'UNAVAILABLE', message: 'Saving files is not available here' } };
    try {
      const deps = { meters: core.meters, readings: core.readings, call: callAs(core.handlers, ctx) };
      return { ok: true, value: await saveExportAs(deps, request, choose) };
    } catch (e) {
      return { ok: false, error: toAppError(e, core.log) };
    }
  };

  ipc.handle(CHANNELS.rpc, onRpc);
  ipc.handle(CHANNELS.saveExport, onSaveExport);
  ipc.on(CHANNELS.importFiles, onImport);
  return () => {
    ipc.removeHandler(CHANNELS.rpc);
    ipc.removeHandler(CHANNELS.saveExport);
    ipc.removeListener(CHANNELS.importFiles, onImport);
  };
}

/** Something that can receive pushed events (a WebContents). */
export interface EventTarget {
  isDestroyed(): boolean;
  send(channel: string, ...args: unknown[]): void;
}

/** Forwards every core event to every live window on the 'event' channel; returns unsubscribe. */
export function forwardEvents(events: Core['events'], targets: () => Iterable<EventTarget>): () => void {
  return events.subscribe((e: PushedEvent) => {
    for (const t of targets()) {
      if (!t.isDestroyed()) t.send(CHANNELS.event, e);
    }
  });
}
