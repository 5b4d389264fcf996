/**
 * `eclectyc report`: a meter's, a site's or the portfolio's report for a month (or an annual summary
 * for a year) as PDF or HTML, made by `reports.make` as the app and the server make it, and written to
 * a file under a temporary name renamed when complete. Prints `{ file, bytes, title }`.
 */
import { saveBytes } from '../../core/exports/file';
import { call, str, UsageError, withCore, type Command } from '../command';
import { scopeArg } from './export';

const USAGE = 'report --meter MPAN | --site ID | --all  --month YYYY-MM | --year YYYY  --format pdf|html --out FILE';

export const reportCommand: Command = {
  name: 'report',
  help: `  ${USAGE}
                                    a monthly report (or an annual summary) as PDF or HTML`,
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
    if (year !== undefined && !/^\d{4}$/.test(year))
      throw new UsageError(`--year must be a year (YYYY), not "${year}"`);
    const format = str(o, 'format') ?? 'pdf';
    if (format !== 'pdf' && format !== 'html') throw new UsageError(`--format must be pdf or html, not "${format}"`);
    const file = str(o, 'out');
    if (!file) throw new UsageError(`report needs --out FILE: ${USAGE}`);
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
