/**
 * How the UI words the core's expected failures: from the error's code and structured details
 * (src-shared/contract/errors.ts), not from text written for the command line. A failure says what
 * is wrong in plain words, links to the place to fix it ("Assign a tariff"), offers Retry only where
 * trying again could help, and repeats across meters are grouped ("29 meters have no tariff").
 */
import { AppError, errorReason, isNoTariff, retryMayHelp } from '../../src-shared/contract/errors';
import type { SwitchRunFailure } from '../../src-shared/contract/types';
import { errorMessage } from '../api/client';
import { formatUkDate, plural } from './format';
import { href } from './route';

export interface Problem {
  message: string;
  /** Where to fix it, when there is such a place. */
  action: { label: string; href: string } | null;
  /** True when trying the same thing again could succeed (the host was unreachable, an unexpected failure). */
  retry: boolean;
}

/** A failure in plain words, with the place to fix it and whether Retry can help. */
export function describeProblem(code: string | null, message: string, details: unknown): Problem {
  if (isNoTariff(details)) {
    const why =
      details.firstAssignment !== null
        ? `its first tariff starts on ${formatUkDate(details.firstAssignment)}`
        : details.supplier !== null
          ? `${details.supplier} has no default tariff for it`
          : 'no supplier is set for it';
    return {
      message: `No tariff prices ${details.meter} from ${formatUkDate(details.from)}: ${why}. Assign a tariff from that day, or set its supplier and that supplier’s default tariff.`,
      action: { label: 'Assign a tariff', href: href.meterTariff(details.meter) },
      retry: false,
    };
  }
  return { message: sentence(message), action: null, retry: retryMayHelp(code) };
}

/** describeProblem for anything caught. */
export function problemOf(e: unknown): Problem {
  if (e instanceof AppError) return describeProblem(e.code, e.message, e.details);
  return describeProblem(null, errorMessage(e), undefined);
}

/** A message as a sentence: a capital letter first. */
export function sentence(s: string): string {
  return s.length > 0 ? s.charAt(0).toUpperCase() + s.slice(1) : s;
}

export interface FailureGroup {
  key: string;
  /** "29 meters have no tariff", "3 meters have no readings yet", "2 meters could not be analysed". */
  headline: string;
  action: { label: string; href: string } | null;
  meters: { meter: string; message: string; href: string; linkLabel: string | null }[];
}

/** Groups a portfolio run's failures by their cause, largest group first. */
export function groupFailures(failed: readonly SwitchRunFailure[]): FailureGroup[] {
  const groups = new Map<string, FailureGroup>();
  for (const f of failed) {
    const reason = errorReason(f.details);
    const key = reason === 'no-tariff' || reason === 'no-readings' ? reason : 'other';
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { key, headline: '', action: null, meters: [] }));
    const p = describeProblem(f.code, f.reason, f.details);
    g.meters.push(
      key === 'no-tariff' && isNoTariff(f.details)
        ? {
            meter: f.meter,
            message: `no tariff from ${formatUkDate(f.details.from)}`,
            href: href.meterTariff(f.meter),
            linkLabel: 'Assign a tariff',
          }
        : key === 'no-readings'
          ? { meter: f.meter, message: 'no readings yet', href: href.imports, linkLabel: 'Import its data' }
          : { meter: f.meter, message: p.message, href: href.meter(f.meter), linkLabel: null },
    );
  }
  for (const g of groups.values()) {
    const n = g.meters.length;
    const have = n === 1 ? 'has' : 'have';
    if (g.key === 'no-tariff') {
      g.headline = `${plural(n, 'meter')} ${have} no tariff`;
      g.action = { label: n === 1 ? 'assign a tariff' : 'assign tariffs', href: g.meters[0]!.href };
    } else if (g.key === 'no-readings') {
      g.headline = `${plural(n, 'meter')} ${have} no readings yet`;
      g.action = { label: 'import their data', href: href.imports };
    } else g.headline = `${plural(n, 'meter')} could not be analysed`;
  }
  return [...groups.values()].sort((a, b) => b.meters.length - a.meters.length);
}
