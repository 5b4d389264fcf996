/**
 * What a run makes, from the time it was due (UK local): a report of the last whole month or
 * calendar year, an export of yesterday, the last 7 days or the last whole month, or an email
 * digest of the last whole week or month with its PDF (the month's report, or the period's summary
 * when there is no report to make). The file is written to a staging folder (an export streams
 * there in constant memory) and delivered from it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { finished } from 'node:stream/promises';
import { AppError } from '../../../src-shared/contract/errors';
import type { ReportScope, ScheduleWhat } from '../../../src-shared/contract/types';
import { dateOfDay, isoDay } from '../../../src-shared/domain/periods';
import { runExport } from '../exports/export';
import { exportFileName } from '../exports/file';
import type { Call } from '../exports/tables';
import type { ReportRequest } from '../reports/build';
import { escapeHtml, ukDate } from '../reports/format';
import type { Services } from '../services';
import { digestHtml, digestSummary, digestText, digestTitle, gatherDigest, scopeName } from './digest';
import { digestPeriods, dueDay, exportRange, lastMonth } from './periods';

/** A file made by a run, ready to deliver, with the words an email carries. */
export interface Artefact {
  fileName: string;
  /** Where it was staged. */
  path: string;
  bytes: number;
  contentType: string;
  subject: string;
  text: string;
  html: string;
}

/** What a run reads: the core's services, the contract as the schedule's caller, the time now, a staging folder. */
export interface MakeDeps {
  services: Services;
  call: Call;
  now: number;
  staging: string;
}

/** The scope as it goes into a file name. */
const scopeTag = (s: ReportScope): string =>
  'meter' in s ? `meter-${s.meter}` : 'siteId' in s ? `site-${s.siteId}` : 'portfolio';

const plain = (title: string, fileName: string): { text: string; html: string } => ({
  text: `${title}\n\nAttached: ${fileName}\n`,
  html: `<p>${escapeHtml(title)}</p><p>Attached: ${escapeHtml(fileName)}</p>`,
});

async function stage(deps: MakeDeps, fileName: string, buffer: Buffer): Promise<string> {
  const file = path.join(deps.staging, fileName);
  await fs.promises.writeFile(file, buffer);
  return file;
}

/** Makes the file of a run due at `dueAt` (ms). */
export async function makeArtefact(deps: MakeDeps, what: ScheduleWhat, dueAt: number): Promise<Artefact> {
  const day = dueDay(dueAt);
  const reportDeps = { services: deps.services, call: deps.call, now: deps.now };
  if (what.kind === 'report') {
    const req: ReportRequest =
      what.period === 'month'
        ? { scope: what.scope, month: lastMonth(day).month }
        : { scope: what.scope, year: dateOfDay(day).y - 1 };
    const { buildReport, reportFile } = await import('../reports/build');
    const f = await reportFile(await buildReport(reportDeps, req), req, what.format);
    return {
      fileName: f.fileName,
      path: await stage(deps, f.fileName, f.buffer),
      bytes: f.bytes,
      contentType: f.contentType,
      subject: f.title,
      ...plain(f.title, f.fileName),
    };
  }
  if (what.kind === 'export') {
    const r = exportRange(what.range, day);
    const req = { what: what.table, scope: what.scope, from: isoDay(r.from), to: isoDay(r.to), layout: what.layout };
    const fileName = exportFileName(req);
    const file = path.join(deps.staging, fileName);
    const out = fs.createWriteStream(file);
    try {
      await runExport({ meters: deps.services.meters, readings: deps.services.readings, call: deps.call }, req, out);
    } finally {
      out.end();
      await finished(out).catch(() => undefined);
    }
    const title = `Export of ${what.table}: ${scopeName(deps.services.meters, what.scope)}, ${ukDate(r.from)} – ${ukDate(r.to - 1)}`;
    return {
      fileName,
      path: file,
      bytes: fs.statSync(file).size,
      contentType: 'text/csv; charset=utf-8',
      subject: title,
      ...plain(title, fileName),
    };
  }
  const periods = digestPeriods(what.period, day);
  const digest = await gatherDigest(
    deps.call,
    deps.services.meters,
    deps.services.readings,
    what.scope,
    what.period,
    periods,
  );
  let fileName = `eclectyc-digest-${scopeTag(what.scope)}-${what.period}-${isoDay(periods.current.from)}.pdf`;
  let buffer: Buffer | null = null;
  if (what.period === 'month') {
    // the month's report when it can be built; a month without readings gets the summary instead
    const req: ReportRequest = { scope: what.scope, month: lastMonth(day).month };
    try {
      const { buildReport, reportFile } = await import('../reports/build');
      const f = await reportFile(await buildReport(reportDeps, req), req, 'pdf');
      fileName = f.fileName;
      buffer = f.buffer;
    } catch (e) {
      if (!(e instanceof AppError && e.code === 'NOT_FOUND')) throw e;
    }
  }
  buffer ??= await (await import('../reports/pdf')).renderPdf(digestSummary(digest, deps.now));
  return {
    fileName,
    path: await stage(deps, fileName, buffer),
    bytes: buffer.length,
    contentType: 'application/pdf',
    subject: digestTitle(digest),
    text: digestText(digest, fileName),
    html: digestHtml(digest, fileName),
  };
}
