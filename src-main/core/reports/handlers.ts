/**
 * The contract's `reports.make`: builds the report a request asks for (a meter, site or portfolio
 * month, or an annual summary) reading the core as the caller, and returns it as a file (PDF as
 * base64, HTML as text) for the app, the server and the CLI to save or show.
 */
import type { Handlers } from '../../../src-shared/contract/api';
import { callAs } from '../exports/export';
import type { Services } from '../services';
import type { ReportRequest } from './build';

/**
 * `handlers` gives the merged handlers, so a report reads the contract with the caller's role. The
 * report engine (ECharts, PDFKit) is loaded on the first report, not when the core starts: every
 * command and the server start without it.
 */
export const reportHandlers = (s: Services, handlers: () => Handlers) =>
  ({
    'reports.make': async (a, ctx) => {
      const req: ReportRequest = {
        scope: a.scope,
        ...(a.month !== undefined ? { month: a.month } : {}),
        ...(a.year !== undefined ? { year: a.year } : {}),
      };
      const { buildReport, reportFile } = await import('./build');
      const report = await buildReport({ services: s, call: callAs(handlers(), ctx), now: s.clock.now() }, req);
      const { buffer: _bytes, ...file } = await reportFile(report, req, a.format);
      return file;
    },
  }) satisfies Partial<Handlers>;
