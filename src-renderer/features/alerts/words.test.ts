import { describe, expect, it } from 'vitest';
import type { AlertRule, MeterSummary, SiteSummary } from '../../../src-shared/contract/types';
import {
  alertStateText,
  conditionText,
  importText,
  ordinal,
  problemText,
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

describe('conditionText', () => {
  it('states each kind with its parameters and units', () => {
    expect(conditionText({ kind: 'daily-kwh-above', kwh: 500 })).toBe('Daily use above 500 kWh');
    expect(conditionText({ kind: 'daily-kwh-above', kwh: 1234.5 })).toBe('Daily use above 1,234.5 kWh');
    expect(conditionText({ kind: 'halfhour-kw-above', kw: 80 })).toBe('Demand above 80 kW in any half-hour');
    expect(conditionText({ kind: 'halfhour-kw-above', kw: 80, consecutive: 3 })).toBe(
      'Demand above 80 kW for 3 half-hours in a row',
    );
    expect(conditionText({ kind: 'out-of-hours-share-above', share: 0.35 })).toBe(
      'Out-of-hours use above 35 % of a week’s use',
    );
    expect(conditionText({ kind: 'baseload-increase', percent: 20, compare: 'last-year' })).toBe(
      'Baseload up more than 20 % on the same week last year',
    );
    expect(conditionText({ kind: 'baseload-increase', percent: 15, compare: 'previous-4-weeks' })).toBe(
      'Baseload up more than 15 % on the previous 4 weeks',
    );
    expect(conditionText({ kind: 'exception', direction: 'both' })).toBe(
      'A day’s use unusually high or low for its weekday',
    );
    expect(conditionText({ kind: 'exception', direction: 'below' })).toBe('A day’s use unusually low for its weekday');
    expect(conditionText({ kind: 'data-missing', days: 2, halfHours: 6 })).toBe(
      'No readings for 2 days or 6 half-hours missing in a day',
    );
    expect(conditionText({ kind: 'data-missing', halfHours: 1 })).toBe('1 half-hour missing in a day');
    expect(conditionText({ kind: 'zero-run' })).toBe('Zero use for 2 hours in a row');
    expect(conditionText({ kind: 'zero-run', halfHours: 5 })).toBe('Zero use for 5 half-hours in a row');
    expect(conditionText({ kind: 'cost-above', gbp: 40, per: 'day' })).toBe('Cost above £40 a day');
    expect(conditionText({ kind: 'cost-above', gbp: 1250.5, per: 'month' })).toBe('Cost above £1,250.50 a month');
    expect(conditionText({ kind: 'capacity-share-above', share: 0.9 })).toBe(
      'Peak demand above 90 % of agreed capacity in a month',
    );
    expect(conditionText({ kind: 'import-failed' })).toBe('An import fails');
    expect(conditionText({ kind: 'health', level: 'fail' })).toBe('A health check fails');
    expect(conditionText({ kind: 'health', check: 'disk', level: 'warn' })).toBe('Health check “disk” warns or fails');
    expect(conditionText({ kind: 'carbon-intensity-below', gco2: 100, halfHours: 4 })).toBe(
      'Grid carbon intensity below 100 gCO\u2082/kWh for 2 hours',
    );
    expect(conditionText({ kind: 'carbon-intensity-above', gco2: 250, halfHours: 1 })).toBe(
      'Grid carbon intensity above 250 gCO\u2082/kWh for 1 half-hour',
    );
  });
});

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
    expect(valueText({ value: 612.44, threshold: 500, unit: 'kWh' })).toBe('612 kWh (limit 500 kWh)');
    expect(valueText({ value: 41.2, threshold: 40, unit: '£' })).toBe('£41.20 (limit £40)');
    expect(valueText({ value: 0.42, threshold: 0.3, unit: 'share' })).toBe('42 % (limit 30 %)');
    expect(valueText({ value: 3, threshold: null, unit: 'half-hours' })).toBe('3 half-hours');
    expect(valueText({ value: null, threshold: null, unit: null })).toBe('');
    expect(quantityText(95.3, 'gCO2/kWh')).toBe('95.3 gCO\u2082/kWh');
    expect(quantityText(12.25, '%')).toBe('12.3 %');
  });

  it('says when an alert is snoozed, in a UK date', () => {
    expect(alertStateText({ status: 'open', snoozedUntil: '2025-01-12' })).toBe('Snoozed until 12 Jan 2025');
    expect(alertStateText({ status: 'resolved', snoozedUntil: '2025-01-12' })).toBe('Resolved');
    expect(alertStateText({ status: 'acknowledged', snoozedUntil: null })).toBe('Acknowledged');
  });
});

describe('rule files', () => {
  it('writes ordinals', () => {
    const want = ['1st', '2nd', '3rd', '4th', '11th', '12th', '13th', '21st', '22nd', '101st', '112th'];
    expect([1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 112].map(ordinal)).toEqual(want);
  });

  it('names the rule, its place and its field', () => {
    expect(problemText({ index: 1, rule: 'r2', field: 'kwh', message: 'expected a number' })).toBe(
      'Rule r2 (2nd in the file), field kwh: expected a number',
    );
    expect(problemText({ index: 2, rule: null, field: null, message: 'a rule needs an id' })).toBe(
      'The 3rd rule in the file: a rule needs an id',
    );
    expect(problemText({ index: -1, rule: null, field: null, message: 'not JSON' })).toBe('The file: not JSON');
  });

  it('sums up an import or its preview', () => {
    expect(importText({ created: 3, updated: 1, removed: 0 }, true)).toBe('3 rules to create, 1 to update');
    expect(importText({ created: 0, updated: 1, removed: 2 }, false)).toBe('1 rule updated, 2 removed');
    expect(importText({ created: 0, updated: 0, removed: 0 }, true)).toBe('Nothing to change');
  });
});
