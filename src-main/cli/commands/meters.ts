/** `eclectyc meters`: every meter with its first and last reading. */
import { call, out, UsageError, withCore, type Command } from '../command';
import { printTable } from '../format';
import { metersMerge, metersMergeHelp } from './meters-merge';
import { metersRemove, metersRemoveHelp } from './undo';

export const metersCommand: Command = {
  name: 'meters',
  help: `  meters                            list meters with their first/last reading and count
${metersMergeHelp}
${metersRemoveHelp}`,
  options: { 'on-conflict': { type: 'string' }, 'dry-run': { type: 'boolean' } },
  async run(ctx, args, o) {
    if (args[0] === 'merge') return metersMerge(ctx, args.slice(1), o);
    if (args[0] === 'remove') return metersRemove(ctx, args.slice(1), o);
    if (args.length > 0) throw new UsageError(`meters takes no "${args[0]}"; did you mean "meters merge FROM INTO"?`);
    return withCore(ctx, async (core) => {
      const list = await call(core, 'meters.list', {});
      const value = list.map((m) => ({
        mpan: m.mpan,
        fuel: m.fuel,
        site: m.site,
        firstReading: m.firstReading,
        lastReading: m.lastReading,
        readings: m.readings,
      }));
      out(ctx, value, () => {
        if (list.length === 0) return console.log('No meters yet. Import a file with: eclectyc import FILE');
        printTable(
          ['Meter', 'Fuel', 'Site', 'First reading (UTC)', 'Last reading (UTC)', 'Readings'],
          value.map((m) => [
            m.mpan,
            m.fuel,
            m.site ?? '—',
            m.firstReading ?? '—',
            m.lastReading ?? '—',
            String(m.readings),
          ]),
        );
      });
      return 0;
    });
  },
};
