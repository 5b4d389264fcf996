/** `eclectyc jobs`: import jobs, optionally of one status. */
import type { ImportJob } from '../../../src-shared/contract/types';
import { call, out, str, UsageError, withCore, type Command } from '../command';
import { printTable } from '../format';
import { jobsRollback, jobsRollbackHelp } from './undo';

export const jobsCommand: Command = {
  name: 'jobs',
  help: `  jobs [--status S]                 import jobs (queued, running, retrying, done, failed, cancelled, rolled-back)
${jobsRollbackHelp}`,
  options: { status: { type: 'string' }, 'dry-run': { type: 'boolean' } },
  async run(ctx, args, o) {
    if (args[0] === 'rollback') return jobsRollback(ctx, args.slice(1), o);
    if (args.length > 0) throw new UsageError(`jobs takes no "${args[0]}"; did you mean "jobs rollback ID"?`);
    const status = str(o, 'status');
    return withCore(ctx, async (core) => {
      const jobs = await call(core, 'imports.list', status ? { status: status as ImportJob['status'] } : {});
      const value = jobs.map((j) => ({
        id: j.id,
        status: j.status,
        outcome: j.outcome.label,
        priority: j.priority,
        attempts: j.attempts,
        file: j.file,
        sourceId: j.sourceId,
        source: j.source,
        rowsRead: j.rowsRead,
        readingsImported: j.readingsImported,
        duplicates: j.duplicates,
        rowsRejected: j.rowsRejected,
        lastError: j.lastError,
      }));
      out(ctx, value, () => {
        if (value.length === 0) return console.log('No import jobs.');
        printTable(
          ['Id', 'Status', 'Outcome', 'File', 'Rows', 'Imported', 'Duplicates', 'Rejected', 'Last error'],
          value.map((j) => [
            String(j.id),
            j.status,
            j.outcome,
            j.file,
            String(j.rowsRead),
            String(j.readingsImported),
            String(j.duplicates),
            String(j.rowsRejected),
            j.lastError ?? '',
          ]),
        );
      });
      return 0;
    });
  },
};
