/**
 * What the signed-in person may do, judged as the core judges it: each method's least role
 * (`contract[method].role`, kept here for the methods the screens gate, and checked against the
 * contract by access.test.ts) against the caller's role (ROLE_RANK). The core refuses anyway; the
 * screens only leave out buttons that could not work and say why.
 */
// Types only: the contract's value exports pull in zod, which the renderer does not need.
import type { Method } from '../../src-shared/contract/api';
import { ROLE_RANK, type Role } from '../../src-shared/contract/types';

/** The least role of each method a screen offers a button for. */
export const METHOD_ROLES = {
  'imports.enqueue': 'manager',
  'imports.cancel': 'manager',
  'imports.retry': 'manager',
  'imports.cleanup': 'admin',
  'aggregation.run': 'manager',
  'sites.create': 'manager',
  'sites.update': 'manager',
  'meters.update': 'manager',
  'meters.merge': 'manager',
  'meters.bulkUpdate': 'manager',
  'settings.update': 'admin',
  'tariffs.save': 'admin',
  'tariffs.import': 'admin',
  'tariffs.delete': 'admin',
  'tariffs.assign': 'manager',
  'alerts.saveRule': 'manager',
  'alerts.ack': 'manager',
  'alerts.resolve': 'manager',
  'carbon.setFactor': 'admin',
  'notify.test': 'admin',
  'switching.analyse': 'manager',
  'users.list': 'admin',
  'tokens.list': 'admin',
  'audit.list': 'admin',
  'register.import': 'manager',
  'sites.acceptSuggestions': 'manager',
  'imports.rollback': 'manager',
  'meters.remove': 'manager',
  'sites.remove': 'manager',
  'readings.remove': 'manager',
  'trash.restore': 'manager',
  'sources.save': 'admin',
  'sources.remove': 'admin',
  'sources.run': 'manager',
  'schedules.save': 'admin',
  'schedules.remove': 'admin',
  'schedules.run': 'manager',
  'sync.connect': 'admin',
  'sync.configure': 'admin',
  'sync.disconnect': 'admin',
  'sync.resolve': 'manager',
} as const satisfies Partial<Record<Method, Role>>;

export type GatedMethod = keyof typeof METHOD_ROLES;

/** Whether `role` may call `method`; an unknown role (not loaded yet) is let through: the core decides. */
export function allowed(role: Role | null | undefined, method: GatedMethod): boolean {
  if (!role) return true;
  return ROLE_RANK[role] >= ROLE_RANK[METHOD_ROLES[method]];
}

const ROLE_NAMES: Record<Role, [string, string]> = {
  viewer: ['Viewer', 'Viewers'],
  manager: ['Manager', 'Managers'],
  admin: ['Administrator', 'Administrators'],
};

/** A role in words: "Viewer", or "Viewers" for the plural. */
export function roleName(role: Role, plural = false): string {
  return ROLE_NAMES[role][plural ? 1 : 0];
}

/**
 * Why a button is not there, in a line: "Viewers can look but not change: ask an administrator"
 * (a manager missing an admin-only action: "Only an administrator can do this").
 */
export function whyNot(role: Role | null | undefined, method: GatedMethod): string | null {
  if (allowed(role, method) || !role) return null;
  if (role === 'viewer') return 'Viewers can look but not change: ask an administrator';
  return METHOD_ROLES[method] === 'admin'
    ? 'Only an administrator can change this'
    : `${roleName(role, true)} cannot do this: ask an administrator`;
}
