/** `eclectyc sites add|list|update|assign|closures`: sites, their location, floor area, opening hours and closures. */
import type { Args } from '../../../src-shared/contract/api';
import type { SiteSummary } from '../../../src-shared/contract/types';
import { call, out, str, UsageError, withCore, type Command, type Opts } from '../command';
import { printTable } from '../format';
import { acceptSuggestions, listSuggestions } from './register';
import { sitesRemove, sitesRemoveHelp } from './undo';

const EXAMPLES: Record<string, string> = { lat: '51.38', lon: '-2.36', 'floor-area': '2400' };

const number = (o: Opts, name: string): number | undefined => {
  const v = str(o, name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n))
    throw new UsageError(`--${name} needs a number, e.g. --${name} ${EXAMPLES[name] ?? '1'}`);
  return n;
};

const siteId = (v: string | undefined, usage: string): number => {
  if (!v || !/^[1-9]\d*$/.test(v))
    throw new UsageError(`${usage} needs a site ID (a number: see "eclectyc sites list")`);
  return Number(v);
};

/** The site fields the options give (only those given). */
function fields(o: Opts): Omit<Args<'sites.update'>, 'id'> {
  const f: Omit<Args<'sites.update'>, 'id'> = {};
  const lat = number(o, 'lat');
  const lon = number(o, 'lon');
  const area = number(o, 'floor-area');
  const hours = str(o, 'hours');
  const postcode = str(o, 'postcode');
  if (lat !== undefined) f.latitude = lat;
  if (lon !== undefined) f.longitude = lon;
  if (area !== undefined) f.floorAreaM2 = area;
  if (hours !== undefined) f.openingHours = hours.trim().toLowerCase() === 'default' ? null : hours;
  if (postcode !== undefined) f.postcode = postcode;
  if (o.generation === true) f.generation = true;
  if (o['no-generation'] === true) f.generation = false;
  return f;
}

function printSites(list: SiteSummary[]): void {
  printTable(
    ['Id', 'Site', 'Meters', 'Location', 'Floor m²', 'Opening hours', 'Generation'],
    list.map((s) => [
      String(s.id),
      s.name,
      String(s.meters),
      s.latitude !== null && s.longitude !== null ? `${s.latitude}, ${s.longitude}` : '—',
      s.floorAreaM2 === null ? '—' : String(s.floorAreaM2),
      s.openingHours + (s.openingHoursDefault ? ' (default)' : ''),
      s.generation ? 'yes' : 'no',
    ]),
  );
}

export const sitesCommand: Command = {
  name: 'sites',
  help: `  sites add NAME [--lat N --lon N] [--hours SPEC] [--floor-area M2] [--postcode PC] [--generation]
                                    create a site; SPEC like "mon-fri 08:00-18:00; sat 09:00-12:30"
                                    (default hours: mon-fri 08:00-18:00; --generation: on-site generation)
  sites list                        sites with location, floor area and opening hours
  sites update ID [--name NAME] [--lat N --lon N] [--hours SPEC|default] [--floor-area M2]
                  [--generation|--no-generation]
                                    change a site
  sites assign ID MPAN              put a meter on a site
  sites closures ID [--add FROM TO [--note TEXT]] [--remove CLOSURE_ID]
                                    list, add (UK local days, TO exclusive) or remove a site's closures
  sites suggestions                 sites that meter files named, for meters with no site yet
  sites accept-suggestions (--all | NAME...) [--dismiss]
                                    create those sites and put their meters on them (or dismiss them)
${sitesRemoveHelp}`,
  options: {
    lat: { type: 'string' },
    lon: { type: 'string' },
    hours: { type: 'string' },
    'floor-area': { type: 'string' },
    postcode: { type: 'string' },
    name: { type: 'string' },
    generation: { type: 'boolean' },
    'no-generation': { type: 'boolean' },
    add: { type: 'boolean' },
    remove: { type: 'string' },
    note: { type: 'string' },
    all: { type: 'boolean' },
    dismiss: { type: 'boolean' },
    'with-meters': { type: 'boolean' },
    'dry-run': { type: 'boolean' },
  },
  async run(ctx, [sub, ...args], o) {
    if (sub === 'remove') return sitesRemove(ctx, args, o);
    if (sub === 'add') {
      const name = args.join(' ').trim();
      if (!name) throw new UsageError('sites add needs a NAME');
      return withCore(ctx, async (core) => {
        const { postcode, ...rest } = fields(o);
        const site = await call(core, 'sites.create', { name, ...rest, ...(postcode ? { postcode } : {}) });
        out(ctx, site, () =>
          console.log(`Created site ${site.id} "${site.name}" (opening hours ${site.openingHours}).`),
        );
        return 0;
      });
    }
    if (sub === 'list') {
      return withCore(ctx, async (core) => {
        const list = await call(core, 'sites.list', {});
        out(ctx, list, () => {
          if (list.length === 0) return console.log('No sites yet. Add one with: eclectyc sites add NAME');
          printSites(list);
        });
        return 0;
      });
    }
    if (sub === 'update') {
      const id = siteId(args[0], 'sites update');
      const patch = fields(o);
      const name = str(o, 'name');
      if (name !== undefined) Object.assign(patch, { name });
      if (Object.keys(patch).length === 0)
        throw new UsageError('sites update needs something to change: --name, --lat/--lon, --hours, --floor-area…');
      return withCore(ctx, async (core) => {
        const site = await call(core, 'sites.update', { id, ...patch });
        out(ctx, site, () => printSites([site]));
        return 0;
      });
    }
    if (sub === 'assign') {
      const id = siteId(args[0], 'sites assign');
      const meter = args[1];
      if (!meter) throw new UsageError('sites assign needs a site ID and an MPAN');
      return withCore(ctx, async (core) => {
        const m = await call(core, 'meters.update', { meter, siteId: id });
        out(ctx, { meter: m.mpan, siteId: m.siteId, site: m.site }, () =>
          console.log(`${m.mpan} is now on site ${m.siteId} "${m.site}".`),
        );
        return 0;
      });
    }
    if (sub === 'closures') {
      const id = siteId(args[0], 'sites closures');
      return withCore(ctx, async (core) => {
        if (o.add === true && str(o, 'remove') !== undefined)
          throw new UsageError('sites closures takes --add or --remove, not both');
        if (o.add === true) {
          const [from, to] = args.slice(1);
          if (!from || !to)
            throw new UsageError(
              'sites closures ID --add FROM TO needs two UK local days (TO exclusive), e.g. 2024-12-21 2025-01-06',
            );
          const note = str(o, 'note');
          const c = await call(core, 'sites.addClosure', { siteId: id, from, to, ...(note ? { note } : {}) });
          out(ctx, c, () => console.log(`Site ${id} closed from ${c.from} to ${c.to} (exclusive) — closure ${c.id}.`));
          return 0;
        }
        const remove = str(o, 'remove');
        if (remove !== undefined) {
          if (!/^[1-9]\d*$/.test(remove))
            throw new UsageError('--remove needs a closure id (see "eclectyc sites closures ID")');
          const r = await call(core, 'sites.removeClosure', { siteId: id, id: Number(remove) });
          out(ctx, r, () => console.log(`Closure ${remove} of site ${id} removed.`));
          return 0;
        }
        const d = await call(core, 'sites.get', { id });
        out(ctx, d.closures, () => {
          if (d.closures.length === 0) return console.log(`Site ${id} "${d.site.name}" has no closures.`);
          printTable(
            ['Id', 'From', 'To (exclusive)', 'Note'],
            d.closures.map((c) => [String(c.id), c.from, c.to, c.note ?? '']),
          );
        });
        return 0;
      });
    }
    if (sub === 'suggestions') return listSuggestions(ctx);
    if (sub === 'accept-suggestions') return acceptSuggestions(ctx, args, o);
    throw new UsageError(
      `sites needs add, list, update, assign, closures, remove, suggestions or accept-suggestions${sub ? `, not "${sub}"` : ''}`,
    );
  },
};
