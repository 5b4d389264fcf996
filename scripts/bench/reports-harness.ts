/**
 * Bundled and run by scripts/bench/reports.mjs: the meter month report on a real core (one meter, two
 * years of generated half-hours), rendered by the app's engine (PDFKit + svg-to-pdfkit) and by the
 * alternative measured for docs/reports.md (pdf-lib + fontkit, the chart SVG's paths and texts drawn
 * by a minimal converter written here), each read back with PDF.js to see its text is searchable.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument, concatTransformationMatrix, popGraphicsState, pushGraphicsState, rgb } from 'pdf-lib';
import { createCore } from '../../src-main/core/app';
import { silentLogger } from '../../src-main/core/events';
import { chartSvg } from '../../src-main/core/reports/chart';
import { renderHtml } from '../../src-main/core/reports/html';
import { annualReport } from '../../src-main/core/reports/annual';
import { callAs } from '../../src-main/core/exports/export';
import { meterMonthReport } from '../../src-main/core/reports/meter-month';
import type { Services } from '../../src-main/core/services';
import { A4, TEXT_WIDTH, type ReportBlock, type ReportDocument } from '../../src-main/core/reports/model';
import { renderPdf, reportFonts } from '../../src-main/core/reports/pdf';

const MPAN = '1200050000009';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function timed<T>(runs: number, f: () => Promise<T> | T): Promise<{ ms: number; value: T }> {
  let value = await f(); // warm-up
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    value = await f();
    times.push(performance.now() - t);
  }
  return { ms: median(times), value };
}

function color(v: string | undefined): ReturnType<typeof rgb> | undefined {
  const m = v && /^#([0-9a-f]{6})$/i.exec(v);
  if (m) {
    const n = parseInt(m[1]!, 16);
    return rgb((n >> 16) / 255, ((n >> 8) & 255) / 255, (n & 255) / 255);
  }
  const r = v && /^rgb\((\d+),\s*(\d+),\s*(\d+)\)$/.exec(v);
  return r ? rgb(Number(r[1]) / 255, Number(r[2]) / 255, Number(r[3]) / 255) : undefined;
}

const attr = (tag: string, name: string) => new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];

/** pdf-lib: the first page's title, paragraph and charts, the SVG's paths and texts placed by hand. */
async function pdfLibPage(report: ReportDocument): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.registerFontkit(fontkit);
  const font = await pdf.embedFont(fs.readFileSync(reportFonts().regular), { subset: true });
  const page = pdf.addPage([A4.width, A4.height]);
  let y = A4.height - A4.margin;
  page.drawText(report.title, { x: A4.margin, y, size: 12, font });
  y -= 30;
  const charts = report.blocks.filter((b): b is Extract<ReportBlock, { kind: 'chart' }> => b.kind === 'chart');
  for (const b of report.blocks) {
    if (b.kind === 'paragraph') {
      page.drawText(b.text, { x: A4.margin, y, size: 9, font, maxWidth: TEXT_WIDTH, lineHeight: 12 });
      y -= 50;
    }
  }
  for (const c of charts) {
    page.drawText(c.title, { x: A4.margin, y, size: 10, font });
    y -= 4;
    const svg = chartSvg(c.option, TEXT_WIDTH, c.height);
    const top = y;
    for (const m of svg.matchAll(/<(path|text)\b([^>]*)>(?:([^<]*)<\/text>)?/g)) {
      const tag = m[2]!;
      const t = /matrix\(([^)]+)\)/
        .exec(attr(tag, 'transform') ?? '')?.[1]
        ?.split(/[ ,]+/)
        .map(Number);
      const tr = /translate\(([^)]+)\)/
        .exec(attr(tag, 'transform') ?? '')?.[1]
        ?.split(/[ ,]+/)
        .map(Number);
      const [a, b2, cc, d, e, f] = t ?? [1, 0, 0, 1, tr?.[0] ?? 0, tr?.[1] ?? 0];
      // SVG y runs down from the chart's top: flip into PDF space, then apply the element's transform
      page.pushOperators(
        pushGraphicsState(),
        concatTransformationMatrix(1, 0, 0, -1, A4.margin, top),
        concatTransformationMatrix(a!, b2!, cc!, d!, e!, f!),
      );
      // drawSvgPath and drawText flip y themselves (PDF space): flip back into the SVG's y-down space
      page.pushOperators(concatTransformationMatrix(1, 0, 0, -1, 0, 0));
      if (m[1] === 'path') {
        const fill = color(attr(tag, 'fill'));
        const stroke = color(attr(tag, 'stroke'));
        if (fill || stroke)
          page.drawSvgPath(attr(tag, 'd') ?? '', {
            x: 0,
            y: 0,
            color: fill,
            borderColor: stroke,
            borderWidth: stroke ? Number(attr(tag, 'stroke-width') ?? 1) : 0,
            opacity: Number(attr(tag, 'fill-opacity') ?? 1),
          });
      } else if (m[3]) {
        const text = m[3].trim();
        const size = Number(/font-size:([\d.]+)px/.exec(tag)?.[1] ?? 12);
        const width = font.widthOfTextAtSize(text, size);
        const anchor = attr(tag, 'text-anchor');
        const dx = anchor === 'middle' ? -width / 2 : anchor === 'end' ? -width : 0;
        // drawText's y is the baseline, up the page: a centred SVG line sits a third of the size lower
        const y0 = -Number(attr(tag, 'y') ?? 0) - size * 0.35;
        page.drawText(text, {
          x: dx + Number(attr(tag, 'x') ?? 0),
          y: y0,
          size,
          font,
          color: color(attr(tag, 'fill')) ?? rgb(0, 0, 0),
        });
      }
      page.pushOperators(popGraphicsState());
    }
    y -= c.height + 20;
  }
  return pdf.save();
}

async function pages(bytes: Uint8Array): Promise<{ pages: number; text: string }> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const doc = await pdfjs.getDocument({ data: new Uint8Array(bytes) }).promise;
  let text = '';
  for (let n = 1; n <= doc.numPages; n++)
    text += (await (await doc.getPage(n)).getTextContent()).items.map((i) => ('str' in i ? i.str : '')).join(' ');
  const count = doc.numPages;
  await doc.destroy();
  return { pages: count, text };
}

/** Runs the measurements; `out` gets the rendered files to look at. */
export async function run(migrationsDir: string, out: string, runs = 10) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'eclectyc-bench-reports-'));
  const core = await createCore({ dataDir, migrationsDir, log: silentLogger });
  try {
    const lines = ['MPAN,Timestamp,kWh'];
    for (let t = Date.UTC(2024, 0, 1); t < Date.UTC(2025, 5, 1); t += 1_800_000) {
      const h = new Date(t).getUTCHours();
      lines.push(
        `${MPAN},${new Date(t).toISOString()},${(2 + (h >= 8 && h < 18 ? 6 : 0) + ((t / 1_800_000) % 7) / 5).toFixed(2)}`,
      );
    }
    const csv = path.join(dataDir, 'meter.csv');
    fs.writeFileSync(csv, lines.join('\n'));
    const { jobIds } = core.imports.enqueue([(await core.files.storePath(csv)).fileId], {});
    await core.imports.drain((id) => jobIds.includes(id));

    const deps = {
      services: core as unknown as Services,
      call: callAs(core.handlers, { role: 'admin', actor: 'bench' }),
      now: Date.now(),
    };
    const build = await timed(runs, () => meterMonthReport(deps, MPAN, '2025-03'));
    const report = build.value;
    const svg = await timed(runs, () =>
      chartSvg(report.blocks.find((b) => b.kind === 'chart')!.option, TEXT_WIDTH, 230),
    );
    const kit = await timed(runs, () => renderPdf(report));
    const noCharts = { ...report, blocks: report.blocks.filter((b) => b.kind !== 'chart') };
    const kitText = await timed(runs, () => renderPdf(noCharts));
    const html = await timed(runs, () => renderHtml(report));
    const lib = await timed(runs, () => pdfLibPage(report));
    fs.writeFileSync(path.join(out, 'meter-month.pdf'), kit.value);
    fs.writeFileSync(path.join(out, 'meter-month.html'), html.value);
    fs.writeFileSync(path.join(out, 'pdf-lib-page1.pdf'), lib.value);
    const kitRead = await pages(kit.value);
    const libRead = await pages(lib.value);
    return {
      buildMs: build.ms,
      svgMs: svg.ms,
      pdfkit: { ms: kit.ms, bytes: kit.value.length, ...kitRead },
      pdfkitText: { ms: kitText.ms, bytes: kitText.value.length },
      html: { ms: html.ms, bytes: Buffer.byteLength(html.value) },
      pdfLib: { ms: lib.ms, bytes: lib.value.length, ...libRead },
      completeness: report.completeness,
    };
  } finally {
    await core.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * The annual (SECR) summary of a whole imported portfolio (a copy of the bench's data folder): its
 * meters put on sites of 20 (every other site with a floor area), the 2024 report built and rendered.
 */
export async function annualPortfolio(dataDir: string, migrationsDir: string, out: string, runs = 3) {
  const core = await createCore({ dataDir, migrationsDir, log: silentLogger });
  try {
    const meters = core.meters.analysisRows();
    const t = performance.now();
    const onSite = core.sqlite.prepare('UPDATE meters SET site_id = ? WHERE id = ?');
    core.sqlite.transaction(() => {
      for (let i = 0; i < meters.length; i += 20) {
        const site = core.meters.createSite(`Site ${i / 20 + 1}`, undefined, undefined, {
          floorAreaM2: (i / 20) % 2 ? null : 1500 + i,
        });
        for (const m of meters.slice(i, i + 20)) onSite.run(site.id, m.id);
      }
    })();
    const setupMs = performance.now() - t;
    const build = await timed(runs, () => annualReport(core, { all: true }, 2024));
    const pdf = await timed(runs, () => renderPdf(build.value));
    const html = await timed(runs, () => renderHtml(build.value));
    fs.writeFileSync(path.join(out, 'annual-portfolio.pdf'), pdf.value);
    fs.writeFileSync(path.join(out, 'annual-portfolio.html'), html.value);
    return {
      meters: meters.length,
      setupMs,
      buildMs: build.ms,
      pdf: { ms: pdf.ms, bytes: pdf.value.length, ...(await pages(pdf.value)) },
      html: { ms: html.ms, bytes: Buffer.byteLength(html.value) },
      completeness: build.value.completeness,
    };
  } finally {
    await core.stop();
  }
}
