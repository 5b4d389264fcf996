/**
 * A corpus of hostile and malformed meter files, generated (deterministically) so that it can be
 * imported for real and as dry runs in `npm test`. Each case says what a correct import does with
 * it: finish with exactly these counts, or fail with a reason; never "done" while rows went missing.
 */

export interface HostileCase {
  name: string;
  bytes: Buffer;
  /** What the import must end in. */
  expect:
    | {
        status: 'done';
        rowsRead: number;
        readingsImported: number;
        rowsRejected: number;
        duplicates?: number;
        errors?: RegExp[];
      }
    | { status: 'failed'; reason: RegExp };
}

export const MPAN = '1012477457919';
const OTHER = '2200012767323';
const iso = (i: number, base = Date.UTC(2024, 5, 1)): string =>
  new Date(base + i * 1800000).toISOString().replace('.000Z', 'Z');

/** `n` valid long-format rows for MPAN from a base instant. */
function rows(n: number, base = Date.UTC(2024, 5, 1), meter = MPAN): string[] {
  return Array.from({ length: n }, (_, i) => `${meter},${iso(i, base)},${((i * 13) % 100) / 100}`);
}

const text = (lines: string[], eol = '\n', bom = ''): Buffer => Buffer.from(bom + lines.join(eol) + eol, 'utf8');
const HEADER = 'MPAN,Timestamp,kWh';

export function corpus(): HostileCase[] {
  const cases: HostileCase[] = [];
  const add = (c: HostileCase): void => void cases.push(c);
  const ok = (
    rowsRead: number,
    readingsImported: number,
    rowsRejected = 0,
    errors?: RegExp[],
  ): HostileCase['expect'] => ({
    status: 'done',
    rowsRead,
    readingsImported,
    rowsRejected,
    ...(errors ? { errors } : {}),
  });

  // ---------------------------------------------------------------- line endings and byte-order marks
  add({ name: 'lf.csv', bytes: text([HEADER, ...rows(96)]), expect: ok(96, 96) });
  add({ name: 'crlf.csv', bytes: text([HEADER, ...rows(96)], '\r\n'), expect: ok(96, 96) });
  add({ name: 'cr-only.csv', bytes: text([HEADER, ...rows(48)], '\r'), expect: ok(48, 48) });
  add({
    name: 'mixed-endings.csv',
    bytes: Buffer.from([HEADER, ...rows(48)].map((l, i) => l + (i % 2 ? '\r\n' : '\n')).join('')),
    expect: ok(48, 48),
  });
  add({ name: 'no-final-newline.csv', bytes: Buffer.from([HEADER, ...rows(10)].join('\n')), expect: ok(10, 10) });
  add({ name: 'utf8-bom.csv', bytes: text([HEADER, ...rows(48)], '\n', '\ufeff'), expect: ok(48, 48) });
  add({
    name: 'utf16le-bom.csv',
    bytes: Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from([HEADER, ...rows(48)].join('\r\n') + '\r\n', 'utf16le'),
    ]),
    expect: ok(48, 48),
  });
  add({
    name: 'utf16be-bom.csv',
    bytes: Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from('M\0P\0A\0N\0', 'latin1')]),
    expect: { status: 'failed', reason: /big-endian/ },
  });
  add({
    name: 'utf32le-bom.csv',
    bytes: Buffer.concat([Buffer.from([0xff, 0xfe, 0, 0]), Buffer.from('M\0\0\0P\0\0\0', 'latin1')]),
    expect: { status: 'failed', reason: /UTF-32/ },
  });
  add({
    name: 'utf32be-bom.csv',
    bytes: Buffer.concat([Buffer.from([0, 0, 0xfe, 0xff]), Buffer.from('\0\0\0M\0\0\0P', 'latin1')]),
    expect: { status: 'failed', reason: /UTF-32/ },
  });

  // ---------------------------------------------------------------- quoting
  const quoted = [HEADER + ',Note'];
  for (let i = 0; i < 300; i++)
    quoted.push(
      `${MPAN},${iso(i)},0.5,${i % 3 === 0 ? '"two\nlines"' : i % 3 === 1 ? '"a ""quoted"" word"' : 'plain'}`,
    );
  add({ name: 'quoted-line-breaks.csv', bytes: text(quoted), expect: ok(300, 300) });
  const unclosed = [HEADER, ...rows(200)];
  unclosed[101] = `${MPAN},"${iso(100)},0.5`;
  add({ name: 'unclosed-quote.csv', bytes: text(unclosed), expect: ok(200, 199, 1, [/never closed/]) });
  const stray = [HEADER, ...rows(100).map((l, i) => (i === 50 ? l.replace(MPAN, `101247"7457919`) : l))];
  add({ name: 'stray-quote-in-value.csv', bytes: text(stray), expect: ok(100, 99, 1) });

  // ---------------------------------------------------------------- dates and times
  const dates = [
    HEADER,
    `${MPAN},2025-02-30T00:00:00Z,1`, // no such day
    `${MPAN},2025-13-01T00:00:00Z,1`, // no such month
    `${MPAN},1970-01-01T00:00:00Z,1`, // before 1990
    `${MPAN},2101-01-01T00:00:00Z,1`, // after 2100
    `${MPAN},2025-01-01T00:00:00+25:00,1`, // no such offset
    `${MPAN},2025-01-01T24:30:00Z,1`, // no such time
    `${MPAN},2025-03-30 01:30,1`, // the skipped spring hour
    `${MPAN},2025-01-01T00:15:00Z,1`, // not a half-hour
    `${MPAN},2025-01-01T00:00:00Z,1`, // fine
    `${MPAN},01/01/2025 00:30,1`, // fine, UK local
  ];
  add({ name: 'dates.csv', bytes: text(dates), expect: ok(10, 2, 8) });

  // ---------------------------------------------------------------- numbers
  const numbers: [string, boolean][] = [
    ['0x10', false],
    ['0b101', false],
    ['0o7', false],
    ['Infinity', false],
    ['1,5', false],
    ['1 000', false],
    ['1_000', false],
    ['--1', false],
    ['-2', false],
    ['1e999', false],
    ['1e1', true],
    ['+1.5', true],
    ['.5', true],
    ['5.', true],
    ['0', true],
    ['', true],
    ['NaN', true],
    ['n/a', true],
    ['0.000001', true],
    ['3.14159265358979', true],
  ];
  add({
    name: 'numbers.csv',
    bytes: text([HEADER, ...numbers.map(([v], i) => `${MPAN},${iso(i)},${v.includes(',') ? `"${v}"` : v}`)]),
    expect: ok(numbers.length, numbers.filter((n) => n[1]).length, numbers.filter((n) => !n[1]).length),
  });

  // ---------------------------------------------------------------- column-name traps
  const wideHeader = ['MPAN', 'Date', ...Array.from({ length: 48 }, (_, i) => `kWh_${i + 1}`), 'kWh_123', 'Total'];
  const wideRows = [0, 1, 2].map((d) =>
    [MPAN, `0${d + 1}/07/2024`, ...Array.from({ length: 48 }, (_, i) => ((i + d) % 10) / 10), 99, 123].join(','),
  );
  add({ name: 'wide-kwh_123.csv', bytes: text([wideHeader.join(','), ...wideRows]), expect: ok(3, 144, 0) });
  const dupHeader = 'MPAN,Timestamp,kWh,kWh';
  add({
    name: 'duplicate-columns.csv',
    bytes: text([dupHeader, ...rows(10).map((r) => `${r},7`)]),
    expect: ok(10, 10),
  });

  // ---------------------------------------------------------------- empty, one line, huge lines
  add({ name: 'empty.csv', bytes: Buffer.alloc(0), expect: { status: 'failed', reason: /empty|no header/i } });
  add({
    name: 'whitespace.csv',
    bytes: Buffer.from('   \n\n \t \n'),
    expect: { status: 'failed', reason: /no header/i },
  });
  add({ name: 'header-only.csv', bytes: text([HEADER]), expect: { status: 'failed', reason: /no rows/ } });
  add({
    name: 'one-line-no-newline.csv',
    bytes: Buffer.from(HEADER),
    expect: { status: 'failed', reason: /no rows/ },
  });
  add({
    name: 'u2028-separated.csv',
    bytes: Buffer.from([HEADER, ...rows(48)].join('\u2028')),
    expect: { status: 'failed', reason: /no rows|no header/i },
  });
  const huge = [HEADER, ...rows(1000)];
  huge.push(`${MPAN},${iso(2000)},${'9'.repeat(2_100_000)}`);
  add({ name: 'huge-line-at-the-end.csv', bytes: text(huge), expect: { status: 'failed', reason: /longer than/ } });
  add({
    name: 'single-3mb-line.csv',
    bytes: Buffer.from(HEADER + ',' + 'x'.repeat(3_000_000)),
    expect: { status: 'failed', reason: /no rows|longer than|no header/i },
  });

  // ---------------------------------------------------------------- binary and containers
  add({
    name: 'picture.png',
    bytes: Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]),
      Buffer.alloc(200, 7),
    ]),
    expect: { status: 'failed', reason: /binary/ },
  });
  add({
    name: 'archive.zip',
    bytes: Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), Buffer.alloc(100, 0)]),
    expect: { status: 'failed', reason: /binary/ },
  });
  add({
    name: 'nul-in-the-middle.csv',
    bytes: Buffer.concat([text([HEADER, ...rows(10)]), Buffer.from([0, 0, 0])]),
    expect: { status: 'failed', reason: /binary/ },
  });

  // ---------------------------------------------------------------- meters
  add({
    name: 'bad-check-digit.csv',
    bytes: text([HEADER, ...rows(5), ...rows(5, Date.UTC(2024, 5, 1), '1012477457918')]),
    expect: ok(10, 5, 5, [/check digit/]),
  });
  add({
    name: 'two-meters-interleaved.csv',
    bytes: text([HEADER, ...rows(20).flatMap((r, i) => [r, rows(20, Date.UTC(2024, 5, 1), OTHER)[i]!])]),
    expect: ok(40, 40),
  });
  return cases;
}
