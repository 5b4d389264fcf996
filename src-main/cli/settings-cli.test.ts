/** `eclectyc settings get|set` and `eclectyc notify test` as a real process on a bundled build. */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCli, runCli } from '../../tests/helpers/cli';
import { tempDir } from '../../tests/helpers/core';

let cli: string;
beforeAll(async () => {
  cli = await buildCli();
});

describe('eclectyc settings', () => {
  it('sets and gets settings, parses numbers, clears, and keeps secrets masked', () => {
    const dir = tempDir();
    const run = (...args: string[]) => runCli(cli, [...args, '--data-dir', dir]);
    expect(run('settings', 'set', 'notify.email.to', 'a@x.org, b@y.org')).toMatchObject({
      code: 0,
      stdout: 'notify.email.to = a@x.org, b@y.org\n',
    });
    expect(run('settings', 'set', 'importRetentionDays', '45').code).toBe(0);
    const smtp = run('settings', 'set', 'notify.email.smtpUrl', 'smtps://me:hunter22@mail.example.org:465');
    expect(smtp.stdout).toBe('notify.email.smtpUrl = smtps://me:****@mail.example.org:465\n');
    const all = JSON.parse(run('settings', 'get').stdout) as Record<string, unknown>;
    expect(all).toMatchObject({
      importRetentionDays: 45,
      'notify.email.to': 'a@x.org, b@y.org',
      'notify.email.smtpUrl': 'smtps://me:****@mail.example.org:465',
    });
    expect(JSON.stringify(all)).not.toContain('hunter22');
    expect(fs.readFileSync(path.join(dir, 'secrets.json'), 'utf8')).toContain('hunter22');
    expect(run('settings', 'get', 'importRetentionDays', '--json').stdout).toBe('45\n');
    expect(run('settings', 'get', 'notify.email.to').stdout).toBe('a@x.org, b@y.org\n');
    expect(run('settings', 'set', 'notify.email.to', '--clear').stdout).toBe('Cleared notify.email.to.\n');
    expect(run('settings', 'set', 'notify.email.smtpUrl', '').stdout).toBe('Cleared notify.email.smtpUrl.\n');
    expect(JSON.parse(run('settings', 'get', '--json').stdout)).toMatchObject({
      'notify.email.to': null,
      'notify.email.smtpUrl': null,
    });
  });

  it('says which key is wrong and what it expects', () => {
    const dir = tempDir();
    const run = (...args: string[]) => runCli(cli, [...args, '--data-dir', dir]);
    const num = run('settings', 'set', 'notify.rateLimitPerHour', 'lots');
    expect(num.code).toBe(2);
    expect(num.stderr).toContain('notify.rateLimitPerHour needs a whole number, e.g. 60, not "lots"');
    const quiet = run('settings', 'set', 'notify.quietHours', '10pm');
    expect(quiet.code).toBe(1);
    expect(quiet.stderr).toContain('Expected quiet hours as HH:MM-HH:MM, e.g. 22:00-07:00 (notify.quietHours)');
    const unknown = run('settings', 'set', 'notify.colour', 'red');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('there is no setting "notify.colour": expected one of importRetentionDays');
    expect(run('settings', 'get', 'notify.webhook.secret').stderr).toContain('is a secret and is never shown');
  });

  it('sends a test message and fails in words when the channel is not set up', () => {
    const dir = tempDir();
    const r = runCli(cli, ['notify', 'test', 'email', '--data-dir', dir, '--json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toEqual({
      channel: 'email',
      ok: false,
      message: 'Email is not set up: Settings → Notifications',
    });
    expect(runCli(cli, ['notify', 'test', 'pager', '--data-dir', dir]).stderr).toContain(
      'notify test needs a CHANNEL: one of tray, email, slack, webhook',
    );
  });
});
