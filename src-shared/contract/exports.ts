/**
 * An export's request as a client sends it (the server's `POST /download/export` body, the desktop
 * app's save-to-file message): which table, for which meters, over which UK local days. Checked here
 * with zod so the web page, the desktop app and the core agree on it.
 */
import { z } from 'zod';
import { reportScopeSchema } from './api';
import { parsePeriod } from '../domain/periods';

/** The tables that can be exported. */
export const EXPORT_TABLES = ['readings', 'days', 'totals', 'costs', 'emissions', 'alerts'] as const;

const day = z
  .string()
  .trim()
  .refine((s) => parsePeriod('day', s) !== null, 'expected a real date written YYYY-MM-DD, e.g. 2025-03-01');

/** An export request: table, scope, days [from, to) and the table's options. */
export const exportRequestSchema = z
  .object({
    what: z.enum(EXPORT_TABLES),
    scope: reportScopeSchema,
    from: day,
    to: day,
    layout: z.enum(['long', 'wide']).optional(),
    period: z.enum(['day', 'week', 'month', 'year']).optional(),
    method: z.enum(['halfhourly', 'annual']).optional(),
  })
  .strict();

/** An export request as sent. */
export type ExportRequestBody = z.infer<typeof exportRequestSchema>;
