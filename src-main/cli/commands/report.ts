/**
 * `eclectyc report`: a meter's, a site's or the portfolio's report for a month (or an annual summary
 * for a year) as PDF or HTML, made by `reports.make` as the app and the server make it, and written to
 * a file under a temporary name renamed when complete. Prints `{ file, bytes, title }`.
 */
import path from 'node:path';
import { saveBytes } from '../../core/exports/file';
import { call, str, UsageError, withCore, type Command } from '../command';
import { scopeArg } from './export';

const USAGE = 'report --meter MPAN | --site ID | --all  --month YYYY-MM | --year YYYY  --format pdf|html --out FILE';

/** The file's kind by its extension: `.pdf`, `.html` or `.htm`; undefined for any other. */
function kindOf(file: string): 'pdf' | 'html' | undefined {
  const ext = path.extname(file).toLowerCase();
  return ext === '.pdf' ? 'pdf' : ext === '.html' || ext === '.htm' ? 'html' : undefined;
}

/** --format, or the --out file's extension without it (PDF for another extension); a mismatch is refused. */
function formatOf(given: string | undefined, file: string): 'pdf' | 'html' {
  const byName = kindOf(file);
  if (given === undefined) return byName ?? 'pdf';
  if (given !== 'pdf' && given !== 'html') throw new UsageError(`--format must be pdf or html, not "${given}"`);
  if (byName && byName !== given)
    throw new UsageError(
      `--format ${given} does not match --out ${file}, a .${byName} name: ` +
        `give --format ${byName}, or an --out file ending .${given}`,
    );
  return given;
}

export const reportCommand: Command = {
  name: 'report',
  help: `  ${USAGE}
                                    a monthly report (or an annual summary) as PDF or HTML; without --format, as --out's
                                    extension says (.pdf, .html or .htm; PDF for another)`,
  options: {
    meter: { type: 'string' },
    site: { type: 'string' },
    all: { type: 'boolean' },
    month: { type: 'string' },
    year: { type: 'string' },
    format: { type: 'string' },
    out: { type: 'string' },
  },
  async run(ctx, args, o) {
    if (args.length > 0) throw new UsageError(`report takes no "${args[0]}": ${USAGE}`);
    const scope = scopeArg(o, USAGE);
    const month = str(o, 'month');
    const year = str(o, 'year');
    if ((month === undefined) === (year === undefined))
      throw new UsageError(`give either --month YYYY-MM or --year YYYY: ${USAGE}`);
    if (year !== undefined && !(/^\d{4}$/.test(year) && +year >= 1990 && +year <= 2100))
      throw new UsageError(`--year must be a year from 1990 to 2100 (YYYY), not "${year}"`);
    const file = str(o, 'out');
    if (!file) throw new UsageError(`report needs --out FILE: ${USAGE}`);
    const format = formatOf(str(o, 'format'), file);
    return withCore(ctx, async (core) => {
      const made = await call(core, 'reports.make', {
        scope,
        format,
        ...(month !== undefined ? { month } : { year: Number(year) }),
      });
      const saved = await saveBytes(file, Buffer.from(made.data, made.encoding === 'base64' ? 'base64' : 'utf8'));
      process.stdout.write(JSON.stringify({ file: saved.file, bytes: saved.bytes, title: made.title }) + '\n');
      return 0;
    });
  },
};
