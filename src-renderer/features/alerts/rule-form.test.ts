import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src-shared/contract/errors';
import { ALERT_KINDS, type AlertRule } from '../../../src-shared/contract/types';
import {
  paramFields,
  changeKind,
  draftOfRule,
  newDraft,
  problemsByField,
  ruleOfDraft,
  ruleProblems,
  slugOf,
} from './rule-form';

describe('the rule form', () => {
  it('has fields for every kind, named as the rule names its parameters', () => {
    const names = Object.fromEntries(ALERT_KINDS.map((k) => [k, paramFields(k).map((f) => f.name)]));
    expect(names).toEqual({
      'daily-kwh-above': ['kwh'],
      'halfhour-kw-above': ['kw', 'consecutive'],
      'out-of-hours-share-above': ['share'],
      'baseload-increase': ['percent', 'compare'],
      exception: ['direction'],
      'data-missing': ['days', 'halfHours'],
      'zero-run': ['halfHours'],
      'cost-above': ['gbp', 'per'],
      'capacity-share-above': ['share'],
      'import-failed': [],
      health: ['check', 'level'],
      'carbon-intensity-below': ['gco2', 'halfHours'],
      'carbon-intensity-above': ['gco2', 'halfHours'],
    });
  });

  it('asks for each parameter in words with its unit after the input', () => {
    expect(paramFields('daily-kwh-above')).toEqual([
      { name: 'kwh', label: 'Daily use above', optional: false, type: 'number', unit: 'kWh', initial: '' },
    ]);
    expect(paramFields('halfhour-kw-above')[1]).toMatchObject({
      label: 'For at least',
      unit: 'consecutive half-hours',
      type: 'whole',
      initial: '1',
      optional: true,
    });
    expect(paramFields('capacity-share-above')[0]).toMatchObject({ type: 'percent', unit: '% of capacity' });
    expect(paramFields('cost-above')[1]).toMatchObject({
      type: 'choice',
      options: [
        { value: 'day', label: 'a day' },
        { value: 'month', label: 'a month' },
      ],
    });
    expect(paramFields('health')[0]).toMatchObject({ label: 'Check', type: 'choice', optional: true, initial: '' });
    expect(paramFields('health')[0]!.options).toContainEqual({ value: 'disk', label: 'Free disk space' });
  });

  it('turns a filled form into the rule, shares typed as percentages', () => {
    const d = {
      ...newDraft('out-of-hours-share-above'),
      id: ' ooh ',
      name: 'Out of hours',
      scope: 'site' as const,
      site: '3',
      channels: ['email' as const],
      params: { share: '35' },
    };
    expect(ruleOfDraft(d)).toEqual({
      ok: true,
      rule: {
        id: 'ooh',
        name: 'Out of hours',
        kind: 'out-of-hours-share-above',
        severity: 'warning',
        channels: ['email'],
        enabled: true,
        site: 3,
        share: 0.35,
      },
    });
  });

  it('reads back a saved rule as it was saved', () => {
    const saved: AlertRule = {
      id: 'cap',
      kind: 'capacity-share-above',
      meter: '1200050000009',
      severity: 'critical',
      channels: ['slack', 'webhook'],
      enabled: false,
      share: 0.125,
    };
    const d = draftOfRule(saved);
    expect(d.params.share).toBe('12.5');
    expect(d.scope).toBe('meter');
    const back = ruleOfDraft(d);
    expect(back).toEqual({ ok: true, rule: { ...saved } });
  });

  it('leaves out optional parameters left empty and keeps the scope of a whole-app kind', () => {
    const d = { ...newDraft('data-missing'), id: 'gaps', scope: 'all' as const, params: { days: '', halfHours: '6' } };
    expect(ruleOfDraft(d)).toMatchObject({ ok: true, rule: { all: true, halfHours: 6 } });
    const r = ruleOfDraft(d);
    expect(r.ok && 'days' in r.rule).toBe(false);
    expect(newDraft('health').scope).toBe('all');
  });

  it('says beside each field what is wrong', () => {
    const d = { ...newDraft('halfhour-kw-above'), params: { kw: 'lots', consecutive: '1.5' } };
    const r = ruleOfDraft(d);
    expect(r).toEqual({
      ok: false,
      errors: {
        id: 'Give the rule a name or a short id, e.g. school-daily-use',
        meter: 'Choose a meter',
        kw: 'Enter a number, e.g. 500',
        consecutive: 'Enter a whole number, e.g. 4',
      },
    });
    const missing = ruleOfDraft({
      ...newDraft('data-missing'),
      id: 'x',
      scope: 'all',
      params: { days: '', halfHours: '' },
    });
    expect(missing).toEqual({ ok: false, errors: { days: 'Give a number of days, of half-hours, or both' } });
    const share = ruleOfDraft({ ...newDraft('capacity-share-above'), id: 'x', scope: 'all', params: { share: '150' } });
    expect(share).toEqual({ ok: false, errors: { share: 'Enter a percentage from 1 to 100' } });
  });

  it('makes an id from the name when none is given', () => {
    expect(slugOf('  School: out-of-hours use! ')).toBe('school-out-of-hours-use');
    const d = { ...newDraft('import-failed'), name: 'Imports that fail' };
    expect(ruleOfDraft(d)).toMatchObject({ ok: true, rule: { id: 'imports-that-fail', all: true } });
    expect(ruleOfDraft({ ...d, id: 'own-id' })).toMatchObject({ ok: true, rule: { id: 'own-id' } });
  });

  it('keeps what still applies when the kind changes', () => {
    const d = { ...newDraft('zero-run'), scope: 'meter' as const, params: { halfHours: '6' } };
    const carbon = changeKind(d, 'carbon-intensity-below');
    expect(carbon.scope).toBe('all');
    expect(carbon.params).toEqual({ gco2: '', halfHours: '6' });
    expect(changeKind(d, 'daily-kwh-above').scope).toBe('meter');
  });
});

describe('a refused rule', () => {
  const problems = [
    { index: 0, rule: 'r1', field: 'kwh', message: 'expected a number above 0' },
    { index: 0, rule: 'r1', field: 'kwh', message: 'second message' },
    { index: 0, rule: 'r1', field: null, message: 'unknown meter' },
  ];

  it('finds the problems in INVALID_ARGS details only', () => {
    expect(ruleProblems(new AppError('INVALID_ARGS', 'Rule refused', { problems }))).toEqual(problems);
    expect(ruleProblems(new AppError('INVALID_ARGS', 'Bad', [{ path: ['x'], message: 'y' }]))).toBeNull();
    expect(ruleProblems(new AppError('NOT_FOUND', 'No', { problems }))).toBeNull();
    expect(ruleProblems(new Error('x'))).toBeNull();
  });

  it('puts the first message of each field beside it', () => {
    expect(problemsByField(problems)).toEqual({ kwh: 'expected a number above 0', '': 'unknown meter' });
  });
});
