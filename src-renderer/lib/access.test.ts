import { describe, expect, it } from 'vitest';
import { contract } from '../../src-shared/contract/api';
import type { Role } from '../../src-shared/contract/types';
import { METHOD_ROLES, allowed, whyNot, type GatedMethod } from './access';

const methods = Object.keys(METHOD_ROLES) as GatedMethod[];
const ORDER: Role[] = ['viewer', 'manager', 'admin'];

describe('what a role may do in the screens', () => {
  it('keeps each gated method at the least role the contract gives it', () => {
    for (const m of methods) expect([m, METHOD_ROLES[m]]).toEqual([m, contract[m].role]);
  });

  it('lets a role through exactly when it is at or above the method’s least role', () => {
    for (const m of methods)
      for (const role of ORDER) {
        const expected = ORDER.indexOf(role) >= ORDER.indexOf(contract[m].role);
        expect([m, role, allowed(role, m)]).toEqual([m, role, expected]);
      }
  });

  it('lets an unknown role through (the core still refuses what it must)', () => {
    expect(allowed(null, 'settings.update')).toBe(true);
    expect(whyNot(null, 'settings.update')).toBeNull();
  });

  it('says why a button is missing, in words for the role', () => {
    expect(whyNot('viewer', 'imports.enqueue')).toBe('Viewers can look but not change: ask an administrator');
    expect(whyNot('manager', 'settings.update')).toBe('Only an administrator can change this');
    expect(whyNot('manager', 'imports.enqueue')).toBeNull();
    expect(whyNot('admin', 'audit.list')).toBeNull();
  });
});
