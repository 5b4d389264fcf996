/**
 * The report document model that both renderers (PDF and HTML) draw from: a title, the data's period
 * and completeness line (repeated in every page's header and footer), and a flow of blocks — headings,
 * paragraphs, figures tables, charts given as ECharts options, and explicit page breaks. The PDF
 * renderer lays the flow onto A4 pages; the HTML renderer writes it as one self-contained page.
 */

import type { ReportChartOption } from './chart';

/** One piece of the report's flow. */
export type ReportBlock =
  | { kind: 'heading'; text: string }
  | { kind: 'paragraph'; text: string }
  | {
      kind: 'figures';
      columns: string[];
      rows: string[][];
      /** Per column; numbers read best right-aligned. Left when absent. */
      align?: ('left' | 'right')[];
    }
  | {
      kind: 'chart';
      title: string;
      option: ReportChartOption;
      /** Height in points (the width is the page's text width). */
      height: number;
    }
  | { kind: 'pageBreak' };

/** A whole report, ready to render. */
export interface ReportDocument {
  title: string;
  /** What the report covers, e.g. `Meter 1200050000009 · March 2025 (01/03/2025 – 31/03/2025)`. */
  period: string;
  /** The data's completeness, e.g. `Data: 1,486 of 1,486 half-hours (100.0%)`. */
  completeness: string;
  /** When it was made, UK local `DD/MM/YYYY HH:MM`. */
  generated: string;
  blocks: ReportBlock[];
}

/** A4 in PDF points, and the margins both renderers keep. */
export const A4 = { width: 595.28, height: 841.89, margin: 48 } as const;

/** The width of the text area in points: what charts and tables span. */
export const TEXT_WIDTH = A4.width - 2 * A4.margin;
