/** `eclectyc totals MPAN --period P`: roll-ups per day, week, month or year. */
import { call, out, str, UsageError, withCore, type Command } from '../command';
import { fmt, printTable } from '../format';

const PERIODS = ['day', 'week', 'month', 'year'] as const;

/** The --period option of totals and compare. */
export function periodArg(p: string | undefined): (typeof PERIODS)[number] {
  if (!p) throw new UsageError('--period is required: day, week, month or year');
  if (!(PERIODS as readonly string[]).includes(p))
    throw new UsageError(`--period must be day, week, month or year, not "${p}"`);
  return p as (typeof PERIODS)[number];
}

export const totalsCommand: Command = {
  name: 'totals',
  help: `  totals MPAN --period day|week|month|year --from DATE --to DATE
                                    roll-ups per period (UK local days, to exclusive)`,
  options: { period: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' } },
  async run(ctx, [meter], o) {
    const from = str(o, 'from');
    const to = str(o, 'to');
    if (!meter) throw new UsageError('totals needs an MPAN (or meter id)');
    if (!from || !to) throw new UsageError('totals needs --from DATE and --to DATE (UK local days, to exclusive)');
    const kind = periodArg(str(o, 'period'));
    return withCore(ctx, async (core) => {
      const rows = await call(core, 'totals.list', { meter, period: kind, from, to });
      const value = rows.map((r) => ({
        period: r.period,
        kwh: r.kwh,
        min: r.min,
        max: r.max,
        mean: r.mean,
        baseload: r.baseload,
        peak: r.peak,
        peakAt: r.peakAt,
        halfHours: r.halfHours,
        missing: r.missing,
        completeness: r.completeness,
        ...(kind !== 'day' ? { averageDaily: r.averageDaily } : {}),
      }));
      out(ctx, value, () =>
        printTable(
          ['Period', 'kWh', 'Min', 'Max', 'Baseload kW', 'Peak at (UTC)', 'Half-hours', 'Missing', 'Complete'],
          value.map((r) => [
            r.period,
            r.kwh.toFixed(3),
            fmt(r.min),
            fmt(r.max),
            fmt(r.baseload),
            r.peakAt ?? '—',
            String(r.halfHours),
            String(r.missing),
            `${(r.completeness * 100).toFixed(1)} %`,
          ]),
        ),
      );
      return 0;
    });
  },
};
