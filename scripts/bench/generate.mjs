// Generates a synthetic HH portfolio: N meters × D days, as a long CSV and a wide CSV.
// Deterministic (seeded) so runs are comparable. Usage: node generate.mjs OUTDIR [meters] [days]
import fs from 'node:fs';
import path from 'node:path';

const [outDir = '.bench', metersArg = '1000', daysArg = '365'] = process.argv.slice(2);
const METERS = Number(metersArg);
const DAYS = Number(daysArg);
fs.mkdirSync(outDir, { recursive: true });

const PRIMES = [3, 5, 7, 13, 17, 19, 23, 29, 31, 37, 41, 43];
function mpan(i) {
  const body = `${10 + (i % 14)}${String(1000000000 + i).slice(-10)}`;
  let s = 0;
  for (let k = 0; k < 12; k++) s += Number(body[k]) * PRIMES[k];
  return body + ((s % 11) % 10);
}
let seed = 42;
const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;

const start = Date.UTC(2024, 0, 1) / 1000;
const pad = (n) => String(n).padStart(2, '0');
function iso(t) {
  const d = new Date(t * 1000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:00Z`;
}

// long: one reading per row, UTC ISO timestamps
{
  const out = fs.createWriteStream(path.join(outDir, 'long.csv'));
  out.write('MPAN,Timestamp,kWh,Quality\n');
  for (let m = 0; m < METERS; m++) {
    const id = mpan(m);
    const base = 0.2 + rnd() * 3;
    let buf = '';
    for (let h = 0; h < DAYS * 48; h++) {
      const v = (base * (1 + 0.6 * Math.sin((h % 48) / 7.6)) + rnd() * 0.3).toFixed(3);
      buf += `${id},${iso(start + h * 1800)},${v},A\n`;
      if (buf.length > 1 << 20) {
        if (!out.write(buf)) await new Promise((r) => out.once('drain', r));
        buf = '';
      }
    }
    out.write(buf);
  }
  await new Promise((r) => out.end(r));
}
// wide: one row per meter per UTC day, 48 columns labelled by interval start
{
  const out = fs.createWriteStream(path.join(outDir, 'wide.csv'));
  const cols = Array.from({ length: 48 }, (_, i) => `${pad(Math.floor(i / 2))}:${i % 2 ? '30' : '00'}`);
  out.write(`MPAN,Date (UTC),${cols.join(',')}\n`);
  for (let m = 0; m < METERS; m++) {
    const id = mpan(m);
    const base = 0.2 + rnd() * 3;
    let buf = '';
    for (let d = 0; d < DAYS; d++) {
      const day = new Date((start + d * 86400) * 1000);
      const vals = [];
      for (let h = 0; h < 48; h++) vals.push((base * (1 + 0.6 * Math.sin(h / 7.6)) + rnd() * 0.3).toFixed(3));
      buf += `${id},${pad(day.getUTCDate())}/${pad(day.getUTCMonth() + 1)}/${day.getUTCFullYear()},${vals.join(',')}\n`;
    }
    if (!out.write(buf)) await new Promise((r) => out.once('drain', r));
  }
  await new Promise((r) => out.end(r));
}
console.log(JSON.stringify({ outDir, meters: METERS, days: DAYS, readings: METERS * DAYS * 48 }));
