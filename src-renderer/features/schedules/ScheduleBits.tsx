/**
 * What the schedule screens share: a run's result badge, Run now (its outcome said in a message),
 * the on/off switch, the names of the sites and meters a schedule covers, and a path that breaks
 * only after its slashes.
 */
import { Fragment, useEffect, useMemo, useState } from 'react';
import type { MeterSummary, ScheduleRun, ScheduleSummary, SiteSummary } from '../../../src-shared/contract/types';
import { getClient } from '../../api/instance';
import { useCan } from '../../components/Can';
import { useQuery } from '../../lib/query';
import { useAppStore } from '../../stores/app';
import { useMetersStore } from '../../stores/meters';
import { toggleArgs } from './schedule-form';
import { RUN_STATUS_LABEL, RUN_STATUS_TONE, runText, slashPieces, type ScopeNames } from './words';

/** A path or address that a narrow column breaks only after a slash, never mid-word. */
export function Slashed({ text, testId }: { text: string; testId?: string }) {
  return (
    <span className="schedule-path" data-testid={testId}>
      {slashPieces(text).map((p, i) => (
        <Fragment key={i}>
          {i > 0 && <wbr />}
          {p}
        </Fragment>
      ))}
    </span>
  );
}

export function RunBadge({ status }: { status: ScheduleRun['status'] }) {
  return (
    <span className={`badge badge-tone-${RUN_STATUS_TONE[status]}`} data-testid="schedule-status" data-status={status}>
      {RUN_STATUS_LABEL[status]}
    </span>
  );
}

/** The sites and meters to choose from (fetched once), and their names, so a schedule's scope reads as words. */
export function useScopeLists(): { sites: SiteSummary[] | null; meters: MeterSummary[] | null; names: ScopeNames } {
  const sites = useQuery('sites', () => getClient().call('sites.list', {}));
  const meters = useMetersStore((s) => s.meters);
  useEffect(() => {
    if (!useMetersStore.getState().meters) void useMetersStore.getState().fetchMeters();
  }, []);
  const names = useMemo(
    () => ({
      sites: new Map((sites.data ?? []).map((s) => [s.id, s.name])),
      meters: new Map((meters ?? []).map((m) => [m.mpan, m.label])),
    }),
    [sites.data, meters],
  );
  return { sites: sites.data, meters, names };
}

/** Calls `reload` every few seconds while any of `schedules` is running (a run started by its timer or elsewhere). */
export function useWhileRunning(schedules: readonly ScheduleSummary[] | null, reload: () => void): void {
  const running = (schedules ?? []).some((s) => s.lastRun?.status === 'running');
  useEffect(() => {
    if (!running) return;
    const t = setInterval(reload, 3000);
    return () => clearInterval(t);
  }, [running, reload]);
}

/** Run now (a manager or an administrator): the schedule runs at once; its result is said when it ends. */
export function RunNowButton({
  schedule,
  onRun,
  small = false,
}: {
  schedule: ScheduleSummary;
  onRun: (run: ScheduleRun) => void;
  small?: boolean;
}) {
  const can = useCan();
  const [busy, setBusy] = useState(false);
  if (!can('schedules.run')) return null;
  const running = schedule.lastRun?.status === 'running';
  const run = async () => {
    setBusy(true);
    try {
      const r = await getClient().call('schedules.run', { id: schedule.id });
      const toast = useAppStore.getState().toast;
      if (r.status === 'failed')
        toast({ kind: 'error', title: `${schedule.name}: the run failed`, message: runText(r) });
      else
        toast({
          kind: 'success',
          title: `${schedule.name}: ${r.status === 'running' ? 'still running' : 'delivered'}`,
          message: runText(r),
        });
      onRun(r);
    } catch (e) {
      useAppStore.getState().toastError(`Could not run ${schedule.name}`, e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <button
      type="button"
      className={small ? 'btn btn-small' : 'btn'}
      onClick={() => void run()}
      disabled={busy || running}
      data-testid="schedule-run"
    >
      {busy || running ? 'Running…' : 'Run now'}
    </button>
  );
}

/** On or off: an administrator switches it (the rest of the schedule and its secrets stay); others see which. */
export function EnabledSwitch({ schedule, onChanged }: { schedule: ScheduleSummary; onChanged: () => void }) {
  const can = useCan();
  const [busy, setBusy] = useState(false);
  if (!can('schedules.save'))
    return <span className={schedule.enabled ? '' : 'muted'}>{schedule.enabled ? 'On' : 'Off'}</span>;
  const flip = async (enabled: boolean) => {
    setBusy(true);
    try {
      await getClient().call('schedules.save', toggleArgs(schedule, enabled));
      useAppStore.getState().toast({
        kind: 'success',
        title: `${schedule.name} ${enabled ? 'switched on' : 'switched off'}`,
        message: enabled ? 'It runs on its schedule again.' : 'It will not run until switched on; Run now still works.',
      });
      onChanged();
    } catch (e) {
      useAppStore.getState().toastError(`Could not switch ${schedule.name} ${enabled ? 'on' : 'off'}`, e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <label className="checkbox schedule-switch">
      <input
        type="checkbox"
        role="switch"
        checked={schedule.enabled}
        disabled={busy}
        aria-label={`${schedule.name} runs on its schedule`}
        onChange={(e) => void flip(e.currentTarget.checked)}
        data-testid="schedule-enabled"
      />
      {schedule.enabled ? 'On' : 'Off'}
    </label>
  );
}

/** Remove, after a second click that says what goes with it; `onRemoved` after it is gone. */
export function RemoveButton({
  schedule,
  onRemoved,
  small = false,
}: {
  schedule: ScheduleSummary;
  onRemoved: () => void;
  small?: boolean;
}) {
  const can = useCan();
  const [asking, setAsking] = useState(false);
  if (!can('schedules.remove')) return null;
  const size = small ? ' btn-small' : '';
  const remove = async () => {
    try {
      await getClient().call('schedules.remove', { id: schedule.id });
      useAppStore.getState().toast({
        kind: 'success',
        title: `Schedule “${schedule.name}” deleted`,
        message: 'Its delivery log went with it; files already delivered stay where they are.',
      });
      onRemoved();
    } catch (e) {
      useAppStore.getState().toastError(`Could not delete ${schedule.name}`, e);
    }
  };
  return asking ? (
    <span className="schedule-buttons" role="group" aria-label="Confirm deleting">
      <span className="small">Delete it and its log?</span>
      <button
        type="button"
        className={`btn btn-danger${size}`}
        onClick={() => void remove()}
        data-testid="schedule-remove-confirm"
      >
        Delete
      </button>
      <button type="button" className={`btn btn-quiet${size}`} onClick={() => setAsking(false)}>
        Keep
      </button>
    </span>
  ) : (
    <button
      type="button"
      className={`btn btn-quiet${size}`}
      onClick={() => setAsking(true)}
      data-testid="schedule-remove"
    >
      Delete
    </button>
  );
}
