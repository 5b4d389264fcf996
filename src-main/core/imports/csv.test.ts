/**
 * The byte-level record scanner on RFC 4180 files: quoted line breaks that straddle the 1 MB read
 * chunk, doubled quotes, and a quote that is never closed (one rejected row, nothing swallowed).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../app';
import { importFiles, makeCore, writeTemp } from '../../../tests/helpers/core';
import { CsvRecord, scanRecords } from './csv';

let core: Core;
afterEach(async () => {
  await core?.stop();
});

const MPAN = '1012477457919';
const stamp = (i: number): string => new Date(Date.UTC(2024, 0, 1) + i * 1800000).toISOString().replace('.000Z', 'Z');

describe('CSV records', () => {
  it('reads quoted fields with line breaks and doubled quotes, wherever the 1 MB chunks fall', async () => {
    core = await makeCore();
    const lines = ['MPAN,Timestamp,kWh,Note'];
    // ~8 MB: every 7th row has a note spanning two lines, every 11th a note with doubled quotes
    const n = 100_000;
    for (let i = 0; i < n; i++) {
      const note =
        i % 7 === 0
          ? `"meter ok\nchecked by ""J"""`
          : i % 11 === 0
            ? '"said ""fine"""'
            : 'plain note padding the row out to a realistic length';
      lines.push(`${MPAN},${stamp(i)},${((i % 97) / 10).toFixed(1)},${note}`);
    }
    const [job] = await importFiles(core, [writeTemp('rfc4180.csv', lines.join('\n') + '\n')]);
    expect(job).toMatchObject({ status: 'done', rowsRead: n, readingsImported: n, rowsRejected: 0 });
    expect(core.meters.list()[0]!.readings).toBe(n);
  });

  it('rejects a row whose quote is never closed, with its line and column, and reads every row after it', async () => {
    core = await makeCore();
    const lines = ['MPAN,Timestamp,kWh'];
    for (let i = 0; i < 1000; i++) lines.push(i === 500 ? `${MPAN},"${stamp(i)},1.5` : `${MPAN},${stamp(i)},1.5`);
    const [job] = await importFiles(core, [writeTemp('unclosed.csv', lines.join('\n') + '\n')]);
    expect(job).toMatchObject({ status: 'done', rowsRead: 1000, readingsImported: 999, rowsRejected: 1 });
    expect(job!.errors).toEqual([
      { line: 502, column: 2, message: expect.stringMatching(/quoted field opened in column 2 is never closed/) },
    ]);
  });

  it('treats a quote inside an unquoted value as a character, not the start of a field', () => {
    const buf = Buffer.from('a,b"c,d\ne,f,g\n');
    const got: string[][] = [];
    const rec = new CsvRecord();
    const r = scanRecords(buf, 0, buf.length, true, 0x2c, 1, rec, (x) =>
      got.push(Array.from({ length: x.n }, (_, i) => x.text(i))),
    );
    expect(got).toEqual([
      ['a', 'b"c', 'd'],
      ['e', 'f', 'g'],
    ]);
    expect(r).toMatchObject({ consumed: buf.length, lines: 2, records: 2 });
  });

  it('leaves a record cut by the end of a chunk for the next one, however its quotes fall', () => {
    const text = 'x,"a\nb",y\nz,w,v\n';
    const buf = Buffer.from(text);
    for (let cut = 1; cut < buf.length; cut++) {
      const got: string[][] = [];
      const rec = new CsvRecord();
      const on = (x: CsvRecord): void => void got.push(Array.from({ length: x.n }, (_, i) => x.text(i)));
      const first = scanRecords(buf, 0, cut, false, 0x2c, 1, rec, on);
      const rest = Buffer.from(buf.subarray(first.consumed));
      scanRecords(rest, 0, rest.length, true, 0x2c, 1 + first.lines, rec, on);
      expect(got, `cut at ${cut}`).toEqual([
        ['x', 'a\nb', 'y'],
        ['z', 'w', 'v'],
      ]);
    }
  });

  it('gives the same records wherever a valid file is cut into chunks (property, 300 random files × 20 random cuts)', () => {
    let seed = 7;
    const rnd = (n: number): number => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n;
    const field = (): string => {
      const k = rnd(6);
      if (k === 0) return '';
      if (k === 1) return `"${'ab,c'.slice(rnd(3))}\n${rnd(100)}"`;
      if (k === 2) return `"say ""${rnd(9)}"""`;
      if (k === 3) return `  ${rnd(1000) / 100}`;
      return String(rnd(100000));
    };
    const scanAll = (buf: Buffer, cuts: number[]): string[][] => {
      const got: string[][] = [];
      const rec = new CsvRecord();
      const on = (x: CsvRecord): void =>
        void got.push([String(x.line), ...Array.from({ length: x.n }, (_, i) => x.text(i))]);
      let rest = buf;
      let line = 1;
      for (const cut of [...cuts, Infinity]) {
        const end = Math.min(cut, rest.length);
        const eof = end === rest.length && cut === Infinity;
        const r = scanRecords(rest, 0, end, eof, 0x2c, line, rec, on);
        line += r.lines;
        rest = Buffer.from(rest.subarray(r.consumed));
      }
      return got;
    };
    for (let f = 0; f < 300; f++) {
      const lines: string[] = [];
      for (let i = 0, n = 1 + rnd(12); i < n; i++)
        lines.push(rnd(8) === 0 ? '' : Array.from({ length: 1 + rnd(5) }, field).join(','));
      const eol = rnd(2) ? '\r\n' : '\n';
      const buf = Buffer.from(lines.join(eol) + (rnd(2) ? eol : ''));
      const whole = scanAll(buf, []);
      for (let k = 0; k < 20; k++) {
        // 1–4 cuts at random bytes (each cut relative to what is left after the previous chunk)
        const cuts = Array.from({ length: 1 + rnd(4) }, () => 1 + rnd(Math.max(1, buf.length)));
        expect(scanAll(buf, cuts), `file ${f}, cuts ${cuts.join(' ')}: ${JSON.stringify(buf.toString())}`).toEqual(
          whole,
        );
      }
    }
  });
});
