/** `eclectyc weather import|fetch`: a site's daily weather, from a file or from Open-Meteo. */
import path from 'node:path';
import { call, out, readText, str, UsageError, withCore, type Command } from '../command';

export const weatherCommand: Command = {
  name: 'weather',
  help: `  weather import FILE --site ID [--hdd-base T]
                                    import a site's daily weather: date,meanTemperatureC or date,hdd
                                    (degree days at T °C, default 15.5); all rows or none
  weather fetch --site ID --from DATE --to DATE
                                    fetch daily mean temperatures from Open-Meteo (the site needs
                                    a location; --weather-api URL for another server)`,
  options: {
    site: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    'hdd-base': { type: 'string' },
  },
  async run(ctx, [sub, ...args], o) {
    const site = str(o, 'site');
    if (sub !== 'import' && sub !== 'fetch')
      throw new UsageError(`weather needs import or fetch${sub ? `, not "${sub}"` : ''}`);
    if (!site || !/^[1-9]\d*$/.test(site))
      throw new UsageError(`weather ${sub} needs --site ID (see "eclectyc sites list")`);
    const siteId = Number(site);
    if (sub === 'import') {
      const file = args[0];
      if (!file) throw new UsageError('weather import needs a FILE');
      const base = str(o, 'hdd-base');
      if (base !== undefined && !Number.isFinite(Number(base)))
        throw new UsageError('--hdd-base needs a temperature, e.g. 15.5');
      const text = readText(file);
      return withCore(ctx, async (core) => {
        const r = await call(core, 'weather.import', {
          siteId,
          text,
          fileName: path.basename(file),
          ...(base !== undefined ? { hddBase: Number(base) } : {}),
        });
        out(ctx, r, () =>
          console.log(
            `Imported ${r.days} day(s) of ${r.kind === 'hdd' ? 'heating degree days' : 'mean temperatures'} for site ${siteId}, ${r.from} to ${r.to}${r.replaced ? ` (${r.replaced} replaced)` : ''}.`,
          ),
        );
        return 0;
      });
    }
    const from = str(o, 'from');
    const to = str(o, 'to');
    if (!from || !to)
      throw new UsageError('weather fetch needs --from DATE and --to DATE (UK local days, to exclusive)');
    return withCore(ctx, async (core) => {
      const r = await call(core, 'weather.fetch', { siteId, from, to });
      out(ctx, r, () =>
        console.log(
          `Fetched ${r.days} day(s) of mean temperatures for site ${siteId}, ${r.from} to ${r.to}${r.missing ? `; ${r.missing} day(s) had no value` : ''}.`,
        ),
      );
      return 0;
    });
  },
};
