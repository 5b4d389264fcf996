// node scripts/bench/reports.mjs — the report engine: the meter month report (2 pages, 2 charts)
// made on a real core, rendered to PDF by PDFKit + svg-to-pdfkit (the app's engine) and by pdf-lib
// (the alternative, first page only), and to HTML; times are medians of 10 runs after a warm-up.
// The files land in node_modules/.cache/eclectyc-bench/reports/ to look at.
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { fmtBytes, fmtMs, importedPortfolio, machineLine, MIGRATIONS, options, REPO, table } from './portfolio.mjs';

// --annual [--meters N --days D]: also the annual (SECR) summary of the bench portfolio (imported once into .bench/)
const annual = process.argv.includes('--annual');
if (annual) process.argv.splice(process.argv.indexOf('--annual'), 1);

const out = path.join(REPO, 'node_modules/.cache/eclectyc-bench/reports');
fs.mkdirSync(out, { recursive: true });
// bundled as scripts/build-main.mjs bundles the app: PDFKit external, the fonts found from the bundle
await build({
  entryPoints: { 'reports-harness': path.join(REPO, 'scripts/bench/reports-harness.ts') },
  outdir: out,
  outExtension: { '.js': '.cjs' },
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['better-sqlite3', 'electron', 'electron-updater', 'pdfkit', 'ssh2', 'ssh2-sftp-client', 'pdfjs-dist'],
  logLevel: 'error',
});
const h = await import(path.join(out, 'reports-harness.cjs'));
console.log(await machineLine());
const r = await h.run(MIGRATIONS, out);
const searchable = (t) => (/Consumption/.test(t.text) && /£|kWh/.test(t.text) ? 'yes' : 'no');
console.log(`\nMeter month report, ${r.pdfkit.pages} A4 pages; ${r.completeness}\n`);
console.log(
  table(
    ['measurement', 'time', 'size', 'pages', 'text read back'],
    [
      ['report built from the core (totals.list ×4, readings.series)', fmtMs(r.buildMs), '', '', ''],
      ['one chart to SVG (ECharts SSR, 31 days × 2 series)', fmtMs(r.svgMs), '', '', ''],
      [
        '**PDF, PDFKit + svg-to-pdfkit** (whole report)',
        fmtMs(r.pdfkit.ms),
        fmtBytes(r.pdfkit.bytes),
        r.pdfkit.pages,
        searchable(r.pdfkit),
      ],
      ['per page', fmtMs(r.pdfkit.ms / r.pdfkit.pages), fmtBytes(r.pdfkit.bytes / r.pdfkit.pages), '', ''],
      [
        'PDF, PDFKit, the same report without its two charts',
        fmtMs(r.pdfkitText.ms),
        fmtBytes(r.pdfkitText.bytes),
        '',
        '',
      ],
      [
        'PDF, pdf-lib + fontkit (first page: text, both charts)',
        fmtMs(r.pdfLib.ms),
        fmtBytes(r.pdfLib.bytes),
        r.pdfLib.pages,
        searchable(r.pdfLib),
      ],
      ['**HTML** (whole report, inline SVG)', fmtMs(r.html.ms), fmtBytes(r.html.bytes), '', 'yes'],
    ],
  ),
);
if (annual) {
  const { work } = await importedPortfolio(options(), 'eclectyc-bench-annual-');
  const a = await h.annualPortfolio(work, MIGRATIONS, out);
  console.log(`\nAnnual (SECR) summary of the portfolio, 2024: ${a.meters} meters on sites of 20; ${a.completeness}\n`);
  console.log(
    table(
      ['measurement', 'time', 'size', 'pages'],
      [
        ['report built from the core (totals.list ×2, readDays ×2, per meter)', fmtMs(a.buildMs), '', ''],
        ['**PDF**', fmtMs(a.pdf.ms), fmtBytes(a.pdf.bytes), a.pdf.pages],
        ['**HTML**', fmtMs(a.html.ms), fmtBytes(a.html.bytes), ''],
      ],
    ),
  );
}
console.log(`\nFiles: ${out}`);
