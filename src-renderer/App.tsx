import { useEffect, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import { getClient } from './api/instance';
import type { ConnectionState } from './api/transport';
import { FatalScreen, Logo } from './components/FatalScreen';
import { Spinner, EmptyState } from './components/States';
import { Toasts } from './components/Toasts';
import { parseRoute, href, navigate, useHash } from './lib/route';
import { useQuery } from './lib/query';
import { ActivityPage } from './features/activity/ActivityPage';
import { AlertPage } from './features/alerts/AlertPage';
import { AlertsPage } from './features/alerts/AlertsPage';
import { RulesPage } from './features/alerts/RulesPage';
import { HealthDot } from './features/health/HealthDot';
import { HealthPage } from './features/health/HealthPage';
import { AnalysisPage } from './features/analysis/AnalysisPage';
import { CarbonPage } from './features/carbon/CarbonPage';
import { DashboardPage } from './features/dashboard/DashboardPage';
import { ImportsPage } from './features/imports/ImportsPage';
import { MeterPage } from './features/meters/MeterPage';
import { MetersPage } from './features/meters/MetersPage';
import { SettingsPage } from './features/settings/SettingsPage';
import { SitePage } from './features/sites/SitePage';
import { SourcePage } from './features/sources/SourcePage';
import { SourcesPage } from './features/sources/SourcesPage';
import { SavingsPage } from './features/costs/SavingsPage';
import { ReportsPage } from './features/reports/ReportsPage';
import { SchedulePage } from './features/schedules/SchedulePage';
import { SchedulesPage } from './features/schedules/SchedulesPage';
import { TariffsPage } from './features/tariffs/TariffsPage';
import { ConflictsPage } from './features/sync/ConflictsPage';
import { SyncIndicator } from './features/sync/SyncIndicator';
import { SignInPage } from './features/users/SignInPage';
import { UserBadge } from './features/users/UserBadge';
import { UsersPage } from './features/users/UsersPage';
import { allowed } from './lib/access';
import { useAlertsStore } from './stores/alerts';
import { useAppStore } from './stores/app';
import { useImportsStore } from './stores/imports';
import { useMetersStore } from './stores/meters';
import { useSyncStore } from './stores/sync';
import { wireEvents } from './stores/wire';

const CONNECTION_LABEL: Record<ConnectionState, string> = {
  connecting: 'Connecting…',
  connected: 'Live',
  reconnecting: 'Reconnecting…',
  offline: 'Offline',
};

function hasFiles(e: DragEvent): boolean {
  return !!e.dataTransfer && Array.from(e.dataTransfer.types).includes('Files');
}

export function App() {
  const state = useAppStore((s) => s.state);
  const fatal = useAppStore((s) => s.fatal);
  const start = useAppStore((s) => s.start);
  const [dragging, setDragging] = useState(false);

  // The root element carries the app state for tests and styling.
  useLayoutEffect(() => {
    document.getElementById('root')?.setAttribute('data-app-state', state);
  }, [state]);

  useEffect(() => {
    const off = wireEvents(getClient());
    void start();
    return off;
  }, [start]);

  // Files dropped anywhere on the window: never let the browser open them. In web mode they are
  // sent to the importer; in the desktop app the preload captures them itself.
  const depth = useRef(0);
  useEffect(() => {
    const client = getClient();
    const onEnter = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      depth.current++;
      setDragging(true);
    };
    const onLeave = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      depth.current = Math.max(0, depth.current - 1);
      if (depth.current === 0) setDragging(false);
    };
    const onOver = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
    };
    const onDrop = (e: DragEvent) => {
      depth.current = 0;
      setDragging(false);
      if (!hasFiles(e)) return;
      e.preventDefault();
      if (useAppStore.getState().state !== 'ready') return;
      navigate(href.imports);
      // a viewer's drop leads to the Imports page, which says why nothing was imported
      if (!allowed(useAppStore.getState().info?.role, 'imports.enqueue')) return;
      const files = Array.from(e.dataTransfer?.files ?? []);
      if (client.uploads && files.length > 0) void useImportsStore.getState().importFiles(files);
    };
    window.addEventListener('dragenter', onEnter);
    window.addEventListener('dragleave', onLeave);
    window.addEventListener('dragover', onOver);
    window.addEventListener('drop', onDrop);
    return () => {
      window.removeEventListener('dragenter', onEnter);
      window.removeEventListener('dragleave', onLeave);
      window.removeEventListener('dragover', onOver);
      window.removeEventListener('drop', onDrop);
    };
  }, []);

  // Safety net: while jobs are active, refresh them now and then in case an event was missed.
  const hasActive = useImportsStore((s) =>
    s.order.some((id) => ['queued', 'running', 'retrying'].includes(s.jobs[id]?.status ?? '')),
  );
  useEffect(() => {
    if (!hasActive || state !== 'ready') return;
    const t = setInterval(() => void useImportsStore.getState().fetchJobs(), 4000);
    return () => clearInterval(t);
  }, [hasActive, state]);

  if (state === 'fatal' && fatal) {
    return (
      <>
        <FatalScreen fatal={fatal} onRetry={() => void start()} />
        <Toasts />
      </>
    );
  }
  if (state === 'signin') {
    return (
      <>
        <SignInPage />
        <Toasts />
      </>
    );
  }
  if (state === 'loading') {
    return (
      <div className="boot">
        <div className="brand brand-large">
          <Logo size={28} />
          <span>Eclectyc Energy</span>
        </div>
        <Spinner label="Starting…" />
      </div>
    );
  }
  return (
    <>
      <Shell />
      {dragging && (
        <div className="drag-overlay" aria-hidden="true">
          <div className="drag-overlay-card">Drop to import</div>
        </div>
      )}
      <Toasts />
    </>
  );
}

function Shell() {
  const route = parseRoute(useHash());
  const connection = useAppStore((s) => s.connection);
  const info = useAppStore((s) => s.info);
  const active = useImportsStore(
    (s) => s.order.filter((id) => ['queued', 'running', 'retrying'].includes(s.jobs[id]?.status ?? '')).length,
  );
  const meterCount = useMetersStore((s) => s.meters?.length ?? null);
  const openAlerts = useAlertsStore((s) => s.counts?.open ?? 0);
  const sync = useSyncStore((s) => s.status);
  const syncConflicts = sync?.openConflicts ?? 0;
  // unlinked: the conflicts page stays in the sidebar while it has history to show
  const syncHistory = useQuery(sync && !sync.configured ? 'sync-history' : null, () =>
    getClient().call('sync.conflicts', { status: 'all' }),
  );
  const hasSyncHistory =
    !!sync &&
    !sync.configured &&
    (syncHistory.data?.conflicts.length ?? 0) + (syncHistory.data?.replaced.length ?? 0) > 0;
  const section =
    route.page === 'meter' || route.page === 'meters' || route.page === 'site'
      ? 'meters'
      : route.page === 'alert' || route.page === 'alert-rules'
        ? 'alerts'
        : route.page === 'not-found'
          ? null
          : route.page === 'users'
            ? 'settings'
            : route.page === 'schedule'
              ? 'schedules'
              : route.page === 'sync-conflicts'
                ? 'conflicts'
                : route.page;

  useEffect(() => {
    if (!window.location.hash) window.history.replaceState(null, '', href.dashboard);
    // the badge and the health dot: fetched once, then kept up to date by events
    void useAlertsStore.getState().fetchCounts();
    void useAlertsStore.getState().fetchHealth();
  }, []);

  return (
    <div className="shell">
      <header className="topbar">
        <div className="brand">
          <Logo />
          <span>Eclectyc Energy</span>
        </div>
        <div className="topbar-right">
          <SyncIndicator />
          {info && (
            <span className="muted small host">
              {info.host === 'desktop' ? 'Desktop' : info.host === 'server' ? 'Browser' : info.host}
            </span>
          )}
          <span
            className={`conn conn-${connection}`}
            role="status"
            aria-label={`Connection: ${CONNECTION_LABEL[connection]}`}
            data-testid="connection"
            data-connection={connection}
          >
            <span className="conn-dot" aria-hidden="true" />
            {CONNECTION_LABEL[connection]}
          </span>
          <HealthDot />
          <UserBadge />
        </div>
      </header>
      <aside className="sidebar">
        <div className="sidebar-inner">
          <nav aria-label="Main">
            <NavLink
              to={href.dashboard}
              section="dashboard"
              current={section}
              label="Dashboard"
              icon="M4 13h6V4H4zm10 7h6V11h-6zM4 20h6v-4H4zm10-12h6V4h-6z"
            />
            <NavLink
              to={href.imports}
              section="imports"
              current={section}
              label="Imports"
              icon="M12 15V4m0 0-4 4m4-4 4 4M4 15v3a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2v-3"
            >
              {active > 0 && (
                <span className="nav-badge" aria-label={`${active} in progress`}>
                  {active}
                </span>
              )}
            </NavLink>
            <NavLink
              to={href.sources}
              section="sources"
              current={section}
              label="Data feeds"
              icon="M5 19h.01M5 12a7 7 0 0 1 7 7M5 5a14 14 0 0 1 14 14"
            />
            <NavLink
              to={href.meters}
              section="meters"
              current={section}
              label="Sites & meters"
              icon="M3 21h18M5 21V8l7-5 7 5v13M9 21v-6h6v6"
            >
              {meterCount !== null && meterCount > 0 && <span className="nav-count">{meterCount}</span>}
            </NavLink>
            <NavLink
              to={href.alerts}
              section="alerts"
              current={section}
              label="Alerts"
              icon="M6 16V11a6 6 0 0 1 12 0v5l1.5 2h-15zM10 20.5a2 2 0 0 0 4 0"
            >
              {openAlerts > 0 && (
                <span
                  className="nav-badge nav-badge-alert"
                  data-testid="alerts-badge"
                  aria-label={`${openAlerts} open`}
                >
                  {openAlerts}
                </span>
              )}
            </NavLink>
            <NavLink
              to={href.analysis}
              section="analysis"
              current={section}
              label="Analysis"
              icon="M3 3v18h18M7 16v-4m5 4V8m5 8v-6"
            />
            <NavLink
              to={href.carbon}
              section="carbon"
              current={section}
              label="Carbon"
              icon="M5 19c0-8 6-14 15-15-1 9-7 15-15 15zm0 0 7-7"
            />
            <NavLink
              to={href.tariffs}
              section="tariffs"
              current={section}
              label="Tariffs"
              icon="M16 7.5A3.5 3.5 0 0 0 9 8v4c0 2.5-.8 4.7-2.5 6H17M6.5 12.5H14"
            />
            <NavLink
              to={href.savings}
              section="savings"
              current={section}
              label="Savings"
              icon="M4 17l5-5 4 4 7-8M15 8h5v5"
            />
            <NavLink
              to={href.reports}
              section="reports"
              current={section}
              label="Reports"
              icon="M7 3h7l5 5v13H7zM14 3v5h5M10 17v-3m3 3v-6m3 6v-2"
            />
            <NavLink
              to={href.schedules}
              section="schedules"
              current={section}
              label="Schedules"
              icon="M12 7v5l3 2M21 12a9 9 0 1 1-18 0 9 9 0 0 1 18 0z"
            />
            {(sync?.configured || syncConflicts > 0 || hasSyncHistory || route.page === 'sync-conflicts') && (
              <NavLink
                to={href.syncConflicts}
                section="conflicts"
                current={section}
                label="Sync conflicts"
                icon="M7 4v12m0 0-3-3m3 3 3-3M17 20V8m0 0-3 3m3-3 3 3"
              >
                {syncConflicts > 0 && (
                  <span
                    className="nav-badge nav-badge-alert"
                    data-testid="nav-sync-conflicts"
                    aria-label={`${syncConflicts} open`}
                  >
                    {syncConflicts}
                  </span>
                )}
              </NavLink>
            )}
            <NavLink
              to={href.activity}
              section="activity"
              current={section}
              label="Activity"
              icon="M3 12h4l3-8 4 16 3-8h4"
            />
            <NavLink
              to={href.settings}
              section="settings"
              current={section}
              label="Settings"
              icon="M12 15a3 3 0 1 0 0-6 3 3 0 0 0 0 6zm7.4-3a7.4 7.4 0 0 0-.1-1.2l2-1.6-2-3.4-2.4 1a7.5 7.5 0 0 0-2-1.2L14.5 3h-4l-.4 2.6a7.5 7.5 0 0 0-2 1.2l-2.4-1-2 3.4 2 1.6a7.4 7.4 0 0 0 0 2.4l-2 1.6 2 3.4 2.4-1a7.5 7.5 0 0 0 2 1.2l.4 2.6h4l.4-2.6a7.5 7.5 0 0 0 2-1.2l2.4 1 2-3.4-2-1.6c.1-.4.1-.8.1-1.2z"
            />
          </nav>
          <div className="sidebar-foot muted small">
            {info && <div>Version {info.version}</div>}
            <div>Times shown in UK local time</div>
          </div>
        </div>
      </aside>
      <main className="content" id="main">
        {route.page === 'dashboard' && <DashboardPage />}
        {route.page === 'imports' && <ImportsPage />}
        {route.page === 'site' && <SitePage key={route.id} id={route.id} />}
        {route.page === 'analysis' && <AnalysisPage />}
        {route.page === 'carbon' && <CarbonPage />}
        {route.page === 'tariffs' && <TariffsPage />}
        {route.page === 'savings' && <SavingsPage />}
        {route.page === 'reports' && <ReportsPage />}
        {route.page === 'activity' && <ActivityPage />}
        {route.page === 'settings' && <SettingsPage />}
        {route.page === 'users' && <UsersPage />}
        {route.page === 'alerts' && <AlertsPage />}
        {route.page === 'alert' && <AlertPage key={route.id} id={route.id} />}
        {route.page === 'alert-rules' && <RulesPage />}
        {route.page === 'health' && <HealthPage />}
        {route.page === 'sources' && <SourcesPage />}
        {route.page === 'source' && <SourcePage key={route.id} id={route.id} />}
        {route.page === 'schedules' && <SchedulesPage />}
        {route.page === 'schedule' && <SchedulePage key={route.id} id={route.id} />}
        {route.page === 'sync-conflicts' && <ConflictsPage />}
        {route.page === 'meters' && <MetersPage />}
        {route.page === 'meter' && <MeterPage key={route.mpan} mpan={route.mpan} />}
        {route.page === 'not-found' && (
          <div className="page">
            <section className="card">
              <EmptyState
                title="This page does not exist"
                action={
                  <button type="button" className="btn btn-primary" onClick={() => navigate(href.dashboard)}>
                    Go to the dashboard
                  </button>
                }
              >
                Nothing lives at “{route.path}”.
              </EmptyState>
            </section>
          </div>
        )}
      </main>
    </div>
  );
}

/** A link of the sidebar: its icon (an SVG path) and label, marked when its section is the one shown. */
function NavLink({
  to,
  section,
  current,
  label,
  icon,
  children,
}: {
  to: string;
  section: string;
  current: string | null;
  label: string;
  icon: string;
  /** A count or badge after the label. */
  children?: ReactNode;
}) {
  return (
    <a
      href={to}
      className={`nav-link ${current === section ? 'active' : ''}`}
      aria-current={current === section ? 'page' : undefined}
    >
      <svg width="18" height="18" viewBox="0 0 24 24" aria-hidden="true" className="nav-icon">
        <path
          d={icon}
          fill="none"
          stroke="currentColor"
          strokeWidth="1.7"
          strokeLinecap="round"
          strokeLinejoin="round"
        />
      </svg>
      <span className="nav-label">{label}</span>
      {children}
    </a>
  );
}
