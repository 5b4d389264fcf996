/**
 * Reports: make a report now — a meter's, a site's or the portfolio's month, or an annual summary —
 * preview it (the HTML in a sandboxed frame that runs no scripts) and download it as PDF or HTML;
 * and export data as CSV for Excel (readings, day and month totals, costs, emissions, alerts) over
 * chosen days, downloaded in a browser or saved where the person chooses in the desktop app. Both
 * panels open on the scope's latest month of data (scope-data.ts); an export with no readings is
 * refused in words before it runs, and a preview never outlives the choices it was made for.
 */
import { useState } from 'react';
import type { Args } from '../../../src-shared/contract/api';
import type { MeterSummary, SiteSummary } from '../../../src-shared/contract/types';
import { errorMessage } from '../../api/client';
import { getClient } from '../../api/instance';
import { DateField } from '../../components/DateField';
import { Field } from '../../components/Field';
import { Form } from '../../components/Form';
import { Page } from '../../components/Page';
import { QueryProblem } from '../../components/ProblemState';
import { Segmented } from '../../components/Segmented';
import { Spinner } from '../../components/States';
import { formatBytes, plural } from '../../lib/format';
import { useDocumentTitle } from '../../lib/hooks';
import { href } from '../../lib/route';
import { useQuery } from '../../lib/query';
import { useAppStore } from '../../stores/app';
import '../../styles/reports.css';
import {
  EXPORT_CHOICES,
  exportRequest,
  lastWholeMonth,
  prefillFrom,
  reportArgs,
  type ExportChoice,
  type ExportChoiceValue,
  type ReportChoice,
  type ScopeChoice,
} from './report-form';
import { saveExport, saveReport } from './save';
import { emptyExport, monthDays, rangeWords, scopeMonth, withDataWords } from './scope-data';

type Lists = { meters: MeterSummary[]; sites: SiteSummary[] };

export function ReportsPage() {
  useDocumentTitle('Reports');
  const lists = useQuery<Lists>('reports-lists', async () => {
    const [meters, sites] = await Promise.all([
      getClient().call('meters.list', {}),
      getClient().call('sites.list', {}),
    ]);
    return { meters, sites };
  });
  return (
    <Page
      title="Reports"
      subtitle="A monthly or annual report as PDF or HTML, and your data as CSV for Excel."
      testId="reports-page"
    >
      {lists.load === 'error' ? (
        <QueryProblem title="Could not load your meters and sites" q={lists} />
      ) : !lists.data ? (
        <Spinner label="Loading meters and sites…" />
      ) : (
        <div className="reports-grid">
          <ReportCard lists={lists.data} />
          <ExportCard lists={lists.data} />
        </div>
      )}
    </Page>
  );
}

/** The scope a page opens with: from its address, else the first meter. */
function initialScope(lists: Lists): ScopeChoice {
  const pre = prefillFrom(window.location.hash).scope;
  if (pre) return pre;
  return lists.meters[0]
    ? { kind: 'meter', meter: lists.meters[0].mpan, siteId: null }
    : { kind: 'portfolio', meter: '', siteId: null };
}

/** Meter / site / portfolio, with the meter or site picked from the lists. */
function ScopePicker({
  id,
  lists,
  value,
  onChange,
  error,
}: {
  id: string;
  lists: Lists;
  value: ScopeChoice;
  onChange: (s: ScopeChoice) => void;
  error: string | undefined;
}) {
  return (
    <div className="reports-scope">
      <Segmented
        label="What it covers"
        testId={`${id}-kind`}
        options={[
          { value: 'meter', label: 'A meter' },
          { value: 'site', label: 'A site' },
          { value: 'portfolio', label: 'Portfolio' },
        ]}
        value={value.kind}
        onChange={(kind) =>
          onChange({
            kind,
            meter: value.meter || (lists.meters[0]?.mpan ?? ''),
            siteId: value.siteId ?? lists.sites[0]?.id ?? null,
          })
        }
      />
      {value.kind === 'meter' && (
        <Field id={`${id}-meter`} label="Meter" error={error}>
          {(c) => (
            <select
              {...c}
              className="input"
              value={value.meter}
              onChange={(e) => onChange({ ...value, meter: e.target.value })}
            >
              {!value.meter && <option value="">Choose a meter</option>}
              {lists.meters.map((m) => (
                <option key={m.mpan} value={m.mpan}>
                  {m.label ? `${m.label} (${m.mpan})` : m.mpan}
                  {m.site ? ` · ${m.site}` : ''}
                </option>
              ))}
            </select>
          )}
        </Field>
      )}
      {value.kind === 'site' && lists.sites.length === 0 && (
        <p className={error ? 'field-error' : 'muted small'} role={error ? 'alert' : undefined}>
          No sites yet: add one on <a href={href.meters}>Sites &amp; meters</a>, or choose a meter.
        </p>
      )}
      {value.kind === 'site' && lists.sites.length > 0 && (
        <Field id={`${id}-site`} label="Site" error={error}>
          {(c) => (
            <select
              {...c}
              className="input"
              value={value.siteId ?? ''}
              onChange={(e) => onChange({ ...value, siteId: e.target.value ? Number(e.target.value) : null })}
            >
              {value.siteId === null && <option value="">Choose a site</option>}
              {lists.sites.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name} ({s.meters} {s.meters === 1 ? 'meter' : 'meters'})
                </option>
              ))}
            </select>
          )}
        </Field>
      )}
      {value.kind === 'portfolio' && <p className="muted small">Every meter ({lists.meters.length}).</p>}
    </div>
  );
}

type Action = 'preview' | 'pdf' | 'html';
const BUSY_WORDS: Record<Action, string> = {
  preview: 'Building the preview…',
  pdf: 'Building the PDF…',
  html: 'Building the HTML…',
};

/** The month a card opens on: the address's, else the latest complete month of the scope's readings. */
function initialMonth(lists: Lists, scope: ScopeChoice): string {
  return prefillFrom(window.location.hash).month ?? scopeMonth(lists, scope, lastWholeMonth());
}

/** A month picked by the person stays; otherwise a new scope moves the month to its latest month of data. */
function useScopeMonth(lists: Lists) {
  const [picked, setPicked] = useState(() => prefillFrom(window.location.hash).month !== undefined);
  return {
    picked,
    pick: () => setPicked(true),
    monthFor: (scope: ScopeChoice, current: string) => (picked ? current : scopeMonth(lists, scope, current)),
  };
}

function ReportCard({ lists }: { lists: Lists }) {
  const [c, setC] = useState<ReportChoice>(() => {
    const scope = initialScope(lists);
    const month = initialMonth(lists, scope);
    return { scope, period: 'month', month, year: month.slice(0, 4), format: 'pdf' };
  });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState<Action | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [preview, setPreview] = useState<{ key: string; title: string; html: string } | null>(null);
  const months = useScopeMonth(lists);
  // a preview shows only while the form still asks for it
  const set = (patch: Partial<ReportChoice>) => {
    setC((x) => ({ ...x, ...patch }));
    setPreview(null);
  };

  const run = async (action: Action) => {
    const r = reportArgs({ ...c, format: action === 'pdf' ? 'pdf' : 'html' });
    setErrors(r.ok ? {} : r.errors);
    if (!r.ok) return;
    setBusy(action);
    setProblem(null);
    if (action === 'preview') setPreview(null);
    try {
      const f = await getClient().call('reports.make', r.value as Args<'reports.make'>);
      if (action === 'preview') setPreview({ key: JSON.stringify(r.value), title: f.title, html: f.data });
      else {
        saveReport(f);
        useAppStore
          .getState()
          .toast({ kind: 'success', title: 'Report downloaded', message: `${f.fileName} (${formatBytes(f.bytes)})` });
      }
    } catch (e) {
      setPreview(null);
      setProblem(withDataWords(errorMessage(e), lists, c.scope));
    } finally {
      setBusy(null);
    }
  };

  return (
    <section className="card card-pad reports-card" aria-labelledby="report-title" data-testid="report-card">
      <h2 id="report-title">Make a report</h2>
      <p className="muted small">
        Consumption against last year and the budget, cost, emissions, baseload, alerts and data completeness, with
        charts.
      </p>
      <Form className="form form-compact" onSubmit={() => run('preview')} aria-busy={busy !== null}>
        <ScopePicker
          id="report-scope"
          lists={lists}
          value={c.scope}
          onChange={(scope) => {
            const month = months.monthFor(scope, c.month);
            set({ scope, month, year: month.slice(0, 4) });
          }}
          error={errors.scope}
        />
        <div className="form-row">
          <div className="field">
            <span className="field-label" id="report-period-label">
              Period
            </span>
            <Segmented
              labelledBy="report-period-label"
              testId="report-period"
              options={[
                { value: 'month', label: 'Monthly' },
                { value: 'year', label: 'Annual (SECR)' },
              ]}
              value={c.period}
              onChange={(period) => set({ period })}
            />
          </div>
          {c.period === 'month' ? (
            <Field id="report-month" label="Month" error={errors.month}>
              {(f) => (
                <input
                  {...f}
                  type="month"
                  className="input reports-month"
                  value={c.month}
                  onChange={(e) => {
                    months.pick();
                    set({ month: e.target.value });
                  }}
                />
              )}
            </Field>
          ) : (
            <Field id="report-year" label="Year" error={errors.year}>
              {(f) => (
                <input
                  {...f}
                  inputMode="numeric"
                  className="input input-narrow"
                  value={c.year}
                  onChange={(e) => {
                    months.pick();
                    set({ year: e.target.value });
                  }}
                />
              )}
            </Field>
          )}
        </div>
        <div className="form-actions">
          <button
            type="submit"
            className="btn btn-primary"
            disabled={busy !== null}
            data-testid="report-preview-button"
          >
            Preview
          </button>
          <button
            type="button"
            className="btn"
            disabled={busy !== null}
            onClick={() => void run('pdf')}
            data-testid="report-pdf"
          >
            Download PDF
          </button>
          <button
            type="button"
            className="btn"
            disabled={busy !== null}
            onClick={() => void run('html')}
            data-testid="report-html"
          >
            Download HTML
          </button>
          {busy && <Spinner inline label={BUSY_WORDS[busy]} />}
        </div>
      </Form>
      {problem && (
        <p className="callout callout-error" role="alert" data-testid="report-problem">
          {problem}
        </p>
      )}
      {preview && (
        <figure className="reports-preview" data-testid="report-preview">
          <figcaption className="muted small">Preview: {preview.title}</figcaption>
          <iframe title={`Preview: ${preview.title}`} sandbox="" srcDoc={preview.html} />
        </figure>
      )}
    </section>
  );
}

function ExportCard({ lists }: { lists: Lists }) {
  const [c, setC] = useState<ExportChoice>(() => {
    const scope = initialScope(lists);
    const { from, to } = monthDays(initialMonth(lists, scope));
    return { table: 'readings-long', scope, from, to };
  });
  const months = useScopeMonth(lists);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const desktop = typeof window !== 'undefined' && typeof window.energy?.saveExport === 'function';
  const set = (patch: Partial<ExportChoice>) => setC((x) => ({ ...x, ...patch }));
  /** Days typed by the person: they stay when the scope changes. */
  const pickDays = (patch: Pick<Partial<ExportChoice>, 'from' | 'to'>) => {
    months.pick();
    set(patch);
  };

  const run = async () => {
    const r = exportRequest(c);
    setErrors(r.ok ? {} : r.errors);
    if (!r.ok) return;
    const empty = emptyExport(lists, c);
    setProblem(empty);
    if (empty) return;
    setBusy(true);
    try {
      const saved = await saveExport(r.value);
      if (saved === null) return;
      if (saved.rows === 0) {
        setProblem(`The export holds no rows: nothing for ${rangeWords(lists, c)}`);
        if (saved.where === 'download') return;
      }
      useAppStore.getState().toast({
        kind: saved.rows === 0 ? 'info' : 'success',
        title: saved.where === 'file' ? 'Export saved' : 'Export downloaded',
        message: `${saved.where === 'file' ? saved.file : saved.name}: ${plural(saved.rows, 'row')} (${formatBytes(saved.bytes)})`,
      });
    } catch (e) {
      setProblem(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card card-pad reports-card" aria-labelledby="export-title" data-testid="export-card">
      <h2 id="export-title">Export data</h2>
      <p className="muted small">
        CSV for Excel: UTF-8, UK local dates beside UTC. Exported readings import back exactly.
      </p>
      <Form className="form form-compact" onSubmit={run} aria-busy={busy}>
        <Field id="export-table" label="Table">
          {(f) => (
            <select
              {...f}
              className="input"
              value={c.table}
              onChange={(e) => set({ table: e.target.value as ExportChoiceValue })}
            >
              {EXPORT_CHOICES.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </select>
          )}
        </Field>
        <ScopePicker
          id="export-scope"
          lists={lists}
          value={c.scope}
          onChange={(scope) =>
            set({ scope, ...(months.picked ? {} : monthDays(scopeMonth(lists, scope, c.from.slice(0, 7)))) })
          }
          error={errors.scope}
        />
        <div className="form-row reports-days">
          <Field id="export-from" label="From" error={errors.from}>
            {(f) => <DateField {...f} value={c.from} onChange={(from) => pickDays({ from })} testId="export-from" />}
          </Field>
          <Field id="export-to" label="To (included)" error={errors.to}>
            {(f) => <DateField {...f} value={c.to} onChange={(to) => pickDays({ to })} testId="export-to" />}
          </Field>
        </div>
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={busy} data-testid="export-download">
            {desktop ? 'Export CSV…' : 'Export CSV'}
          </button>
          {busy && <Spinner inline label="Exporting…" />}
        </div>
      </Form>
      {problem && (
        <p className="callout callout-error" role="alert" data-testid="export-problem">
          {problem}
        </p>
      )}
    </section>
  );
}
