/**
 * Undo from the command line: `jobs rollback ID`, `meters remove MPAN`, `sites remove ID`,
 * `readings remove MPAN --from --to` (each with --dry-run), and `trash` / `trash restore ID` — the
 * deletions kept so they can be put back.
 */
import type { RollbackResult, TrashEntry } from '../../../src-shared/contract/types';
import { TRASH_DAYS } from '../../core/undo/trash';
import { call, out, str, UsageError, withCore, type Command, type Ctx, type Opts } from '../command';
import { printTable } from '../format';

const n = (v: number): string => v.toLocaleString('en-GB');
const plural = (v: number, one: string, many = `${one}s`): string => `${n(v)} ${v === 1 ? one : many}`;

const id = (v: string | undefined, usage: string, what: string): number => {
  if (!v || !/^[1-9]\d*$/.test(v)) throw new UsageError(`${usage} needs ${what} (a number)`);
  return Number(v);
};

export const jobsRollbackHelp = `  jobs rollback ID [--dry-run]      roll back a finished import as if it had never run: the readings it added
                                    taken out, the values it replaced put back, later imports' readings kept`;

export async function jobsRollback(ctx: Ctx, args: string[], o: Opts): Promise<number> {
  const jobId = id(args[0], 'jobs rollback', 'an import job ID (see "eclectyc jobs")');
  if (args.length > 1) throw new UsageError(`jobs rollback takes one job ID, not "${args.slice(1).join(' ')}"`);
  const dryRun = o['dry-run'] === true;
  return withCore(ctx, async (core) => {
    const r = await call(core, 'imports.rollback', { id: jobId, ...(dryRun ? { dryRun } : {}) });
    out(ctx, r, () => printRollback(r));
    return 0;
  });
}

function printRollback(r: RollbackResult): void {
  const would = r.dryRun ? ' would be' : '';
  console.log(
    `${r.dryRun ? 'Rolling back' : 'Rolled back'} import job ${r.job.id} (${r.job.file})` +
      `${r.dryRun ? ' (dry run: nothing changed)' : ''}: ${plural(r.readingsRemoved, 'reading')}${would} taken out, ` +
      `${plural(r.valuesRestored, 'replaced value')}${would} put back.`,
  );
  if (r.meters.length) console.log(`  meters: ${r.meters.join(', ')}`);
  for (const l of r.laterImports) {
    const job = `import job ${l.jobId} (${l.file})`;
    if (l.error) console.log(`  ${job} gave some of the same half-hours but could not be read again: ${l.error}`);
    else if (l.readings === null) console.log(`  ${job} gave some of the same half-hours: its values would go there`);
    else console.log(`  ${plural(l.readings, 'half-hour')} now hold the values of ${job}, which gave them too`);
  }
  if (r.metersRemoved.length)
    console.log(
      `  meters left with no readings${would} deleted: ${r.metersRemoved.join(', ')}` +
        (r.dryRun ? '' : ' (see "eclectyc trash" to put one back)'),
    );
  if (r.refetch)
    console.log(
      `  data source ${r.refetch.source}${r.dryRun ? ' would fetch' : ' fetches'} the days from ${r.refetch.from} again on its next run`,
    );
  if (!r.dryRun) console.log('  Roll-ups, analyses and alerts follow.');
}

function printRemoved(e: TrashEntry, dryRun: boolean): void {
  if (dryRun) return console.log(`Would delete: ${e.label}. Nothing was deleted (dry run).`);
  console.log(`Deleted: ${e.label}.`);
  console.log(`  Undo with: eclectyc trash restore ${e.id} (kept ${TRASH_DAYS} days)`);
}

export const metersRemoveHelp = `  meters remove MPAN [--dry-run]    delete a meter with its readings, tariff assignments and alerts (undoable)`;

export async function metersRemove(ctx: Ctx, args: string[], o: Opts): Promise<number> {
  const [meter, extra] = args;
  if (!meter || extra !== undefined) throw new UsageError('meters remove needs one MPAN (or meter id)');
  const dryRun = o['dry-run'] === true;
  return withCore(ctx, async (core) => {
    const e = await call(core, 'meters.remove', { meter, ...(dryRun ? { dryRun } : {}) });
    out(ctx, e, () => printRemoved(e, dryRun));
    return 0;
  });
}

export const sitesRemoveHelp = `  sites remove ID [--with-meters] [--dry-run]
                                    delete a site (its meters stay, without a site, unless --with-meters; undoable)`;

export async function sitesRemove(ctx: Ctx, args: string[], o: Opts): Promise<number> {
  const site = id(args[0], 'sites remove', 'a site ID (see "eclectyc sites list")');
  const dryRun = o['dry-run'] === true;
  const withMeters = o['with-meters'] === true;
  return withCore(ctx, async (core) => {
    const e = await call(core, 'sites.remove', {
      id: site,
      ...(withMeters ? { withMeters } : {}),
      ...(dryRun ? { dryRun } : {}),
    });
    out(ctx, e, () => printRemoved(e, dryRun));
    return 0;
  });
}

export const readingsRemoveHelp = `  readings remove MPAN --from DATE --to DATE [--dry-run]
                                    delete a meter's readings over UK days, TO exclusive (undoable)`;

export async function readingsRemove(ctx: Ctx, args: string[], o: Opts): Promise<number> {
  const [meter, extra] = args;
  const from = str(o, 'from');
  const to = str(o, 'to');
  if (!meter || extra !== undefined || !from || !to)
    throw new UsageError(
      'readings remove needs an MPAN, --from and --to (UK days, TO exclusive), e.g. --from 2024-03-01 --to 2024-04-01',
    );
  const dryRun = o['dry-run'] === true;
  return withCore(ctx, async (core) => {
    const e = await call(core, 'readings.remove', { meter, from, to, ...(dryRun ? { dryRun } : {}) });
    out(ctx, e, () => printRemoved(e, dryRun));
    return 0;
  });
}

const KIND: Record<TrashEntry['kind'], string> = { meter: 'Meter', site: 'Site', readings: 'Readings' };

export const trashCommand: Command = {
  name: 'trash',
  help: `  trash                             meters, sites and readings deleted in the last ${TRASH_DAYS} days
  trash restore ID                  put a deletion back exactly as it was`,
  async run(ctx, [sub, ...args]) {
    if (sub === 'restore') {
      const trashId = id(args[0], 'trash restore', 'a deletion ID (see "eclectyc trash")');
      return withCore(ctx, async (core) => {
        const e = await call(core, 'trash.restore', { id: trashId });
        out(ctx, e, () => console.log(`Put back: ${e.label}.`));
        return 0;
      });
    }
    if (sub !== undefined) throw new UsageError(`trash takes "restore ID" or nothing, not "${sub}"`);
    return withCore(ctx, async (core) => {
      const list = await call(core, 'trash.list', {});
      out(ctx, list, () => {
        if (list.length === 0) return console.log(`Nothing deleted in the last ${TRASH_DAYS} days.`);
        printTable(
          ['Id', 'What', 'Deleted (UTC)', 'By', 'Put back'],
          list.map((e) => [
            String(e.id),
            `${KIND[e.kind]}: ${e.label}`,
            e.createdAt,
            e.createdBy,
            e.restoredAt ? `${e.restoredAt} by ${e.restoredBy}` : '—',
          ]),
        );
      });
      return 0;
    });
  },
};
