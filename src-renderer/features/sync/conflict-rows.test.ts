import { describe, expect, it } from 'vitest';
import type { ReadingConflict, SyncActivity } from '../../../src-shared/contract/sync';
import { csvColumns, tableCsv } from '../../components/table-export';
import {
  CONFLICT_CSV,
  REPLACED_CSV,
  activityWhat,
  conflictRow,
  conflictTime,
  replacedRow,
  valueChanges,
} from './conflict-rows';

/** Days since 1970-01-01 of a calendar date, worked out without the app's helpers. */
const dayOf = (iso: string): number => Math.round(new Date(`${iso}T00:00:00Z`).getTime() / 86_400_000);

const conflict = (over: Partial<ReadingConflict>): ReadingConflict => ({
  id: 1,
  meter: '1200050000009',
  day: dayOf('2026-01-15'),
  slot: 20,
  at: '2026-01-15T10:00:00.000Z',
  serverKwh: 12.5,
  pushedKwh: 13.25,
  serverQuality: 0,
  pushedQuality: 1,
  pushedBy: 'ben',
  pushedFrom: 'Finance laptop',
  raisedAt: '2026-01-16T09:05:00.000Z',
  status: 'open',
  resolvedBy: null,
  version: 7,
  ...over,
});

describe('a readings conflict’s row', () => {
  it('gives the UK local date and half-hour, both values with their quality, and who pushed it', () => {
    const r = conflictRow(conflict({}));
    expect(r).toMatchObject({
      meter: '1200050000009',
      date: '15 Jan 2026',
      time: '10:00–10:30',
      server: '12.5 kWh',
      pushed: '13.25 kWh (estimated)',
      who: 'ben',
      from: 'Finance laptop',
      status: 'Open',
      open: true,
      site: null,
    });
    // the meter's site by name beside its MPAN; a meter here without a site says so
    const sites: Record<string, string | null> = { '1200050000009': 'Mossbrook Primary', '1200050000106': null };
    expect(conflictRow(conflict({}), (m) => sites[m]).site).toBe('Mossbrook Primary');
    expect(conflictRow(conflict({ meter: '1200050000106' }), (m) => sites[m]).site).toBe('no site');
    expect(conflictRow(conflict({ meter: '1200050000203' }), (m) => sites[m]).site).toBeNull();
    // in summer the half-hour starting 09:00 UTC is 10:00 on the UK clock
    const summer = conflictRow(conflict({ day: dayOf('2026-07-01'), slot: 20, at: '2026-07-01T09:00:00.000Z' }));
    expect(summer.time).toBe('10:00–10:30');
    expect(summer.date).toBe('1 Jul 2026');
  });

  it('works the half-hour out from the day and slot when the server gave no start, and tells the autumn’s two 01:30s apart', () => {
    // 26 Oct 2025: BST until 02:00 BST (01:00 UTC), then GMT; the day starts at 23:00 UTC the day before
    const day = dayOf('2025-10-26');
    expect(conflictTime({ day, slot: 2, at: null })).toBe('01:00–01:30 BST');
    expect(conflictTime({ day, slot: 3, at: null })).toBe('01:30 BST–01:00 GMT');
    expect(conflictTime({ day, slot: 5, at: null })).toBe('01:30–02:00 GMT');
    expect(conflictTime({ day, slot: 5, at: '2025-10-26T01:30:00.000Z' })).toBe('01:30–02:00 GMT');
    // 29 Mar 2026: 01:00 GMT jumps to 02:00 BST, so slot 2 starts at 02:00 BST
    expect(conflictTime({ day: dayOf('2026-03-29'), slot: 1, at: null })).toBe('00:30 GMT–02:00 BST');
    expect(conflictTime({ day: dayOf('2026-03-29'), slot: 2, at: null })).toBe('02:00–02:30 BST');
    // an ordinary day needs no zone
    expect(conflictTime({ day: dayOf('2026-01-15'), slot: 0, at: null })).toBe('00:00–00:30');
    expect(conflictTime({ day: dayOf('2026-01-15'), slot: 47, at: null })).toBe('23:30–00:00');
  });

  it('says "whole day" for a removed day, and words missing values and decided conflicts', () => {
    const whole = conflictRow(conflict({ slot: -1, at: null, serverKwh: null, pushedKwh: null, pushedQuality: null }));
    expect(whole.time).toBe('whole day');
    expect(whole.pushed).toBe('day removed');
    expect(whole.server).toBe('the day’s readings');
    const missing = conflictRow(conflict({ serverKwh: null, serverQuality: 2, pushedKwh: 0, pushedQuality: 0 }));
    expect(missing.server).toBe('no reading');
    expect(missing.pushed).toBe('0 kWh');
    const decided = conflictRow(conflict({ status: 'applied-pushed', resolvedBy: 'anna' }));
    expect(decided.status).toBe('Used pushed value (anna)');
    expect(decided.open).toBe(false);
    expect(conflictRow(conflict({ status: 'kept-server', resolvedBy: null })).status).toBe('Kept server’s value');
  });

  it('exports raw kWh, qualities in words, the ISO day and both clocks', () => {
    const rows = [conflict({}), conflict({ id: 2, slot: -1, at: null, pushedKwh: null })].map((c) => conflictRow(c));
    const cols = csvColumns(Object.values(CONFLICT_CSV).map((csv) => ({ csv })));
    const lines = tableCsv(cols, rows)
      .replace(/^\uFEFF/, '')
      .split('\r\n');
    expect(lines[0]).toBe(
      [
        'Meter',
        'Day',
        'Half-hour (UK local)',
        'Half-hour start (UTC)',
        'Half-hour start (UK local)',
        'Server (kWh)',
        'Server quality',
        'Pushed (kWh)',
        'Pushed quality',
        'Pushed by',
        'From desktop',
        'Raised (UTC)',
        'Raised (UK local)',
        'Status',
      ].join(','),
    );
    expect(lines[1]).toBe(
      '1200050000009,2026-01-15,10:00–10:30,2026-01-15T10:00:00Z,15/01/2026 10:00,12.5,actual,13.25,estimated,ben,Finance laptop,2026-01-16T09:05:00Z,16/01/2026 09:05,Open',
    );
    expect(lines[2]).toBe(
      '1200050000009,2026-01-15,whole day,,,12.5,,,,ben,Finance laptop,2026-01-16T09:05:00Z,16/01/2026 09:05,Open',
    );
  });
});

const activity = (over: Partial<SyncActivity>): SyncActivity => ({
  id: 4,
  at: '2026-01-16T09:05:00.000Z',
  type: 'site',
  key: '0123456789abcdef0123456789abcdef',
  group: 'hours',
  lost: { openingHours: 'mon-fri 08:00-18:00' },
  lostBy: 'ben',
  lostFrom: 'Finance laptop',
  won: { openingHours: 'mon-sat 07:00-19:00' },
  wonBy: 'anna',
  wonFrom: 'Anna’s laptop',
  version: 9,
  ...over,
});

describe('a replaced edit’s row', () => {
  it('names the thing, sums up both values and says who made each where', () => {
    const r = replacedRow(activity({}));
    expect(r.what).toBe('Site 0123…ef · opening hours');
    expect(r.lost).toBe('Opening hours: ‘mon-fri 08:00-18:00’');
    expect(r.lostWho).toBe('ben on Finance laptop');
    expect(r.won).toBe('Opening hours: ‘mon-sat 07:00-19:00’');
    // a site this desktop knows goes by its name, in a budget's key too
    const names = (uid: string) => (uid === '0123456789abcdef0123456789abcdef' ? 'Head office' : undefined);
    expect(replacedRow(activity({}), names).what).toBe('Site Head office · opening hours');
    expect(
      activityWhat({ type: 'budget', key: '0123456789abcdef0123456789abcdef|2026-04', group: 'amounts' }, names),
    ).toBe('Budget Head office 2026-04 · amounts');
    expect(activityWhat({ type: 'budget', key: 'ffffffffffffffffffffffffffffffff|2026-04', group: 'amounts' })).toBe(
      'Budget ffff…ff 2026-04 · amounts',
    );
    expect(r.wonWho).toBe('anna on Anna’s laptop');
    expect(activityWhat({ type: 'tariffVersion', key: 'ee-2026|20454', group: 'spec' })).toBe(
      'Tariff version ee-2026|20454 · rates',
    );
  });

  it('shows only what differed, labelled, with sites by name and “no site” for none', () => {
    const uid = '0123456789abcdef0123456789abcdef';
    const names = (u: string) => (u === uid ? 'Mossbrook Primary' : undefined);
    const base = { name: 'Mossbrook Primary School (Sheffield)', organisation: 'My portfolio', generation: false };
    expect(valueChanges(base, { ...base, name: 'Mossbrook Primary' })).toEqual({
      lost: 'Name: ‘Mossbrook Primary School (Sheffield)’',
      won: 'Name: ‘Mossbrook Primary’',
    });
    expect(valueChanges({ site: uid }, { site: null }, names)).toEqual({
      lost: 'Site: ‘Mossbrook Primary’',
      won: 'Site: no site',
    });
    // a site this desktop does not know is shortened, never shown whole
    expect(valueChanges({ site: 'ffffffffffffffffffffffffffffffff' }, { site: uid }, names).lost).toBe(
      'Site: ‘site ffff…ff’',
    );
    expect(
      valueChanges(
        { hours: null, floorAreaM2: 120, postcode: 'S1 1AA' },
        { hours: null, floorAreaM2: 95, postcode: '' },
      ),
    ).toEqual({ lost: 'Floor area (m²): 120; Postcode: ‘S1 1AA’', won: 'Floor area (m²): 95; Postcode: none' });
    expect(valueChanges({ generation: true }, { generation: false })).toEqual({
      lost: 'Generates power: yes',
      won: 'Generates power: no',
    });
    expect(valueChanges({ tags: ['a', 'b'] }, { tags: ['a'] })).toEqual({ lost: 'Tags: 2 items', won: 'Tags: 1 item' });
    expect(valueChanges({ name: 'A', note: null }, null)).toEqual({ lost: 'Name: ‘A’', won: 'deleted' });
    expect(valueChanges({ name: 'A' }, { name: 'A' })).toEqual({ lost: 'no difference', won: 'no difference' });
  });

  it('exports each value whole', () => {
    const cols = csvColumns(Object.values(REPLACED_CSV).map((csv) => ({ csv })));
    const lines = tableCsv(cols, [replacedRow(activity({ won: null }))])
      .replace(/^\uFEFF/, '')
      .split('\r\n');
    expect(lines[0]).toBe(
      'Kind,Key,Field group,Replaced value,Replaced edit by,Replaced edit from,Winning value,Winning edit by,Winning edit from,When (UTC),When (UK local)',
    );
    expect(lines[1]).toBe(
      'Site,0123456789abcdef0123456789abcdef,hours,"{""openingHours"":""mon-fri 08:00-18:00""}",ben,Finance laptop,deleted,anna,Anna’s laptop,2026-01-16T09:05:00Z,16/01/2026 09:05',
    );
  });
});
