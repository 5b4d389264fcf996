/**
 * The readings store (src-main/core/readings/) is the one owner of half-hourly data: no other
 * production module names its tables in SQL, nor the row-per-half-hour tables it replaced.
 * SQL lives in string and template literals, so those are what is scanned (with the TypeScript
 * parser: comments and code such as `this.readings.readDays()` are not SQL); an import of the
 * store's drizzle table objects from db/schema is flagged too.
 */
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { REPO } from '../helpers/core';

/** The store's tables, and the old ones (any mention inside a string is SQL naming them). */
const NAMED_TABLES = [
  'meter_days',
  'day_stats',
  'readings_undo',
  'readings_job_spans',
  'readings_meta',
  'readings_removed',
  'readings_trash',
  'readings_trash_undo',
  'daily_aggregates',
  'aggregation_dirty',
];
const NAMED = new RegExp(`\\b(?:${NAMED_TABLES.join('|')})\\b`, 'g');
/**
 * The old `readings` table: "readings" is an everyday word, so only where SQL names a table (optionally
 * schema-qualified or quoted).
 */
const OLD_READINGS = /\b(?:FROM|JOIN|INTO|UPDATE|TABLE)\s+(?:[`"[]?\w+[`"\]]?\.)?[`"[]?readings\b/gi;
/** The drizzle objects for the store's tables (src-main/core/db/schema.ts). */
const SCHEMA_OBJECTS = new Set([
  'meterDays',
  'dayStats',
  'readingsUndo',
  'readingsJobSpans',
  'readingsMeta',
  'readingsRemoved',
  'readingsTrash',
  'readingsTrashUndo',
]);

/** Where `text` (a TypeScript file) names the store's or the old tables: "file:line: source line". */
function findTableReferences(text: string, file: string): string[] {
  const sf = ts.createSourceFile(
    file,
    text,
    ts.ScriptTarget.Latest,
    true,
    file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS,
  );
  const lines = text.split(/\r?\n/);
  const hits = new Map<number, string>();
  const report = (pos: number, what: string): void => {
    const line = sf.getLineAndCharacterOfPosition(pos).line;
    if (!hits.has(line)) hits.set(line, `${file}:${line + 1}: ${what} — ${lines[line]!.trim()}`);
  };
  const visit = (node: ts.Node): void => {
    if (
      ts.isStringLiteral(node) ||
      ts.isNoSubstitutionTemplateLiteral(node) ||
      ts.isTemplateHead(node) ||
      ts.isTemplateMiddle(node) ||
      ts.isTemplateTail(node)
    ) {
      const start = node.getStart(sf);
      const raw = node.getText(sf);
      for (const m of raw.matchAll(NAMED)) report(start + m.index, `SQL names ${m[0]}`);
      for (const m of raw.matchAll(OLD_READINGS)) report(start + m.index, 'SQL names the old readings table');
    } else if (
      ts.isImportDeclaration(node) &&
      ts.isStringLiteral(node.moduleSpecifier) &&
      /(^|\/)db\/schema$/.test(node.moduleSpecifier.text)
    ) {
      const named = node.importClause?.namedBindings;
      if (named && ts.isNamedImports(named))
        for (const el of named.elements)
          if (SCHEMA_OBJECTS.has((el.propertyName ?? el.name).text))
            report(el.getStart(sf), `imports the store's table ${el.name.text}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return [...hits.entries()].sort((a, b) => a[0] - b[0]).map((e) => e[1]);
}

/**
 * Production TypeScript under src-main/ and src-shared/, except tests, the store itself, the drizzle
 * schema, and the shared server's PostgreSQL store (src-main/server/postgres/): that is another
 * database, whose own `meter_days` holds days as they travel, and it owns its tables as the
 * readings store owns the desktop's.
 */
function productionFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (e.name !== 'node_modules') walk(p);
      } else if (/\.(?:ts|tsx|mts|cts)$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) && !e.name.endsWith('.d.ts')) {
        out.push(path.relative(REPO, p).split(path.sep).join('/'));
      }
    }
  };
  walk(path.join(REPO, 'src-main'));
  walk(path.join(REPO, 'src-shared'));
  return out
    .filter(
      (f) =>
        !f.startsWith('src-main/core/readings/') &&
        !f.startsWith('src-main/server/postgres/') &&
        f !== 'src-main/core/db/schema.ts',
    )
    .sort();
}

describe('readings store boundary', () => {
  it("no production file outside src-main/core/readings names the store's tables or the old readings tables", () => {
    const files = productionFiles();
    // the walk found the code (an empty list would pass vacuously)
    expect(files.length).toBeGreaterThan(50);
    expect(files).toEqual(
      expect.arrayContaining([
        'src-main/core/app.ts',
        'src-main/core/aggregation/aggregation-service.ts',
        'src-main/core/db/open.ts',
        'src-shared/domain/periods.ts',
      ]),
    );
    expect(
      files.some(
        (f) => f.startsWith('src-main/core/readings/') || f.endsWith('.test.ts') || f === 'src-main/core/db/schema.ts',
      ),
    ).toBe(false);
    const found = files.flatMap((f) => findTableReferences(fs.readFileSync(path.join(REPO, f), 'utf8'), f));
    expect(
      found,
      `only src-main/core/readings may name these tables; read and write through ReadingsStore instead:\n${found.join('\n')}`,
    ).toEqual([]);
  });

  it("the scanner finds the store's own SQL (what the exclusion above is for)", () => {
    const store = 'src-main/core/readings/store.ts';
    const found = findTableReferences(fs.readFileSync(path.join(REPO, store), 'utf8'), store);
    expect(found.length).toBeGreaterThan(10);
    expect(found.some((f) => /SQL names day_stats/.test(f))).toBe(true);
    const upgrade = 'src-main/core/readings/upgrade.ts';
    expect(
      findTableReferences(fs.readFileSync(path.join(REPO, upgrade), 'utf8'), upgrade).some((f) =>
        /old readings table/.test(f),
      ),
    ).toBe(true);
  });

  it('flags SQL naming the tables, with file and line', () => {
    const sample = [
      "import Database from 'better-sqlite3';",
      'const db = new Database(":memory:");',
      "const a = db.prepare('SELECT * FROM day_stats').all();",
      'const b = db.prepare(`SELECT m.id',
      '  FROM meters m',
      '  JOIN readings r ON r.meter_id = m.id`);',
      'db.exec("DELETE FROM main.readings WHERE batch_id = 1");',
      "db.exec('insert into readings (meter_id) values (1)');",
      'const t = `${a} LEFT JOIN meter_days d ON d.meter_id = ${b}`;',
      "db.exec('UPDATE readings_undo SET kwh = 0');",
      "db.exec('DROP TABLE `daily_aggregates`');",
      "db.exec('DELETE FROM aggregation_dirty');",
      "db.exec('SELECT value FROM readings_meta');",
      "import { meterDays, meters } from '../db/schema';",
    ].join('\n');
    expect(findTableReferences(sample, 'src-main/core/x.ts')).toEqual([
      "src-main/core/x.ts:3: SQL names day_stats — const a = db.prepare('SELECT * FROM day_stats').all();",
      'src-main/core/x.ts:6: SQL names the old readings table — JOIN readings r ON r.meter_id = m.id`);',
      'src-main/core/x.ts:7: SQL names the old readings table — db.exec("DELETE FROM main.readings WHERE batch_id = 1");',
      "src-main/core/x.ts:8: SQL names the old readings table — db.exec('insert into readings (meter_id) values (1)');",
      'src-main/core/x.ts:9: SQL names meter_days — const t = `${a} LEFT JOIN meter_days d ON d.meter_id = ${b}`;',
      "src-main/core/x.ts:10: SQL names readings_undo — db.exec('UPDATE readings_undo SET kwh = 0');",
      "src-main/core/x.ts:11: SQL names daily_aggregates — db.exec('DROP TABLE `daily_aggregates`');",
      "src-main/core/x.ts:12: SQL names aggregation_dirty — db.exec('DELETE FROM aggregation_dirty');",
      "src-main/core/x.ts:13: SQL names readings_meta — db.exec('SELECT value FROM readings_meta');",
      "src-main/core/x.ts:14: imports the store's table meterDays — import { meterDays, meters } from '../db/schema';",
    ]);
  });

  it('leaves alone the word "readings" outside SQL, comments, and other tables', () => {
    const sample = [
      '/** Imports files into readings through a RowSink; reads FROM readings in the old days (SELECT * FROM day_stats). */',
      '// DELETE FROM readings',
      "import { ReadingsStore } from './readings/store';",
      'const n = this.readings.readDays(1, 0, 10);',
      "const rpc = { 'readings.list': 1, 'readings.series': 2 };",
      "throw new Error('no readings from the file were stored');",
      "db.prepare('SELECT count(*) FROM meters m JOIN import_jobs j ON j.id = m.id').get();",
      "db.prepare('SELECT * FROM readings_archive').get();",
      "const day_statistics = 'daily_aggregates_v2';",
    ].join('\n');
    expect(findTableReferences(sample, 'src-main/core/y.ts')).toEqual([]);
  });
});
