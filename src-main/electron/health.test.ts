/**
 * The desktop's side of system health, on a real core: the auto-updater's state as the `updates`
 * check, and the notification shown when a check turns warn or fail.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { PushedEvent } from '../../src-shared/contract/events';
import { makeCore } from '../../tests/helpers/core';
import type { Core } from '../core/app';
import { silentLogger } from '../core/events';
import { notificationFor } from './notify';
import { startAutoUpdate, UpdateState, type UpdaterLike } from './update';

let core: Core | null = null;
afterEach(async () => {
  await core?.stop();
  core = null;
});

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('desktop health', () => {
  it("reports the auto-updater's last check as the updates check", async () => {
    let now = Date.parse('2025-06-02T12:00:00Z');
    const state = new UpdateState(() => now);
    let fail = true;
    const updater: UpdaterLike = {
      logger: null,
      on: () => updater,
      checkForUpdatesAndNotify: () =>
        fail ? Promise.reject(new Error('net::ERR_NAME_NOT_RESOLVED')) : Promise.resolve(null),
    };
    core = await makeCore({ clock: { now: () => now }, updateStatus: () => state.status() });
    const updates = async () => (await core!.health.check()).checks.find((c) => c.name === 'updates')!;

    startAutoUpdate(updater, { isPackaged: false, log: silentLogger, state });
    expect(await updates()).toMatchObject({
      status: 'ok',
      detail: 'This build does not update itself (not a packaged app)',
    });
    const stop = startAutoUpdate(updater, { isPackaged: true, log: silentLogger, state });
    await tick();
    now += 5 * 60_000;
    expect(await updates()).toMatchObject({
      status: 'warn',
      detail: 'The last check for updates (5 min ago) failed: net::ERR_NAME_NOT_RESOLVED',
    });
    stop();
    fail = false;
    startAutoUpdate(updater, { isPackaged: true, log: silentLogger, state })();
    await tick();
    expect(await updates()).toMatchObject({ status: 'ok', action: '' });
  });

  it('notifies "Health: <check> — <status>" with the detail when a check turns warn or fail, not when it recovers', async () => {
    let free = 500 * 1024 * 1024;
    core = await makeCore({ statfs: () => ({ bavail: free / 4096, bsize: 4096 }) });
    const events: PushedEvent[] = [];
    core.events.subscribe((e) => events.push(e));
    await core.health.check();
    expect(notificationFor(events.at(-1)!)).toEqual({
      title: 'Health: Free disk space — warn',
      body: "Only 500.0 MB free on the data folder's disk (under 1.0 GB)",
    });
    free = 100 * 1024 * 1024;
    await core.health.check();
    expect(notificationFor(events.at(-1)!)?.title).toBe('Health: Free disk space — fail');
    await core.health.check();
    expect(notificationFor(events.at(-1)!)).toBeNull(); // no change: nothing new to show
    free = 10 * 1024 * 1024 * 1024;
    await core.health.check();
    expect(notificationFor(events.at(-1)!)).toBeNull(); // back to ok
  });

  it('gathers several checks turning bad at once into one notification', () => {
    const e: PushedEvent = {
      event: 'health.changed',
      payload: {
        report: {
          status: 'fail',
          checkedAt: '2025-06-02T12:00:00Z',
          checks: [
            { name: 'disk', label: 'Free disk space', status: 'fail', detail: 'Only 90 MB free', action: 'Free space' },
            { name: 'queue', label: 'Import queue', status: 'warn', detail: '120 import jobs waiting', action: 'x' },
          ],
        },
        changes: [
          {
            id: 1,
            check: 'disk',
            status: 'fail',
            previous: 'ok',
            detail: 'Only 90 MB free',
            at: '2025-06-02T12:00:00Z',
          },
          { id: 2, check: 'queue', status: 'warn', previous: 'ok', detail: '120 import jobs waiting', at: '' },
        ],
      },
    };
    expect(notificationFor(e)).toEqual({
      title: 'Health: 2 checks need attention',
      body: 'Free disk space — fail: Only 90 MB free\nImport queue — warn: 120 import jobs waiting',
    });
  });
});
