/**
 * "New site": a modal dialog with a name (required) and, optionally, a postcode, a location, a floor
 * area and whether it generates on site. Opening hours and closures are set on the site's page.
 */
import { useEffect, useRef, useState } from 'react';
import type { SiteSummary } from '../../../src-shared/contract/types';
import { getClient } from '../../api/instance';
import { Form, useFormSubmit } from '../../components/Form';
import { useAppStore } from '../../stores/app';
import { NewSiteFields } from './NewSiteFields';
import { SiteFieldInputs } from './SiteDetails';
import { checkSiteFields, draftOfSite } from './site-fields';

/** UK postcodes, loosely: outward code, optional space, inward code (e.g. `LS1 4AP`, `SW1A1AA`). */
export const POSTCODE = /^[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}$/i;

export function NewSiteDialog({
  open,
  onClose,
  onCreated,
}: {
  open: boolean;
  onClose: () => void;
  onCreated: (s: SiteSummary) => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const [name, setName] = useState('');
  const [postcode, setPostcode] = useState('');
  const [fields, setFields] = useState(() => draftOfSite(null));
  const { busy, errors, setErrors, submit } = useFormSubmit('Could not create the site');

  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) {
      setName('');
      setPostcode('');
      setFields(draftOfSite(null));
      setErrors({});
      d.showModal();
    } else if (!open && d.open) d.close();
  }, [open]);

  const create = () => {
    const local: Record<string, string> = {};
    if (!name.trim()) local.name = 'A site needs a name';
    if (postcode.trim() && !POSTCODE.test(postcode.trim())) local.postcode = 'enter a UK postcode, e.g. LS1 4AP';
    const more = checkSiteFields(fields);
    if (!more.ok) Object.assign(local, more.errors);
    return submit(local, async () => {
      if (!more.ok) return;
      const { latitude, longitude, floorAreaM2, generation } = more.value;
      const site = await getClient().call('sites.create', {
        name: name.trim(),
        ...(postcode.trim() ? { postcode: postcode.trim().toUpperCase() } : {}),
        ...(latitude !== null && longitude !== null ? { latitude, longitude } : {}),
        ...(floorAreaM2 !== null ? { floorAreaM2 } : {}),
        ...(generation ? { generation } : {}),
      });
      useAppStore.getState().toast({ kind: 'success', title: `Site “${site.name}” created` });
      onCreated(site);
    });
  };

  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby="new-site-title"
      onClose={onClose}
      data-testid="new-site-dialog"
    >
      <Form method="dialog" className="form" onSubmit={create}>
        <h2 id="new-site-title">New site</h2>
        <p className="muted small">A site groups meters at one address. Assign meters to it from each meter’s page.</p>
        <NewSiteFields
          idPrefix="site"
          nameLabel="Name"
          name={name}
          postcode={postcode}
          onName={setName}
          onPostcode={setPostcode}
          nameError={errors.name}
          postcodeError={errors.postcode}
        />
        <SiteFieldInputs idPrefix="new-site" draft={fields} onChange={setFields} errors={errors} disabled={busy} />
        <p className="muted small">
          Opening hours start as Monday–Friday 08:00–18:00; change them, and add closures, on the site’s page.
        </p>
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {busy ? 'Creating…' : 'Create site'}
          </button>
          <button type="button" className="btn btn-quiet" onClick={onClose} disabled={busy}>
            Cancel
          </button>
        </div>
      </Form>
    </dialog>
  );
}
