/**
 * Alerts from the command line, as a data collector's scheduler would run them: the bundled CLI in
 * real processes over one data folder, a real SMTP server, and HTTP servers standing in for Slack
 * and a signed webhook, all on 127.0.0.1. Rules first, then the data: the import itself raises and
 * sends what breaches; `alerts check` afterwards, again, and a re-import send nothing more — each
 * alert reaches each of its channels exactly once. Then the inbox (list, ack) and a refused rule file.
 */
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli } from '../../tests/helpers/cli';
import { tempDir } from '../../tests/helpers/core';
import { catchMail } from '../../tests/helpers/mail';

const A = '1200050000009';
const B = '1200050000106';
const SECRET = 'shh-its-a-secret';

let cli: string;
let dataDir: string;
let files: string;
const slack: { text: string; blocks: unknown[] }[] = [];
const hooks: { event: string; alert?: { id: number; rule: string; subject: string; period: string } }[] = [];
const badSignatures: string[] = [];
let smtp: Awaited<ReturnType<typeof catchMail>>;
let web: http.Server;

/** Runs the CLI without blocking this process (the servers above answer it meanwhile). */
function run(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [cli, '--data-dir', dataDir, '--carbon-api', 'http://127.0.0.1:9', ...args]);
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    p.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    p.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A week of half-hours from Mon 3 Feb 2025: A peaks at 12 kWh (24 kW) at noon on Wed 5 Feb; B never does. */
function csv(meter: string, spike: boolean): string {
  const lines = ['MPAN,Timestamp,kWh'];
  const from = Date.parse('2025-02-03T00:00:00Z');
  for (let i = 0; i < 7 * 48; i++) {
    const t = new Date(from + i * 1800e3).toISOString();
    const noon = t.startsWith('2025-02-05T12:00');
    lines.push(`${meter},${t},${spike && noon ? 12 : 1.5}`);
  }
  return lines.join('\n');
}

beforeAll(async () => {
  cli = await buildCli();
  dataDir = tempDir();
  files = tempDir();
  // smtp-server as it comes: STARTTLS offered with its built-in (expired, self-signed) certificate,
  // as a local mail server on this machine may be
  smtp = await catchMail();
  web = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      if (req.url === '/slack') slack.push(JSON.parse(body) as (typeof slack)[number]);
      else {
        const expected = `sha256=${crypto.createHmac('sha256', SECRET).update(body).digest('hex')}`;
        if (req.headers['x-eclectyc-signature'] !== expected) badSignatures.push(body);
        hooks.push(JSON.parse(body) as (typeof hooks)[number]);
      }
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((r) => web.listen(0, '127.0.0.1', () => r()));
  const smtpPort = smtp.port;
  const webPort = (web.address() as { port: number }).port;
  const settings: [string, string][] = [
    ['notify.email.smtpUrl', `smtp://127.0.0.1:${smtpPort}`],
    ['notify.email.from', 'Eclectyc Energy <alerts@example.org>'],
    ['notify.email.to', 'anna@example.org, facilities@example.org'],
    ['notify.slack.webhookUrl', `http://127.0.0.1:${webPort}/slack`],
    ['notify.webhook.url', `http://127.0.0.1:${webPort}/hook`],
    ['notify.webhook.secret', SECRET],
  ];
  for (const [k, v] of settings) expect((await run('settings', 'set', k, v)).code).toBe(0);
}, 60_000);

afterAll(async () => {
  await smtp.close();
  await new Promise<void>((r) => web.close(() => r()));
});

describe('eclectyc alerts with real mail, Slack and webhook receivers', () => {
  it('the import raises and sends each breach once; checks and re-imports send nothing more', async () => {
    const rules = {
      rules: [
        { id: 'spike', kind: 'halfhour-kw-above', all: true, kw: 20, channels: ['email', 'slack', 'webhook'] },
        { id: 'big-day', kind: 'daily-kwh-above', meter: A, kwh: 80, channels: ['email'], severity: 'critical' },
        { id: 'b-day', kind: 'daily-kwh-above', meter: B, kwh: 80, channels: ['email', 'webhook'] },
      ],
    };
    fs.writeFileSync(path.join(files, 'rules.json'), JSON.stringify(rules));
    const imported = await run('alerts', 'rules', 'import', path.join(files, 'rules.json'), '--json');
    expect(imported.code).toBe(0);
    expect(JSON.parse(imported.stdout)).toMatchObject({ created: 3, updated: 0 });

    fs.writeFileSync(path.join(files, 'a.csv'), csv(A, true));
    fs.writeFileSync(path.join(files, 'b.csv'), csv(B, false));
    const imp = await run('import', path.join(files, 'a.csv'), path.join(files, 'b.csv'));
    expect(imp.code).toBe(0);

    // Wed 5 Feb on A: 47 × 1.5 + 12 = 82.5 kWh (above 80) and 24 kW at noon (above 20); B: 72 kWh a day
    const expected = [
      ['spike', A, '2025-02-05'],
      ['big-day', A, '2025-02-05'],
    ];
    const list = await run('alerts', 'list', '--json');
    const alerts = JSON.parse(list.stdout) as Record<string, unknown>[];
    expect(alerts.map((a) => [a.rule, a.subject, a.period]).sort()).toEqual(expected.sort());
    expect(Object.keys(alerts[0]!)).toEqual([
      'id',
      'rule',
      'subject',
      'severity',
      'status',
      'firedAt',
      'period',
      'message',
      'value',
      'threshold',
    ]);
    expect(alerts.find((a) => a.rule === 'big-day')).toMatchObject({ value: 82.5, threshold: 80, status: 'open' });

    // one email per alert, one Slack message and one webhook call for the spike, nothing for B
    expect(smtp.mails).toHaveLength(2);
    const big = smtp.mails.find((m) => m.subject.includes('Daily kWh above 80 kWh'))!;
    expect(big.subject).toContain('[Critical]');
    expect(big.subject).toContain(A);
    for (const part of [big.text, big.html]) {
      expect(part).toContain(A);
      expect(part).toContain('Wed 5 Feb 2025');
      expect(part).toContain('82.5 kWh');
      expect(part).toContain('80 kWh');
    }
    expect(big.headers.to).toContain('facilities@example.org');
    expect(slack).toHaveLength(1);
    expect(JSON.stringify(slack[0]!.blocks)).toContain(A);
    expect(hooks.map((h) => [h.event, h.alert?.rule, h.alert?.subject, h.alert?.period])).toEqual([
      ['alert.fired', 'spike', A, '2025-02-05'],
    ]);
    expect(badSignatures).toEqual([]);

    // checking again (now, and as at a date), and importing the same file again, send nothing more
    const check = await run('alerts', 'check', '--json');
    expect(check.code).toBe(0);
    expect(JSON.parse(check.stdout)).toMatchObject({ fired: [], unchanged: 2 });
    expect(JSON.parse((await run('alerts', 'check', '--at', '2025-02-10T09:00:00Z', '--json')).stdout).fired).toEqual(
      [],
    );
    expect((await run('import', path.join(files, 'a.csv'), '--reimport')).code).toBe(0);
    expect([smtp.mails.length, slack.length, hooks.length]).toEqual([2, 1, 1]);
  }, 120_000);

  it('acknowledges from the command line, with a note', async () => {
    const alerts = JSON.parse((await run('alerts', 'list', '--status', 'open', '--json')).stdout) as { id: number }[];
    const ack = await run('alerts', 'ack', String(alerts[0]!.id), '--note', 'Kiln firing, expected', '--json');
    expect(ack.code).toBe(0);
    expect(JSON.parse(ack.stdout)).toMatchObject({ id: alerts[0]!.id, status: 'acknowledged' });
    const open = JSON.parse((await run('alerts', 'list', '--status', 'open', '--json')).stdout) as unknown[];
    expect(open).toHaveLength(alerts.length - 1);
    expect((await run('alerts', 'ack', '999')).stderr).toMatch(/No alert 999/);
  }, 60_000);

  it('refuses a bad rule file whole, naming each rule and field, and keeps the rules as they were', async () => {
    const before = (await run('alerts', 'rules', 'list', '--json')).stdout;
    fs.writeFileSync(
      path.join(files, 'bad.json'),
      JSON.stringify({
        rules: [
          { id: 'fine', kind: 'zero-run', all: true },
          { id: 'r2', kind: 'daily-kwh-above', meter: A, kwh: 'lots' },
          { id: 'r3', kind: 'cost-above', all: true, gbp: 5, per: 'fortnight' },
        ],
      }),
    );
    const r = await run('alerts', 'rules', 'import', path.join(files, 'bad.json'));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('nothing was changed');
    expect(r.stderr).toContain('Rule r2 (2nd in the file), field kwh: Expected a number (kWh), not "lots"');
    expect(r.stderr).toContain('Rule r3 (3rd in the file), field per: Expected one of day, month, not "fortnight"');
    expect((await run('alerts', 'rules', 'list', '--json')).stdout).toBe(before);
  }, 60_000);
});
