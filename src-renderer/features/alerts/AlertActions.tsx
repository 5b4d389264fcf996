/**
 * What can be done to an alert, in the inbox's rows and on its own page: acknowledge it (with an
 * optional note, asked for in a small dialog), resolve it, snooze it until a day (or wake it), and
 * "Show on chart" (the alert's link). Also the severity badge both show.
 */
import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { Alert, AlertSeverity } from '../../../src-shared/contract/types';
import { getClient } from '../../api/instance';
import { DateField } from '../../components/DateField';
import { Field } from '../../components/Field';
import { Form, useFormSubmit } from '../../components/Form';
import { isIsoDay, parseUkDate } from '../../lib/format';
import { ukToday } from '../../../src-shared/domain/periods';
import { useAppStore } from '../../stores/app';
import { SEVERITY_LABEL, SEVERITY_TONE, snoozeDay } from './words';

export function SeverityBadge({ severity }: { severity: AlertSeverity }) {
  return (
    <span className={`badge badge-tone-${SEVERITY_TONE[severity]}`} data-severity={severity}>
      {SEVERITY_LABEL[severity]}
    </span>
  );
}

type Asking = { kind: 'ack' | 'snooze'; alert: Alert } | null;

/**
 * The actions' dialog and the functions that open it: `ask('ack' | 'snooze', alert)`, and `resolve`.
 * `onChanged` gets the alert as it now is.
 */
export function useAlertActions(onChanged: (a: Alert) => void): {
  ask: (kind: 'ack' | 'snooze', alert: Alert) => void;
  resolve: (alert: Alert) => Promise<void>;
  dialog: ReactNode;
} {
  const [asking, setAsking] = useState<Asking>(null);
  const resolve = async (alert: Alert) => {
    try {
      const a = await getClient().call('alerts.resolve', { id: alert.id });
      useAppStore.getState().toast({ kind: 'success', title: 'Alert resolved', message: a.message });
      onChanged(a);
    } catch (e) {
      useAppStore.getState().toastError('Could not resolve the alert', e);
    }
  };
  const dialog = (
    <ActionDialog
      asking={asking}
      onClose={() => setAsking(null)}
      onDone={(a) => {
        setAsking(null);
        onChanged(a);
      }}
    />
  );
  return { ask: (kind, alert) => setAsking({ kind, alert }), resolve, dialog };
}

function ActionDialog({
  asking,
  onClose,
  onDone,
}: {
  asking: Asking;
  onClose: () => void;
  onDone: (a: Alert) => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const [note, setNote] = useState('');
  const [until, setUntil] = useState('');
  const { busy, errors, setErrors, submit } = useFormSubmit(
    asking?.kind === 'snooze' ? 'Could not snooze the alert' : 'Could not acknowledge the alert',
  );

  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (asking && !d.open) {
      setNote('');
      setUntil(asking.alert.snoozedUntil ? snoozeDay(asking.alert.snoozedUntil) : '');
      setErrors({});
      d.showModal();
    } else if (!asking && d.open) d.close();
  }, [asking]);

  const go = () => {
    if (!asking) return;
    const id = asking.alert.id;
    if (asking.kind === 'ack')
      return submit({}, async () => {
        onDone(await getClient().call('alerts.ack', { id, ...(note.trim() ? { note: note.trim() } : {}) }));
        useAppStore.getState().toast({ kind: 'success', title: 'Alert acknowledged' });
      });
    const local: Record<string, string> = {};
    const parsed = parseUkDate(until);
    if (!isIsoDay(until))
      local.until = !until || parsed.ok ? 'Enter a day as DD/MM/YYYY, e.g. 20/01/2025' : parsed.error;
    else if (until <= ukToday()) local.until = 'Choose a day after today';
    return submit(local, async () => {
      onDone(await getClient().call('alerts.snooze', { id, until }));
      useAppStore.getState().toast({ kind: 'success', title: 'Alert snoozed' });
    });
  };

  const wake = () =>
    asking &&
    submit({}, async () => {
      onDone(await getClient().call('alerts.snooze', { id: asking.alert.id, until: null }));
      useAppStore.getState().toast({ kind: 'success', title: 'Alert woken' });
    });

  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby="alert-action-title"
      onClose={onClose}
      data-testid="alert-dialog"
    >
      {asking && (
        <Form method="dialog" className="form" onSubmit={go}>
          <h2 id="alert-action-title">{asking.kind === 'ack' ? 'Acknowledge the alert' : 'Snooze the alert'}</h2>
          <p className="muted small">{asking.alert.message}</p>
          {asking.kind === 'ack' ? (
            <Field
              id="alert-note"
              label="Note (optional)"
              error={errors.note}
              hint="What you found or are doing about it. Kept with the alert."
            >
              {(c) => (
                <textarea
                  {...c}
                  className="input"
                  rows={3}
                  maxLength={2000}
                  value={note}
                  onChange={(e) => setNote(e.currentTarget.value)}
                />
              )}
            </Field>
          ) : (
            <Field
              id="alert-until"
              label="Snooze until"
              error={errors.until}
              hint="The alert leaves the badge and the open list until this day (UK time), then comes back if still open."
            >
              {(c) => <DateField {...c} value={until} onChange={setUntil} min={ukToday()} />}
            </Field>
          )}
          <div className="form-actions">
            <button type="submit" className="btn btn-primary" disabled={busy}>
              {asking.kind === 'ack' ? (busy ? 'Acknowledging…' : 'Acknowledge') : busy ? 'Snoozing…' : 'Snooze'}
            </button>
            {asking.kind === 'snooze' && asking.alert.snoozedUntil && (
              <button type="button" className="btn" disabled={busy} onClick={wake}>
                Wake it now
              </button>
            )}
            <button type="button" className="btn btn-quiet" onClick={onClose}>
              Cancel
            </button>
          </div>
        </Form>
      )}
    </dialog>
  );
}

/** The buttons for one alert (those its state allows), and its "Show on chart" link. */
export function AlertButtons({
  alert,
  canAct,
  ask,
  resolve,
  small = false,
}: {
  alert: Alert;
  canAct: boolean;
  ask: (kind: 'ack' | 'snooze', alert: Alert) => void;
  resolve: (alert: Alert) => Promise<void>;
  small?: boolean;
}) {
  const cls = small ? 'btn btn-small' : 'btn';
  const named = { 'data-alert': alert.id };
  return (
    <span className="alert-buttons">
      {canAct && alert.status === 'open' && (
        <button type="button" className={cls} onClick={() => ask('ack', alert)} data-testid="alert-ack" {...named}>
          Acknowledge
        </button>
      )}
      {canAct && alert.status !== 'resolved' && (
        <>
          <button
            type="button"
            className={cls}
            onClick={() => void resolve(alert)}
            data-testid="alert-resolve"
            {...named}
          >
            Resolve
          </button>
          <button
            type="button"
            className={cls}
            onClick={() => ask('snooze', alert)}
            data-testid="alert-snooze"
            {...named}
          >
            {alert.snoozedUntil ? 'Snoozed…' : 'Snooze…'}
          </button>
        </>
      )}
      {alert.link && (
        <a className={`${cls} btn-quiet`} href={alert.link} data-testid="alert-link">
          {alert.link.startsWith('#/meters/') ? 'Show on chart' : 'Open'}
        </a>
      )}
    </span>
  );
}
