/**
 * The hostile corpus (corpus.ts), each file imported as a dry run and for real on a seeded database:
 * the outcome is the expected one; the change in stored readings equals what the job reports; a dry
 * run changes nothing; a failed file leaves nothing behind; no file is "done" with no rows read, and
 * each is graded (done, done with problems, nothing imported, failed) with no retry where it cannot help.
 */
import { describe, expect, it } from 'vitest';
import { importFiles, makeCore, storedReadings, writeTemp } from '../helpers/core';
import { corpus } from './corpus';

const seed = [
  'MPAN,Timestamp,kWh',
  ...Array.from(
    { length: 96 },
    (_, i) => `2200012767323,${new Date(Date.UTC(2023, 0, 1) + i * 1800000).toISOString()},0.75`,
  ),
].join('\n');

describe('hostile and malformed files', () => {
  for (const c of corpus()) {
    it(`${c.name}: ${c.expect.status === 'done' ? `done, ${c.expect.readingsImported} of ${c.expect.rowsRead} rows` : 'fails with its reason'}, and stores exactly what it reports`, async () => {
      const core = await makeCore();
      try {
        await importFiles(core, [writeTemp('seed.csv', seed)]);
        const before = storedReadings(core);
        const file = writeTemp(c.name, c.bytes);

        const [dry] = await importFiles(core, [file], true);
        expect(dry!.status, dry!.lastError ?? '').toBe(c.expect.status);
        expect(storedReadings(core)).toEqual(before); // a dry run writes nothing

        const [job] = await importFiles(core, [file]);
        const after = storedReadings(core);
        expect(job!.status, job!.lastError ?? '').toBe(c.expect.status);
        if (c.expect.status === 'failed') {
          expect(job!.lastError).toMatch(c.expect.reason);
          // a file that will fail again is never offered a retry, and never graded "done"
          expect(job!.outcome).toMatchObject({
            retry: false,
            grade: expect.stringMatching(/^(failed|nothing-imported)$/),
          });
          expect(after).toEqual(before); // nothing half-applied
          return;
        }
        expect(job!.rowsRead).toBeGreaterThan(0);
        expect({
          rowsRead: job!.rowsRead,
          readingsImported: job!.readingsImported,
          rowsRejected: job!.rowsRejected,
        }).toEqual({
          rowsRead: c.expect.rowsRead,
          readingsImported: c.expect.readingsImported,
          rowsRejected: c.expect.rowsRejected,
        });
        // what it reports is what it stored: the old readings untouched, exactly `readingsImported` new ones
        expect(after.length - before.length).toBe(job!.readingsImported);
        const key = (r: (typeof after)[number]) => `${r[0]}@${r[1]}`;
        const old = new Map(before.map((r) => [key(r), r]));
        for (const r of after) if (old.has(key(r))) expect(r).toEqual(old.get(key(r)));
        // the dry run previewed the same counts
        expect({
          rowsRead: dry!.rowsRead,
          readingsImported: dry!.readingsImported,
          rowsRejected: dry!.rowsRejected,
        }).toEqual({
          rowsRead: job!.rowsRead,
          readingsImported: job!.readingsImported,
          rowsRejected: job!.rowsRejected,
        });
        // graded as the card shows it: rejected rows are never a plain green "Done"
        expect(job!.outcome.grade).toBe(
          c.expect.rowsRejected > 0
            ? c.expect.readingsImported > 0
              ? 'done-with-problems'
              : 'nothing-imported'
            : c.expect.readingsImported > 0
              ? 'done'
              : 'nothing-imported',
        );
        for (const e of c.expect.errors ?? []) expect(job!.errors.map((x) => x.message).join('\n')).toMatch(e);
      } finally {
        await core.stop();
      }
    });
  }
});
