/**
 * Sites' analytics fields refuse what would be stored wrongly, and the degree-day model uses one kind
 * of weather: a closure is removed only from its own site, closures do not overlap, opening hours
 * are never empty, a location is both coordinates, and a site with mean temperatures and a stray
 * degree-day row is fitted on the temperatures (saying so).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { BaselineResult, SiteClosure, SiteDetail, SiteSummary } from '../../../src-shared/contract/types';
import { callAsAdmin, importFiles, makeCore, writeTemp } from '../../../tests/helpers/core';
import { prng } from '../../../tests/helpers/random';
import type { Core } from '../app';

let core: Core | null = null;
afterEach(async () => {
  await core?.stop();
  core = null;
});

const call = <T>(method: string, args: unknown): Promise<T> => callAsAdmin<T>(core!, method, args);
const failure = async (method: string, args: unknown): Promise<string> => {
  try {
    await call(method, args);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error(`${method} was expected to fail`);
};

describe('site fields and closures', () => {
  it('removes a closure only from its own site, and refuses overlapping closures', async () => {
    core = await makeCore();
    const a = await call<SiteSummary>('sites.create', { name: 'A' });
    const b = await call<SiteSummary>('sites.create', { name: 'B' });
    const ca = await call<SiteClosure>('sites.addClosure', { siteId: a.id, from: '2024-02-12', to: '2024-02-17' });
    const cb = await call<SiteClosure>('sites.addClosure', { siteId: b.id, from: '2024-02-12', to: '2024-02-17' });
    expect(await failure('sites.removeClosure', { siteId: a.id, id: cb.id })).toBe(
      `NOT_FOUND: Site ${a.id} has no closure ${cb.id}`,
    );
    expect((await call<SiteDetail>('sites.get', { id: b.id })).closures.map((c) => c.id)).toEqual([cb.id]);
    expect(await failure('sites.addClosure', { siteId: a.id, from: '2024-02-16', to: '2024-02-20' })).toBe(
      `CONFLICT: Those days overlap the site's closure ${ca.id} (2024-02-12 to 2024-02-16): remove it first, or choose other days`,
    );
    // the day after a closure is free
    await call('sites.addClosure', { siteId: a.id, from: '2024-02-17', to: '2024-02-18' });
    expect(await call('sites.removeClosure', { siteId: a.id, id: ca.id })).toEqual({ removed: true });
    expect((await call<SiteDetail>('sites.get', { id: a.id })).closures.map((c) => c.from)).toEqual(['2024-02-17']);
  });

  it('refuses empty opening hours and half a location, changing nothing', async () => {
    core = await makeCore();
    const s = await call<SiteSummary>('sites.create', { name: 'Depot', openingHours: 'mon-fri 07:00-15:00' });
    expect(await failure('sites.update', { id: s.id, openingHours: '  ' })).toMatch(
      /^INVALID_ARGS: Opening hours cannot be empty: give days and times \(e\.g\. "mon-fri 08:00-18:00"\), or "closed"/,
    );
    expect(await failure('sites.update', { id: s.id, name: 'Renamed', latitude: 51.4 })).toBe(
      "BAD_INPUT: A site's location needs both its latitude and its longitude (give the longitude too), or neither",
    );
    expect(await failure('sites.create', { name: 'Half', longitude: -2.3 })).toMatch(/give the latitude too/);
    const after = (await call<SiteDetail>('sites.get', { id: s.id })).site;
    expect(after).toMatchObject({ name: 'Depot', latitude: null, openingHours: 'mon-fri 07:00-15:00' });
    expect((await call<SiteSummary[]>('sites.list', {})).map((x) => x.name)).toEqual(['Depot']);
    // both together are fine, and clearing both is too
    await call('sites.update', { id: s.id, latitude: 51.4, longitude: -2.3 });
    const cleared = await call<SiteSummary>('sites.update', { id: s.id, latitude: null, longitude: null });
    expect(cleared).toMatchObject({ latitude: null, longitude: null });
  });
});

describe('the degree-day model and mixed weather', () => {
  it('fits on the mean temperatures when a stray degree-day row is stored, and says why days were left out', async () => {
    core = await makeCore();
    const mpan = '1200050000106';
    const rnd = prng(11);
    const temps: string[] = ['date,meanTemperatureC'];
    const rows: string[] = ['mpan,timestamp,kwh'];
    const truth = new Map<string, number>();
    // 60 winter days (no clock change): kWh/day = 40 + 8 × HDD(15.5) spread over 48 half-hours
    for (let i = 0; i < 60; i++) {
      const iso = new Date(Date.UTC(2024, 0, 2 + i)).toISOString().slice(0, 10);
      const t = Math.round((2 + rnd() * 12) * 10) / 10;
      temps.push(`${iso},${t}`);
      const kwh = 40 + 8 * Math.max(0, 15.5 - t);
      truth.set(iso, kwh);
      for (let k = 0; k < 48; k++)
        rows.push(`${mpan},${new Date(Date.parse(`${iso}T00:00:00Z`) + k * 1800000).toISOString()},${kwh / 48}`);
    }
    await importFiles(core, [writeTemp('gas.csv', rows.join('\n') + '\n')]);
    const site = await call<SiteSummary>('sites.create', { name: 'Boiler house' });
    await call('meters.update', { meter: mpan, siteId: site.id });
    await call('weather.import', { siteId: site.id, fileName: 't.csv', text: temps.join('\n') });
    // one day's temperature replaced by an imported degree-day value
    await call('weather.import', { siteId: site.id, fileName: 'dd.csv', text: 'date,hdd\n2024-01-10,9.1\n' });
    const b = await call<BaselineResult>('analytics.baseline', {
      meter: mpan,
      from: '2024-01-02',
      to: '2024-03-02',
      baseTemperature: 15.5,
    });
    expect(b.fixedBase).toBe(false);
    expect(b.days).toBe(59);
    expect(b.intercept).toBeCloseTo(40, 6);
    expect(b.slope).toBeCloseTo(8, 6);
    expect(b.notes).toContain(
      '1 day has only another kind of weather (imported degree days) and was left out: the model uses mean temperatures.',
    );
    // degree days at a fixed base cannot take another base temperature: said, not ignored
    const dd = ['date,hdd', ...[...truth.keys()].map((iso, i) => `${iso},${(i % 9) + 1}`)].join('\n');
    await call('weather.import', { siteId: site.id, fileName: 'dd.csv', text: dd });
    const fixed = await call<BaselineResult>('analytics.baseline', {
      meter: mpan,
      from: '2024-01-02',
      to: '2024-03-02',
      baseTemperature: 18,
    });
    expect(fixed.fixedBase).toBe(true);
    expect(fixed.baseTemperature).toBe(15.5);
    expect(fixed.notes[0]).toBe(
      "The site's weather is degree days imported at 15.5 °C, so the base temperature asked for (18 °C) cannot be applied: the model uses 15.5 °C.",
    );
  });
});
