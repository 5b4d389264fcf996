/** What a tariff or price import reports, in plain words: its summary and the problems of a refused file. Pure. */
import type { Result } from '../../../src-shared/contract/api';
import { formatInt, plural } from '../../lib/format';

type ImportResult = Result<'tariffs.import'>;
type PricesResult = Result<'tariffs.importPrices'>;

/** "3 tariffs: 2 versions added, 1 unchanged". */
export function importSummary(r: ImportResult): string {
  const parts: string[] = [];
  if (r.versionsAdded > 0) parts.push(`${plural(r.versionsAdded, 'version')} added`);
  if (r.versionsReplaced > 0) parts.push(`${plural(r.versionsReplaced, 'version')} corrected`);
  if (r.unchanged > 0) parts.push(`${formatInt(r.unchanged)} unchanged`);
  if (r.prices > 0) parts.push(`${plural(r.prices, 'half-hourly price')} stored`);
  return `${plural(r.tariffs, 'tariff')}: ${parts.join(', ') || 'nothing to change'}`;
}

/** "Stored 48 half-hourly prices from 1 Jan 2025 00:00 to 1 Jan 2025 23:30". */
export function pricesSummary(r: PricesResult, fmt: (iso: string) => string): string {
  return `Stored ${plural(r.prices, 'half-hourly price')}${r.prices > 0 ? ` from ${fmt(r.first)} to ${fmt(r.last)}` : ''}`;
}

export interface ProblemItem {
  /** Where: "Tariff 2 “acme-e7” › rates", or "" when the problem names no place. */
  where: string;
  message: string;
}

/**
 * A place in a tariff file as a person reads it: `tariffs[1] ("acme").rates.0.pencePerKwh` → `Tariff 2 “acme” › rates ›
 * rate 1 › pencePerKwh`.
 */
export function humanPath(path: string): string {
  const m = /^tariffs\[(\d+)\](?: \("([^"]*)"\))?(.*)$/.exec(path);
  if (!m) return path;
  const head = `Tariff ${Number(m[1]) + 1}${m[2] !== undefined ? ` “${m[2]}”` : ''}`;
  const rest = (m[3] ?? '').split('.').filter(Boolean);
  const out: string[] = [head];
  for (let i = 0; i < rest.length; i++) {
    const part = rest[i]!;
    const prev = rest[i - 1];
    if (/^\d+$/.test(part))
      out.push(
        prev === 'rates' || prev === 'duosRates'
          ? `rate ${Number(part) + 1}`
          : prev === 'halfHourlyPrices'
            ? `price ${Number(part) + 1}`
            : prev === 'cclPencePerKwh'
              ? `step ${Number(part) + 1}`
              : `item ${Number(part) + 1}`,
      );
    else out.push(part);
  }
  return out.join(' › ');
}

/**
 * The core's BAD_INPUT message as a summary and a list: "f.json: nothing was imported; 2 problems:
 * a: x; b: y" → { summary: "f.json: nothing was imported; 2 problems", items: [{where: a, message: x}, …] }.
 * A message without a list is returned whole as the summary.
 */
export function splitProblems(
  message: string,
  fileName?: string,
): { summary: string; items: ProblemItem[]; more: boolean } {
  let text = message;
  // The caller already names the file and says nothing was imported.
  if (fileName && text.startsWith(`${fileName}: `)) text = text.slice(fileName.length + 2);
  text = text.replace(/^nothing was imported; /, '');
  const m = /^(.*?\d+ problems?):\s(.*)$/s.exec(text);
  if (!m) return { summary: text, items: [], more: false };
  const raw = m[2]!.split('; ');
  const more = raw[raw.length - 1] === '…';
  const items = (more ? raw.slice(0, -1) : raw).map((s): ProblemItem => {
    const at = /^(tariffs\[\d+\](?: \("[^"]*"\))?[^:\s]*|[A-Za-z0-9._-]+): (.*)$/s.exec(s);
    return at ? { where: humanPath(at[1]!), message: plainMessage(at[2]!) } : { where: '', message: plainMessage(s) };
  });
  return { summary: m[1]!, items, more };
}

/** zod's generic wording for an absent field, in plain words. */
function plainMessage(m: string): string {
  return /^Invalid input: expected \w+, received undefined$/.test(m) ? 'missing: this field is required' : m;
}
