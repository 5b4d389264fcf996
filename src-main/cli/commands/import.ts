/** `eclectyc import FILE...`: one batch through the contract, run here, a summary per file. */
import type { ImportJob } from '../../../src-shared/contract/types';
import { call, out, str, UsageError, withCore, type Command } from '../command';

/** What the CLI prints of a file's import (the `--json` shape). */
function fileSummary(j: ImportJob) {
  return {
    file: j.file,
    format: j.format,
    rowsRead: j.rowsRead,
    readingsImported: j.readingsImported,
    duplicates: j.duplicates,
    conflicts: j.conflicts,
    rowsRejected: j.rowsRejected,
    metersCreated: j.metersCreated,
    status: j.status,
    ...(j.lastError ? { error: j.lastError } : {}),
    ...(j.preview ? { preview: j.preview } : {}),
    errors: j.errors.map((e) => ({
      line: e.line,
      ...(e.column ? { column: e.column } : {}),
      ...(e.value !== undefined ? { value: e.value } : {}),
      message: e.message,
    })),
  };
}

type FileSummary = ReturnType<typeof fileSummary>;

const unread = (file: string, error: string): FileSummary => ({
  file,
  format: null,
  rowsRead: 0,
  readingsImported: 0,
  duplicates: 0,
  conflicts: 0,
  rowsRejected: 0,
  metersCreated: [],
  status: 'failed',
  error,
  errors: [],
});

function printSummary(results: FileSummary[], dryRun: boolean): void {
  for (const r of results) {
    const head = dryRun ? 'Dry run (nothing written)' : 'Imported';
    if (r.status !== 'done') {
      console.log(`Could not import ${r.file}: ${r.error ?? 'unknown error'}`);
      continue;
    }
    console.log(`${head} ${r.file} (${r.format ?? '?'} format)`);
    console.log(
      `  rows read ${r.rowsRead}, readings ${dryRun ? 'to import' : 'imported'} ${r.readingsImported}, duplicates ${r.duplicates}, conflicts ${r.conflicts}, rows rejected ${r.rowsRejected}`,
    );
    if (r.metersCreated.length) console.log(`  created meters: ${r.metersCreated.join(', ')}`);
    if (r.preview)
      console.log(
        `  meters: ${r.preview.meters.join(', ') || 'none'}; readings from ${r.preview.firstReading ?? '-'} to ${r.preview.lastReading ?? '-'}`,
      );
    for (const e of r.errors.slice(0, 20))
      console.log(`  line ${e.line}${e.column ? `, column ${e.column}` : ''}: ${e.message}`);
    if (r.errors.length > 20) console.log(`  … and ${r.errors.length - 20} more (use --json for all)`);
  }
}

export const importCommand: Command = {
  name: 'import',
  help: `  import FILE... [--dry-run] [--meter ID] [--format F] [--priority high|normal|low]
         [--on-conflict keep|replace] [--notes TEXT] [--tags a,b] [--detach]
                                    import half-hourly files (one batch) and print a summary`,
  options: {
    'dry-run': { type: 'boolean' },
    detach: { type: 'boolean' },
    meter: { type: 'string' },
    format: { type: 'string' },
    priority: { type: 'string' },
    'on-conflict': { type: 'string' },
    notes: { type: 'string' },
    tags: { type: 'string' },
  },
  async run(ctx, files, o) {
    if (files.length === 0) throw new UsageError('import needs at least one FILE');
    const dryRun = o['dry-run'] === true;
    const tags = str(o, 'tags');
    const options = {
      dryRun,
      ...(str(o, 'meter') ? { meter: str(o, 'meter') } : {}),
      ...(str(o, 'format') ? { format: str(o, 'format') as never } : {}),
      ...(str(o, 'priority') ? { priority: str(o, 'priority') as never } : {}),
      ...(str(o, 'on-conflict') ? { onConflict: str(o, 'on-conflict') as never } : {}),
      ...(str(o, 'notes') ? { notes: str(o, 'notes') } : {}),
      ...(tags
        ? {
            tags: tags
              .split(',')
              .map((t) => t.trim())
              .filter(Boolean),
          }
        : {}),
    };
    return withCore(ctx, async (core) => {
      const queued = await call(core, 'imports.enqueuePaths', { paths: files, ...options });
      let failed = queued.files.some((f) => f.error !== undefined);
      if (o.detach === true && queued.batchId !== null) {
        const { batchId, jobIds } = queued;
        out(ctx, { batchId, jobIds }, () =>
          console.log(
            `Queued ${jobIds.length} file(s) as batch ${batchId} (jobs ${jobIds.join(', ')}). Run "eclectyc worker" or open the app to process them.`,
          ),
        );
        return failed ? 1 : 0;
      }
      const jobs = new Map((await call(core, 'imports.wait', { jobIds: queued.jobIds })).map((j) => [j.id, j]));
      const results = queued.files.map((f) => {
        if (f.jobId === null) return unread(f.path, f.error ?? 'not stored');
        const j = jobs.get(f.jobId)!;
        if (j.status !== 'done') failed = true;
        return { ...fileSummary(j), file: f.path };
      });
      out(ctx, { files: results }, () => printSummary(results, dryRun));
      return failed ? 1 : 0;
    });
  },
};
