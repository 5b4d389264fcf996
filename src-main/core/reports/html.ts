/**
 * The HTML renderer: the same report as one self-contained HTML page — no scripts, no external files,
 * charts inline as the same server-rendered SVG the PDF draws, print styles for A4. The period and
 * completeness line stand under the title (the PDF repeats them on every page).
 */

import { chartSvg } from './chart';
import { escapeHtml } from './format';
import { TEXT_WIDTH, type ReportBlock, type ReportDocument } from './model';

const STYLE = `
@page { size: A4; margin: 17mm; }
body { font-family: 'DejaVu Sans', Verdana, sans-serif; color: #111; max-width: ${Math.round(TEXT_WIDTH * 1.34)}px;
  margin: 24px auto; padding: 0 16px; font-size: 14px; line-height: 1.45; }
header, footer { color: #555; font-size: 12px; }
header { border-bottom: 1px solid #999; padding-bottom: 6px; margin-bottom: 12px; }
header h1 { color: #111; font-size: 20px; margin: 0 0 4px; }
footer { border-top: 1px solid #999; padding-top: 6px; margin-top: 24px; }
h2 { font-size: 17px; margin: 22px 0 8px; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 16px; font-size: 13px; }
th, td { padding: 3px 6px; border-bottom: 1px solid #ccc; text-align: left; }
th { border-bottom: 1.5px solid #333; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
figure { margin: 8px 0 18px; }
figcaption { font-weight: bold; margin-bottom: 4px; }
figure svg { width: 100%; height: auto; }
.page-break { break-after: page; }
`;

function block(b: ReportBlock): string {
  switch (b.kind) {
    case 'heading':
      return `<h2>${escapeHtml(b.text)}</h2>`;
    case 'paragraph':
      return `<p>${escapeHtml(b.text)}</p>`;
    case 'figures': {
      const cls = (i: number) => (b.align?.[i] === 'right' ? ' class="num"' : '');
      const head = b.columns.map((c, i) => `<th${cls(i)}>${escapeHtml(c)}</th>`).join('');
      const rows = b.rows.map((r) => `<tr>${r.map((c, i) => `<td${cls(i)}>${escapeHtml(c)}</td>`).join('')}</tr>`);
      return `<table><thead><tr>${head}</tr></thead><tbody>\n${rows.join('\n')}\n</tbody></table>`;
    }
    case 'chart':
      return `<figure><figcaption>${escapeHtml(b.title)}</figcaption>${chartSvg(b.option, TEXT_WIDTH, b.height)}</figure>`;
    case 'pageBreak':
      return '<div class="page-break"></div>';
  }
}

/** Renders the report as a self-contained HTML document. */
export function renderHtml(report: ReportDocument): string {
  return [
    '<!doctype html>',
    '<html lang="en-GB"><head><meta charset="utf-8">',
    `<title>${escapeHtml(report.title)}</title>`,
    `<style>${STYLE}</style></head><body>`,
    `<header><h1>${escapeHtml(report.title)}</h1><div>${escapeHtml(report.period)}</div>`,
    `<div>${escapeHtml(report.completeness)}</div></header>`,
    '<main>',
    ...report.blocks.map(block),
    '</main>',
    `<footer>Made ${escapeHtml(report.generated)} by Eclectyc Energy</footer>`,
    '</body></html>',
    '',
  ].join('\n');
}
