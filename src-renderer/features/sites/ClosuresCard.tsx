/**
 * A site's closures (school holidays, shutdowns): listed by their first and last day closed (both
 * included), added with two UK dates and a note, removed one at a time. Their days count as holidays
 * in the site's analysis.
 */
import { useState } from 'react';
import { ROLE_RANK, type SiteClosure, type SiteDetail } from '../../../src-shared/contract/types';
import { getClient } from '../../api/instance';
import { DataTable, type Column } from '../../components/DataTable';
import { exportName } from '../../components/table-export';
import { DateField } from '../../components/DateField';
import { Field } from '../../components/Field';
import { Form, useFormSubmit } from '../../components/Form';
import { isoToUkDate, plural } from '../../lib/format';
import { useAppStore } from '../../stores/app';
import { useDataStore } from '../../stores/data';
import { checkClosure, closureDays, closureLastDay } from './site-fields';

export function ClosuresCard({ d }: { d: SiteDetail }) {
  const role = useAppStore((s) => s.info?.role);
  const canEdit = role === undefined || ROLE_RANK[role] >= ROLE_RANK.manager;
  const bump = useDataStore((s) => s.bump);
  const [removing, setRemoving] = useState<number | null>(null);
  const closures = [...d.closures].sort((a, b) => a.from.localeCompare(b.from) || a.id - b.id);

  const remove = async (c: SiteClosure) => {
    setRemoving(c.id);
    try {
      await getClient().call('sites.removeClosure', { siteId: c.siteId, id: c.id });
      useAppStore.getState().toast({
        kind: 'success',
        title: `Closure ${isoToUkDate(c.from)} to ${isoToUkDate(closureLastDay(c))} removed`,
      });
      bump();
    } catch (e) {
      useAppStore.getState().toastError('Could not remove the closure', e);
    } finally {
      setRemoving(null);
    }
  };

  const columns: (Column<SiteClosure> | false)[] = [
    { header: 'First day closed', cell: (c) => isoToUkDate(c.from), csv: (c) => c.from },
    { header: 'Last day closed', cell: (c) => isoToUkDate(closureLastDay(c)), csv: (c) => closureLastDay(c) },
    { header: 'Days', num: true, cell: (c) => closureDays(c), csv: (c) => closureDays(c) },
    { header: 'Note', cell: (c) => c.note ?? <span className="muted">—</span>, csv: (c) => c.note },
    canEdit && {
      header: <span className="sr-only">Remove</span>,
      cell: (c) => (
        <button
          type="button"
          className="btn btn-quiet btn-small"
          disabled={removing === c.id}
          aria-label={`Remove the closure from ${isoToUkDate(c.from)} to ${isoToUkDate(closureLastDay(c))}`}
          onClick={() => void remove(c)}
        >
          {removing === c.id ? 'Removing…' : 'Remove'}
        </button>
      ),
    },
  ];

  return (
    <section className="card card-pad" aria-labelledby="site-closures-title" data-testid="site-closures">
      <h2 id="site-closures-title">Closures</h2>
      <p className="muted small">
        Days the site is shut besides weekends and bank holidays (school holidays, shutdowns): use on them is shown as
        holiday use, and is part of the out-of-hours share (all use outside opening hours).
      </p>
      <DataTable
        columns={columns}
        rows={closures}
        rowKey={(c) => c.id}
        rowProps={(c) => ({ 'data-testid': 'closure-row', 'data-from': c.from, 'data-to': c.to })}
        className="table-compact"
        exportName={exportName(`site-${d.site.name}-closures`)}
        empty={<p className="muted small">No closures yet.</p>}
      />
      {closures.length > 0 && (
        <p className="muted small">
          {plural(
            closures.reduce((s, c) => s + closureDays(c), 0),
            'day',
          )}{' '}
          closed in all.
        </p>
      )}
      {canEdit && <AddClosure siteId={d.site.id} onAdded={bump} />}
    </section>
  );
}

function AddClosure({ siteId, onAdded }: { siteId: number; onAdded: () => void }) {
  const [first, setFirst] = useState('');
  const [last, setLast] = useState('');
  const [note, setNote] = useState('');
  const { busy, errors, submit } = useFormSubmit('Could not add the closure');
  const add = () => {
    const r = checkClosure(first, last);
    return submit(r.ok ? {} : r.errors, async () => {
      if (!r.ok) return;
      await getClient().call('sites.addClosure', {
        siteId,
        from: r.value.from,
        to: r.value.to,
        ...(note.trim() ? { note: note.trim() } : {}),
      });
      useAppStore.getState().toast({
        kind: 'success',
        title: `Closed ${isoToUkDate(r.value.from)} to ${isoToUkDate(closureLastDay(r.value))}`,
      });
      setFirst('');
      setLast('');
      setNote('');
      onAdded();
    });
  };
  return (
    <Form className="closure-form" onSubmit={add} data-testid="closure-form">
      <Field id="closure-first" label="First day closed" error={errors.first ?? errors.from}>
        {(c) => <DateField {...c} value={first} onChange={setFirst} />}
      </Field>
      <Field id="closure-last" label="Last day closed" error={errors.last ?? errors.to}>
        {(c) => <DateField {...c} value={last} onChange={setLast} />}
      </Field>
      <Field id="closure-note" label="Note (optional)" error={errors.note}>
        {(c) => (
          <input
            {...c}
            className="input"
            value={note}
            maxLength={200}
            placeholder="e.g. Christmas holidays"
            onChange={(e) => setNote(e.currentTarget.value)}
          />
        )}
      </Field>
      <div className="closure-add">
        <button type="submit" className="btn" disabled={busy}>
          {busy ? 'Adding…' : 'Add closure'}
        </button>
      </div>
    </Form>
  );
}
