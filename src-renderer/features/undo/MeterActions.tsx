/**
 * A meter page's actions menu: "Delete readings…" (a range of UK days) and "Delete meter…". Each
 * confirmation says what will go (a dry run), and the toast after it offers "Undo".
 */
import { useState } from 'react';
import type { MeterSummary } from '../../../src-shared/contract/types';
import { getClient } from '../../api/instance';
import { useCan } from '../../components/Can';
import { DateField } from '../../components/DateField';
import { Field } from '../../components/Field';
import { href } from '../../lib/route';
import { ActionsMenu } from './ActionsMenu';
import { leaveDeleted, toastDeleted } from './restore';
import { UndoDialog } from './UndoDialog';
import { useUndoable } from './use-undoable';
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

function DeleteMeter({ meter, onClose }: { meter: MeterSummary; onClose: () => void }) {
  const { preview, error, busy, confirm } = useUndoable(
    meter.mpan,
    () => getClient().call('meters.remove', { meter: meter.mpan, dryRun: true }),
    () => getClient().call('meters.remove', { meter: meter.mpan }),
    (e) => {
      onClose();
      return leaveDeleted(e, href.meter(meter.mpan));
    },
  );
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
  const range = dayRange(first, last);
  const whole = first !== '' && last !== '';
  const ask = (dryRun: boolean) => () =>
    getClient().call('readings.remove', {
      meter: meter.mpan,
      from: range.ok ? range.from : '',
      to: range.ok ? range.to : '',
      ...(dryRun ? { dryRun } : {}),
    });
  const { preview, error, busy, confirm } = useUndoable(
    range.ok ? `${range.from}/${range.to}` : null,
    ask(true),
    ask(false),
    (e) => {
      onClose();
      toastDeleted(e);
    },
  );
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
