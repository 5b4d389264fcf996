/**
 * SFTP connections shared by data sources (pickups) and scheduled deliveries (uploads): signing in
 * with a password or a private key, the server's host key checked against a pinned SHA-256
 * fingerprint (or taken to pin on first use), time limits on every step, and SFTP and network
 * failures put in words that name the server.
 */
import crypto from 'node:crypto';
import ssh2 from 'ssh2';
import SftpClient from 'ssh2-sftp-client';
import { AppError } from '../../../src-shared/contract/errors';
import type { Logger } from '../events';

/** A server's host key as `ssh-keygen -l` prints it: `SHA256:` and the key's SHA-256 in base64, unpadded. */
export function fingerprint(key: Buffer): string {
  return `SHA256:${crypto.createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}

/** Whether two fingerprints name the same key (with or without base64 padding). */
export const sameFingerprint = (a: string, b: string): boolean => a.replace(/=+$/, '') === b.replace(/=+$/, '');

/** The server an SFTP connection goes to. */
export interface SftpServer {
  host: string;
  port?: number;
  username: string;
}

/** The host and port as people write them. */
export const sftpWhere = (c: Pick<SftpServer, 'host' | 'port'>): string =>
  `${c.host}${c.port && c.port !== 22 ? `:${c.port}` : ''}`;

/** Details of the failures that trying again cannot mend (`reason: 'auth'`: the server refused the sign-in). */
export const AUTH_FAILED = { reason: 'auth' } as const;

/**
 * An SFTP or network failure in words, naming the server; `afterDrop` ends the sentence about a
 * dropped connection (what happens next).
 */
export function sftpProblem(e: unknown, c: SftpServer, doing: string, afterDrop: string): AppError {
  if (e instanceof AppError) return e;
  const err = e as NodeJS.ErrnoException & { level?: string };
  const msg = err.message ?? String(e);
  const server = `the SFTP server ${sftpWhere(c)}`;
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
      `The SFTP server ${sftpWhere(c)} refused to sign in user ${c.username}: check the user name and the password or private key`,
      AUTH_FAILED,
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
      `The SFTP server ${sftpWhere(c)} did not answer in time while ${doing.toLowerCase()}`,
    );
  if (
    /ECONNRESET|not connected|no sftp connection|connection lost|no response from server|closed|unexpected end event/i.test(
      msg,
    )
  )
    return new AppError(
      'UNAVAILABLE',
      `The connection to ${server} dropped while ${doing.toLowerCase()}; ${afterDrop}`,
    );
  return new AppError('UNAVAILABLE', `${doing} failed on ${server}: ${msg.replace(/^\w+(?:->\w+)?: /, '')}`);
}

/** Why a private key (with its passphrase) cannot be used, in words for a form; null when it can. */
export function privateKeyProblem(key: string, passphrase: string | null | undefined): string | null {
  const parsed = ssh2.utils.parseKey(key, passphrase ?? undefined);
  if (!(parsed instanceof Error)) return null;
  return /passphrase|encrypted/i.test(parsed.message)
    ? 'The private key is protected by a passphrase: give the right passphrase too'
    : 'This is not a private key this app can read (paste the whole key file, OpenSSH or PEM)';
}

/** Rejects when `p` takes longer than `ms` (then `onTimeout` runs, e.g. to close the connection). */
export async function within<T>(p: Promise<T>, ms: number, onTimeout: () => void, message: string): Promise<T> {
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

/** How to connect: the server, the credentials, the pinned fingerprint (null: pin the one offered). */
export interface ConnectOptions extends SftpServer {
  password: string | null;
  privateKey: string | null;
  passphrase: string | null;
  pinned: string | null;
  timeoutMs: number;
  log: Logger;
  /** Names the client in ssh2-sftp-client's own messages. */
  clientName: string;
}

/** The server offered a host key other than the one pinned: nothing may be sent to or taken from it. */
export class HostKeyMismatch extends Error {
  constructor(
    readonly pinned: string,
    readonly offered: string,
  ) {
    super(`host key mismatch (pinned ${pinned}, offered ${offered})`);
  }
}

/**
 * Connects and signs in, checking the server's host key against the pinned fingerprint. Resolves
 * with the client and the fingerprint the server offered (to pin when none was); rejects with a
 * HostKeyMismatch, or the failure put in words by `sftpProblem`.
 */
export async function connectPinned(
  o: ConnectOptions,
  afterDrop: string,
): Promise<{ client: SftpClient; offered: string | null }> {
  const client = new SftpClient(o.clientName, {
    error: (e) => o.log.warn(`SFTP ${sftpWhere(o)}: ${(e as Error).message}`),
    end: () => undefined,
    close: () => undefined,
  });
  let offered: string | null = null;
  try {
    await within(
      client.connect({
        host: o.host,
        port: o.port ?? 22,
        username: o.username,
        ...(o.password ? { password: o.password } : {}),
        ...(o.privateKey ? { privateKey: o.privateKey, ...(o.passphrase ? { passphrase: o.passphrase } : {}) } : {}),
        readyTimeout: o.timeoutMs,
        keepaliveInterval: Math.max(1000, Math.floor(o.timeoutMs / 3)),
        keepaliveCountMax: 3,
        hostVerifier: (key: Buffer) => {
          offered = fingerprint(key);
          return o.pinned === null || sameFingerprint(offered, o.pinned);
        },
      }),
      o.timeoutMs + 1000,
      () => void client.end().catch(() => undefined),
      `The SFTP server ${sftpWhere(o)} did not answer within ${Math.round(o.timeoutMs / 1000)} s`,
    );
  } catch (e) {
    await client.end().catch(() => undefined);
    if (o.pinned !== null && offered !== null && !sameFingerprint(offered, o.pinned))
      throw new HostKeyMismatch(o.pinned, offered);
    throw sftpProblem(e, o, 'Connecting', afterDrop);
  }
  return { client, offered };
}

/** Ends the connection; one that dropped may never say it closed, so it is let go after 2 s anyway. */
export async function closeQuietly(client: SftpClient): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([client.end().catch(() => undefined), new Promise((r) => (timer = setTimeout(r, 2000)))]);
  clearTimeout(timer);
}
