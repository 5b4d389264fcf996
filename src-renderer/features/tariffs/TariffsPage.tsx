/**
 * Tariffs: what the meters are costed on. Import a tariff file (docs/tariffs.md), create a tariff or
 * a new version with the form, import half-hourly prices for dynamic tariffs, read every version's
 * rates and the 24-hour band strip, delete a tariff no meter uses.
 */
import { Fragment, useEffect, useMemo, useRef, useState } from 'react';
import { useCan } from '../../components/Can';
import type { Tariff, TariffVersion } from '../../../src-shared/contract/types';
import { TableScroll } from '../../components/TableScroll';
import { ExportBar } from '../../components/ExportCsv';
import { exportName } from '../../components/table-export';
import { tariffCsvColumns } from './tariffs-csv';
import { errorMessage } from '../../api/client';
import { AppError } from '../../../src-shared/contract/errors';
import { getClient } from '../../api/instance';
import { FUEL_NAME, FuelBadge } from '../../components/FuelBadge';
import { Page } from '../../components/Page';
import { Segmented } from '../../components/Segmented';
import { EmptyState, Skeleton, Spinner } from '../../components/States';
import { formatDay, plural } from '../../lib/format';
import { useDocumentTitle } from '../../lib/hooks';
import { useQuery } from '../../lib/query';
import { emptyForm, formFromSpec, type TariffForm as Form } from './form';
import { importSummary, splitProblems } from './import-result';
import { filterTariffs, groupByFuel, type ListFilter } from './list';
import { KIND_LABEL, formatPence, regionText, vatText } from './text';
import { currentVersion, unitRatesText } from './versions';
import { ukToday } from '../../../src-shared/domain/periods';
import { TariffDetail } from './TariffDetail';
import { TariffForm, type FormMode } from './TariffForm';
import '../../styles/tariffs.css';
import { QueryProblem } from '../../components/ProblemState';

const EXAMPLE = `{ "tariffs": [ {
  "id": "acme-e7-2025", "name": "Acme Economy 7", "supplier": "Acme", "fuel": "electricity",
  "validFrom": "2025-01-01", "validTo": null,
  "standingChargePencePerDay": 45.2, "vatRate": 0.05, "cclPencePerKwh": 0,
  "rates": [
    { "pencePerKwh": 13.1, "from": "00:30", "to": "07:30", "days": ["mon","tue","wed","thu","fri","sat","sun","holiday"] },
    { "pencePerKwh": 31.9, "from": "07:30", "to": "00:30", "days": ["mon","tue","wed","thu","fri","sat","sun","holiday"] }
  ],
  "halfHourlyPrices": null } ] }`;

type ImportState = { busy: boolean; file: string | null; result: string | null; error: string | null };
type Editing = { mode: FormMode; initial: Form; tariff?: Tariff; key: number };

export function TariffsPage() {
  useDocumentTitle('Tariffs');
  const q = useQuery('tariffs', () => getClient().call('tariffs.list', {}));
  const readOnly = !useCan()('tariffs.save');
  const today = ukToday();
  const [filter, setFilter] = useState<ListFilter>({ fuel: 'all', showEnded: true, search: '' });
  const [open, setOpen] = useState<Set<string>>(new Set());
  const [editing, setEditing] = useState<Editing | null>(null);
  const [imp, setImp] = useState<ImportState>({ busy: false, file: null, result: null, error: null });
  const fileInput = useRef<HTMLInputElement>(null);
  const editKey = useRef(1);

  const all = q.data;
  const shown = useMemo(() => (all ? filterTariffs(all, filter) : []), [all, filter]);
  const groups = useMemo(() => groupByFuel(shown), [shown]);
  const counts = useMemo(
    () => ({
      all: all?.length ?? 0,
      electricity: all?.filter((t) => t.fuel === 'electricity').length ?? 0,
      gas: all?.filter((t) => t.fuel === 'gas').length ?? 0,
      ended: all?.filter((t) => !t.active).length ?? 0,
    }),
    [all],
  );

  const toggle = (id: string) =>
    setOpen((s) => {
      const n = new Set(s);
      if (n.has(id)) n.delete(id);
      else n.add(id);
      return n;
    });

  const chooseFile = () => {
    if (!fileInput.current) return;
    fileInput.current.value = '';
    fileInput.current.click();
  };

  const importFile = async (file: File) => {
    setImp({ busy: true, file: file.name, result: null, error: null });
    try {
      const text = await file.text();
      const r = await getClient().call('tariffs.import', { text, fileName: file.name });
      setImp({ busy: false, file: file.name, result: importSummary(r), error: null });
      setOpen((s) => new Set([...s, ...r.ids.slice(0, 3)]));
      q.reload();
    } catch (e) {
      setImp({
        busy: false,
        file: file.name,
        result: null,
        error:
          e instanceof AppError && e.code === 'FORBIDDEN'
            ? 'Only an administrator can import tariffs.'
            : errorMessage(e),
      });
    }
  };

  const startNew = () => setEditing({ mode: 'new', initial: emptyForm(today), key: editKey.current++ });
  const startVersion = (t: Tariff) => {
    const latest = t.versions[t.versions.length - 1];
    if (latest)
      setEditing({
        mode: 'new-version',
        initial: formFromSpec(
          { ...latest.spec, name: t.name, supplier: t.supplier, regions: t.regions, default: t.isDefault },
          'new-version',
          today,
        ),
        tariff: t,
        key: editKey.current++,
      });
  };
  const startCorrect = (t: Tariff, v: TariffVersion) =>
    setEditing({
      mode: 'correct',
      initial: formFromSpec(
        { ...v.spec, name: t.name, supplier: t.supplier, regions: t.regions, default: t.isDefault },
        'correct',
        today,
      ),
      tariff: t,
      key: editKey.current++,
    });

  return (
    <Page
      title="Tariffs"
      subtitle="Unit rates by time of day, standing charges, levies and VAT that your meters are costed on. A price change is a new version: past periods keep the prices that applied then."
      className="tariffs-page"
      testId="tariffs-page"
      actions={
        !readOnly && (
          <>
            <button type="button" className="btn" onClick={chooseFile} disabled={imp.busy} data-testid="import-tariffs">
              {imp.busy ? 'Importing…' : 'Import tariff file…'}
            </button>
            <button type="button" className="btn btn-primary" onClick={startNew} disabled={editing?.mode === 'new'}>
              New tariff
            </button>
          </>
        )
      }
    >
      <input
        ref={fileInput}
        type="file"
        accept=".json,application/json"
        className="visually-hidden"
        tabIndex={-1}
        aria-label="Import a tariff file"
        data-testid="tariff-file-input"
        onChange={(e) => {
          const file = e.currentTarget.files?.[0];
          if (file) void importFile(file);
        }}
      />

      {readOnly && (
        <p className="callout callout-warn small">
          You can read tariffs here; only an administrator can import, create, change or delete them.
        </p>
      )}

      <ImportOutcome state={imp} onDismiss={() => setImp({ busy: false, file: null, result: null, error: null })} />

      {editing && (
        <TariffForm
          key={editing.key}
          mode={editing.mode}
          initial={editing.initial}
          {...(editing.tariff ? { tariff: editing.tariff } : {})}
          onCancel={() => setEditing(null)}
          onSaved={(t) => {
            setEditing(null);
            setOpen((s) => new Set([...s, t.id]));
            setFilter((f) => ({
              ...f,
              search: '',
              fuel: f.fuel === 'all' || f.fuel === t.fuel ? f.fuel : 'all',
              showEnded: f.showEnded || !t.active,
            }));
            q.reload();
            requestAnimationFrame(() =>
              document
                .querySelector(`[data-testid="tariff-row"][data-tariff="${CSS.escape(t.id)}"]`)
                ?.scrollIntoView({ block: 'center', behavior: 'smooth' }),
            );
          }}
        />
      )}

      {q.load === 'error' && !all ? (
        <section className="card">
          <QueryProblem title="Could not load the tariffs" q={q} />
        </section>
      ) : !all ? (
        <section className="card">
          <Skeleton rows={4} label="Loading tariffs" />
        </section>
      ) : all.length === 0 ? (
        <section className="card" data-testid="tariffs-empty">
          <EmptyState
            icon="£"
            title="No tariffs yet"
            action={
              !readOnly && (
                <div className="row-actions tariffs-empty-actions">
                  <button type="button" className="btn btn-primary" onClick={chooseFile}>
                    Import a tariff file…
                  </button>
                  <button type="button" className="btn" onClick={startNew}>
                    Create a tariff
                  </button>
                </div>
              )
            }
          >
            <p>
              A tariff is what a meter’s half-hours are costed on: unit rates by time of day (single rate, Economy 7/10,
              business time-of-use or half-hourly dynamic prices), the standing charge, CCL, DUoS, capacity and VAT.
              With tariffs here, each meter page shows its costs as billed and what every other tariff would have cost.
            </p>
            <p className="small">
              Import a supplier’s tariffs as a JSON file or type one in. Format: <code>docs/tariffs.md</code>
            </p>
            <ExampleFile />
          </EmptyState>
        </section>
      ) : (
        <section className="card" aria-labelledby="tariff-list-title">
          <div className="card-header">
            <h2 id="tariff-list-title">
              All tariffs <span className="count">{all.length}</span>
            </h2>
            <div className="card-header-actions tariff-filters">
              <Segmented
                options={(['all', 'electricity', 'gas'] as const).map((fuel) => ({
                  value: fuel,
                  label: (
                    <>
                      {fuel === 'all' ? 'All' : FUEL_NAME[fuel]} <span className="seg-count">{counts[fuel]}</span>
                    </>
                  ),
                }))}
                value={filter.fuel}
                onChange={(fuel) => setFilter((f) => ({ ...f, fuel }))}
                label="Fuel"
                small
              />
              <label className="checkbox small">
                <input
                  type="checkbox"
                  checked={filter.showEnded}
                  onChange={(e) => {
                    const showEnded = e.currentTarget.checked;
                    setFilter((f) => ({ ...f, showEnded }));
                  }}
                />
                <span>Show ended{counts.ended > 0 ? ` (${counts.ended})` : ''}</span>
              </label>
              <input
                type="search"
                className="search input-small"
                placeholder="Search name, supplier or id"
                aria-label="Search tariffs"
                value={filter.search}
                onChange={(e) => {
                  const search = e.currentTarget.value;
                  setFilter((f) => ({ ...f, search }));
                }}
              />
              {q.load === 'loading' && <Spinner inline label="Refreshing…" />}
            </div>
          </div>
          {groups.length === 0 ? (
            <EmptyState
              title="No tariff matches these filters"
              action={
                <button
                  type="button"
                  className="btn btn-link"
                  onClick={() => setFilter({ fuel: 'all', showEnded: true, search: '' })}
                >
                  Show all tariffs
                </button>
              }
            />
          ) : (
            <>
              <ExportBar
                name={exportName('tariffs', today)}
                columns={tariffCsvColumns(today)}
                rows={groups.flatMap((g) => g.tariffs)}
              />
              <TableScroll>
                <table className="table tariffs-table" data-testid="tariffs-table">
                  <thead>
                    <tr>
                      <th scope="col">Tariff</th>
                      <th scope="col">Supplier and type</th>
                      <th scope="col">Sold in</th>
                      <th scope="col" className="num">
                        Standing charge
                      </th>
                      <th scope="col">Unit rates now</th>
                    </tr>
                  </thead>
                  {groups.map((g) => (
                    <tbody key={g.fuel}>
                      <tr className="group-row">
                        <th colSpan={5} scope="colgroup">
                          <FuelBadge fuel={g.fuel} />{' '}
                          <span className="muted small">{plural(g.tariffs.length, 'tariff')}</span>
                        </th>
                      </tr>
                      {g.tariffs.map((t) => (
                        <Fragment key={t.id}>
                          <TariffRow t={t} today={today} open={open.has(t.id)} onToggle={() => toggle(t.id)} />
                          {open.has(t.id) && (
                            <tr className="tariff-detail-row" id={`tariff-detail-${t.id}`}>
                              <td colSpan={5}>
                                <TariffDetail
                                  tariff={t}
                                  today={today}
                                  readOnly={readOnly}
                                  onNewVersion={() => startVersion(t)}
                                  onCorrect={(v) => startCorrect(t, v)}
                                  onChanged={q.reload}
                                  onDeleted={() => {
                                    setOpen((s) => {
                                      const n = new Set(s);
                                      n.delete(t.id);
                                      return n;
                                    });
                                    q.reload();
                                  }}
                                />
                              </td>
                            </tr>
                          )}
                        </Fragment>
                      ))}
                    </tbody>
                  ))}
                </table>
              </TableScroll>
            </>
          )}
          <p className="muted small tariffs-foot">
            Prices exclude VAT. Regions are distribution areas (GSP group letter). Tariffs are assigned to meters on
            each meter’s page. Tariff file format: <code>docs/tariffs.md</code>
          </p>
        </section>
      )}
    </Page>
  );
}

function TariffRow({ t, today, open, onToggle }: { t: Tariff; today: string; open: boolean; onToggle: () => void }) {
  const v = currentVersion(t, today);
  const rates = unitRatesText(t, v);
  return (
    <tr
      className={`tariff-row clickable ${open ? 'open' : ''} ${t.active ? '' : 'tariff-ended'}`}
      data-testid="tariff-row"
      data-tariff={t.id}
      onClick={onToggle}
    >
      <td className="tariff-name-cell">
        <button
          type="button"
          className="tariff-toggle"
          aria-expanded={open}
          aria-controls={open ? `tariff-detail-${t.id}` : undefined}
          onClick={(e) => {
            e.stopPropagation();
            onToggle();
          }}
        >
          <span className={`chevron ${open ? 'open' : ''}`} aria-hidden="true">
            ›
          </span>
          <span className="strong tariff-name">{t.name}</span>
        </button>
        <div className="tariff-badges">
          <span className="mono muted small">{t.id}</span>
          {t.active ? (
            <span className="badge badge-done">Active</span>
          ) : (
            <span className="badge badge-cancelled">Ended</span>
          )}
          {t.isDefault && <span className="badge badge-default">Supplier default</span>}
        </div>
      </td>
      <td>
        {t.supplier}
        <div className={`small tariff-kind tariff-kind-${t.kind}`}>{KIND_LABEL[t.kind]}</div>
      </td>
      <td
        className="small tariff-regions"
        title={t.regions ? regionText(t.regions, 14) : 'Sold in every distribution area'}
      >
        <NoWrapList text={regionText(t.regions)} sep=", " />
      </td>
      <td className="num nowrap">
        {v ? `${formatPence(v.spec.standingChargePencePerDay)}/day` : '—'}
        {v && <div className="muted small">VAT {vatText(v.spec.vatRate)}</div>}
      </td>
      <td className="tariff-rates small" data-testid="tariff-rates">
        {rates ? <NoWrapList text={rates} sep=" · " /> : <span className="muted">—</span>}
        {v && v.validFrom > today && <div className="muted">from {formatDay(v.validFrom)}</div>}
      </td>
    </tr>
  );
}

/** A list written as text ("a · b · c"), each item kept on one line so a narrow column wraps between items only. */
function NoWrapList({ text, sep }: { text: string; sep: string }) {
  const parts = text.split(sep);
  return (
    <>
      {parts.map((p, i) => (
        <Fragment key={i}>
          <span className="nowrap">{p}</span>
          {i < parts.length - 1 ? sep : ''}
        </Fragment>
      ))}
    </>
  );
}

function ImportOutcome({ state, onDismiss }: { state: ImportState; onDismiss: () => void }) {
  const box = useRef<HTMLDivElement>(null);
  // The outcome appears at the top of the page: bring it into view wherever the user had scrolled to.
  useEffect(() => {
    if (state.result || state.error) box.current?.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
  }, [state.result, state.error]);
  if (state.busy)
    return (
      <div className="callout callout-info" aria-live="polite">
        <Spinner inline label={`Importing ${state.file}…`} />
      </div>
    );
  if (state.result)
    return (
      <div ref={box} className="callout callout-ok import-outcome" role="status" data-testid="tariff-import-result">
        <span>
          <strong>Imported {state.file}:</strong> {state.result}.
        </span>
        <button type="button" className="btn btn-quiet btn-small" onClick={onDismiss} aria-label="Dismiss">
          ✕
        </button>
      </div>
    );
  if (state.error) {
    const p = splitProblems(state.error, state.file ?? undefined);
    return (
      <div
        ref={box}
        className="callout callout-error import-outcome import-error"
        role="alert"
        data-testid="tariff-import-error"
      >
        <div>
          <strong>
            {state.file} was not imported{p.items.length > 0 ? `: ${p.summary}` : '.'}
          </strong>{' '}
          {p.items.length > 0 ? '' : p.summary}
          {p.items.length > 0 && (
            <ul className="problem-list">
              {p.items.map((it, i) => (
                <li key={i}>
                  {it.where && <span className="problem-where">{it.where}:</span>} {it.message}
                </li>
              ))}
              {p.more && <li className="muted">…and more: fix these and import again to see the rest.</li>}
            </ul>
          )}
          <p className="small import-error-foot">
            Nothing in the file was stored: a tariff file is imported all or nothing. Format:{' '}
            <code>docs/tariffs.md</code>
          </p>
        </div>
        <button type="button" className="btn btn-quiet btn-small" onClick={onDismiss} aria-label="Dismiss">
          ✕
        </button>
      </div>
    );
  }
  return null;
}

function ExampleFile() {
  return (
    <details className="example-file">
      <summary>Show an example file (Economy 7)</summary>
      <pre className="mono">{EXAMPLE}</pre>
    </details>
  );
}
