/**
 * The PDF renderer: lays a report's flow onto A4 pages with PDFKit, charts drawn from their SVG by
 * svg-to-pdfkit as vectors, all text real (searchable, copyable) in an embedded, subset DejaVu Sans
 * that covers £, accents and dashes. Every page carries the title and period in its header and the
 * completeness line and "Page N of M" in its footer.
 */

import { createRequire } from 'node:module';
import path from 'node:path';
import PDFDocument from 'pdfkit';
import SVGtoPDF from 'svg-to-pdfkit';
import { chartSvg } from './chart';
import { A4, TEXT_WIDTH, type ReportBlock, type ReportDocument } from './model';

// beside the bundle (dist/) or the source; from the working folder where neither is known (ESM scripts)
const requireHere = createRequire(typeof __filename === 'string' ? __filename : path.join(process.cwd(), 'index.js'));

/** Paths of the embedded fonts (the dejavu-fonts-ttf package). */
export function reportFonts(): { regular: string; bold: string } {
  return {
    regular: requireHere.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'),
    bold: requireHere.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf'),
  };
}

const BAND = 26; // header and footer bands inside the margin
const TOP = A4.margin + BAND;
const BOTTOM = A4.height - A4.margin - BAND;
const ROW = 15;
const GREY = '#555555';

type Doc = InstanceType<typeof PDFDocument>;

/** Renders the report as a PDF file's bytes. */
export async function renderPdf(report: ReportDocument): Promise<Buffer> {
  const fonts = reportFonts();
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: TOP, bottom: A4.height - BOTTOM, left: A4.margin, right: A4.margin },
    bufferPages: true,
    font: fonts.regular,
    lang: 'en-GB',
    displayTitle: true,
    info: { Title: report.title, Subject: report.period, Producer: 'Eclectyc Energy' },
  });
  doc.registerFont('body', fonts.regular);
  doc.registerFont('bold', fonts.bold);
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const ended = new Promise<void>((resolve, reject) => {
    doc.on('end', resolve);
    doc.on('error', reject);
  });

  report.blocks.forEach((block, i) => drawBlock(doc, block, report.blocks[i + 1]));
  const { start, count } = doc.bufferedPageRange();
  for (let i = start; i < start + count; i++) {
    doc.switchToPage(i);
    drawFrame(doc, report, i - start + 1, count);
  }
  doc.end();
  await ended;
  return Buffer.concat(chunks);
}

/** Starts a new page when `height` more points would not fit on this one. */
function room(doc: Doc, height: number): void {
  if (doc.y + height > BOTTOM) doc.addPage();
}

/** The least height of a block that must stand on the same page as the heading above it. */
function leadHeight(block: ReportBlock | undefined): number {
  switch (block?.kind) {
    case 'paragraph':
      return 30; // two lines
    case 'figures':
      return 4 * ROW; // the header and three rows
    case 'chart':
      return block.height + 20;
    default:
      return 0;
  }
}

/** Draws one block; `next` keeps a heading on the page of what follows it (never alone at a page's foot). */
function drawBlock(doc: Doc, block: ReportBlock, next: ReportBlock | undefined): void {
  const x = A4.margin;
  switch (block.kind) {
    case 'heading':
      room(doc, 40 + leadHeight(next));
      doc.moveDown(0.6).font('bold').fontSize(13).fillColor('black').text(block.text, x, doc.y, { width: TEXT_WIDTH });
      doc.moveDown(0.3);
      return;
    case 'paragraph': {
      doc.font('body').fontSize(10).fillColor('black');
      room(doc, doc.heightOfString(block.text, { width: TEXT_WIDTH }));
      doc.text(block.text, x, doc.y, { width: TEXT_WIDTH });
      doc.moveDown(0.5);
      return;
    }
    case 'figures':
      drawTable(doc, block);
      return;
    case 'chart': {
      room(doc, block.height + 20);
      doc.font('bold').fontSize(10).fillColor('black').text(block.title, x, doc.y, { width: TEXT_WIDTH });
      const y = doc.y + 2;
      const svg = chartSvg(block.option, TEXT_WIDTH, block.height);
      SVGtoPDF(doc, svg, x, y, {
        width: TEXT_WIDTH,
        height: block.height,
        assumePt: true, // the SVG was laid out in points (1 px = 1 pt)
        fontCallback: (_family: string, bold: boolean) => (bold ? 'bold' : 'body'),
      });
      doc.x = x;
      doc.y = y + block.height + 8;
      return;
    }
    case 'pageBreak':
      doc.addPage();
      return;
  }
}

/** Column widths: the first column (labels) twice as wide as each of the others. */
function columnWidths(n: number): number[] {
  const unit = TEXT_WIDTH / (n + 1);
  return Array.from({ length: n }, (_, i) => (i === 0 ? 2 * unit : unit));
}

/**
 * A cell's text made to fit its column on one line: set smaller (down to 6.5 pt) when too wide, and only
 * when still too wide cut with an ellipsis (the HTML report keeps the whole text).
 */
function fitCell(doc: Doc, text: string, width: number): string {
  for (let size = 9; size >= 6.5; size -= 0.5) {
    doc.fontSize(size);
    if (doc.widthOfString(text) <= width) return text;
  }
  let cut = text;
  while (cut.length > 1 && doc.widthOfString(`${cut}…`) > width) cut = cut.slice(0, -1);
  return `${cut.trimEnd()}…`;
}

function drawTable(doc: Doc, table: Extract<ReportBlock, { kind: 'figures' }>): void {
  const widths = columnWidths(table.columns.length);
  const row = (cells: string[], font: 'body' | 'bold') => {
    let cx = A4.margin;
    const y = doc.y;
    doc.font(font).fontSize(9).fillColor('black');
    cells.forEach((cell, i) => {
      const align = table.align?.[i] ?? 'left';
      const text = fitCell(doc, cell, widths[i]! - 6);
      doc.text(text, cx + 3, y + 3, { width: widths[i]! - 6, align, lineBreak: false, height: ROW });
      doc.fontSize(9);
      cx += widths[i]!;
    });
    doc
      .moveTo(A4.margin, y + ROW)
      .lineTo(A4.margin + TEXT_WIDTH, y + ROW)
      .lineWidth(font === 'bold' ? 0.8 : 0.3)
      .strokeColor(font === 'bold' ? '#333333' : '#bbbbbb')
      .stroke();
    doc.x = A4.margin;
    doc.y = y + ROW;
  };
  room(doc, 3 * ROW);
  row(table.columns, 'bold');
  for (const cells of table.rows) {
    if (doc.y + ROW > BOTTOM) {
      doc.addPage();
      row(table.columns, 'bold');
    }
    row(cells, 'body');
  }
  doc.moveDown(0.8);
}

/** The header (title, period) and footer (completeness, page number) of page `n` of `total`. */
function drawFrame(doc: Doc, report: ReportDocument, n: number, total: number): void {
  const bottomMargin = doc.page.margins.bottom;
  doc.page.margins.bottom = 0; // writing in the footer band must not start a new page
  const x = A4.margin;
  doc.font('bold').fontSize(9).fillColor('black');
  doc.text(report.title, x, A4.margin, { width: TEXT_WIDTH, lineBreak: false });
  doc.font('body').fontSize(8).fillColor(GREY);
  doc.text(report.period, x, A4.margin + 12, { width: TEXT_WIDTH, lineBreak: false });
  doc
    .moveTo(x, TOP - 6)
    .lineTo(x + TEXT_WIDTH, TOP - 6)
    .lineWidth(0.5)
    .strokeColor('#999999')
    .stroke();
  const fy = BOTTOM + 10;
  doc.text(report.completeness, x, fy, { width: TEXT_WIDTH - 90, lineBreak: false });
  doc.text(`Page ${n} of ${total}`, x + TEXT_WIDTH - 90, fy, { width: 90, align: 'right', lineBreak: false });
  doc.text(`Made ${report.generated} by Eclectyc Energy`, x, fy + 11, { width: TEXT_WIDTH, lineBreak: false });
  doc.page.margins.bottom = bottomMargin;
}
