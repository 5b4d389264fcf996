/** The meter page's "Costs & tariffs": its tariff over time, its cost for any period, and switching. */
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { MeterSummary } from '../../../src-shared/contract/types';
import { ROLE_RANK } from '../../../src-shared/contract/types';
import { getClient } from '../../api/instance';
import { EmptyState } from '../../components/States';
import { useQuery } from '../../lib/query';
import { href, useHash } from '../../lib/route';
import { useAppStore } from '../../stores/app';
import { useDataStore } from '../../stores/data';
import { CostPeriodCard } from '../costs/CostPeriodCard';
import { CHOSEN, defaultCostRange, type CostRange } from '../costs/CostRange';
import { CostTariffCard } from '../costs/CostTariffCard';
import { SwitchPanel } from '../costs/SwitchPanel';
import '../../styles/costs.css';

export function MeterCostPanel({ meter }: { meter: MeterSummary }) {
  // another meter is a fresh panel: no forms, ranges or analyses carried over
  return <Panel key={meter.mpan} meter={meter} />;
}

function Panel({ meter }: { meter: MeterSummary }) {
  const role = useAppStore((s) => s.info?.role);
  const canManage = role === undefined || ROLE_RANK[role] >= ROLE_RANK.manager;
  const version = useDataStore((s) => s.version);
  const [assignRev, setAssignRev] = useState(0);
  const tariffs = useQuery(`tariffs:${meter.fuel}:${version}`, () =>
    getClient().call('tariffs.list', { fuel: meter.fuel }),
  );
  const assignments = useQuery(`assignments:${meter.mpan}:${assignRev}`, () =>
    getClient().call('tariffs.assignments', { meter: meter.mpan }),
  );
  const standard = useMemo(() => defaultCostRange(meter), [meter]);
  const [range, setRange] = useState<CostRange | null>(standard);
  useEffect(() => {
    // a new meter, or its first readings: open on its standard range
    setRange((r) => (r === null || r.why !== CHOSEN ? standard : r));
  }, [standard]);

  const names = useMemo(() => new Map((tariffs.data ?? []).map((t) => [t.id, t.name])), [tariffs.data]);
  const tariffName = useCallback((id: string) => names.get(id) ?? id, [names]);
  // anything that changes what the meter's days are priced on
  const rev = `${assignRev}:${meter.supplier ?? ''}:${meter.capacityKva ?? ''}:${version}`;
  const onChanged = useCallback(() => setAssignRev((n) => n + 1), []);
  // "Assign a tariff" links (#/meters/<mpan>?section=tariff) land on the tariff card
  const hash = useHash();
  const toTariff = /[?&]section=tariff\b/.test(hash);
  useEffect(() => {
    if (!toTariff) return;
    document.querySelector('[data-testid="cost-tariff"]')?.scrollIntoView({ block: 'start' });
  }, [toTariff, assignments.load]);

  return (
    <section className="cost-panel" aria-labelledby="costs-title" data-testid="meter-costs">
      <div className="cost-panel-head">
        <h2 id="costs-title">Costs &amp; tariffs</h2>
        <span className="muted small">
          Prices every half-hour on the tariff in force at the time · figures in £ with VAT ·{' '}
          <a href={href.tariffs}>Tariffs</a> · <a href={href.savings}>Savings</a>
        </span>
      </div>
      <CostTariffCard
        meter={meter}
        tariffs={tariffs}
        assignments={assignments}
        canManage={canManage}
        onChanged={onChanged}
      />
      {!canManage ? (
        <section className="card cost-card">
          <EmptyState title="Costs and switching analyses are for managers">
            You are signed in as a viewer: you can see which tariff this meter is on, but pricing its half-hours and
            comparing tariffs needs the manager role.
          </EmptyState>
        </section>
      ) : !range ? (
        <section className="card cost-card">
          <EmptyState title="No readings for this meter yet">
            Import its half-hourly data to see what it cost and what other tariffs would have cost.
          </EmptyState>
        </section>
      ) : (
        <>
          <CostPeriodCard
            meter={meter}
            tariffs={tariffs.data ?? []}
            range={range}
            onRange={setRange}
            rev={rev}
            tariffName={tariffName}
          />
          <SwitchPanel meter={meter} range={range} rev={rev} tariffName={tariffName} />
        </>
      )}
    </section>
  );
}
