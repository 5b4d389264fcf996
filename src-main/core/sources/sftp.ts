/**
 * SFTP pickup from a data collector's server: signs in with a password or a private key from the
 * secret store, checks the server's host key against the fingerprint pinned in the source's settings
 * (pinning it on first use), lists the remote folder with the pattern, downloads files into the file
 * store, and after a successful import deletes each file or moves it on the server when asked to.
 * Every step has a time limit; a dropped connection fails the run (the next run carries on).
 */
import crypto from 'node:crypto';
import path from 'node:path';
import { Transform } from 'node:stream';
import SftpClient from 'ssh2-sftp-client';
import type { StoredFile } from '../../../src-shared/contract/types';
import { AppError } from '../../../src-shared/contract/errors';
import type { FileKind, FileSession, KindContext, Listed } from './kinds';
import { inProgressName, namePattern, numberedName } from './kinds';
import type { SourceConfig } from './store';

export type SftpConfig = Extract<SourceConfig, { kind: 'sftp' }>;

/** A server's host key as `ssh-keygen -l` prints it: `SHA256:` and the key's SHA-256 in base64, unpadded. */
export function fingerprint(key: Buffer): string {
  return `SHA256:${crypto.createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}

const sameFingerprint = (a: string, b: string): boolean => a.replace(/=+$/, '') === b.replace(/=+$/, '');

/** The host and port as people write them. */
const where = (c: SftpConfig): string => `${c.host}${c.port && c.port !== 22 ? `:${c.port}` : ''}`;

/** An SFTP or network failure in words, naming the server. */
function sftpProblem(e: unknown, c: SftpConfig, doing: string): AppError {
  if (e instanceof AppError) return e;
  const err = e as NodeJS.ErrnoException & { level?: string };
  const msg = err.message ?? String(e);
  const server = `the SFTP server ${where(c)}`;
  if (err.code === 'ECONNREFUSED' || /refused connection/i.test(msg))
    return new AppError(
      'UNAVAILABLE',
      `Could not connect to ${server}: it refused the connection (check the host and port, and that the server is running)`,
    );
  if (err.code === 'ENOTFOUND' || /address lookup failed/i.test(msg))
    return new AppError('UNAVAILABLE', `No computer named ${c.host} was found: check the SFTP host name`);
  if (err.level === 'client-authentication' || /authentication methods failed/i.test(msg))
    return new AppError(
      'UNAVAILABLE',
      `The SFTP server ${where(c)} refused to sign in user ${c.username}: check the user name and the password or private key`,
    );
  if (/cannot parse privatekey|encrypted private key detected|bad passphrase/i.test(msg))
    return new AppError(
      'BAD_INPUT',
      'The private key could not be read: check it is the whole key file and that the passphrase is right',
    );
  if (/no such file/i.test(msg) || err.code === '2' || (err.code as unknown) === 2)
    return new AppError('UNAVAILABLE', `${doing} failed: no such file or folder on ${server}`);
  if (/permission denied/i.test(msg) || (err.code as unknown) === 3)
    return new AppError('UNAVAILABLE', `${doing} failed: ${server} denied permission`);
  if (/timed out|timeout/i.test(msg))
    return new AppError(
      'UNAVAILABLE',
      `The SFTP server ${where(c)} did not answer in time while ${doing.toLowerCase()}`,
    );
  if (/ECONNRESET|not connected|no sftp connection|connection lost|no response from server|closed/i.test(msg))
    return new AppError(
      'UNAVAILABLE',
      `The connection to ${server} dropped while ${doing.toLowerCase()}; the next run carries on from there`,
    );
  return new AppError('UNAVAILABLE', `${doing} failed on ${server}: ${msg.replace(/^\w+(?:->\w+)?: /, '')}`);
}

/** Rejects when `p` takes longer than `ms` (then `onTimeout` runs, e.g. to close the connection). */
async function within<T>(p: Promise<T>, ms: number, onTimeout: () => void, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_r, reject) => {
    timer = setTimeout(() => {
      onTimeout();
      reject(new AppError('UNAVAILABLE', message));
    }, ms);
  });
  try {
    return await Promise.race([p, late]);
  } finally {
    clearTimeout(timer);
  }
}

class SftpSession implements FileSession {
  private readonly match: (name: string) => boolean;

  constructor(
    private readonly client: SftpClient,
    private readonly ctx: KindContext<SftpConfig>,
  ) {
    this.match = namePattern(ctx.config.pattern);
  }

  private get c(): SftpConfig {
    return this.ctx.config;
  }

  private step<T>(p: Promise<T>, doing: string): Promise<T> {
    return within(
      p.catch((e: unknown) => {
        throw sftpProblem(e, this.c, doing);
      }),
      this.ctx.timeoutMs,
      () => void this.client.end().catch(() => undefined),
      `The SFTP server ${where(this.c)} did not answer within ${Math.round(this.ctx.timeoutMs / 1000)} s while ${doing.toLowerCase()}`,
    );
  }

  private remote(key: string): string {
    return path.posix.join(this.c.path, key);
  }

  async list(): Promise<Listed[]> {
    const entries = await this.step(this.client.list(this.c.path), `Listing ${this.c.path}`);
    return entries
      .filter((e) => e.type === '-' && !inProgressName(e.name) && this.match(e.name))
      .map((e) => ({ key: e.name, name: e.name, size: e.size, mtime: e.modifyTime }));
  }

  async store(item: Listed): Promise<StoredFile> {
    const doing = `Downloading ${item.key}`;
    const stream = this.client.createReadStream(this.remote(item.key));
    // a stalled transfer (the server stops sending) ends the run rather than hanging it
    let timer: NodeJS.Timeout | undefined;
    const stall = new Transform({
      transform(chunk: Buffer, _e, cb) {
        arm();
        cb(null, chunk);
      },
      flush(cb) {
        clearTimeout(timer);
        cb();
      },
    });
    const arm = (): void => {
      clearTimeout(timer);
      timer = setTimeout(
        () =>
          stall.destroy(
            new AppError(
              'UNAVAILABLE',
              `The SFTP server ${where(this.c)} stopped sending ${item.key}; the next run tries again`,
            ),
          ),
        this.ctx.timeoutMs,
      );
    };
    arm();
    // the connection dropping ends the transfer with an error, not with a short file
    const dropped = (): void => {
      stream.destroy(new Error('connection lost'));
    };
    this.client.on('close', dropped);
    stream.on('error', (e: Error) => stall.destroy(e));
    try {
      const stored = await this.ctx.files.store(item.name, stream.pipe(stall)).catch((e: unknown) => {
        throw sftpProblem(e, this.c, doing);
      });
      if (stored.bytes !== item.size) {
        this.ctx.files.forget(stored.fileId);
        throw new AppError(
          'UNAVAILABLE',
          `${item.key} changed while it was being downloaded (${stored.bytes} bytes, listed as ${item.size}); the next run takes it again`,
        );
      }
      return stored;
    } finally {
      clearTimeout(timer);
      this.client.removeListener('close', dropped);
    }
  }

  async after(item: Listed, outcome: 'done' | 'failed'): Promise<string | null> {
    const action = this.c.afterImport ?? 'keep';
    if (outcome !== 'done' || action === 'keep') return null;
    const file = this.remote(item.key);
    const st = await this.client.stat(file).catch(() => null);
    // gone already, or a different file under the same name since (it is taken in its own right)
    if (!st || st.size !== item.size || st.modifyTime !== item.mtime) return null;
    if (action === 'delete') {
      await this.step(this.client.delete(file), `Deleting ${item.key}`);
      return `Deleted ${item.key} from the server`;
    }
    const dir = this.c.moveTo!;
    if (!(await this.step(this.client.exists(dir), `Looking for ${dir}`)))
      await this.step(this.client.mkdir(dir, true), `Creating ${dir}`);
    for (let n = 1; ; n++) {
      const dest = path.posix.join(dir, numberedName(item.name, n));
      if (await this.step(this.client.exists(dest), `Looking for ${dest}`)) continue;
      await this.step(this.client.rename(file, dest), `Moving ${item.key}`);
      return `Moved ${item.key} to ${dest} on the server`;
    }
  }

  async close(): Promise<void> {
    // a connection that dropped may never say it closed: the session is let go after a moment anyway
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.client.end().catch(() => undefined), new Promise((r) => (timer = setTimeout(r, 2000)))]);
    clearTimeout(timer);
  }
}

/** Connects and signs in, checking (or, the first time, pinning) the server's host key. */
async function open(ctx: KindContext<SftpConfig>): Promise<FileSession> {
  const c = ctx.config;
  const password = ctx.secret('password');
  const privateKey = ctx.secret('privateKey');
  const passphrase = ctx.secret('passphrase');
  if (!password && !privateKey)
    throw new AppError(
      'BAD_INPUT',
      `No password or private key is set for ${where(c)}: set one (Data feeds → Edit) and run it again`,
    );
  const client = new SftpClient('eclectyc-source', {
    error: (e) => ctx.log.warn(`SFTP ${where(c)}: ${(e as Error).message}`),
    end: () => undefined,
    close: () => undefined,
  });
  const pinned = c.hostKey ?? null;
  let offered: string | null = null;
  try {
    await within(
      client.connect({
        host: c.host,
        port: c.port ?? 22,
        username: c.username,
        ...(password ? { password } : {}),
        ...(privateKey ? { privateKey, ...(passphrase ? { passphrase } : {}) } : {}),
        readyTimeout: ctx.timeoutMs,
        keepaliveInterval: Math.max(1000, Math.floor(ctx.timeoutMs / 3)),
        keepaliveCountMax: 3,
        hostVerifier: (key: Buffer) => {
          offered = fingerprint(key);
          return pinned === null || sameFingerprint(offered, pinned);
        },
      }),
      ctx.timeoutMs + 1000,
      () => void client.end().catch(() => undefined),
      `The SFTP server ${where(c)} did not answer within ${Math.round(ctx.timeoutMs / 1000)} s`,
    );
  } catch (e) {
    await client.end().catch(() => undefined);
    if (pinned !== null && offered !== null && !sameFingerprint(offered, pinned))
      throw new AppError(
        'CONFLICT',
        `The SFTP server ${where(c)} offered a different host key than the one pinned for this source ` +
          `(pinned ${pinned}, offered ${offered}), so nothing was downloaded: it may not be the server you ` +
          `think. If its key was changed on purpose (ask its administrator), accept the new key by setting ` +
          `the host key to ${offered} (Data feeds → Edit, or sources add … --host-key ${offered}).`,
        { pinned, offered },
      );
    throw sftpProblem(e, c, 'Connecting');
  }
  if (pinned === null && offered !== null) {
    ctx.saveConfig({ ...c, hostKey: offered });
    ctx.note(`Pinned the server's host key ${offered} on first use: a server offering another key will be refused`);
  }
  return new SftpSession(client, ctx);
}

export const sftpKind: FileKind<SftpConfig> = {
  family: 'files',
  acts: (c, outcome) => outcome === 'done' && (c.afterImport ?? 'keep') !== 'keep',
  open,
};
