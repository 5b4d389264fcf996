/** The nightly run, driven by a controllable clock (no waiting on real timers). */
import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../app';
import { importFiles, makeCore, writeTemp } from '../../../tests/helpers/core';
import { lastScheduledAt, nextScheduledAt } from './scheduler';

let core: Core;
afterEach(async () => {
  await core?.stop();
});

const t = (iso: string) => Date.parse(iso) / 1000;
const iso = (s: number) => new Date(s * 1000).toISOString().replace('.000Z', 'Z');

describe('nightly schedule', () => {
  it('finds 01:30 UK time in winter and summer, and across both clock changes', () => {
    expect(iso(nextScheduledAt(t('2025-01-10T12:00:00Z'), '01:30'))).toBe('2025-01-11T01:30:00Z');
    expect(iso(nextScheduledAt(t('2025-07-10T12:00:00Z'), '01:30'))).toBe('2025-07-11T00:30:00Z');
    expect(iso(lastScheduledAt(t('2025-07-11T00:29:00Z'), '01:30'))).toBe('2025-07-10T00:30:00Z');
    // 30 March 2025: 01:30 does not exist; the run happens as the hour ends (02:00 BST = 01:00Z)
    expect(iso(nextScheduledAt(t('2025-03-29T12:00:00Z'), '01:30'))).toBe('2025-03-30T01:00:00Z');
    // 26 October 2025: 01:30 happens twice; the first (BST) counts
    expect(iso(nextScheduledAt(t('2025-10-25T12:00:00Z'), '01:30'))).toBe('2025-10-26T00:30:00Z');
  });

  it('runs at the configured time, once, logs what it did, and catches up a run missed while off', async () => {
    let now = t('2025-03-10T12:00:00Z') * 1000;
    core = await makeCore({ clock: { now: () => now } });
    const lines = ['MPAN,Timestamp,kWh'];
    for (let i = 0; i < 48 * 9; i++)
      lines.push(`1012477457919,${new Date(Date.UTC(2025, 2, 1) + i * 1800000).toISOString()},1`);
    await importFiles(core, [writeTemp('a.csv', lines.join('\n'))]);
    await core.scheduler.idle();
    await core.scheduler.tick(); // first start: nothing missed yet
    expect(core.scheduler.runs().filter((r) => r.task === 'nightly-rollup')).toHaveLength(0);

    now = t('2025-03-11T01:30:10Z') * 1000; // the timer fires at 01:30 GMT
    await core.scheduler.tick();
    let nightly = core.scheduler.runs().filter((r) => r.task === 'nightly-rollup');
    expect(nightly).toHaveLength(1);
    expect(nightly[0]).toMatchObject({ trigger: 'schedule', status: 'done', startedAt: '2025-03-11T01:30:10Z' });
    // the import's own roll-up run already reported its nine days: nothing changed since
    expect(nightly[0]!.summary).toMatchObject({ metersTouched: 0, daysTouched: 0 });
    await core.scheduler.tick(); // the same night again: nothing to do
    expect(core.scheduler.runs().filter((r) => r.task === 'nightly-rollup')).toHaveLength(1);

    now = t('2025-03-14T09:00:00Z') * 1000; // the laptop was off for three nights
    await core.scheduler.tick();
    nightly = core.scheduler.runs().filter((r) => r.task === 'nightly-rollup');
    expect(nightly).toHaveLength(2);
    expect(nightly[0]).toMatchObject({ trigger: 'catch-up', status: 'done' });
  });

  it('follows a changed run time', async () => {
    let now = t('2025-01-10T12:00:00Z') * 1000;
    core = await makeCore({ clock: { now: () => now } });
    await core.scheduler.tick();
    core.settings.update({ nightlyRunAt: '03:00' });
    now = t('2025-01-11T02:00:00Z') * 1000;
    await core.scheduler.tick();
    expect(core.scheduler.runs()).toHaveLength(0);
    now = t('2025-01-11T03:00:05Z') * 1000;
    await core.scheduler.tick();
    expect(core.scheduler.runs()).toMatchObject([{ task: 'nightly-rollup', trigger: 'schedule' }]);
  });
});
