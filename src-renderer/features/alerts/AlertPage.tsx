/**
 * One alert (#/alerts/<id>): what fired and why, its value against the rule's limit, who acknowledged
 * or resolved it and when (with the note), its snooze, and the log of its messages on each channel.
 */
import type { ReactNode } from 'react';
import type { AlertDelivery, AlertDetail, AlertRule } from '../../../src-shared/contract/types';
import { getClient } from '../../api/instance';
import { DataTable } from '../../components/DataTable';
import { exportName, timeColumns } from '../../components/table-export';
import { Breadcrumb, PageHeader } from '../../components/Page';
import { QueryProblem } from '../../components/ProblemState';
import { EmptyState, Skeleton } from '../../components/States';
import { formatUkDate, formatUkDateTime } from '../../lib/format';
import { useDocumentTitle } from '../../lib/hooks';
import { useQuery } from '../../lib/query';
import { href } from '../../lib/route';
import { useAlertsStore } from '../../stores/alerts';
import '../../styles/alerts.css';
import { AlertButtons, SeverityBadge, useAlertActions } from './AlertActions';
import { useCanManage } from './AlertsPage';
import { KIND_LABELS } from '../../../src-shared/domain/alert-rules';
import { CHANNEL_LABEL, DELIVERY_LABEL, alertStateText, periodText, snoozeDay, valueText } from './words';

const DELIVERY_TONE: Record<AlertDelivery['status'], string> = {
  queued: 'grey',
  sent: 'green',
  retrying: 'amber',
  failed: 'red',
  held: 'blue',
};

export function AlertPage({ id }: { id: number }) {
  const version = useAlertsStore((s) => s.alertsVersion);
  const q = useQuery(`alert-${id}-${version}`, () => getClient().call('alerts.get', { id }));
  // the rule's own name, where it has one ("Head office daily use" rather than "big-day")
  const rules = useQuery(`alert-rules-${version}`, () => getClient().call('alerts.rules', {}));
  const canAct = useCanManage();
  const { ask, resolve, dialog } = useAlertActions(() => {
    q.reload();
    void useAlertsStore.getState().fetchCounts();
  });
  const a = q.data;
  useDocumentTitle(a ? `Alert: ${a.message}` : 'Alert');

  const crumbs = <Breadcrumb steps={[<a href={href.alerts}>Alerts</a>, <span>Alert {id}</span>]} />;
  if (!a)
    return (
      <div className="page">
        {crumbs}
        <section className="card">
          {q.load === 'error' ? (
            <QueryProblem
              title="Could not load the alert"
              q={q}
              action={
                <a className="btn" href={href.alerts}>
                  Back to the alerts
                </a>
              }
            />
          ) : (
            <Skeleton rows={6} label="Loading the alert" />
          )}
        </section>
      </div>
    );

  return (
    <div className="page" data-testid="alert-page" data-status={a.status}>
      {crumbs}
      <PageHeader
        title={a.message}
        subtitle={`${a.subjectLabel} · ${periodText(a)}`}
        actions={<AlertButtons alert={a} canAct={canAct} ask={ask} resolve={resolve} />}
      />
      <section className="card card-pad" aria-label="The alert">
        <dl className="alert-facts">
          <Fact term="Severity">
            <SeverityBadge severity={a.severity} />
          </Fact>
          <Fact term="State">
            <span data-testid="alert-state">{alertStateText(a)}</span>
          </Fact>
          <Fact term="Rule">
            <a href={href.alertRules}>{ruleName(rules.data, a.rule)}</a> · {KIND_LABELS[a.kind]}
          </Fact>
          <Fact term="About">{a.subjectLabel}</Fact>
          <Fact term="Period">{periodText(a)}</Fact>
          {valueText(a) && <Fact term="Value">{valueText(a)}</Fact>}
          <Fact term="Fired">{formatUkDateTime(a.firedAt)}</Fact>
          <Fact term="Acknowledged">
            <span data-testid="alert-acknowledged">
              {a.acknowledgedAt
                ? `${formatUkDateTime(a.acknowledgedAt)}${a.acknowledgedBy ? ` by ${a.acknowledgedBy}` : ''}`
                : 'Not yet'}
            </span>
          </Fact>
          {a.note && (
            <Fact term="Note">
              <span className="alert-note" data-testid="alert-note">
                {a.note}
              </span>
            </Fact>
          )}
          <Fact term="Resolved">
            {a.resolvedAt
              ? `${formatUkDateTime(a.resolvedAt)} ${
                  a.resolvedBy ? `by ${a.resolvedBy}` : '(automatically: the condition cleared)'
                }`
              : 'Not yet'}
          </Fact>
          {a.snoozedUntil && a.status !== 'resolved' && (
            <Fact term="Snoozed until">{formatUkDate(`${snoozeDay(a.snoozedUntil)}T12:00:00Z`)}</Fact>
          )}
          <Fact term="Channels">
            {a.channels.map((c) => CHANNEL_LABEL[c]).join(', ') || 'Nowhere (the inbox only)'}
          </Fact>
        </dl>
      </section>
      <Deliveries alert={a} />
      {dialog}
    </div>
  );
}

function Fact({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div className="alert-fact">
      <dt className="muted small">{term}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function Deliveries({ alert }: { alert: AlertDetail }) {
  return (
    <section className="card" aria-labelledby="deliveries-title">
      <div className="card-header">
        <h2 id="deliveries-title">Messages sent</h2>
        <span className="muted small">Each channel’s attempts, newest first</span>
      </div>
      <DataTable<AlertDelivery>
        rows={alert.deliveries}
        rowKey={(d) => d.id}
        testId="alert-deliveries"
        exportName={exportName(`alert-${alert.id}`, 'messages')}
        rowProps={(d) => ({ 'data-testid': 'delivery-row', 'data-status': d.status })}
        empty={
          <EmptyState title="No messages">
            {alert.channels.length === 0
              ? 'Its rule sends no messages: the alert shows here and in the badge only.'
              : 'Nothing has been sent for this alert yet.'}
          </EmptyState>
        }
        columns={[
          { header: 'Channel', cell: (d) => CHANNEL_LABEL[d.channel], csv: (d) => CHANNEL_LABEL[d.channel] },
          {
            header: 'Status',
            cell: (d) => (
              <span className={`badge badge-tone-${DELIVERY_TONE[d.status]}`}>{DELIVERY_LABEL[d.status]}</span>
            ),
            csv: (d) => DELIVERY_LABEL[d.status],
          },
          { header: 'Attempts', num: true, cell: (d) => d.attempts, csv: (d) => d.attempts },
          {
            header: 'Sent',
            className: 'nowrap',
            cell: (d) =>
              d.sentAt ? formatUkDateTime(d.sentAt) : d.nextAt ? `Next try ${formatUkDateTime(d.nextAt)}` : '—',
            csv: [
              ...timeColumns<AlertDelivery>('Sent', (d) => d.sentAt),
              ...timeColumns<AlertDelivery>('Next try', (d) => (d.sentAt ? null : d.nextAt)),
            ],
          },
          { header: 'Error', className: 'alerts-error', cell: (d) => d.error ?? '', csv: (d) => d.error },
        ]}
      />
    </section>
  );
}

/** A rule's name when it has one, else its id (a rule since removed keeps its id). */
function ruleName(rules: readonly AlertRule[] | null, id: string): string {
  const r = rules?.find((x) => x.id === id);
  return r?.name ? `${r.name} (${id})` : id;
}
