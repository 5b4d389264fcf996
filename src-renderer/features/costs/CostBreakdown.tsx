/** A cost as the lines of a bill, period by period, with its data gaps and notes never hidden. */
import type { ReactNode } from 'react';
import type { CostPeriod, CostResult } from '../../../src-shared/contract/types';
import { DataTable, type Column } from '../../components/DataTable';
import { exportName, poundsOf } from '../../components/table-export';
import { costLines, costNotes, periodLines, type CostLine } from './cost-bands';
import { formatDay, formatKwh, plural } from '../../lib/format';
import { formatPounds, formatRate, formatVatRate } from '../../lib/money';
import { rangeText } from './CostRange';
import '../../styles/costs.css';

export const BASIS_TEXT: Record<CostPeriod['basis'], string> = {
  assignment: 'assigned tariff',
  'supplier-default': 'supplier’s default tariff',
  chosen: 'chosen tariff',
};

function rateCell(l: CostLine): string {
  if (l.rate === null) return '';
  if (l.kind === 'energy' || l.kind === 'duos' || l.kind === 'ccl') return `${formatRate(l.rate)}/kWh`;
  if (l.kind === 'standing') return `${formatRate(l.rate)}/day`;
  if (l.kind === 'capacity') return `${formatRate(l.rate)}/kVA/day`;
  if (l.kind === 'vat') return formatVatRate(l.rate);
  return '';
}

/** The unit of a line's rate in a CSV file (VAT's rate is a fraction). */
function rateUnit(l: CostLine): string | null {
  if (l.rate === null) return null;
  if (l.kind === 'energy' || l.kind === 'duos' || l.kind === 'ccl') return 'p/kWh';
  if (l.kind === 'standing') return 'p/day';
  if (l.kind === 'capacity') return 'p/kVA/day';
  if (l.kind === 'vat') return 'fraction';
  return null;
}

const isBand = (l: CostLine) => l.kind === 'energy' || l.kind === 'duos';

const LINE_COLUMNS: Column<CostLine>[] = [
  {
    header: 'Charge',
    rowHeader: true,
    cell: (l) => {
      // kWh × rate is in its own columns for bands: only say how the other lines are worked out
      const detail = !isBand(l) || l.rate === null ? l.detail : null;
      return (
        <>
          {l.kind === 'duos' && <span className="tag tag-plain cost-tag">DUoS</span>}
          {l.kind === 'duos' ? l.label.replace(/^DUoS /, '') : l.label}
          {detail ? <div className="cost-line-detail">{detail}</div> : null}
        </>
      );
    },
    csv: [
      { header: 'Charge', value: (l) => l.label },
      { header: 'Worked out', value: (l) => l.detail },
    ],
  },
  {
    header: 'kWh',
    num: true,
    cell: (l) => (l.kwh !== null && (isBand(l) || l.kind === 'total') ? formatKwh(l.kwh, 3) : ''),
    csv: (l) => (isBand(l) || l.kind === 'total' ? l.kwh : null),
  },
  {
    header: 'Rate',
    num: true,
    cell: rateCell,
    csv: [
      { header: 'Rate', value: (l) => l.rate },
      { header: 'Rate unit', value: rateUnit },
    ],
  },
  {
    header: 'Amount',
    num: true,
    className: 'strong-num',
    cell: (l) => formatPounds(l.pence),
    csv: (l) => poundsOf(l.pence),
    csvHeader: 'Amount (£)',
  },
];

/** The lines as a table: what, how it is worked out, kWh, rate, £. */
export function CostLinesTable({
  lines,
  caption,
  testId,
  fileName,
}: {
  lines: CostLine[];
  caption?: string;
  testId?: string;
  /** The CSV export's file name (without `.csv`). */
  fileName: string;
}) {
  return (
    <DataTable
      exportName={fileName}
      columns={LINE_COLUMNS}
      rows={lines}
      rowKey={(l, i) => `${l.kind}-${l.label}-${i}`}
      rowProps={(l) => ({
        className: `cost-line cost-line-${l.kind}`,
        'data-testid': 'cost-line',
        'data-kind': l.kind,
        'data-label': l.label,
        'data-pence': l.pence,
      })}
      caption={caption && <caption className="sr-only">{caption}</caption>}
      className="table-compact cost-table"
      testId={testId}
    />
  );
}

/** Missing and unpriced half-hours, and the core's notes: always shown, never folded away. */
export function CostWarnings({
  cost,
  testId = 'cost-warnings',
  alreadySaid = [],
}: {
  cost: CostResult;
  testId?: string;
  alreadySaid?: readonly string[];
}) {
  const notes = costNotes(cost);
  const items = notes.items.filter((n) => !alreadySaid.includes(n));
  // missing or unpriced half-hours make the cost read low against a bill
  const serious = items.some((n) => /not priced/.test(n));
  if (items.length === 0) return null;
  return (
    <div
      className={`callout ${serious ? 'callout-warn' : 'callout-info'} cost-warnings`}
      role="note"
      data-testid={testId}
    >
      <strong>{serious ? 'Check before comparing with a bill' : 'How this was priced'}</strong>
      <ul>
        {items.map((t) => (
          <li key={t}>{t}</li>
        ))}
      </ul>
    </div>
  );
}

/**
 * The whole breakdown: one table for the range and, when the tariff changed within it (or its
 * prices did), each period's own table so each can be checked against its bill.
 */
export function CostBreakdown({
  cost,
  tariffName,
  testId = 'cost-breakdown',
  showWarnings = true,
  alreadySaid,
  aside,
}: {
  cost: CostResult;
  tariffName: (id: string) => string;
  testId?: string;
  showWarnings?: boolean;
  alreadySaid?: readonly string[];
  aside?: ReactNode;
}) {
  const several = cost.periods.length > 1;
  return (
    <div
      className="cost-breakdown"
      data-testid={testId}
      data-total-pence={cost.totalPence}
      data-periods={cost.periods.length}
    >
      {showWarnings && <CostWarnings cost={cost} alreadySaid={alreadySaid} testId={`${testId}-warnings`} />}
      <div className={aside ? 'cost-breakdown-top has-aside' : 'cost-breakdown-top'}>
        <div className="cost-breakdown-main">
          {several && <h4>Whole period</h4>}
          <CostLinesTable
            lines={costLines(cost)}
            caption={`Cost breakdown, ${rangeText(cost.from, cost.to)}`}
            testId={`${testId}-lines`}
            fileName={exportName(`costs-${cost.meter}-${cost.tariff}`, `${cost.from}-${cost.to}`)}
          />
        </div>
        {aside && <div className="cost-breakdown-aside">{aside}</div>}
      </div>
      {several && (
        <div className="cost-periods" data-testid="cost-periods">
          <h4>
            By period: the tariff (or its prices) changed, so each stretch of days is priced on its own, as on separate
            bills
          </h4>
          <div className="cost-periods-grid">
            {cost.periods.map((p) => (
              <div
                key={`${p.from}-${p.tariff}`}
                className="cost-period"
                data-testid="cost-period"
                data-tariff={p.tariff}
              >
                <div className="cost-period-head">
                  <span className="strong">{rangeText(p.from, p.to)}</span>
                  <span className="muted small">
                    {plural(p.days, 'day')} · {tariffName(p.tariff)} · prices from {formatDay(p.versionFrom)} ·{' '}
                    {BASIS_TEXT[p.basis]}
                  </span>
                </div>
                <CostLinesTable
                  lines={periodLines(p)}
                  caption={`Cost ${rangeText(p.from, p.to)} on ${tariffName(p.tariff)}`}
                  fileName={exportName(`costs-${cost.meter}-${p.tariff}`, `${p.from}-${p.to}`)}
                />
              </div>
            ))}
          </div>
        </div>
      )}
    </div>
  );
}
