/**
 * Which report a request asks for, built from the core: a meter, site or portfolio monthly report
 * (`month`), or an annual SECR-style summary (`year`); and a built report rendered as a file (PDF or
 * HTML) named after what it covers. `reports.make`, the CLI, the server and scheduled deliveries all
 * come through here, so they make the same report.
 */

import { AppError } from '../../../src-shared/contract/errors';
import type { ReportFile, ReportScope } from '../../../src-shared/contract/types';
import type { Call } from '../exports/tables';
import type { Services } from '../services';
import { annualReport } from './annual';
import { renderHtml } from './html';
import { meterMonthReport } from './meter-month';
import type { ReportDocument } from './model';
import { siteMonthReport } from './site-month';
import { renderPdf } from './pdf';

/** A report's request: what it covers and either a month (`YYYY-MM`) or a calendar year. */
export interface ReportRequest {
  scope: ReportScope;
  month?: string;
  year?: number;
}

/** What reports read: the core's services, the contract as the caller (roles apply), and the time now (ms). */
export interface ReportDeps {
  services: Services;
  call: Call;
  now: number;
}

/** Builds the report a request asks for. */
export async function buildReport(deps: ReportDeps, req: ReportRequest): Promise<ReportDocument> {
  if ((req.month === undefined) === (req.year === undefined))
    throw new AppError(
      'INVALID_ARGS',
      'Give either a month (YYYY-MM) for a monthly report or a year for an annual one',
    );
  const s = req.scope;
  if (req.month !== undefined) {
    if ('meter' in s) return meterMonthReport(deps, s.meter, req.month);
    return siteMonthReport(deps, 'siteId' in s ? s.siteId : null, req.month);
  }
  return annualReport(deps.services, s, req.year!, deps.now);
}

/** A file name for a report: `eclectyc-report-<what>-<period>.<ext>`, safe on every filesystem. */
export function reportFileName(req: ReportRequest, format: 'pdf' | 'html'): string {
  const s = req.scope;
  const what = 'meter' in s ? `meter-${s.meter}` : 'siteId' in s ? `site-${s.siteId}` : 'portfolio';
  const period = req.month ?? `${req.year}-annual`;
  return `eclectyc-report-${what}-${period}.${format}`.replace(/[^A-Za-z0-9._-]/g, '_');
}

/** Renders a built report as the file `reports.make` returns. */
export async function reportFile(
  report: ReportDocument,
  req: ReportRequest,
  format: 'pdf' | 'html',
): Promise<ReportFile & { buffer: Buffer }> {
  const buffer = format === 'pdf' ? await renderPdf(report) : Buffer.from(renderHtml(report), 'utf8');
  return {
    title: report.title,
    fileName: reportFileName(req, format),
    contentType: format === 'pdf' ? 'application/pdf' : 'text/html; charset=utf-8',
    encoding: format === 'pdf' ? 'base64' : 'utf8',
    data: format === 'pdf' ? buffer.toString('base64') : buffer.toString('utf8'),
    bytes: buffer.length,
    buffer,
  };
}
