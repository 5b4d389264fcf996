/**
 * Scheduled SFTP delivery against a real SFTP server on 127.0.0.1 (tests/helpers/sftp-server.ts):
 * password and key sign-in, the host key pinned on first use, a different key refused with nothing
 * uploaded, a refused sign-in not tried again, and a connection dropped during the upload tried
 * again — the file delivered once under its final name, no temporary file left.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScheduleRun, ScheduleSummary } from '../../../src-shared/contract/types';
import { callAsAdmin, importFiles, makeCore, tempDir, writeTemp } from '../../../tests/helpers/core';
import { sshKeyPair, startSftpServer, type TestSftpServer } from '../../../tests/helpers/sftp-server';
import type { Core } from '../app';

const MPAN = '1200050000300';
const PASSWORD = 'Council-pw-2025';
const key = sshKeyPair('key passphrase');
const NAME = `eclectyc-readings-meter-${MPAN}-2025-03-13-to-2025-03-13.csv`;

/** The fingerprint `ssh-keygen -l` prints for an OpenSSH public key line, worked out from the line itself. */
function keygenFingerprint(publicLine: string): string {
  const blob = Buffer.from(publicLine.trim().split(/\s+/)[1]!, 'base64');
  return `SHA256:${crypto.createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

let core: Core;
let server: TestSftpServer;
let root: string;
const ls = (dir: string): string[] => (fs.existsSync(dir) ? fs.readdirSync(dir).sort() : []);

const save = (args: Record<string, unknown>) =>
  callAsAdmin<ScheduleSummary>(core, 'schedules.save', {
    what: { kind: 'export', table: 'readings', scope: { meter: MPAN }, range: 'yesterday' },
    cadence: { every: 'daily', at: '06:00' },
    ...args,
  });
const run = (id: number) => callAsAdmin<ScheduleRun>(core, 'schedules.run', { id });

beforeAll(async () => {
  root = tempDir();
  server = await startSftpServer(root, [
    { username: 'council', password: PASSWORD },
    { username: 'bureau', publicKey: key.public },
  ]);
  core = await makeCore({
    clock: { now: () => Date.parse('2025-03-14T09:00:00Z') },
    schedules: { timeoutMs: 3000, retryDelaysMs: [50, 50] },
  });
  const t0 = Date.UTC(2025, 2, 13);
  const lines = ['MPAN,Timestamp,kWh'];
  for (let i = 0; i < 48; i++) lines.push(`${MPAN},${new Date(t0 + i * 1_800_000).toISOString()},${(i % 9) / 4}`);
  await importFiles(core, [writeTemp('one-day.csv', lines.join('\n'))]);
  await core.waitForDeliveries();
}, 60_000);

afterAll(async () => {
  await core?.stop();
  await server?.close();
});

describe('SFTP delivery', () => {
  it('signs in with a password, pins the host key on first use, uploads under a temporary name and renames', async () => {
    const s = await save({
      name: 'Council warehouse',
      destination: { kind: 'sftp', host: '127.0.0.1', port: server.port, username: 'council', path: '/in/energy' },
      secrets: { password: PASSWORD },
    });
    expect(s.hostKey).toBeNull();
    const r = await run(s.id);
    const pinned = keygenFingerprint(server.hostKey.public);
    expect(r).toMatchObject({
      status: 'ok',
      attempts: 1,
      fileName: NAME,
      target: `sftp://127.0.0.1:${server.port}/in/energy/${NAME}`,
      notes: [`Pinned the server's host key ${pinned} on first use: a server offering another key will be refused`],
    });
    expect((await callAsAdmin<ScheduleSummary>(core, 'schedules.get', { id: s.id })).hostKey).toBe(pinned);
    expect(ls(path.join(root, 'in/energy'))).toEqual([NAME]);
    const body = fs.readFileSync(path.join(root, 'in/energy', NAME));
    expect(r.bytes).toBe(body.length);
    expect(body.toString('utf8').trim().split('\r\n')).toHaveLength(49);
    expect(server.logins).toContain('council:password');

    // again: the pinned key matches, and the second file does not replace the first
    const again = await run(s.id);
    expect([again.status, again.notes]).toEqual(['ok', []]);
    expect(ls(path.join(root, 'in/energy'))).toEqual([NAME, NAME.replace('.csv', ' (2).csv')].sort());
  });

  it('signs in with a private key and its passphrase', async () => {
    const s = await save({
      name: 'Bill bureau',
      destination: { kind: 'sftp', host: '127.0.0.1', port: server.port, username: 'bureau', path: '/bureau' },
      secrets: { privateKey: key.private, passphrase: 'key passphrase' },
    });
    expect(s.secretsSet.sort()).toEqual(['passphrase', 'privateKey']);
    expect((await run(s.id)).status).toBe('ok');
    expect(server.logins).toContain('bureau:publickey');
    expect(ls(path.join(root, 'bureau'))).toEqual([NAME]);
  });

  it('refuses a server offering a different host key, naming both, and uploads nothing', async () => {
    const s = await save({
      name: 'Moved server',
      destination: { kind: 'sftp', host: '127.0.0.1', port: server.port, username: 'council', path: '/moved' },
      secrets: { password: PASSWORD },
    });
    const other = `SHA256:${crypto.createHash('sha256').update('another server').digest('base64').replace(/=+$/, '')}`;
    core.sqlite.prepare('UPDATE schedules SET host_key = ? WHERE id = ?').run(other, s.id);
    const r = await run(s.id);
    expect(r.status).toBe('failed');
    expect(r.attempts).toBe(1);
    expect(r.error).toContain(`(pinned ${other}, offered ${keygenFingerprint(server.hostKey.public)})`);
    expect(r.error).toContain('nothing was uploaded');
    expect(ls(path.join(root, 'moved'))).toEqual([]);
    // the pinned key stays until it is forgotten on purpose
    expect((await callAsAdmin<ScheduleSummary>(core, 'schedules.get', { id: s.id })).hostKey).toBe(other);
  });

  it('does not try again when the server refuses the sign-in', async () => {
    const s = await save({
      name: 'Wrong password',
      destination: { kind: 'sftp', host: '127.0.0.1', port: server.port, username: 'council', path: '/wrong' },
      secrets: { password: 'not-it' },
    });
    const r = await run(s.id);
    expect([r.status, r.attempts, r.notes]).toEqual(['failed', 1, []]);
    expect(r.error).toBe(
      `The SFTP server 127.0.0.1:${server.port} refused to sign in user council: check the user name and the password or private key`,
    );
    expect(ls(path.join(root, 'wrong'))).toEqual([]);
  });

  it('tries again after a dropped connection: the file arrives once, under its final name', async () => {
    const s = await save({
      name: 'Flaky link',
      destination: { kind: 'sftp', host: '127.0.0.1', port: server.port, username: 'council', path: '/flaky' },
      secrets: { password: PASSWORD },
    });
    // the first write of the upload is lost with the connection
    server.dropAfterWrites(0);
    const r = await run(s.id);
    expect(r).toMatchObject({ status: 'ok', attempts: 2, fileName: NAME, error: null });
    expect(r.notes.some((n) => /^Attempt 1 failed: .*dropped.*; trying again in 0\.1 s$/.test(n))).toBe(true);
    expect(ls(path.join(root, 'flaky'))).toEqual([NAME]);
    expect(fs.statSync(path.join(root, 'flaky', NAME)).size).toBe(r.bytes);
  });
});
