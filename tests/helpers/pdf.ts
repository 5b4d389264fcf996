/**
 * Reading reports back in tests: each page's text from a PDF with PDF.js (the legacy build, as Node
 * needs), and the UK local date of an instant worked out with `Intl`, not through the app's own code.
 */

/** The text of each page of a PDF, its items joined by spaces. */
export async function pdfText(bytes: Uint8Array): Promise<string[]> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const doc = await pdfjs.getDocument({ data: new Uint8Array(bytes), useSystemFonts: false }).promise;
  const out: string[] = [];
  for (let n = 1; n <= doc.numPages; n++) {
    const content = await (await doc.getPage(n)).getTextContent();
    out.push(content.items.map((it) => ('str' in it ? it.str : '')).join(' '));
  }
  await doc.destroy();
  return out;
}

const london = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** `YYYY-MM-DD` of the UK local date of a UTC instant in ms. */
export function localDate(ms: number): string {
  const [d, m, y] = london.format(new Date(ms)).split('/');
  return `${y}-${m}-${d}`;
}
