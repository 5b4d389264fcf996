/** `eclectyc readings MPAN`: a meter's half-hours over a range. */
import { call, out, str, UsageError, withCore, type Command } from '../command';
import { formatKwh, printTable } from '../format';
import { readingsRemove, readingsRemoveHelp } from './undo';

export const readingsCommand: Command = {
  name: 'readings',
  help: `  readings MPAN [--from ISO] [--to ISO]
                                    a meter's half-hours, from inclusive, to exclusive (UTC)
${readingsRemoveHelp}`,
  options: { from: { type: 'string' }, to: { type: 'string' }, 'dry-run': { type: 'boolean' } },
  async run(ctx, [meter, ...rest], o) {
    if (meter === 'remove') return readingsRemove(ctx, rest, o);
    if (!meter) throw new UsageError('readings needs an MPAN (or meter id)');
    return withCore(ctx, async (core) => {
      const rows = await call(core, 'readings.list', {
        meter,
        from: str(o, 'from') ?? '1970-01-01T00:00:00Z',
        to: str(o, 'to') ?? '2100-01-01T00:00:00Z',
      });
      out(ctx, rows, () => {
        if (rows.length === 0) return console.log(`No readings for ${meter} in that range.`);
        printTable(
          ['Start (UTC)', 'kWh', 'Quality'],
          rows.map((r) => [r.start, formatKwh(r.kwh), r.quality]),
        );
      });
      return 0;
    });
  },
};
