/** `eclectyc import FILE...`: one batch through the contract, run here, a summary per file. */
import type { AlreadyImported, EnqueuedPaths, ImportJob } from '../../../src-shared/contract/types';
import { call, CallFailed, out, str, UsageError, withCore, type Command } from '../command';
import type { Core } from '../../core/app';

/** What the CLI prints of a file's import (the `--json` shape). */
function fileSummary(j: ImportJob) {
  return {
    /** The import job (`eclectyc jobs rollback ID` rolls it back); null for a file that was not queued. */
    id: j.id as number | null,
    file: j.file,
    /** The data source that queued the job, by id and name; null for a file imported by hand. */
    sourceId: j.sourceId,
    source: j.source,
    format: j.format,
    rowsRead: j.rowsRead,
    readingsImported: j.readingsImported,
    duplicates: j.duplicates,
    conflicts: j.conflicts,
    rowsRejected: j.rowsRejected,
    metersCreated: j.metersCreated,
    status: j.status as ImportJob['status'] | 'skipped',
    ...(j.outcome.grade !== 'done' && j.outcome.grade !== j.status ? { outcome: j.outcome } : {}),
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

type FileSummary = ReturnType<typeof fileSummary> & { alreadyImported?: AlreadyImported['files'][number]['earlier'] };

const unread = (file: string, error: string, status: FileSummary['status'] = 'failed'): FileSummary => ({
  id: null,
  file,
  sourceId: null,
  source: null,
  format: null,
  rowsRead: 0,
  readingsImported: 0,
  duplicates: 0,
  conflicts: 0,
  rowsRejected: 0,
  metersCreated: [],
  status,
  error,
  errors: [],
});

function printSummary(results: FileSummary[], dryRun: boolean): void {
  for (const r of results) {
    const head = dryRun ? 'Dry run (nothing written)' : 'Imported';
    if (r.status === 'skipped') continue; // said on stderr
    if (r.outcome?.grade === 'nothing-imported' && r.status !== 'done') {
      console.log(`${r.outcome.label} from ${r.file}. ${r.error ?? r.outcome.summary}`);
      continue;
    }
    if (r.status !== 'done') {
      console.log(`Could not import ${r.file}: ${r.error ?? 'unknown error'}`);
      continue;
    }
    console.log(`${r.outcome ? `${r.outcome.label}:` : head} ${r.file} (${r.format ?? '?'} format)`);
    if (r.outcome) console.log(`  ${r.outcome.summary}`);
    console.log(
      `  rows read ${r.rowsRead}, readings ${dryRun ? 'to import' : 'imported'} ${r.readingsImported}, duplicates ${r.duplicates}, conflicts ${r.conflicts}, rows rejected ${r.rowsRejected}`,
    );
    if (r.metersCreated.length) console.log(`  created meters: ${r.metersCreated.join(', ')}`);
    if (r.preview)
      console.log(
        `  meters: ${r.preview.meters.join(', ') || 'none'}; readings from ${r.preview.firstReading ?? '-'} to ${r.preview.lastReading ?? '-'}`,
      );
    if (r.preview?.sites.length)
      console.log(
        `  sites named: ${r.preview.sites.map((x) => `${x.name}${x.postcode ? ` (${x.postcode})` : ''} for ${x.meter}`).join('; ')}`,
      );
    for (const e of r.errors.slice(0, 20))
      console.log(`  line ${e.line}${e.column ? `, column ${e.column}` : ''}: ${e.message}`);
    if (r.errors.length > 20) console.log(`  … and ${r.errors.length - 20} more problems (use --json for all)`);
  }
}

/**
 * Queues the files; files imported before (the same bytes) are skipped with a warning on stderr
 * unless `--reimport` was given, and the others are imported as asked.
 */
async function enqueueSkippingDuplicates(
  core: Core,
  paths: string[],
  options: Omit<Parameters<typeof call<'imports.enqueuePaths'>>[2], 'paths'>,
): Promise<{ queued: EnqueuedPaths; skipped: Map<string, AlreadyImported['files'][number]['earlier']> }> {
  try {
    return { queued: await call(core, 'imports.enqueuePaths', { paths, ...options }), skipped: new Map() };
  } catch (e) {
    const details = e instanceof CallFailed ? (e.error.details as AlreadyImported | undefined) : undefined;
    if (details?.reason !== 'already-imported' || !details.paths) throw e;
    const skipped = new Map(details.files.map((f) => [f.fileId, f.earlier]));
    const files = details.paths.map((p) => ({ ...p }));
    for (const f of files) {
      const earlier = f.fileId === null ? undefined : skipped.get(f.fileId);
      if (earlier) process.stderr.write(`Warning: ${alreadyImportedWarning(f.path, earlier)}\n`);
    }
    const rest = files.filter((f) => f.fileId !== null && !skipped.has(f.fileId));
    if (rest.length === 0) return { queued: { batchId: null, jobIds: [], files }, skipped };
    const { paths: _p, ...enqueueOptions } = { ...options, paths };
    const r = await call(core, 'imports.enqueue', { ...enqueueOptions, fileIds: rest.map((f) => f.fileId!) });
    rest.forEach((f, i) => (f.jobId = r.jobIds[i]!));
    return { queued: { batchId: r.batchId, jobIds: r.jobIds, files }, skipped };
  }
}

/** The CLI's words for a file imported before: when, into which meters, and the option that imports it anyway. */
function alreadyImportedWarning(file: string, earlier: AlreadyImported['files'][number]['earlier']): string {
  const meters = earlier.meters.length ? ` into ${earlier.meters.join(', ')}` : '';
  const when = earlier.finishedAt ? ` at ${earlier.finishedAt.replace('.000Z', 'Z')}` : '';
  return `${file} was already imported${when}${meters} (job ${earlier.jobId}); not imported again (use --reimport to import it anyway)`;
}

export const importCommand: Command = {
  name: 'import',
  help: `  import FILE... [--dry-run] [--meter ID] [--format F] [--priority high|normal|low]
         [--on-conflict keep|replace] [--notes TEXT] [--tags a,b] [--detach] [--reimport]
                                    import half-hourly files (one batch) and print a summary;
                                    a file imported before is skipped with a warning unless --reimport`,
  options: {
    'dry-run': { type: 'boolean' },
    reimport: { type: 'boolean' },
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
      ...(o.reimport === true ? { reimport: true } : {}),
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
      const { queued, skipped } = await enqueueSkippingDuplicates(core, files, options);
      let failed = skipped.size > 0;
      failed ||= queued.files.some((f) => f.error !== undefined);
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
      const results = queued.files.map((f): FileSummary => {
        const dup = f.fileId === null ? undefined : skipped.get(f.fileId);
        if (dup) return { ...unread(f.path, alreadyImportedWarning(f.path, dup), 'skipped'), alreadyImported: dup };
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
