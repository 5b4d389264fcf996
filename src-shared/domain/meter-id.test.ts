import { describe, expect, it } from 'vitest';
import { mpanCheckDigit, parseMeterId } from './meter-id';

describe('MPAN check digit', () => {
  it.each([
    '2499999999991',
    '1312345678907',
    '2040015001169',
    '2700003645222',
    '1012477457919',
    '2200012767323',
    '2336533093112',
    '1712423842469',
  ])('accepts the valid core %s', (core) => {
    expect(parseMeterId(core)).toMatchObject({ ok: true, id: core, kind: 'mpan', fuel: 'electricity' });
  });

  it.each([
    ['2499999999990', 1],
    ['2040015001165', 9],
    ['8699999999991', 7],
    ['1234567891000', 4],
  ])('rejects %s and names the expected digit %i', (core, expected) => {
    expect(mpanCheckDigit(core)).toBe(expected);
    const r = parseMeterId(core);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toContain(`expected ${expected}`);
  });

  it('accepts a 21-character full MPAN, keeps its top line and stores the core', () => {
    expect(parseMeterId('00 801 8I5 2499999999991')).toEqual({
      ok: true,
      id: '2499999999991',
      kind: 'mpan',
      fuel: 'electricity',
      topLine: '008018I5',
    });
    expect(parseMeterId('018011002099999999386').ok).toBe(false);
  });

  it('classifies MPRNs as gas and other ids as meters of unknown fuel', () => {
    expect(parseMeterId('7654321')).toMatchObject({ ok: true, kind: 'mprn', fuel: 'gas' });
    expect(parseMeterId('MAC000002')).toMatchObject({ ok: true, kind: 'other', fuel: null, id: 'MAC000002' });
    expect(parseMeterId('').ok).toBe(false);
    expect(parseMeterId('<script>').ok).toBe(false);
  });
});
