/**
 * The watched folder: the files in a folder (and its subfolders, when recursive) whose names match
 * the pattern, copied into the file store; after each import, moved to the done or failed folder
 * when those are set, under a new name (`a (2).csv`) rather than over a file already there.
 */
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../../src-shared/contract/errors';
import type { FileKind, FileSession, Listed } from './kinds';
import { inProgressName, namePattern, numberedName } from './kinds';
import type { FileStore } from '../imports/files';
import type { SourceConfig } from './store';

export type FolderConfig = Extract<SourceConfig, { kind: 'folder' }>;

/** Why a folder cannot be used, in words. */
function folderProblem(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'does not exist';
  if (code === 'EACCES' || code === 'EPERM') return 'cannot be read (permission denied)';
  if (code === 'ENOTDIR') return 'is not a folder';
  return `cannot be read (${code ?? (e as Error).message})`;
}

/** Moves `file` into `dir` under its name, or a numbered one when that is taken; never over another file. */
export async function moveInto(file: string, dir: string): Promise<string> {
  await fs.promises.mkdir(dir, { recursive: true });
  const name = path.basename(file);
  for (let n = 1; ; n++) {
    const dest = path.join(dir, numberedName(name, n));
    try {
      // a hard link fails if the name is taken, where a rename would replace the file there
      await fs.promises.link(file, dest);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') continue;
      // another drive, or a file system without hard links: copy (refusing to replace), then remove
      try {
        await fs.promises.copyFile(file, dest, fs.constants.COPYFILE_EXCL);
      } catch (c) {
        if ((c as NodeJS.ErrnoException).code === 'EEXIST') continue;
        throw c;
      }
    }
    await fs.promises.unlink(file);
    return dest;
  }
}

class FolderSession implements FileSession {
  private readonly root: string;
  private readonly match: (name: string) => boolean;
  private readonly skipDirs: Set<string>;

  constructor(
    private readonly config: FolderConfig,
    private readonly files: FileStore,
  ) {
    this.root = path.resolve(config.path);
    this.match = namePattern(config.pattern);
    this.skipDirs = new Set(
      [config.doneFolder, config.failedFolder].filter((d): d is string => !!d).map((d) => path.resolve(d)),
    );
  }

  async list(): Promise<Listed[]> {
    try {
      const st = await fs.promises.stat(this.root);
      if (!st.isDirectory()) throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' });
    } catch (e) {
      throw new AppError(
        'UNAVAILABLE',
        `The watched folder ${this.root} ${folderProblem(e)}: check the path, and that this computer can reach it`,
      );
    }
    const out: Listed[] = [];
    const walk = async (dir: string, rel: string): Promise<void> => {
      let entries: fs.Dirent[];
      try {
        entries = await fs.promises.readdir(dir, { withFileTypes: true });
      } catch (e) {
        throw new AppError('UNAVAILABLE', `The folder ${dir} ${folderProblem(e)}: check its permissions`);
      }
      for (const e of entries) {
        const full = path.join(dir, e.name);
        const key = rel ? `${rel}/${e.name}` : e.name;
        if (e.isDirectory()) {
          if (this.config.recursive && !this.skipDirs.has(full) && !e.name.startsWith('.')) await walk(full, key);
          continue;
        }
        if (inProgressName(e.name) || !this.match(e.name)) continue;
        const st = await fs.promises.stat(full).catch(() => null); // gone since the listing: not there
        if (!st?.isFile()) continue;
        out.push({ key, name: e.name, size: st.size, mtime: Math.floor(st.mtimeMs) });
      }
    };
    await walk(this.root, '');
    return out;
  }

  private full(item: Listed): string {
    return path.join(this.root, ...item.key.split('/'));
  }

  store(item: Listed) {
    return this.files.storePath(this.full(item));
  }

  async after(item: Listed, outcome: 'done' | 'failed'): Promise<string | null> {
    const target = outcome === 'done' ? this.config.doneFolder : this.config.failedFolder;
    if (!target) return null;
    const file = this.full(item);
    const st = await fs.promises.stat(file).catch(() => null);
    // moved already, or a different file under the same name since (it is taken in its own right)
    if (!st || st.size !== item.size || Math.floor(st.mtimeMs) !== item.mtime) return null;
    const dest = await moveInto(file, path.resolve(target));
    return `Moved ${item.key} to ${dest}`;
  }

  async close(): Promise<void> {}
}

export const folderKind: FileKind<FolderConfig> = {
  family: 'files',
  acts: (c, outcome) => !!(outcome === 'done' ? c.doneFolder : c.failedFolder),
  open: async (ctx) => new FolderSession(ctx.config, ctx.files),
};
