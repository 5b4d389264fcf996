import { useState } from 'react';
import type { EmissionFactor, Fuel } from '../../../src-shared/contract/types';
import { errorMessage } from '../../api/client';
import { getClient } from '../../api/instance';
import { DataTable, type Column } from '../../components/DataTable';
import { exportName } from '../../components/table-export';
import { Field } from '../../components/Field';
import { Form, useFormSubmit } from '../../components/Form';
import { FUEL_NAME } from '../../components/FuelBadge';
import { Skeleton } from '../../components/States';
import { CO2 } from '../../lib/format';
import { useQuery } from '../../lib/query';
import { useAppStore } from '../../stores/app';
import { QueryProblem } from '../../components/ProblemState';

const COLUMNS: Column<EmissionFactor>[] = [
  { header: 'Year', cell: (f) => f.year, csv: (f) => f.year },
  { header: 'Fuel', cell: (f) => FUEL_NAME[f.fuel], csv: (f) => FUEL_NAME[f.fuel] },
  {
    header: `kg${CO2}e per kWh`,
    num: true,
    cell: (f) => f.kgPerKwh.toFixed(5),
    csv: (f) => f.kgPerKwh,
    csvHeader: 'kg CO2e per kWh',
  },
  { header: 'Source', className: 'muted small', cell: (f) => f.source ?? '—', csv: (f) => f.source },
];

/**
 * The UK Government conversion factors the annual emissions method uses (kgCO2e per kWh, by year
 * and fuel). Admins can add a year or change a factor, e.g. to match the figures an auditor uses.
 */
export function FactorsCard({ readOnly }: { readOnly: boolean }) {
  const q = useQuery('carbon-factors', () => getClient().call('carbon.factors', {}));
  const [year, setYear] = useState(String(new Date().getUTCFullYear()));
  const [fuel, setFuel] = useState<Fuel>('electricity');
  const [factor, setFactor] = useState('');
  const [source, setSource] = useState('');
  // a refusal that names no field (e.g. not an admin) is shown under the factor
  const { busy, errors, submit } = useFormSubmit((e) => ({ kgPerKwh: errorMessage(e) }));
  const toast = useAppStore((s) => s.toast);

  const save = () => {
    const local: Record<string, string> = {};
    if (!/^\d{4}$/.test(year.trim())) local.year = 'enter a year, e.g. 2025';
    if (!(Number(factor) > 0)) local.kgPerKwh = `Enter a factor in kg${CO2}e per kWh, e.g. 0.177.`;
    return submit(local, async () => {
      await getClient().call('carbon.setFactor', {
        year: Number(year),
        fuel,
        kgPerKwh: Number(factor),
        ...(source.trim() ? { source: source.trim() } : {}),
      });
      toast({ kind: 'success', title: `Saved the ${year} ${fuel} factor` });
      setFactor('');
      setSource('');
      q.reload();
    });
  };

  const rows: EmissionFactor[] = q.data ?? [];
  return (
    <section className="card card-pad" aria-labelledby="factors-title" data-testid="factors-card">
      <h2 id="factors-title">Conversion factors</h2>
      <p className="muted small">
        UK Government GHG conversion factors (location-based, kgCO₂e per kWh) used by the annual emissions method; a
        year without its own factor uses the latest earlier one.
      </p>
      {q.load === 'error' && !q.data ? (
        <QueryProblem title="Could not load the factors" q={q} />
      ) : !q.data ? (
        <Skeleton rows={3} label="Loading factors" />
      ) : (
        <DataTable
          columns={COLUMNS}
          rows={rows}
          rowKey={(f) => `${f.year}-${f.fuel}`}
          rowProps={() => ({ 'data-testid': 'factor-row' })}
          className="table-compact"
          testId="factors-table"
          exportName={exportName('carbon-factors')}
        />
      )}
      {!readOnly && (
        <Form className="form factor-form" onSubmit={save}>
          <h3 className="form-section-title">Add or change a factor</h3>
          <Field id="factor-year" label="Year" error={errors.year}>
            {(c) => (
              <input
                {...c}
                className="input input-narrow"
                inputMode="numeric"
                value={year}
                onChange={(e) => setYear(e.currentTarget.value)}
              />
            )}
          </Field>
          <Field id="factor-fuel" label="Fuel">
            {(c) => (
              <select
                {...c}
                className="input input-narrow"
                value={fuel}
                onChange={(e) => setFuel(e.currentTarget.value as Fuel)}
              >
                <option value="electricity">Electricity</option>
                <option value="gas">Gas</option>
              </select>
            )}
          </Field>
          <Field id="factor-value" label={`kg${CO2}e per kWh`} error={errors.kgPerKwh}>
            {(c) => (
              <input
                {...c}
                className="input input-narrow"
                inputMode="decimal"
                placeholder="0.177"
                value={factor}
                onChange={(e) => setFactor(e.currentTarget.value)}
              />
            )}
          </Field>
          <Field id="factor-source" label="Source (optional)">
            {(c) => (
              <input
                {...c}
                className="input input-wide"
                placeholder="e.g. DESNZ conversion factors 2025"
                value={source}
                onChange={(e) => setSource(e.currentTarget.value)}
              />
            )}
          </Field>
          <div className="form-actions">
            <button type="submit" className="btn btn-primary" disabled={busy}>
              {busy ? 'Saving…' : 'Save factor'}
            </button>
          </div>
        </Form>
      )}
    </section>
  );
}
