/**
 * SFTP pickup against a real SFTP server on 127.0.0.1 (tests/helpers/sftp-server.ts): password and
 * key sign-in, the host key pinned on first use and a different one refused, files imported once
 * each across runs, deleted or moved on the server only after a successful import, and a connection
 * dropped part way through a run.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../app';
import type { SourceDetail, SourceRun, SourceSummary } from '../../../src-shared/contract/types';
import { callAsAdmin, makeCore, storedReadings, tempDir } from '../../../tests/helpers/core';
import { sshKeyPair, startSftpServer, type TestSftpServer } from '../../../tests/helpers/sftp-server';

const MPAN = '1200050000203';
const PASSWORD = 'pw-Secret-4711';

/** The fingerprint `ssh-keygen -l` prints for an OpenSSH public key line, worked out from the line itself. */
function keygenFingerprint(publicLine: string): string {
  const blob = Buffer.from(publicLine.trim().split(/\s+/)[1]!, 'base64');
  return `SHA256:${crypto.createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

function longCsv(start: string, kwh: number[]): string {
  const t0 = Date.parse(start);
  return `MPAN,Timestamp,kWh\n${kwh.map((v, i) => `${MPAN},${new Date(t0 + i * 1800_000).toISOString()},${v}`).join('\n')}\n`;
}

/** Puts a file on the server, complete and a minute old. */
function put(root: string, remote: string, content: string): void {
  const file = path.join(root, remote);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
  const old = new Date(Date.now() - 60_000);
  fs.utimesSync(file, old, old);
}

const storedKwh = (c: Core): number =>
  storedReadings(c)
    .filter((r) => r[0] === MPAN && r[2] !== null)
    .reduce((s, r) => s + r[2]!, 0);

let core: Core | undefined;
let server: TestSftpServer | undefined;
afterEach(async () => {
  await core?.stop();
  await server?.close();
  core = undefined;
  server = undefined;
});

async function runAndImport(c: Core, id: number): Promise<SourceRun> {
  const [run] = await callAsAdmin<SourceRun[]>(c, 'sources.run', { id });
  await c.imports.drain();
  await c.sources.idle();
  return (await callAsAdmin<SourceDetail>(c, 'sources.get', { id })).runs.find((r) => r.id === run!.id)!;
}

const ls = (dir: string): string[] => (fs.existsSync(dir) ? fs.readdirSync(dir).sort() : []);

describe('SFTP pickup', () => {
  it('signs in with a password, pins the host key on first use, imports each file once and deletes it after', async () => {
    const root = tempDir('eclectyc-sftp-');
    server = await startSftpServer(root, [{ username: 'dc', password: PASSWORD }]);
    core = await makeCore({ sources: { lookAgainMs: 50, afterDelayMs: 5, timeoutMs: 5000 } });
    const src = await callAsAdmin<SourceSummary>(core, 'sources.save', {
      name: 'DC server',
      config: {
        kind: 'sftp',
        host: '127.0.0.1',
        port: server.port,
        username: 'dc',
        path: '/outbox',
        pattern: 'HH_*.csv',
        afterImport: 'delete',
      },
      secrets: { password: PASSWORD },
    });
    expect(src.secretsSet).toEqual(['password']);
    put(root, 'outbox/HH_0101.csv', longCsv('2025-01-01T00:00:00Z', [1, 2]));
    put(root, 'outbox/HH_0102.csv', longCsv('2025-01-02T00:00:00Z', [3, 4]));
    put(root, 'outbox/readme.txt', 'not a reading');

    const fp = keygenFingerprint(server.hostKey.public);
    let run = await runAndImport(core, src.id);
    expect(run).toMatchObject({ status: 'ok', itemsFound: 2, itemsQueued: 2, error: null });
    expect(run.notes).toEqual([
      `Pinned the server's host key ${fp} on first use: a server offering another key will be refused`,
      'Deleted HH_0101.csv from the server',
      'Deleted HH_0102.csv from the server',
    ]);
    expect(new Set(server.logins)).toEqual(new Set(['dc:password']));
    expect(ls(path.join(root, 'outbox'))).toEqual(['readme.txt']);
    expect(storedKwh(core)).toBe(10);
    const detail = await callAsAdmin<SourceDetail>(core, 'sources.get', { id: src.id });
    expect(detail.config.hostKey).toBe(fp);
    expect(detail.items.map((i) => i.key).sort()).toEqual(['HH_0101.csv', 'HH_0102.csv']);
    // the password is in the secret store only: never in an answer or the database
    const answers = JSON.stringify([
      detail,
      await callAsAdmin(core, 'sources.list', {}),
      await callAsAdmin(core, 'audit.list', {}),
    ]);
    expect(answers).toContain('"sources.save"');
    expect(answers).not.toContain(PASSWORD);
    for (const f of fs.readdirSync(core.dataDir).filter((n) => n.startsWith('eclectyc.sqlite')))
      expect(fs.readFileSync(path.join(core.dataDir, f)).includes(Buffer.from(PASSWORD))).toBe(false);

    // the collector sends a file again (the same bytes): not imported twice, cleared away as the first was
    put(root, 'outbox/HH_0101.csv', longCsv('2025-01-01T00:00:00Z', [1, 2]));
    run = await runAndImport(core, src.id);
    expect(run).toMatchObject({
      status: 'ok',
      itemsFound: 1,
      itemsQueued: 0,
      notes: ['Deleted HH_0101.csv from the server'],
    });
    expect(storedKwh(core)).toBe(10);
    expect(ls(path.join(root, 'outbox'))).toEqual(['readme.txt']);
  });

  it('signs in with a passphrase-protected key, moves imported files on the server and keeps failed ones', async () => {
    const root = tempDir('eclectyc-sftp-');
    const key = sshKeyPair('open sesame');
    server = await startSftpServer(root, [{ username: 'keyuser', publicKey: key.public }]);
    core = await makeCore({ sources: { lookAgainMs: 50, afterDelayMs: 5, timeoutMs: 5000 } });
    const src = await callAsAdmin<SourceSummary>(core, 'sources.save', {
      name: 'Keyed',
      config: {
        kind: 'sftp',
        host: '127.0.0.1',
        port: server.port,
        username: 'keyuser',
        path: 'outbox',
        hostKey: keygenFingerprint(server.hostKey.public),
        afterImport: 'move',
        moveTo: 'outbox/archive',
      },
      secrets: { privateKey: key.private, passphrase: 'open sesame' },
    });
    expect(src.secretsSet).toEqual(['privateKey', 'passphrase']);
    put(root, 'outbox/good.csv', longCsv('2025-02-01T00:00:00Z', [0.5, 0.5, 0.5]));
    put(root, 'outbox/bad.csv', 'this,is\nnot,a meter file\n');
    put(root, 'outbox/archive/good.csv', 'an older good.csv, kept');

    let run = await runAndImport(core, src.id);
    expect(run).toMatchObject({ status: 'ok', itemsFound: 2, itemsQueued: 2 });
    expect(run.jobIds.map((j) => core!.imports.get(j).status).sort()).toEqual(['done', 'failed']);
    expect(run.notes).toEqual(['Moved good.csv to outbox/archive/good (2).csv on the server']);
    expect(new Set(server.logins)).toEqual(new Set(['keyuser:publickey']));
    expect(ls(path.join(root, 'outbox'))).toEqual(['archive', 'bad.csv']);
    expect(ls(path.join(root, 'outbox/archive'))).toEqual(['good (2).csv', 'good.csv']);
    expect(fs.readFileSync(path.join(root, 'outbox/archive/good.csv'), 'utf8')).toBe('an older good.csv, kept');
    expect(storedKwh(core)).toBe(1.5);

    // the failed file is left on the server and not taken again
    run = await runAndImport(core, src.id);
    expect(run).toMatchObject({ status: 'ok', itemsFound: 1, itemsQueued: 0, notes: [] });
    expect(ls(path.join(root, 'outbox'))).toEqual(['archive', 'bad.csv']);
  });

  it('refuses a server whose host key differs from the pinned one, showing both and how to accept the new one', async () => {
    const root = tempDir('eclectyc-sftp-');
    server = await startSftpServer(root, [{ username: 'dc', password: PASSWORD }]);
    core = await makeCore({ sources: { lookAgainMs: 50, timeoutMs: 5000 } });
    const pinned = keygenFingerprint(sshKeyPair().public);
    const offered = keygenFingerprint(server.hostKey.public);
    const config = { kind: 'sftp', host: '127.0.0.1', port: server.port, username: 'dc', path: '/', hostKey: pinned };
    const src = await callAsAdmin<SourceSummary>(core, 'sources.save', {
      name: 'Moved server',
      config,
      secrets: { password: PASSWORD },
    });
    put(root, 'a.csv', longCsv('2025-03-01T00:00:00Z', [7]));
    const [run] = await callAsAdmin<SourceRun[]>(core, 'sources.run', { id: src.id });
    expect(run).toMatchObject({ status: 'failed', itemsFound: 0, itemsQueued: 0 });
    expect(run!.error).toBe(
      `The SFTP server 127.0.0.1:${server.port} offered a different host key than the one pinned for this source ` +
        `(pinned ${pinned}, offered ${offered}), so nothing was downloaded: it may not be the server you think. ` +
        `If its key was changed on purpose (ask its administrator), accept the new key by setting the host key to ` +
        `${offered} (Data feeds → Edit, or sources add … --host-key ${offered}).`,
    );
    expect(run!.error).not.toContain(PASSWORD);
    expect(server.logins).toEqual([]);
    expect((await callAsAdmin<SourceDetail>(core, 'sources.get', { id: src.id })).items).toEqual([]);

    // accepted: the new key saved (the password kept), and the next run goes ahead
    await callAsAdmin(core, 'sources.save', {
      id: src.id,
      name: 'Moved server',
      config: { ...config, hostKey: offered },
    });
    expect(await runAndImport(core, src.id)).toMatchObject({ status: 'ok', itemsQueued: 1 });
    expect(storedKwh(core)).toBe(7);
  });

  it('fails a run whose connection drops, and the next run takes the rest, each file once', async () => {
    const root = tempDir('eclectyc-sftp-');
    server = await startSftpServer(root, [{ username: 'dc', password: PASSWORD }]);
    core = await makeCore({ sources: { lookAgainMs: 50, afterDelayMs: 5, timeoutMs: 3000 } });
    const src = await callAsAdmin<SourceSummary>(core, 'sources.save', {
      name: 'Flaky',
      config: { kind: 'sftp', host: '127.0.0.1', port: server.port, username: 'dc', path: '/in' },
      secrets: { password: PASSWORD },
    });
    put(root, 'in/1.csv', longCsv('2025-04-01T00:00:00Z', [1]));
    put(root, 'in/2.csv', longCsv('2025-04-02T00:00:00Z', [2]));
    put(root, 'in/3.csv', longCsv('2025-04-03T00:00:00Z', [4]));
    // 1.csv is read whole (its data, then the end of file); the connection goes while 2.csv is read
    server.dropAfterReads(2);
    const [failed] = await callAsAdmin<SourceRun[]>(core, 'sources.run', { id: src.id });
    expect(failed).toMatchObject({ status: 'failed', itemsFound: 3, itemsQueued: 1 });
    expect(failed!.error).toBe(
      `The connection to the SFTP server 127.0.0.1:${server.port} dropped while downloading 2.csv; ` +
        'the next run carries on from there',
    );
    server.dropAfterReads(Infinity);
    const next = await runAndImport(core, src.id);
    expect(next).toMatchObject({ status: 'ok', itemsFound: 3, itemsQueued: 2 });
    const detail = await callAsAdmin<SourceDetail>(core, 'sources.get', { id: src.id });
    expect(detail.items.map((i) => i.key).sort()).toEqual(['1.csv', '2.csv', '3.csv']);
    expect(storedKwh(core)).toBe(7);
    expect(detail.status).toBe('ok');
  });

  it('asks for a way to sign in, and a readable key', async () => {
    core = await makeCore();
    const config = { kind: 'sftp', host: 'sftp.example.org', username: 'dc', path: '/out' };
    const refused = (args: object) =>
      callAsAdmin(core!, 'sources.save', { name: 'X', config, ...args }).then(
        () => null,
        (e: Error) => e.message,
      );
    expect(await refused({})).toBe('INVALID_ARGS: Set a password or a private key to sign in with (secrets.password)');
    expect(await refused({ secrets: { privateKey: 'not a key' } })).toBe(
      'INVALID_ARGS: This is not a private key this app can read (paste the whole key file, OpenSSH or PEM) (secrets.privateKey)',
    );
    const locked = sshKeyPair('pp').private;
    expect(await refused({ secrets: { privateKey: locked } })).toBe(
      'INVALID_ARGS: The private key is protected by a passphrase: give the right passphrase too (secrets.privateKey)',
    );
    expect(await refused({ config: { ...config, afterImport: 'move' }, secrets: { password: 'x' } })).toBe(
      'INVALID_ARGS: Say which folder on the server to move files to (config.moveTo)',
    );
  });

  it('says the server refused to sign in, in a sentence that starts with a capital, leaving nothing taken', async () => {
    const root = tempDir('eclectyc-sftp-');
    server = await startSftpServer(root, [{ username: 'dc', password: PASSWORD }]);
    core = await makeCore({ sources: { lookAgainMs: 50, timeoutMs: 5000 } });
    const src = await callAsAdmin<SourceSummary>(core, 'sources.save', {
      name: 'Wrong password',
      config: { kind: 'sftp', host: '127.0.0.1', port: server.port, username: 'dc', path: '/' },
      secrets: { password: 'not-the-password' },
    });
    put(root, 'a.csv', longCsv('2025-03-01T00:00:00Z', [7]));
    const [run] = await callAsAdmin<SourceRun[]>(core, 'sources.run', { id: src.id });
    expect(run).toMatchObject({ status: 'failed', itemsFound: 0, itemsQueued: 0 });
    expect(run!.error).toBe(
      `The SFTP server 127.0.0.1:${server.port} refused to sign in user dc: ` +
        'check the user name and the password or private key',
    );
    expect(ls(root)).toEqual(['a.csv']);
  });
});
