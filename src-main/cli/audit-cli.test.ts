/**
 * `eclectyc audit` as an admin runs it: a real process on a bundled build, reading entries the
 * command line itself wrote (a site made, the same one refused), with each filter and the table.
 */
import { userInfo } from 'node:os';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCli, runCli } from '../../tests/helpers/cli';
import { tempDir } from '../../tests/helpers/core';

let cli: string;
beforeAll(async () => {
  cli = await buildCli();
});

type Entry = { actor: string; action: string; outcome: string; details: unknown };

describe('eclectyc audit', () => {
  it('lists what the command line did, newest first, with outcomes and filters', () => {
    const dataDir = tempDir();
    const d = ['--data-dir', dataDir];
    expect(runCli(cli, ['sites', 'add', 'Depot', ...d]).code).toBe(0);
    expect(runCli(cli, ['sites', 'add', 'Depot', ...d]).code).toBe(1); // a second one is refused
    const audit = (...args: string[]): Entry[] => {
      const r = runCli(cli, ['audit', ...args, ...d, '--json']);
      expect(r.code, r.stderr).toBe(0);
      return JSON.parse(r.stdout) as Entry[];
    };
    const me = `${userInfo().username} (command line)`;
    expect(audit().map((e) => [e.actor, e.action, e.outcome])).toEqual([
      [me, 'sites.create', 'CONFLICT'],
      [me, 'sites.create', 'ok'],
    ]);
    expect(audit('--failed')).toHaveLength(1);
    expect(audit('--user', userInfo().username)).toHaveLength(2);
    expect(audit('--user', 'somebody-else')).toEqual([]);
    expect(audit('--action', 'sites')).toHaveLength(2);
    expect(audit('--action', 'imports')).toEqual([]);
    expect(audit('--since', '2999-01-01')).toEqual([]);
    const table = runCli(cli, ['audit', ...d]);
    expect(table.stdout).toMatch(/Who\s+Action\s+Outcome/);
    expect(table.stdout).toContain('CONFLICT');
    const bad = runCli(cli, ['audit', '--since', 'yesterday', ...d]);
    expect(bad.code).toBe(1);
  });
});
