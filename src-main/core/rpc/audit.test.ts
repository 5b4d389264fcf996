/**
 * The audit log comes from the contract: every state-changing method is logged with who did it,
 * and a read-only one is not — without a line of audit code in the handlers.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { contract, type Method } from '../../../src-shared/contract/api';
import type { Core } from '../app';
import { makeCore } from '../../../tests/helpers/core';
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

  it('writes who did what, with the details the contract names, for successful calls only', async () => {
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
    expect(core.sqlite.prepare('SELECT actor, action, details FROM audit_log ORDER BY id').all()).toEqual([
      {
        actor: 'jo@council',
        action: 'sites.create',
        details: JSON.stringify({ name: 'Town Hall', postcode: 'ba1 1aa' }),
      },
      { actor: 'jo@council', action: 'aggregation.rebuild', details: null },
    ]);
  });
});
