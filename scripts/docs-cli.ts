/**
 * docs/cli.md's table of contract methods (for `eclectyc call`), made from the contract itself:
 * `npm run docs:cli` rewrites it; a test fails when it is out of date.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { contract } from '../src-shared/contract/api';

const HERE = fileURLToPath(import.meta.url);
const REPO = path.resolve(path.dirname(HERE), '..');
export const CLI_DOC = path.join(REPO, 'docs', 'cli.md');
const START = '<!-- methods:start (npm run docs:cli) -->';
const END = '<!-- methods:end -->';

/** The table: method, least role, audited, and the first sentence of its contract comment. */
export function methodsTable(): string {
  const src = fs.readFileSync(path.join(REPO, 'src-shared', 'contract', 'api.ts'), 'utf8');
  const rows = Object.entries(contract).map(([m, spec]) => {
    const before = src.slice(0, src.indexOf(`  '${m}': method({`));
    const comment = before.slice(before.lastIndexOf('/**') + 3, before.lastIndexOf('*/'));
    const text = comment
      .split('\n')
      .map((l) => l.replace(/^\s*\*\s?/, '').trim())
      .filter(Boolean)
      .join(' ');
    const first = (text.split(/(?<=\.)\s/)[0] ?? '').replace(/\|/g, '\\|');
    return `| \`${m}\` | ${spec.role} | ${spec.audit ? 'yes' : ''} | ${first} |`;
  });
  return [START, '| method | least role | audited | what it does |', '|---|---|---|---|', ...rows, END].join('\n');
}

/** The table as it stands in docs/cli.md. */
export function documentedTable(): string | null {
  const doc = fs.readFileSync(CLI_DOC, 'utf8');
  const a = doc.indexOf(START);
  const b = doc.indexOf(END);
  return a === -1 || b === -1 ? null : doc.slice(a, b + END.length);
}

if (process.argv[1] && path.resolve(process.argv[1]) === HERE) {
  const doc = fs.readFileSync(CLI_DOC, 'utf8');
  const current = documentedTable();
  fs.writeFileSync(CLI_DOC, current ? doc.replace(current, methodsTable()) : `${doc.trimEnd()}\n\n${methodsTable()}\n`);
  console.log(`docs/cli.md: ${Object.keys(contract).length} methods`);
}
