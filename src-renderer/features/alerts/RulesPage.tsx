/**
 * Alert rules (#/alerts/rules): the list in words ("Daily use above 500 kWh" for "Meter … · Main
 * school"), each switched on or off, changed or deleted; the editor for a new or changed rule;
 * importing a rule file (previewed first, refused whole with each problem named) and exporting one.
 */
import { useEffect, useRef, useState } from 'react';
import { WhyNot } from '../../components/Can';
import type { AlertRule, AlertRuleProblem } from '../../../src-shared/contract/types';
import { getClient } from '../../api/instance';
import { errorMessage } from '../../api/client';
import { DataTable } from '../../components/DataTable';
import { exportName } from '../../components/table-export';
import { Breadcrumb, PageHeader } from '../../components/Page';
import { QueryProblem } from '../../components/ProblemState';
import { EmptyState, Skeleton, Spinner } from '../../components/States';
import { downloadText } from '../../lib/download';
import { useDocumentTitle } from '../../lib/hooks';
import { useQuery } from '../../lib/query';
import { href } from '../../lib/route';
import { useAppStore } from '../../stores/app';
import { useMetersStore } from '../../stores/meters';
import '../../styles/alerts.css';
import { SeverityBadge } from './AlertActions';
import { useCanManage } from './AlertsPage';
import { RuleEditor } from './RuleEditor';
import { ruleProblems } from './rule-form';
import { problemText, ruleSummary } from '../../../src-shared/domain/alert-rules';
import { CHANNEL_LABEL, SEVERITY_LABEL, importText, scopeText } from './words';

type Editing = { rule: AlertRule | null } | null;

type Importing =
  | { step: 'idle' }
  | { step: 'checking' | 'importing'; file: string }
  | { step: 'preview'; file: string; text: string; summary: string; replace: boolean; removable: number }
  | { step: 'done'; file: string; summary: string }
  | { step: 'refused'; file: string; problems: AlertRuleProblem[] }
  | { step: 'failed'; file: string; message: string };

export function RulesPage() {
  useDocumentTitle('Alert rules');
  const q = useQuery('alert-rules', () => getClient().call('alerts.rules', {}));
  const sites = useQuery('alert-rules-sites', () => getClient().call('sites.list', {}));
  const meters = useMetersStore((s) => s.meters);
  const canManage = useCanManage();
  const [editing, setEditing] = useState<Editing>(null);
  const [deleting, setDeleting] = useState<AlertRule | null>(null);
  const [imp, setImp] = useState<Importing>({ step: 'idle' });
  const fileInput = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (!meters) void useMetersStore.getState().fetchMeters();
  }, [meters]);

  const toggle = async (r: AlertRule) => {
    try {
      await getClient().call('alerts.saveRule', { rule: { ...r, enabled: !r.enabled } });
      q.reload();
    } catch (e) {
      useAppStore.getState().toastError(`Could not switch the rule ${r.enabled ? 'off' : 'on'}`, e);
    }
  };

  const remove = async (r: AlertRule) => {
    try {
      await getClient().call('alerts.deleteRule', { id: r.id });
      useAppStore.getState().toast({ kind: 'success', title: `Rule “${r.name || r.id}” deleted` });
      setDeleting(null);
      q.reload();
    } catch (e) {
      useAppStore.getState().toastError('Could not delete the rule', e);
    }
  };

  /** A file chosen: checked first (a dry run), so the preview says what it would change. */
  const checkFile = async (file: File) => {
    setImp({ step: 'checking', file: file.name });
    let text = '';
    try {
      text = await file.text();
      const r = await getClient().call('alerts.importRules', { text, dryRun: true });
      const all = await getClient().call('alerts.importRules', { text, dryRun: true, replace: true });
      setImp({
        step: 'preview',
        file: file.name,
        text,
        summary: importText(r, true),
        replace: false,
        removable: all.removed,
      });
    } catch (e) {
      const problems = ruleProblems(e);
      setImp(
        problems
          ? { step: 'refused', file: file.name, problems }
          : { step: 'failed', file: file.name, message: errorMessage(e) },
      );
    }
  };

  const importNow = async (text: string, file: string, replace: boolean) => {
    setImp({ step: 'importing', file });
    try {
      const r = await getClient().call('alerts.importRules', { text, replace });
      setImp({ step: 'done', file, summary: importText(r, false) });
      q.reload();
    } catch (e) {
      const problems = ruleProblems(e);
      setImp(problems ? { step: 'refused', file, problems } : { step: 'failed', file, message: errorMessage(e) });
    }
  };

  const exportRules = async () => {
    try {
      const file = await getClient().call('alerts.exportRules', {});
      downloadText('alert-rules.json', `${JSON.stringify(file, null, 2)}\n`, 'application/json');
    } catch (e) {
      useAppStore.getState().toastError('Could not export the rules', e);
    }
  };

  return (
    <div className="page" data-testid="rules-page">
      <Breadcrumb steps={[<a href={href.alerts}>Alerts</a>, <span>Rules</span>]} />
      <PageHeader
        title="Alert rules"
        subtitle="What to watch for, on which meters, how serious it is and where to send word. Rules run after each import and roll-up."
        actions={
          <>
            <button
              type="button"
              className="btn"
              onClick={exportRules}
              disabled={!q.data?.length}
              data-testid="rules-export"
            >
              Export
            </button>
            {canManage && (
              <>
                <button
                  type="button"
                  className="btn"
                  onClick={() => {
                    if (!fileInput.current) return;
                    fileInput.current.value = '';
                    fileInput.current.click();
                  }}
                  data-testid="rules-import"
                >
                  Import rule file…
                </button>
                <button
                  type="button"
                  className="btn btn-primary"
                  onClick={() => setEditing({ rule: null })}
                  data-testid="rule-new"
                >
                  New rule
                </button>
              </>
            )}
          </>
        }
      />
      <WhyNot method="alerts.saveRule" />
      <input
        ref={fileInput}
        type="file"
        accept=".json,application/json"
        hidden
        aria-label="Import a rule file"
        data-testid="rules-file-input"
        onChange={(e) => {
          const f = e.currentTarget.files?.[0];
          if (f) void checkFile(f);
        }}
      />
      <ImportOutcome state={imp} onChange={setImp} onImport={(p) => void importNow(p.text, p.file, p.replace)} />
      {editing && (
        <RuleEditor
          key={editing.rule?.id ?? 'new'}
          rule={editing.rule}
          meters={meters ?? []}
          sites={sites.data ?? []}
          onCancel={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            q.reload();
          }}
        />
      )}
      <section className="card">
        {q.load === 'error' && !q.data ? (
          <QueryProblem title="Could not load the rules" q={q} />
        ) : !q.data ? (
          <Skeleton rows={4} label="Loading the rules" />
        ) : (
          <DataTable<AlertRule>
            rows={q.data}
            rowKey={(r) => r.id}
            testId="rules-table"
            className="rules-table"
            exportName={exportName('alert-rules')}
            rowProps={(r) => ({ 'data-testid': 'rule-row', 'data-id': r.id, 'data-enabled': r.enabled })}
            empty={
              <EmptyState title="No rules yet">
                Add a rule to be told when a meter uses more than it should, stops sending readings, or an import fails
                — or import a rule file (format: <code>docs/alerts.md</code>).
              </EmptyState>
            }
            columns={[
              {
                header: 'Rule',
                rowHeader: true,
                cell: (r) => (
                  <>
                    <span className="strong">{ruleSummary(r)}</span>
                    <div className="muted small">
                      {r.name ? `${r.name} · ` : ''}
                      <span className="mono">{r.id}</span>
                    </div>
                  </>
                ),
                sortValue: (r) => r.name || r.id,
                csv: [
                  { header: 'Rule', value: (r) => ruleSummary(r) },
                  { header: 'Name', value: (r) => r.name },
                  { header: 'Rule id', value: (r) => r.id },
                ],
              },
              {
                header: 'Applies to',
                cell: (r) => scopeText(r, meters, sites.data),
                csv: (r) => scopeText(r, meters, sites.data),
              },
              {
                header: 'Severity',
                cell: (r) => <SeverityBadge severity={r.severity} />,
                csv: (r) => SEVERITY_LABEL[r.severity],
              },
              {
                header: 'Send to',
                cell: (r) => r.channels.map((c) => CHANNEL_LABEL[c]).join(', ') || 'Inbox only',
                csv: (r) => r.channels.map((c) => CHANNEL_LABEL[c]).join(', ') || 'Inbox only',
              },
              {
                header: 'On',
                cell: (r) => (
                  <label className="checkbox">
                    <input
                      type="checkbox"
                      checked={r.enabled}
                      disabled={!canManage}
                      onChange={() => void toggle(r)}
                      aria-label={`Rule ${r.name || r.id} is on`}
                      data-testid="rule-enabled"
                    />
                    <span aria-hidden="true">{r.enabled ? 'On' : 'Off'}</span>
                  </label>
                ),
                csv: (r) => (r.enabled ? 'On' : 'Off'),
              },
              {
                header: <span className="sr-only">Actions</span>,
                cell: (r) =>
                  canManage &&
                  (deleting?.id === r.id ? (
                    <span className="alert-buttons" role="group" aria-label="Confirm deleting">
                      <span className="small">Delete this rule?</span>
                      <button
                        type="button"
                        className="btn btn-small btn-danger"
                        onClick={() => void remove(r)}
                        data-testid="rule-delete-confirm"
                      >
                        Delete
                      </button>
                      <button type="button" className="btn btn-small btn-quiet" onClick={() => setDeleting(null)}>
                        Keep
                      </button>
                    </span>
                  ) : (
                    <span className="alert-buttons">
                      <button
                        type="button"
                        className="btn btn-small"
                        onClick={() => setEditing({ rule: r })}
                        data-testid="rule-edit"
                      >
                        Edit
                      </button>
                      <button
                        type="button"
                        className="btn btn-small btn-quiet"
                        onClick={() => setDeleting(r)}
                        data-testid="rule-delete"
                      >
                        Delete
                      </button>
                    </span>
                  )),
              },
            ]}
          />
        )}
      </section>
    </div>
  );
}

/** A rule file's import: checking, its preview (with "also remove the others"), done, or refused with each problem. */
function ImportOutcome({
  state,
  onChange,
  onImport,
}: {
  state: Importing;
  onChange: (s: Importing) => void;
  onImport: (p: { text: string; file: string; replace: boolean }) => void;
}) {
  const close = (
    <button type="button" className="btn btn-quiet btn-small" onClick={() => onChange({ step: 'idle' })}>
      Close
    </button>
  );
  switch (state.step) {
    case 'idle':
      return null;
    case 'checking':
    case 'importing':
      return (
        <div className="callout callout-info rules-import" role="status">
          <Spinner inline label={`${state.step === 'checking' ? 'Checking' : 'Importing'} ${state.file}…`} />
        </div>
      );
    case 'preview':
      return (
        <div className="callout callout-info rules-import" role="status" data-testid="rules-import-preview">
          <div>
            <strong>{state.file}:</strong> <span data-testid="rules-import-summary">{state.summary}</span>
            {state.replace && state.removable > 0 ? `, and ${state.removable} not in the file to remove` : ''}.
          </div>
          {state.removable > 0 && (
            <label className="checkbox">
              <input
                type="checkbox"
                checked={state.replace}
                onChange={(e) => onChange({ ...state, replace: e.currentTarget.checked })}
              />
              Also remove the {state.removable === 1 ? 'rule' : `${state.removable} rules`} the file does not name
            </label>
          )}
          <div className="row-actions">
            <button
              type="button"
              className="btn btn-primary btn-small"
              onClick={() => onImport(state)}
              data-testid="rules-import-confirm"
            >
              Import
            </button>
            <button type="button" className="btn btn-quiet btn-small" onClick={() => onChange({ step: 'idle' })}>
              Cancel
            </button>
          </div>
        </div>
      );
    case 'done':
      return (
        <div className="callout callout-ok rules-import" role="status" data-testid="rules-import-result">
          <strong>Imported {state.file}:</strong> {state.summary}. {close}
        </div>
      );
    case 'refused':
      return (
        <div className="callout callout-error rules-import" role="alert" data-testid="rules-import-error">
          <div>
            <strong>{state.file} was not imported</strong>: nothing was changed. Fix{' '}
            {state.problems.length === 1 ? 'this problem' : `these ${state.problems.length} problems`} and import it
            again.
          </div>
          <ul className="problem-list">
            {state.problems.map((p, i) => (
              <li key={i} data-testid="rules-import-problem">
                {problemText(p)}
              </li>
            ))}
          </ul>
          {close}
        </div>
      );
    case 'failed':
      return (
        <div className="callout callout-error rules-import" role="alert" data-testid="rules-import-error">
          <strong>{state.file} was not imported</strong>: {state.message} Nothing was changed. {close}
        </div>
      );
  }
}
