/**
 * A site page's actions menu: "Delete site…", its meters kept (without a site) or, when chosen,
 * deleted with it. The confirmation says what will go (a dry run); the toast after it offers "Undo".
 */
import { useState } from 'react';
import type { SiteSummary } from '../../../src-shared/contract/types';
import { getClient } from '../../api/instance';
import { useCan } from '../../components/Can';
import { plural } from '../../lib/format';
import { href } from '../../lib/route';
import { ActionsMenu } from './ActionsMenu';
import { leaveDeleted } from './restore';
import { UndoDialog } from './UndoDialog';
import { useUndoable } from './use-undoable';
import '../../styles/undo.css';

export function SiteActions({ site }: { site: SiteSummary }) {
  const can = useCan();
  const [open, setOpen] = useState(false);
  if (!can('sites.remove')) return null;
  return (
    <>
      <ActionsMenu
        label={`Actions for site ${site.name}`}
        items={[{ label: 'Delete site…', testId: 'delete-site', run: () => setOpen(true) }]}
      />
      {open && <DeleteSite site={site} onClose={() => setOpen(false)} />}
    </>
  );
}

function DeleteSite({ site, onClose }: { site: SiteSummary; onClose: () => void }) {
  const [withMeters, setWithMeters] = useState(false);
  const { preview, error, busy, confirm } = useUndoable(
    String(withMeters),
    () => getClient().call('sites.remove', { id: site.id, withMeters, dryRun: true }),
    () => getClient().call('sites.remove', { id: site.id, withMeters }),
    (e) => {
      onClose();
      return leaveDeleted(e, href.site(site.id));
    },
  );
  return (
    <UndoDialog
      open
      title={`Delete site “${site.name}”?`}
      testId="delete-site-dialog"
      confirm={withMeters ? 'Delete site and meters' : 'Delete site'}
      busy={busy}
      ready={preview !== null}
      error={error}
      onConfirm={() => void confirm()}
      onClose={onClose}
    >
      <>
        {site.meters > 0 && (
          <label className="checkbox undo-check">
            <input
              type="checkbox"
              checked={withMeters}
              disabled={busy}
              data-testid="delete-site-meters"
              onChange={(e) => setWithMeters(e.currentTarget.checked)}
            />{' '}
            and its {plural(site.meters, 'meter')}, with their readings
          </label>
        )}
        {preview && <p data-testid="delete-what">{preview.label}.</p>}
        <p className="small muted">
          Its closures and weather go with it{withMeters ? ', and the meters’ tariffs and alerts with them' : ''}. You
          can undo this from the message that follows, or from Activity → Recently deleted for 30 days.
        </p>
      </>
    </UndoDialog>
  );
}
