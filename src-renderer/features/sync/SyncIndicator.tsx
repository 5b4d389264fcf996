/**
 * The shared server's status in the top bar, on every page: a dot and a short line ("Synced · 2 min
 * ago", "12 changes waiting", "Syncing…", "Offline since 10:42", "Sync error"; on a wide window the
 * rest of the sentence follows) leading to Settings → Shared server, the whole sentence in its
 * tooltip, and open readings conflicts as a badge leading to the conflicts page. Nothing shows while
 * no shared server is set up. The line is cut short with an ellipsis rather than wrapped, and sits
 * first in the bar's right-hand group, so a change of wording moves nothing else.
 */
import { useEffect } from 'react';
import { useNow } from '../../lib/hooks';
import { href } from '../../lib/route';
import { useSyncStore } from '../../stores/sync';
import '../../styles/sync.css';
import { conflictsBadgeText, frameStatus } from './words';

export function SyncIndicator() {
  const status = useSyncStore((s) => s.status);
  // "2 min ago" moves on while the app is open
  const now = useNow(status !== null && status.state !== 'off', 30_000);

  useEffect(() => {
    void useSyncStore.getState().fetch();
  }, []);
  // safety net: while a sync runs, ask now and then in case the event of its end was missed
  const running = status?.state === 'syncing';
  useEffect(() => {
    if (!running) return;
    const t = setInterval(() => void useSyncStore.getState().fetch(), 5000);
    return () => clearInterval(t);
  }, [running]);

  if (!status) return null;
  const f = frameStatus(status, now);
  const conflicts = status.openConflicts;
  if (!f && conflicts === 0) return null;
  return (
    <span className="sync-frame" data-testid="sync-frame">
      {f && (
        <a
          href={href.sharedServer}
          className={`conn sync-status sync-tone-${f.tone}`}
          title={f.full}
          aria-label={f.full}
          data-testid="sync-status"
          data-state={status.state}
        >
          <span className="sync-dot" aria-hidden="true" />
          <span className="sync-status-text" aria-hidden="true">
            {f.text}
            {f.more && <span className="sync-status-more">{f.more}</span>}
          </span>
        </a>
      )}
      {conflicts > 0 && (
        <a
          href={href.syncConflicts}
          className="sync-conflicts-badge"
          title={conflictsBadgeText(conflicts)}
          aria-label={conflictsBadgeText(conflicts)}
          data-testid="sync-conflicts-badge"
        >
          {conflicts > 999 ? '999+' : conflicts}
          <span className="sync-conflicts-word" aria-hidden="true">
            {conflicts === 1 ? ' conflict' : ' conflicts'}
          </span>
        </a>
      )}
    </span>
  );
}
