/**
 * A meter page's actions menu: "Delete readings…" (a range of UK days) and "Delete meter…". Each
 * confirmation says what will go (a dry run), and the toast after it offers "Undo".
 */
import { useEffect, useState } from 'react';
import type { MeterSummary, TrashEntry } from '../../../src-shared/contract/types';
import { errorMessage } from '../../api/client';
import { getClient } from '../../api/instance';
import { useCan } from '../../components/Can';
import { DateField } from '../../components/DateField';
import { Field } from '../../components/Field';
import { href, navigate } from '../../lib/route';
import { useMetersStore } from '../../stores/meters';
import { ActionsMenu } from './ActionsMenu';
import { toastDeleted } from './restore';
import { UndoDialog } from './UndoDialog';
import { dayRange } from './words';
import '../../styles/undo.css';

type Asking = 'readings' | 'meter' | null;

export function MeterActions({ meter }: { meter: MeterSummary }) {
  const can = useCan();
  const [asking, setAsking] = useState<Asking>(null);
  const items = [
    ...(can('readings.remove') && meter.readings > 0
      ? [{ label: 'Delete readings…', testId: 'delete-readings', run: () => setAsking('readings') }]
      : []),
    ...(can('meters.remove')
      ? [{ label: 'Delete meter…', testId: 'delete-meter', run: () => setAsking('meter') }]
      : []),
  ];
  if (items.length === 0) return null;
  return (
    <>
      <ActionsMenu label={`Actions for meter ${meter.mpan}`} items={items} />
      {asking === 'meter' && <DeleteMeter meter={meter} onClose={() => setAsking(null)} />}
      {asking === 'readings' && <DeleteReadings meter={meter} onClose={() => setAsking(null)} />}
    </>
  );
}

/** A dry run's entry while the dialog is open (null until it answers). */
function usePreview(ask: (() => Promise<TrashEntry>) | null, key: string) {
  const [preview, setPreview] = useState<TrashEntry | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setPreview(null);
    setError(null);
    if (!ask) return;
    let live = true;
    ask().then(
      (e) => live && setPreview(e),
      (e: unknown) => live && setError(errorMessage(e)),
    );
    return () => {
      live = false;
    };
    // the key names what is asked (ask is a new function every render)
  }, [key]);
  return { preview, error, setError };
}

function DeleteMeter({ meter, onClose }: { meter: MeterSummary; onClose: () => void }) {
  const [busy, setBusy] = useState(false);
  const { preview, error, setError } = usePreview(
    () => getClient().call('meters.remove', { meter: meter.mpan, dryRun: true }),
    meter.mpan,
  );
  const confirm = async (): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      const e = await getClient().call('meters.remove', { meter: meter.mpan });
      onClose();
      await useMetersStore.getState().fetchMeters();
      navigate(href.meters);
      toastDeleted(e, () => {
        void useMetersStore.getState().fetchMeters();
        navigate(href.meter(meter.mpan));
      });
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <UndoDialog
      open
      title={`Delete meter ${meter.mpan}?`}
      testId="delete-meter-dialog"
      confirm="Delete meter"
      busy={busy}
      ready={preview !== null}
      error={error}
      onConfirm={() => void confirm()}
      onClose={onClose}
    >
      {preview && (
        <>
          <p data-testid="delete-what">{preview.label}.</p>
          <p className="small muted">
            Its roll-ups, costs and alerts go with it. You can undo this from the message that follows, or from Activity
            → Recently deleted for 30 days.
          </p>
        </>
      )}
    </UndoDialog>
  );
}

function DeleteReadings({ meter, onClose }: { meter: MeterSummary; onClose: () => void }) {
  const [first, setFirst] = useState('');
  const [last, setLast] = useState('');
  const [busy, setBusy] = useState(false);
  const range = dayRange(first, last);
  const whole = first !== '' && last !== '';
  const { preview, error, setError } = usePreview(
    range.ok
      ? () => getClient().call('readings.remove', { meter: meter.mpan, from: range.from, to: range.to, dryRun: true })
      : null,
    range.ok ? `${range.from}/${range.to}` : '',
  );
  const confirm = async (): Promise<void> => {
    if (!range.ok) return;
    setBusy(true);
    setError(null);
    try {
      const e = await getClient().call('readings.remove', { meter: meter.mpan, from: range.from, to: range.to });
      onClose();
      toastDeleted(e);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  const errors = whole && !range.ok ? range.errors : {};
  return (
    <UndoDialog
      open
      title={`Delete readings of ${meter.mpan}`}
      testId="delete-readings-dialog"
      confirm="Delete readings"
      busy={busy}
      ready={preview !== null && preview.counts.halfHours > 0}
      error={error}
      onConfirm={() => void confirm()}
      onClose={onClose}
    >
      <div className="undo-range">
        <Field id="delete-first" label="First day" error={errors.first}>
          {(c) => <DateField {...c} value={first} onChange={setFirst} testId="delete-first" />}
        </Field>
        <Field id="delete-last" label="Last day (included)" error={errors.last}>
          {(c) => <DateField {...c} value={last} onChange={setLast} testId="delete-last" />}
        </Field>
      </div>
      {!range.ok ? (
        <p className="small muted">Choose the first and last UK day whose half-hours should go.</p>
      ) : preview ? (
        <p data-testid="delete-what">
          {preview.counts.halfHours > 0
            ? `${preview.label}. Roll-ups, analyses and alerts follow; you can undo it for 30 days.`
            : `${preview.label}: nothing to delete.`}
        </p>
      ) : null}
    </UndoDialog>
  );
}
