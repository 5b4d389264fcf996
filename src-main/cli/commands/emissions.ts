/** `eclectyc emissions MPAN`: a meter's emissions over UK local days. */
import { call, out, str, UsageError, withCore, type Command } from '../command';

export const emissionsCommand: Command = {
  name: 'emissions',
  help: `  emissions MPAN --from DATE --to DATE [--method halfhourly|annual] [--region ID | --regional]
                                    a meter's emissions in kgCO2 (UK local days, to exclusive)`,
  options: {
    from: { type: 'string' },
    to: { type: 'string' },
    method: { type: 'string' },
    region: { type: 'string' },
    regional: { type: 'boolean' },
  },
  async run(ctx, [meter], o) {
    const from = str(o, 'from');
    const to = str(o, 'to');
    const method = str(o, 'method');
    const region = str(o, 'region');
    if (!meter) throw new UsageError('emissions needs an MPAN (or meter id)');
    if (!from || !to) throw new UsageError('emissions needs --from DATE and --to DATE (UK local days, to exclusive)');
    if (method && method !== 'halfhourly' && method !== 'annual')
      throw new UsageError('--method must be halfhourly or annual');
    return withCore(ctx, async (core) => {
      const r = await call(core, 'emissions.meter', {
        meter,
        from,
        to,
        ...(method ? { method: method as 'halfhourly' | 'annual' } : {}),
        ...(region ? { region: Number(region) } : {}),
        ...(o.regional === true ? { regional: true } : {}),
      });
      out(ctx, r, () =>
        console.log(
          `${meter} ${from} to ${to}: ${r.kwh.toFixed(3)} kWh, ${r.kgco2.toFixed(3)} kgCO2 (${r.method}; ${(r.coverage * 100).toFixed(1)} % of half-hours covered)`,
        ),
      );
      return 0;
    });
  },
};
