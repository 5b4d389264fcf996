// npm run bench:undo — undo on a portfolio: an import rolled back (Y replaced the last 15 days of X
// and added 15 more), an earlier import rolled back under a later one that gave the same half-hours
// (its file read again), a meter and a meter's month deleted and put back; each with the roll-up
// and alert checks that follow it. Writes its own files (long CSV, UTC) in a scratch folder.
// Usage: node scripts/bench/undo.mjs [--meters N (100)] [--days D (365)] [--keep]
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { bundle, fmtMs, machineLine, MIGRATIONS, REPO, scratchDir, table } from './portfolio.mjs';

const { values: o } = parseArgs({
  options: {
    meters: { type: 'string', default: '100' },
    days: { type: 'string', default: '365' },
    keep: { type: 'boolean', default: false },
  },
});
const METERS = Number(o.meters);
const DAYS = Number(o.days);

const PRIMES = [3, 5, 7, 13, 17, 19, 23, 29, 31, 37, 41, 43];
function mpan(i) {
  const body = `15${String(1000000000 + i).slice(-10)}`;
  let s = 0;
  for (let k = 0; k < 12; k++) s += Number(body[k]) * PRIMES[k];
  return body + ((s % 11) % 10);
}
const start = Date.UTC(2024, 0, 1) / 1000;
const iso = (t) => new Date(t * 1000).toISOString().replace('.000Z', 'Z');
const value = (m, h, bump) => ((0.5 + (m % 7) / 3) * (1 + 0.6 * Math.sin((h % 48) / 7.6)) + bump).toFixed(3);

/** Writes every meter's half-hours from day `from` for `days` days; `bump(h)` changes some values. */
async function write(file, from, days, bump) {
  const out = fs.createWriteStream(file);
  out.write('MPAN,Timestamp,kWh,Quality\n');
  for (let m = 0; m < METERS; m++) {
    const id = mpan(m);
    let buf = '';
    for (let h = from * 48; h < (from + days) * 48; h++) {
      buf += `${id},${iso(start + h * 1800)},${value(m, h, bump(h))},A\n`;
      if (buf.length > 1 << 20) {
        if (!out.write(buf)) await new Promise((r) => out.once('drain', r));
        buf = '';
      }
    }
    out.write(buf);
  }
  await new Promise((r) => out.end(r));
}

const work = scratchDir('eclectyc-bench-undo-', o.keep);
const x = path.join(work, 'x.csv');
const y = path.join(work, 'y.csv');
await write(x, 0, DAYS, () => 0);
await write(y, DAYS - 15, 30, (h) => (h % 3 === 0 ? 0.25 : 0));
const dirs = [1, 2, 3].map((i) => {
  const d = path.join(work, `data${i}`);
  fs.mkdirSync(d);
  return d;
});
const outDir = await bundle({ 'undo-harness': path.join(REPO, 'scripts/bench/undo-harness.ts') });
const h = await import(path.join(outDir, 'undo-harness.cjs'));
console.log(await machineLine());
const r = await h.run(dirs, x, y, MIGRATIONS);
const n = (v) => v.toLocaleString('en-GB');
console.log(
  `${n(METERS)} meters × ${DAYS} days in x.csv (${n(METERS * DAYS * 48)} half-hours); y.csv: the last 15 days again (a third changed) and 15 more\n`,
);
console.log('### Undo\n');
console.log(
  table(
    ['measurement', 'time'],
    [
      [
        `roll-back preview of y.csv (dry run: ${n(r.removed)} to take out, ${n(r.restored)} to put back)`,
        fmtMs(r.previewMs),
      ],
      [
        '**roll back y.csv** (imported with replace), roll-ups and alert checks included',
        `**${fmtMs(r.rollbackReplaceMs)}**`,
      ],
      [
        `**roll back x.csv under y.csv** (keep): y.csv read again, ${n(r.replayed)} half-hours take its values, ${n(r.replayRemoved)} go`,
        `**${fmtMs(r.rollbackReplayMs)}**`,
      ],
      [`delete a meter (${DAYS} days) to the trash`, fmtMs(r.meterRemoveMs)],
      ['put it back', fmtMs(r.meterRestoreMs)],
      ["delete a meter's month of readings", fmtMs(r.monthRemoveMs)],
      ['put it back', fmtMs(r.monthRestoreMs)],
    ],
  ),
);
