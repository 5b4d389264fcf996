/** `eclectyc switch MPAN`: every other tariff priced on the same half-hours, best first. */
import { call, out, str, UsageError, withCore, type Command } from '../command';
import { pounds, printTable } from '../format';

export const switchCommand: Command = {
  name: 'switch',
  help: `  switch MPAN [--days 90 | --from DATE --to DATE] [--what-if PERCENT]
                                    price every other tariff on the same half-hours, best first
                                    (saved to the analysis history)`,
  options: {
    days: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    'what-if': { type: 'string' },
  },
  async run(ctx, [meter], o) {
    const from = str(o, 'from');
    const to = str(o, 'to');
    const daysText = str(o, 'days');
    const whatIfText = str(o, 'what-if');
    if (!meter) throw new UsageError('switch needs an MPAN (or meter id)');
    if ((from === undefined) !== (to === undefined)) throw new UsageError('give both --from and --to, or --days');
    if (daysText !== undefined && from !== undefined) throw new UsageError('give --days or --from/--to, not both');
    const days = daysText === undefined ? undefined : Number(daysText);
    if (days !== undefined && !(Number.isInteger(days) && days > 0))
      throw new UsageError('--days must be a whole number of days above 0');
    const whatIf = whatIfText === undefined ? undefined : Number(whatIfText);
    if (whatIf !== undefined && !(whatIf >= 0 && whatIf <= 100))
      throw new UsageError('--what-if must be a percentage from 0 to 100');
    return withCore(ctx, async (core) => {
      const a = await call(core, 'switching.analyse', {
        meter,
        ...(days !== undefined ? { days } : {}),
        ...(from ? { from, to } : {}),
        ...(whatIf !== undefined ? { whatIfPercent: whatIf } : {}),
      });
      const c = a.current;
      const value = {
        id: a.id,
        meter: a.meter,
        from: a.from,
        to: a.to,
        current: {
          tariff: c.tariff,
          tariffName: c.tariffName,
          basis: c.basis,
          kwh: c.kwh,
          unitCostPence: c.unitCostPence,
          standingChargePence: c.standingChargePence,
          cclPence: c.cclPence,
          vatPence: c.vatPence,
          totalPence: c.totalPence,
          missingHalfHours: c.missingHalfHours,
          notes: c.notes,
        },
        alternatives: a.alternatives.map((x) => ({
          tariff: x.tariff,
          name: x.name,
          supplier: x.supplier,
          totalPence: x.totalPence,
          savingPence: x.savingPence,
          savingPercent: x.savingPercent,
        })),
        skipped: a.skipped,
        whatIf: a.whatIf,
        warning: a.warning,
      };
      out(ctx, value, () => {
        console.log(
          `${a.meter} ${a.from} to ${a.to} (exclusive): now ${pounds(c.totalPence)} on ${c.tariffName}${c.basis === 'supplier-default' ? " (the supplier's default: no tariff assigned)" : ''}`,
        );
        if (a.whatIf)
          console.log(
            `What-if: ${a.whatIf.percent} % of use moved from ${a.whatIf.fromBand} to ${a.whatIf.toBand} (${a.whatIf.movedKwh.toFixed(1)} kWh, bands of ${a.whatIf.referenceTariff}).`,
          );
        if (a.alternatives.length === 0)
          console.log('No other active tariff for this fuel and region to compare with.');
        else
          printTable(
            ['#', 'Tariff', 'Supplier', 'Total', 'Saving', 'Saving %'],
            a.alternatives.map((x, i) => [
              String(i + 1),
              `${x.name} (${x.tariff})`,
              x.supplier,
              pounds(x.totalPence),
              pounds(x.savingPence),
              x.savingPercent === null ? '—' : `${x.savingPercent.toFixed(1)} %`,
            ]),
          );
        for (const s of a.skipped) console.log(`Not compared: ${s.tariff}: ${s.reason}`);
        for (const n of c.notes) console.log(`Note: ${n}`);
        console.log(a.warning);
      });
      return 0;
    });
  },
};
