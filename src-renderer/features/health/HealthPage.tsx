/**
 * Health (#/health): the app's checks (disk space, backups, imports, the nightly roll-up, data
 * arriving…) each with its state in colour and in words, what was found and what to do; "Check now";
 * and the history of changes. Kept up to date by `health.changed`.
 */
import { useState } from 'react';
import type { HealthReport } from '../../../src-shared/contract/types';
import { getClient } from '../../api/instance';
import { Page } from '../../components/Page';
import { QueryProblem } from '../../components/ProblemState';
import { EmptyState, Skeleton } from '../../components/States';
import { formatUkDateTime } from '../../lib/format';
import { useDocumentTitle } from '../../lib/hooks';
import { useQuery } from '../../lib/query';
import { useAlertsStore } from '../../stores/alerts';
import { useAppStore } from '../../stores/app';
import '../../styles/health.css';
import { HEALTH_TONE, HEALTH_WORD, changeText, overallText } from './words';

export function HealthPage() {
  useDocumentTitle('Health');
  const version = useAlertsStore((s) => s.healthVersion);
  const live = useAlertsStore((s) => s.health);
  const q = useQuery(`health-${version}`, () => getClient().call('health.get', {}));
  const history = useQuery(`health-history-${version}`, () => getClient().call('health.history', { limit: 50 }));
  const [checking, setChecking] = useState(false);
  // the newest of what the page fetched and what the last event brought
  const report = newest(q.data, live);

  const checkNow = async () => {
    setChecking(true);
    try {
      useAlertsStore.getState().setHealth(await getClient().call('health.check', {}));
    } catch (e) {
      useAppStore.getState().toastError('Could not run the health checks', e);
    } finally {
      setChecking(false);
    }
  };

  const labels = Object.fromEntries((report?.checks ?? []).map((c) => [c.name, c.label]));
  return (
    <Page
      title="Health"
      subtitle="Whether the app is working as it should: the database, disk space, imports, roll-ups, grid carbon and meters’ data arriving."
      testId="health-page"
      actions={
        <button
          type="button"
          className="btn btn-primary"
          onClick={checkNow}
          disabled={checking}
          data-testid="health-check-now"
        >
          {checking ? 'Checking…' : 'Check now'}
        </button>
      }
    >
      {!report ? (
        <section className="card">
          {q.load === 'error' ? (
            <QueryProblem title="Could not load the health checks" q={q} />
          ) : (
            <Skeleton rows={5} label="Loading the health checks" />
          )}
        </section>
      ) : (
        <>
          <section
            className={`card card-pad health-summary health-summary-${HEALTH_TONE[report.status]}`}
            aria-labelledby="health-overall"
            data-testid="health-summary"
            data-status={report.status}
          >
            <span
              className={`health-dot health-dot-large health-dot-${HEALTH_TONE[report.status]}`}
              aria-hidden="true"
            />
            <div>
              <h2 id="health-overall">{HEALTH_WORD[report.status]}</h2>
              <p>{overallText(report)}</p>
              <p className="muted small" data-testid="health-checked-at">
                Checked {formatUkDateTime(report.checkedAt)}
              </p>
            </div>
          </section>
          <section className="card" aria-labelledby="health-checks-title">
            <div className="card-header">
              <h2 id="health-checks-title">Checks</h2>
            </div>
            <ul className="health-checks">
              {report.checks.map((c) => (
                <li
                  key={c.name}
                  className="health-check"
                  data-testid="health-check"
                  data-check={c.name}
                  data-status={c.status}
                >
                  <span className={`health-dot health-dot-${HEALTH_TONE[c.status]}`} aria-hidden="true" />
                  <div className="health-check-body">
                    <div className="health-check-head">
                      <span className="strong">{c.label}</span>
                      <span className={`badge badge-tone-${HEALTH_TONE[c.status]}`}>{HEALTH_WORD[c.status]}</span>
                    </div>
                    <p className="health-detail">{c.detail}</p>
                    {c.status !== 'ok' && c.action && (
                      <p className="health-action small">
                        <span className="strong">What to do: </span>
                        {c.action}
                      </p>
                    )}
                  </div>
                </li>
              ))}
            </ul>
          </section>
        </>
      )}
      <section className="card" aria-labelledby="health-history-title">
        <div className="card-header">
          <h2 id="health-history-title">Changes</h2>
          <span className="muted small">Newest first</span>
        </div>
        {history.load === 'error' && !history.data ? (
          <QueryProblem title="Could not load the history of changes" q={history} />
        ) : !history.data ? (
          <Skeleton rows={3} label="Loading the history" />
        ) : history.data.length === 0 ? (
          <EmptyState title="No changes yet">
            Each time a check turns amber, red or green again, it is listed here.
          </EmptyState>
        ) : (
          <ul className="health-history" data-testid="health-history">
            {history.data.map((c) => (
              <li key={c.id}>
                <span className={`health-dot health-dot-${HEALTH_TONE[c.status]}`} aria-hidden="true" />
                <span className="health-history-when muted small">{formatUkDateTime(c.at)}</span>
                <span>
                  <span className="strong">{changeText(c, labels)}</span>
                  {c.detail && <span className="muted"> — {c.detail}</span>}
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </Page>
  );
}

/** The later of two reports (either may be missing). */
function newest(a: HealthReport | null, b: HealthReport | null): HealthReport | null {
  if (!a || !b) return a ?? b;
  return Date.parse(b.checkedAt) >= Date.parse(a.checkedAt) ? b : a;
}
