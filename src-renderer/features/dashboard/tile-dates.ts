/** The days a dashboard tile counts, in words. */
import type { PeriodKind } from '../../../src-shared/contract/types';
import { isoDay, parsePeriod } from '../../../src-shared/domain/periods';
import { formatDayRange, formatPeriodLabel } from '../../lib/format';

/**
 * "13 Nov" for a day, "Week 46, 2019 (11–17 Nov)" for a whole week, and for a period to date the
 * days actually counted: "11–13 Nov 2019", "1 Jan – 13 Nov 2019".
 */
export function tileDates(kind: PeriodKind, label: string, toDate: string | null): string {
  if (kind === 'day' || !toDate) return formatPeriodLabel(label, { short: kind === 'day' });
  const start = parsePeriod(kind, label);
  return start === null ? formatPeriodLabel(label) : formatDayRange(isoDay(start), toDate);
}
