/** A chart in a card with its title, a note, and "Download PNG" / "Export CSV" of what it shows. */
import { lazy, Suspense, useRef } from 'react';
import type { ReactNode } from 'react';
import type { EChartsCoreOption } from 'echarts/core';
import { downloadDataUrl, downloadText, toCsv } from '../lib/download';
import type { ChartInstance } from './EChart';

// echarts is the largest dependency: load it with the first chart, not at startup.
const EChart = lazy(() => import('./EChart').then((m) => ({ default: m.EChart })));

export interface ChartCardProps {
  title: string;
  note?: ReactNode;
  /** data-testid of the chart element; it also carries data-points. */
  testId: string;
  points: number;
  option: EChartsCoreOption;
  /** File name without extension. */
  fileBase: string;
  csv: () => { header: string[]; rows: (string | number | null)[][] };
  ariaLabel: string;
  /** Extra controls in the header (left of the downloads). */
  controls?: ReactNode;
  /** Shown instead of the chart when there is nothing to draw. */
  empty?: ReactNode;
  tall?: boolean;
  /** When false the card has no outer frame (inside another card). */
  framed?: boolean;
  /** Called with the data index of a clicked item (a bar, a cell) of the first series clicked on. */
  onItemClick?: (dataIndex: number) => void;
}

export function ChartCard({
  title,
  note,
  testId,
  points,
  option,
  fileBase,
  csv,
  ariaLabel,
  controls,
  empty,
  tall,
  framed = true,
  onItemClick,
}: ChartCardProps) {
  const chart = useRef<ChartInstance | null>(null);
  const click = useRef(onItemClick);
  click.current = onItemClick;
  const hasData = points > 0 && !empty;
  return (
    <section className={framed ? 'card chart-card' : 'chart-card chart-card-bare'} aria-label={title}>
      <div className="card-header">
        <div className="chart-title">
          <h2>{title}</h2>
          {note && <span className="muted small">{note}</span>}
        </div>
        <div className="card-header-actions">
          {controls}
          <button
            type="button"
            className="btn btn-small"
            disabled={!hasData}
            onClick={() => {
              const c = chart.current;
              if (c)
                downloadDataUrl(
                  `${fileBase}.png`,
                  c.getDataURL({ type: 'png', pixelRatio: 2, backgroundColor: '#ffffff' }),
                );
            }}
          >
            Download PNG
          </button>
          <button
            type="button"
            className="btn btn-small"
            disabled={!hasData}
            onClick={() => {
              const t = csv();
              downloadText(`${fileBase}.csv`, toCsv(t.header, t.rows));
            }}
          >
            Export CSV
          </button>
        </div>
      </div>
      {empty}
      <Suspense fallback={<div className="chart-skeleton" aria-hidden="true" />}>
        <EChart
          option={option}
          onReady={(c) => {
            chart.current = c;
            c?.on('click', (p) => {
              if (typeof p.dataIndex === 'number') click.current?.(p.dataIndex);
            });
          }}
          className={`chart ${tall ? 'chart-tall' : ''} ${hasData ? '' : 'chart-empty'}`}
          data-testid={testId}
          data-points={points}
          role="img"
          aria-label={ariaLabel}
        />
      </Suspense>
    </section>
  );
}
