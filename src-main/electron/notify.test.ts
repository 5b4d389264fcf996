/** Alerts as system notifications, and the open-alert count on the badge and tray (plain Node, fakes). */
import { describe, expect, it } from 'vitest';
import type { PushedEvent } from '../../src-shared/contract/events';
import type { Alert, AlertCounts } from '../../src-shared/contract/types';
import { createAlertBadge, createNotifier, notificationFor, routeScript, type NotificationContent } from './notify';
import { FakeBadge } from './test-fakes';

const alert = (id: number, over: Partial<Alert> = {}): Alert => ({
  id,
  rule: 'r1',
  kind: 'daily-kwh-above',
  subject: '1200050000009',
  subjectLabel: '1200050000009 · Main school',
  severity: 'warning',
  status: 'open',
  firedAt: '2025-01-06T12:00:00Z',
  period: '2025-01-06',
  periodLabel: 'Mon 6 Jan 2025',
  message: '1,200 kWh',
  value: 1200,
  threshold: 500,
  unit: 'kWh',
  link: null,
  meter: '1200050000009',
  siteId: null,
  acknowledgedAt: null,
  acknowledgedBy: null,
  note: null,
  resolvedAt: null,
  resolvedBy: null,
  snoozedUntil: null,
  channels: ['tray'],
  ...over,
});

const notifyEvent = (alerts: Alert[]): PushedEvent => ({ event: 'alerts.notify', payload: { alerts } });
const changed = (open: number): PushedEvent => {
  const counts: AlertCounts = {
    open,
    acknowledged: 0,
    snoozed: 0,
    bySeverity: { info: 0, warning: open, critical: 0 },
    lastCheckAt: null,
  };
  return { event: 'alerts.changed', payload: { counts, fired: [] } };
};

describe('alert notifications', () => {
  it('name the alert and open it on click', () => {
    expect(notificationFor(notifyEvent([alert(12)]))).toEqual({
      title: 'Warning: Daily kWh above 500 kWh',
      body: '1200050000009 · Main school · Mon 6 Jan 2025 · 1,200 kWh',
      route: '#/alerts/12',
    });
    const two = notificationFor(notifyEvent([alert(1), alert(2, { severity: 'critical', subjectLabel: 'Gas' })]))!;
    expect(two.title).toBe('Eclectyc Energy: 2 alerts');
    expect(two.body.split('\n')).toEqual([
      'Warning: Daily kWh above 500 kWh — 1200050000009 · Main school',
      'Critical: Daily kWh above 500 kWh — Gas',
    ]);
    expect(two.route).toBe('#/alerts');
    expect(notificationFor(notifyEvent([]))).toBeNull();
  });

  it('keep their route when shown alone, and coalesce into the alerts list', () => {
    const shown: NotificationContent[] = [];
    let flush = () => {};
    const listener = createNotifier({ show: (n) => shown.push(n), setTimer: (fn) => (flush = fn) });
    listener(notifyEvent([alert(7)]));
    flush();
    expect(shown[0]).toMatchObject({ route: '#/alerts/7' });
    listener(notifyEvent([alert(8)]));
    listener(notifyEvent([alert(9, { kind: 'data-missing', threshold: null })]));
    flush();
    expect(shown[1]).toMatchObject({ title: 'Eclectyc Energy: new alerts', route: '#/alerts' });
    expect(shown[1]!.body).toContain('Data missing');
  });

  it('opens only app routes in the window', () => {
    expect(routeScript('#/alerts/12')).toBe('location.hash = "#/alerts/12"');
    expect(routeScript('javascript:alert(1)')).toBeNull();
    expect(routeScript('#/x"; fetch("evil')).toBeNull();
  });
});

describe('open-alert badge', () => {
  it('shows the open count on the badge and in the tray tooltip', () => {
    const badge = new FakeBadge();
    const listener = createAlertBadge(badge);
    listener(changed(3));
    expect([badge.count, badge.toolTip]).toEqual([3, 'Eclectyc Energy — 3 open alerts']);
    listener(changed(3));
    expect(badge.calls).toBe(1);
    listener(changed(1));
    expect(badge.toolTip).toBe('Eclectyc Energy — 1 open alert');
    listener(changed(0));
    expect([badge.count, badge.toolTip]).toEqual([0, 'Eclectyc Energy']);
    listener(notifyEvent([alert(1)]));
    expect(badge.calls).toBe(3);
  });
});
