/**
 * The audit log comes from the contract: every state-changing method (and every upload, carbon
 * fetch and single analysis) is logged with who did it and how it ended, and a read-only one is
 * not — without a line of audit code in the handlers; audit.list reads it back.
 */
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { contract, type Method } from '../../../src-shared/contract/api';
import type { Core } from '../app';
import { importFiles, makeCore, writeTemp } from '../../../tests/helpers/core';
import { dispatch } from './dispatch';

let core: Core;
afterEach(async () => {
  await core?.stop();
});

describe('audit log', () => {
  it('is declared on every method that changes what is stored or configured', () => {
    const changing: Method[] = [
      'imports.enqueue',
      'imports.cancel',
      'imports.retry',
      'imports.cleanup',
      'aggregation.run',
      'sites.create',
      'sites.update',
      'meters.update',
      'carbon.fetch',
      'carbon.refresh',
      'files.upload',
      'carbon.setFactor',
      'settings.update',
      'tariffs.save',
      'tariffs.import',
      'tariffs.importPrices',
      'tariffs.delete',
      'tariffs.assign',
      'tariffs.unassign',
      'switching.analyse',
      'switching.runAll',
    ];
    for (const m of changing) expect(contract[m].audit, m).toBeTruthy();
    for (const m of Object.keys(contract) as Method[])
      if (m.endsWith('.list') || m.endsWith('.get')) expect(contract[m].audit, m).toBeFalsy();
  });

  it('writes who did what, with the details the contract names, and the outcome — failures too', async () => {
    core = await makeCore();
    const ctx = { role: 'admin' as const, actor: 'jo@council' };
    expect(
      await dispatch(core.handlers, 'sites.create', { name: 'Town Hall', postcode: 'ba1 1aa' }, ctx),
    ).toMatchObject({ ok: true });
    expect(await dispatch(core.handlers, 'sites.create', { name: 'Town Hall' }, ctx)).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT' },
    });
    expect(await dispatch(core.handlers, 'aggregation.run', { full: true }, ctx)).toMatchObject({ ok: true });
    expect(await dispatch(core.handlers, 'sites.list', {}, ctx)).toMatchObject({ ok: true });
    expect(core.sqlite.prepare('SELECT actor, action, details, outcome FROM audit_log ORDER BY id').all()).toEqual([
      {
        actor: 'jo@council',
        action: 'sites.create',
        details: JSON.stringify({ name: 'Town Hall', postcode: 'ba1 1aa' }),
        outcome: 'ok',
      },
      {
        actor: 'jo@council',
        action: 'sites.create',
        details: JSON.stringify({ name: 'Town Hall' }),
        outcome: 'CONFLICT',
      },
      { actor: 'jo@council', action: 'aggregation.rebuild', details: null, outcome: 'ok' },
    ]);
  });

  it('records uploads, carbon fetches and single analyses, and a cancel or retry as it turned out', async () => {
    core = await makeCore({ fetch: () => Promise.reject(new Error('offline')) });
    const ctx = { role: 'manager' as const, actor: 'sam' };
    const body = Readable.from([Buffer.from('MPAN,Timestamp,kWh\n1200050000009,2024-01-01T00:00:00Z,1.5\n')]);
    const up = await dispatch(core.handlers, 'files.upload', { name: 'jan.csv' }, { ...ctx, body });
    expect(up.ok).toBe(true);
    const file = (up as { value: { fileId: string; sha256: string } }).value;
    expect(await dispatch(core.handlers, 'carbon.refresh', {}, ctx)).toMatchObject({
      ok: false,
      error: { code: 'UNAVAILABLE' },
    });
    expect(await dispatch(core.handlers, 'switching.analyse', { meter: 'nope' }, ctx)).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    const [job] = await importFiles(core, [
      writeTemp('feb.csv', 'MPAN,Timestamp,kWh\n1200050000106,2024-02-01T00:00:00Z,2\n'),
    ]);
    expect(await dispatch(core.handlers, 'imports.cancel', { id: job!.id }, ctx)).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT' },
    });
    expect(await dispatch(core.handlers, 'imports.retry', { id: job!.id }, ctx)).toMatchObject({ ok: false });
    const rows = core.sqlite.prepare('SELECT actor, action, details, outcome FROM audit_log ORDER BY id').all();
    expect(rows).toEqual([
      {
        actor: 'sam',
        action: 'files.upload',
        details: JSON.stringify({ name: 'jan.csv', fileId: file.fileId, bytes: 58, sha256: file.sha256 }),
        outcome: 'ok',
      },
      { actor: 'sam', action: 'carbon.refresh', details: null, outcome: 'UNAVAILABLE' },
      {
        actor: 'sam',
        action: 'switching.analyse',
        details: expect.stringContaining('"meter":"nope"'),
        outcome: 'NOT_FOUND',
      },
      { actor: 'sam', action: 'imports.cancel', details: JSON.stringify({ id: job!.id }), outcome: 'CONFLICT' },
      { actor: 'sam', action: 'imports.retry', details: JSON.stringify({ id: job!.id }), outcome: 'CONFLICT' },
    ]);
  });

  it('lists entries newest first, filtered by day, person, action and outcome, for admins only', async () => {
    let now = Date.parse('2024-03-10T23:30:00Z'); // 10 March, UK time (GMT)
    core = await makeCore({ clock: { now: () => now } });
    const as = (actor: string) => ({ role: 'admin' as const, actor });
    await dispatch(core.handlers, 'sites.create', { name: 'Depot' }, as('anna (desktop)'));
    now = Date.parse('2024-03-11T00:30:00Z');
    await dispatch(core.handlers, 'sites.create', { name: 'Depot' }, as('anna (desktop)'));
    await dispatch(core.handlers, 'aggregation.run', {}, as('ops-token'));
    const list = async (args: object) => {
      const r = await dispatch(core.handlers, 'audit.list', args, as('root'));
      if (!r.ok) throw new Error(r.error.message);
      return (r.value as { action: string; actor: string; outcome: string; at: string }[]).map(
        (e) => `${e.at} ${e.actor} ${e.action} ${e.outcome}`,
      );
    };
    expect(await list({})).toEqual([
      '2024-03-11T00:30:00Z ops-token aggregation.run ok',
      '2024-03-11T00:30:00Z anna (desktop) sites.create CONFLICT',
      '2024-03-10T23:30:00Z anna (desktop) sites.create ok',
    ]);
    expect(await list({ since: '2024-03-11' })).toHaveLength(2);
    expect(await list({ actor: 'anna' })).toHaveLength(2);
    expect(await list({ actor: 'ann' })).toHaveLength(0);
    expect(await list({ action: 'aggregation' })).toEqual(['2024-03-11T00:30:00Z ops-token aggregation.run ok']);
    expect(await list({ outcome: 'failed' })).toEqual(['2024-03-11T00:30:00Z anna (desktop) sites.create CONFLICT']);
    expect(await list({ outcome: 'ok', limit: 1 })).toEqual(['2024-03-11T00:30:00Z ops-token aggregation.run ok']);
    expect(await dispatch(core.handlers, 'audit.list', {}, { role: 'manager', actor: 'sam' })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
  });
});

describe('refused attempts', () => {
  it('are logged too: a role too low, and arguments that failed validation, with the refusal as the outcome', async () => {
    core = await makeCore();
    const viewer = { role: 'viewer' as const, actor: 'vic (browser)' };
    const admin = { role: 'admin' as const, actor: 'anna (browser)' };
    expect((await dispatch(core.handlers, 'settings.update', { importRetentionDays: 5 }, viewer)).ok).toBe(false);
    expect((await dispatch(core.handlers, 'settings.update', { importRetentionDays: -1 }, admin)).ok).toBe(false);
    // a read refused for its role is not a change: nothing logged
    expect((await dispatch(core.handlers, 'audit.list', {}, viewer)).ok).toBe(false);
    const rows = core.sqlite.prepare('SELECT actor, action, outcome FROM audit_log ORDER BY id').all() as {
      actor: string;
      action: string;
      outcome: string;
    }[];
    expect(rows).toEqual([
      { actor: 'vic (browser)', action: 'settings.update', outcome: 'FORBIDDEN' },
      { actor: 'anna (browser)', action: 'settings.update', outcome: 'INVALID_ARGS' },
    ]);
  });
});
