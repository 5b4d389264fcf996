/**
 * Files dropped on the window, picked in a file input or chosen from the tray's "Import files…":
 * real paths in, each file copied into the data folder, then ONE import batch for all of them.
 * Plain Node (no Electron), so it is tested against a real core.
 */
import { MAX_BATCH_FILES, type CallContext } from '../../src-shared/contract/api';
import type { AlreadyImported, EnqueuedPaths } from '../../src-shared/contract/types';
import type { Core } from '../core/app';
import { localCaller } from '../core/rpc/caller';
import { dispatch } from '../core/rpc/dispatch';

/** Most files in one batch (the contract's limit). */
export const MAX_FILES = MAX_BATCH_FILES;

export type ImportCore = Pick<Core, 'handlers' | 'events' | 'log'>;

export interface ImportPathsResult {
  batchId: string | null;
  jobIds: number[];
  /** Files that could not be stored, with the reason. */
  failed: { path: string; message: string }[];
}

/** The Imports page's choices a drop carries (validated by `imports.enqueue`'s schema in dispatch). */
export type DropOptions = Record<string, unknown>;

/** What the preload sends on `files:import`, checked (it crosses a trust boundary). */
export function parseImportRequest(
  payload: unknown,
): { paths: string[]; dryRun: boolean; options: DropOptions } | null {
  if (typeof payload !== 'object' || payload === null) return null;
  const { paths, dryRun, options } = payload as { paths?: unknown; dryRun?: unknown; options?: unknown };
  if (!Array.isArray(paths) || paths.length === 0 || paths.length > MAX_FILES) return null;
  if (!paths.every((p): p is string => typeof p === 'string' && p.length > 0 && p.length < 4096 && !p.includes('\0')))
    return null;
  if (dryRun !== undefined && typeof dryRun !== 'boolean') return null;
  if (
    options !== undefined &&
    (typeof options !== 'object' ||
      options === null ||
      Array.isArray(options) ||
      JSON.stringify(options).length > 10_000)
  )
    return null;
  // the files and the dry-run choice come from the request itself, never from the options
  const { fileIds: _f, paths: _p, dryRun: _d, ...rest } = (options ?? {}) as DropOptions;
  return { paths, dryRun: dryRun === true, options: rest };
}

const DESKTOP_USER: CallContext = localCaller('desktop');

/**
 * Hands the paths to `imports.enqueuePaths` (through dispatch, so the role check, validation and
 * audit log apply as for any other call): each file is copied into the data folder and the copies
 * are queued as one batch. Problems are reported as one `app.error` event; the result says what
 * happened.
 */
export async function importPaths(
  core: ImportCore,
  paths: readonly string[],
  opts: { dryRun?: boolean; options?: DropOptions; ctx?: CallContext } = {},
): Promise<ImportPathsResult> {
  const unique = [...new Set(paths)];
  const reply = await dispatch(
    core.handlers,
    'imports.enqueuePaths',
    { ...opts.options, paths: unique, dryRun: opts.dryRun === true },
    opts.ctx ?? DESKTOP_USER,
    core.log,
  );
  if (!reply.ok) {
    const details = reply.error.details as AlreadyImported | undefined;
    if (reply.error.code === 'CONFLICT' && details?.reason === 'already-imported') {
      // the window asks whether to import them again (the copies stay stored for that)
      const { paths, ...rest } = details;
      core.events.emit('imports.duplicate', {
        message: reply.error.message,
        details: rest,
        options: { ...opts.options, dryRun: opts.dryRun === true },
      });
      return { batchId: null, jobIds: [], failed: reportUnreadable(core, paths ?? []) };
    }
    core.events.emit('app.error', { message: `Nothing was imported: ${reply.error.message}` });
    return { batchId: null, jobIds: [], failed: unique.map((p) => ({ path: p, message: reply.error.message })) };
  }
  const { batchId, jobIds, files } = reply.value as EnqueuedPaths;
  return { batchId, jobIds, failed: reportUnreadable(core, files) };
}

/** Files that could not be stored, told to the user as one `app.error`. */
function reportUnreadable(core: ImportCore, files: EnqueuedPaths['files']): ImportPathsResult['failed'] {
  const failed = files.flatMap((f) => (f.error === undefined ? [] : [{ path: f.path, message: f.error }]));
  if (failed.length > 0) {
    const list = failed
      .slice(0, 5)
      .map((f) => f.message)
      .join('; ');
    const more = failed.length > 5 ? ` (and ${failed.length - 5} more)` : '';
    const what = failed.length === 1 ? 'A file could not be imported' : `${failed.length} files could not be imported`;
    core.events.emit('app.error', { message: `${what}: ${list}${more}` });
  }
  return failed;
}
