/** `eclectyc carbon fetch|current`: store GB grid carbon intensity, or show the latest. */
import { call, out, str, UsageError, withCore, type Command } from '../command';

export const carbonCommand: Command = {
  name: 'carbon',
  help: `  carbon fetch [--from ISO --to ISO] [--region ID | --postcode OUTWARD] [--meter MPAN]
                                    store GB grid carbon intensity (default: the last 24 hours;
                                    --meter: backfill what is missing over that meter's data)
  carbon current                    the latest grid carbon intensity (refreshed when over an hour old)`,
  options: {
    from: { type: 'string' },
    to: { type: 'string' },
    region: { type: 'string' },
    postcode: { type: 'string' },
    meter: { type: 'string' },
  },
  async run(ctx, [sub], o) {
    return withCore(ctx, async (core) => {
      if (sub === 'current') {
        let now = await call(core, 'carbon.current', {});
        if (!now || now.ageSeconds > 3600) {
          try {
            await call(core, 'carbon.refresh', {});
            now = await call(core, 'carbon.current', {});
          } catch (e) {
            if (!now) throw e;
            console.error(`eclectyc: could not refresh (${(e as Error).message}); showing the stored value`);
          }
        }
        out(ctx, now, () => {
          if (!now) return console.log('No carbon intensity stored yet.');
          console.log(
            `${now.intensity ?? '—'} gCO2/kWh (${now.index ?? 'no index'}, ${now.kind}) for the half-hour from ${now.at}; ${now.trend ?? 'trend unknown'}; fetched ${Math.round(now.ageSeconds / 60)} min ago`,
          );
        });
        return 0;
      }
      if (sub === 'fetch') {
        const meter = str(o, 'meter');
        if (meter) {
          const r = await call(core, 'carbon.fetch', { meter });
          out(ctx, r, () =>
            console.log(
              r.national
                ? `Backfilled ${r.national} half-hours over ${meter}'s data.`
                : `Intensity is already stored for all of ${meter}'s data.`,
            ),
          );
          return 0;
        }
        const t = Math.floor(Date.now() / 1000);
        const a = str(o, 'from') ?? new Date((t - 86400) * 1000).toISOString();
        const b = str(o, 'to') ?? new Date((t + 1800) * 1000).toISOString();
        const region = str(o, 'region');
        const postcode = str(o, 'postcode');
        const regionId = region === undefined ? undefined : Number(region);
        if (regionId !== undefined && !Number.isInteger(regionId))
          throw new UsageError('--region must be a region id from 1 to 17');
        const r = await call(core, 'carbon.fetch', {
          from: a,
          to: b,
          ...(regionId !== undefined ? { region: regionId } : {}),
          ...(postcode ? { postcode } : {}),
        });
        out(ctx, r, () =>
          console.log(
            postcode
              ? `Stored ${r.regional} regional half-hours for ${postcode.toUpperCase()} (region ${r.regionId ?? '?'}) from ${a} to ${b}.`
              : `Stored ${r.national} national${regionId !== undefined ? ` and ${r.regional} regional` : ''} half-hours from ${a} to ${b}.`,
          ),
        );
        return 0;
      }
      throw new UsageError('carbon needs a subcommand: fetch or current');
    });
  },
};
