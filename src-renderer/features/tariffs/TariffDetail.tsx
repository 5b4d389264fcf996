/** One tariff opened in the list: its band strip, every version with its rates, dynamic prices, and actions. */
import { useRef, useState } from 'react';
import type { Tariff, TariffVersion } from '../../../src-shared/contract/types';
import type { RateSpec } from '../../../src-shared/domain/tariff-spec';
import { errorMessage } from '../../api/client';
import { AppError } from '../../../src-shared/contract/errors';
import { getClient } from '../../api/instance';
import { DataTable, type Column } from '../../components/DataTable';
import { Spinner } from '../../components/States';
import { formatDay, formatUkDateTime, plural } from '../../lib/format';
import { pricesSummary } from './import-result';
import { cclText, daysText, formatPence, regionText, vatText, windowText } from './text';
import { currentVersion, versionSpan, versionState, type VersionState } from './versions';
import { useAppStore } from '../../stores/app';
import { BandStrip } from './TariffBandStrip';

const STATE_LABEL: Record<VersionState, string> = { current: 'In force', upcoming: 'Upcoming', ended: 'Ended' };

export function TariffDetail({
  tariff: t,
  today,
  readOnly,
  onNewVersion,
  onCorrect,
  onChanged,
  onDeleted,
}: {
  tariff: Tariff;
  today: string;
  readOnly: boolean;
  onNewVersion: () => void;
  onCorrect: (v: TariffVersion) => void;
  onChanged: () => void;
  onDeleted: () => void;
}) {
  const current = currentVersion(t, today);
  const rates = current?.spec.rates ?? [];
  const showStrip = rates.length > 0 && (t.kind !== 'single' || rates.length > 1);
  const newestFirst = [...t.versions].reverse();
  return (
    <div className="tariff-detail" data-testid="tariff-detail" data-tariff={t.id}>
      <div className="tariff-detail-head">
        <p className="muted small">
          {plural(t.versions.length, 'version')} · sold {t.regions ? `in ${regionText(t.regions, 14)}` : 'nationally'}
          {t.isDefault ? ' · the supplier’s default for days a meter has no tariff assigned' : ''}
        </p>
        {!readOnly && (
          <div className="row-actions tariff-actions">
            <button
              type="button"
              className="btn btn-small btn-primary"
              onClick={onNewVersion}
              data-testid="new-version"
            >
              New version…
            </button>
            <DeleteTariff tariff={t} onDeleted={onDeleted} />
          </div>
        )}
      </div>

      {t.kind === 'dynamic' && <DynamicPrices tariff={t} readOnly={readOnly} onChanged={onChanged} />}

      {showStrip && current && (
        <section className="tariff-strip-section" aria-label="Bands by time of day">
          <h4 className="tariff-sub">
            {t.kind === 'dynamic' ? 'Fallback rates by time of day' : 'Unit rates by time of day'}{' '}
            <span className="muted small">
              · version from {formatDay(current.validFrom)}, UK{' '}
              {current.spec.timeBasis === 'gmt' ? 'GMT all year' : 'local time'}
            </span>
          </h4>
          <BandStrip rates={rates} label={`${t.name}: unit rates by time of day`} />
        </section>
      )}

      <section aria-label="Versions" className="versions">
        <h4 className="tariff-sub">Versions</h4>
        {newestFirst.map((v) => (
          <VersionBlock
            key={v.validFrom}
            v={v}
            state={versionState(v, today)}
            dynamic={t.kind === 'dynamic'}
            readOnly={readOnly}
            onCorrect={() => onCorrect(v)}
          />
        ))}
      </section>
    </div>
  );
}

function VersionBlock({
  v,
  state,
  dynamic,
  readOnly,
  onCorrect,
}: {
  v: TariffVersion;
  state: VersionState;
  dynamic: boolean;
  readOnly: boolean;
  onCorrect: () => void;
}) {
  const s = v.spec;
  return (
    <article className={`version version-${state}`} data-testid="tariff-version" data-valid-from={v.validFrom}>
      <header className="version-head">
        <span className="strong">{versionSpan(v)}</span>
        <span
          className={`badge ${state === 'current' ? 'badge-done' : state === 'upcoming' ? 'badge-running' : 'badge-cancelled'}`}
        >
          {STATE_LABEL[state]}
        </span>
        {v.validTo && <span className="muted small">valid until {formatDay(v.validTo)}, not including</span>}
        {!readOnly && (
          <button type="button" className="btn btn-quiet btn-small version-correct" onClick={onCorrect}>
            Correct…
          </button>
        )}
      </header>
      <dl className="version-facts">
        <div>
          <dt>Standing charge</dt>
          <dd>{formatPence(s.standingChargePencePerDay)}/day</dd>
        </div>
        <div>
          <dt>VAT</dt>
          <dd>{vatText(s.vatRate)}</dd>
        </div>
        <div>
          <dt>Climate Change Levy</dt>
          <dd>{cclText(s.cclPencePerKwh)}</dd>
        </div>
        <div>
          <dt>Capacity charge</dt>
          <dd>
            {s.capacityPencePerKvaPerDay === undefined ? 'None' : `${formatPence(s.capacityPencePerKvaPerDay)}/kVA/day`}
          </dd>
        </div>
        <div>
          <dt>Times</dt>
          <dd>{s.timeBasis === 'gmt' ? 'GMT all year' : 'UK local clock'}</dd>
        </div>
      </dl>
      {Array.isArray(s.cclPencePerKwh) && (
        <p className="muted small">
          CCL: {s.cclPencePerKwh.map((c) => `${formatPence(c.pencePerKwh)}/kWh from ${formatDay(c.from)}`).join(' · ')}
        </p>
      )}
      {dynamic && (
        <p className="small">
          Unit prices: half-hourly (dynamic)
          {s.rates && s.rates.length > 0 ? '; the rates below price half-hours without a stored price.' : '.'}
        </p>
      )}
      {s.rates && s.rates.length > 0 && (
        <RatesTable title={dynamic ? 'Fallback unit rates' : 'Unit rates'} rates={s.rates} />
      )}
      {s.duosRates && s.duosRates.length > 0 && <RatesTable title="DUoS rates (in addition)" rates={s.duosRates} />}
      {s.notes && <p className="muted small version-notes">{s.notes}</p>}
    </article>
  );
}

function RatesTable({ title, rates }: { title: string; rates: readonly RateSpec[] }) {
  const holidaysPriced = rates.some((r) => (r.days ?? []).includes('holiday'));
  const columns: Column<RateSpec>[] = [
    {
      header: title,
      cell: (r, i) => r.name ?? (rates.length === 1 ? 'Unit rate' : <span className="muted">Rate {i + 1}</span>),
    },
    { header: 'Time', className: 'mono-nums', cell: (r) => windowText(r) },
    { header: 'Days', cell: (r) => daysText(r.days, { holidaysPriced }) },
    { header: 'p/kWh', num: true, className: 'strong', cell: (r) => formatPence(r.pencePerKwh) },
  ];
  return (
    <DataTable
      columns={columns}
      rows={rates}
      rowKey={(_, i) => i}
      caption={<caption className="visually-hidden">{title}</caption>}
      className="table-compact"
      wrapClassName="version-rates"
    />
  );
}

function DynamicPrices({
  tariff: t,
  readOnly,
  onChanged,
}: {
  tariff: Tariff;
  readOnly: boolean;
  onChanged: () => void;
}) {
  const input = useRef<HTMLInputElement>(null);
  const [state, setState] = useState<{
    busy: boolean;
    file: string | null;
    result: string | null;
    error: string | null;
  }>({ busy: false, file: null, result: null, error: null });
  const p = t.versions.find((v) => v.prices)?.prices ?? null;
  const fmt = (iso: string) => formatUkDateTime(iso);

  const importFile = async (file: File) => {
    setState({ busy: true, file: file.name, result: null, error: null });
    try {
      const text = await file.text();
      const r = await getClient().call('tariffs.importPrices', { id: t.id, text, fileName: file.name });
      setState({ busy: false, file: file.name, result: pricesSummary(r, fmt), error: null });
      onChanged();
    } catch (e) {
      setState({
        busy: false,
        file: file.name,
        result: null,
        error:
          e instanceof AppError && e.code === 'FORBIDDEN'
            ? 'Only an administrator can import prices.'
            : errorMessage(e),
      });
    }
  };

  return (
    <section className="dynamic-prices" aria-label="Half-hourly prices" data-testid="dynamic-prices">
      <div className="dynamic-prices-main">
        <h4 className="tariff-sub">Half-hourly prices</h4>
        <p data-testid="prices-stored">
          {!p || p.count === 0 ? (
            <span className="warn">
              No prices stored yet: half-hours without a price are not costed
              {t.versions.some((v) => v.spec.rates?.length) ? ' (the fallback rates price them)' : ''}.
            </span>
          ) : (
            <>
              <span className="strong">{plural(p.count, 'price')}</span> stored, {fmt(p.first!)} to {fmt(p.last!)}{' '}
              <span className="muted small">(UK time, start of each half-hour)</span>
            </>
          )}
        </p>
        <p className="muted small">
          Octopus unit-rates JSON, a JSON list of {'{ "start", "pencePerKwh" }'}, or a CSV of start time and price
          (p/kWh excluding VAT). Prices already stored for the same half-hours are replaced.
        </p>
      </div>
      {!readOnly && (
        <div className="dynamic-prices-action">
          <button
            type="button"
            className="btn"
            disabled={state.busy}
            onClick={() => {
              if (input.current) {
                input.current.value = '';
                input.current.click();
              }
            }}
          >
            {state.busy ? 'Importing…' : 'Import prices…'}
          </button>
          <input
            ref={input}
            type="file"
            accept=".json,.csv,application/json,text/csv"
            className="visually-hidden"
            tabIndex={-1}
            aria-label={`Import half-hourly prices for ${t.name}`}
            data-testid="prices-file-input"
            onChange={(e) => {
              const file = e.currentTarget.files?.[0];
              if (file) void importFile(file);
            }}
          />
        </div>
      )}
      <div className="dynamic-prices-result" aria-live="polite" data-testid="prices-result">
        {state.busy && <Spinner inline label={`Reading ${state.file}…`} />}
        {state.result && (
          <p className="callout callout-ok small">
            {state.file}: {state.result}.
          </p>
        )}
        {state.error && (
          <p className="callout callout-error small" role="alert">
            <strong>{state.file}: no prices were imported.</strong> {state.error}
          </p>
        )}
      </div>
    </section>
  );
}

function DeleteTariff({ tariff: t, onDeleted }: { tariff: Tariff; onDeleted: () => void }) {
  const [confirm, setConfirm] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const toast = useAppStore((s) => s.toast);
  if (!confirm)
    return (
      <button
        type="button"
        className="btn btn-small btn-quiet btn-danger-quiet"
        onClick={() => {
          setError(null);
          setConfirm(true);
        }}
      >
        Delete…
      </button>
    );
  return (
    <div className="callout callout-warn confirm tariff-delete" role="alertdialog" aria-label="Confirm delete">
      {error ? (
        <span className="error-message" data-testid="delete-error">
          Not deleted: {error}
        </span>
      ) : (
        <span>
          Delete <strong>{t.name}</strong> and its {plural(t.versions.length, 'version')}
          {t.kind === 'dynamic' ? ' and stored prices' : ''}? This cannot be undone.
        </span>
      )}
      <span className="job-actions">
        {!error && (
          <button
            type="button"
            className="btn btn-small btn-danger"
            disabled={busy}
            onClick={async () => {
              setBusy(true);
              try {
                await getClient().call('tariffs.delete', { id: t.id });
                toast({ kind: 'success', title: `Deleted ${t.name}` });
                onDeleted();
              } catch (e) {
                setError(
                  e instanceof AppError && e.code === 'FORBIDDEN'
                    ? 'only an administrator can delete tariffs.'
                    : e instanceof AppError && e.code === 'CONFLICT'
                      ? `${errorMessage(e)} (To stop pricing with it, use “Correct…” on its latest version and set “Valid until”.)`
                      : errorMessage(e),
                );
              } finally {
                setBusy(false);
              }
            }}
          >
            {busy ? 'Deleting…' : 'Delete tariff'}
          </button>
        )}
        <button type="button" className="btn btn-small" onClick={() => setConfirm(false)}>
          {error ? 'Close' : 'Keep it'}
        </button>
      </span>
    </div>
  );
}
