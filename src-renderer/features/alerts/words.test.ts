import { describe, expect, it } from 'vitest';
import type { AlertRule, MeterSummary, SiteSummary } from '../../../src-shared/contract/types';
import {
  alertStateText,
  importText,
  periodText,
  quantityText,
  scopeText,
  scopesOf,
  valueText,
  watchedMeters,
} from './words';

const rule = (r: Partial<AlertRule> & Pick<AlertRule, 'kind'>): AlertRule => ({
  id: 'r1',
  severity: 'warning',
  channels: ['tray'],
  enabled: true,
  ...r,
});

const meter = (mpan: string, siteId: number | null, label: string | null = null): MeterSummary =>
  ({ mpan, siteId, label }) as MeterSummary;

describe('scopes', () => {
  const meters = [meter('1200050000009', 1, 'Main school'), meter('1200050000106', 1), meter('999', null)];
  const sites = [{ id: 1, name: 'Bath school' } as SiteSummary];

  it('names a meter, a site or everything', () => {
    expect(scopeText(rule({ kind: 'daily-kwh-above', meter: '1200050000009' }), meters, sites)).toBe(
      'Meter 1200050000009 · Main school',
    );
    expect(scopeText(rule({ kind: 'daily-kwh-above', meter: '1200050000106' }), meters, sites)).toBe(
      'Meter 1200050000106',
    );
    expect(scopeText(rule({ kind: 'zero-run', site: 1 }), meters, sites)).toBe('Each meter of Bath school');
    expect(scopeText(rule({ kind: 'carbon-intensity-below', site: 1 }), meters, sites)).toBe(
      'The region of Bath school',
    );
    expect(scopeText(rule({ kind: 'carbon-intensity-below', all: true }), meters, sites)).toBe('Great Britain');
    expect(scopeText(rule({ kind: 'health', all: true }), null, null)).toBe('The app');
    expect(scopeText(rule({ kind: 'zero-run', all: true }), null, null)).toBe('All meters');
  });

  it('offers only the scopes a kind can have', () => {
    expect(scopesOf('import-failed')).toEqual(['all']);
    expect(scopesOf('carbon-intensity-above')).toEqual(['all', 'site']);
    expect(scopesOf('daily-kwh-above')).toEqual(['meter', 'site', 'all']);
  });

  it('counts each watched meter once, leaving out disabled and non-meter rules', () => {
    const rules = [
      rule({ kind: 'daily-kwh-above', meter: '1200050000009' }),
      rule({ kind: 'zero-run', site: 1 }),
      rule({ kind: 'health', all: true }),
      rule({ kind: 'cost-above', all: true, enabled: false }),
    ];
    expect(watchedMeters(rules, meters)).toBe(2);
    expect(watchedMeters([...rules, rule({ kind: 'exception', all: true })], meters)).toBe(3);
    expect(watchedMeters([], meters)).toBe(0);
  });
});

describe('values', () => {
  it('shows a value against its limit in its unit', () => {
    expect(valueText({ value: 612.44, threshold: 500, unit: 'kWh' })).toBe('612.4 kWh (limit 500 kWh)');
    expect(valueText({ value: 41.2, threshold: 40, unit: '£' })).toBe('£41.20 (limit £40)');
    expect(valueText({ value: 0.42, threshold: 0.3, unit: 'share' })).toBe('42 % (limit 30 %)');
    expect(valueText({ value: 3, threshold: null, unit: 'half-hours' })).toBe('3 half-hours');
    expect(valueText({ value: null, threshold: null, unit: null })).toBe('');
    expect(quantityText(95.3, 'gCO2/kWh')).toBe('95.3 gCO\u2082/kWh');
    expect(quantityText(12.25, '%')).toBe('12.3 %');
  });

  it('writes a period still given as instants in UK words', () => {
    expect(periodText({ periodLabel: '2019-11-05T00:00Z/..' })).toBe('Since 5 Nov 2019 00:00');
    expect(periodText({ periodLabel: '2025-07-01T11:00Z/2025-07-01T12:30Z' })).toBe(
      '1 Jul 2025 12:00 to 1 Jul 2025 13:30',
    );
    expect(periodText({ periodLabel: 'Mon 4 Nov 2019' })).toBe('Mon 4 Nov 2019');
  });

  it('says when an alert is snoozed, in a UK date', () => {
    expect(alertStateText({ status: 'open', snoozedUntil: '2025-01-12' })).toBe('Snoozed until 12 Jan 2025');
    // as the instant the UK day starts: midnight BST is 23:00 UTC the day before
    expect(alertStateText({ status: 'open', snoozedUntil: '2025-07-11T23:00:00Z' })).toBe('Snoozed until 12 Jul 2025');
    expect(alertStateText({ status: 'open', snoozedUntil: '2025-01-12T00:00:00Z' })).toBe('Snoozed until 12 Jan 2025');
    expect(alertStateText({ status: 'resolved', snoozedUntil: '2025-01-12' })).toBe('Resolved');
    expect(alertStateText({ status: 'acknowledged', snoozedUntil: null })).toBe('Acknowledged');
  });
});

describe('rule files', () => {
  it('sums up an import or its preview', () => {
    expect(importText({ created: 3, updated: 1, removed: 0 }, true)).toBe('3 rules to create, 1 to update');
    expect(importText({ created: 0, updated: 1, removed: 2 }, false)).toBe('1 rule updated, 2 removed');
    expect(importText({ created: 0, updated: 0, removed: 0 }, true)).toBe('Nothing to change');
  });
});
