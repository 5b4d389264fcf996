/**
 * A site's monthly budgets on its page: the twelve months of a year, each with its kWh and £ budget,
 * which the monthly reports compare consumption and cost with. Managers and admins edit the figures
 * and save the months that changed in one go (all or nothing); viewers see them.
 */
import { useEffect, useState } from 'react';
import { ROLE_RANK } from '../../../src-shared/contract/types';
import { getClient } from '../../api/instance';
import { Form, useFormSubmit } from '../../components/Form';
import { QueryProblem } from '../../components/ProblemState';
import { Skeleton } from '../../components/States';
import { plural } from '../../lib/format';
import { formatPounds } from '../../lib/money';
import { useQuery } from '../../lib/query';
import { useAppStore } from '../../stores/app';
import { budgetChanges, budgetRows, budgetTotals, monthLabel, type BudgetRow } from './budget-editor';
import '../../styles/budgets.css';

const thisYear = (): number =>
  Number(new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', year: 'numeric' }).format(new Date()));

export function BudgetCard({ siteId }: { siteId: number }) {
  const role = useAppStore((s) => s.info?.role);
  const canEdit = role === undefined || ROLE_RANK[role] >= ROLE_RANK.manager;
  const [year, setYear] = useState(thisYear);
  const [version, setVersion] = useState(0);
  const q = useQuery(`budgets:${siteId}:${year}:${version}`, () => getClient().call('budgets.list', { siteId, year }));
  const [rows, setRows] = useState<BudgetRow[]>(() => budgetRows(year, []));
  const { busy, errors, setErrors, submit } = useFormSubmit('Could not save the budgets');
  useEffect(() => {
    if (q.data) setRows(budgetRows(year, q.data));
    setErrors({});
  }, [q.data, year, setErrors]);

  const edit = (i: number, field: 'kwh' | 'gbp', value: string) =>
    setRows((rs) => rs.map((r, k) => (k === i ? { ...r, [field]: value } : r)));
  const save = () => {
    const c = budgetChanges(rows, q.data ?? []);
    return submit(c.ok ? {} : c.errors, async () => {
      if (!c.ok) return;
      if (c.months.length === 0) {
        useAppStore.getState().toast({ kind: 'info', title: 'Nothing to save: no budget changed' });
        return;
      }
      await getClient().call('budgets.set', { siteId, months: c.months });
      useAppStore.getState().toast({
        kind: 'success',
        title: `Saved the budgets of ${plural(c.months.length, 'month')} in ${year}`,
      });
      setVersion((v) => v + 1);
    });
  };
  const totals = budgetTotals(rows);
  const problems = Object.values(errors);

  return (
    <section className="card card-pad budget-card" aria-labelledby="site-budgets-title" data-testid="site-budgets">
      <div className="budget-head">
        <h2 id="site-budgets-title">Budgets</h2>
        <div className="budget-year" role="group" aria-label="Year">
          <button
            type="button"
            className="btn btn-quiet btn-small"
            aria-label={`${year - 1}`}
            onClick={() => setYear(year - 1)}
          >
            ‹
          </button>
          <span className="budget-year-label" aria-live="polite">
            {year}
          </span>
          <button
            type="button"
            className="btn btn-quiet btn-small"
            aria-label={`${year + 1}`}
            onClick={() => setYear(year + 1)}
          >
            ›
          </button>
        </div>
      </div>
      <p className="muted small">
        Each month's kWh and £ (including VAT) budget. The site's monthly report compares consumption and cost with
        them. Leave a month empty for no budget.
      </p>
      {q.load === 'error' ? (
        <QueryProblem title="Could not load the budgets" q={q} />
      ) : q.data === null ? (
        <Skeleton rows={6} label="Loading the budgets…" />
      ) : (
        <Form onSubmit={save} data-testid="budget-form">
          <table className="table table-compact budget-table">
            <thead>
              <tr>
                <th scope="col">Month</th>
                <th scope="col" className="num">
                  kWh
                </th>
                <th scope="col" className="num">
                  £
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r, i) => (
                <tr key={r.month} data-testid="budget-row" data-month={r.month}>
                  <th scope="row">{monthLabel(r.month)}</th>
                  {(['kwh', 'gbp'] as const).map((f) => (
                    <td key={f} className="num">
                      {canEdit ? (
                        <input
                          className="input budget-input"
                          inputMode="decimal"
                          aria-label={`${monthLabel(r.month)} ${f === 'kwh' ? 'kWh' : '£'} budget`}
                          aria-invalid={errors[`${r.month}:${f}`] ? true : undefined}
                          value={r[f]}
                          onChange={(e) => edit(i, f, e.currentTarget.value)}
                        />
                      ) : (
                        r[f] || <span className="muted">—</span>
                      )}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row">{year}</th>
                <td className="num">{totals.kwh.toLocaleString('en-GB', { maximumFractionDigits: 1 })} kWh</td>
                <td className="num">{formatPounds(totals.pence)}</td>
              </tr>
            </tfoot>
          </table>
          {problems.length > 0 && (
            <ul className="field-error budget-errors" role="alert">
              {problems.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          )}
          {canEdit && (
            <div className="budget-actions">
              <button type="submit" className="btn" disabled={busy}>
                {busy ? 'Saving…' : 'Save budgets'}
              </button>
            </div>
          )}
        </Form>
      )}
    </section>
  );
}
