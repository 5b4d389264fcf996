import { describe, expect, it } from 'vitest';
import { href, parseRoute } from './route';

describe('routes', () => {
  it('read the alerts and health pages', () => {
    expect(parseRoute('#/alerts')).toEqual({ page: 'alerts' });
    expect(parseRoute('#/alerts?status=all&kind=zero-run')).toEqual({ page: 'alerts' });
    expect(parseRoute('#/alerts/42')).toEqual({ page: 'alert', id: 42 });
    expect(parseRoute('#/alerts/rules')).toEqual({ page: 'alert-rules' });
    expect(parseRoute('#/alerts/rules/')).toEqual({ page: 'alert-rules' });
    expect(parseRoute('#/health')).toEqual({ page: 'health' });
    expect(parseRoute('#/alerts/0')).toEqual({ page: 'not-found', path: '/alerts/0' });
    expect(parseRoute('#/alerts/x')).toEqual({ page: 'not-found', path: '/alerts/x' });
  });

  it('build the addresses they read', () => {
    for (const h of [href.alerts, href.alert(7), href.alertRules, href.health])
      expect(parseRoute(h).page).not.toBe('not-found');
    expect(parseRoute(href.alert(7))).toEqual({ page: 'alert', id: 7 });
    expect(parseRoute('#/settings')).toEqual({ page: 'settings' });
    expect(parseRoute('#/settings/users')).toEqual({ page: 'users' });
    expect(parseRoute('#/settings/nobody')).toEqual({ page: 'not-found', path: '/settings/nobody' });
  });

  it('read the sync conflicts page and Settings at the shared server, and build their addresses', () => {
    expect(parseRoute('#/sync/conflicts')).toEqual({ page: 'sync-conflicts' });
    expect(parseRoute('#/sync/conflicts?status=all')).toEqual({ page: 'sync-conflicts' });
    expect(parseRoute(href.syncConflicts)).toEqual({ page: 'sync-conflicts' });
    expect(parseRoute(href.sharedServer)).toEqual({ page: 'settings' });
    expect(parseRoute('#/sync')).toEqual({ page: 'not-found', path: '/sync' });
  });

  it('read the schedules page and a schedule’s page, and build their addresses', () => {
    expect(parseRoute('#/schedules')).toEqual({ page: 'schedules' });
    expect(parseRoute('#/schedules/12')).toEqual({ page: 'schedule', id: 12 });
    expect(parseRoute(href.schedule(12))).toEqual({ page: 'schedule', id: 12 });
    expect(parseRoute(href.schedules)).toEqual({ page: 'schedules' });
    expect(parseRoute('#/schedules/0')).toEqual({ page: 'not-found', path: '/schedules/0' });
    expect(parseRoute('#/schedules/new')).toEqual({ page: 'not-found', path: '/schedules/new' });
  });
});
