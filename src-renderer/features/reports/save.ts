/**
 * Saving a report and an export from the Reports page. A report arrives from `reports.make` and is
 * saved as a Blob download. An export is streamed by the host: in a browser from
 * `POST /download/export` (the host's answer saved as a Blob download, its JSON error shown); in the
 * desktop app through the preload's `saveExport`, which asks where with a save dialog and writes the
 * file itself.
 */
import type { ExportRequestBody } from '../../../src-shared/contract/exports';
import { AppError } from '../../../src-shared/contract/errors';
import type { ReportFile } from '../../../src-shared/contract/types';
import { isReply } from '../../api/transport';
import { downloadBlob } from '../../lib/download';
import { csvRows, reportBytes } from './report-form';
import { exportFileName } from './scope-data';

/** Saves a report made by `reports.make` under its file name. */
export function saveReport(f: ReportFile): void {
  downloadBlob(f.fileName, new Blob([reportBytes(f) as BlobPart], { type: f.contentType }));
}

/** Where an export went: the desktop's file (null when the dialog was cancelled) or the browser's download. */
export type ExportSaved =
  | { where: 'file'; file: string; rows: number; bytes: number }
  | { where: 'download'; name: string; rows: number; bytes: number }
  | null;

/**
 * Exports `req` to a file the person chooses (desktop) or a browser download, named with the last day
 * included; a file with no data rows is not downloaded (its `rows` say so). A refusal throws an AppError.
 */
export async function saveExport(req: ExportRequestBody): Promise<ExportSaved> {
  const bridge = typeof window !== 'undefined' ? window.energy : undefined;
  if (bridge?.saveExport) {
    const r = await bridge.saveExport(req);
    if (!r.ok) throw AppError.from(r.error);
    const v = r.value as { file: string; rows: number; bytes: number } | null;
    return v && { where: 'file', ...v };
  }
  let res: Response;
  try {
    res = await fetch(new URL('download/export', new URL('./', window.location.href)).href, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      credentials: 'same-origin',
      body: JSON.stringify(req),
    });
  } catch (e) {
    throw new AppError('UNAVAILABLE', `Cannot reach the Eclectyc host (${e instanceof Error ? e.message : String(e)})`);
  }
  if (!res.ok || !(res.headers.get('content-type') ?? '').startsWith('text/csv')) {
    const body: unknown = await res.json().catch(() => null);
    if (isReply(body) && !body.ok) throw AppError.from(body.error);
    if (res.status === 401) throw new AppError('FORBIDDEN', 'Sign in to continue');
    throw new AppError('UNAVAILABLE', `The host answered HTTP ${res.status} without the file`);
  }
  const blob = await res.blob();
  const rows = csvRows(await blob.text());
  const name = exportFileName(req);
  if (rows > 0) downloadBlob(name, blob);
  return { where: 'download', name, rows, bytes: blob.size };
}
