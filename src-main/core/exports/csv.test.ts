/** The CSV writer: formula injection neutralised, numbers kept as numbers, quoting, BOM, CRLF and back-pressure. */
import { PassThrough, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { csvLine, numberCell, textCell, writeCsv } from './csv';

describe('csv cells', () => {
  it.each([
    ['=SUM(A1:A9)', "'=SUM(A1:A9)"],
    ['+44 118 000', "'+44 118 000"],
    ['-1+2', "'-1+2"],
    ['@cmd', "'@cmd"],
    ['\tTAB', "'\tTAB"],
    ['\rx', `"'\rx"`],
    ['=HYPERLINK("http://x","y")', `"'=HYPERLINK(""http://x"",""y"")"`],
    ['plain', 'plain'],
    ['a, b', '"a, b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['Café ≥ £5', 'Café ≥ £5'],
  ])('writes the text %j as %j', (text, cell) => {
    expect(textCell(text)).toBe(cell);
  });

  it('keeps numbers as numbers, negative ones too, in plain decimals that read back exactly', () => {
    expect(csvLine([-1.5, 0, 2, 'x'])).toBe('-1.5,0,2,x\r\n');
    expect(csvLine(['-1.5'])).toBe("'-1.5\r\n");
    expect(csvLine([NaN, null, undefined, Infinity])).toBe(',,,\r\n');
    for (const n of [1e-7, -2.5e-9, 1.5e21, -3e22, 0.1 + 0.2, 123456.789, 1 / 3]) {
      const s = numberCell(n);
      expect(s).not.toMatch(/e/i);
      expect(Number(s)).toBe(n);
    }
    expect(numberCell(1e-7)).toBe('0.0000001');
    // readings with up to 3 decimals (written by a faster path): the same text as JavaScript's own
    let seed = 5;
    const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    for (let i = 0; i < 20000; i++) {
      const n = Math.round((rnd() - 0.3) * 10 ** (1 + (i % 9)) * 1000) / 1000;
      expect(numberCell(n)).toBe(String(n));
    }
    for (const n of [0.05, -0.005, 0.12, 1.5, -0, 999999999.999, 0.3, 1e9 + 0.5]) expect(numberCell(n)).toBe(String(n));
    expect(numberCell(-3e22)).toBe('-30000000000000000000000');
  });
});

describe('writeCsv', () => {
  it('writes a BOM and CRLF lines from a synchronous or an asynchronous source and counts the rows', async () => {
    const read = async (rows: Parameters<typeof writeCsv>[1]) => {
      const out = new PassThrough();
      const chunks: Buffer[] = [];
      out.on('data', (c: Buffer) => chunks.push(c));
      const n = await writeCsv(out, rows);
      out.end();
      return { n, bytes: Buffer.concat(chunks) };
    };
    async function* gen() {
      yield ['a', 'b'];
      yield 'x,1\r\n';
    }
    for (const r of [await read([['a', 'b'], 'x,1\r\n']), await read(gen())]) {
      expect(r.n).toBe(2);
      expect([...r.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      expect(r.bytes.subarray(3).toString('utf8')).toBe('a,b\r\nx,1\r\n');
    }
  });

  it('waits for a slow stream to drain rather than buffering the whole file', async () => {
    let most = 0;
    let total = 0;
    const slow: Writable = new Writable({
      highWaterMark: 16 * 1024,
      write(chunk: Buffer, _enc, done) {
        // what the stream holds unwritten: grows to the whole file if the writer ignores back-pressure
        most = Math.max(most, slow.writableLength);
        setImmediate(() => {
          total += chunk.length;
          done();
        });
      },
    });
    const line = `${'9'.repeat(90)}\r\n`;
    function* rows() {
      for (let i = 0; i < 50_000; i++) yield line;
    }
    await writeCsv(slow, rows());
    await new Promise<void>((resolve) => slow.end(resolve));
    expect(total).toBe(3 + 50_000 * line.length);
    // never more than the stream's buffer and one chunk waiting: not the 4.6 MB written
    expect(most).toBeLessThan(200 * 1024);
  });
});
