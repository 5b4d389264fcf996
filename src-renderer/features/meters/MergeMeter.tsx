/**
 * "Merge into another meter…": two meters that are one (e.g. the same file imported with and
 * without a meter id) become one through `meters.merge`. The confirmation says what will happen;
 * half-hours the two meters hold with different values are listed, and the user chooses which
 * value stays before anything is written.
 */
import { useState } from 'react';
import { AppError } from '../../../src-shared/contract/errors';
import { ROLE_RANK, type MeterMergeResult, type MeterSummary } from '../../../src-shared/contract/types';
import { errorMessage } from '../../api/client';
import { getClient } from '../../api/instance';
import { formatInt, formatKwh, formatUkDateTime, plural } from '../../lib/format';
import { href, navigate } from '../../lib/route';
import { useAppStore } from '../../stores/app';
import { useMetersStore } from '../../stores/meters';

interface Conflicts {
  count: number;
  list: MeterMergeResult['conflicts'];
}

const name = (m: MeterSummary): string => (m.label ? `${m.mpan} · ${m.label}` : m.mpan);

export function MergeMeter({ meter }: { meter: MeterSummary }) {
  const role = useAppStore((s) => s.info?.role);
  // merging needs the manager role (checked again in the core)
  if (role !== undefined && ROLE_RANK[role] < ROLE_RANK.manager) return null;
  return <MergeCard meter={meter} />;
}

function MergeCard({ meter }: { meter: MeterSummary }) {
  const meters = useMetersStore((s) => s.meters);
  const toast = useAppStore((s) => s.toast);
  const [open, setOpen] = useState(false);
  const [into, setInto] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [conflicts, setConflicts] = useState<Conflicts | null>(null);
  const others = (meters ?? []).filter((m) => m.mpan !== meter.mpan && m.fuel === meter.fuel);
  const target = others.find((m) => m.mpan === into) ?? null;

  const close = (): void => {
    setOpen(false);
    setInto('');
    setError(null);
    setConflicts(null);
  };

  const merge = async (onConflict?: 'keep' | 'replace'): Promise<void> => {
    if (!target) return;
    setBusy(true);
    setError(null);
    try {
      const r = await getClient().call('meters.merge', {
        from: meter.mpan,
        into: target.mpan,
        ...(onConflict ? { onConflict } : {}),
      });
      await useMetersStore.getState().fetchMeters();
      toast({
        kind: 'success',
        title: `Merged into ${r.into}`,
        message:
          `${plural(r.moved, 'reading')} moved, ${plural(r.duplicates, 'reading')} already there` +
          (r.conflictCount
            ? `, ${plural(r.conflictCount, 'conflicting half-hour')} (kept ${r.conflicts[0]?.kept === 'from' ? r.from : r.into}'s values)`
            : '') +
          (r.tariffAssignmentsDropped ? `, ${plural(r.tariffAssignmentsDropped, 'tariff assignment')} dropped` : '') +
          `; ${r.from} was removed.`,
      });
      navigate(href.meter(r.into));
    } catch (e) {
      const d = e instanceof AppError ? (e.details as { reason?: string } | undefined) : undefined;
      if (d?.reason === 'merge-conflicts') {
        const c = d as unknown as { conflictCount: number; conflicts: MeterMergeResult['conflicts'] };
        setConflicts({ count: c.conflictCount, list: c.conflicts });
      } else setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  if (!open)
    return (
      <section className="card card-pad meter-merge" aria-label="Merge meters">
        <div>
          <div className="field-label">Same meter twice?</div>
          <p className="muted small">
            If another meter holds the same supply (for example the same file imported with and without a meter id),
            merge them so nothing is counted twice.
          </p>
        </div>
        <button type="button" className="btn btn-small" data-testid="merge-open" onClick={() => setOpen(true)}>
          Merge into another meter…
        </button>
      </section>
    );

  return (
    <section
      className="card card-pad meter-merge meter-merge-open"
      aria-label="Merge into another meter"
      data-testid="merge-form"
    >
      <label className="field-label" htmlFor="merge-into">
        Merge {meter.mpan} into
      </label>
      {others.length === 0 ? (
        <p className="muted">There is no other {meter.fuel} meter to merge it into.</p>
      ) : (
        <select
          id="merge-into"
          className="input"
          value={into}
          disabled={busy}
          onChange={(e) => {
            setInto(e.currentTarget.value);
            setConflicts(null);
            setError(null);
          }}
        >
          <option value="">Choose a meter…</option>
          {others.map((m) => (
            <option key={m.mpan} value={m.mpan}>
              {name(m)} ({plural(m.readings, 'reading')})
            </option>
          ))}
        </select>
      )}
      {target && !conflicts && (
        <div className="callout callout-warn" role="alertdialog" aria-label="Confirm merge">
          <div>
            <strong>
              Merge {meter.mpan} into {target.mpan}?
            </strong>
            <ul className="merge-steps">
              <li>
                Its {plural(meter.readings, 'reading')} move to {target.mpan}; half-hours {target.mpan} already holds
                with the same value are counted once.
              </li>
              <li>
                Its site, label and supplier move to {target.mpan} where {target.mpan} has none; so do its tariff
                assignments if {target.mpan} has none (otherwise they are dropped).
              </li>
              <li>{meter.mpan} is then removed. This cannot be undone.</li>
            </ul>
            <p className="small muted">
              If any half-hour holds different values in the two meters, you choose which stays first.
            </p>
          </div>
          <span className="job-actions">
            <button type="button" className="btn btn-small btn-primary" disabled={busy} onClick={() => void merge()}>
              Merge meters
            </button>
            <button type="button" className="btn btn-small btn-quiet" disabled={busy} onClick={close}>
              Cancel
            </button>
          </span>
        </div>
      )}
      {target && conflicts && (
        <div className="callout callout-warn" role="alertdialog" aria-label="Conflicting half-hours">
          <div>
            <strong>
              {plural(conflicts.count, 'half-hour')} {conflicts.count === 1 ? 'holds' : 'hold'} different values in the
              two meters
            </strong>
            <table className="table table-compact merge-conflicts">
              <thead>
                <tr>
                  <th scope="col">Half-hour</th>
                  <th scope="col" className="num">
                    {meter.mpan}
                  </th>
                  <th scope="col" className="num">
                    {target.mpan}
                  </th>
                </tr>
              </thead>
              <tbody>
                {conflicts.list.slice(0, 5).map((c) => (
                  <tr key={c.start}>
                    <td>{formatUkDateTime(c.start)}</td>
                    <td className="num">{c.from === null ? 'missing' : `${formatKwh(c.from)} kWh`}</td>
                    <td className="num">{c.into === null ? 'missing' : `${formatKwh(c.into)} kWh`}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {conflicts.count > 5 && <p className="small muted">… and {formatInt(conflicts.count - 5)} more.</p>}
          </div>
          <span className="job-actions">
            <button type="button" className="btn btn-small" disabled={busy} onClick={() => void merge('keep')}>
              Keep {target.mpan}&rsquo;s values
            </button>
            <button type="button" className="btn btn-small" disabled={busy} onClick={() => void merge('replace')}>
              Use {meter.mpan}&rsquo;s values
            </button>
            <button type="button" className="btn btn-small btn-quiet" disabled={busy} onClick={close}>
              Cancel
            </button>
          </span>
        </div>
      )}
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      {!target && (
        <button type="button" className="btn btn-small btn-quiet" onClick={close}>
          Cancel
        </button>
      )}
    </section>
  );
}
