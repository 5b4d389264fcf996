/**
 * What the data feed screens share: a feed's status badge, the Run now button (its result said in a
 * message), and keeping a screen up to date as runs start and end and their imports move on.
 */
import { useEffect, useRef, useState } from 'react';
import type { SourceRun, SourceStatus, SourceSummary } from '../../../src-shared/contract/types';
import { getClient } from '../../api/instance';
import { useCan } from '../../components/Can';
import { useAppStore } from '../../stores/app';
import { STATUS_LABEL, STATUS_TONE, runSummary } from './words';

export function SourceStatusBadge({ status }: { status: SourceStatus }) {
  return (
    <span className={`badge badge-tone-${STATUS_TONE[status]}`} data-testid="source-status" data-status={status}>
      {STATUS_LABEL[status]}
    </span>
  );
}

/** Calls `reload` (at most every half second) when a feed changes or an import it may have queued moves on. */
export function useSourceEvents(reload: () => void): void {
  const latest = useRef(reload);
  latest.current = reload;
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    const soon = () => {
      if (timer) return;
      timer = setTimeout(() => {
        timer = null;
        latest.current();
      }, 500);
    };
    const client = getClient();
    const offs = [
      client.onEvent('sources.changed', soon),
      client.onEvent('imports.updated', ({ job }) => {
        if (job.status === 'done' || job.status === 'failed') soon();
      }),
    ];
    return () => {
      offs.forEach((o) => o());
      if (timer) clearTimeout(timer);
    };
  }, []);
}

/** Run now: the feed runs at once (a manager or an administrator); its result is said when it ends. */
export function RunNowButton({
  source,
  onRun,
  small = false,
}: {
  source: SourceSummary;
  onRun?: (run: SourceRun) => void;
  small?: boolean;
}) {
  const can = useCan();
  const [busy, setBusy] = useState(false);
  if (!can('sources.run')) return null;
  const run = async () => {
    setBusy(true);
    try {
      const [r] = await getClient().call('sources.run', { id: source.id });
      if (r) {
        onRun?.(r);
        if (r.status === 'failed')
          useAppStore
            .getState()
            .toast({ kind: 'error', title: `${source.name}: the run failed`, message: r.error ?? undefined });
        else
          useAppStore.getState().toast({
            kind: 'success',
            title: `${source.name}: ${r.status === 'running' ? 'already running' : 'run finished'}`,
            message: runSummary(r),
          });
      }
    } catch (e) {
      useAppStore.getState().toastError(`Could not run ${source.name}`, e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <button
      type="button"
      className={`btn ${small ? 'btn-small' : ''}`}
      onClick={() => void run()}
      disabled={busy || source.status === 'running'}
      data-testid="source-run"
    >
      {busy || source.status === 'running' ? 'Running…' : 'Run now'}
    </button>
  );
}
