/** Types for svg-to-pdfkit (the package ships none): draws an SVG document onto a PDFKit document. */
declare module 'svg-to-pdfkit' {
  interface SvgToPdfOptions {
    width?: number;
    height?: number;
    preserveAspectRatio?: string;
    /** Takes SVG units as PDF points rather than CSS pixels (1 px = 0.75 pt). */
    assumePt?: boolean;
    /** Maps an SVG font to a font name registered on the document. */
    fontCallback?: (family: string, bold: boolean, italic: boolean) => string;
  }
  function SVGtoPDF(doc: PDFKit.PDFDocument, svg: string, x: number, y: number, options?: SvgToPdfOptions): void;
  export default SVGtoPDF;
}
