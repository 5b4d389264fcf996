/**
 * `POST /download/export`: an export streamed to the browser as a CSV attachment. The request is
 * the export's JSON (src-shared/contract/exports.ts); the rows are read as the caller (the contract's
 * roles apply to every table read through it). The status and headers are sent with the first bytes,
 * so a request that cannot be answered (an unknown meter, dates that are not dates) gets a JSON error
 * instead; a browser that goes away stops the export.
 */
import type http from 'node:http';
import { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { CallContext } from '../../src-shared/contract/api';
import type { AppErrorPayload } from '../../src-shared/contract/errors';
import { exportRequestSchema } from '../../src-shared/contract/exports';
import type { Core } from '../core/app';
import { callAs, runExport, type ExportRequest } from '../core/exports/export';
import { exportFileName } from '../core/exports/file';
import { toAppError } from '../core/rpc/dispatch';

/** The CSV's content type: UTF-8 text (the file starts with a byte order mark for Excel). */
export const CSV_TYPE = 'text/csv; charset=utf-8';

/** A stream into the response that sends the status and headers with its first chunk. */
function lazyResponse(res: http.ServerResponse, headers: () => Record<string, string>): Writable {
  const out = new Writable({
    highWaterMark: 1 << 16,
    write(chunk: Buffer, _enc, done) {
      if (!res.headersSent) res.writeHead(200, headers());
      if (res.write(chunk)) done();
      else res.once('drain', () => done());
    },
    final(done) {
      if (!res.headersSent) res.writeHead(200, headers());
      res.end(done);
    },
  });
  res.once('close', () => {
    if (!res.writableFinished) out.destroy(new Error('The browser closed the download'));
  });
  return out;
}

/**
 * Streams the export `body` asks for to `res`; resolves with null once it is sent, or with the error
 * to answer (as JSON) when it failed before any byte was sent. A failure after that cuts the response.
 */
export async function downloadExport(
  core: Pick<Core, 'meters' | 'readings' | 'handlers' | 'log'>,
  ctx: CallContext,
  body: unknown,
  res: http.ServerResponse,
  headers: Record<string, string>,
): Promise<AppErrorPayload | null> {
  const parsed = exportRequestSchema.safeParse(body);
  if (!parsed.success) return toAppError(parsed.error);
  const req = parsed.data as ExportRequest;
  const out = lazyResponse(res, () => ({
    ...headers,
    'content-type': CSV_TYPE,
    'content-disposition': `attachment; filename="${exportFileName(req)}"`,
  }));
  try {
    await runExport({ meters: core.meters, readings: core.readings, call: callAs(core.handlers, ctx) }, req, out);
    out.end();
    await finished(out);
    return null;
  } catch (e) {
    if (res.headersSent) {
      res.destroy();
      return null;
    }
    out.destroy();
    return toAppError(e, core.log);
  }
}
