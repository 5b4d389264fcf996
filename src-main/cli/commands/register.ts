/**
 * `eclectyc register import FILE [--dry-run] [--verbose]` and `eclectyc register export [--out FILE]
 * [--format csv|xlsx]`: site and meter registers (docs/registers.md). Also the site suggestions
 * behind `eclectyc sites suggestions` and `eclectyc sites accept-suggestions`.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { SiteSuggestion } from '../../../src-shared/contract/types';
import { call, out, str, UsageError, withCore, type Command, type Ctx, type Opts } from '../command';
import { printTable } from '../format';

/** Reads a file named on the command line (a missing one is a usage error). */
function readBytes(file: string): Buffer {
  try {
    return fs.readFileSync(path.resolve(file));
  } catch (e) {
    throw new UsageError(
      `cannot read ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`,
    );
  }
}

export const registerCommand: Command = {
  name: 'register',
  help: `  register import FILE [--dry-run] [--verbose]
                                    import a site and meter register (CSV or XLSX; docs/registers.md),
                                    all or nothing; prints the counts and every error as JSON
                                    (--verbose: each line's changes too); exit code 1 on errors
  register export [--out FILE] [--format csv|xlsx]
                                    every site and meter as a register (CSV to standard output
                                    without --out; the format follows the file's extension)`,
  options: {
    'dry-run': { type: 'boolean' },
    verbose: { type: 'boolean' },
    out: { type: 'string' },
    format: { type: 'string' },
  },
  async run(ctx, [sub, ...args], o) {
    if (sub === 'import') {
      const file = args[0];
      if (!file || args.length > 1) throw new UsageError('register import needs one FILE');
      const content = readBytes(file).toString('base64');
      return withCore(ctx, async (core) => {
        const r = await call(core, 'register.import', {
          content,
          fileName: path.basename(file),
          ...(o['dry-run'] === true ? { dryRun: true } : {}),
        });
        const shown = {
          ...(r.dryRun ? { dryRun: true } : {}),
          sitesCreated: r.sitesCreated,
          sitesUpdated: r.sitesUpdated,
          metersCreated: r.metersCreated,
          metersUpdated: r.metersUpdated,
          errors: r.errors,
          ...(r.ignoredColumns.length ? { ignoredColumns: r.ignoredColumns } : {}),
          ...(o.verbose === true ? { changes: r.changes } : {}),
        };
        process.stdout.write(JSON.stringify(shown, null, 2) + '\n');
        if (r.errors.length && !ctx.json)
          console.error(
            `${file}: ${r.errors.length} problem(s); nothing was imported. Correct them and import it again.`,
          );
        return r.errors.length ? 1 : 0;
      });
    }
    if (sub === 'export') {
      if (args.length) throw new UsageError(`register export takes no FILE argument: use --out ${args[0]}`);
      const file = str(o, 'out');
      const given = str(o, 'format');
      if (given !== undefined && given !== 'csv' && given !== 'xlsx')
        throw new UsageError('--format must be csv or xlsx');
      const format = (given ?? (file && /\.xlsx$/i.test(file) ? 'xlsx' : 'csv')) as 'csv' | 'xlsx';
      if (format === 'xlsx' && !file) throw new UsageError('an XLSX register needs --out FILE.xlsx');
      return withCore(ctx, async (core) => {
        const r = await call(core, 'register.export', { format });
        const bytes = Buffer.from(r.content, r.encoding === 'base64' ? 'base64' : 'utf8');
        if (!file) {
          process.stdout.write(bytes);
          return 0;
        }
        fs.writeFileSync(file, bytes);
        out(ctx, { file, format, sites: r.sites, meters: r.meters }, () =>
          console.log(`Wrote ${r.sites} site(s) and ${r.meters} meter(s) to ${file}.`),
        );
        return 0;
      });
    }
    throw new UsageError(`register needs import or export${sub ? `, not "${sub}"` : ''}`);
  },
};

function printSuggestions(list: SiteSuggestion[]): void {
  printTable(
    ['Site', 'Postcode', 'Meters', 'Existing site'],
    list.map((s) => [
      s.name,
      s.postcode ?? '—',
      s.meters.join(' '),
      s.existingSiteId === null ? '—' : String(s.existingSiteId),
    ]),
  );
}

/** `eclectyc sites suggestions`: sites meter files named, for meters with no site yet. */
export function listSuggestions(ctx: Ctx): Promise<number> {
  return withCore(ctx, async (core) => {
    const list = await call(core, 'sites.suggestions', {});
    out(ctx, list, () => {
      if (list.length === 0) return console.log('No site suggestions: every meter a file named a site for has one.');
      printSuggestions(list);
    });
    return 0;
  });
}

/** `eclectyc sites accept-suggestions (--all | NAME...) [--dismiss]`: creates (or dismisses) suggested sites. */
export function acceptSuggestions(ctx: Ctx, names: string[], o: Opts): Promise<number> {
  if (o.all === true && names.length) throw new UsageError('sites accept-suggestions takes --all or NAMEs, not both');
  if (o.all !== true && names.length === 0)
    throw new UsageError(
      'sites accept-suggestions needs --all or the NAMEs of suggestions (see "eclectyc sites suggestions")',
    );
  return withCore(ctx, async (core) => {
    const list = await call(core, 'sites.suggestions', {});
    const wanted = new Set(names.map((n) => n.trim().toLowerCase()));
    const chosen = o.all === true ? list : list.filter((s) => wanted.has(s.name.trim().toLowerCase()));
    const missing = [...wanted].filter((n) => !list.some((s) => s.name.trim().toLowerCase() === n));
    if (missing.length) throw new UsageError(`no suggestion named ${missing.map((n) => `"${n}"`).join(', ')}`);
    if (chosen.length === 0) {
      out(ctx, { sitesCreated: 0, metersAssigned: 0, sites: [] }, () => console.log('No site suggestions to accept.'));
      return 0;
    }
    const dismiss = o.dismiss === true;
    const r = await call(core, 'sites.acceptSuggestions', {
      items: chosen.map((s) => ({
        name: s.name,
        address: s.address,
        postcode: s.postcode,
        meters: s.meters,
        ...(dismiss ? { dismiss } : {}),
      })),
    });
    out(ctx, r, () =>
      console.log(
        dismiss
          ? `Dismissed ${chosen.length} suggestion(s).`
          : `Created ${r.sitesCreated} site(s) and put ${r.metersAssigned} meter(s) on ${r.sites.length} site(s).`,
      ),
    );
    return 0;
  });
}
