/**
 * Sites found in meter files, offered as sites: the file_sites rows (as the importer writes them,
 * inserted here directly) grouped by name and postcode, accepted into new or existing sites, or
 * dismissed — all or nothing, on a real core.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { SiteSuggestion, SiteSuggestionResult } from '../../../src-shared/contract/types';
import type { Core } from '../app';
import { dispatch } from '../rpc/dispatch';
import { callAsAdmin, makeCore } from '../../../tests/helpers/core';

let core: Core;
afterEach(async () => {
  await core?.stop();
});

const M = ['1200050000009', '1200050000106', '1200050000203', '1200050000300', '7000001', '7000002', '7000003'];

/** Meters M (no site) and a site "Guildhall" with meter 7000003 on it; file_sites rows as given. */
async function setUp(
  rows: [meter: string, name: string, address: string | null, postcode: string | null, dismissed?: 1][],
) {
  core = await makeCore();
  const register = ['site,meter', ...M.slice(0, 6).map((m) => `,${m}`), 'Guildhall,7000003'].join('\n');
  await callAsAdmin(core, 'register.import', { content: Buffer.from(register).toString('base64') });
  const id = core.sqlite.prepare('SELECT id FROM meters WHERE identifier = ?').pluck();
  const insert = core.sqlite.prepare(
    'INSERT INTO file_sites (meter_id, name, address, postcode, job_id, seen_at, dismissed) VALUES (?, ?, ?, ?, NULL, ?, ?)',
  );
  rows.forEach(([m, name, address, postcode, dismissed], i) =>
    insert.run(id.get(m), name, address, postcode, 1_700_000_000 + i, dismissed ?? 0),
  );
}

const suggestions = () => callAsAdmin<SiteSuggestion[]>(core, 'sites.suggestions', {});
const siteOf = (meter: string) =>
  core.sqlite
    .prepare(
      'SELECT s.name, s.address, s.postcode FROM meters m LEFT JOIN sites s ON s.id = m.site_id WHERE m.identifier = ?',
    )
    .get(meter) as { name: string | null; address: string | null; postcode: string | null };

describe('sites.suggestions', () => {
  it('groups meters without a site by name and postcode (any case or spacing), leaving out dismissed ones', async () => {
    await setUp([
      [M[0]!, 'Bathford C of E Primary School', 'Church Street, Bathford', 'BA1 7UB'],
      [M[1]!, 'bathford  c of e primary school ', null, 'ba17ub'],
      [M[2]!, 'Bathford C of E Primary School', null, 'BA2 9ZZ'],
      [M[3]!, 'guildhall', null, null],
      [M[4]!, 'Old Depot', null, null, 1],
      ['7000003', 'Somewhere Else', null, null],
    ]);
    const guildhall = core.sqlite.prepare("SELECT id FROM sites WHERE name = 'Guildhall'").pluck().get() as number;
    expect(await suggestions()).toEqual([
      {
        name: 'Bathford C of E Primary School',
        address: 'Church Street, Bathford',
        postcode: 'BA1 7UB',
        meters: [M[0], M[1]],
        existingSiteId: null,
      },
      {
        name: 'Bathford C of E Primary School',
        address: null,
        postcode: 'BA2 9ZZ',
        meters: [M[2]],
        existingSiteId: null,
      },
      { name: 'guildhall', address: null, postcode: null, meters: [M[3]], existingSiteId: guildhall },
    ]);
  });
});

describe('sites.acceptSuggestions', () => {
  it('creates a site under the name given (or uses the one of that name), puts the meters on it, or dismisses', async () => {
    await setUp([
      [M[0]!, 'Bathford C of E Primary School', 'Church Street, Bathford', 'BA1 7UB'],
      [M[1]!, 'Bathford C of E Primary School', null, 'BA1 7UB'],
      [M[2]!, 'Bathford C of E Primary School', null, 'BA2 9ZZ'],
      [M[3]!, 'guildhall', 'High Street', 'BA1 5AW'],
    ]);
    const r = await callAsAdmin<SiteSuggestionResult>(core, 'sites.acceptSuggestions', {
      items: [
        { name: 'Bathford Primary', address: 'Church Street, Bathford', postcode: 'ba1 7ub', meters: [M[0], M[1]] },
        { name: 'guildhall', address: 'High Street', postcode: 'BA1 5AW', meters: [M[3]] },
      ],
    });
    expect([r.sitesCreated, r.metersAssigned]).toEqual([1, 3]);
    expect(r.sites.map((s) => [s.name, s.meters]).sort()).toEqual([
      ['Bathford Primary', 2],
      ['Guildhall', 2],
    ]);
    expect(siteOf(M[0]!)).toEqual({
      name: 'Bathford Primary',
      address: 'Church Street, Bathford',
      postcode: 'BA1 7UB',
    });
    expect(siteOf(M[1]!).name).toBe('Bathford Primary');
    // the existing Guildhall keeps its name and gains the address and postcode it lacked
    expect(siteOf(M[3]!)).toEqual({ name: 'Guildhall', address: 'High Street', postcode: 'BA1 5AW' });
    expect((await suggestions()).map((s) => [s.postcode, s.meters])).toEqual([['BA2 9ZZ', [M[2]]]]);

    await callAsAdmin(core, 'sites.acceptSuggestions', {
      items: [{ name: 'Bathford C of E Primary School', meters: [M[2]], dismiss: true }],
    });
    expect(await suggestions()).toEqual([]);
    expect(siteOf(M[2]!).name).toBeNull();
    expect(core.sqlite.prepare('SELECT dismissed FROM file_sites WHERE postcode = ?').pluck().get('BA2 9ZZ')).toBe(1);
  });

  it('changes nothing when any item cannot be done', async () => {
    await setUp([
      [M[0]!, 'Pump Room', null, null],
      [M[1]!, 'Assembly Rooms', null, 'BA1 2QH'],
    ]);
    const before = JSON.stringify([
      core.sqlite.prepare('SELECT * FROM sites').all(),
      core.sqlite.prepare('SELECT * FROM meters').all(),
      core.sqlite.prepare('SELECT * FROM file_sites').all(),
    ]);
    const refuse = async (items: unknown[]) =>
      dispatch(core.handlers, 'sites.acceptSuggestions', { items }, { role: 'admin', actor: 't' });
    // the second item's meter is on a site already
    expect(
      await refuse([
        { name: 'Pump Room', meters: [M[0]] },
        { name: 'Guildhall 2', meters: ['7000003'] },
      ]),
    ).toEqual({
      ok: false,
      error: { code: 'CONFLICT', message: 'Meter 7000003 is already on the site "Guildhall": reload the suggestions' },
    });
    expect(
      await refuse([
        { name: 'Pump Room', meters: [M[0]] },
        { name: 'Assembly Rooms', postcode: 'BA1', meters: [M[1]] },
      ]),
    ).toEqual({
      ok: false,
      error: {
        code: 'BAD_INPUT',
        message: '"BA1" (for Assembly Rooms) is not a UK postcode: correct it (e.g. BA1 7UB) or leave it blank',
      },
    });
    expect(
      await refuse([
        { name: 'Pump Room', meters: [M[0]] },
        { name: 'Nowhere', meters: [M[1]], dismiss: true },
      ]),
    ).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await refuse([{ name: 'Pump Room', meters: ['1200050000999'] }])).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND', message: 'No meter 1200050000999; reload the suggestions' },
    });
    expect(
      JSON.stringify([
        core.sqlite.prepare('SELECT * FROM sites').all(),
        core.sqlite.prepare('SELECT * FROM meters').all(),
        core.sqlite.prepare('SELECT * FROM file_sites').all(),
      ]),
    ).toBe(before);
  });
});
