/**
 * After a deletion: a toast that says what went, with "Undo" (trash.restore) for as long as it
 * shows; the "Recently deleted" list puts it back later.
 */
import type { TrashEntry } from '../../../src-shared/contract/types';
import { getClient } from '../../api/instance';
import { href, navigate } from '../../lib/route';
import { useAppStore } from '../../stores/app';
import { useMetersStore } from '../../stores/meters';

/** How long the toast with "Undo" stays. */
const UNDO_TOAST_MS = 20_000;

/** Puts deletion `id` back; says so, or why not (a meter created since, readings imported since…). */
export async function restoreDeletion(id: number, onRestored?: (e: TrashEntry) => void): Promise<boolean> {
  const app = useAppStore.getState();
  try {
    const e = await getClient().call('trash.restore', { id });
    app.toast({ kind: 'success', title: 'Put back', message: e.label });
    onRestored?.(e);
    return true;
  } catch (err) {
    app.toastError('Could not put it back', err);
    return false;
  }
}

/** The toast after a deletion, with "Undo". */
export function toastDeleted(entry: TrashEntry, onRestored?: (e: TrashEntry) => void): void {
  useAppStore.getState().toast(
    {
      kind: 'success',
      title: 'Deleted',
      message: `${entry.label}. Recently deleted (Activity) keeps it for 30 days.`,
      action: { label: 'Undo', run: () => void restoreDeletion(entry.id, onRestored) },
    },
    UNDO_TOAST_MS,
  );
}

/** After deleting what a page shows: to the meters list, with the toast whose Undo comes back to `back`. */
export async function leaveDeleted(entry: TrashEntry, back: string): Promise<void> {
  await useMetersStore.getState().fetchMeters();
  navigate(href.meters);
  toastDeleted(entry, () => {
    void useMetersStore.getState().fetchMeters();
    navigate(back);
  });
}
