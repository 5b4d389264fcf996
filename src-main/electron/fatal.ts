/** What the user sees when the app cannot start: a plain message and copyable details. */

export interface FatalReport {
  title: string;
  message: string;
  /** Everything needed to diagnose it: the error, its stack, versions, paths. */
  detail: string;
}

export interface FatalContext {
  stage: string;
  version: string;
  dataDir?: string;
  versions?: Record<string, string | undefined>;
  platform?: string;
}

export function describeStartupError(e: unknown, ctx: FatalContext): FatalReport {
  const err = e instanceof Error ? e : new Error(String(e));
  const text = `${err.message}`;
  let message = `Eclectyc Energy could not start (${ctx.stage}).`;
  let hint = '';
  if (
    /NODE_MODULE_VERSION|was compiled against a different Node\.js version|invalid ELF header|not a valid Win32 application/i.test(
      text,
    )
  ) {
    hint =
      'The database driver (better-sqlite3) was built for a different runtime. From the project folder run: node scripts/rebuild-native.mjs electron';
  } else if (/SQLITE_BUSY|database is locked/i.test(text)) {
    hint = 'The database is in use by another program (for example `eclectyc worker`). Close it and try again.';
  } else if (/EACCES|EPERM|EROFS|ENOTDIR/i.test(text)) {
    hint = 'The data folder cannot be written. Check its permissions and free disk space.';
  } else if (/ENOSPC/i.test(text)) {
    hint = 'The disk is full.';
  } else if (/renderer not built|index\.html/i.test(text)) {
    hint = 'The user interface files are missing. From the project folder run: npm run build';
  }
  if (hint) message += `\n\n${hint}`;
  const lines = [
    `Eclectyc Energy ${ctx.version} — startup failed during: ${ctx.stage}`,
    `Platform: ${ctx.platform ?? process.platform} ${process.arch}`,
    ...(ctx.versions
      ? [
          `Versions: ${Object.entries(ctx.versions)
            .filter(([, v]) => v)
            .map(([k, v]) => `${k} ${v}`)
            .join(', ')}`,
        ]
      : []),
    ...(ctx.dataDir ? [`Data folder: ${ctx.dataDir}`] : []),
    '',
    err.stack ?? `${err.name}: ${err.message}`,
  ];
  return { title: 'Eclectyc Energy could not start', message, detail: lines.join('\n') };
}
