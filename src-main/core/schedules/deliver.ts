/**
 * Delivering a run's file: into a folder (written under a temporary name, then given its final name
 * without replacing a file already there: ` (2)`, ` (3)`… are added), by email over the SMTP server
 * alerts use (the file attached), or to an SFTP server (the server's host key checked against the
 * pinned fingerprint, pinned on first use; uploaded under a temporary name and renamed; network
 * failures and dropped connections tried again with backoff, up to 3 attempts; a refused sign-in or
 * a different host key is not tried again).
 */
import fs from 'node:fs';
import path from 'node:path';
import type SftpClient from 'ssh2-sftp-client';
import { AppError } from '../../../src-shared/contract/errors';
import type { ScheduleDestination } from '../../../src-shared/contract/types';
import type { Logger } from '../events';
import { sendMail } from '../notify/channels';
import { scheduleSecretKey, type SecretStore } from '../notify/secrets';
import type { SettingsStore } from '../settings/settings-store';
import {
  AUTH_FAILED,
  HostKeyMismatch,
  closeQuietly,
  connectPinned,
  sftpProblem,
  sftpWhere,
  within,
} from '../sftp/connection';
import { numberedName } from '../sources/kinds';
import type { Artefact } from './make';

/** Attempts at an SFTP upload. */
export const SFTP_ATTEMPTS = 3;

/** What delivery reads and how patient it is. */
export interface DeliverOptions {
  secrets: SecretStore;
  settings: SettingsStore;
  log: Logger;
  /** Milliseconds an SFTP server may take to answer a step (default 30 s). */
  timeoutMs?: number;
  /** The pauses before the second and third SFTP attempts (default 2 s and 8 s). */
  retryDelaysMs?: readonly number[];
}

/** Where the file went and how. */
export interface Delivered {
  fileName: string;
  target: string;
  attempts: number;
}

/** The run's log, written as delivery goes (attempts that failed, a host key pinned). */
export interface DeliveryLog {
  note(text: string): void;
  /** Pins the SFTP server's host key (first use). */
  pin(fingerprint: string): void;
  attempts: number;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The name a temporary copy has while it is written: hidden, and never matched by a pickup's pattern. */
const tempName = (fileName: string): string => `.${fileName}.uploading`;

/** Puts the file into the folder under a name not yet taken there. */
async function toFolder(dir: string, a: Artefact): Promise<Delivered> {
  if (!fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory())
    throw new AppError('UNAVAILABLE', `There is no folder ${dir} on this computer; create it or change the schedule`);
  const tmp = path.join(dir, tempName(a.fileName));
  await fs.promises.copyFile(a.path, tmp);
  try {
    for (let n = 1; ; n++) {
      const dest = path.join(dir, numberedName(a.fileName, n));
      try {
        // a hard link fails when the name is taken: nothing is ever replaced, even in a race
        await fs.promises.link(tmp, dest);
        return { fileName: path.basename(dest), target: `folder ${dest}`, attempts: 1 };
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
    }
  } finally {
    await fs.promises.rm(tmp, { force: true });
  }
}

/** Sends the file by email to the recipients, over the SMTP settings of alerts. */
async function byEmail(o: DeliverOptions, to: string[], a: Artefact): Promise<Delivered> {
  const smtpUrl = o.secrets.get('notify.email.smtpUrl');
  if (!smtpUrl)
    throw new AppError(
      'UNAVAILABLE',
      'Email is not set up: set the SMTP server in Settings → Notifications (the one alerts use)',
    );
  await sendMail(
    { smtpUrl, from: o.settings.get()['notify.email.from'] },
    {
      to,
      subject: a.subject,
      text: a.text,
      html: a.html,
      attachments: [{ filename: a.fileName, path: a.path, contentType: a.contentType }],
    },
  );
  return { fileName: a.fileName, target: `email ${to.join(', ')}`, attempts: 1 };
}

type SftpDest = Extract<ScheduleDestination, { kind: 'sftp' }>;

const AFTER_DROP = 'it is tried again';

/** Whether trying again might help: network trouble, not a refused sign-in, a host key or a bad key. */
const worthRetrying = (e: unknown): boolean =>
  e instanceof AppError && e.code === 'UNAVAILABLE' && e.details !== AUTH_FAILED;

/** One upload over one connection: the temporary name, then the final name not yet taken. */
async function upload(client: SftpClient, d: SftpDest, a: Artefact, timeoutMs: number): Promise<string> {
  const step = <T>(p: Promise<T>, doing: string): Promise<T> =>
    within(
      p.catch((e: unknown) => {
        throw sftpProblem(e, d, doing, AFTER_DROP);
      }),
      timeoutMs,
      () => void client.end().catch(() => undefined),
      `The SFTP server ${sftpWhere(d)} did not answer within ${Math.round(timeoutMs / 1000)} s while ${doing.toLowerCase()}`,
    );
  if (!(await step(client.exists(d.path), `Looking for ${d.path}`)))
    await step(client.mkdir(d.path, true), `Creating ${d.path}`);
  const tmp = path.posix.join(d.path, tempName(a.fileName));
  // a copy left by an attempt whose connection dropped goes first
  if (await step(client.exists(tmp), `Looking for ${tmp}`)) await step(client.delete(tmp), `Removing ${tmp}`);
  await step(client.put(a.path, tmp), `Uploading ${a.fileName}`);
  const st = await step(client.stat(tmp), `Checking ${tmp}`);
  if (st.size !== a.bytes)
    throw new AppError('UNAVAILABLE', `The upload of ${a.fileName} stopped short (${st.size} of ${a.bytes} bytes)`);
  for (let n = 1; ; n++) {
    const dest = path.posix.join(d.path, numberedName(a.fileName, n));
    if (await step(client.exists(dest), `Looking for ${dest}`)) continue;
    await step(client.rename(tmp, dest), `Renaming ${tmp}`);
    return dest;
  }
}

/** Uploads to the SFTP server, trying again after network failures. */
async function toSftp(
  o: DeliverOptions,
  scheduleId: number,
  hostKey: string | null,
  d: SftpDest,
  a: Artefact,
  log: DeliveryLog,
): Promise<Delivered> {
  const secret = (n: 'password' | 'privateKey' | 'passphrase'): string | null =>
    o.secrets.get(scheduleSecretKey(scheduleId, n));
  const password = secret('password');
  const privateKey = secret('privateKey');
  if (!password && !privateKey)
    throw new AppError(
      'BAD_INPUT',
      `No password or private key is set for ${sftpWhere(d)}: set one (Schedules → Edit) and run it again`,
    );
  const timeoutMs = o.timeoutMs ?? 30_000;
  const delays = o.retryDelaysMs ?? [2000, 8000];
  let pinned = hostKey;
  for (let attempt = 1; ; attempt++) {
    log.attempts = attempt;
    let client: SftpClient | null = null;
    try {
      const c = await connectPinned(
        {
          ...d,
          password,
          privateKey,
          passphrase: secret('passphrase'),
          pinned,
          timeoutMs,
          log: o.log,
          clientName: 'eclectyc-delivery',
        },
        AFTER_DROP,
      );
      client = c.client;
      if (pinned === null && c.offered !== null) {
        pinned = c.offered;
        log.pin(c.offered);
        log.note(
          `Pinned the server's host key ${c.offered} on first use: a server offering another key will be refused`,
        );
      }
      const dest = await upload(client, d, a, timeoutMs);
      return { fileName: path.posix.basename(dest), target: `sftp://${sftpWhere(d)}${dest}`, attempts: attempt };
    } catch (e) {
      if (e instanceof HostKeyMismatch)
        throw new AppError(
          'CONFLICT',
          `The SFTP server ${sftpWhere(d)} offered a different host key than the one pinned for this schedule ` +
            `(pinned ${e.pinned}, offered ${e.offered}), so nothing was uploaded: it may not be the server you think. ` +
            'If its key was changed on purpose (ask its administrator), forget the pinned key (Schedules → Edit) ' +
            'and run it again.',
          { pinned: e.pinned, offered: e.offered },
        );
      if (!worthRetrying(e) || attempt >= SFTP_ATTEMPTS) throw e;
      const wait = delays[Math.min(attempt - 1, delays.length - 1)] ?? 0;
      log.note(`Attempt ${attempt} failed: ${(e as Error).message}; trying again in ${Math.round(wait / 100) / 10} s`);
      await sleep(wait);
    } finally {
      if (client) await closeQuietly(client);
    }
  }
}

/** Delivers the file where the schedule says. */
export function deliver(
  o: DeliverOptions,
  s: { id: number; destination: ScheduleDestination; hostKey: string | null },
  a: Artefact,
  log: DeliveryLog,
): Promise<Delivered> {
  const d = s.destination;
  log.attempts = 1;
  if (d.kind === 'folder') return toFolder(d.path, a);
  if (d.kind === 'email') return byEmail(o, d.to, a);
  return toSftp(o, s.id, s.hostKey, d, a, log);
}
