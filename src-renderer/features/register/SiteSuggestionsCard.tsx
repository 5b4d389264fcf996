/**
 * "Sites found in your files": the sites meter files named (the BANES export's Location and
 * PostCode) for meters that have no site yet. Each can be renamed, its postcode corrected and ticked;
 * "Create selected sites" creates them (or uses the site of that name) and puts their meters on them,
 * "Dismiss" stops offering them. Shown to managers and administrators, and only when there are some.
 */
import { useState } from 'react';
import type { SiteSuggestion } from '../../../src-shared/contract/types';
import { getClient } from '../../api/instance';
import { useCan } from '../../components/Can';
import { plural } from '../../lib/format';
import { useQuery } from '../../lib/query';
import { href } from '../../lib/route';
import { useAppStore } from '../../stores/app';
import { useDataStore } from '../../stores/data';
import { useMetersStore } from '../../stores/meters';
import { acceptItems, draftOf, suggestionKey, type SuggestionDraft } from './register-preview';
import '../../styles/register.css';

/** Meter ids listed before "and N more". */
const METERS_SHOWN = 4;

export function SiteSuggestionsCard() {
  const can = useCan()('sites.acceptSuggestions');
  const version = useDataStore((s) => s.version);
  const q = useQuery(can ? `site-suggestions:${version}` : null, () => getClient().call('sites.suggestions', {}));
  const [drafts, setDrafts] = useState<Record<string, SuggestionDraft>>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState<'create' | 'dismiss' | null>(null);
  const list = q.data ?? [];
  if (!can || list.length === 0) return null;

  const draft = (s: SiteSuggestion): SuggestionDraft => drafts[suggestionKey(s)] ?? draftOf(s);
  const edit = (s: SiteSuggestion, patch: Partial<SuggestionDraft>) =>
    setDrafts((d) => ({ ...d, [suggestionKey(s)]: { ...draft(s), ...patch } }));
  const chosen = list.filter((s) => draft(s).chosen).length;

  const act = async (dismiss: boolean) => {
    const r = acceptItems(list, drafts, dismiss);
    if (!r.ok) return setErrors(r.errors);
    setErrors({});
    if (r.items.length === 0) return;
    setBusy(dismiss ? 'dismiss' : 'create');
    try {
      const done = await getClient().call('sites.acceptSuggestions', { items: r.items });
      useAppStore.getState().toast({
        kind: 'success',
        title: dismiss
          ? `${plural(r.items.length, 'suggestion')} dismissed`
          : `${plural(done.sitesCreated, 'site')} created`,
        ...(dismiss
          ? {}
          : { message: `${plural(done.metersAssigned, 'meter')} now on ${plural(done.sites.length, 'site')}` }),
      });
      setDrafts({});
      q.reload();
      void useMetersStore.getState().fetchMeters();
    } catch (e) {
      useAppStore
        .getState()
        .toastError(dismiss ? 'Could not dismiss the suggestions' : 'Could not create the sites', e);
    } finally {
      setBusy(null);
    }
  };

  return (
    <section className="card site-suggestions" aria-labelledby="site-suggestions-title" data-testid="site-suggestions">
      <div className="card-header">
        <h3 id="site-suggestions-title">
          Sites found in your files<span className="count">{list.length}</span>
        </h3>
        <span className="muted small">Meter files named these sites; their meters are not on a site yet.</span>
      </div>
      <ul className="suggestion-list">
        {list.map((s) => {
          const key = suggestionKey(s);
          const d = draft(s);
          const id = `suggestion-${list.indexOf(s)}`;
          return (
            <li key={key} className={d.chosen ? undefined : 'suggestion-off'} data-testid="site-suggestion">
              <input
                type="checkbox"
                className="suggestion-check"
                checked={d.chosen}
                onChange={(e) => edit(s, { chosen: e.currentTarget.checked })}
                aria-label={`Choose ${s.name}`}
              />
              <div className="suggestion-site">
                <div className="suggestion-inputs">
                  <input
                    id={`${id}-name`}
                    className="input"
                    value={d.name}
                    maxLength={120}
                    onChange={(e) => edit(s, { name: e.currentTarget.value })}
                    aria-label={`Site name for ${s.name}`}
                    aria-invalid={errors[key] ? true : undefined}
                  />
                  <input
                    className="input input-small suggestion-postcode"
                    value={d.postcode}
                    maxLength={10}
                    placeholder="Postcode"
                    onChange={(e) => edit(s, { postcode: e.currentTarget.value })}
                    aria-label={`Postcode for ${s.name}`}
                  />
                </div>
                {s.address && <span className="muted small">{s.address}</span>}
                {s.existingSiteId !== null && (
                  <span className="small">
                    Joins the existing site <a href={href.site(s.existingSiteId)}>{s.name}</a>
                  </span>
                )}
                {errors[key] && <span className="field-error">{errors[key]}</span>}
              </div>
              <div className="suggestion-meters small">
                <span className="muted">{plural(s.meters.length, 'meter')}: </span>
                <span className="mono">{s.meters.slice(0, METERS_SHOWN).join(', ')}</span>
                {s.meters.length > METERS_SHOWN && (
                  <span className="muted"> and {s.meters.length - METERS_SHOWN} more</span>
                )}
              </div>
            </li>
          );
        })}
      </ul>
      <div className="form-actions suggestion-actions">
        <button
          type="button"
          className="btn btn-primary"
          disabled={busy !== null || chosen === 0}
          onClick={() => void act(false)}
          data-testid="suggestions-create"
        >
          {busy === 'create' ? 'Creating…' : `Create selected sites (${chosen})`}
        </button>
        <button
          type="button"
          className="btn btn-quiet"
          disabled={busy !== null || chosen === 0}
          onClick={() => void act(true)}
          data-testid="suggestions-dismiss"
        >
          {busy === 'dismiss' ? 'Dismissing…' : 'Dismiss selected'}
        </button>
      </div>
    </section>
  );
}
