/**
 * Where secrets live (docs/notifications.md, docs/sources.md): the SMTP URL with its password, the Slack
 * webhook URL and the webhook signing secret, and each data source's password, private key, passphrase
 * or API key (`source.<id>.<name>`), each scheduled SFTP delivery's password, key and passphrase
 * (`schedule.<id>.<name>`), and the shared server's session token (`sync.sessionToken`). Environment
 * variables win for the notification secrets; otherwise they are kept in `<dataDir>/secrets.json`,
 * readable by its owner only (0600), encrypted with the operating system's keychain when the desktop
 * app passes Electron's safeStorage as the cipher. The CLI and the headless server have no cipher:
 * an entry the desktop encrypted cannot be read there, and the error says to set the environment
 * variable instead.
 */
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../../src-shared/contract/errors';

/** The secrets this store keeps, with the environment variable that overrides each. */
export const SECRET_ENV = {
  'notify.email.smtpUrl': 'ECLECTYC_SMTP_URL',
  'notify.slack.webhookUrl': 'ECLECTYC_SLACK_WEBHOOK_URL',
  'notify.webhook.secret': 'ECLECTYC_WEBHOOK_SECRET',
} as const;

export type SecretKey = keyof typeof SECRET_ENV;

/** Keys stored in the secret store rather than the settings table. */
export const isSecretKey = (key: string): key is SecretKey => Object.hasOwn(SECRET_ENV, key);

/** The secrets a data source can have (which ones a kind uses: src-main/core/sources/secrets.ts). */
export const SOURCE_SECRET_NAMES = ['password', 'privateKey', 'passphrase', 'apiKey'] as const;
export type SourceSecretName = (typeof SOURCE_SECRET_NAMES)[number];

/** A data source's secret in the store: `source.<id>.<name>` (no environment variable overrides it). */
export const sourceSecretKey = (id: number, name: SourceSecretName): string => `source.${id}.${name}`;

const SOURCE_KEY = /^source\.[1-9]\d*\.(?:password|privateKey|passphrase|apiKey)$/;

/** The secrets a scheduled SFTP delivery can have. */
export const SCHEDULE_SECRET_NAMES = ['password', 'privateKey', 'passphrase'] as const;
export type ScheduleSecretName = (typeof SCHEDULE_SECRET_NAMES)[number];

/** A schedule's secret in the store: `schedule.<id>.<name>`. */
export const scheduleSecretKey = (id: number, name: ScheduleSecretName): string => `schedule.${id}.${name}`;

const SCHEDULE_KEY = /^schedule\.[1-9]\d*\.(?:password|privateKey|passphrase)$/;

/** The session token this desktop signed in to the shared server with (src-main/core/sync). */
export const SYNC_TOKEN_KEY = 'sync.sessionToken';

/** Whether the store keeps `key`: a notification secret, a data source's, a schedule's or the sync session. */
const isStoredKey = (key: string): boolean =>
  isSecretKey(key) || SOURCE_KEY.test(key) || SCHEDULE_KEY.test(key) || key === SYNC_TOKEN_KEY;

/** Encrypts values at rest (Electron's safeStorage in the desktop app). */
export interface SecretCipher {
  available(): boolean;
  encrypt(s: string): Buffer;
  decrypt(b: Buffer): string;
}

export interface SecretStore {
  /** The secret's value (the environment's first), or null when it is not set. */
  get(key: string): string | null;
  /** Stores a secret; null or "" removes it. */
  set(key: string, value: string | null): void;
  /** Where the value comes from: the environment, the file in clear, the file encrypted by the keychain, or nowhere. */
  source(key: string): 'env' | 'file' | 'keychain' | null;
}

type Entry = string | { enc: 'safeStorage'; value: string };

export const SECRETS_FILE = 'secrets.json';

/** Secrets in `<dataDir>/secrets.json` (mode 0600), overridden by environment variables. */
export class FileSecretStore implements SecretStore {
  private readonly file: string;
  private readonly cipher: SecretCipher | null;
  private readonly env: NodeJS.ProcessEnv;

  constructor(dataDir: string, opts: { cipher?: SecretCipher; env?: NodeJS.ProcessEnv } = {}) {
    this.file = path.join(dataDir, SECRETS_FILE);
    this.cipher = opts.cipher ?? null;
    this.env = opts.env ?? process.env;
  }

  private envValue(key: string): string | null {
    const name = isSecretKey(key) ? SECRET_ENV[key] : null;
    const v = name ? this.env[name]?.trim() : undefined;
    return v ? v : null;
  }

  private cipherReady(): boolean {
    return this.cipher !== null && this.cipher.available();
  }

  private read(): Record<string, Entry> {
    let text: string;
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw e;
    }
    this.tighten();
    try {
      const parsed = JSON.parse(text) as unknown;
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, Entry>;
    } catch {
      // reported below
    }
    throw new AppError(
      'BAD_INPUT',
      `${this.file} is not a JSON object of secrets: fix or delete it, then enter the notification and data source secrets again`,
    );
  }

  /** Takes back permissions from group and others if the file was loosened. */
  private tighten(): void {
    if (process.platform === 'win32') return;
    const mode = fs.statSync(this.file).mode & 0o777;
    if (mode & 0o077) fs.chmodSync(this.file, 0o600);
  }

  private write(entries: Record<string, Entry>): void {
    const tmp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(entries, null, 2) + '\n', { mode: 0o600 });
    fs.renameSync(tmp, this.file);
    this.tighten();
  }

  /** Refuses keys the store does not keep (a programming error, not the user's). */
  private known(key: string): void {
    if (!isStoredKey(key)) throw new Error(`not a secret the store keeps: ${key}`);
  }

  get(key: string): string | null {
    this.known(key);
    const fromEnv = this.envValue(key);
    if (fromEnv !== null) return fromEnv;
    const entry = this.read()[key];
    if (entry === undefined) return null;
    if (typeof entry === 'string') return entry;
    if (!this.cipherReady()) {
      if (key === SYNC_TOKEN_KEY)
        throw new AppError(
          'UNAVAILABLE',
          'The shared server session was saved encrypted by the desktop app and cannot be read here: ' +
            'pass an API token (--token) instead',
        );
      if (SCHEDULE_KEY.test(key))
        throw new AppError(
          'UNAVAILABLE',
          `The ${key.split('.')[2]} of schedule ${key.split('.')[1]} was saved encrypted by the desktop app and ` +
            'cannot be read here: enter it again here (Schedules → Edit, or schedules add) to store it for this program too',
        );
      if (!isSecretKey(key))
        throw new AppError(
          'UNAVAILABLE',
          `The ${key.split('.')[2]} of data source ${key.split('.')[1]} was saved encrypted by the desktop app and ` +
            'cannot be read here: enter it again here (Data feeds → Edit) to store it for this program too',
        );
      const name = SECRET_ENV[key];
      throw new AppError(
        'UNAVAILABLE',
        `The setting ${key} was saved encrypted by the desktop app and cannot be read here: set ${name} in this ` +
          `program's environment instead (or save the setting again from here, which stores it unencrypted)`,
      );
    }
    return this.cipher!.decrypt(Buffer.from(entry.value, 'base64'));
  }

  set(key: string, value: string | null): void {
    this.known(key);
    const entries = this.read();
    if (value === null || value === '') delete entries[key];
    else
      entries[key] = this.cipherReady()
        ? { enc: 'safeStorage', value: this.cipher!.encrypt(value).toString('base64') }
        : value;
    this.write(entries);
  }

  source(key: string): 'env' | 'file' | 'keychain' | null {
    this.known(key);
    if (this.envValue(key) !== null) return 'env';
    const entry = this.read()[key];
    if (entry === undefined) return null;
    return typeof entry === 'string' ? 'file' : 'keychain';
  }
}
