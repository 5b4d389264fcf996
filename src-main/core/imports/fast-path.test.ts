/**
 * The fused one-pass path for row-per-reading lines must read exactly what the general path reads.
 * The same rows are imported as plain CSV (fused path) and with every field quoted (which sends
 * every line down the general path): readings, counts and row errors must be identical.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../app';
import { importFiles, makeCore, storedReadings, writeTemp } from '../../../tests/helpers/core';

let cores: Core[] = [];
afterEach(async () => {
  for (const c of cores) await c.stop();
  cores = [];
});

const MPANS = ['1012477457919', '2200012767323', '2336533093112'];

/** Rows in many shapes: UTC and UK local times across both clock changes, flags, blanks, odd values, bad rows. */
function rows(): string[][] {
  const out: string[][] = [];
  const pad = (n: number) => String(n).padStart(2, '0');
  let k = 0;
  for (const m of MPANS) {
    // UTC ISO (with and without milliseconds) over the spring clock change
    for (let t = Date.UTC(2025, 2, 29, 20); t < Date.UTC(2025, 2, 30, 6); t += 1800000, k++) {
      const iso = new Date(t).toISOString();
      out.push([
        m,
        k % 2 ? iso : iso.replace('.000Z', 'Z'),
        (((k * 37) % 1000) / 1000).toFixed(k % 4),
        k % 5 === 0 ? 'E' : 'A',
      ]);
    }
    // UK local wall-clock times over the autumn clock change (the repeated hour twice, in order)
    for (const [h, mi] of [
      [0, 0],
      [0, 30],
      [1, 0],
      [1, 30],
      [1, 0],
      [1, 30],
      [2, 0],
      [2, 30],
    ]) {
      k++;
      out.push([m, `2025-10-26 ${pad(h!)}:${pad(mi!)}`, String(k / 10), 'A']);
    }
    // DD/MM/YYYY local times, a blank value, a zero, a long decimal
    out.push(
      [m, '27/10/2025 00:00', '', 'A'],
      [m, '27/10/2025 00:30', '0', 'A'],
      [m, '27/10/2025 01:00', '1.123456789012', 'e'],
    );
  }
  // rows the fused path must leave to the general one, and rows to reject
  out.push(
    [MPANS[0]!, '2025-03-30T01:15:00Z', '1', 'A'], // not on a half-hour
    [MPANS[0]!, '2025-02-30T00:00:00Z', '1', 'A'], // no such day
    [MPANS[1]!, '2025-03-30 01:30', '1', 'A'], // in the skipped spring hour
    [MPANS[1]!, '2025-03-31T00:00:00Z', '-2', 'A'], // negative
    [MPANS[1]!, '2025-03-31T00:30:00Z', '1e1', 'A'], // an exponent: read by the general path (10 kWh)
    [MPANS[2]!, '2025-03-31T00:00:00+01:00', ' 2.5 ', 'A'], // offset, padded value
    ['1012477457918', '2025-03-31T00:00:00Z', '1', 'A'], // bad check digit
    [MPANS[2]!, '2025-03-31T01:00:00Z', '99999', 'A'], // above the ceiling
  );
  return out;
}

async function importAs(text: string): Promise<{ readings: ReturnType<typeof storedReadings>; job: unknown }> {
  const core = await makeCore();
  cores.push(core);
  const [job] = await importFiles(core, [writeTemp('rows.csv', text)]);
  const { rowsRead, readingsImported, duplicates, conflicts, rowsRejected, errors, metersCreated } = job!;
  return {
    readings: storedReadings(core).map(([m, ts, kwh, q]) => [m, ts, kwh, q, 0]),
    job: { rowsRead, readingsImported, duplicates, conflicts, rowsRejected, errors, metersCreated },
  };
}

describe('the fused row-per-reading path', () => {
  it('reads what the general path reads, row for row, error for error', async () => {
    const header = 'MPAN,Timestamp,kWh,Quality';
    const plain = [header, ...rows().map((r) => r.join(','))].join('\n') + '\n';
    const quoted = [header, ...rows().map((r) => r.map((f) => `"${f}"`).join(','))].join('\n') + '\n';
    const a = await importAs(plain);
    const b = await importAs(quoted);
    expect(a.readings.length).toBe(95);
    expect(a.job).toEqual(b.job);
    expect(a.readings).toEqual(b.readings);
    // and it did reject what it should, in both
    expect((a.job as { rowsRejected: number }).rowsRejected).toBe(6);
  });

  it('reads a file without a quality column, and a file whose columns come in another order, as the general path does', async () => {
    const base = rows().slice(0, 40);
    const plain = ['MPAN,Timestamp,kWh', ...base.map((r) => r.slice(0, 3).join(','))].join('\n');
    const quoted = [
      'MPAN,Timestamp,kWh',
      ...base.map((r) =>
        r
          .slice(0, 3)
          .map((f) => `"${f}"`)
          .join(','),
      ),
    ].join('\n');
    const reordered = ['Quality,kWh,MPAN,Timestamp', ...base.map((r) => [r[3], r[2], r[0], r[1]].join(','))].join('\n');
    const reorderedQuoted = [
      'Quality,kWh,MPAN,Timestamp',
      ...base.map((r) => [r[3], r[2], r[0], r[1]].map((f) => `"${f}"`).join(',')),
    ].join('\n');
    const [a, b, c, d] = [
      await importAs(plain),
      await importAs(quoted),
      await importAs(reordered),
      await importAs(reorderedQuoted),
    ];
    expect(a).toEqual(b);
    expect(c).toEqual(d);
  });
});
