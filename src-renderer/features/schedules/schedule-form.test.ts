import { describe, expect, it } from 'vitest';
import { contract } from '../../../src-shared/contract/api';
import type { ScheduleSummary } from '../../../src-shared/contract/types';
import {
  cadenceHint,
  draftOf,
  newDraft,
  placeErrors,
  repeatError,
  scheduleArgs,
  splitRecipients,
  toggleArgs,
  withWhat,
} from './schedule-form';

const stored = (more: Partial<ScheduleSummary>): ScheduleSummary => ({
  id: 4,
  name: 'Bureau readings',
  what: { kind: 'export', table: 'readings', scope: { siteId: 3 }, range: 'yesterday', layout: 'wide' },
  cadence: { every: 'weekly', weekday: 2, at: '06:30' },
  destination: { kind: 'sftp', host: 'sftp.bureau.example', port: 2222, username: 'eclectyc', path: '/in' },
  hostKey: 'SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s',
  secretsSet: ['privateKey', 'passphrase'],
  enabled: false,
  nextRunAt: null,
  lastRun: null,
  createdAt: '2026-11-01T10:00:00Z',
  updatedAt: '2026-11-01T10:00:00Z',
  ...more,
});

/** What the core's own check makes of arguments (throws on what it refuses). */
const parse = (args: unknown) => contract['schedules.save'].args.parse(args);

describe('the schedule form', () => {
  it('makes a new monthly portfolio PDF report into a folder, as the core accepts it', () => {
    const r = scheduleArgs({ ...newDraft(), name: ' Finance pack ', path: '/srv/reports' }, null);
    const args = {
      name: 'Finance pack',
      what: { kind: 'report', scope: { all: true }, period: 'month', format: 'pdf' },
      cadence: { every: 'monthly', day: 1, at: '07:00' },
      destination: { kind: 'folder', path: '/srv/reports' },
      enabled: true,
    };
    expect(r).toEqual({ ok: true, args });
    expect(parse(r.ok && r.args)).toEqual(args);
  });

  it('gives back a stored schedule unchanged, its secrets left alone', () => {
    for (const s of [
      stored({}),
      stored({
        what: { kind: 'export', table: 'days', scope: { meter: '1200050000009' }, range: 'yesterday' },
        cadence: { every: 'daily', at: '23:30' },
        destination: { kind: 'email', to: ['anna@example.org', 'ben@example.org'] },
        secretsSet: [],
        enabled: true,
      }),
      stored({
        what: { kind: 'digest', scope: { meter: '1200050000009' }, period: 'week' },
        cadence: { every: 'weekly', weekday: 7, at: '23:30' },
        destination: { kind: 'email', to: ['anna@example.org'] },
        secretsSet: [],
      }),
      stored({
        what: { kind: 'report', scope: { siteId: 12 }, period: 'year', format: 'html' },
        cadence: { every: 'monthly', day: 28, at: '00:00' },
        destination: { kind: 'folder', path: 'C:\\Reports' },
        secretsSet: [],
      }),
    ]) {
      const r = scheduleArgs(draftOf(s), s.id, s.secretsSet);
      const expected = {
        id: s.id,
        name: s.name,
        what: s.what,
        cadence: s.cadence,
        destination: s.destination,
        enabled: s.enabled,
      };
      expect(r).toEqual({ ok: true, args: expected });
      expect(parse(r.ok && r.args)).toEqual(expected);
      expect(toggleArgs(s, !s.enabled)).toEqual({ ...expected, enabled: !s.enabled });
    }
  });

  it('asks for what each part needs, by the names the core uses', () => {
    const blank = scheduleArgs({ ...newDraft(), scope: 'site', day: '29', at: '7am' }, null);
    expect(blank).toEqual({
      ok: false,
      errors: {
        name: 'Give the schedule a name, e.g. Monthly pack for finance',
        'what.scope.siteId': 'Choose a site',
        'cadence.at': 'Give a UK time as HH:MM, e.g. 07:00',
        'cadence.day': 'A day from 1 to 28 (every month has them)',
        'destination.path': 'Give the folder to save the files in, as a full path',
      },
    });
    const relative = scheduleArgs({ ...newDraft(), name: 'N', scope: 'meter', path: 'reports' }, null);
    expect(relative.ok ? null : relative.errors).toEqual({
      'what.scope.meter': 'Choose a meter',
      'destination.path': 'Give the full path, e.g. /srv/reports or \\\\server\\share\\reports',
    });
    const digest = scheduleArgs({ ...newDraft(), name: 'N', kind: 'digest', path: '/srv/out' }, null);
    expect(digest.ok ? null : digest.errors).toEqual({
      'destination.kind': 'A digest is an email: send it to email recipients',
    });
    const sftp = scheduleArgs({ ...newDraft(), name: 'N', dest: 'sftp', port: '70000' }, null);
    expect(sftp.ok ? null : Object.keys(sftp.errors).sort()).toEqual([
      'destination.host',
      'destination.path',
      'destination.port',
      'destination.username',
      'secrets.password',
    ]);
    // each message starts with a capital letter
    for (const r of [blank, relative, digest, sftp])
      for (const m of Object.values(r.ok ? {} : r.errors)) expect(m).toMatch(/^[A-Z“]/);
  });

  it('checks each email recipient on its own row, and refuses none, blanks only or the same one twice', () => {
    const email = (to: string[]) => scheduleArgs({ ...newDraft(), name: 'N', dest: 'email', to }, null);
    expect(email(['anna@example.org', 'not an address', '', 'ben@example'])).toEqual({
      ok: false,
      errors: {
        'destination.to.1': '“not an address” is not an email address',
        'destination.to.3': '“ben@example” is not an email address',
      },
    });
    expect(email(['', ' '])).toEqual({ ok: false, errors: { 'destination.to': 'Give at least one recipient' } });
    expect(email(['a@x.org', 'A@x.org'])).toEqual({
      ok: false,
      errors: { 'destination.to': 'A recipient is given twice' },
    });
    const ok = email([' anna@example.org', '', 'ben.smith+energy@council.gov.uk ']);
    expect(ok.ok && ok.args.destination).toEqual({
      kind: 'email',
      to: ['anna@example.org', 'ben.smith+energy@council.gov.uk'],
    });
  });

  it('accepts a recipient exactly when the core does', () => {
    const cases = [
      'anna@example.org',
      'o’brien@example.org',
      "o'brien@example.org",
      'anna.@example.org',
      'anna@example.o',
      'first.last@sub.example.co.uk',
      'x@y',
      'a b@example.org',
      '@example.org',
      'anna@',
      'anna@example.org,ben@example.org',
      'anna@@example.org',
    ];
    for (const to of cases) {
      const form = scheduleArgs({ ...newDraft(), name: 'N', dest: 'email', to: [to] }, null).ok;
      let core = true;
      try {
        parse({ ...newArgs, destination: { kind: 'email', to: [to] } });
      } catch {
        core = false;
      }
      expect([to, form]).toEqual([to, core]);
    }
  });

  it('puts the core’s problem with a recipient beside the row it came from (blank rows are dropped)', () => {
    const d = { ...newDraft(), dest: 'email' as const, to: ['', 'anna@example.org', '', 'bad'] };
    expect(placeErrors({ 'destination.to.1': 'Each recipient must be an email address', name: 'N' }, d)).toEqual({
      'destination.to.3': 'Each recipient must be an email address',
      name: 'N',
    });
    expect(splitRecipients('anna@example.org; ben@example.org,\ncara@example.org ')).toEqual([
      'anna@example.org',
      'ben@example.org',
      'cara@example.org',
    ]);
    // a space is not a separator: a name typed by mistake stays in one row, to be refused there
    expect(splitRecipients('Anna Smith')).toEqual(['Anna Smith']);
  });

  it('sets, keeps or clears the SFTP secrets, and forgets the host key only when asked', () => {
    const s = stored({});
    const d = draftOf(s);
    const keep = scheduleArgs(d, s.id, s.secretsSet);
    expect(keep.ok && 'secrets' in keep.args).toBe(false);
    const changed = scheduleArgs(
      {
        ...d,
        forgetHostKey: true,
        secrets: {
          password: { mode: 'replace', text: ' pw ' },
          privateKey: { mode: 'clear' },
          passphrase: d.secrets.passphrase,
        },
      },
      s.id,
      s.secretsSet,
    );
    expect(changed.ok && changed.args).toMatchObject({
      secrets: { password: 'pw', privateKey: null },
      forgetHostKey: true,
    });
    expect(parse(changed.ok && changed.args)).toMatchObject({ forgetHostKey: true });
    // clearing the key with no password left: nothing to sign in with
    const none = scheduleArgs({ ...d, secrets: { ...d.secrets, privateKey: { mode: 'clear' } } }, s.id, s.secretsSet);
    expect(none).toEqual({
      ok: false,
      errors: { 'secrets.password': 'Set a password or a private key to sign in with' },
    });
    // a folder schedule never sends SFTP secrets or a forgotten key
    const folder = scheduleArgs({ ...d, dest: 'folder', path: '/srv/out', forgetHostKey: true }, s.id, s.secretsSet);
    expect(folder.ok && Object.keys(folder.args).sort()).toEqual([
      'cadence',
      'destination',
      'enabled',
      'id',
      'name',
      'what',
    ]);
  });
});

const newArgs = {
  name: 'N',
  what: { kind: 'report', scope: { all: true }, period: 'month', format: 'pdf' },
  cadence: { every: 'daily', at: '07:00' },
};

describe('the cadence follows what a schedule makes', () => {
  const base = { ...newDraft(), name: 'Digest', dest: 'email' as const, to: ['fd@example.org'] };

  it('sets a fitting cadence when the period is chosen', () => {
    const weekly = withWhat(base, { kind: 'digest', digestPeriod: 'week' });
    expect(weekly.every).toBe('weekly');
    expect(withWhat(weekly, { digestPeriod: 'month' }).every).toBe('monthly');
    expect(withWhat({ ...base, every: 'daily' }, { kind: 'report', reportPeriod: 'year' }).every).toBe('monthly');
    expect(withWhat({ ...base, every: 'weekly' }, { kind: 'export', range: 'last-month' }).every).toBe('monthly');
    // an export of yesterday keeps the cadence chosen
    expect(withWhat({ ...base, kind: 'export', every: 'daily' }, { range: 'yesterday' }).every).toBe('daily');
  });

  it('refuses a cadence that would send one period again and again, naming the fix', () => {
    const monthlyWeekly = {
      ...base,
      kind: 'digest' as const,
      digestPeriod: 'month' as const,
      every: 'weekly' as const,
    };
    expect(repeatError(monthlyWeekly)).toBe(
      'A monthly digest every week would send the same month about 4 times: choose Month',
    );
    expect(scheduleArgs(monthlyWeekly, null)).toEqual({
      ok: false,
      errors: { 'cadence.every': 'A monthly digest every week would send the same month about 4 times: choose Month' },
    });
    expect(repeatError({ ...monthlyWeekly, digestPeriod: 'week', every: 'daily' })).toBe(
      'A weekly digest every day would send the same week about 7 times: choose Week',
    );
    expect(repeatError({ ...monthlyWeekly, digestPeriod: 'week', every: 'weekly' })).toBeNull();
    expect(repeatError({ ...base, kind: 'report', reportPeriod: 'year', every: 'weekly' })).toMatch(
      /^A yearly report every week .* about 52 times: choose Month$/,
    );
    expect(scheduleArgs({ ...monthlyWeekly, every: 'monthly' }, null).ok).toBe(true);
  });

  it('says an annual report run monthly sends the same year each month', () => {
    expect(cadenceHint({ ...base, kind: 'report', reportPeriod: 'year' })).toMatch(/^There is no yearly cadence/);
    expect(cadenceHint({ ...base, kind: 'report', reportPeriod: 'month' })).toBeNull();
  });
});
