/**
 * The confirmation every undoable change goes through: a modal that says what will change (loaded
 * by a dry run, shown as it arrives), a red button that does it, and the reason when the host refuses.
 */
import { useEffect, useRef, type ReactNode } from 'react';
import { Spinner } from '../../components/States';

export function UndoDialog({
  open,
  title,
  testId,
  children,
  confirm,
  busy,
  ready,
  error,
  onConfirm,
  onClose,
}: {
  open: boolean;
  title: string;
  testId: string;
  /** What will change (null while the dry run loads). */
  children: ReactNode | null;
  confirm: string;
  busy: boolean;
  /** False while what will change is not known yet, or nothing would. */
  ready: boolean;
  error: string | null;
  onConfirm: () => void;
  onClose: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    else if (!open && d.open) d.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      className="dialog undo-dialog"
      aria-labelledby={`${testId}-title`}
      onClose={onClose}
      data-testid={testId}
    >
      <h2 id={`${testId}-title`}>{title}</h2>
      <div className="undo-what" aria-live="polite">
        {children ?? <Spinner label="Working out what will change" />}
      </div>
      {error && (
        <p className="callout callout-error small human-message" role="alert">
          {error}
        </p>
      )}
      <div className="form-actions">
        <button
          type="button"
          className="btn btn-danger"
          disabled={busy || !ready}
          onClick={onConfirm}
          data-testid={`${testId}-confirm`}
        >
          {busy ? 'Working…' : confirm}
        </button>
        <button type="button" className="btn btn-quiet" onClick={onClose} disabled={busy}>
          Cancel
        </button>
      </div>
    </dialog>
  );
}
