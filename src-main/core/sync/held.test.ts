/**
 * The held changes in words (held.ts) on a real data folder: tariffs by name, their prices by the
 * day they start, shared settings by what they set, a deleted tariff by its id, and "N more".
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { EntityChange } from '../../../src-shared/contract/sync';
import { dayFromDate } from '../../../src-shared/domain/periods';
import { callAsAdmin, makeCore } from '../../../tests/helpers/core';
import { economy7 } from '../../../tests/fixtures/tariffs';
import type { Core } from '../app';
import { changesText, describeHeld } from './held';

const cores: Core[] = [];
afterAll(async () => {
  for (const c of cores) await c.stop();
});

const price = (tariff: string, y: number, m: number, d: number): EntityChange => ({
  type: 'tariffVersion',
  key: `${tariff}|${dayFromDate(y, m, d)}`,
  groups: { spec: { base: 0, value: {} } },
});

describe('held changes in words', () => {
  it('names tariffs, the days their prices start and what a shared setting sets; never ids or kinds', async () => {
    const c = await makeCore();
    cores.push(c);
    await callAsAdmin(c, 'tariffs.save', { tariff: economy7() });
    const e7 = 'acme-e7-2025';
    expect(describeHeld(c.sqlite, [{ type: 'tariff', key: e7, groups: {} }, price(e7, 2025, 1, 1)])).toBe(
      'tariff ‘Acme Economy 7’ and its prices from 1 Jan 2025',
    );
    expect(
      describeHeld(c.sqlite, [
        price(e7, 2025, 10, 1),
        price(e7, 2025, 4, 1),
        { type: 'setting', key: 'notify.email.to', groups: {} },
      ]),
    ).toBe(
      'the prices of tariff ‘Acme Economy 7’ from 1 Apr 2025 and 1 Oct 2025 and the setting for who alert e-mails go to',
    );
    expect(describeHeld(c.sqlite, [{ type: 'tariff', key: 'old-flat', deleted: { base: 3 } }])).toBe(
      'tariff old-flat deleted',
    );
    const many = ['a', 'b', 'c', 'd', 'e', 'f'].map((k): EntityChange => ({
      type: 'tariff',
      key: k,
      deleted: { base: 1 },
    }));
    expect(describeHeld(c.sqlite, many)).toBe(
      'tariff a deleted, tariff b deleted, tariff c deleted, tariff d deleted and 2 more',
    );
    expect([changesText(1), changesText(3)]).toEqual(['1 change', '3 changes']);
  });
});
