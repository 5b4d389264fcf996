/** `eclectyc aggregate`: bring the roll-ups up to date, or rebuild them. */
import { call, out, withCore, type Command } from '../command';

export const aggregateCommand: Command = {
  name: 'aggregate',
  help: '  aggregate [--full]                bring roll-ups up to date (--full: recompute everything)',
  options: { full: { type: 'boolean' } },
  async run(ctx, _args, o) {
    const full = o.full === true;
    return withCore(ctx, async (core) => {
      const r = await call(core, 'aggregation.run', { full });
      out(ctx, r, () =>
        console.log(
          `${full ? 'Rebuilt' : 'Updated'} roll-ups: ${r.metersTouched} meter(s), ${r.daysTouched} day(s) in ${r.seconds.toFixed(2)} s.`,
        ),
      );
      return 0;
    });
  },
};
