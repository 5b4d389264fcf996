import { useEffect, useState } from 'react';
import type { AggregateResult, Settings } from '../../../src-shared/contract/types';
import { useCan, WhyNot } from '../../components/Can';
import { errorMessage } from '../../api/client';
import { getClient } from '../../api/instance';
import { Field } from '../../components/Field';
import { Form, useFormSubmit } from '../../components/Form';
import { Page } from '../../components/Page';
import { Skeleton, Spinner } from '../../components/States';
import { formatInt, plural } from '../../lib/format';
import { useDocumentTitle } from '../../lib/hooks';
import { useQuery } from '../../lib/query';
import { href } from '../../lib/route';
import { useAppStore } from '../../stores/app';
import { FactorsCard } from '../carbon/FactorsCard';
import { SharedServerCard } from '../sync/SharedServerCard';
import { NotificationsCard } from './NotificationsCard';
import { QueryProblem } from '../../components/ProblemState';

/** "Recomputed 12 meters, 4,380 days in 1.2 s". */
export function rebuildText(r: AggregateResult): string {
  return `Recomputed ${plural(r.metersTouched, 'meter')}, ${plural(r.daysTouched, 'day')} in ${r.seconds < 10 ? r.seconds.toFixed(1) : formatInt(r.seconds)} s`;
}

export function SettingsPage() {
  useDocumentTitle('Settings');
  const q = useQuery('settings', () => getClient().call('settings.get', {}));
  const can = useCan();
  const readOnly = !can('settings.update');

  return (
    <Page
      title="Settings"
      subtitle="How long import history is kept, when the nightly roll-up runs, where grid carbon and weather come from, where alerts are sent, the shared server, and maintenance."
    >
      {q.load === 'error' && !q.data ? (
        <section className="card">
          <QueryProblem title="Could not load the settings" q={q} />
        </section>
      ) : !q.data ? (
        <section className="card">
          <Skeleton rows={4} label="Loading settings" />
        </section>
      ) : (
        <>
          <SettingsForm initial={q.data} readOnly={readOnly} />
          <NotificationsCard initial={q.data} readOnly={readOnly} />
        </>
      )}
      {can('users.list') && <PeopleCard />}
      <SharedServerCard />
      <TariffsCard />
      <FactorsCard readOnly={readOnly} />
      {can('aggregation.run') ? <Maintenance /> : null}
    </Page>
  );
}

/** People and access (administrators): who may sign in and the API tokens, on their own page. */
function PeopleCard() {
  return (
    <section className="card card-pad" aria-labelledby="people-settings-title">
      <h2 id="people-settings-title">People and access</h2>
      <div className="maint-row">
        <div>
          <div className="strong">Users, roles and API tokens</div>
          <p className="muted small">
            Add the people who sign in to this server as viewers, managers or administrators, set new passwords, disable
            or remove accounts, make API tokens for scripts, and see the audit log on the Activity page.
          </p>
        </div>
        <div className="maint-action">
          <a className="btn" href={href.users} data-testid="people-link">
            Manage people and access
          </a>
        </div>
      </div>
    </section>
  );
}

/** Tariffs are kept on their own page; Settings says how many there are and leads there. */
function TariffsCard() {
  const q = useQuery('settings-tariffs', () => getClient().call('tariffs.list', {}));
  const active = q.data?.filter((t) => t.active).length ?? 0;
  return (
    <section className="card card-pad" aria-labelledby="tariffs-settings-title">
      <h2 id="tariffs-settings-title">Tariffs</h2>
      <div className="maint-row">
        <div>
          <div className="strong" data-testid="settings-tariff-count">
            {!q.data
              ? q.load === 'error'
                ? 'Tariffs could not be loaded'
                : 'Loading tariffs…'
              : q.data.length === 0
                ? 'No tariffs yet'
                : `${plural(q.data.length, 'tariff')}, ${formatInt(active)} on sale`}
          </div>
          <p className="muted small">
            Unit rates by time of day and day type, half-hourly prices, standing charges, CCL, DUoS, capacity and VAT,
            with dates so past periods keep the prices in force then. Import a tariff file or enter tariffs with the
            form.
          </p>
        </div>
        <div className="maint-action">
          <a className="btn" href={href.tariffs}>
            Manage tariffs
          </a>
        </div>
      </div>
    </section>
  );
}

function SettingsForm({ initial, readOnly }: { initial: Settings; readOnly: boolean }) {
  const [saved, setSaved] = useState(initial);
  const [days, setDays] = useState(String(initial.importRetentionDays));
  const [time, setTime] = useState(initial.nightlyRunAt);
  const [carbonApi, setCarbonApi] = useState(initial.carbonApi);
  const [weatherApi, setWeatherApi] = useState(initial.weatherApi);
  /** A new key typed in ('' = unchanged), or null when the stored key is to be removed. */
  const [weatherKey, setWeatherKey] = useState<string | null>('');
  const { busy, errors, setErrors, submit } = useFormSubmit('Could not save the settings');
  const toast = useAppStore((s) => s.toast);

  useEffect(() => {
    setSaved(initial);
  }, [initial]);

  const dirty =
    days.trim() !== String(saved.importRetentionDays) ||
    time.trim() !== saved.nightlyRunAt ||
    carbonApi.trim() !== saved.carbonApi ||
    weatherApi.trim() !== saved.weatherApi ||
    weatherKey !== '';

  const save = () => {
    const local: Record<string, string> = {};
    const n = Number(days.trim());
    if (!/^\d+$/.test(days.trim())) local.importRetentionDays = 'enter a whole number of days, e.g. 30';
    if (!/^\d{1,2}:\d{2}$/.test(time.trim())) local.nightlyRunAt = 'expected a time HH:MM, e.g. 01:30';
    if (!carbonApi.trim()) local.carbonApi = 'expected a URL, e.g. https://api.carbonintensity.org.uk';
    if (!weatherApi.trim()) local.weatherApi = 'expected a URL, e.g. https://archive-api.open-meteo.com';
    return submit(local, async () => {
      const next = await getClient().call('settings.update', {
        importRetentionDays: n,
        nightlyRunAt: time.trim().padStart(5, '0'),
        ...(carbonApi.trim() !== saved.carbonApi ? { carbonApi: carbonApi.trim() } : {}),
        ...(weatherApi.trim() !== saved.weatherApi ? { weatherApi: weatherApi.trim() } : {}),
        ...(weatherKey === null
          ? { weatherApiKey: null }
          : weatherKey.trim()
            ? { weatherApiKey: weatherKey.trim() }
            : {}),
      });
      setSaved(next);
      setDays(String(next.importRetentionDays));
      setTime(next.nightlyRunAt);
      setCarbonApi(next.carbonApi);
      setWeatherApi(next.weatherApi);
      setWeatherKey('');
      toast({ kind: 'success', title: 'Settings saved' });
    });
  };

  return (
    <Form className="card card-pad form" aria-labelledby="settings-title" onSubmit={save}>
      <h2 id="settings-title">Imports and roll-ups</h2>
      <WhyNot method="settings.update" />
      <Field
        id="retention"
        label="Keep finished imports for"
        error={errors.importRetentionDays}
        hint="Finished import jobs and their stored files are deleted after this many days. Readings stay."
      >
        {(c) => (
          <span className="input-with-unit">
            <input
              {...c}
              className="input input-narrow"
              inputMode="numeric"
              value={days}
              disabled={readOnly}
              onChange={(e) => setDays(e.currentTarget.value)}
            />
            <span className="muted">days</span>
          </span>
        )}
      </Field>
      <Field
        id="nightly"
        label="Nightly roll-up at"
        error={errors.nightlyRunAt}
        hint="UK local time (24-hour clock). Totals, comparisons and the dashboard are refreshed then, and after every import."
      >
        {(c) => (
          <input
            {...c}
            className="input input-narrow"
            placeholder="01:30"
            value={time}
            disabled={readOnly}
            onChange={(e) => setTime(e.currentTarget.value)}
          />
        )}
      </Field>
      <h3 className="form-section-title">Grid carbon</h3>
      <UrlField
        id="carbon-api"
        label="Carbon Intensity API"
        error={errors.carbonApi}
        hint="Where grid carbon intensity is fetched from (National Grid ESO’s public API). Change it only to use a mirror or proxy."
        placeholder="https://api.carbonintensity.org.uk"
        value={carbonApi}
        disabled={readOnly}
        onChange={setCarbonApi}
      />
      <h3 className="form-section-title">Weather</h3>
      <UrlField
        id="weather-api"
        label="Historical weather API"
        error={errors.weatherApi}
        hint="Daily mean temperatures for sites with a location come from Open-Meteo’s archive API. Its free tier is for non-commercial use; businesses use their customer server and an API key."
        placeholder="https://archive-api.open-meteo.com"
        value={weatherApi}
        disabled={readOnly}
        onChange={setWeatherApi}
      />
      <Field
        id="weather-key"
        label="Open-Meteo API key"
        error={errors.weatherApiKey}
        hint={
          weatherKey === null
            ? 'The stored key will be removed when you save.'
            : saved.weatherApiKeySet
              ? 'A key is stored (it is never shown). Type a new one to replace it.'
              : 'Optional. Without a key the free, non-commercial service is used.'
        }
      >
        {(c) => (
          <span className="input-with-unit">
            <input
              {...c}
              className="input input-wide"
              type="password"
              autoComplete="off"
              spellCheck={false}
              placeholder={saved.weatherApiKeySet ? '•••••••• (stored)' : 'none'}
              value={weatherKey ?? ''}
              disabled={readOnly || weatherKey === null}
              onChange={(e) => setWeatherKey(e.currentTarget.value)}
            />
            {saved.weatherApiKeySet && weatherKey !== null && (
              <button type="button" className="btn btn-quiet" disabled={readOnly} onClick={() => setWeatherKey(null)}>
                Remove key
              </button>
            )}
          </span>
        )}
      </Field>
      {!readOnly && (
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={busy || !dirty}>
            {busy ? 'Saving…' : 'Save settings'}
          </button>
          {dirty && !busy && (
            <button
              type="button"
              className="btn btn-quiet"
              onClick={() => {
                setDays(String(saved.importRetentionDays));
                setTime(saved.nightlyRunAt);
                setCarbonApi(saved.carbonApi);
                setWeatherApi(saved.weatherApi);
                setWeatherKey('');
                setErrors({});
              }}
            >
              Undo changes
            </button>
          )}
        </div>
      )}
    </Form>
  );
}

/** A web service's base URL (the Carbon Intensity API, Open-Meteo): one wide URL input with its hint. */
function UrlField(p: {
  id: string;
  label: string;
  error: string | undefined;
  hint: string;
  placeholder: string;
  value: string;
  disabled: boolean;
  onChange: (value: string) => void;
}) {
  return (
    <Field id={p.id} label={p.label} error={p.error} hint={p.hint}>
      {(c) => (
        <input
          {...c}
          className="input input-wide"
          type="url"
          inputMode="url"
          spellCheck={false}
          placeholder={p.placeholder}
          value={p.value}
          disabled={p.disabled}
          onChange={(e) => p.onChange(e.currentTarget.value)}
        />
      )}
    </Field>
  );
}

function Maintenance() {
  const [cleanup, setCleanup] = useState<{ busy: boolean; result: string | null; error: string | null }>({
    busy: false,
    result: null,
    error: null,
  });
  const [rebuild, setRebuild] = useState<{ busy: boolean; result: string | null; error: string | null }>({
    busy: false,
    result: null,
    error: null,
  });

  const can = useCan();
  return (
    <section className="card card-pad" aria-labelledby="maintenance-title">
      <h2 id="maintenance-title">Maintenance</h2>
      <div className="maint-row" hidden={!can('imports.cleanup')}>
        <div>
          <div className="strong">Clean up old imports now</div>
          <p className="muted small">
            Deletes finished import jobs older than the retention period and their stored files. Imported readings are
            kept.
          </p>
        </div>
        <div className="maint-action">
          <button
            type="button"
            className="btn"
            disabled={cleanup.busy}
            onClick={async () => {
              setCleanup({ busy: true, result: null, error: null });
              try {
                const r = await getClient().call('imports.cleanup', {});
                setCleanup({
                  busy: false,
                  result:
                    r.jobsRemoved === 0 && r.filesRemoved === 0
                      ? 'Nothing was old enough to remove.'
                      : `Removed ${plural(r.jobsRemoved, 'job')} and ${plural(r.filesRemoved, 'stored file')}.`,
                  error: null,
                });
              } catch (e) {
                setCleanup({ busy: false, result: null, error: errorMessage(e) });
              }
            }}
          >
            {cleanup.busy ? 'Cleaning up…' : 'Clean up now'}
          </button>
          <span className="maint-result" aria-live="polite" data-testid="cleanup-result">
            {cleanup.busy && <Spinner inline label="Cleaning up…" />}
            {cleanup.result && <span className="ok-text">{cleanup.result}</span>}
            {cleanup.error && <span className="error-message">{cleanup.error}</span>}
          </span>
        </div>
      </div>
      <div className="maint-row">
        <div>
          <div className="strong">Rebuild all roll-ups</div>
          <p className="muted small">
            Recomputes every daily total from the half-hourly readings (weeks, months and years are summed from the
            days). Safe to run at any time; it may take a while on large portfolios.
          </p>
        </div>
        <div className="maint-action">
          <button
            type="button"
            className="btn"
            data-testid="rebuild-rollups"
            disabled={rebuild.busy}
            onClick={async () => {
              setRebuild({ busy: true, result: null, error: null });
              try {
                const r = await getClient().call('aggregation.run', { full: true });
                setRebuild({ busy: false, result: rebuildText(r), error: null });
              } catch (e) {
                setRebuild({ busy: false, result: null, error: errorMessage(e) });
              }
            }}
          >
            {rebuild.busy ? 'Rebuilding…' : 'Rebuild roll-ups'}
          </button>
          <span className="maint-result" aria-live="polite" data-testid="rebuild-result">
            {rebuild.busy && <Spinner inline label="Recomputing totals…" />}
            {rebuild.result && <span className="ok-text">{rebuild.result}</span>}
            {rebuild.error && <span className="error-message">{rebuild.error}</span>}
          </span>
        </div>
      </div>
    </section>
  );
}
