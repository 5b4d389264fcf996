import { describe, expect, it } from 'vitest';
import type { HealthCheck } from '../../../src-shared/contract/types';
import { changeText, dotLabel, overallText } from './words';

const check = (name: string, status: HealthCheck['status']): HealthCheck => ({
  name,
  label: name[0]!.toUpperCase() + name.slice(1),
  status,
  detail: '',
  action: '',
});

describe('health words', () => {
  it('sum up the report, naming the checks that need attention', () => {
    expect(overallText({ checks: [check('disk', 'ok'), check('backups', 'ok')] })).toBe('All 2 checks are OK');
    expect(overallText({ checks: [check('disk', 'ok')] })).toBe('The check is OK');
    expect(overallText({ checks: [check('disk', 'fail'), check('backups', 'ok'), check('imports', 'warn')] })).toBe(
      '2 of 3 checks need attention: Disk, Imports',
    );
    expect(overallText({ checks: [check('disk', 'warn'), check('backups', 'ok')] })).toBe(
      '1 of 2 checks needs attention: Disk',
    );
  });

  it('label the dot for screen readers', () => {
    expect(dotLabel('fail')).toBe('App health: Failing');
    expect(dotLabel(null)).toBe('App health: not checked yet');
  });

  it('write changes of state with the check’s label', () => {
    expect(changeText({ check: 'disk', status: 'fail', previous: 'ok' }, { disk: 'Free disk space' })).toBe(
      'Free disk space: OK → Failing',
    );
    expect(changeText({ check: 'backups', status: 'warn', previous: null }, {})).toBe('backups: Needs attention');
  });
});
