/**
 * A site's monthly budgets on its page: the twelve months of a year, each with its kWh and £ budget
 * beside the month's actual kWh (every fuel added) and £ (priced as the Costs page prices, for
 * managers and admins) and the variance, as the monthly reports compare them. It opens on the latest
 * year with budgets, else the latest with readings. Managers and admins edit the figures and save the
 * months that changed in one go (all or nothing); viewers see them.
 */
import { useEffect, useState } from 'react';
import type { MeterSummary } from '../../../src-shared/contract/types';
import { ROLE_RANK } from '../../../src-shared/contract/types';
import { getClient } from '../../api/instance';
import { Form, useFormSubmit } from '../../components/Form';
import { QueryProblem } from '../../components/ProblemState';
import { Skeleton } from '../../components/States';
import { formatChangePercent, plural } from '../../lib/format';
import { formatPounds } from '../../lib/money';
import { useQuery } from '../../lib/query';
import { useAppStore } from '../../stores/app';
import { meterMonths, monthActuals, monthRange, openingYear, variance, type MonthActual } from './budget-actuals';
import { budgetChanges, budgetRows, budgetTotals, monthLabel, type BudgetRow } from './budget-editor';
import '../../styles/budgets.css';

const thisYear = (): number =>
  Number(new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', year: 'numeric' }).format(new Date()));

const kwhFmt = (v: number): string => v.toLocaleString('en-GB', { maximumFractionDigits: 0 });

/** The year's actuals: kWh from the site's monthly totals, £ from each meter-month's cost (managers). */
async function loadActuals(siteId: number, year: number, meters: MeterSummary[], price: boolean) {
  const api = getClient();
  const totals = await api.call('totals.site', {
    siteId,
    period: 'month',
    from: `${year}-01-01`,
    to: `${year + 1}-01-01`,
  });
  if (!price) return monthActuals(totals, null);
  const costs: { month: string; pence: number | null }[] = [];
  // a month at a time: a site's meters priced together, the host not flooded
  const todo = meterMonths(year, meters);
  for (let m = 1; m <= 12; m++) {
    const month = `${year}-${String(m).padStart(2, '0')}`;
    const those = todo.filter((x) => x.month === month);
    const priced = await Promise.all(
      those.map((x) =>
        api.call('cost.meter', { meter: x.meter, ...monthRange(month) }).then(
          (c) => c.totalPence,
          () => null,
        ),
      ),
    );
    for (const pence of priced) costs.push({ month, pence });
  }
  return monthActuals(totals, costs);
}

/** Actual against budget in a cell: the difference and its percentage, over budget marked. */
function Variance({ actual, budget, unit }: { actual: number | null; budget: number | null; unit: 'kwh' | 'gbp' }) {
  const v = variance(actual, budget);
  if (!v) return <span className="muted">—</span>;
  const sign = v.diff > 0 ? '+' : v.diff < 0 ? '−' : '';
  const abs = unit === 'kwh' ? kwhFmt(Math.abs(v.diff)) : formatPounds(Math.abs(v.diff));
  return (
    <span className={v.diff > 0 ? 'budget-over' : 'budget-under'}>
      {sign}
      {abs}
      {v.share !== null && <span className="budget-share"> {formatChangePercent(v.share * 100)}</span>}
    </span>
  );
}

export function BudgetCard({ siteId }: { siteId: number }) {
  const role = useAppStore((s) => s.info?.role);
  const canEdit = role === undefined || ROLE_RANK[role] >= ROLE_RANK.manager;
  const opening = useQuery(`budget-opening:${siteId}`, async () => {
    const [all, site] = await Promise.all([
      getClient().call('budgets.list', { siteId }),
      getClient().call('sites.get', { id: siteId }),
    ]);
    return { year: openingYear(all, site.meters, thisYear()), meters: site.meters };
  });
  const [picked, setPicked] = useState<number | null>(null);
  const year = picked ?? opening.data?.year ?? thisYear();
  const setYear = (y: number) => setPicked(y);
  const [version, setVersion] = useState(0);
  const q = useQuery(opening.data ? `budgets:${siteId}:${year}:${version}` : null, () =>
    getClient().call('budgets.list', { siteId, year }),
  );
  const meters = opening.data?.meters ?? null;
  const actuals = useQuery(meters ? `budget-actuals:${siteId}:${year}:${canEdit}` : null, () =>
    loadActuals(siteId, year, meters ?? [], canEdit),
  );
  const actual = (month: string): MonthActual | undefined => actuals.data?.get(month);
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
  // the year's actuals, and the budgets of the months that have them (variance over those months only)
  let actualKwh: number | null = null;
  let actualPence: number | null = null;
  let matchedKwh: number | null = null;
  let matchedPence: number | null = null;
  for (const r of rows) {
    const a = actual(r.month);
    const b = budgetTotals([r]);
    if (a?.kwh != null) {
      actualKwh = (actualKwh ?? 0) + a.kwh;
      if (r.kwh.trim()) matchedKwh = (matchedKwh ?? 0) + b.kwh;
    }
    if (a?.pence != null) {
      actualPence = (actualPence ?? 0) + a.pence;
      if (r.gbp.trim()) matchedPence = (matchedPence ?? 0) + b.pence;
    }
  }
  const unpriced = rows.reduce((n, r) => n + (actual(r.month)?.unpriced ?? 0), 0);

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
        Each month's kWh and £ (including VAT) budget beside what the site used and cost. The site's monthly report
        compares them too. Leave a month empty for no budget.
      </p>
      {opening.load === 'error' ? (
        <QueryProblem title="Could not load the budgets" q={opening} />
      ) : q.load === 'error' ? (
        <QueryProblem title="Could not load the budgets" q={q} />
      ) : q.data === null ? (
        <Skeleton rows={6} label="Loading the budgets…" />
      ) : (
        <Form onSubmit={save} data-testid="budget-form">
          <div className="budget-scroll">
            <table className="table table-compact budget-table">
              <thead>
                <tr>
                  <th scope="col" rowSpan={2}>
                    Month
                  </th>
                  <th scope="colgroup" colSpan={3} className="budget-group">
                    kWh (every fuel)
                  </th>
                  <th scope="colgroup" colSpan={3} className="budget-group">
                    £ including VAT
                  </th>
                </tr>
                <tr>
                  {(['kwh', 'gbp'] as const).flatMap((u) =>
                    ['Budget', 'Actual', 'vs budget'].map((h, k) => (
                      <th
                        key={`${u}${h}`}
                        scope="col"
                        className={u === 'gbp' && k === 0 ? 'num budget-group-start' : 'num'}
                      >
                        {h}
                      </th>
                    )),
                  )}
                </tr>
              </thead>
              <tbody>
                {rows.map((r, i) => {
                  const a = actual(r.month);
                  const b = budgetTotals([r]);
                  const cell = (f: 'kwh' | 'gbp') =>
                    canEdit ? (
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
                    );
                  return (
                    <tr key={r.month} data-testid="budget-row" data-month={r.month}>
                      <th scope="row">{monthLabel(r.month)}</th>
                      <td className="num">{cell('kwh')}</td>
                      <td className="num" data-testid="budget-actual-kwh">
                        {a?.kwh != null ? kwhFmt(a.kwh) : <span className="muted">—</span>}
                      </td>
                      <td className="num">
                        <Variance actual={a?.kwh ?? null} budget={r.kwh.trim() ? b.kwh : null} unit="kwh" />
                      </td>
                      <td className="num budget-group-start">{cell('gbp')}</td>
                      <td
                        className="num"
                        data-testid="budget-actual-gbp"
                        title={a?.unpriced ? `${plural(a.unpriced, 'meter')} without a tariff left out` : undefined}
                      >
                        {a?.pence != null ? formatPounds(a.pence) : <span className="muted">—</span>}
                        {a?.unpriced ? <span className="budget-flag">*</span> : null}
                      </td>
                      <td className="num">
                        <Variance actual={a?.pence ?? null} budget={r.gbp.trim() ? b.pence : null} unit="gbp" />
                      </td>
                    </tr>
                  );
                })}
              </tbody>
              <tfoot>
                <tr>
                  <th scope="row">{year}</th>
                  <td className="num">{kwhFmt(totals.kwh)} kWh</td>
                  <td className="num">{actualKwh !== null ? `${kwhFmt(actualKwh)} kWh` : '—'}</td>
                  <td className="num">
                    <Variance actual={actualKwh} budget={matchedKwh} unit="kwh" />
                  </td>
                  <td className="num budget-group-start">{formatPounds(totals.pence)}</td>
                  <td className="num">{actualPence !== null ? formatPounds(actualPence) : '—'}</td>
                  <td className="num">
                    <Variance actual={actualPence} budget={matchedPence} unit="gbp" />
                  </td>
                </tr>
              </tfoot>
            </table>
          </div>
          <p className="muted small budget-note">
            {actuals.load === 'loading' ? 'Working out the actual figures… ' : ''}
            {actuals.load === 'error' ? `Could not work out the actual figures: ${actuals.error ?? ''}. ` : ''}
            The year’s variance compares the months that have both a budget and readings.
            {canEdit
              ? ' Actual £ prices each meter as the Costs page does (its tariffs, else its supplier’s default).'
              : ' Actual £ is shown to managers and admins.'}
            {unpriced > 0 ? ' * Meters without a tariff are left out of that month’s £.' : ''}
          </p>
          {problems.length > 0 && (
            <ul className="field-error budget-errors" role="alert">
              {problems.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          )}
          {canEdit && (
            <div className="budget-actions">
              <button type="submit" className="btn btn-primary" disabled={busy}>
                {busy ? 'Saving…' : 'Save budgets'}
              </button>
            </div>
          )}
        </Form>
      )}
    </section>
  );
}
