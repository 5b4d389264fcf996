import { describe, expect, it } from 'vitest';
import type { SyncStatus } from '../../../src-shared/contract/types';
import { AppError } from '../../../src-shared/contract/errors';
import {
  connectProblem,
  conflictsBadgeText,
  frameStatus,
  keptSitesText,
  lastSyncLine,
  roleReach,
  failureHere,
  runResult,
  serverRoleBlocks,
  serverUrlProblem,
  stateLine,
  syncNowHint,
} from './words';

// 28 Nov 2026 is GMT: UK local time is UTC
const NOW = Date.parse('2026-11-28T11:00:00Z');

const status = (over: Partial<SyncStatus>): SyncStatus => ({
  configured: true,
  server: 'https://sync.example.org',
  held: null,
  heldCount: 0,
  user: { name: 'anna', role: 'manager' },
  clientName: 'Anna’s laptop',
  state: 'synced',
  waiting: 0,
  lastSyncAt: null,
  offlineSince: null,
  lastError: null,
  version: 10,
  keptSites: null,
  openConflicts: 0,
  everyMinutes: 5,
  ...over,
});

describe('the frame’s sync status', () => {
  it('shows nothing while no shared server is set up', () => {
    expect(frameStatus(status({ configured: false, state: 'off', server: null, user: null }), NOW)).toBeNull();
  });

  it('says how long ago the last sync was, how many changes wait, and that a sync runs', () => {
    const synced = frameStatus(status({ lastSyncAt: new Date(NOW - 2 * 60_000).toISOString() }), NOW);
    expect(synced).toEqual({ text: 'Synced · 2 min ago', full: 'Synced with the shared server 2 min ago', tone: 'ok' });
    expect(frameStatus(status({ lastSyncAt: null }), NOW)?.text).toBe('Synced');
    const waiting = frameStatus(status({ state: 'waiting', waiting: 12, lastSyncAt: '2026-11-28T10:30:00Z' }), NOW);
    expect(waiting?.text).toBe('12 changes waiting');
    expect(waiting?.full).toBe('12 changes waiting: they are sent at the next sync (last synced 30 min ago)');
    expect(waiting?.tone).toBe('waiting');
    expect(frameStatus(status({ state: 'waiting', waiting: 1 }), NOW)?.text).toBe('1 change waiting');
    expect(frameStatus(status({ state: 'waiting', waiting: 1204 }), NOW)?.text).toBe('1,204 changes waiting');
    expect(frameStatus(status({ state: 'syncing' }), NOW)).toEqual({
      text: 'Syncing…',
      full: 'Syncing with https://sync.example.org…',
      tone: 'busy',
    });
  });

  it('says since when the server could not be reached, in UK local time, and that changes are kept', () => {
    const off = frameStatus(status({ state: 'offline', offlineSince: '2026-11-28T10:42:00Z', waiting: 3 }), NOW);
    // the count stays in the bar itself, not only in the tooltip
    expect(off?.text).toBe('Offline since 10:42 · 3 changes waiting');
    expect(off?.full).toBe(
      'Offline since 10:42 · 3 changes waiting — changes are kept and sent when the server is back',
    );
    expect(off?.tone).toBe('offline');
    expect(`${off?.text}${off?.more}`).toBe(
      'Offline since 10:42 · 3 changes waiting — changes are kept and sent when the server is back',
    );
    expect(stateLine(status({ state: 'offline', offlineSince: '2026-11-28T10:42:00Z', waiting: 1 }), NOW)).toBe(
      'Offline since 10:42 · 1 change waiting',
    );
    // a viewer's local changes are never sent: not counted as waiting
    const viewerOff = status({ state: 'offline', waiting: 0, heldCount: 2, user: { name: 'vic', role: 'viewer' } });
    expect(frameStatus(viewerOff, NOW)?.text).toBe('Offline');
    expect(frameStatus(viewerOff, NOW)?.full).toBe(
      'Offline — changes are kept and sent when the server is back; Receive only · 2 local changes',
    );
    // in summer the UK clock is an hour ahead of UTC; an earlier day names the day
    const summer = Date.parse('2026-07-02T12:00:00Z');
    expect(frameStatus(status({ state: 'offline', offlineSince: '2026-07-02T09:42:00Z' }), summer)?.text).toBe(
      'Offline since 10:42',
    );
    expect(frameStatus(status({ state: 'offline', offlineSince: '2026-06-30T09:42:00Z' }), summer)?.text).toBe(
      'Offline since 30 Jun 2026 10:42',
    );
    expect(frameStatus(status({ state: 'offline' }), NOW)?.full).toBe(
      'Offline — changes are kept and sent when the server is back',
    );
  });

  it('keeps an error short in the bar and whole in the tooltip', () => {
    const e = frameStatus(status({ state: 'error', lastError: 'Signed out: sign in again in Settings' }), NOW);
    expect(e).toEqual({
      text: 'Sync error',
      more: ': Signed out: sign in again in Settings',
      full: 'Sync error: Signed out: sign in again in Settings',
      tone: 'error',
    });
  });

  it('gives changes this account never sends a status of their own, not the amber “waiting”', () => {
    const manager = frameStatus(status({ state: 'waiting', waiting: 0, heldCount: 2 }), NOW);
    expect(manager).toEqual({
      text: '2 changes not shared (need an admin)',
      full: '2 changes not shared (need an admin)',
      tone: 'held',
    });
    // the engine may call it synced: nothing the next sync would send
    expect(frameStatus(status({ state: 'synced', heldCount: 1 }), NOW)?.text).toBe(
      '1 change not shared (need an admin)',
    );
    const vic = { name: 'vic', role: 'viewer' as const };
    for (const s of [
      status({ state: 'waiting', waiting: 3, user: vic }),
      status({ state: 'synced', waiting: 0, heldCount: 3, user: vic }),
    ]) {
      expect(frameStatus(s, NOW)).toMatchObject({ text: 'Receive only · 3 local changes', tone: 'held' });
    }
    // changes that go at the next sync still read as waiting, the rest is said in the tooltip
    const mixed = frameStatus(status({ state: 'waiting', waiting: 4, heldCount: 2 }), NOW);
    expect(mixed?.text).toBe('4 changes waiting');
    expect(mixed?.tone).toBe('waiting');
    expect(mixed?.full).toBe('4 changes waiting: they are sent at the next sync; 2 changes not shared (need an admin)');
  });

  it('names the open conflicts on the badge', () => {
    expect(conflictsBadgeText(1)).toBe('1 readings conflict to resolve');
    expect(conflictsBadgeText(2)).toBe('2 readings conflicts to resolve');
  });
});

describe('a sync’s result and the settings lines', () => {
  it('say what was sent and received, and the conflicts', () => {
    expect(runResult({ pushed: 1204, pulled: 35040, conflicts: 2 })).toEqual({
      text: 'Sent 1,204 changes, received 35,040',
      conflicts: '2 conflicts to decide',
    });
    expect(runResult({ pushed: 1, pulled: 0, conflicts: 0 })).toEqual({
      text: 'Sent 1 change, received 0',
      conflicts: null,
    });
    expect(runResult({ pushed: 0, pulled: 0, conflicts: 0 }).text).toBe('Up to date: nothing to send or receive');
    expect(runResult({ pushed: 0, pulled: 0, conflicts: 1 })).toEqual({
      text: 'Up to date: nothing to send or receive',
      conflicts: '1 conflict to decide',
    });
  });

  it('say on the shared server’s own page what ended the session, not where to go', () => {
    expect(failureHere('Signed out: sign in again in Settings → Shared server')).toBe(
      'The server ended this desktop’s session (password changed or signed out): sign in again below.',
    );
    expect(failureHere('Not signed in to the shared server: sign in in Settings → Shared server')).toBe(
      'This desktop is not signed in to the shared server: sign in again below.',
    );
    expect(failureHere('Could not reach the server')).toBe('Could not reach the server');
    expect(failureHere(null)).toBe('The server refused the last sync.');
    // the core's straight apostrophes read as the app's curly ones
    expect(failureHere("The shared server refused this desktop's changes")).toBe(
      'The shared server refused this desktop’s changes',
    );
    const vic = { name: 'vic', role: 'viewer' as const };
    const viewer = status({
      state: 'waiting',
      waiting: 0,
      heldCount: 1,
      user: vic,
      held: "This desktop's account is a viewer: it only receives changes",
    });
    expect(frameStatus(viewer, NOW)?.full).toBe(
      'Receive only · 1 local change: This desktop’s account is a viewer: it only receives changes',
    );
    expect(frameStatus(status({ state: 'error', lastError: "It's 'quoted'" }), NOW)?.full).toBe(
      "Sync error: It’s 'quoted'",
    );
  });

  it('give the state and the last sync', () => {
    expect(stateLine(status({ state: 'off', configured: false }), NOW)).toBe('Not connected');
    expect(stateLine(status({ lastSyncAt: null }), NOW)).toBe('Connected, not synced yet');
    expect(stateLine(status({ lastSyncAt: '2026-11-28T10:55:00Z' }), NOW)).toBe('Synced: nothing waiting');
    expect(stateLine(status({ state: 'waiting', waiting: 3 }), NOW)).toBe('3 changes waiting');
    // changes the account may not send: the reason, in the frame's tooltip and the state line
    const why = 'a tariff “Acme Business Fixed” and its prices from 1 Jan 2025';
    const held = status({ state: 'waiting', waiting: 0, heldCount: 2, held: why, lastSyncAt: '2026-11-28T10:55:00Z' });
    expect(stateLine(held, NOW)).toBe(`2 changes not shared (need an admin): ${why}`);
    expect(frameStatus(held, NOW)?.full).toContain(why);
    const both = status({ state: 'waiting', waiting: 3, heldCount: 1, held: why, lastSyncAt: '2026-11-28T10:30:00Z' });
    expect(stateLine(both, NOW)).toBe(
      `3 changes waiting: they are sent at the next sync (last synced 30 min ago); 1 change not shared (need an admin): ${why}`,
    );
    expect(stateLine(status({ state: 'error', lastError: 'Refused' }), NOW)).toBe('Sync error: Refused');
    expect(lastSyncLine({ lastSyncAt: null }, NOW)).toBe('Not yet');
    expect(lastSyncLine({ lastSyncAt: '2026-11-28T10:55:00Z' }, NOW)).toBe('10:55 (5 min ago)');
    expect(lastSyncLine({ lastSyncAt: '2026-11-26T10:55:00Z' }, NOW)).toBe('26 Nov 2026 10:55 (2 days ago)');
  });

  it('say what Sync now does: a viewer’s desktop only fetches', () => {
    expect(syncNowHint(status({ waiting: 0 }))).toBe(
      'Nothing is waiting to be sent; fetches what the team changed since the last sync. It also runs when the app starts, every 5 minutes and after each import.',
    );
    expect(syncNowHint(status({ waiting: 40, everyMinutes: 1 }))).toMatch(
      /^Sends the 40 changes waiting, then fetches .* every 1 minute and/,
    );
    expect(syncNowHint(status({ waiting: 40, user: { name: 'vic', role: 'viewer' } }))).toMatch(
      /^Fetches what the team changed since the last sync\./,
    );
    // held changes are never promised: only what the next sync sends is counted
    const hint = syncNowHint(status({ waiting: 0, heldCount: 2 }));
    expect(hint).toMatch(/^Nothing is waiting to be sent; fetches /);
    expect(hint).toContain('2 changes stay here: sending them needs an administrator’s account.');
    expect(syncNowHint(status({ waiting: 1, heldCount: 1 }))).toMatch(
      /^Sends the 1 change waiting, then fetches .*\. 1 change stays here: sending it needs/,
    );
  });

  it('say plainly that a viewer’s desktop only receives', () => {
    expect(roleReach('viewer')).toMatch(/^This desktop only receives changes/);
    expect(roleReach('manager')).toMatch(/tariffs and shared settings need an administrator/);
    expect(roleReach('admin')).toMatch(/every kind of change/);
    expect(serverRoleBlocks('viewer')).toMatch(/signs in to the shared server as a viewer/);
    expect(serverRoleBlocks('manager')).toBeNull();
    expect(serverRoleBlocks(null)).toBeNull();
  });

  it('name the kept sites', () => {
    const sites = [
      { uid: 'a', name: 'Head office' },
      { uid: 'b', name: 'Depot' },
      { uid: 'c', name: 'School' },
      { uid: 'd', name: 'Pool' },
    ];
    expect(keptSitesText(null, sites)).toBe('All sites');
    expect(keptSitesText([], sites)).toBe('No sites');
    expect(keptSitesText(['b', 'a'], sites)).toBe('2 sites: Head office, Depot');
    expect(keptSitesText(['a', 'b', 'c', 'd'], sites)).toBe('4 sites: Head office, Depot, School and 1 more');
    // sites not on this desktop yet are counted, not named
    expect(keptSitesText(['x', 'y'], sites)).toBe('2 sites');
    expect(keptSitesText(['a', 'x'], sites)).toBe('2 sites: Head office and 1 more');
  });
});

describe('a failed connect', () => {
  it('puts each problem beside the field it concerns', () => {
    expect(
      connectProblem(new AppError('UNAVAILABLE', 'Could not reach https://x.example: connection refused')),
    ).toEqual({ server: 'Could not reach https://x.example: connection refused' });
    expect(connectProblem(new AppError('UNAUTHENTICATED', 'That user name and password do not match'))).toEqual({
      password: 'That user name and password do not match',
    });
    expect(connectProblem(new AppError('FORBIDDEN', 'Wrong', { reason: 'unauthenticated' }))).toEqual({
      password: 'Wrong',
    });
    expect(
      connectProblem(
        new AppError('INVALID_ARGS', 'Bad', [
          { path: ['server'], message: 'Invalid url' },
          { path: ['clientName'], message: 'Too long' },
        ]),
      ),
    ).toEqual({
      server: 'That is not a web address: type it as https://sync.example.org or http://10.0.0.5:8787',
      clientName: 'Too long',
    });
    expect(
      connectProblem(new AppError('BAD_INPUT', 'The shared server’s answer to /auth/token could not be read')),
    ).toEqual({ server: 'The shared server’s answer to /auth/token could not be read' });
    expect(connectProblem(new AppError('FORBIDDEN', 'Only an administrator can link this desktop'))).toEqual({
      form: 'Only an administrator can link this desktop',
    });
    expect(connectProblem(new Error('boom'))).toEqual({ form: 'boom' });
  });

  it('checks the address before asking', () => {
    expect(serverUrlProblem('')).toMatch(/^Type the shared server’s address/);
    expect(serverUrlProblem('sync.example.org')).toMatch(/^That is not a web address/);
    expect(serverUrlProblem('ftp://sync.example.org')).toBe('The address starts with https:// or http://');
    expect(serverUrlProblem(' https://sync.example.org ')).toBeNull();
    expect(serverUrlProblem('http://10.0.0.5:8787')).toBeNull();
  });
});
