/**
 * The dashboard's "Where to look first": the three meters doing worst on each league table
 * (highest baseload, highest out-of-hours share, most exceptions, lowest completeness), each
 * leading to the meter's Analysis view, and a link to the full tables.
 */
import type { LeagueRow } from '../../../src-shared/contract/types';
import { getClient } from '../../api/instance';
import { QueryProblem } from '../../components/ProblemState';
import { Skeleton } from '../../components/States';
import { formatDayRangeUntil, formatKwh, formatShare, plural } from '../../lib/format';
import { useQuery } from '../../lib/query';
import { href } from '../../lib/route';
import { useDataStore } from '../../stores/data';
import '../../styles/analysis.css';
import '../../styles/latest.css';
import { meterName, worstFew, type Measure } from './league';

const LISTS: { measure: Measure; title: string; value: (r: LeagueRow) => string; none: string }[] = [
  {
    measure: 'baseload',
    title: 'Highest baseload',
    value: (r) => `${formatKwh(r.baseloadKw, r.baseloadKw! >= 10 ? 1 : 2)} kW`,
    none: 'No meter has a full day of readings to work a baseload out from.',
  },
  {
    measure: 'outOfHours',
    title: 'Most used out of hours',
    value: (r) => formatShare(r.outOfHoursShare),
    none: 'No use out of hours.',
  },
  {
    measure: 'exceptions',
    title: 'Most exceptions',
    value: (r) => plural(r.exceptions, 'day'),
    none: 'No day outside its usual band.',
  },
  {
    measure: 'quality',
    title: 'Least complete data',
    value: (r) => `${formatShare(r.completeness)}${r.stale ? ' · stale' : ''}`,
    none: 'Every half-hour present.',
  },
];

export function WhereToLookCard({ asAt }: { asAt: string }) {
  const version = useDataStore((s) => s.version);
  const q = useQuery(`look-first:${version}:${asAt}`, () =>
    getClient().call('analytics.portfolio', asAt ? { asAt } : {}),
  );
  const d = q.data;
  return (
    <section className="card card-pad" aria-labelledby="look-first-title" data-testid="look-first">
      <div className="card-header-inline">
        <h2 id="look-first-title">Where to look first</h2>
        {d && <span className="muted small">{formatDayRangeUntil(d.from, d.to)} · the three worst of each</span>}
      </div>
      {q.load === 'error' && !d ? (
        <QueryProblem title="Could not rank the meters" q={q} />
      ) : !d ? (
        <Skeleton rows={3} label="Ranking the meters" />
      ) : (
        <div className="look-first-grid">
          {LISTS.map((l) => {
            const worst = worstFew(d.rows, l.measure);
            return (
              <div key={l.measure} data-testid={`look-first-${l.measure}`}>
                <h3>{l.title}</h3>
                {worst.length === 0 ? (
                  <p className="muted small">{l.none}</p>
                ) : (
                  <ol className="look-first-list">
                    {worst.map((r) => (
                      <li key={r.meter} data-testid="look-first-row" data-meter={r.meter}>
                        <a
                          href={href.meterAnalysis(r.meter, { from: d.from, to: d.to })}
                          className={r.label ? '' : 'mono'}
                          title={r.site ? `${meterName(r)} · ${r.site.name}` : meterName(r)}
                        >
                          {meterName(r)}
                        </a>
                        {r.site && <span className="muted small look-first-site"> {r.site.name}</span>}
                        <span className="num strong">{l.value(r)}</span>
                      </li>
                    ))}
                  </ol>
                )}
              </div>
            );
          })}
        </div>
      )}
      <a href={href.analysis} className="small">
        See the full league tables →
      </a>
    </section>
  );
}
