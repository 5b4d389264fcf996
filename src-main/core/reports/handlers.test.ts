/**
 * `reports.make` through dispatch: a viewer makes a meter's month report as PDF and as HTML, the
 * figures read back (PDF.js for the PDF) and compared with sums of the half-hours this test wrote;
 * a request the core cannot answer is refused with a plain message and no file.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../app';
import { dispatch } from '../rpc/dispatch';
import type { ReportFile } from '../../../src-shared/contract/types';
import { importFiles, makeCore, writeTemp } from '../../../tests/helpers/core';
import { pdfText } from '../../../tests/helpers/pdf';

const MPAN = '1200050000106';
const viewer = { role: 'viewer' as const, actor: 'test' };
/** Half-hours of April 2025 (BST all month): 1.25 kWh by day, 0.5 kWh by night (UTC 21:00–06:00). */
const rows: [string, number][] = [];
for (let t = Date.UTC(2025, 2, 31, 23); t < Date.UTC(2025, 3, 30, 23); t += 1_800_000) {
  const h = new Date(t).getUTCHours();
  rows.push([new Date(t).toISOString(), h >= 21 || h < 6 ? 0.5 : 1.25]);
}
const total = rows.reduce((a, [, v]) => a + v, 0);
const oneDp = (n: number) => n.toLocaleString('en-GB', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

let core: Core;
beforeAll(async () => {
  core = await makeCore();
  const csv = ['MPAN,Timestamp,kWh', ...rows.map(([t, v]) => `${MPAN},${t},${v}`)].join('\n');
  await importFiles(core, [writeTemp('april.csv', csv)]);
}, 60_000);
afterAll(() => core?.stop());

const make = (args: unknown) => dispatch(core.handlers, 'reports.make', args, viewer);

describe('reports.make', () => {
  it('gives a viewer the meter month as a PDF whose text states the month total', async () => {
    const r = await make({ scope: { meter: MPAN }, month: '2025-04', format: 'pdf' });
    if (!r.ok) throw new Error(r.error.message);
    const f = r.value as ReportFile;
    expect(f).toMatchObject({ contentType: 'application/pdf', encoding: 'base64' });
    expect(f.fileName).toBe(`eclectyc-report-meter-${MPAN}-2025-04.pdf`);
    const bytes = Buffer.from(f.data, 'base64');
    expect(bytes.length).toBe(f.bytes);
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    const text = (await pdfText(bytes)).join('\n');
    expect(text).toContain(f.title);
    expect(text).toContain(`Consumption was ${oneDp(total)} kWh`);
    expect(text).toContain('April 2025: 01/04/2025 to 30/04/2025 (UK local time)');
  });

  it('gives the same report as HTML text', async () => {
    const r = await make({ scope: { meter: MPAN }, month: '2025-04', format: 'html' });
    if (!r.ok) throw new Error(r.error.message);
    const f = r.value as ReportFile;
    expect(f).toMatchObject({ contentType: 'text/html; charset=utf-8', encoding: 'utf8' });
    expect(f.data.startsWith('<!DOCTYPE html>') || f.data.startsWith('<!doctype html>')).toBe(true);
    expect(Buffer.byteLength(f.data)).toBe(f.bytes);
    expect(f.data).toContain(`${oneDp(total)} kWh`);
  });

  it('refuses an unknown meter and a request with both a month and a year, in plain words', async () => {
    const unknown = await make({ scope: { meter: '1200050000203' }, month: '2025-04', format: 'pdf' });
    expect(unknown.ok).toBe(false);
    if (unknown.ok) return;
    expect(unknown.error.code).toBe('NOT_FOUND');
    expect(unknown.error.message).toMatch(/^[A-Z].*1200050000203/);
    const both = await make({ scope: { meter: MPAN }, month: '2025-04', year: 2025, format: 'pdf' });
    expect(both.ok).toBe(false);
    if (both.ok) return;
    expect(both.error.code).toBe('INVALID_ARGS');
    expect(both.error.message).toMatch(/month.*year/i);
  });
});
