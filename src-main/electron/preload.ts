/**
 * The preload: runs sandboxed, before the page, in an isolated world. It exposes exactly one
 * object to the page — `window.energy` with `invoke`, `saveExport` and `on` — and never ipcRenderer
 * itself.
 *
 * It also turns meter files the user drops on the window, or picks in the Imports page's
 * <input type="file" data-meter-files>, into real paths (webUtils.getPathForFile) and asks the main
 * process to import them as one batch. A page element marked `data-dry-run="true"` (or a checked
 * checkbox with `data-dry-run`) makes that a dry run. The page's own handlers never see those events,
 * so a file is never also uploaded by the page. Every other file input (a register, a tariff file,
 * weather, alert rules) is the page's own to read.
 */
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import type { Reply } from '../../src-shared/contract/api';
import type { PushedEvent } from '../../src-shared/contract/events';

const api = {
  /** Calls a core method; resolves to a Reply (errors are data, never thrown). */
  invoke(method: string, args?: unknown): Promise<Reply<unknown>> {
    return ipcRenderer.invoke('rpc', String(method), args ?? {}) as Promise<Reply<unknown>>;
  },
  /** Asks where to save an export (a save dialog) and writes it there; resolves to null when cancelled. */
  saveExport(request: unknown): Promise<Reply<unknown>> {
    return ipcRenderer.invoke('export:save', request) as Promise<Reply<unknown>>;
  },
  /** Subscribes to every pushed core event; returns the unsubscribe function. */
  on(listener: (e: PushedEvent) => void): () => void {
    if (typeof listener !== 'function') throw new TypeError('energy.on needs a function');
    // Only the payload crosses over: the IPC event object (which holds the sender) stays here.
    const wrapped = (_e: IpcRendererEvent, payload: PushedEvent) => listener(payload);
    ipcRenderer.on('event', wrapped);
    return () => {
      ipcRenderer.removeListener('event', wrapped);
    };
  },
};

contextBridge.exposeInMainWorld('energy', api);

/** Real paths of the files in a FileList; files with no path on disk (e.g. from a web page) are skipped. */
function pathsOf(files: FileList | null | undefined): string[] {
  const out: string[] = [];
  for (const f of Array.from(files ?? [])) {
    const p = webUtils.getPathForFile(f);
    if (p) out.push(p);
  }
  return out;
}

/**
 * The page's current dry-run choice: the Imports page marks its drop zone and file input with
 * `data-dry-run="true|false"`; a checked `input[type=checkbox][data-dry-run]` also counts.
 */
function dryRunChecked(): boolean {
  const marked = document.querySelector<HTMLElement>('[data-dry-run="true"], [data-dry-run="false"]');
  if (marked) return marked.dataset.dryRun === 'true';
  const box = document.querySelector<HTMLInputElement>('input[type="checkbox"][data-dry-run]');
  return box?.checked === true;
}

/**
 * The Imports page's other choices (format, meter, conflicts, priority, notes, tags), which it
 * writes as JSON into `data-import-options` on its drop zone; none elsewhere. The main process
 * validates them like any other call.
 */
function importOptions(): Record<string, unknown> | undefined {
  const text = document.querySelector<HTMLElement>('[data-import-options]')?.dataset.importOptions;
  if (!text) return undefined;
  try {
    const v: unknown = JSON.parse(text);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function sendImport(paths: string[]): void {
  ipcRenderer.send('files:import', { paths, dryRun: dryRunChecked(), options: importOptions() });
}

const hasFiles = (e: DragEvent) => Array.from(e.dataTransfer?.types ?? []).includes('Files');

window.addEventListener(
  'dragover',
  (e) => {
    if (!hasFiles(e)) return;
    e.preventDefault(); // allow dropping anywhere in the window
    if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
  },
  true,
);

window.addEventListener(
  'drop',
  (e) => {
    if (!hasFiles(e)) return;
    e.preventDefault(); // never let Chromium open the file as a page
    const paths = pathsOf(e.dataTransfer?.files);
    if (paths.length === 0) return;
    e.stopPropagation();
    sendImport(paths);
  },
  true,
);

window.addEventListener(
  'change',
  (e) => {
    const input = e.target;
    if (!(input instanceof HTMLInputElement) || input.type !== 'file') return;
    // only the meter-file picker imports: other inputs (registers, tariffs, weather, rules) are the page's
    if (input.dataset.meterFiles === undefined) return;
    const paths = pathsOf(input.files);
    if (paths.length === 0) return;
    e.stopImmediatePropagation();
    sendImport(paths);
    input.value = ''; // picking the same file again fires change again
  },
  true,
);
