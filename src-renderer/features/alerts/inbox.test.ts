import { describe, expect, it } from 'vitest';
import {
  DEFAULT_FILTER,
  checkText,
  emptyInboxText,
  filterOfHash,
  hashOfFilter,
  isNarrowed,
  listArgs,
  matchesText,
} from './inbox';

describe('inbox filters', () => {
  it('go to and from the page address, defaults left out', () => {
    expect(hashOfFilter(DEFAULT_FILTER)).toBe('#/alerts');
    const f = { status: 'all', severity: 'critical', kind: 'zero-run', meter: ' 1200 ', snoozed: true } as const;
    const hash = hashOfFilter(f);
    expect(hash).toBe('#/alerts?status=all&severity=critical&kind=zero-run&meter=1200&snoozed=1');
    expect(filterOfHash(hash)).toEqual({ ...f, meter: '1200' });
    expect(filterOfHash('#/alerts?status=nonsense&kind=nope&severity=loud')).toEqual(DEFAULT_FILTER);
    expect(filterOfHash('#/alerts')).toEqual(DEFAULT_FILTER);
  });

  it('become alerts.list arguments', () => {
    expect(listArgs(DEFAULT_FILTER)).toEqual({ status: 'open', limit: 1000 });
    expect(listArgs({ status: 'all', severity: 'info', kind: 'health', meter: 'x', snoozed: true })).toEqual({
      severity: 'info',
      kind: 'health',
      includeSnoozed: true,
      limit: 1000,
    });
  });

  it('match meter text in the subject or its name, ignoring spaces and case', () => {
    const a = { subject: '1200050000009', subjectLabel: '1200050000009 · Main School, Bath' };
    expect(matchesText(a, '12 0005')).toBe(true);
    expect(matchesText(a, 'main school')).toBe(true);
    expect(matchesText(a, 'leeds')).toBe(false);
    expect(matchesText(a, '  ')).toBe(true);
  });

  it('know whether they show more than the open alerts', () => {
    expect(isNarrowed(DEFAULT_FILTER)).toBe(false);
    expect(isNarrowed({ ...DEFAULT_FILTER, meter: '12' })).toBe(true);
    expect(isNarrowed({ ...DEFAULT_FILTER, snoozed: true })).toBe(false);
  });
});

describe('inbox words', () => {
  it('say what is watched when nothing is open', () => {
    expect(emptyInboxText(12, 3, '2025-01-06T09:30:00Z')).toBe(
      'No open alerts. 3 rules watch 12 meters; last checked 6 Jan 2025 09:30.',
    );
    expect(emptyInboxText(1, 1, null)).toBe('No open alerts. 1 rule watches 1 meter.');
    expect(emptyInboxText(0, 0, null)).toMatch(/^No open alerts\. No rules are set yet/);
  });

  it('say what a check found', () => {
    const fired = [{}, {}] as never[];
    expect(checkText({ rules: 5, fired, resolved: 1, unchanged: 0 })).toBe(
      'Checked 5 rules: 2 alerts fired, 1 resolved as the condition cleared',
    );
    expect(checkText({ rules: 1, fired: [], resolved: 0, unchanged: 3 })).toBe(
      'Checked 1 rule: no new alerts, 3 still open',
    );
  });
});
