/**
 * Files dropped on the window, picked in a file input or chosen from the tray's "Import files…":
 * real paths in, each file copied into the data folder, then ONE import batch for all of them.
 * Plain Node (no Electron), so it is tested against a real core.
 */
import type { CallContext } from '../../src-shared/contract/api';
import type { Core } from '../core/app';
import { localCaller } from '../core/rpc/caller';
import { dispatch } from '../core/rpc/dispatch';

/** Most files in one batch (the contract's `imports.enqueue` limit). */
export const MAX_FILES = 500;

export type ImportCore = Pick<Core, 'handlers' | 'files' | 'events' | 'log'>;

export interface ImportPathsResult {
  batchId: string | null;
  jobIds: number[];
  /** Files that could not be stored, with the reason. */
  failed: { path: string; message: string }[];
}

/** The Imports page's choices a drop carries (validated by `imports.enqueue`'s schema in dispatch). */
export type DropOptions = Record<string, unknown>;

/** What the preload sends on `files:import`, checked (it crosses a trust boundary). */
export function parseImportRequest(payload: unknown): { paths: string[]; dryRun: boolean; options: DropOptions } | null {
  if (typeof payload !== 'object' || payload === null) return null;
  const { paths, dryRun, options } = payload as { paths?: unknown; dryRun?: unknown; options?: unknown };
  if (!Array.isArray(paths) || paths.length === 0 || paths.length > MAX_FILES) return null;
  if (!paths.every((p): p is string => typeof p === 'string' && p.length > 0 && p.length < 4096 && !p.includes('\0'))) return null;
  if (dryRun !== undefined && typeof dryRun !== 'boolean') return null;
  if (options !== undefined && (typeof options !== 'object' || options === null || Array.isArray(options) || JSON.stringify(options).length > 10_000)) return null;
  // the files and the dry-run choice come from the request itself, never from the options
  const { fileIds: _f, dryRun: _d, ...rest } = (options ?? {}) as DropOptions;
  return { paths, dryRun: dryRun === true, options: rest };
}

const DESKTOP_USER: CallContext = localCaller('desktop');

/**
 * Stores every path with core.files.storePath, then enqueues the stored files as one batch
 * through dispatch (so the role check, validation and audit log apply as for any other call).
 * Problems are reported as one `app.error` event; the result says what happened.
 */
export async function importPaths(core: ImportCore, paths: readonly string[], opts: { dryRun?: boolean; options?: DropOptions; ctx?: CallContext } = {}): Promise<ImportPathsResult> {
  const unique = [...new Set(paths)];
  const failed: ImportPathsResult['failed'] = [];
  if (unique.length > MAX_FILES) {
    const message = `${unique.length} files is more than the ${MAX_FILES} one import can take; import them in smaller groups.`;
    core.events.emit('app.error', { message });
    return { batchId: null, jobIds: [], failed: unique.map((p) => ({ path: p, message })) };
  }
  const fileIds: string[] = [];
  for (const p of unique) {
    try {
      fileIds.push((await core.files.storePath(p)).fileId);
    } catch (e) {
      failed.push({ path: p, message: e instanceof Error ? e.message : String(e) });
    }
  }
  let batchId: string | null = null;
  let jobIds: number[] = [];
  if (fileIds.length > 0) {
    const reply = await dispatch(core.handlers, 'imports.enqueue', { ...opts.options, fileIds, dryRun: opts.dryRun === true }, opts.ctx ?? DESKTOP_USER, core.log);
    if (reply.ok) ({ batchId, jobIds } = reply.value as { batchId: string; jobIds: number[] });
    else for (const id of fileIds) failed.push({ path: id, message: reply.error.message });
  }
  if (failed.length > 0) {
    const list = failed
      .slice(0, 5)
      .map((f) => f.message)
      .join('; ');
    const more = failed.length > 5 ? ` (and ${failed.length - 5} more)` : '';
    const what = failed.length === 1 ? 'A file could not be imported' : `${failed.length} files could not be imported`;
    core.events.emit('app.error', { message: `${what}: ${list}${more}` });
  }
  return { batchId, jobIds, failed };
}
