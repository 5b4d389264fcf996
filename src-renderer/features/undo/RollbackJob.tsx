/**
 * "Roll back…" on a finished import's card: a confirmation that names the file and the meters and
 * says, from a dry run, how many readings will be taken out and how many values put back, and that
 * roll-ups follow; and, on a rolled-back card, when and by whom.
 */
import { useState } from 'react';
import type { ImportJob } from '../../../src-shared/contract/types';
import { getClient } from '../../api/instance';
import { useCan } from '../../components/Can';
import { useAppStore } from '../../stores/app';
import { useImportsStore } from '../../stores/imports';
import { UndoDialog } from './UndoDialog';
import { useUndoable } from './use-undoable';
import { rollbackLines, rolledBackMessage, rolledBackNote } from './words';
import '../../styles/undo.css';

/** The button (finished, real imports; managers) and its confirmation. */
export function RollbackAction({ job }: { job: ImportJob }) {
  const can = useCan();
  const [open, setOpen] = useState(false);
  if (job.status !== 'done' || job.dryRun || !can('imports.rollback')) return null;
  return (
    <>
      <button
        type="button"
        className="btn btn-small btn-quiet"
        data-testid="rollback-open"
        onClick={() => setOpen(true)}
        title="Take out what this import wrote, as if it had never run"
      >
        Roll back…
      </button>
      {open && <RollbackDialog job={job} onClose={() => setOpen(false)} />}
    </>
  );
}

function RollbackDialog({ job, onClose }: { job: ImportJob; onClose: () => void }) {
  const { preview, error, busy, confirm } = useUndoable(
    String(job.id),
    () => getClient().call('imports.rollback', { id: job.id, dryRun: true }),
    () => getClient().call('imports.rollback', { id: job.id }),
    (r) => {
      useImportsStore.getState().upsert(r.job);
      useAppStore
        .getState()
        .toast({ kind: 'success', title: `${job.file} rolled back`, message: rolledBackMessage(r) });
      onClose();
    },
  );
  return (
    <UndoDialog
      open
      title={`Roll back ${job.file}?`}
      testId="rollback-dialog"
      confirm="Roll back import"
      busy={busy}
      ready={preview !== null}
      error={error}
      onConfirm={() => void confirm()}
      onClose={onClose}
    >
      {preview ? (
        <>
          <p className="small muted">
            Import job {job.id}
            {preview.meters.length > 0 && (
              <>
                {' '}
                into <span className="mono">{preview.meters.join(', ')}</span>
              </>
            )}
            , as if it had never run:
          </p>
          <ul className="undo-lines" data-testid="rollback-lines">
            {rollbackLines(preview).map((l) => (
              <li key={l}>{l}</li>
            ))}
          </ul>
        </>
      ) : error ? (
        <p className="muted small">This import cannot be rolled back.</p>
      ) : null}
    </UndoDialog>
  );
}

/** A rolled-back job's note: when, by whom, and what that did. */
export function RolledBackNote({ job }: { job: ImportJob }) {
  if (job.status !== 'rolled-back') return null;
  return (
    <div className="callout callout-info" role="status" data-testid="rolled-back-note">
      <strong>{rolledBackNote(job).replace(/\.$/, ':')} </strong>
      <span className="human-message">{job.outcome.summary.replace(/^Rolled back: /, '')}</span>
    </div>
  );
}
