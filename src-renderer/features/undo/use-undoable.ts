/**
 * What every undo dialog does: asks the host what would change (a dry run, again whenever `key`
 * changes; a null key asks nothing), then, when confirmed, makes the change — busy meanwhile, the
 * host's refusal shown in words — and hands the result on.
 */
import { useEffect, useState } from 'react';
import { errorMessage } from '../../api/client';

export function useUndoable<P, R>(
  key: string | null,
  dryRun: () => Promise<P>,
  act: () => Promise<R>,
  done: (result: R) => void | Promise<void>,
) {
  const [preview, setPreview] = useState<P | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    setPreview(null);
    setError(null);
    if (key === null) return;
    let live = true;
    dryRun().then(
      (p) => live && setPreview(p),
      (e: unknown) => live && setError(errorMessage(e)),
    );
    return () => {
      live = false;
    };
    // the key names what is asked (dryRun is a new function every render)
  }, [key]);
  const confirm = async (): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      await done(await act());
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return { preview, error, busy, confirm };
}
