/** A meter's tariffs over time, assigning one, and its supplier and agreed capacity. */
import { useEffect, useState } from 'react';
import type { MeterSummary, Tariff, TariffAssignment } from '../../../src-shared/contract/types';
import { getClient } from '../../api/instance';
import { DataTable, type Column } from '../../components/DataTable';
import { exportName, timeColumns } from '../../components/table-export';
import { DateField } from '../../components/DateField';
import { Field } from '../../components/Field';
import { Form, useFormSubmit } from '../../components/Form';
import { EmptyState, Skeleton } from '../../components/States';
import { formatDay, formatUkDate, formatUkDateTime, parseUkDate } from '../../lib/format';
import type { Query } from '../../lib/query';
import { href } from '../../lib/route';
import { useAppStore } from '../../stores/app';
import { useMetersStore } from '../../stores/meters';
import { ukToday } from '../../../src-shared/domain/periods';
import { firstReadingDay } from './CostRange';
import '../../styles/costs.css';
import { QueryProblem } from '../../components/ProblemState';

const FUEL_NAME = { electricity: 'electricity', gas: 'gas' } as const;

/** Tariffs for the select: on sale first, then the rest; each group by supplier and name. */
export function sortTariffs(list: readonly Tariff[]): Tariff[] {
  return [...list].sort(
    (a, b) =>
      Number(b.active) - Number(a.active) || a.supplier.localeCompare(b.supplier) || a.name.localeCompare(b.name),
  );
}

export function tariffOptionText(t: Tariff): string {
  return `${t.name} — ${t.supplier}${t.isDefault ? ' (supplier default)' : ''}`;
}

export function CostTariffCard({
  meter,
  tariffs,
  assignments,
  canManage,
  onChanged,
}: {
  meter: MeterSummary;
  tariffs: Query<Tariff[]>;
  assignments: Query<TariffAssignment[]>;
  canManage: boolean;
  onChanged: () => void;
}) {
  const list = tariffs.data ?? [];
  const noTariffs = tariffs.load === 'ready' && list.length === 0;
  return (
    <section className="card cost-card" aria-labelledby="cost-tariff-title" data-testid="cost-tariff">
      <div className="card-header">
        <h3 id="cost-tariff-title">Tariff</h3>
        <span className="muted small">
          Which tariff priced which days. Days before the first assignment use the supplier’s default tariff.
        </span>
      </div>
      <div className="card-pad cost-tariff-body">
        {noTariffs && (
          <div className="callout callout-info" data-testid="no-tariffs">
            There are no {FUEL_NAME[meter.fuel]} tariffs yet, so this meter cannot be priced. Add or import them on the{' '}
            <a href={href.tariffs}>Tariffs page</a>, then assign one here.
          </div>
        )}
        {assignments.load === 'error' && !assignments.data ? (
          <QueryProblem title="Could not load the meter’s tariffs" q={assignments} />
        ) : !assignments.data ? (
          <Skeleton rows={2} label="Loading the meter’s tariffs" />
        ) : (
          <AssignmentsTable meter={meter} rows={assignments.data} canManage={canManage} onChanged={onChanged} />
        )}
        {canManage && list.length > 0 && (
          <AssignForm
            meter={meter}
            tariffs={list}
            hasAssignments={(assignments.data?.length ?? 0) > 0}
            onChanged={onChanged}
          />
        )}
        <SupplierForm meter={meter} tariffs={list} canManage={canManage} onChanged={onChanged} />
      </div>
    </section>
  );
}

function AssignmentsTable({
  meter,
  rows,
  canManage,
  onChanged,
}: {
  meter: MeterSummary;
  rows: TariffAssignment[];
  canManage: boolean;
  onChanged: () => void;
}) {
  const [confirm, setConfirm] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (rows.length === 0) {
    return (
      <EmptyState title="No tariff assigned">
        {meter.supplier
          ? `Days are priced on ${meter.supplier}’s default ${FUEL_NAME[meter.fuel]} tariff, if there is one. Assign the tariff on the bill for an accurate cost.`
          : 'Assign the tariff on the bill (or set the supplier below, to use its default tariff) to see costs.'}
      </EmptyState>
    );
  }
  const remove = async (from: string) => {
    setBusy(true);
    try {
      await getClient().call('tariffs.unassign', { meter: meter.mpan, from });
      useAppStore.getState().toast({
        kind: 'success',
        title: 'Assignment removed',
        message: `The tariff from ${formatUkDate(`${from}T12:00:00Z`)} was removed.`,
      });
      setConfirm(null);
      onChanged();
    } catch (e) {
      useAppStore.getState().toastError('Could not remove the assignment', e);
    } finally {
      setBusy(false);
    }
  };
  const today = ukToday();
  const day = (iso: string) => formatUkDate(`${iso}T12:00:00Z`);
  const columns: (Column<TariffAssignment> | false)[] = [
    {
      header: 'Tariff',
      cell: (a) => (
        <>
          <span className="strong">{a.tariffName}</span> <span className="muted small mono">{a.tariff}</span>
          {a.from <= today && (a.to === null || a.to > today) && (
            <span className="badge badge-done cost-badge">current</span>
          )}
        </>
      ),
      csv: [
        { header: 'Tariff', value: (a) => a.tariffName },
        { header: 'Tariff id', value: (a) => a.tariff },
      ],
    },
    { header: 'From', cell: (a) => day(a.from), csv: (a) => a.from },
    {
      header: 'Until (last day)',
      cellProps: (a) => ({ title: a.to ? `The next tariff starts on ${day(a.to)}` : undefined }),
      cell: (a) =>
        a.to ? formatUkDate(Date.parse(`${a.to}T12:00:00Z`) - 86_400_000) : <span className="muted">ongoing</span>,
      csv: (a) => a.to,
      csvHeader: 'To (exclusive)',
    },
    {
      header: 'Assigned',
      className: 'muted small',
      cell: (a) => (
        <>
          {a.assignedBy}, {formatUkDateTime(a.assignedAt)}
        </>
      ),
      csv: [
        { header: 'Assigned by', value: (a) => a.assignedBy },
        ...timeColumns<TariffAssignment>('Assigned', (a) => a.assignedAt),
      ],
    },
    canManage && {
      header: <span className="sr-only">Actions</span>,
      className: 'num',
      cell: (a) =>
        confirm === a.from ? (
          <span className="job-actions">
            <span className="small">Remove?</span>
            <button
              type="button"
              className="btn btn-small btn-danger"
              disabled={busy}
              onClick={() => void remove(a.from)}
            >
              Remove
            </button>
            <button type="button" className="btn btn-small btn-quiet" disabled={busy} onClick={() => setConfirm(null)}>
              Keep
            </button>
          </span>
        ) : (
          <button
            type="button"
            className="btn btn-small btn-quiet"
            onClick={() => setConfirm(a.from)}
            aria-label={`Remove the assignment of ${a.tariffName} from ${formatDay(a.from)}`}
          >
            Remove…
          </button>
        ),
    },
  ];
  return (
    <DataTable
      columns={columns}
      rows={[...rows].reverse()}
      rowKey={(a) => a.from}
      rowProps={(a) => ({ 'data-testid': 'assignment-row', 'data-tariff': a.tariff, 'data-from': a.from })}
      className="table-compact assignments-table"
      testId="assignments"
      exportName={exportName('tariff-assignments', meter.mpan)}
    />
  );
}

function AssignForm({
  meter,
  tariffs,
  hasAssignments,
  onChanged,
}: {
  meter: MeterSummary;
  tariffs: Tariff[];
  hasAssignments: boolean;
  onChanged: () => void;
}) {
  const sorted = sortTariffs(tariffs);
  const [tariff, setTariff] = useState(() => sorted[0]?.id ?? '');
  const [from, setFrom] = useState(() => (hasAssignments ? ukToday() : (firstReadingDay(meter) ?? ukToday())));
  const [kva, setKva] = useState('');
  const { busy, errors, submit } = useFormSubmit('Could not assign the tariff');
  const needsKva = (id: string) =>
    tariffs.find((t) => t.id === id)?.versions.some((v) => (v.spec.capacityPencePerKvaPerDay ?? 0) > 0) ?? false;

  const assign = () => {
    const local: Record<string, string> = {};
    if (!tariff) local.tariff = 'choose a tariff';
    const day = parseUkDate(from);
    if (!day.ok) local.from = day.error;
    const k = kva.trim() === '' ? undefined : Number(kva);
    if (k !== undefined && (!Number.isFinite(k) || k <= 0))
      local.capacityKva = 'a capacity above 0 kVA, or leave it empty';
    return submit(local, async () => {
      await getClient().call('tariffs.assign', {
        meter: meter.mpan,
        tariff,
        from: day.ok ? day.iso : from,
        ...(k !== undefined ? { capacityKva: k } : {}),
      });
      const name = tariffs.find((t) => t.id === tariff)?.name ?? tariff;
      useAppStore.getState().toast({
        kind: 'success',
        title: 'Tariff assigned',
        message: `${meter.mpan} is on ${name} from ${formatDay(day.ok ? day.iso : from)}.`,
      });
      setKva('');
      if (k !== undefined) void useMetersStore.getState().fetchMeters();
      onChanged();
    });
  };

  const active = sorted.filter((t) => t.active);
  const ended = sorted.filter((t) => !t.active);
  return (
    <Form className="cost-assign" aria-label="Assign tariff" data-testid="assign-form" onSubmit={assign}>
      <h4>Assign tariff</h4>
      <div className="cost-assign-row">
        <Field id="assign-tariff" label="Tariff" error={errors.tariff} plain>
          {(c) => (
            <select {...c} className="input" value={tariff} onChange={(e) => setTariff(e.currentTarget.value)}>
              {active.length > 0 && (
                <optgroup label="On sale">
                  {active.map((t) => (
                    <option key={t.id} value={t.id}>
                      {tariffOptionText(t)}
                    </option>
                  ))}
                </optgroup>
              )}
              {ended.length > 0 && (
                <optgroup label="No longer on sale">
                  {ended.map((t) => (
                    <option key={t.id} value={t.id}>
                      {tariffOptionText(t)}
                    </option>
                  ))}
                </optgroup>
              )}
            </select>
          )}
        </Field>
        <Field id="assign-from" label="From (UK day)" error={errors.from} plain>
          {(c) => <DateField {...c} value={from} onChange={setFrom} />}
        </Field>
        <Field
          id="assign-kva"
          label={`Capacity kVA ${needsKva(tariff) ? '(this tariff has a capacity charge)' : '(optional)'}`}
          error={errors.capacityKva}
          plain
        >
          {(c) => (
            <input
              {...c}
              type="number"
              min="0"
              step="any"
              inputMode="decimal"
              className="input"
              value={kva}
              placeholder={meter.capacityKva !== null ? String(meter.capacityKva) : 'e.g. 200'}
              onChange={(e) => setKva(e.currentTarget.value)}
            />
          )}
        </Field>
        <div className="cost-assign-submit">
          <button type="submit" className="btn btn-primary" disabled={busy || !tariff}>
            {busy ? 'Assigning…' : 'Assign tariff'}
          </button>
        </div>
      </div>
      <p className="muted small cost-hint">
        The tariff applies from that day until the next assignment. Assigning on a day that already has one replaces it.
      </p>
    </Form>
  );
}

function SupplierForm({
  meter,
  tariffs,
  canManage,
  onChanged,
}: {
  meter: MeterSummary;
  tariffs: Tariff[];
  canManage: boolean;
  onChanged: () => void;
}) {
  const [supplier, setSupplier] = useState(meter.supplier ?? '');
  const [kva, setKva] = useState(meter.capacityKva === null ? '' : String(meter.capacityKva));
  const { busy, errors, submit } = useFormSubmit('Could not update the meter');
  useEffect(() => {
    setSupplier(meter.supplier ?? '');
    setKva(meter.capacityKva === null ? '' : String(meter.capacityKva));
  }, [meter.supplier, meter.capacityKva]);
  const suppliers = [...new Set(tariffs.map((t) => t.supplier))].sort();
  const defaults = tariffs.filter(
    (t) => t.isDefault && meter.supplier && t.supplier.toLowerCase() === meter.supplier.toLowerCase(),
  );
  const dirty =
    supplier.trim() !== (meter.supplier ?? '') ||
    kva.trim() !== (meter.capacityKva === null ? '' : String(meter.capacityKva));

  const save = () => {
    const k = kva.trim() === '' ? null : Number(kva);
    const local: Record<string, string> = {};
    if (k !== null && (!Number.isFinite(k) || k <= 0)) local.capacityKva = 'a capacity above 0 kVA, or leave it empty';
    return submit(local, async () => {
      await getClient().call('meters.update', { meter: meter.mpan, supplier: supplier.trim() || null, capacityKva: k });
      await useMetersStore.getState().fetchMeters();
      useAppStore
        .getState()
        .toast({ kind: 'success', title: 'Meter updated', message: `Supplier and capacity saved for ${meter.mpan}.` });
      onChanged();
    });
  };

  if (!canManage) {
    return (
      <dl className="cost-facts" data-testid="meter-supplier">
        <div>
          <dt>Supplier</dt>
          <dd>{meter.supplier ?? <span className="muted">Not set</span>}</dd>
        </div>
        <div>
          <dt>Agreed capacity</dt>
          <dd>{meter.capacityKva !== null ? `${meter.capacityKva} kVA` : <span className="muted">Not set</span>}</dd>
        </div>
      </dl>
    );
  }
  return (
    <Form
      className="cost-assign cost-supplier"
      aria-label="Supplier and capacity"
      data-testid="supplier-form"
      onSubmit={save}
    >
      <h4>Supplier and capacity</h4>
      <div className="cost-assign-row">
        <Field id="meter-supplier" label="Supplier" error={errors.supplier} plain>
          {(c) => (
            <>
              <input
                {...c}
                className="input"
                list="meter-supplier-list"
                maxLength={120}
                value={supplier}
                placeholder="e.g. Acme Energy"
                onChange={(e) => setSupplier(e.currentTarget.value)}
              />
              <datalist id="meter-supplier-list">
                {suppliers.map((s) => (
                  <option key={s} value={s} />
                ))}
              </datalist>
            </>
          )}
        </Field>
        <Field id="meter-kva" label="Agreed capacity (kVA)" error={errors.capacityKva} plain>
          {(c) => (
            <input
              {...c}
              type="number"
              min="0"
              step="any"
              inputMode="decimal"
              className="input"
              value={kva}
              placeholder="Not set"
              onChange={(e) => setKva(e.currentTarget.value)}
            />
          )}
        </Field>
        <div className="cost-assign-submit">
          <button type="submit" className="btn" disabled={busy || !dirty}>
            {busy ? 'Saving…' : 'Save'}
          </button>
        </div>
      </div>
      <p className="muted small cost-hint">
        {meter.supplier
          ? defaults.length > 0
            ? `Days without an assignment are priced on ${defaults.map((t) => t.name).join(' or ')} (${meter.supplier}’s default).`
            : `${meter.supplier} has no default ${FUEL_NAME[meter.fuel]} tariff here, so days without an assignment cannot be priced.`
          : 'The supplier’s default tariff prices days without an assignment. Capacity is needed for tariffs with a capacity (availability) charge.'}
      </p>
    </Form>
  );
}
