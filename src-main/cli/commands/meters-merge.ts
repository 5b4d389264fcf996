/** `eclectyc meters merge FROM INTO`: two meters that are one become one (meters.merge). */
import type { MeterMergeResult } from '../../../src-shared/contract/types';
import { call, CallFailed, out, str, UsageError, withCore, type Ctx, type Opts } from '../command';

export const metersMergeHelp = `  meters merge FROM INTO [--on-conflict keep|replace]
                                    move FROM's readings, site and tariffs into INTO and remove FROM
                                    (half-hours they hold with different values: refused unless
                                    --on-conflict says which value stays)`;

export async function metersMerge(ctx: Ctx, args: string[], o: Opts): Promise<number> {
  const [from, into, extra] = args;
  if (!from || !into || extra !== undefined) throw new UsageError('meters merge needs FROM and INTO (two meter ids)');
  const onConflict = str(o, 'on-conflict');
  if (onConflict !== undefined && onConflict !== 'keep' && onConflict !== 'replace')
    throw new UsageError('--on-conflict must be keep or replace');
  return withCore(ctx, async (core) => {
    let r: MeterMergeResult;
    try {
      r = await call(core, 'meters.merge', { from, into, ...(onConflict ? { onConflict } : {}) });
    } catch (e) {
      const d = e instanceof CallFailed ? (e.error.details as { reason?: string } | undefined) : undefined;
      if (d?.reason !== 'merge-conflicts' || ctx.json) throw e;
      const c = d as { conflictCount: number; conflicts: MeterMergeResult['conflicts'] };
      printConflicts(c.conflicts, c.conflictCount, from, into);
      throw new CallFailed({
        ...(e as CallFailed).error,
        message: `${(e as CallFailed).error.message}: run again with --on-conflict keep (${into}'s values stay) or --on-conflict replace (${from}'s values win)`,
      });
    }
    out(ctx, r, () => {
      console.log(
        `Merged ${r.from} into ${r.into}: ${r.moved} readings moved, ${r.duplicates} already in ${r.into}, ${r.conflictCount} ${r.conflictCount === 1 ? 'conflict' : 'conflicts'}; ${r.from} was removed.`,
      );
      if (r.carried.length) console.log(`  ${r.into} took ${r.from}'s ${r.carried.join(', ')}.`);
      if (r.tariffAssignmentsMoved) console.log(`  ${r.tariffAssignmentsMoved} tariff assignment(s) moved.`);
      if (r.tariffAssignmentsDropped)
        console.log(
          `  ${r.tariffAssignmentsDropped} tariff assignment(s) of ${r.from} dropped (${r.into} has its own).`,
        );
      printConflicts(r.conflicts, r.conflictCount, r.from, r.into);
    });
    return 0;
  });
}

function printConflicts(list: MeterMergeResult['conflicts'], count: number, from: string, into: string): void {
  for (const c of list.slice(0, 20))
    console.log(
      `  conflict at ${c.start}: ${from} ${c.from ?? 'missing'} kWh, ${into} ${c.into ?? 'missing'} kWh${c.kept ? `; kept ${c.kept === 'into' ? into : from}'s` : ''}`,
    );
  if (count > 20) console.log(`  … and ${count - 20} more conflicts (use --json for the first 200)`);
}
