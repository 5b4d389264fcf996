/**
 * A real SFTP server on 127.0.0.1 for tests: ssh2's Server with an SFTP subsystem serving a temporary
 * folder (list, stat, read, write, remove, rename, mkdir), signing users in by password or public key,
 * with a host key generated per server. It records each sign-in and can drop every connection after a
 * number of reads or writes, as a network failure would.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import type net from 'node:net';
import path from 'node:path';
import ssh2, { type Connection, type ParsedKey, type SFTPWrapper } from 'ssh2';

// the default import, as src-main does: Playwright's ESM loader sees no named exports in ssh2 (CommonJS)
const { Server, utils } = ssh2;

const { OPEN_MODE, STATUS_CODE } = utils.sftp;

/**
 * An ed25519 key pair (OpenSSH format) that ssh2 can read back: its generator strips leading zero
 * bytes from the public key, so about 1 pair in 256 is malformed (mscdex/ssh2#1513); such pairs are
 * made again. `passphrase` encrypts the private key (aes256-ctr).
 */
export function sshKeyPair(passphrase?: string): { private: string; public: string } {
  for (;;) {
    const pair = passphrase
      ? utils.generateKeyPairSync('ed25519', { passphrase, cipher: 'aes256-ctr', rounds: 16 })
      : utils.generateKeyPairSync('ed25519');
    if (!(utils.parseKey(pair.public) instanceof Error) && !(utils.parseKey(pair.private, passphrase) instanceof Error))
      return pair;
  }
}

export interface SftpUser {
  username: string;
  password?: string;
  /** An OpenSSH public key line (`ssh-ed25519 AAAA… comment`). */
  publicKey?: string;
}

export interface TestSftpServer {
  port: number;
  /** The server's host key pair (OpenSSH text). */
  hostKey: { private: string; public: string };
  /** Sign-ins accepted: `user:method`. */
  logins: string[];
  /** Drops every connection (the socket destroyed, no goodbye) once this many more reads have been answered. */
  dropAfterReads(n: number): void;
  /** Drops every connection once, when this many more writes have been taken (the next is lost with it). */
  dropAfterWrites(n: number): void;
  close(): Promise<void>;
}

/** A long listing line as `ls -l` writes it (the SFTP client reads the type from its first letter). */
function longname(name: string, st: fs.Stats): string {
  const type = st.isDirectory() ? 'd' : '-';
  const d = st.mtime.toUTCString().slice(5, 16);
  return `${type}rw-r--r--    1 data     data     ${String(st.size).padStart(8)} ${d} ${name}`;
}

const attrsOf = (st: fs.Stats) => ({
  mode: st.mode,
  uid: 0,
  gid: 0,
  size: st.size,
  atime: Math.floor(st.atimeMs / 1000),
  mtime: Math.floor(st.mtimeMs / 1000),
});

const same = (a: Buffer, b: Buffer): boolean => a.length === b.length && crypto.timingSafeEqual(a, b);

export async function startSftpServer(root: string, users: SftpUser[]): Promise<TestSftpServer> {
  const hostKey = sshKeyPair();
  const logins: string[] = [];
  const clients = new Set<Connection>();
  let readsLeft = Infinity;
  let writesLeft = Infinity;
  /** A dropped connection: the socket goes, nothing is said (ssh2 keeps it on the connection). */
  const dropAll = (): void => {
    for (const c of clients) (c as unknown as { _sock: net.Socket })._sock.destroy();
  };

  /** A remote path inside `root` ('..' cannot climb out of it). */
  const local = (p: string): string => path.join(root, path.posix.normalize(`/${p}`));

  const server = new Server({ hostKeys: [hostKey.private] }, (client) => {
    clients.add(client);
    client.on('close', () => clients.delete(client));
    client.on('error', () => undefined);
    client.on('authentication', (ctx) => {
      const user = users.find((u) => u.username === ctx.username);
      if (user && ctx.method === 'password' && user.password !== undefined) {
        if (!same(Buffer.from(ctx.password), Buffer.from(user.password))) return ctx.reject(['password', 'publickey']);
        logins.push(`${user.username}:password`);
        return ctx.accept();
      }
      if (user && ctx.method === 'publickey' && user.publicKey) {
        const allowed = utils.parseKey(user.publicKey) as ParsedKey;
        if (ctx.key.algo !== allowed.type || !same(ctx.key.data, allowed.getPublicSSH()))
          return ctx.reject(['password', 'publickey']);
        if (ctx.signature && ctx.blob && allowed.verify(ctx.blob, ctx.signature, ctx.hashAlgo) !== true)
          return ctx.reject(['password', 'publickey']);
        if (ctx.signature) logins.push(`${user.username}:publickey`);
        return ctx.accept();
      }
      ctx.reject(['password', 'publickey']);
    });
    client.on('ready', () => {
      client.on('session', (accept) => {
        accept().on('sftp', (acceptSftp) => serve(acceptSftp(), client));
      });
    });
  });

  function serve(sftp: SFTPWrapper, client: Connection): void {
    const handles = new Map<number, { fd?: number; dir?: string; listed?: boolean }>();
    let next = 0;
    const handle = (h: Buffer) => (h.length === 4 ? handles.get(h.readUInt32BE(0)) : undefined);
    const newHandle = (v: { fd?: number; dir?: string }): Buffer => {
      const b = Buffer.alloc(4);
      b.writeUInt32BE(next, 0);
      handles.set(next++, v);
      return b;
    };
    const fail = (reqid: number, e: unknown) =>
      sftp.status(
        reqid,
        (e as NodeJS.ErrnoException).code === 'ENOENT' ? STATUS_CODE.NO_SUCH_FILE : STATUS_CODE.FAILURE,
        (e as Error).message,
      );
    sftp
      .on('REALPATH', (reqid, p) => {
        const abs = path.posix.normalize(`/${p}`);
        sftp.name(reqid, [{ filename: abs, longname: abs, attrs: {} as never }]);
      })
      .on('STAT', (reqid, p) => {
        try {
          sftp.attrs(reqid, attrsOf(fs.statSync(local(p))));
        } catch (e) {
          fail(reqid, e);
        }
      })
      .on('LSTAT', (reqid, p) => {
        try {
          sftp.attrs(reqid, attrsOf(fs.lstatSync(local(p))));
        } catch (e) {
          fail(reqid, e);
        }
      })
      .on('OPENDIR', (reqid, p) => {
        const dir = local(p);
        if (!fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory())
          return sftp.status(reqid, STATUS_CODE.NO_SUCH_FILE, `No such directory ${p}`);
        sftp.handle(reqid, newHandle({ dir }));
      })
      .on('READDIR', (reqid, h) => {
        const d = handle(h);
        if (!d?.dir) return sftp.status(reqid, STATUS_CODE.FAILURE);
        if (d.listed) return sftp.status(reqid, STATUS_CODE.EOF);
        d.listed = true;
        const names = fs.readdirSync(d.dir).map((filename) => {
          const st = fs.statSync(path.join(d.dir!, filename));
          return { filename, longname: longname(filename, st), attrs: attrsOf(st) };
        });
        sftp.name(reqid, names);
      })
      .on('OPEN', (reqid, p, flags) => {
        const mode =
          flags & OPEN_MODE.WRITE
            ? flags & OPEN_MODE.EXCL
              ? 'wx'
              : flags & OPEN_MODE.APPEND
                ? 'a'
                : flags & OPEN_MODE.TRUNC || flags & OPEN_MODE.CREAT
                  ? 'w'
                  : 'r+'
            : 'r';
        try {
          sftp.handle(reqid, newHandle({ fd: fs.openSync(local(p), mode) }));
        } catch (e) {
          fail(reqid, e);
        }
      })
      .on('READ', (reqid, h, offset, length) => {
        const f = handle(h);
        if (f?.fd === undefined) return sftp.status(reqid, STATUS_CODE.FAILURE);
        if (readsLeft-- <= 0) return dropAll();
        const buf = Buffer.alloc(length);
        const n = fs.readSync(f.fd, buf, 0, length, offset);
        if (n === 0) return sftp.status(reqid, STATUS_CODE.EOF);
        sftp.data(reqid, buf.subarray(0, n));
      })
      .on('WRITE', (reqid, h, offset, data) => {
        const f = handle(h);
        if (f?.fd === undefined) return sftp.status(reqid, STATUS_CODE.FAILURE);
        if (writesLeft-- <= 0) {
          writesLeft = Infinity;
          return dropAll();
        }
        fs.writeSync(f.fd, data, 0, data.length, offset);
        sftp.status(reqid, STATUS_CODE.OK);
      })
      .on('FSETSTAT', (reqid) => sftp.status(reqid, STATUS_CODE.OK))
      .on('SETSTAT', (reqid) => sftp.status(reqid, STATUS_CODE.OK))
      .on('FSTAT', (reqid, h) => {
        const f = handle(h);
        if (f?.fd === undefined) return sftp.status(reqid, STATUS_CODE.FAILURE);
        sftp.attrs(reqid, attrsOf(fs.fstatSync(f.fd)));
      })
      .on('CLOSE', (reqid, h) => {
        const f = handle(h);
        if (!f) return sftp.status(reqid, STATUS_CODE.FAILURE);
        if (f.fd !== undefined) fs.closeSync(f.fd);
        handles.delete(h.readUInt32BE(0));
        sftp.status(reqid, STATUS_CODE.OK);
      })
      .on('REMOVE', (reqid, p) => {
        try {
          fs.unlinkSync(local(p));
          sftp.status(reqid, STATUS_CODE.OK);
        } catch (e) {
          fail(reqid, e);
        }
      })
      .on('RENAME', (reqid, from, to) => {
        // SFTP version 3: a rename never replaces a file
        if (fs.existsSync(local(to))) return sftp.status(reqid, STATUS_CODE.FAILURE, `${to} exists`);
        try {
          fs.renameSync(local(from), local(to));
          sftp.status(reqid, STATUS_CODE.OK);
        } catch (e) {
          fail(reqid, e);
        }
      })
      .on('MKDIR', (reqid, p) => {
        try {
          fs.mkdirSync(local(p));
          sftp.status(reqid, STATUS_CODE.OK);
        } catch (e) {
          fail(reqid, e);
        }
      });
    client.on('close', () => {
      for (const f of handles.values()) if (f.fd !== undefined) fs.closeSync(f.fd);
    });
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    port: (server.address() as net.AddressInfo).port,
    hostKey,
    logins,
    dropAfterReads(n) {
      readsLeft = n;
    },
    dropAfterWrites(n) {
      writesLeft = n;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of clients) c.end();
        server.close(() => resolve());
      }),
  };
}
