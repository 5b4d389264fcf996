/**
 * A site's location, floor area and on-site generation: the inputs (shared by "New site" and the
 * site page) and the site page's "Site details" card that saves them with sites.update.
 */
import { useState } from 'react';
import { ROLE_RANK, type SiteSummary } from '../../../src-shared/contract/types';
import { getClient } from '../../api/instance';
import { Field } from '../../components/Field';
import { Form, useFormSubmit } from '../../components/Form';
import { formatInt } from '../../lib/format';
import { useAppStore } from '../../stores/app';
import { useDataStore } from '../../stores/data';
import { checkSiteFields, draftOfSite, type SiteFieldsDraft } from './site-fields';

/** What on-site generation changes, in one line. */
export const GENERATION_NOTE =
  'Solar panels or CHP hide the site’s own use by day, so its baseload is taken from 22:00–02:00 instead of the day’s 8 lowest half-hours.';

/** Latitude, longitude, floor area and the generation box. */
export function SiteFieldInputs({
  idPrefix,
  draft,
  onChange,
  errors,
  disabled = false,
}: {
  idPrefix: string;
  draft: SiteFieldsDraft;
  onChange: (d: SiteFieldsDraft) => void;
  errors: Record<string, string>;
  disabled?: boolean;
}) {
  const set = (k: keyof SiteFieldsDraft) => (e: { currentTarget: HTMLInputElement }) =>
    onChange({ ...draft, [k]: k === 'generation' ? e.currentTarget.checked : e.currentTarget.value });
  return (
    <>
      <div className="site-location">
        <Field id={`${idPrefix}-latitude`} label="Latitude" error={errors.latitude}>
          {(c) => (
            <input
              {...c}
              className="input input-narrow"
              inputMode="decimal"
              value={draft.latitude}
              disabled={disabled}
              placeholder="e.g. 51.38"
              onChange={set('latitude')}
            />
          )}
        </Field>
        <Field id={`${idPrefix}-longitude`} label="Longitude" error={errors.longitude}>
          {(c) => (
            <input
              {...c}
              className="input input-narrow"
              inputMode="decimal"
              value={draft.longitude}
              disabled={disabled}
              placeholder="e.g. −2.36"
              onChange={set('longitude')}
            />
          )}
        </Field>
      </div>
      <p className="field-hint muted small site-location-hint">
        Decimal degrees; west of Greenwich is negative (Bath is 51.38, −2.36). Needed to fetch the site’s weather.
      </p>
      <Field id={`${idPrefix}-floor-area`} label="Floor area (m²)" error={errors.floorAreaM2}>
        {(c) => (
          <span className="input-with-unit">
            <input
              {...c}
              className="input input-narrow"
              inputMode="decimal"
              value={draft.floorArea}
              disabled={disabled}
              placeholder="e.g. 2400"
              onChange={set('floorArea')}
            />
            <span className="muted small">m², for baseload per m²</span>
          </span>
        )}
      </Field>
      <div className="field">
        <label className="checkbox">
          <input
            type="checkbox"
            checked={draft.generation}
            disabled={disabled}
            onChange={set('generation')}
            data-testid={`${idPrefix}-generation`}
          />
          On-site generation
        </label>
        <p className="field-hint muted small">{GENERATION_NOTE}</p>
      </div>
    </>
  );
}

/** The site page's card: the fields, saved together. */
export function SiteDetailsCard({ site }: { site: SiteSummary }) {
  const role = useAppStore((s) => s.info?.role);
  const canEdit = role === undefined || ROLE_RANK[role] >= ROLE_RANK.manager;
  const bump = useDataStore((s) => s.bump);
  const [draft, setDraft] = useState(() => draftOfSite(site));
  const { busy, errors, setErrors, submit } = useFormSubmit('Could not save the site details');
  const saved = draftOfSite(site);
  const changed = JSON.stringify(draft) !== JSON.stringify(saved);

  const save = () => {
    const r = checkSiteFields(draft);
    return submit(r.ok ? {} : r.errors, async () => {
      if (!r.ok) return;
      const s = await getClient().call('sites.update', { id: site.id, ...r.value });
      setDraft(draftOfSite(s));
      useAppStore.getState().toast({ kind: 'success', title: 'Site details saved' });
      bump();
    });
  };

  return (
    <section className="card card-pad" aria-labelledby="site-details-title" data-testid="site-details">
      <h2 id="site-details-title">Site details</h2>
      <p className="muted small" data-testid="site-details-summary">
        {site.latitude !== null && site.longitude !== null
          ? `At ${site.latitude}, ${String(site.longitude).replace('-', '\u2212')}`
          : 'No location'}
        {' · '}
        {site.floorAreaM2 !== null ? `${formatInt(site.floorAreaM2)} m²` : 'floor area not set'}
        {' · '}
        {site.generation ? 'on-site generation' : 'no on-site generation'}
      </p>
      <Form className="form form-compact" onSubmit={save}>
        <SiteFieldInputs
          idPrefix="site"
          draft={draft}
          onChange={(d) => {
            setDraft(d);
            if (Object.keys(errors).length) setErrors({});
          }}
          errors={errors}
          disabled={!canEdit || busy}
        />
        {canEdit && (
          <div className="form-actions">
            <button type="submit" className="btn btn-primary" disabled={busy || !changed}>
              {busy ? 'Saving…' : 'Save details'}
            </button>
            {changed && (
              <button
                type="button"
                className="btn btn-quiet"
                disabled={busy}
                onClick={() => {
                  setDraft(saved);
                  setErrors({});
                }}
              >
                Undo changes
              </button>
            )}
          </div>
        )}
      </Form>
    </section>
  );
}
