/**
 * SFTP pickup from a data collector's server: signs in with a password or a private key from the
 * secret store, checks the server's host key against the fingerprint pinned in the source's settings
 * (pinning it on first use), lists the remote folder with the pattern, downloads files into the file
 * store, and after a successful import deletes each file or moves it on the server when asked to.
 * Every step has a time limit; a dropped connection fails the run (the next run carries on).
 */
import path from 'node:path';
import { Transform } from 'node:stream';
import type SftpClient from 'ssh2-sftp-client';
import type { StoredFile } from '../../../src-shared/contract/types';
import { AppError } from '../../../src-shared/contract/errors';
import {
  HostKeyMismatch,
  closeQuietly,
  connectPinned,
  sftpProblem as problem,
  sftpWhere as where,
  within,
} from '../sftp/connection';
import type { FileKind, FileSession, KindContext, Listed } from './kinds';
import { inProgressName, namePattern, numberedName } from './kinds';
import type { SourceConfig } from './store';

export type SftpConfig = Extract<SourceConfig, { kind: 'sftp' }>;

/** What a pickup says after a dropped connection. */
const AFTER_DROP = 'the next run carries on from there';

const sftpProblem = (e: unknown, c: SftpConfig, doing: string): AppError => problem(e, c, doing, AFTER_DROP);

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
    await closeQuietly(this.client);
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
  const pinned = c.hostKey ?? null;
  let connected: Awaited<ReturnType<typeof connectPinned>>;
  try {
    connected = await connectPinned(
      {
        ...c,
        password,
        privateKey,
        passphrase,
        pinned,
        timeoutMs: ctx.timeoutMs,
        log: ctx.log,
        clientName: 'eclectyc-source',
      },
      AFTER_DROP,
    );
  } catch (e) {
    if (e instanceof HostKeyMismatch) {
      const offered = e.offered;
      throw new AppError(
        'CONFLICT',
        `The SFTP server ${where(c)} offered a different host key than the one pinned for this source ` +
          `(pinned ${pinned}, offered ${offered}), so nothing was downloaded: it may not be the server you ` +
          `think. If its key was changed on purpose (ask its administrator), accept the new key by setting ` +
          `the host key to ${offered} (Data feeds → Edit, or sources add … --host-key ${offered}).`,
        { pinned, offered },
      );
    }
    throw e;
  }
  const { client, offered } = connected;
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
