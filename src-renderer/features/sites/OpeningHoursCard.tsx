/**
 * A site's opening hours on its page: in words with the hours a week, and an editor with a row per
 * weekday (closed, or one or more From/To times), "Copy Monday to weekdays" and "Reset to the
 * default". Saved with sites.update as the text form; a reset sends null (the default applies).
 */
import { useState } from 'react';
import { ROLE_RANK, type SiteSummary } from '../../../src-shared/contract/types';
import {
  DEFAULT_HOURS,
  OpeningHoursError,
  parseOpeningHours,
  type WeekHours,
} from '../../../src-shared/domain/opening-hours';
import { getClient } from '../../api/instance';
import { Form, useFormSubmit } from '../../components/Form';
import { useAppStore } from '../../stores/app';
import { useDataStore } from '../../stores/data';
import '../../styles/analysis.css';
import {
  WEEKDAYS,
  addRange,
  checkDraft,
  copyMondayToWeekdays,
  defaultDraft,
  describeWeek,
  draftFromText,
  removeRange,
  setClosed,
  setTime,
  weeklyHoursText,
  type HoursDraft,
} from './hours-editor';

/** The stored text as a week (the default if it cannot be read). */
function weekOf(text: string): WeekHours {
  try {
    return parseOpeningHours(text);
  } catch (e) {
    if (e instanceof OpeningHoursError) return DEFAULT_HOURS;
    throw e;
  }
}

export function OpeningHoursCard({ site }: { site: SiteSummary }) {
  const role = useAppStore((s) => s.info?.role);
  const canEdit = role === undefined || ROLE_RANK[role] >= ROLE_RANK.manager;
  const [editing, setEditing] = useState(false);
  const week = weekOf(site.openingHours);
  return (
    <section className="card card-pad" aria-labelledby="site-hours-title" data-testid="site-hours">
      <h2 id="site-hours-title">Opening hours</h2>
      <p className="strong" data-testid="site-hours-words">
        {describeWeek(week)}
      </p>
      <p className="muted small" data-testid="site-hours-weekly">
        {weeklyHoursText(week)}
        {site.openingHoursDefault ? ' · the default: this site has no hours of its own' : ''}. Use outside these hours,
        at weekends, on bank holidays and on closures counts as out of hours.
      </p>
      {editing ? (
        <HoursEditor site={site} onDone={() => setEditing(false)} />
      ) : (
        canEdit && (
          <div>
            <button type="button" className="btn btn-small" onClick={() => setEditing(true)}>
              Change hours…
            </button>
          </div>
        )
      )}
    </section>
  );
}

function HoursEditor({ site, onDone }: { site: SiteSummary; onDone: () => void }) {
  const bump = useDataStore((s) => s.bump);
  const [draft, setDraft] = useState<HoursDraft>(() => draftFromText(site.openingHours));
  // after "Reset to the default" and until the next change, saving clears the site's own hours
  const [reset, setReset] = useState(false);
  const [checked, setChecked] = useState(false);
  const { busy, submit } = useFormSubmit('Could not save the opening hours');
  const result = checkDraft(draft);
  const problems = checked && !result.ok ? result.problems : {};

  const change = (next: HoursDraft) => {
    setDraft(next);
    setReset(false);
  };
  const save = () => {
    setChecked(true);
    if (!result.ok) return;
    return submit({}, async () => {
      await getClient().call('sites.update', { id: site.id, openingHours: reset ? null : result.text });
      useAppStore.getState().toast({ kind: 'success', title: 'Opening hours saved' });
      bump();
      onDone();
    });
  };

  return (
    <Form className="hours-editor" onSubmit={save} data-testid="hours-editor">
      <div className="hours-rows" role="group" aria-label="Opening hours by weekday">
        {draft.map((day, di) => {
          const name = WEEKDAYS[di]!;
          const dayProblems = day.ranges
            .flatMap((_, ri) => [problems[`${di}.${ri}`], problems[`${di}.${ri}.from`], problems[`${di}.${ri}.to`]])
            .filter((p): p is string => !!p);
          return (
            <div key={name} className="hours-row" data-testid="hours-day" data-day={name}>
              <span className="hours-day strong">{name}</span>
              <label className="checkbox small">
                <input
                  type="checkbox"
                  checked={day.closed}
                  aria-label={`${name} closed`}
                  onChange={(e) => change(setClosed(draft, di, e.currentTarget.checked))}
                />
                Closed
              </label>
              <div className="hours-ranges">
                {day.closed ? (
                  <span className="muted small">Closed all day (counts as a weekend day)</span>
                ) : (
                  day.ranges.map((r, ri) => {
                    const bad = (k: 'from' | 'to') =>
                      problems[`${di}.${ri}.${k}`] || problems[`${di}.${ri}`] ? true : undefined;
                    return (
                      <span key={ri} className="hours-range">
                        <input
                          className="input input-time"
                          value={r.from}
                          inputMode="numeric"
                          placeholder="HH:MM"
                          maxLength={5}
                          aria-label={`${name} from${day.ranges.length > 1 ? ` (${ri + 1})` : ''}`}
                          aria-invalid={bad('from')}
                          onChange={(e) => change(setTime(draft, di, ri, 'from', e.currentTarget.value))}
                        />
                        <span className="muted small">to</span>
                        <input
                          className="input input-time"
                          value={r.to}
                          inputMode="numeric"
                          placeholder="HH:MM"
                          maxLength={5}
                          aria-label={`${name} to${day.ranges.length > 1 ? ` (${ri + 1})` : ''}`}
                          aria-invalid={bad('to')}
                          onChange={(e) => change(setTime(draft, di, ri, 'to', e.currentTarget.value))}
                        />
                        <button
                          type="button"
                          className="btn btn-quiet btn-small hours-remove"
                          aria-label={`Remove ${name} ${r.from || '…'} to ${r.to || '…'}`}
                          title="Remove these hours"
                          onClick={() => change(removeRange(draft, di, ri))}
                        >
                          ×
                        </button>
                      </span>
                    );
                  })
                )}
                {!day.closed && (
                  <button
                    type="button"
                    className="btn btn-quiet btn-small"
                    aria-label={`Add hours to ${name}`}
                    onClick={() => change(addRange(draft, di))}
                  >
                    + Hours
                  </button>
                )}
              </div>
              {dayProblems.length > 0 && (
                <div className="hours-problems" role="alert">
                  {[...new Set(dayProblems)].map((p) => (
                    <span key={p} className="field-error" data-testid="hours-error">
                      {p.startsWith(name) ? p : `${name}: ${p}`}
                    </span>
                  ))}
                </div>
              )}
            </div>
          );
        })}
      </div>
      <div className="hours-tools">
        <button type="button" className="btn btn-small" onClick={() => change(copyMondayToWeekdays(draft))}>
          Copy Monday to Tuesday–Friday
        </button>
        <button
          type="button"
          className="btn btn-small"
          onClick={() => {
            setDraft(defaultDraft());
            setReset(true);
          }}
        >
          Reset to the default (Mon–Fri 08:00–18:00)
        </button>
      </div>
      <p className="muted small" data-testid="hours-preview">
        {result.ok
          ? `${reset ? 'The default: ' : 'Will be saved as: '}${describeWeek(result.week)} · ${weeklyHoursText(result.week)}`
          : 'Some times need correcting before the hours can be saved.'}
      </p>
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? 'Saving…' : 'Save hours'}
        </button>
        <button type="button" className="btn btn-quiet" onClick={onDone} disabled={busy}>
          Cancel
        </button>
      </div>
    </Form>
  );
}
