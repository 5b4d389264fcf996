/** `eclectyc cost MPAN`: what a meter's use cost over UK local days, charge by charge. */
import { call, out, str, UsageError, withCore, type Command } from '../command';
import { pounds, printTable } from '../format';

export const costCommand: Command = {
  name: 'cost',
  help: `  cost MPAN --from DATE --to DATE [--tariff ID]
                                    what the meter's use cost (UK local days, to exclusive)`,
  options: { from: { type: 'string' }, to: { type: 'string' }, tariff: { type: 'string' } },
  async run(ctx, [meter], o) {
    const from = str(o, 'from');
    const to = str(o, 'to');
    const tariff = str(o, 'tariff');
    if (!meter) throw new UsageError('cost needs an MPAN (or meter id)');
    if (!from || !to) throw new UsageError('cost needs --from DATE and --to DATE (UK local days, to exclusive)');
    return withCore(ctx, async (core) => {
      const c = await call(core, 'cost.meter', { meter, from, to, ...(tariff ? { tariff } : {}) });
      const value = {
        tariff: c.tariff,
        kwh: c.kwh,
        unitCostPence: c.unitCostPence,
        standingChargePence: c.standingChargePence,
        cclPence: c.cclPence,
        vatPence: c.vatPence,
        totalPence: c.totalPence,
        bands: c.bands.map((b) => ({
          name: b.name,
          kwh: b.kwh,
          pence: b.pence,
          kind: b.kind,
          pencePerKwh: b.pencePerKwh,
        })),
        missingHalfHours: c.missingHalfHours,
        meter: c.meter,
        from: c.from,
        to: c.to,
        tariffName: c.tariffName,
        duosPence: c.duosPence,
        capacityPence: c.capacityPence,
        expectedHalfHours: c.expectedHalfHours,
        unpricedHalfHours: c.unpricedHalfHours,
        periods: c.periods,
        notes: c.notes,
      };
      out(ctx, value, () => {
        console.log(
          `${c.meter} ${c.from} to ${c.to} (exclusive) on ${c.tariffName} (${c.tariff}): ${c.kwh.toFixed(3)} kWh`,
        );
        printTable(
          ['Charge', 'kWh', 'Rate', 'Cost'],
          [
            ...c.bands.map((b) => [
              b.name,
              b.kwh.toFixed(3),
              b.pencePerKwh === null ? 'varies' : `${b.pencePerKwh} p/kWh`,
              pounds(b.pence),
            ]),
            ...c.periods.map((p) => [
              `Standing charge ${p.from}…`,
              '',
              `${p.days} d × ${p.standingChargePencePerDay} p`,
              pounds(p.standingChargePence),
            ]),
            ...(c.cclPence ? [['Climate Change Levy', c.kwh.toFixed(3), '', pounds(c.cclPence)]] : []),
            ...(c.capacityPence ? [['Capacity charge', '', '', pounds(c.capacityPence)]] : []),
            [
              'VAT',
              '',
              c.periods
                .map((p) => `${p.vatRate * 100} %`)
                .filter((v, i, a) => a.indexOf(v) === i)
                .join(', '),
              pounds(c.vatPence),
            ],
            ['Total', '', '', pounds(c.totalPence)],
          ],
        );
        for (const n of c.notes) console.log(`Note: ${n}`);
      });
      return 0;
    });
  },
};
