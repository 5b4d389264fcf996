/** The health report in plain words: each status as a word and a colour, the overall line, changes. Pure. */
import type { HealthChange, HealthReport, HealthStatus } from '../../../src-shared/contract/types';
import { plural } from '../../lib/format';

export const HEALTH_WORD: Record<HealthStatus, string> = { ok: 'OK', warn: 'Needs attention', fail: 'Failing' };

/** A status's colour (badge-tone-* and the frame's dot). */
export const HEALTH_TONE: Record<HealthStatus, 'green' | 'amber' | 'red'> = { ok: 'green', warn: 'amber', fail: 'red' };

/** "All 7 checks are OK", or "2 of 7 checks need attention: Free disk space, Backups" (failing or warning). */
export function overallText(r: Pick<HealthReport, 'checks'>): string {
  const bad = r.checks.filter((c) => c.status !== 'ok');
  if (bad.length === 0)
    return r.checks.length === 1 ? 'The check is OK' : `All ${plural(r.checks.length, 'check')} are OK`;
  const count =
    bad.length === 1 ? `1 of ${r.checks.length} checks needs` : `${bad.length} of ${r.checks.length} checks need`;
  return `${count} attention: ${bad.map((c) => c.label).join(', ')}`;
}

/** The frame's dot in words, for screen readers and its tooltip: "App health: OK". */
export function dotLabel(status: HealthStatus | null): string {
  return `App health: ${status ? HEALTH_WORD[status] : 'not checked yet'}`;
}

/** A change of state: "Free disk space: OK → Failing", "Backups: Needs attention" (its first state). */
export function changeText(
  c: Pick<HealthChange, 'check' | 'status' | 'previous'>,
  labels: Record<string, string>,
): string {
  const name = labels[c.check] ?? c.check;
  return c.previous
    ? `${name}: ${HEALTH_WORD[c.previous]} → ${HEALTH_WORD[c.status]}`
    : `${name}: ${HEALTH_WORD[c.status]}`;
}
