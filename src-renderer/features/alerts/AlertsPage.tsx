/**
 * The alerts inbox (#/alerts): what the rules found, filtered by state, severity, kind and meter,
 * newest first, each with its value against the limit and the actions its state allows; "Check now"
 * runs the rules. Kept up to date by `alerts.changed`.
 */
import { useEffect, useMemo, useState } from 'react';
import { ALERT_KINDS, type Alert } from '../../../src-shared/contract/types';
import { getClient } from '../../api/instance';
import { DataTable } from '../../components/DataTable';
import { exportName, timeColumns } from '../../components/table-export';
import { Page } from '../../components/Page';
import { QueryProblem } from '../../components/ProblemState';
import { Segmented } from '../../components/Segmented';
import { EmptyState, Skeleton } from '../../components/States';
import { formatUkDate, formatUkDateTime, formatUkTime, plural } from '../../lib/format';
import { useDocumentTitle } from '../../lib/hooks';
import { useQuery } from '../../lib/query';
import { href } from '../../lib/route';
import { useAlertsStore } from '../../stores/alerts';
import { useCan, WhyNot } from '../../components/Can';
import { useAppStore } from '../../stores/app';
import { useMetersStore } from '../../stores/meters';
import '../../styles/alerts.css';
import { AlertButtons, SeverityBadge, useAlertActions } from './AlertActions';
import {
  checkText,
  emptyInboxText,
  filterOfHash,
  hashOfFilter,
  isNarrowed,
  listArgs,
  matchesText,
  type InboxFilter,
} from './inbox';
import { KIND_LABELS } from '../../../src-shared/domain/alert-rules';
import { SEVERITY_LABEL, alertStateText, periodText, quantityText, watchedMeters } from './words';

const STATUS_OPTIONS = [
  { value: 'open', label: 'Open' },
  { value: 'acknowledged', label: 'Acknowledged' },
  { value: 'resolved', label: 'Resolved' },
  { value: 'all', label: 'All' },
] as const;

/** Whether the signed-in role may change alerts and rules (acknowledge, resolve, edit rules). */
export function useCanManage(): boolean {
  return useCan()('alerts.ack');
}

export function AlertsPage() {
  useDocumentTitle('Alerts');
  const [filter, setFilter] = useState<InboxFilter>(() => filterOfHash(window.location.hash));
  const version = useAlertsStore((s) => s.alertsVersion);
  const counts = useAlertsStore((s) => s.counts);
  const lastCheck = useAlertsStore((s) => s.lastCheck);
  const canAct = useCanManage();
  const args = listArgs(filter);
  const q = useQuery(`alerts-${JSON.stringify(args)}-${version}`, () => getClient().call('alerts.list', args));
  const rules = useQuery(`alert-rules-${version}`, () => getClient().call('alerts.rules', {}));
  const meters = useMetersStore((s) => s.meters);
  const [checking, setChecking] = useState(false);
  const [checked, setChecked] = useState<string | null>(null);

  useEffect(() => {
    if (!meters) void useMetersStore.getState().fetchMeters();
  }, [meters]);

  // the filter lives in the address (so a link or a reload keeps it), without a history entry per key
  useEffect(() => {
    const to = hashOfFilter(filter);
    if (window.location.hash !== to) window.history.replaceState(null, '', to);
  }, [filter]);

  const { ask, resolve, dialog } = useAlertActions(() => {
    q.reload();
    void useAlertsStore.getState().fetchCounts();
  });

  const shown = useMemo(() => (q.data ?? []).filter((a) => matchesText(a, filter.meter)), [q.data, filter.meter]);
  const set = (patch: Partial<InboxFilter>) => setFilter((f) => ({ ...f, ...patch }));

  const checkNow = async () => {
    setChecking(true);
    setChecked(null);
    try {
      const r = await getClient().call('alerts.check', {});
      useAlertsStore.getState().setCheck(r);
      setChecked(checkText(r));
      q.reload();
      void useAlertsStore.getState().fetchCounts();
    } catch (e) {
      useAppStore.getState().toastError('Could not check the rules', e);
    } finally {
      setChecking(false);
    }
  };

  const subtitle =
    counts === null
      ? 'What the alert rules found: use above a limit, missing data, failed imports, health checks.'
      : `${plural(counts.open, 'open alert')}${counts.acknowledged ? `, ${counts.acknowledged} acknowledged` : ''}${
          counts.snoozed ? `, ${counts.snoozed} snoozed` : ''
        }.`;

  return (
    <Page
      title="Alerts"
      subtitle={subtitle}
      testId="alerts-page"
      actions={
        <>
          <a className="btn" href={href.alertRules} data-testid="alerts-rules-link">
            Rules{rules.data ? ` (${rules.data.length})` : ''}
          </a>
          {canAct && (
            <button
              type="button"
              className="btn btn-primary"
              onClick={checkNow}
              disabled={checking}
              data-testid="alerts-check"
            >
              {checking ? 'Checking…' : 'Check now'}
            </button>
          )}
        </>
      }
    >
      <WhyNot method="alerts.ack" />
      {checked && (
        <p className="callout callout-info alerts-checked" role="status" data-testid="alerts-check-result">
          {checked}.
        </p>
      )}
      <section className="card">
        <div className="card-header alerts-filters" role="search" aria-label="Filter alerts">
          <Segmented
            label="State"
            small
            options={STATUS_OPTIONS}
            value={filter.status}
            onChange={(status) => set({ status })}
            testId="alerts-status"
          />
          <label className="alerts-filter">
            <span className="sr-only">Severity</span>
            <select
              className="input"
              value={filter.severity}
              onChange={(e) => set({ severity: e.currentTarget.value as InboxFilter['severity'] })}
              data-testid="alerts-severity"
            >
              <option value="">Any severity</option>
              {(['critical', 'warning', 'info'] as const).map((s) => (
                <option key={s} value={s}>
                  {SEVERITY_LABEL[s]}
                </option>
              ))}
            </select>
          </label>
          <label className="alerts-filter">
            <span className="sr-only">Kind</span>
            <select
              className="input"
              value={filter.kind}
              onChange={(e) => set({ kind: e.currentTarget.value as InboxFilter['kind'] })}
              data-testid="alerts-kind"
            >
              <option value="">Any kind</option>
              {ALERT_KINDS.map((k) => (
                <option key={k} value={k}>
                  {KIND_LABELS[k]}
                </option>
              ))}
            </select>
          </label>
          <input
            type="search"
            className="search"
            placeholder="Meter (MPAN, MPRN or name)"
            aria-label="Meter"
            value={filter.meter}
            onChange={(e) => set({ meter: e.currentTarget.value })}
            data-testid="alerts-meter"
          />
          <label className="checkbox">
            <input
              type="checkbox"
              checked={filter.snoozed}
              onChange={(e) => set({ snoozed: e.currentTarget.checked })}
            />
            Show snoozed
          </label>
        </div>
        {q.load === 'error' && !q.data ? (
          <QueryProblem title="Could not load the alerts" q={q} />
        ) : !q.data ? (
          <Skeleton rows={5} label="Loading alerts" />
        ) : (
          <DataTable<Alert>
            rows={shown}
            rowKey={(a) => a.id}
            testId="alerts-table"
            exportName={exportName('alerts')}
            className="alerts-table"
            rowProps={(a) => ({ 'data-testid': 'alert-row', 'data-id': a.id, 'data-status': a.status })}
            empty={
              <EmptyState title={isNarrowed(filter) ? 'No alerts match' : 'All clear'}>
                <p data-testid="alerts-empty">
                  {isNarrowed(filter)
                    ? 'No alerts match these filters. Choose “All” or clear the filters to see more.'
                    : emptyInboxText(
                        watchedMeters(rules.data ?? [], meters ?? []),
                        rules.data?.length ?? 0,
                        lastCheck?.at ?? counts?.lastCheckAt ?? null,
                      )}
                </p>
              </EmptyState>
            }
            columns={[
              {
                header: 'Severity',
                cell: (a) => <SeverityBadge severity={a.severity} />,
                sortValue: (a) => ({ info: 0, warning: 1, critical: 2 })[a.severity],
                sortFirst: 'desc',
                csv: (a) => SEVERITY_LABEL[a.severity],
              },
              {
                header: 'What',
                className: 'alerts-what',
                cell: (a) => (
                  <>
                    <a href={href.alert(a.id)} className="strong">
                      {a.message}
                    </a>
                    <AlertButtons alert={a} canAct={canAct} ask={ask} resolve={resolve} small />
                  </>
                ),
                csv: [
                  { header: 'Kind', value: (a) => KIND_LABELS[a.kind] },
                  { header: 'What', value: (a) => a.message },
                ],
              },
              {
                header: 'Subject',
                className: 'alerts-subject',
                cell: (a) => <Subject label={a.subjectLabel} />,
                csv: (a) => a.subjectLabel,
              },
              {
                header: 'Period',
                className: 'alerts-period',
                cell: (a) => periodText(a),
                csv: [
                  { header: 'Period', value: (a) => a.period },
                  { header: 'Period (words)', value: (a) => periodText(a) },
                ],
              },
              {
                header: 'Value',
                className: 'alerts-value',
                cell: (a) => <Value alert={a} />,
                csv: [
                  { header: 'Value', value: (a) => a.value },
                  { header: 'Limit', value: (a) => a.threshold },
                  { header: 'Unit', value: (a) => a.unit },
                ],
              },
              {
                header: 'Fired',
                className: 'nowrap',
                cell: (a) => <Fired at={a.firedAt} />,
                sortValue: (a) => a.firedAt,
                sortFirst: 'desc',
                csv: timeColumns('Fired', (a) => a.firedAt),
              },
              { header: 'State', className: 'nowrap', cell: (a) => alertStateText(a), csv: (a) => alertStateText(a) },
            ]}
          />
        )}
      </section>
      {dialog}
    </Page>
  );
}

/** "2200012767323 · Bath school": the id on its own line (never broken), the name under it. */
function Subject({ label }: { label: string }) {
  const [id, ...rest] = label.split(' · ');
  return (
    <>
      <span className="nowrap">{id}</span>
      {rest.length > 0 && <div className="muted small">{rest.join(' · ')}</div>}
    </>
  );
}

/** The value, and the rule's limit under it. */
function Value({ alert }: { alert: Alert }) {
  if (alert.value === null && alert.threshold === null) return <>—</>;
  return (
    <>
      <span className="nowrap">{quantityText(alert.value, alert.unit)}</span>
      {alert.threshold !== null && (
        <div className="muted small nowrap">limit {quantityText(alert.threshold, alert.unit)}</div>
      )}
    </>
  );
}

/** When it fired: the day, and the time under it. */
function Fired({ at }: { at: string }) {
  const ms = Date.parse(at);
  return (
    <span title={formatUkDateTime(at, { zone: true })}>
      <span className="nowrap">{formatUkDate(ms)}</span>
      <div className="muted small">{formatUkTime(ms)}</div>
    </span>
  );
}
