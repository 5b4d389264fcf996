/**
 * Which sites' readings this desktop keeps: every site, or the ones ticked in a list of this
 * desktop's sites (sites.list, by uid). Sites, meters and tariffs always travel whole; only readings
 * are limited.
 */
import { useMemo, useState } from 'react';
import type { SiteSummary } from '../../../src-shared/contract/types';
import { plural } from '../../lib/format';

export function KeptSitesField({
  id,
  sites,
  value,
  onChange,
  disabled,
  error,
}: {
  id: string;
  /** This desktop's sites (null while loading). */
  sites: readonly SiteSummary[] | null;
  /** Site uids kept, or null for every site. */
  value: string[] | null;
  onChange: (v: string[] | null) => void;
  disabled?: boolean;
  error?: string;
}) {
  const [find, setFind] = useState('');
  const shown = useMemo(() => {
    const f = find.trim().toLowerCase();
    const all = [...(sites ?? [])].sort((a, b) => a.name.localeCompare(b.name));
    return f ? all.filter((s) => `${s.name} ${s.postcode ?? ''}`.toLowerCase().includes(f)) : all;
  }, [sites, find]);
  const chosen = new Set(value ?? []);
  const toggle = (uid: string, on: boolean) => {
    const next = new Set(chosen);
    if (on) next.add(uid);
    else next.delete(uid);
    onChange([...next]);
  };
  return (
    <fieldset className="field sync-sites" aria-describedby={`${id}-hint`} data-testid={id}>
      <legend className="field-label">Readings kept on this laptop</legend>
      <div className="radio-row">
        <label className="checkbox">
          <input
            type="radio"
            name={`${id}-mode`}
            checked={value === null}
            disabled={disabled}
            onChange={() => onChange(null)}
            data-testid={`${id}-all`}
          />
          Every site
        </label>
        <label className="checkbox">
          <input
            type="radio"
            name={`${id}-mode`}
            checked={value !== null}
            disabled={disabled}
            onChange={() => onChange([])}
            data-testid={`${id}-chosen`}
          />
          Only the sites I choose
        </label>
      </div>
      {value !== null && (
        <div className="sync-site-pick">
          {sites === null ? (
            <p className="muted small">Loading sites…</p>
          ) : sites.length === 0 ? (
            <p className="muted small">
              This desktop has no sites yet. Connect with every site, or pick sites here after the first sync.
            </p>
          ) : (
            <>
              <div className="sync-site-tools">
                {sites.length > 8 && (
                  <input
                    className="input search"
                    type="search"
                    placeholder="Find a site"
                    aria-label="Find a site"
                    value={find}
                    onChange={(e) => setFind(e.currentTarget.value)}
                  />
                )}
                <span className="muted small" data-testid={`${id}-count`}>
                  {chosen.size === 0 ? 'No site chosen yet' : `${plural(chosen.size, 'site')} chosen`}
                </span>
              </div>
              <ul className="sync-site-list">
                {shown.map((s) => (
                  <li key={s.uid}>
                    <label className="checkbox">
                      <input
                        type="checkbox"
                        checked={chosen.has(s.uid)}
                        disabled={disabled}
                        onChange={(e) => toggle(s.uid, e.currentTarget.checked)}
                      />
                      <span className="sync-site-name" title={s.name}>
                        {s.name}
                      </span>
                      <span className="muted small sync-site-meta">
                        {[s.postcode, plural(s.meters, 'meter')].filter(Boolean).join(' · ')}
                      </span>
                    </label>
                  </li>
                ))}
              </ul>
            </>
          )}
        </div>
      )}
      {error && (
        <span className="field-error" role="alert" data-testid={`${id}-error`}>
          {error}
        </span>
      )}
      <p id={`${id}-hint`} className="field-hint muted small">
        Sites, meters, tariffs and alerts always come across whole; this only limits the half-hourly readings kept here,
        to save space on a laptop.
      </p>
    </fieldset>
  );
}
