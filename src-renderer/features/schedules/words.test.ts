import { describe, expect, it } from 'vitest';
import type { ScheduleRun } from '../../../src-shared/contract/types';
import { cadenceText, destinationText, ordinal, runNotes, runText, scopeText, slashPieces, whatText } from './words';

const names = { sites: new Map([[3, 'Leeds Depot']]), meters: new Map([['1200050000009', 'Main incomer']]) };

const run = (more: Partial<ScheduleRun>): ScheduleRun => ({
  id: 1,
  scheduleId: 2,
  trigger: 'manual',
  status: 'ok',
  dueAt: '2026-11-27T07:00:00Z',
  startedAt: '2026-11-27T07:00:01Z',
  finishedAt: '2026-11-27T07:00:03Z',
  attempts: 1,
  fileName: 'portfolio-2026-10.pdf',
  bytes: 4_219,
  target: 'email anna@example.org',
  error: null,
  notes: [],
  ...more,
});

describe('schedule words', () => {
  it('says what a schedule makes, naming the site or meter it covers', () => {
    expect(whatText({ kind: 'report', scope: { all: true }, period: 'month', format: 'pdf' })).toBe(
      'Monthly report · Portfolio · PDF',
    );
    expect(whatText({ kind: 'report', scope: { siteId: 3 }, period: 'year', format: 'html' }, names)).toBe(
      'Annual (SECR) report · Site ‘Leeds Depot’ · HTML',
    );
    expect(
      whatText(
        { kind: 'export', table: 'readings', scope: { meter: '1200050000009' }, range: 'last-month', layout: 'wide' },
        names,
      ),
    ).toBe('Readings CSV (wide) · Meter 1200050000009 (Main incomer) · last month');
    expect(whatText({ kind: 'export', table: 'costs', scope: { siteId: 9 }, range: 'last-7-days' }, names)).toBe(
      'Costs CSV · Site 9 · the last 7 days',
    );
    expect(whatText({ kind: 'digest', scope: { all: true }, period: 'week' })).toBe('Weekly digest · Portfolio');
    expect(scopeText({ meter: '1200050000106' }, names)).toBe('Meter 1200050000106');
  });

  it('says when it runs, with the day of the month as an ordinal', () => {
    expect(cadenceText({ every: 'monthly', day: 1, at: '07:00' })).toBe('Monthly on the 1st at 07:00');
    expect(cadenceText({ every: 'weekly', weekday: 1, at: '06:30' })).toBe('Weekly on Monday at 06:30');
    expect(cadenceText({ every: 'weekly', weekday: 7, at: '23:59' })).toBe('Weekly on Sunday at 23:59');
    expect(cadenceText({ every: 'daily', at: '05:15' })).toBe('Daily at 05:15');
    // every day a monthly schedule may have, checked against the English rule written out
    const expected: Record<number, string> = { 1: 'st', 2: 'nd', 3: 'rd', 21: 'st', 22: 'nd', 23: 'rd' };
    for (let n = 1; n <= 28; n++) expect(ordinal(n)).toBe(`${n}${expected[n] ?? 'th'}`);
  });

  it('says where it delivers', () => {
    expect(destinationText({ kind: 'folder', path: '/srv/reports' })).toBe('Folder /srv/reports');
    expect(destinationText({ kind: 'email', to: ['a@x.org'] })).toBe('Email to a@x.org');
    expect(destinationText({ kind: 'email', to: ['a@x.org', 'b@x.org'] })).toBe('Email to a@x.org and b@x.org');
    expect(destinationText({ kind: 'email', to: ['a@x.org', 'b@x.org', 'c@x.org', 'd@x.org'] })).toBe(
      'Email to a@x.org, b@x.org and 2 more',
    );
    expect(destinationText({ kind: 'sftp', host: 'sftp.bureau.example', username: 'eclectyc', path: '/in' })).toBe(
      'sftp://eclectyc@sftp.bureau.example/in',
    );
    expect(destinationText({ kind: 'sftp', host: 'h', port: 2222, username: 'u', path: '/in' })).toBe(
      'sftp://u@h:2222/in',
    );
  });

  it('says a run’s outcome in a line: the file and where it went, or why it failed', () => {
    expect(runText(run({}))).toBe('portfolio-2026-10.pdf (4.1 KB) to email anna@example.org');
    expect(runText(run({ attempts: 3 }))).toBe(
      'portfolio-2026-10.pdf (4.1 KB) to email anna@example.org, at attempt 3',
    );
    // where it went names the file already: said once
    expect(runText(run({ target: 'folder /srv/reports/portfolio-2026-10.pdf' }))).toBe(
      'folder /srv/reports/portfolio-2026-10.pdf (4.1 KB)',
    );
    expect(runText(run({ fileName: null, bytes: null, target: null }))).toBe('Delivered');
    expect(runText(run({ status: 'failed', error: 'The SFTP server offered another host key' }))).toBe(
      'The SFTP server offered another host key',
    );
    expect(runText(run({ status: 'failed', error: 'Timed out', attempts: 3 }))).toBe('Timed out (tried 3 times)');
    expect(runText(run({ status: 'running' }))).toBe('Still running');
  });

  it('writes an SFTP target as the CLI does, broken only after slashes', () => {
    const d = {
      kind: 'sftp',
      host: 'sftp.bureau.example',
      port: 2222,
      username: 'eclectyc',
      path: '/in/meters',
    } as const;
    expect(destinationText(d)).toBe('sftp://eclectyc@sftp.bureau.example:2222/in/meters');
    expect(slashPieces(destinationText(d))).toEqual(['sftp://', 'eclectyc@sftp.bureau.example:2222/', 'in/', 'meters']);
    expect(slashPieces('Email to a@x.org')).toEqual(['Email to a@x.org']);
    expect(slashPieces('Folder C:\\Reports\\Finance')).toEqual(['Folder C:\\', 'Reports\\', 'Finance']);
  });

  it('says a failed run’s error once and folds the attempts before it', () => {
    const error = 'Could not reach the SFTP server 127.0.0.1:2222: connection refused';
    const r = run({
      status: 'failed',
      error,
      attempts: 3,
      notes: [
        `Attempt 1 failed: ${error}; trying again in 0.1 s`,
        'Attempt 2 failed: Timed out after 3 s; trying again in 0.1 s',
        'Pinned the server’s host key SHA256:abc on first use',
      ],
    });
    expect(runNotes(r)).toEqual({
      attempts: [
        'Attempt 1: the same error; tried again after 0.1 s',
        'Attempt 2: Timed out after 3 s; tried again after 0.1 s',
      ],
      other: ['Pinned the server’s host key SHA256:abc on first use'],
    });
  });
});
