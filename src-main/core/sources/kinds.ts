/**
 * What each kind of source does in a run, behind one shape per family: file-fed kinds (a watched
 * folder, an SFTP pickup) list files, copy new ones into the file store and act on them after their
 * import (move, delete); API kinds (Octopus, n3rgy) fetch days of readings as documents. The runner
 * (runner.ts) does the rest the same way for every kind.
 */
import type { StoredFile } from '../../../src-shared/contract/types';
import type { Logger } from '../events';
import type { FileStore } from '../imports/files';
import type { SourceSecretName } from '../notify/secrets';
import type { ApiFetchRequest, ApiFetchResult } from './api-source';
import type { SourceConfig, SourceRow } from './store';

/** A file a file-fed source sees: its path under the source's folder, name, size and modification time (ms). */
export interface Listed {
  key: string;
  name: string;
  size: number;
  mtime: number;
}

/** What happens to a file once its import has ended: moved, deleted, or left (null). */
export type AfterNote = string | null;

/** An open folder or SFTP session for one run (or one pass of after-import moves). */
export interface FileSession {
  /** The files matching the source's pattern, now. */
  list(): Promise<Listed[]>;
  /** Copies a file into the file store (hashing it on the way). */
  store(item: Listed): Promise<StoredFile>;
  /**
   * Acts on a file whose import ended (`done` or `failed`), if it is still there unchanged (the same
   * size and modification time as when taken). Says what it did.
   */
  after(item: Listed, outcome: 'done' | 'failed'): Promise<AfterNote>;
  close(): Promise<void>;
}

/** What a kind needs to open a session: the source, its secrets, and a way to say things in the run's record. */
export interface KindContext<C extends SourceConfig = SourceConfig> {
  source: SourceRow;
  config: C;
  secret(name: SourceSecretName): string | null;
  files: FileStore;
  log: Logger;
  /** Adds a line to the run's record (a host key pinned on first use). */
  note(text: string): void;
  /** Saves changed settings (the host key pinned on first use). */
  saveConfig(config: C): void;
  /** Milliseconds an SFTP server may take to answer before the run gives up. */
  timeoutMs: number;
}

/** A kind fed by files: how to open it, and whether it acts on files after their import. */
export interface FileKind<C extends SourceConfig = SourceConfig> {
  family: 'files';
  open(ctx: KindContext<C>): Promise<FileSession>;
  /** True when the settings move or delete files after an import with this outcome (else no session is opened). */
  acts(config: C, outcome: 'done' | 'failed'): boolean;
}

/** A kind fed by an API: fetches UK days [fromDay, toDay) as documents to import. */
export interface ApiKind<C extends SourceConfig = SourceConfig> {
  family: 'api';
  /** The secret the API needs. */
  secret: SourceSecretName;
  fetch(req: ApiFetchRequest<C>): Promise<ApiFetchResult>;
}

export type Kind = FileKind | ApiKind;

/** `*` (any run of characters) and `?` (one character) in a file-name pattern, matched without case. */
export function namePattern(pattern: string | undefined): (name: string) => boolean {
  if (!pattern || pattern === '*') return () => true;
  const re = new RegExp(
    `^${pattern
      .split('')
      .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[\\^$.|+()[\]{}]/g, '\\$&')))
      .join('')}$`,
    'is',
  );
  return (name) => re.test(name);
}

/**
 * Names never taken, whatever the pattern: hidden files and the temporary names copy tools and
 * browsers give a file while it is still arriving.
 */
export function inProgressName(name: string): boolean {
  return (
    name.startsWith('.') || /\.(?:part|partial|tmp|crdownload|filepart|download)$/i.test(name) || name.startsWith('~$')
  );
}

/** The n-th name for a file moved where its name is taken: `a.csv`, `a (2).csv`, `a (3).csv`… */
export function numberedName(name: string, n: number): string {
  if (n <= 1) return name;
  const dot = name.lastIndexOf('.');
  return dot > 0 ? `${name.slice(0, dot)} (${n})${name.slice(dot)}` : `${name} (${n})`;
}
