#!/usr/bin/env node
// `npm run security`: runs Doyensec's electronegativity over the Electron host (src-main/electron,
// without its tests and test fakes) for the installed Electron version, prints a summary and fails
// on any HIGH or MEDIUM finding that is not a documented false positive (docs/desktop.md).
//
//   node scripts/electronegativity.mjs [input dir]     (the argument is for checking the checker)
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const INPUT = path.resolve(process.argv[2] ?? path.join(ROOT, 'src-main', 'electron'));
const BIN = path.join(ROOT, 'node_modules', '@doyensec', 'electronegativity', 'dist', 'index.js');

/**
 * Findings reviewed and accepted, by check and file (see docs/desktop.md, "electronegativity").
 * Keep this list short and specific; fix real findings in the code instead.
 */
const ACCEPTED = [
  {
    check: 'OPEN_EXTERNAL_JS_CHECK',
    file: 'main.ts',
    why: 'openExternalSafe() opens only https URLs on the allow-list in security.ts (isAllowedExternal).',
  },
  {
    check: 'PRELOAD_JS_CHECK',
    file: 'window.ts',
    why: 'a review reminder for any preload; ours exposes only energy.invoke/on via contextBridge, never ipcRenderer.',
  },
];

const electronVersion = JSON.parse(
  fs.readFileSync(path.join(ROOT, 'node_modules', 'electron', 'package.json'), 'utf8'),
).version;

// Scan a copy without tests and fakes: they hold deliberately insecure fixtures.
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'eclectyc-electronegativity-'));
const src = path.join(work, 'src');
fs.mkdirSync(src);
for (const f of fs.readdirSync(INPUT)) {
  if (!/\.(ts|js|mjs|cjs|html)$/.test(f) || /\.test\.|test-fakes/.test(f)) continue;
  fs.copyFileSync(path.join(INPUT, f), path.join(src, f));
}
const out = path.join(work, 'report.csv');

// (the preload makes its two concurrent report writes happen in order: see that file)
const ordered = path.join(ROOT, 'scripts', 'electronegativity-ordered-writes.cjs');
const r = spawnSync(process.execPath, ['-r', ordered, BIN, '-i', src, '-o', out, '-e', electronVersion, '-r'], {
  cwd: ROOT,
  encoding: 'utf8',
});
if (r.status !== 0 || !fs.existsSync(out)) {
  console.error(`electronegativity did not run (exit ${r.status}):\n${r.stderr || r.stdout}`);
  process.exit(2);
}

/** Minimal RFC 4180 CSV parser (quoted fields may hold commas, quotes and newlines). */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  const endField = () => {
    row.push(field);
    field = '';
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') endField();
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      endField();
      rows.push(row);
      row = [];
    } else field += c;
  }
  if (field !== '' || row.length > 0) {
    endField();
    rows.push(row);
  }
  return rows.filter((x) => x.some((v) => v.trim() !== ''));
}

const [header, ...rows] = parseCsv(fs.readFileSync(out, 'utf8'));
const col = Object.fromEntries(header.map((h, i) => [h.trim().toLowerCase(), i]));
for (const need of ['issue', 'severity', 'confidence', 'filename', 'location', 'description']) {
  if (!(need in col)) {
    console.error(`electronegativity's report has no "${need}" column; header was: ${header.join(', ')}`);
    process.exit(2);
  }
}
// A row with fewer fields than the header (the tool's racing writes used to garble one now and then;
// the preload above orders them) is not a finding we can read. Ignore it with a note, unless it
// mentions a HIGH or MEDIUM severity: then fail rather than guess.
const width = Math.max(...Object.values(col)) + 1;
const short = rows.filter((x) => x.length < width);
for (const x of short) {
  const text = x.join(',');
  if (/\b(HIGH|MEDIUM)\b/.test(text)) {
    console.error(
      `electronegativity wrote a report row that cannot be read and mentions HIGH/MEDIUM: ${text.slice(0, 300)}`,
    );
    process.exit(1);
  }
  console.error(`note: skipped an unreadable report row: ${text.slice(0, 200)}`);
}
const findings = rows
  .filter((x) => x.length >= width)
  .map((x) => ({
    check: x[col.issue].trim(),
    severity: x[col.severity].trim().toUpperCase(),
    confidence: x[col.confidence].trim(),
    file: x[col.filename].trim(),
    location: x[col.location].trim(),
    description: x[col.description].trim(),
  }));
fs.rmSync(work, { recursive: true, force: true });

const accepted = (f) => ACCEPTED.find((a) => a.check === f.check && path.basename(f.file) === a.file);
const failing = findings.filter((f) => (f.severity === 'HIGH' || f.severity === 'MEDIUM') && !accepted(f));

console.log(
  `electronegativity (Electron ${electronVersion}) over ${path.relative(ROOT, INPUT) || INPUT}: ${findings.length} finding(s)`,
);
if (findings.length > 0) {
  const table = findings.map((f) => ({
    severity: f.severity,
    check: f.check,
    where: `${f.file}:${f.location}`,
    status: accepted(f) ? 'accepted' : f.severity === 'HIGH' || f.severity === 'MEDIUM' ? 'FAIL' : 'info',
    note: (accepted(f)?.why ?? f.description).slice(0, 90),
  }));
  const cols = ['severity', 'check', 'where', 'status', 'note'];
  const w = Object.fromEntries(cols.map((c) => [c, Math.max(c.length, ...table.map((t) => t[c].length))]));
  const line = (t) => cols.map((c) => t[c].padEnd(w[c])).join('  ');
  console.log(line(Object.fromEntries(cols.map((c) => [c, c.toUpperCase()]))));
  for (const t of table) console.log(line(t));
}
if (failing.length > 0) {
  console.error(
    `\n${failing.length} HIGH/MEDIUM finding(s) to fix (see https://github.com/doyensec/electronegativity/wiki).`,
  );
  process.exit(1);
}
console.log('No HIGH or MEDIUM findings.');
