/**
 * A site's grid-carbon region (from its MPANs or chosen) and its emissions over the last 30 days of data, by fuel and
 * method.
 */
import { useState } from 'react';
import type { SiteDetail } from '../../../src-shared/contract/types';
import { isoDay } from '../../../src-shared/domain/periods';
import { REGION_NAMES } from '../../../src-shared/domain/regions';
import { getClient } from '../../api/instance';
import { formatCo2 } from '../carbon/carbon-charts';
import { DataTable, type Column } from '../../components/DataTable';
import { exportName, percentOf } from '../../components/table-export';
import { DateRangeForm } from '../../components/DateRangeForm';
import { Field } from '../../components/Field';
import { FUEL_NAME } from '../../components/FuelBadge';
import { Skeleton } from '../../components/States';
import { CO2, formatDayRange, formatEnergy, formatShare } from '../../lib/format';
import { emissionsUnavailable, sumEmissions, type Method, type SiteEmissions } from '../carbon/emissions';
import { readingDays } from '../../lib/periods';
import { useQuery } from '../../lib/query';
import { useAppStore } from '../../stores/app';
import { useDataStore } from '../../stores/data';
import { QueryProblem } from '../../components/ProblemState';

const METHOD_NAME: Record<Method, string> = {
  halfhourly: 'Half-hourly, national intensity',
  regional: 'Half-hourly, regional forecast',
  annual: 'Annual UK factor',
};

const COLUMNS: Column<SiteEmissions>[] = [
  { header: 'Fuel', cell: (r) => FUEL_NAME[r.fuel], csv: (r) => FUEL_NAME[r.fuel] },
  { header: 'Method', cell: (r) => METHOD_NAME[r.method], csv: (r) => METHOD_NAME[r.method] },
  { header: 'kWh', num: true, cell: (r) => formatEnergy(r.kwh), csv: (r) => r.kwh },
  {
    header: CO2,
    num: true,
    cell: (r) => {
      const why = emissionsUnavailable(r);
      return why ? (
        <span className="muted" title={why} data-testid="site-co2-unavailable">
          Not available
        </span>
      ) : (
        formatCo2(r.kgco2)
      );
    },
    csv: (r) => (emissionsUnavailable(r) ? null : r.kgco2),
    csvHeader: 'kg CO2e',
  },
  {
    header: 'Coverage',
    num: true,
    // the share of half-hours priced; why a figure is not available is said once under the table
    cell: (r) => formatShare(r.coverage),
    csv: (r) => percentOf(r.coverage),
    csvHeader: 'Coverage (%)',
  },
];

export function SiteCarbonCard({ d }: { d: SiteDetail }) {
  const bump = useDataStore((s) => s.bump);
  const toast = useAppStore((s) => s.toast);
  const role = useAppStore((s) => s.info?.role);
  const [saving, setSaving] = useState(false);
  const withData = d.meters.filter((m) => m.lastReading !== null);
  // the 30 days up to the latest complete day of the site's meters (a stray later reading does not move them)
  const last =
    withData
      .map((m) => (m.lastCompleteDay ? `${m.lastCompleteDay}T12:00:00Z` : m.lastReading!))
      .sort()
      .at(-1) ?? null;
  const first = withData.map((m) => m.firstReading!).sort()[0] ?? null;
  const days = readingDays(first, last);
  const [chosen, setChosen] = useState<{ from: string; to: string } | null>(null);
  const from = chosen?.from ?? (days ? isoDay(Math.max(days.from, days.to - 30)) : null);
  const to = chosen?.to ?? (days ? isoDay(days.to) : null);
  const lastIncluded = to ? isoDay(Date.parse(`${to}T00:00:00Z`) / 86400000 - 1) : '';
  const q = useQuery(
    days ? `site-emissions:${d.site.id}:${d.site.regionId}:${from}:${to}:${withData.length}` : null,
    async () => {
      const c = getClient();
      const jobs = withData.flatMap((m) => {
        const methods: Method[] =
          m.fuel === 'electricity'
            ? d.site.regionId
              ? ['halfhourly', 'regional', 'annual']
              : ['halfhourly', 'annual']
            : ['annual'];
        return methods.map(async (method) => ({
          fuel: m.fuel,
          method,
          e: await c.call('emissions.meter', {
            meter: m.mpan,
            from: from!,
            to: to!,
            method: method === 'annual' ? 'annual' : 'halfhourly',
            ...(method === 'regional' ? { region: d.site.regionId! } : {}),
          }),
        }));
      });
      return sumEmissions(await Promise.all(jobs));
    },
  );

  const chooseRegion = async (value: string) => {
    setSaving(true);
    try {
      await getClient().call('sites.update', { id: d.site.id, regionId: value === '' ? null : Number(value) });
      toast({
        kind: 'success',
        title: value === '' ? 'Region taken from the meters' : `Region set to ${REGION_NAMES[Number(value)]}`,
      });
      bump();
    } catch (e) {
      useAppStore.getState().toastError('Could not change the region', e);
    } finally {
      setSaving(false);
    }
  };

  return (
    <section className="card card-pad" aria-labelledby="site-carbon-title" data-testid="site-carbon">
      <h2 id="site-carbon-title">Grid carbon</h2>
      <Field
        id="site-region"
        label="Carbon Intensity region"
        hint="Regional forecasts for this region are fetched with the national values every 30 minutes."
      >
        {(c) => (
          <select
            {...c}
            className="input"
            data-testid="site-region"
            value={d.site.regionSource === 'user' ? String(d.site.regionId) : ''}
            disabled={saving || role === 'viewer'}
            onChange={(e) => void chooseRegion(e.currentTarget.value)}
          >
            <option value="">
              {d.site.regionSource === 'mpan' && d.site.regionId
                ? `From the meters' MPANs (${REGION_NAMES[d.site.regionId]})`
                : "From the meters' MPANs (none known)"}
            </option>
            {Object.entries(REGION_NAMES).map(([id, name]) => (
              <option key={id} value={id}>
                {name}
              </option>
            ))}
          </select>
        )}
      </Field>
      {!days ? (
        <p className="muted">Emissions appear once the site's meters have readings.</p>
      ) : q.load === 'error' && !q.data ? (
        <QueryProblem title="Could not work out the emissions" q={q} />
      ) : !q.data ? (
        <Skeleton rows={2} label="Working out emissions" />
      ) : (
        <div>
          <DateRangeForm idPrefix="site-emissions" onApply={setChosen} />
          <DataTable
            columns={COLUMNS}
            rows={q.data}
            rowKey={(r) => `${r.fuel}-${r.method}`}
            rowProps={(r) => ({
              'data-testid': 'site-emissions-row',
              'data-method': r.method,
              'data-fuel': r.fuel,
              'data-kgco2': r.kgco2,
            })}
            caption={
              <caption className="muted small" style={{ textAlign: 'left', captionSide: 'top' }}>
                {chosen ? 'Chosen period' : 'Last 30 days of data'} ({from && formatDayRange(from, lastIncluded)}), by
                fuel; gas and electricity are never added together.
              </caption>
            }
            className="table-compact"
            testId="site-emissions"
            exportName={exportName(`emissions-site-${d.site.name}`, `${from}-${to}`)}
          />
          {[...new Set(q.data.map((r) => emissionsUnavailable(r)).filter((w): w is string => w !== null))].map(
            (why) => (
              <p key={why} className="muted small" data-testid="site-co2-why">
                {why.replace(/ in Carbon\.$/, ' on the Carbon page.')}
              </p>
            ),
          )}
        </div>
      )}
    </section>
  );
}
