/**
 * `eclectyc report` as a person runs it: a real process on a bundled build importing a month of
 * half-hours, then writing the meter's report as PDF (read back with PDF.js) and HTML; the month's
 * total compared with the sum of what the test wrote. A failure exits 1 with the reason and leaves
 * no file (and no `.part`) behind.
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCli, runCli } from '../../tests/helpers/cli';
import { makeCore, tempDir, writeTemp } from '../../tests/helpers/core';
import { dispatch } from '../core/rpc/dispatch';

const ADMIN = { role: 'admin', actor: 'test' } as const;
import { pdfText } from '../../tests/helpers/pdf';

const MPAN = '1200050000300';
/** May 2025, BST: half-hour i of the month has 0.2 + (i mod 9) × 0.1 kWh. */
const values: number[] = [];
const lines = ['MPAN,Timestamp,kWh'];
for (let t = Date.UTC(2025, 3, 30, 23), i = 0; t < Date.UTC(2025, 4, 31, 23); t += 1_800_000, i++) {
  const v = Number((0.2 + (i % 9) * 0.1).toFixed(1));
  values.push(v);
  lines.push(`${MPAN},${new Date(t).toISOString()},${v}`);
}
const total = values.reduce((a, b) => a + b, 0);
const oneDp = (n: number) => n.toLocaleString('en-GB', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

let cli: string;
let d: string[];
beforeAll(async () => {
  cli = await buildCli();
  d = ['--data-dir', tempDir()];
  const r = runCli(cli, ['import', writeTemp('may.csv', lines.join('\n')), ...d]);
  expect(r.code, r.stderr).toBe(0);
}, 120_000);

type Printed = { file: string; bytes: number; title: string };

describe('eclectyc report', () => {
  it('writes the meter month as a PDF whose text states the total, and prints file, bytes and title', async () => {
    const out = path.join(tempDir(), 'may.pdf');
    const r = runCli(cli, ['report', '--meter', MPAN, '--month', '2025-05', '--format', 'pdf', '--out', out, ...d]);
    expect(r.code, r.stderr).toBe(0);
    const printed = JSON.parse(r.stdout) as Printed;
    const bytes = fs.readFileSync(out);
    expect(printed).toEqual({ file: out, bytes: bytes.length, title: expect.stringContaining(MPAN) as string });
    expect(fs.readdirSync(path.dirname(out))).toEqual(['may.pdf']);
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    const text = (await pdfText(bytes)).join('\n');
    expect(text).toContain(printed.title);
    expect(text).toContain(`Consumption was ${oneDp(total)} kWh`);
    expect(text).toMatch(/Page 1 of \d/);
  });

  it('writes the same report as HTML', () => {
    const out = path.join(tempDir(), 'may.html');
    const r = runCli(cli, ['report', '--meter', MPAN, '--month', '2025-05', '--format', 'html', '--out', out, ...d]);
    expect(r.code, r.stderr).toBe(0);
    const html = fs.readFileSync(out, 'utf8');
    expect((JSON.parse(r.stdout) as Printed).bytes).toBe(Buffer.byteLength(html));
    expect(html).toContain(`${oneDp(total)} kWh`);
    expect(html).toContain('01/05/2025 to 31/05/2025');
  });

  it('takes the format from --out without --format, and refuses a --format that contradicts it', () => {
    const dir = tempDir();
    for (const [name, magic] of [
      ['x.html', '<!DOCTYPE html>'],
      ['x.HTM', '<!DOCTYPE html>'],
      ['x.pdf', '%PDF-'],
      ['x.report', '%PDF-'],
    ] as const) {
      const out = path.join(dir, name);
      const r = runCli(cli, ['report', '--meter', MPAN, '--month', '2025-05', '--out', out, ...d]);
      expect(r.code, r.stderr).toBe(0);
      expect(fs.readFileSync(out, 'utf8').slice(0, magic.length).toUpperCase(), name).toBe(magic.toUpperCase());
    }
    const out = path.join(dir, 'y.pdf');
    const r = runCli(cli, ['report', '--meter', MPAN, '--month', '2025-05', '--format', 'html', '--out', out, ...d]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`--format html does not match --out ${out}, a .pdf name`);
    expect(fs.existsSync(out)).toBe(false);
  });

  it('refuses a year outside 1990–2100 with a plain message, here and through the contract', async () => {
    const out = path.join(tempDir(), 'x.pdf');
    for (const year of ['1989', '2101', '25']) {
      const r = runCli(cli, ['report', '--all', '--year', year, '--out', out, ...d]);
      expect(r.code, year).toBe(2);
      expect(r.stderr).toContain(`--year must be a year from 1990 to 2100 (YYYY), not "${year}"`);
      expect(r.stderr).not.toMatch(/Too small|expected number/);
    }
    expect(fs.existsSync(out)).toBe(false);
    const c = await makeCore();
    try {
      const r = await dispatch(c.handlers, 'reports.make', { scope: { all: true }, year: 1989, format: 'pdf' }, ADMIN);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.message).toMatch(/^Reports cover years from 1990/);
    } finally {
      await c.stop();
    }
  });

  it('exits 1 with the reason and writes nothing for an unknown meter or a missing folder', () => {
    const dir = tempDir();
    const out = path.join(dir, 'x.pdf');
    const unknown = runCli(cli, ['report', '--meter', '1200050000009', '--month', '2025-05', '--out', out, ...d]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/eclectyc: [A-Z].*1200050000009/);
    const nowhere = path.join(dir, 'no-such-folder', 'x.pdf');
    const missing = runCli(cli, ['report', '--meter', MPAN, '--month', '2025-05', '--out', nowhere, ...d]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`Cannot write ${nowhere}: its folder does not exist`);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('refuses a command line without a period, with both, or with two scopes (exit 2)', () => {
    const out = path.join(tempDir(), 'x.pdf');
    for (const args of [
      ['--meter', MPAN, '--out', out],
      ['--meter', MPAN, '--month', '2025-05', '--year', '2025', '--out', out],
      ['--meter', MPAN, '--all', '--month', '2025-05', '--out', out],
      ['--meter', MPAN, '--month', '2025-05', '--format', 'docx', '--out', out],
    ]) {
      const r = runCli(cli, ['report', ...args, ...d]);
      expect(r.code, args.join(' ')).toBe(2);
    }
    expect(fs.existsSync(out)).toBe(false);
  });
});
