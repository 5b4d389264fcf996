/**
 * A site's weather (for degree-day baselines): what is stored and where from, fetching daily mean
 * temperatures from Open-Meteo for chosen days (the site needs a location), importing a weather CSV
 * read in the browser (refused files list their problems by line and column), and a chart of the
 * last year stored.
 */
import { useMemo, useRef, useState } from 'react';
import { ROLE_RANK, type SiteDetail, type WeatherCoverage } from '../../../src-shared/contract/types';
import { isoDay, ukToday } from '../../../src-shared/domain/periods';
import { getClient } from '../../api/instance';
import { ChartCard } from '../../charts/ChartCard';
import { DateField } from '../../components/DateField';
import { dayAfter } from '../../components/DateRangeForm';
import { Form } from '../../components/Form';
import { QueryProblem } from '../../components/ProblemState';
import { Skeleton } from '../../components/States';
import { fileSlug } from '../../lib/download';
import { formatDayRange, formatDayRangeUntil, parseUkDate, plural } from '../../lib/format';
import { problemOf } from '../../lib/problems';
import { useQuery } from '../../lib/query';
import { useAppStore } from '../../stores/app';
import { useDataStore } from '../../stores/data';
import { siteDays } from './site-periods';
import {
  buildWeatherOption,
  sourceName,
  weatherCsv,
  weatherFileProblems,
  weatherMeasure,
  weatherWindow,
  type FileProblem,
} from './weather';

type Outcome = { kind: 'ok'; text: string } | { kind: 'error'; text: string; problems: FileProblem[] } | null;

export function WeatherCard({ d }: { d: SiteDetail }) {
  const role = useAppStore((s) => s.info?.role);
  const canEdit = role === undefined || ROLE_RANK[role] >= ROLE_RANK.manager;
  const c = d.weather;
  return (
    <section className="card card-pad" aria-labelledby="site-weather-title" data-testid="site-weather">
      <h2 id="site-weather-title">Weather</h2>
      <p className="muted small">
        Daily mean temperatures for this site, for the heating degree days its meters’ use is compared with.
      </p>
      <p data-testid="weather-coverage">
        {c ? (
          <>
            <span className="strong">{plural(c.days, 'day')}</span> stored, {formatDayRange(c.first, c.last)}, from{' '}
            {c.sources.map(sourceName).join(' and ')}
            {c.days < expectedDays(c) ? ` (${plural(expectedDays(c) - c.days, 'day')} missing in between)` : ''}
          </>
        ) : (
          <span className="muted">No weather stored yet.</span>
        )}
      </p>
      {canEdit && (
        <div className="weather-actions">
          <FetchWeather d={d} />
          <ImportWeather siteId={d.site.id} />
        </div>
      )}
      {c && <WeatherChart siteId={d.site.id} siteName={d.site.name} coverage={c} />}
    </section>
  );
}

const expectedDays = (c: WeatherCoverage): number =>
  Math.round((Date.parse(`${c.last}T00:00:00Z`) - Date.parse(`${c.first}T00:00:00Z`)) / 86_400_000) + 1;

/** Days to fetch at first: the site's readings (up to yesterday), else the year to yesterday. */
function defaultFetchDays(d: SiteDetail): { from: string; to: string } {
  const today = Date.parse(`${ukToday()}T00:00:00Z`) / 86_400_000;
  const days = siteDays(d.meters);
  const last = Math.min(today - 1, days ? days.to - 1 : today - 1);
  const first = days && days.from <= last ? days.from : last - 364;
  return { from: isoDay(first), to: isoDay(last) };
}

function FetchWeather({ d }: { d: SiteDetail }) {
  const bump = useDataStore((s) => s.bump);
  const [range, setRange] = useState(() => defaultFetchDays(d));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const located = d.site.latitude !== null && d.site.longitude !== null;

  const fetchWeather = async () => {
    const a = parseUkDate(range.from);
    const b = parseUkDate(range.to);
    if (!a.ok) return setError(`First day: ${a.error}`);
    if (!b.ok) return setError(`Last day: ${b.error}`);
    if (b.iso < a.iso) return setError('The last day is before the first.');
    if (b.iso >= ukToday()) return setError('Open-Meteo has past days only: end the range yesterday or before.');
    setError(null);
    setBusy(true);
    setOutcome(null);
    try {
      const r = await getClient().call('weather.fetch', { siteId: d.site.id, from: a.iso, to: dayAfter(b.iso) });
      setOutcome({
        kind: 'ok',
        text: `Fetched ${plural(r.days, 'day')}, ${formatDayRange(r.from, r.to)}${
          r.missing > 0 ? `; Open-Meteo had no value for ${plural(r.missing, 'day')}` : ''
        }.`,
      });
      bump();
    } catch (e) {
      setOutcome({ kind: 'error', text: problemOf(e).message, problems: [] });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Form className="weather-fetch" onSubmit={fetchWeather} data-testid="weather-fetch">
      <h3 className="form-section-title">From Open-Meteo</h3>
      {!located ? (
        <p className="muted small" data-testid="weather-needs-location">
          This site has no location: enter its latitude and longitude under Site details, then fetch its weather.
        </p>
      ) : (
        <>
          <div className="weather-range">
            <label className="small" htmlFor="weather-from">
              First day
            </label>
            <DateField
              id="weather-from"
              value={range.from}
              max={ukToday()}
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? 'weather-range-error' : undefined}
              onChange={(from) => setRange((r) => ({ ...r, from }))}
            />
            <label className="small" htmlFor="weather-to">
              Last day
            </label>
            <DateField
              id="weather-to"
              value={range.to}
              max={ukToday()}
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? 'weather-range-error' : undefined}
              onChange={(to) => setRange((r) => ({ ...r, to }))}
            />
            <button type="submit" className="btn btn-small" disabled={busy}>
              {busy ? 'Fetching…' : 'Fetch from Open-Meteo'}
            </button>
          </div>
          {error && (
            <span id="weather-range-error" className="field-error" role="alert">
              {error}
            </span>
          )}
          <p className="muted small">Both days included. Days already stored are replaced with Open-Meteo’s values.</p>
        </>
      )}
      <OutcomeLine outcome={outcome} testId="weather-fetch-outcome" />
    </Form>
  );
}

function ImportWeather({ siteId }: { siteId: number }) {
  const bump = useDataStore((s) => s.bump);
  const input = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>(null);

  const importFile = async (file: File) => {
    setBusy(true);
    setOutcome(null);
    try {
      const text = await file.text();
      const r = await getClient().call('weather.import', { siteId, fileName: file.name, text });
      setOutcome({
        kind: 'ok',
        text: `Imported ${plural(r.days, 'day')} of ${r.kind === 'hdd' ? 'heating degree days' : 'mean temperatures'} from ${file.name}, ${formatDayRange(r.from, r.to)}${
          r.replaced > 0 ? ` (${plural(r.replaced, 'day')} already stored replaced)` : ''
        }.`,
      });
      bump();
    } catch (e) {
      const p = weatherFileProblems(e);
      setOutcome({ kind: 'error', text: p.summary, problems: p.problems });
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="weather-import" data-testid="weather-import">
      <h3 className="form-section-title">Import a weather file</h3>
      <p className="muted small">
        A CSV with a line per day: <code>date,meanTemperatureC</code>, or <code>date,hdd</code> from a degree-day
        service. Nothing is stored if any line is wrong.
      </p>
      <div>
        <input
          ref={input}
          type="file"
          accept=".csv,.txt,text/csv"
          className="visually-hidden"
          tabIndex={-1}
          aria-label="Weather CSV file"
          data-testid="weather-file-input"
          onChange={(e) => {
            const file = e.currentTarget.files?.[0];
            if (file) void importFile(file);
          }}
        />
        <button
          type="button"
          className="btn btn-small"
          disabled={busy}
          onClick={() => {
            if (!input.current) return;
            input.current.value = '';
            input.current.click();
          }}
        >
          {busy ? 'Importing…' : 'Choose a CSV file…'}
        </button>
      </div>
      <OutcomeLine outcome={outcome} testId="weather-import-outcome" />
    </div>
  );
}

function OutcomeLine({ outcome, testId }: { outcome: Outcome; testId: string }) {
  if (!outcome) return null;
  if (outcome.kind === 'ok')
    return (
      <p className="small ok-text" role="status" data-testid={testId}>
        {outcome.text}
      </p>
    );
  return (
    <div className="callout callout-error small" role="alert" data-testid={testId}>
      <p className="weather-error-summary">{outcome.text}</p>
      {outcome.problems.length > 0 && (
        <ul className="weather-problems">
          {outcome.problems.map((p, i) => (
            <li key={i} data-testid="weather-problem">
              <span className="strong">
                Line {p.line}, column {p.column}
              </span>{' '}
              {p.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function WeatherChart({ siteId, siteName, coverage }: { siteId: number; siteName: string; coverage: WeatherCoverage }) {
  const version = useDataStore((s) => s.version);
  const w = weatherWindow(coverage);
  const q = useQuery(`weather:${siteId}:${w.from}:${w.to}:${version}`, () =>
    getClient().call('weather.list', { siteId, from: w.from, to: w.to }),
  );
  const days = useMemo(() => q.data ?? [], [q.data]);
  const option = useMemo(() => buildWeatherOption(days, w.from, w.to), [days, w.from, w.to]);
  if (q.load === 'error' && !q.data) return <QueryProblem title="Could not load the weather" q={q} />;
  const hdd = weatherMeasure(days) === 'hdd';
  return (
    <ChartCard
      framed={false}
      title={hdd ? 'Heating degree days' : 'Daily mean temperature'}
      note={`${formatDayRangeUntil(w.from, w.to)} · the last year stored · gaps where no day is stored`}
      testId="weather-chart"
      points={days.length}
      option={option}
      fileBase={`site-${fileSlug(siteName)}-weather`}
      csv={() => weatherCsv(days)}
      ariaLabel={`${hdd ? 'Heating degree days' : 'Daily mean temperature'} at ${siteName}, ${formatDayRangeUntil(w.from, w.to)}`}
      empty={!q.data ? <Skeleton rows={2} label="Loading the weather" /> : undefined}
    />
  );
}
