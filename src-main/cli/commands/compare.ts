/** `eclectyc compare MPAN --period P --at PERIOD`: a period against the one before or a year earlier. */
import { COMPARABLE_COMPLETENESS } from '../../../src-shared/domain/periods';
import { call, out, str, UsageError, withCore, type Command } from '../command';
import { periodArg } from './totals';

export const compareCommand: Command = {
  name: 'compare',
  help: `  compare MPAN --period P --at PERIOD [--basis previous|year-ago]
                                    a period against the previous one or the same one a year earlier`,
  options: { period: { type: 'string' }, at: { type: 'string' }, basis: { type: 'string' } },
  async run(ctx, [meter], o) {
    const at = str(o, 'at');
    const basis = str(o, 'basis');
    if (!meter) throw new UsageError('compare needs an MPAN (or meter id)');
    if (!at) throw new UsageError('compare needs --at PERIOD, e.g. 2025-03-30, 2025-W13, 2025-03 or 2025');
    if (basis && basis !== 'previous' && basis !== 'year-ago')
      throw new UsageError('--basis must be previous or year-ago');
    const kind = periodArg(str(o, 'period'));
    return withCore(ctx, async (core) => {
      const c = await call(core, 'totals.compare', {
        meter,
        period: kind,
        at,
        ...(basis ? { basis: basis as 'previous' | 'year-ago' } : {}),
      });
      const value = {
        meter: c.meter,
        period: c.current.period,
        comparedWith: c.previous.period,
        basis: c.basis,
        kwh: c.current.kwh,
        previousKwh: c.previous.kwh,
        changeKwh: c.changeKwh,
        changePercent: c.changePercent,
        completeness: c.current.completeness,
        previousCompleteness: c.previous.completeness,
        comparable: c.comparable,
      };
      out(ctx, value, () => {
        const pct =
          c.changePercent === null ? 'n/a' : `${c.changePercent > 0 ? '+' : ''}${c.changePercent.toFixed(1)} %`;
        console.log(
          `${c.meter} ${c.current.period}: ${c.current.kwh.toFixed(3)} kWh vs ${c.previous.period}: ${c.previous.kwh.toFixed(3)} kWh → ${c.changeKwh >= 0 ? '+' : ''}${c.changeKwh.toFixed(3)} kWh (${pct})`,
        );
        const needed = `${Math.round(COMPARABLE_COMPLETENESS * 100)} % needed`;
        if (!c.comparable)
          console.log(
            `Not comparable: data is ${(c.current.completeness * 100).toFixed(0)} % / ${(c.previous.completeness * 100).toFixed(0)} % complete (${needed}).`,
          );
      });
      return 0;
    });
  },
};
