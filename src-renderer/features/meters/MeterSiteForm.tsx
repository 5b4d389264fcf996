/** Assigning a meter to a site (an existing one or a new one) and giving it a label. */
import { useState } from 'react';
import type { MeterSummary } from '../../../src-shared/contract/types';
import { getClient } from '../../api/instance';
import { useCan } from '../../components/Can';
import { Field } from '../../components/Field';
import { Form, useFormSubmit } from '../../components/Form';
import { useQuery } from '../../lib/query';
import { href } from '../../lib/route';
import { useAppStore } from '../../stores/app';
import { useMetersStore } from '../../stores/meters';
import { NewSiteFields } from '../sites/NewSiteFields';

const NEW = 'new';

export function MeterSiteForm({ meter }: { meter: MeterSummary }) {
  const [editing, setEditing] = useState(false);
  const can = useCan();
  if (!editing) {
    return (
      <section className="card card-pad meter-site" aria-label="Site and label" data-testid="meter-site">
        <div className="meter-site-summary">
          <div>
            <div className="field-label">Label</div>
            <div>{meter.label ?? <span className="muted">No label</span>}</div>
          </div>
          <div>
            <div className="field-label">Site</div>
            <div>
              {meter.siteId !== null ? (
                <a href={href.site(meter.siteId)}>{meter.site ?? `Site ${meter.siteId}`}</a>
              ) : (
                <span className="muted">Unassigned</span>
              )}
            </div>
          </div>
          {can('meters.update') && (
            <button type="button" className="btn btn-small" onClick={() => setEditing(true)}>
              {meter.siteId === null ? 'Assign to a site…' : 'Change site or label…'}
            </button>
          )}
        </div>
      </section>
    );
  }
  return <EditForm meter={meter} onDone={() => setEditing(false)} />;
}

function EditForm({ meter, onDone }: { meter: MeterSummary; onDone: () => void }) {
  const sites = useQuery('sites', () => getClient().call('sites.list', {}));
  const [label, setLabel] = useState(meter.label ?? '');
  const [site, setSite] = useState(meter.siteId === null ? '' : String(meter.siteId));
  const [name, setName] = useState('');
  const [postcode, setPostcode] = useState('');
  const { busy, errors, submit } = useFormSubmit('Could not update the meter');
  const toast = useAppStore((s) => s.toast);

  const save = () => {
    const local: Record<string, string> = {};
    if (site === NEW && !name.trim()) local.name = 'A site needs a name';
    if (label.trim().length > 120) local.label = 'at most 120 characters';
    return submit(local, async () => {
      const client = getClient();
      let siteId: number | null = site === '' ? null : Number(site);
      if (site === NEW) {
        // the new site's own problems (name, postcode) show on its fields, as the meter's do
        siteId = (
          await client.call('sites.create', {
            name: name.trim(),
            ...(postcode.trim() ? { postcode: postcode.trim().toUpperCase() } : {}),
          })
        ).id;
      }
      await client.call('meters.update', { meter: meter.mpan, siteId, label: label.trim() || null });
      await useMetersStore.getState().fetchMeters();
      toast({
        kind: 'success',
        title: 'Meter updated',
        message: siteId === null ? `${meter.mpan} is not assigned to a site.` : `${meter.mpan} saved.`,
      });
      onDone();
    });
  };

  return (
    <Form
      className="card card-pad form meter-site"
      aria-label="Site and label"
      data-testid="meter-site-form"
      onSubmit={save}
    >
      <div className="form-row">
        <Field
          id="meter-label"
          label="Label"
          error={errors.label}
          hint="A name people recognise, e.g. “Main incomer” or “Kitchen gas”."
        >
          {(c) => (
            <input
              {...c}
              className="input"
              value={label}
              maxLength={120}
              onChange={(e) => setLabel(e.currentTarget.value)}
              placeholder="e.g. Main incomer"
            />
          )}
        </Field>
        <Field id="meter-site-select" label="Site" error={errors.siteId}>
          {(c) => (
            <>
              <select
                {...c}
                className="input"
                value={site}
                onChange={(e) => setSite(e.currentTarget.value)}
                disabled={sites.load === 'loading' && !sites.data}
              >
                <option value="">Unassigned</option>
                {(sites.data ?? []).map((s) => (
                  <option key={s.id} value={String(s.id)}>
                    {s.name}
                    {s.postcode ? ` (${s.postcode})` : ''}
                  </option>
                ))}
                <option value={NEW}>New site…</option>
              </select>
              {sites.load === 'error' && <span className="field-error">Could not load the sites: {sites.error}</span>}
            </>
          )}
        </Field>
      </div>
      {site === NEW && (
        <div className="form-row">
          <NewSiteFields
            idPrefix="new-site"
            name={name}
            postcode={postcode}
            onName={setName}
            onPostcode={setPostcode}
            nameError={errors.name}
            postcodeError={errors.postcode}
          />
        </div>
      )}
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? 'Saving…' : 'Save'}
        </button>
        <button type="button" className="btn btn-quiet" onClick={onDone} disabled={busy}>
          Cancel
        </button>
      </div>
    </Form>
  );
}
