/**
 * What the core says to people starts with a capital letter and names no internal field: every
 * AppError message written in the core (scanned with the TypeScript parser), the row errors of real
 * bad files in every format, and a sample of errors answered through the contract.
 */
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../../src-main/core/app';
import { localCaller } from '../../src-main/core/rpc/caller';
import { dispatch } from '../../src-main/core/rpc/dispatch';
import { FIXTURES, REPO, importFiles, makeCore, writeTemp } from '../helpers/core';
import { corpus } from '../hostile/corpus';

/** A message people read: it starts with a capital letter, a digit, a quote or an interpolated value. */
const STARTS_WELL = /^(?:[A-Z0-9"“(]|\$\{)/;
/** Internal names that mean nothing to an energy manager. */
const INTERNAL = /results\[\]|devices\[\]|values\[\]|\bprimaryValue\b(?! \))|\binterval_start\b(?!\))/;

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    if (d.isDirectory()) return sourceFiles(p);
    return d.name.endsWith('.ts') && !d.name.endsWith('.test.ts') ? [p] : [];
  });
}

/** The first text of every `new AppError(code, message…)` in a file: [line, text as written]. */
function appErrorMessages(file: string): [number, string][] {
  const src = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const out: [number, string][] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isNewExpression(n) && n.expression.getText(src) === 'AppError' && n.arguments && n.arguments.length > 1) {
      let msg: ts.Node = n.arguments[1]!;
      while (ts.isBinaryExpression(msg)) msg = msg.left; // 'a' + 'b': the start is what counts
      if (ts.isStringLiteral(msg) || ts.isNoSubstitutionTemplateLiteral(msg) || ts.isTemplateExpression(msg)) {
        const text = msg.getText(src).slice(1);
        out.push([src.getLineAndCharacterOfPosition(n.getStart(src)).line + 1, text]);
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(src);
  return out;
}

let core: Core | undefined;
afterEach(async () => {
  await core?.stop();
  core = undefined;
});

describe('messages written for people', () => {
  it('every AppError message in the core starts with a capital letter (or a value)', () => {
    const bad: string[] = [];
    let seen = 0;
    for (const f of [...sourceFiles(path.join(REPO, 'src-main/core')), ...sourceFiles(path.join(REPO, 'src-shared'))])
      for (const [line, text] of appErrorMessages(f)) {
        seen++;
        if (!STARTS_WELL.test(text) || INTERNAL.test(text))
          bad.push(`${path.relative(REPO, f)}:${line}: ${text.slice(0, 60)}`);
      }
    expect(seen).toBeGreaterThan(50);
    expect(bad).toEqual([]);
  });

  it('row errors of bad files in every format start with a capital letter and name no internal field', async () => {
    core = await makeCore();
    const octopus = JSON.parse(
      fs.readFileSync(path.join(FIXTURES, 'public', 'octopus-consumption-electricity-2020-05.json'), 'utf8'),
    ) as { results: Record<string, unknown>[] };
    octopus.results[0]!.interval_start = 'yesterday';
    octopus.results[1]!.interval_start = '2020-05-07T23:10:00+01:00';
    octopus.results[2]!.consumption = 'lots';
    const n3rgy = JSON.parse(
      fs.readFileSync(path.join(FIXTURES, 'public', 'n3rgy-consumption-halfhour-energysparks.json'), 'utf8'),
    ) as { devices: { values: Record<string, unknown>[] }[] };
    n3rgy.devices[0]!.values[0]!.timestamp = 'soon';
    n3rgy.devices[0]!.values[1]!.primaryValue = 'x';
    const files = [
      writeTemp('octopus.json', JSON.stringify(octopus)),
      writeTemp('n3rgy.json', JSON.stringify(n3rgy)),
      writeTemp('short.csv', 'MPAN,Timestamp,kWh\n1012477457919\n,2025-01-01T00:00:00Z,1\n'),
      writeTemp('periods.csv', 'MPAN,Settlement Date,Settlement Period,kWh\n1012477457919,01/01/2025,49,1\n'),
      ...corpus()
        .filter((c) => c.expect.status === 'done' && c.expect.rowsRejected > 0)
        .map((c) => writeTemp(c.name, c.bytes)),
    ];
    const jobs = await importFiles(core, files.slice(0, 2), false, {});
    const csv = await importFiles(core, files.slice(2));
    const messages = [...jobs, ...csv].flatMap((j) => j.errors.map((e) => e.message));
    expect(messages.length).toBeGreaterThan(20);
    expect(messages.filter((m) => !STARTS_WELL.test(m) || INTERNAL.test(m))).toEqual([]);
    expect(jobs[0]!.errors.map((e) => e.message)).toContain(
      'Reading 1: its start time (interval_start) is not a date and time with an offset',
    );
  });

  it('errors answered through the contract start with a capital letter', async () => {
    core = await makeCore();
    const ask = (method: string, args: unknown) =>
      dispatch(core!.handlers, method, args, localCaller('cli'), core!.log);
    const replies = await Promise.all([
      ask('readings.series', { meter: '1012477457919' }),
      ask('sites.get', { id: 999 }),
      ask('imports.get', { id: 42 }),
      ask('imports.retry', { id: 42 }),
      ask('tariffs.get', { id: 'nope' }),
      ask('switching.get', { id: 7 }),
      // arguments that fail validation: the sentence first, then the field it is about
      ask('sites.create', { name: '  ' }),
      ask('totals.list', { meter: '' }),
    ]);
    for (const r of replies) {
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.message).toMatch(STARTS_WELL);
    }
    const named = replies.at(-2)!;
    expect(named).toMatchObject({ ok: false, error: { code: 'INVALID_ARGS', message: 'A site needs a name (name)' } });
  });
});
