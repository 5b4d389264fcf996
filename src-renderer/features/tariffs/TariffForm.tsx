/**
 * Create a tariff, add a new version of one, or correct a version: validated as you type with the
 * importer's rules (tariffSpecSchema, shared with the core), then saved with tariffs.save.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { Tariff } from '../../../src-shared/contract/types';
import { errorMessage } from '../../api/client';
import { AppError } from '../../../src-shared/contract/errors';
import { getClient } from '../../api/instance';
import { DateField } from '../../components/DateField';
import { Field } from '../../components/Field';
import { Form } from '../../components/Form';
import { useAppStore } from '../../stores/app';
import { DISTRIBUTORS } from '../../../src-shared/domain/regions';
import { checkForm, presetRows, rateRow, serverFieldErrors, suggestId, type TariffForm as FormState } from './form';
import { formatDay } from '../../lib/format';
import { RatesEditor } from './RatesEditor';

export type FormMode = 'new' | 'new-version' | 'correct';

export function TariffForm({
  mode,
  initial,
  tariff,
  onCancel,
  onSaved,
}: {
  mode: FormMode;
  initial: FormState;
  tariff?: Tariff;
  onCancel: () => void;
  onSaved: (t: Tariff) => void;
}) {
  const [f, setF] = useState<FormState>(initial);
  const [submitted, setSubmitted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [server, setServer] = useState<{
    errors: Record<string, string>;
    rateProblems: string[];
    duosProblems: string[];
    message: string | null;
  }>({ errors: {}, rateProblems: [], duosProblems: [], message: null });
  const [idTouched, setIdTouched] = useState(mode !== 'new');
  const [showDuos, setShowDuos] = useState(initial.duos.length > 0);
  const toast = useAppStore((s) => s.toast);
  const top = useRef<HTMLFormElement>(null);

  useEffect(() => {
    top.current?.scrollIntoView({ block: 'start', behavior: 'smooth' });
    top.current?.querySelector<HTMLInputElement>('input:not([disabled])')?.focus({ preventScroll: true });
  }, []);

  const check = useMemo(() => checkForm(f), [f]);
  const update = (patch: Partial<FormState>) => {
    setF((old) => {
      const next = { ...old, ...patch };
      if (!idTouched && ('supplier' in patch || 'name' in patch)) next.id = suggestId(next.supplier, next.name);
      return next;
    });
    setServer((s) =>
      s.message || Object.keys(s.errors).length || s.rateProblems.length || s.duosProblems.length
        ? { errors: {}, rateProblems: [], duosProblems: [], message: null }
        : s,
    );
  };

  // Field errors appear after the first Save; band coverage is shown as you type.
  const err = (key: string): string | undefined => server.errors[key] ?? (submitted ? check.errors[key] : undefined);
  const rateProblems = server.rateProblems.length ? server.rateProblems : check.rateProblems;
  const duosProblems = server.duosProblems.length ? server.duosProblems : check.duosProblems;
  const problemCount = Object.keys(check.errors).length + check.rateProblems.length + check.duosProblems.length;

  const save = async () => {
    setSubmitted(true);
    if (!check.spec) {
      requestAnimationFrame(() =>
        top.current
          ?.querySelector('[aria-invalid="true"], .rates-problems')
          ?.scrollIntoView({ block: 'center', behavior: 'smooth' }),
      );
      return;
    }
    setBusy(true);
    try {
      const saved = await getClient().call('tariffs.save', { tariff: check.spec });
      toast({
        kind: 'success',
        title:
          mode === 'new'
            ? `Created ${saved.name}`
            : mode === 'new-version'
              ? `Added a version of ${saved.name} from ${formatDay(f.validFrom)}`
              : `Saved ${saved.name}`,
      });
      onSaved(saved);
    } catch (e) {
      if (e instanceof AppError && e.code === 'INVALID_ARGS') {
        const s = serverFieldErrors(e.details);
        setServer({
          ...s,
          message: Object.keys(s.errors).length || s.rateProblems.length || s.duosProblems.length ? null : e.message,
        });
      } else if (e instanceof AppError && e.code === 'FORBIDDEN')
        setServer({
          errors: {},
          rateProblems: [],
          duosProblems: [],
          message: 'Only an administrator can change tariffs.',
        });
      else setServer({ errors: {}, rateProblems: [], duosProblems: [], message: errorMessage(e) });
    } finally {
      setBusy(false);
    }
  };

  const title =
    mode === 'new'
      ? 'New tariff'
      : mode === 'new-version'
        ? `New version of ${tariff?.name ?? f.name}`
        : `Correct the version from ${formatDay(initial.validFrom)}`;
  return (
    <Form
      ref={top}
      className="card card-pad form tariff-form"
      aria-labelledby="tariff-form-title"
      data-testid="tariff-form"
      onSubmit={save}
    >
      <div className="tariff-form-head">
        <h2 id="tariff-form-title">{title}</h2>
        <button type="button" className="btn btn-quiet btn-small" onClick={onCancel}>
          Cancel
        </button>
      </div>
      {mode === 'new-version' && (
        <p className="callout callout-info small">
          The new version applies from its start date. <strong>Past periods keep the old prices</strong>: the version in
          force now ends the day before this one starts.
        </p>
      )}
      {mode === 'correct' && (
        <p className="callout callout-info small">
          Saving replaces this version’s prices, so costs for its days are recalculated with them. To change prices from
          a later date instead, change “Valid from”: that adds a new version and keeps this one.
        </p>
      )}

      <h3 className="form-section-title">Tariff</h3>
      <div className="form-row">
        <Field id="tf-name" label="Name" error={err('name')}>
          {(c) => (
            <input
              {...c}
              className="input"
              value={f.name}
              placeholder="e.g. Economy 7 business"
              onChange={(e) => update({ name: e.currentTarget.value })}
            />
          )}
        </Field>
        <Field id="tf-supplier" label="Supplier" error={err('supplier')}>
          {(c) => (
            <input
              {...c}
              className="input"
              value={f.supplier}
              placeholder="e.g. Acme Energy"
              onChange={(e) => update({ supplier: e.currentTarget.value })}
            />
          )}
        </Field>
        <Field
          id="tf-id"
          label="Tariff id"
          error={err('id')}
          hint={
            mode === 'new'
              ? 'How files and the command line refer to it. Suggested from the supplier and name.'
              : 'A tariff keeps its id across versions.'
          }
        >
          {(c) => (
            <input
              {...c}
              className="input mono"
              value={f.id}
              disabled={mode !== 'new'}
              spellCheck={false}
              placeholder="e.g. acme-e7-2025"
              onChange={(e) => {
                setIdTouched(true);
                update({ id: e.currentTarget.value });
              }}
            />
          )}
        </Field>
        <Field id="tf-fuel" label="Fuel" error={err('fuel')}>
          {(c) => (
            <select
              {...c}
              className="input"
              value={f.fuel}
              disabled={mode !== 'new'}
              onChange={(e) => update({ fuel: e.currentTarget.value as FormState['fuel'] })}
            >
              <option value="electricity">Electricity</option>
              <option value="gas">Gas</option>
            </select>
          )}
        </Field>
      </div>
      <RegionsField value={f.regions} error={err('regions')} onChange={(regions) => update({ regions })} />
      <div className="tariff-checks">
        <label className="checkbox">
          <input
            type="checkbox"
            checked={f.isDefault}
            onChange={(e) => update({ isDefault: e.currentTarget.checked })}
          />
          <span>
            <span className="strong">Supplier default</span>{' '}
            <span className="muted small">
              — prices a meter’s days before its first tariff assignment (one default per supplier, fuel and areas)
            </span>
          </span>
        </label>
        <label className="checkbox">
          <input
            type="checkbox"
            checked={f.dynamic}
            data-testid="tf-dynamic"
            onChange={(e) => {
              const dynamic = e.currentTarget.checked;
              // Fixed rates become an optional fallback: an untouched empty row is dropped (and comes back when
              // unticked).
              if (dynamic && f.rates.every((r) => r.pence.trim() === '')) update({ dynamic, rates: [] });
              else if (!dynamic && f.rates.length === 0) update({ dynamic, rates: [rateRow()] });
              else update({ dynamic });
            }}
          />
          <span>
            <span className="strong">Dynamic (half-hourly prices)</span>{' '}
            <span className="muted small">
              — Agile-style: each half-hour has its own price, imported from a file after saving
            </span>
          </span>
        </label>
      </div>

      <h3 className="form-section-title">This version’s charges</h3>
      <div className="form-row">
        <Field id="tf-from" label="Valid from" error={err('validFrom')} hint="First UK day these prices apply.">
          {(c) => <DateField {...c} value={f.validFrom} onChange={(v) => update({ validFrom: v })} />}
        </Field>
        <Field
          id="tf-to"
          label="Valid until (not including)"
          error={err('validTo')}
          hint="Optional: the first day they no longer apply. Empty = until a new version."
        >
          {(c) => <DateField {...c} value={f.validTo} onChange={(v) => update({ validTo: v })} />}
        </Field>
        <Field
          id="tf-standing"
          label="Standing charge"
          error={err('standingCharge')}
          hint="Pence per day, excluding VAT."
        >
          {(c) => (
            <span className="input-with-unit">
              <input
                {...c}
                className="input input-narrow"
                inputMode="decimal"
                value={f.standingCharge}
                placeholder="45.2"
                onChange={(e) => update({ standingCharge: e.currentTarget.value })}
              />
              <span className="muted">p/day</span>
            </span>
          )}
        </Field>
        <Field
          id="tf-vat"
          label="VAT"
          error={err('vat')}
          hint="5 % for domestic and de-minimis business supplies and charities; 20 % otherwise."
        >
          {(c) => (
            <select
              {...c}
              className="input input-narrow"
              value={f.vat}
              onChange={(e) => update({ vat: e.currentTarget.value as FormState['vat'] })}
            >
              <option value="0.2">20 %</option>
              <option value="0.05">5 %</option>
              <option value="0">0 %</option>
            </select>
          )}
        </Field>
      </div>
      <div className="form-row">
        <Field
          id="tf-ccl"
          label="Climate Change Levy"
          error={err('ccl')}
          hint={
            f.cclMode === 'statutory'
              ? 'The gov.uk main rates by date (0.775p/kWh from April 2025, 0.801p from April 2026).'
              : 'Business supplies pay CCL; domestic and de-minimis supplies do not.'
          }
        >
          {(c) => (
            <span className="input-with-unit">
              <select
                id={c.id}
                aria-describedby={c['aria-describedby']}
                className="input ccl-select"
                value={f.cclMode}
                onChange={(e) => update({ cclMode: e.currentTarget.value as FormState['cclMode'] })}
              >
                <option value="none">None</option>
                <option value="fixed">Fixed p/kWh</option>
                <option value="statutory">Statutory (gov.uk rates)</option>
                {f.cclSteps && <option value="steps">Dated rates (as imported)</option>}
              </select>
              {f.cclMode === 'fixed' && (
                <>
                  <input
                    id="tf-ccl-value"
                    className="input input-narrow"
                    inputMode="decimal"
                    aria-label="CCL pence per kWh"
                    value={f.ccl}
                    placeholder="0.775"
                    aria-invalid={c['aria-invalid']}
                    onChange={(e) => update({ ccl: e.currentTarget.value })}
                  />
                  <span className="muted">p/kWh</span>
                </>
              )}
              {f.cclMode === 'steps' && f.cclSteps && (
                <span className="muted small">
                  {f.cclSteps.map((s) => `${s.pencePerKwh}p from ${formatDay(s.from)}`).join(', ')}
                </span>
              )}
            </span>
          )}
        </Field>
        <Field
          id="tf-capacity"
          label="Capacity charge (optional)"
          error={err('capacity')}
          hint="Pence per kVA of agreed capacity per day."
        >
          {(c) => (
            <span className="input-with-unit">
              <input
                {...c}
                className="input input-narrow"
                inputMode="decimal"
                value={f.capacity}
                placeholder="none"
                onChange={(e) => update({ capacity: e.currentTarget.value })}
              />
              <span className="muted">p/kVA/day</span>
            </span>
          )}
        </Field>
        <Field
          id="tf-basis"
          label="Times are"
          hint="GMT all year: for meters whose switching stays on GMT, so windows move an hour in summer."
        >
          {(c) => (
            <select
              {...c}
              className="input"
              value={f.timeBasis}
              onChange={(e) => update({ timeBasis: e.currentTarget.value as FormState['timeBasis'] })}
            >
              <option value="local">UK local clock (GMT/BST)</option>
              <option value="gmt">GMT all year</option>
            </select>
          )}
        </Field>
      </div>

      <RatesEditor
        list="rates"
        title={f.dynamic ? 'Fallback unit rates (optional)' : 'Unit rates'}
        intro={
          f.dynamic
            ? 'A dynamic tariff is priced from its half-hourly prices. Rates here price any half-hour without a stored price; leave empty to leave such half-hours unpriced.'
            : 'Pence per kWh excluding VAT. Times are HH:MM, the end is not included, a window may run past midnight (23:00–06:00); leave both times empty for the whole day. Every half-hour of every ticked day needs exactly one rate.'
        }
        rows={f.rates}
        onChange={(rates) => update({ rates })}
        err={err}
        problems={rateProblems}
        submitted={submitted}
        presets={
          <>
            <button
              type="button"
              className="btn btn-small"
              onClick={() => update({ rates: presetRows('single', f.rates) })}
            >
              Single rate
            </button>
            <button
              type="button"
              className="btn btn-small"
              onClick={() => update({ rates: presetRows('e7', f.rates) })}
            >
              Economy 7 (00:30–07:30)
            </button>
            <button
              type="button"
              className="btn btn-small"
              title="Economy 10 windows vary by supplier and region: this is an example. Adjust the times to the meter's."
              onClick={() => update({ rates: presetRows('e10', f.rates) })}
            >
              Economy 10 (example windows)
            </button>
          </>
        }
        presetNote={
          f.rates.some((r) => r.name === 'Off-peak')
            ? 'Economy 10 off-peak windows differ by supplier and region: 00:00–05:00, 13:00–16:00 and 20:00–22:00 is an example. Check the times on the bill.'
            : null
        }
      />

      {showDuos ? (
        <RatesEditor
          list="duos"
          title="DUoS unit rates (optional)"
          intro="Distribution (DUoS) red/amber/green rates charged in addition to the unit rates, p/kWh excluding VAT. Times differ by distribution area: check your DNO’s time bands."
          rows={f.duos}
          onChange={(duos) => update({ duos })}
          err={err}
          problems={duosProblems}
          submitted={submitted}
          presets={
            <>
              <button
                type="button"
                className="btn btn-small"
                onClick={() => update({ duos: presetRows('duos', f.duos) })}
              >
                Red / amber / green (example times)
              </button>
              <button
                type="button"
                className="btn btn-small btn-quiet"
                onClick={() => {
                  update({ duos: [] });
                  setShowDuos(false);
                }}
              >
                Remove DUoS rates
              </button>
            </>
          }
          presetNote={null}
        />
      ) : (
        <div>
          <button
            type="button"
            className="btn btn-small"
            onClick={() => {
              setShowDuos(true);
              if (f.duos.length === 0) update({ duos: presetRows('duos') });
            }}
          >
            + Add DUoS rates (red / amber / green)
          </button>
        </div>
      )}

      <Field id="tf-notes" label="Notes (optional)" error={err('notes')}>
        {(c) => (
          <textarea
            {...c}
            className="input"
            rows={2}
            value={f.notes}
            placeholder="e.g. contract reference, renewal date"
            onChange={(e) => update({ notes: e.currentTarget.value })}
          />
        )}
      </Field>

      {server.message && (
        <div className="callout callout-error" role="alert" data-testid="tariff-form-error">
          <strong>Not saved.</strong> {server.message}
        </div>
      )}
      {submitted && !check.spec && (
        <p className="callout callout-error small" role="alert" data-testid="tariff-form-summary">
          Not saved: {problemCount === 1 ? 'one thing needs' : `${problemCount} things need`} fixing (marked above).
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy
            ? 'Saving…'
            : mode === 'new'
              ? 'Create tariff'
              : mode === 'new-version'
                ? 'Add version'
                : 'Save version'}
        </button>
        <button type="button" className="btn btn-quiet" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </Form>
  );
}

function RegionsField({
  value,
  error,
  onChange,
}: {
  value: number[];
  error?: string | undefined;
  onChange: (v: number[]) => void;
}) {
  const set = new Set(value);
  return (
    <fieldset className={`field regions-field ${error ? 'field-invalid' : ''}`}>
      <legend className="field-label">Sold in</legend>
      <div className="regions-head small">
        <span className={value.length === 0 ? 'strong' : 'muted'} data-testid="tf-regions-summary">
          {value.length === 0 ? 'National (every area)' : `${value.length} of 14 areas`}
        </span>
        {value.length > 0 && (
          <button type="button" className="btn btn-link small" onClick={() => onChange([])}>
            Make national
          </button>
        )}
        <span className="muted">Tick the distribution areas the tariff is sold in; none ticked = national.</span>
      </div>
      <div className="regions-grid">
        {DISTRIBUTORS.map((d) => (
          <label key={d.id} className="checkbox region-check">
            <input
              type="checkbox"
              checked={set.has(d.id)}
              onChange={(e) =>
                onChange(
                  e.currentTarget.checked ? [...value, d.id].sort((a, b) => a - b) : value.filter((x) => x !== d.id),
                )
              }
            />
            <span>
              {d.name}{' '}
              <span className="muted small">
                {d.gsp} · {d.id}
              </span>
            </span>
          </label>
        ))}
      </div>
      {error && (
        <span className="field-error" role="alert">
          {error}
        </span>
      )}
    </fieldset>
  );
}
