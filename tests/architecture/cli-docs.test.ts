/**
 * docs/cli.md is kept from one source: the contract's methods table is regenerated and compared; every command has its
 * section.
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CLI_DOC, documentedTable, methodsTable } from '../../scripts/docs-cli';
import { COMMANDS } from '../../src-main/cli/commands';

describe('docs/cli.md', () => {
  it('lists every contract method as the contract declares it (npm run docs:cli rewrites the table)', () => {
    expect(documentedTable()).toBe(methodsTable());
  });

  it('has a section for every command the CLI knows', () => {
    const commands = COMMANDS.map((c) => c.name);
    expect(commands.length).toBeGreaterThan(10);
    const doc = fs.readFileSync(CLI_DOC, 'utf8');
    for (const c of commands)
      expect(doc, `docs/cli.md has no section for "eclectyc ${c}"`).toMatch(
        new RegExp(`^## .*\`eclectyc ${c}\\b`, 'm'),
      );
  });
});
